"""mixmerge.storage: the SQL store beside Optuna's tables.

Optuna's RDB storage holds studies and trials; our tables (prefixed ``mm_``, migrated by Alembic with the
version table ``mixmerge_alembic_version``) hold scores with intervals, per-category and per-item results,
compute costs, provenance, artifacts, hypervolume snapshots and failures, keyed by Optuna's ids.
SQLite (WAL, busy timeout, ``BEGIN IMMEDIATE`` writes) on one machine; PostgreSQL for several.

Built against Optuna 5.0.0 and optuna-integration 5.0.0 (:mod:`.pins`): :func:`open_store` refuses
another major version of Optuna.
"""

from __future__ import annotations

from .errors import StorageError
from .pins import OPTUNA_BUILT_AGAINST, OPTUNA_INTEGRATION_BUILT_AGAINST, check_optuna_version
from .provenance import ProvenanceRecord, collect
from .records import CategoryRecord, CostRecord, ItemRecord, ObjectiveResult
from .store import CostTotals, Store, TrialRef, open_store, trial_id_of
from .urls import normalise_url

__all__ = [
    "OPTUNA_BUILT_AGAINST",
    "OPTUNA_INTEGRATION_BUILT_AGAINST",
    "CategoryRecord",
    "CostRecord",
    "CostTotals",
    "ItemRecord",
    "ObjectiveResult",
    "ProvenanceRecord",
    "StorageError",
    "Store",
    "TrialRef",
    "check_optuna_version",
    "collect",
    "normalise_url",
    "open_store",
    "trial_id_of",
]
