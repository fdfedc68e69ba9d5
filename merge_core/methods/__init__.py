"""Merge methods: importing this package registers every method in ``METHODS``."""

from mixmerge.merge_core.methods import (  # noqa: F401  (each module registers its methods on import)
    breadcrumbs,
    consensus,
    dare,
    della,
    iso,
    linear,
    model_stock,
    slerp,
    task_arithmetic,
    ties,
    tsv,
)
from mixmerge.merge_core.methods._registry import (  # noqa: F401
    METHODS,
    MergeMethod,
    MethodParams,
    TensorInfo,
    get_method,
    parse_params,
    register,
)
