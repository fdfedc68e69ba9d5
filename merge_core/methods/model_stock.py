"""Model Stock (Jang et al. 2024, arXiv 2403.19522), computed as mergekit 0.1.5 computes it.

The experts' task vectors are averaged and the average is pulled back towards the base by a ratio that
depends only on the angle between the task vectors: near-orthogonal updates (noise around a shared
direction) are shrunk, agreeing ones kept. The coefficients of a candidate play no part.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch
from mixmerge.merge_core._kernels import weighted_sum_into
from mixmerge.merge_core.methods._registry import MergeMethod, MethodParams, TensorInfo, register
from mixmerge.merge_core.methods._subspace import check_lengths

Tensor = torch.Tensor


class ModelStockParams(MethodParams):
    """``filter_wise``: one ratio per row of the last dimension (per output filter) instead of per tensor."""

    filter_wise: bool = False


def interpolation_ratio(deltas: Sequence[Tensor], filter_wise: bool) -> Tensor:
    """mergekit's ratio ``t``: shape ``[]`` per tensor, or ``[..., 1]`` per filter (1-D tensors: one ratio)."""
    shape = deltas[0].shape
    if filter_wise:
        flat = [d.unsqueeze(0) if d.dim() == 1 else d for d in deltas]
    else:
        flat = [d.reshape(-1) for d in deltas]
    cosines = []
    for i, a in enumerate(flat):
        for b in flat[i + 1:]:
            norm_product = torch.linalg.vector_norm(a, dim=-1) * torch.linalg.vector_norm(b, dim=-1)
            cosines.append(((a * b).sum(dim=-1) / norm_product.clamp(min=1e-6)).clamp(-1, 1))
    cos = torch.stack(cosines).mean(dim=0).unsqueeze(-1)
    n = len(deltas)
    denominator = 1 + (n - 1) * cos
    singular = denominator.abs() < 1e-6  # no finite estimate: keep the base for that filter (as mergekit)
    safe = torch.where(singular, torch.ones_like(denominator), denominator)
    t = torch.where(singular, torch.zeros_like(cos), n * cos / safe)
    if not filter_wise:
        return t.reshape(())
    return t if len(shape) != 1 else t.reshape(1)


@dataclass
class _ModelStockState:
    deltas: Sequence[Tensor]
    ratio: Tensor | None  # per-tensor ratio (a scalar tensor) when the merge is a weighted sum of the deltas
    merged_delta: Tensor | None  # filter-wise: ``t * mean_i delta_i``, ready to add


@register
class ModelStock(MergeMethod):
    """``merged = base + t * mean_i delta_i`` with ``t = N cos / (1 + (N - 1) cos)``.

    ``cos`` is the mean over expert pairs ``i < j`` of ``<delta_i, delta_j> / max(|delta_i| |delta_j|, 1e-6)``,
    each clamped to [-1, 1], over the whole flattened tensor, or per row of the last dimension with
    ``filter_wise`` (a 1-D tensor is one row). Where ``|1 + (N - 1) cos| < 1e-6``, ``t = 0``. Weights are
    ignored. This is mergekit 0.1.5's ``t * mean_i w_i + (1 - t) * w_0`` rewritten on task vectors.
    """

    name = "model_stock"
    Params = ModelStockParams
    min_experts = 2
    uses_weights = False

    def merge(self, base: Tensor, deltas: Sequence[Tensor], weights: Sequence[float], params: ModelStockParams,
              info: TensorInfo) -> Tensor:
        check_lengths(self.name, deltas)
        t = interpolation_ratio(deltas, params.filter_wise)
        mean = torch.stack(list(deltas)).mean(dim=0)
        return base + t * mean

    def prepare(self, base: Tensor, deltas: Sequence[Tensor], params: ModelStockParams, searched: frozenset[str],
                info: TensorInfo) -> _ModelStockState:
        check_lengths(self.name, deltas)
        self.check(len(deltas), params)
        t = interpolation_ratio(deltas, params.filter_wise)
        if t.numel() == 1:
            return _ModelStockState(deltas=deltas, ratio=t, merged_delta=None)
        merged = torch.stack(list(deltas)).mean(dim=0).mul_(t)
        return _ModelStockState(deltas=deltas, ratio=None, merged_delta=merged)

    def combine(self, state: _ModelStockState, base: Tensor, weights: Sequence[float], params: ModelStockParams,
                out: Tensor) -> None:
        if state.merged_delta is not None:
            weighted_sum_into(out, base, [state.merged_delta], [1.0])
            return
        n = len(state.deltas)
        coefficient = float(state.ratio) / n
        weighted_sum_into(out, base, state.deltas, [coefficient] * n)
