"""Consensus merging with TALL masks (Wang et al. 2024, "Localizing Task Information for Improved Model
Merging and Compression", arXiv 2405.07813).

A weight entry is kept only where at least ``k`` experts each hold a relevant share of the multi-task
vector there; "selfish" entries (relevant to one expert only) and "catastrophic" ones (to none) are dropped.
The masks depend on the experts only, never on the candidate's coefficients, so they and the masked task
vectors are computed once per study; a candidate is then a weighted sum.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch
from mixmerge.merge_core._kernels import weighted_sum_into
from mixmerge.merge_core.methods._registry import MergeMethod, MethodParams, TensorInfo, register
from mixmerge.merge_core.methods._subspace import check_lengths
from pydantic import Field

Tensor = torch.Tensor


class ConsensusParams(MethodParams):
    """``lambda`` (field ``lam``): TALL-mask threshold, >= 0 (the paper tunes it in 0.2..0.6; 0.5 is the middle);
    ``k``: how many experts' masks must agree (the paper's default 2); ``alpha``: scale of the merged delta."""

    lam: float = Field(default=0.5, ge=0.0, alias="lambda")
    k: int = Field(default=2, ge=1)
    alpha: float = Field(default=1.0, gt=0.0)


def multitask_vector(deltas: Sequence[Tensor]) -> Tensor:
    """``tau_MTL = sum_i tau_i`` (summed in expert order)."""
    mtl = torch.zeros_like(deltas[0])
    for d in deltas:
        mtl.add_(d)
    return mtl


def tall_masks(deltas: Sequence[Tensor], lam: float) -> Tensor:
    """``m_t = |tau_t| >= lam * |tau_MTL - tau_t|``, stacked: bool ``[T, ...]``."""
    mtl = multitask_vector(deltas)
    return torch.stack([d.abs() >= lam * (mtl - d).abs() for d in deltas])


def consensus_mask(deltas: Sequence[Tensor], lam: float, k: int) -> Tensor:
    """Entries where at least ``k`` TALL masks are set (counted one expert at a time, without stacking)."""
    mtl = multitask_vector(deltas)
    votes = torch.zeros(deltas[0].shape, dtype=torch.int32, device=deltas[0].device)
    for d in deltas:
        votes.add_(d.abs() >= lam * (mtl - d).abs())
    return votes >= k


@dataclass
class _ConsensusState:
    masked: list[Tensor]  # tau_i * consensus_mask, float32


@register
class Consensus(MergeMethod):
    """``merged = base + alpha * sum_i w_i tau_i * m_cons``.

    ``tau_MTL = sum_i tau_i`` (unweighted: the masks do not move with the candidate),
    ``m_i = [|tau_i| >= lambda * |tau_MTL - tau_i|]`` (the paper's >=; its public code uses >, which differs
    only where both sides are 0), ``m_cons = [sum_i m_i >= k]``. With unit weights this is the paper's
    consensus task arithmetic ``base + alpha * m_cons * tau_MTL``.
    """

    name = "consensus"
    Params = ConsensusParams
    searchable = frozenset({"alpha"})
    min_experts = 1

    def check(self, n_experts: int, params: ConsensusParams) -> None:
        super().check(n_experts, params)
        if params.k > n_experts:
            raise ValueError(
                f"consensus: k = {params.k} exceeds the number of experts ({n_experts}); no entry could be kept. "
                f"Use k <= {n_experts}"
            )

    def merge(self, base: Tensor, deltas: Sequence[Tensor], weights: Sequence[float], params: ConsensusParams,
              info: TensorInfo) -> Tensor:
        check_lengths(self.name, deltas, weights)
        self.check(len(deltas), params)
        mask = consensus_mask(deltas, params.lam, params.k)
        merged = sum(float(w) * d for w, d in zip(weights, deltas, strict=True))
        return base + params.alpha * merged * mask

    def prepare(self, base: Tensor, deltas: Sequence[Tensor], params: ConsensusParams, searched: frozenset[str],
                info: TensorInfo) -> _ConsensusState:
        check_lengths(self.name, deltas)
        self.check(len(deltas), params)
        mask = consensus_mask(deltas, params.lam, params.k)
        return _ConsensusState(masked=[d * mask for d in deltas])

    def combine(self, state: _ConsensusState, base: Tensor, weights: Sequence[float], params: ConsensusParams,
                out: Tensor) -> None:
        check_lengths(self.name, state.masked, weights)
        weighted_sum_into(out, base, state.masked, [params.alpha * float(w) for w in weights])
