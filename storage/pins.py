"""The Optuna version the schema was built against, and the check that refuses another major version.

Our foreign keys and joins reference Optuna's ``studies`` and ``trials`` tables, and the search relies on
Optuna's RDB storage behaviour (heartbeats, stale-trial retry). Optuna keeps its storage schema stable
within a major version, so a different major version is refused at open time rather than discovered as
a broken join later. pyproject pins ``optuna==5.0.0`` and ``optuna-integration==5.0.0``.
"""

from __future__ import annotations

import optuna

from .errors import StorageError

OPTUNA_BUILT_AGAINST = "5.0.0"
OPTUNA_INTEGRATION_BUILT_AGAINST = "5.0.0"


def check_optuna_version(installed: str | None = None) -> None:
    """Raise :class:`StorageError` unless Optuna's major version is the one the schema was built on."""
    installed = installed or optuna.__version__
    if installed.split(".")[0] != OPTUNA_BUILT_AGAINST.split(".")[0]:
        raise StorageError(
            f"mixmerge's store was built against Optuna {OPTUNA_BUILT_AGAINST} and Optuna {installed} is "
            f"installed: its tables may differ. Install it with pip install 'optuna=={OPTUNA_BUILT_AGAINST}' "
            f"'optuna-integration=={OPTUNA_INTEGRATION_BUILT_AGAINST}'."
        )
