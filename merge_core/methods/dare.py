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


_FORMULA = """``t_i = delta_i * [u_i < density]`` with ``u_i`` one uniform draw per entry from
``TensorInfo.uniform`` (stable per seed, tensor and expert), times ``|delta_i|_1 / |delta_i [u_i < density]|_1``
when ``rescale`` (mergekit's L1 rescale, not the paper's ``1 / density``; skipped when a norm is < 1e-7)."""


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
