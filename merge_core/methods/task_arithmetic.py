"""Task arithmetic: add a weighted sum of task vectors to the base."""

from __future__ import annotations

from mixmerge.merge_core.methods._registry import register
from mixmerge.merge_core.methods._sparsify import GeneralizedTaskArithmetic, TaskArithmeticParams


@register
class TaskArithmetic(GeneralizedTaskArithmetic):
    """``merged = base + lambda * sum_i w_i delta_i``, divided by ``sum_i w_i`` when ``normalize``.

    As in mergekit, a divisor with ``|sum_i w_i| < 1e-8`` is replaced by 1. Defaults: normalize false,
    lambda 1.
    """

    name = "task_arithmetic"
    Params = TaskArithmeticParams
