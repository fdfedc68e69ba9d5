"""DELLA: drop entries at random with a keep probability that grows with the entry's magnitude rank."""

from __future__ import annotations

from mixmerge.merge_core.methods._registry import register
from mixmerge.merge_core.methods._sparsify import (
    ConsensusParams,
    DellaKey,
    EpsilonParams,
    GeneralizedTaskArithmetic,
)


class DellaLinearParams(EpsilonParams):
    rescale: bool = True


class DellaParams(DellaLinearParams, ConsensusParams):
    normalize: bool = True


_FORMULA = """``p = density - epsilon + 2 epsilon rank / (c - 1)`` with ``rank`` the ``|delta_i|`` rank within its
row of ``c`` entries (dim 1; a vector is one row); ``t_i = delta_i * [l_i < P]`` with ``l_i`` one draw of 2**16
levels per entry (as DARE's) and ``P = ceil((density - epsilon) 2**16) + floor(rank * step)``, ``step = 2
epsilon 2**16 / (c - 1)`` in float32: ``p`` in levels, its two parts rounded to whole levels. Times
``|delta_i|_1 / |t_i|_1`` when ``rescale`` (mergekit's L1 rescale, not the paper's ``1 / p``). Density 1 keeps
everything whatever epsilon (as mergekit).

The test is computed as ``l_i - floor(rank * step) < ceil((density - epsilon) 2**16)`` so that a resident
study with epsilon fixed stores the left side (and looks the trimmed norms up by it); with epsilon searched
it stores level and rank packed in one int32. Differences from mergekit 0.1.5: its draws come from torch's global
generator; epsilon may reach the ends (``density +- epsilon`` in [0, 1], mergekit demands the open interval);
a row of one entry gets ``p = density`` where mergekit divides 0 by 0; rows longer than 2**16 have their
ranks scaled to 16 bits."""


@register
class Della(DellaKey, GeneralizedTaskArithmetic):
    __doc__ = _FORMULA + """

    Then TIES (mergekit's ``della``): ``s = sign(sum_i w_i t_i)``,
    ``merged = base + lambda * sum_i w_i t_i [sign(w_i t_i) = s] / sum_i w_i [sign(w_i t_i) = s]``
    (the division only with ``normalize``). Defaults as mergekit: density 1, epsilon 0.15, normalize true,
    rescale true, lambda 1.
    """

    name = "della"
    Params = DellaParams
    consensus = True
    trim_knobs = frozenset({"density", "epsilon"})
    searchable = frozenset({"density", "epsilon", "lambda"})


@register
class DellaLinear(DellaKey, GeneralizedTaskArithmetic):
    __doc__ = _FORMULA + """

    ``merged = base + lambda * sum_i w_i t_i`` (divided by ``sum_i w_i`` when ``normalize``).
    Defaults as mergekit: density 1, epsilon 0.15, normalize false, rescale true, lambda 1.
    """

    name = "della_linear"
    Params = DellaLinearParams
    trim_knobs = frozenset({"density", "epsilon"})
    searchable = frozenset({"density", "epsilon", "lambda"})
