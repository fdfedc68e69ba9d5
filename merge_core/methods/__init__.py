"""Merge methods: importing this package registers every method in ``METHODS``."""

# Each module registers its methods on import; keep this list in step with the files in this folder.
import importlib as _importlib

from mixmerge.merge_core.methods._registry import (  # noqa: F401
    METHODS,
    MergeMethod,
    MethodParams,
    TensorInfo,
    get_method,
    parse_params,
    register,
)

for _module in (
    "linear", "task_arithmetic", "ties", "dare", "breadcrumbs", "della",
    "model_stock", "slerp", "consensus", "tsv", "iso",
):
    try:
        _importlib.import_module(f"mixmerge.merge_core.methods.{_module}")
    except ModuleNotFoundError as _err:  # a method module not written yet
        if _err.name != f"mixmerge.merge_core.methods.{_module}":
            raise
