"""Model Breadcrumbs: drop each task vector's largest outliers and its smallest entries."""

from __future__ import annotations

from mixmerge.merge_core.methods._registry import register
from mixmerge.merge_core.methods._sparsify import (
    ConsensusParams,
    GammaParams,
    GeneralizedTaskArithmetic,
    MagnitudeRankKey,
    outlier_bounds,
)


class BreadcrumbsTiesParams(GammaParams, ConsensusParams):
    pass


_FORMULA = """``t_i = delta_i`` restricted to the entries whose ascending ``|delta_i|`` rank ``r`` satisfies
``n_bot <= r < n_bot + keep`` with ``keep = max(1, int(density n))``, ``n_top = int(gamma n)``,
``n_bot = max(0, n - keep - n_top)`` (the ``n_top`` largest are outliers), L1-rescaled if ``rescale``.

Differs from mergekit 0.1.5 in one case: where ``density * n < 1`` mergekit keeps no entry and zeroes the
tensor's task vector (a small norm vector, say); here a positive density keeps at least one entry, as
mergekit's own TIES trimming does. (The older mergekit bug that zeroed a tensor when ``int(gamma n) == 0``
is fixed in 0.1.5; nothing differs there.)"""


@register
class Breadcrumbs(MagnitudeRankKey, GeneralizedTaskArithmetic):
    __doc__ = _FORMULA + """

    ``merged = base + lambda * sum_i w_i t_i`` (divided by ``sum_i w_i`` when ``normalize``).
    Defaults as mergekit: density 1, gamma 0.01, normalize false, rescale false, lambda 1.
    """

    name = "breadcrumbs"
    Params = GammaParams
    trim_knobs = frozenset({"density", "gamma"})
    searchable = frozenset({"density", "gamma", "lambda"})

    def bounds(self, numel: int, params: GammaParams):
        return outlier_bounds(numel, params.density, params.gamma)


@register
class BreadcrumbsTies(MagnitudeRankKey, GeneralizedTaskArithmetic):
    __doc__ = _FORMULA + """

    Then TIES: ``s = sign(sum_i w_i t_i)``, ``merged = base + lambda * sum_i w_i t_i [sign(w_i t_i) = s]``,
    divided by ``sum_i w_i [sign(w_i t_i) = s]`` when ``normalize``. Defaults as mergekit: density 1,
    gamma 0.01, normalize false, rescale false, lambda 1.
    """

    name = "breadcrumbs_ties"
    Params = BreadcrumbsTiesParams
    consensus = True
    trim_knobs = frozenset({"density", "gamma"})
    searchable = frozenset({"density", "gamma", "lambda"})

    def bounds(self, numel: int, params: BreadcrumbsTiesParams):
        return outlier_bounds(numel, params.density, params.gamma)
