"""TIES: trim each task vector to its largest entries, elect a sign per entry, merge the agreeing ones."""

from __future__ import annotations

from mixmerge.merge_core.methods._registry import register
from mixmerge.merge_core.methods._sparsify import (
    ConsensusParams,
    DensityParams,
    GeneralizedTaskArithmetic,
    MagnitudeRankKey,
    top_k_bounds,
)


class TiesParams(DensityParams, ConsensusParams):
    normalize: bool = True


@register
class Ties(MagnitudeRankKey, GeneralizedTaskArithmetic):
    """``t_i = top_k(delta_i)`` (the ``max(1, int(density n))`` largest ``|delta_i|``, L1-rescaled if ``rescale``),
    ``s = sign(sum_i w_i t_i)`` (0 counts as +), ``agree_i = sign(w_i t_i) == s``,
    ``merged = base + lambda * sum_i w_i t_i agree_i / sum_i w_i agree_i`` (the division only with
    ``normalize``; a zero divisor becomes 1).

    Defaults as mergekit: density 1, normalize true, rescale false, lambda 1. Ties in magnitude at the
    threshold are kept by flat index order (mergekit: arbitrary).
    """

    name = "ties"
    Params = TiesParams
    consensus = True
    trim_knobs = frozenset({"density"})
    searchable = frozenset({"density", "lambda"})

    def bounds(self, numel: int, params: TiesParams):
        return top_k_bounds(numel, params.density)
