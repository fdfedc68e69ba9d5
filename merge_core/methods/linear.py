"""Linear merge (model soup): a weighted average of the experts themselves."""

from __future__ import annotations

from collections.abc import Sequence

import torch
from mixmerge.merge_core._kernels import weighted_sum_into
from mixmerge.merge_core.methods._registry import MergeMethod, MethodParams, TensorInfo, register
from mixmerge.merge_core.methods._sparsify import float32_sum

Tensor = torch.Tensor


class LinearParams(MethodParams):
    """``normalize`` (default true) divides by the summed weights, as mergekit does."""

    normalize: bool = True


def _coefficients(weights: Sequence[float], normalize: bool, name: str) -> tuple[float, list[float]]:
    """Coefficients of ``base`` and of each delta: ``sum_i w_i x_i = (sum w) base + sum_i w_i delta_i``."""
    total = float32_sum(tuple(float(w) for w in weights))
    if not normalize:
        return total, [float(w) for w in weights]
    if total == 0.0:
        # mergekit divides by zero here and writes NaN/inf weights
        raise ValueError(f"linear merge of tensor {name!r}: the weights sum to 0, so they cannot be normalised; "
                         "give weights with a non-zero sum or set normalize: false")
    return 1.0, [float(w) / total for w in weights]


@register
class Linear(MergeMethod):
    """``merged = sum_i w_i x_i / sum_i w_i`` (without ``normalize``: ``sum_i w_i x_i``), ``x_i = base + delta_i``.

    The base is not one of the averaged models (as in a mergekit recipe that lists only the experts); it
    only serves to rebuild the experts from their deltas. Differs from mergekit only where the weights sum
    to 0 with ``normalize``: a clear error instead of NaN weights.
    """

    name = "linear"
    Params = LinearParams

    def _check(self, base: Tensor, deltas: Sequence[Tensor], weights: Sequence[float] | None,
               info: TensorInfo) -> None:
        self.check(len(deltas), MethodParams())
        if weights is not None and len(weights) != len(deltas):
            raise ValueError(f"tensor {info.name!r}: {len(weights)} weights for {len(deltas)} experts")
        for i, d in enumerate(deltas):
            if d.shape != base.shape:
                raise ValueError(f"tensor {info.name!r}: delta {i} has shape {tuple(d.shape)}, base has "
                                 f"{tuple(base.shape)}")

    def merge(self, base: Tensor, deltas: Sequence[Tensor], weights: Sequence[float], params: LinearParams,
              info: TensorInfo) -> Tensor:
        self._check(base, deltas, weights, info)
        total = torch.tensor([float(w) for w in weights], dtype=torch.float32).sum()
        if params.normalize and float(total) == 0.0:
            _coefficients(weights, True, info.name)  # raises the explanatory error
        result = torch.zeros(base.shape, dtype=torch.float32, device=base.device)
        for d, w in zip(deltas, weights, strict=True):
            result.add_((base.float() + d.float()) * float(w))
        if params.normalize:
            result.div_(total)
        return result

    def prepare(self, base: Tensor, deltas: Sequence[Tensor], params: LinearParams, searched: frozenset[str],
                info: TensorInfo) -> tuple[str, list[Tensor]]:
        self._check(base, deltas, None, info)
        if searched:
            raise ValueError(f"merge method 'linear' has no searchable parameters besides the weights; got "
                             f"{sorted(searched)}")
        return info.name, [d.float() for d in deltas]

    def combine(self, state: tuple[str, list[Tensor]], base: Tensor, weights: Sequence[float],
                params: LinearParams, out: Tensor) -> None:
        name, deltas = state
        if len(weights) != len(deltas):
            raise ValueError(f"tensor {name!r}: {len(weights)} weights for {len(deltas)} experts")
        base_coeff, coeffs = _coefficients(weights, params.normalize, name)
        if base_coeff == 1.0:
            weighted_sum_into(out, base, deltas, coeffs)
        else:
            weighted_sum_into(out, None, [base, *deltas], [base_coeff, *coeffs])
