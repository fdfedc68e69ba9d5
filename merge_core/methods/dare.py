"""DARE: drop random entries of each task vector, rescale, then sum (linear) or sign-elect (TIES)."""

from __future__ import annotations

from mixmerge.merge_core.methods._registry import register
from mixmerge.merge_core.methods._sparsify import (
    ConsensusParams,
    DensityParams,
    GeneralizedTaskArithmetic,
    UniformKey,
)


class DareParams(DensityParams):
    rescale: bool = True


class DareTiesParams(DareParams, ConsensusParams):
    pass


_FORMULA = """``t_i = delta_i * [l_i < ceil(density 2**16)]`` with ``l_i = floor(2**16 u_i)`` one draw of 2**16
levels per entry (``u_i`` from ``TensorInfo.uniform``: stable per seed, tensor and expert), so an entry is kept
with probability ``density`` rounded up to a multiple of 2**-16 (a density within 2**-16 of 1 keeps
everything); times ``|delta_i|_1 / |t_i|_1`` when ``rescale`` (mergekit's L1 rescale, not the paper's
``1 / density``; skipped when a norm is < 1e-7). Levels rather than float draws: a study with the density
searched looks each trimmed norm up (``KeptL1``, a table of 2**16 sums per tensor and expert) instead of
reading the model once more to sum them before it can write the merge."""


@register
class DareLinear(UniformKey, GeneralizedTaskArithmetic):
    __doc__ = _FORMULA + """

    ``merged = base + lambda * sum_i w_i t_i`` (divided by ``sum_i w_i`` when ``normalize``).
    Defaults as mergekit: density 1, rescale true, normalize false, lambda 1. The draws are not mergekit's
    (it uses torch's global generator), so only density 1 reproduces mergekit bit for bit.
    """

    name = "dare_linear"
    Params = DareParams
    trim_knobs = frozenset({"density"})
    searchable = frozenset({"density", "lambda"})


@register
class DareTies(UniformKey, GeneralizedTaskArithmetic):
    __doc__ = _FORMULA + """

    Then TIES: ``s = sign(sum_i w_i t_i)``, ``merged = base + lambda * sum_i w_i t_i [sign(w_i t_i) = s]``,
    divided by ``sum_i w_i [sign(w_i t_i) = s]`` when ``normalize``. Defaults as mergekit: density 1,
    rescale true, normalize false, lambda 1.
    """

    name = "dare_ties"
    Params = DareTiesParams
    consensus = True
    trim_knobs = frozenset({"density"})
    searchable = frozenset({"density", "lambda"})
