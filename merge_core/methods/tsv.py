"""Task Singular Vectors merging, TSV-M (Gargiulo et al., CVPR 2025, "Task Singular Vectors: Reducing Task
Interference in Model Merging"), with two optional extensions of our own.

Each expert keeps its top singular directions of each weight matrix; the experts' directions are then
decorrelated together (the polar factor of the stacked singular vectors) so that one expert's update no
longer leaks into another's subspace. All SVDs happen once per study: ``prepare`` stores, per expert, its
decorrelated component ``U_perp[:, block_i] diag(sigma_i) V_perp[block_i, :]^T`` as a full matrix, so the
merge is linear in the weights and a candidate is one weighted sum of precomputed tensors (T extra
tensors per matrix; the floor of memory traffic per candidate, instead of a matmul per candidate).

The two options, ``outlier_weighting`` and ``adaptive_rank``, are this project's own reading of the ideas
that "Mix Data or Merge Models?" (arXiv 2502.06876) names for its R-TSVM/RESM ("outlier-aware weighting",
"sparsity-aware rank selection"); that paper does not give its formulas, and these are NOT its method:

* ``outlier_weighting``: before the SVD, each entry of a task matrix gets the Huber weight
  ``min(1, c / |x - med|)`` with ``c = outlier_z * 1.4826 * MAD`` (median absolute deviation of that
  matrix; 1.4826 makes it a standard deviation for Gaussian entries), i.e. the entry is clamped to
  ``med +- c``. Why: a handful of very large entries (massive-activation channels, optimizer spikes) can
  dominate a task's top singular directions, and then they, not the bulk of the update, take the task's
  share of the rank budget and of the shared subspace. A matrix with MAD = 0 (most entries equal its
  median, e.g. a row-sparse update) has no robust spread to measure outliers against and is left as is.
* ``adaptive_rank``: each task keeps ``k_i = min(share, k_energy_i)`` directions, where ``k_energy_i`` is
  the smallest ``k`` whose singular values carry an ``energy`` fraction of ``sum sigma^2``. Why: a task
  whose update is concentrated in few directions should not spend its share on its noise tail, which only
  adds near-random directions to the joint orthogonalisation. It never exceeds the fixed share, so the
  stacked singular vectors still fit in ``rank_fraction * min(m, n)`` columns.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import torch
from mixmerge.merge_core._kernels import weighted_sum_into
from mixmerge.merge_core.methods._registry import MergeMethod, MethodParams, TensorInfo, register
from mixmerge.merge_core.methods._subspace import average_coefficients, check_lengths, polar_factor, uses_svd
from pydantic import Field

Tensor = torch.Tensor

#: 1.4826 * MAD estimates the standard deviation of Gaussian data
_MAD_TO_SIGMA = 1.4826


class TsvParams(MethodParams):
    """Knobs of ``tsv_m``; only ``alpha`` may be searched (the others change the decomposition)."""

    alpha: float = Field(default=1.0, gt=0.0)
    #: share of ``min(m, n)`` split evenly over the T experts: each keeps ``floor(rank_fraction * min(m, n) / T)``
    rank_fraction: float = Field(default=1.0, gt=0.0, le=1.0)
    outlier_weighting: bool = False
    #: Huber clamp at ``outlier_z`` robust standard deviations from the median (with ``outlier_weighting``)
    outlier_z: float = Field(default=3.0, gt=0.0)
    adaptive_rank: bool = False
    #: fraction of a task's singular-value energy to keep (with ``adaptive_rank``)
    energy: float = Field(default=0.9, gt=0.0, le=1.0)
    #: also decompose embedding / output-head matrices (default: they take the weighted average)
    svd_embeddings: bool = False


def huber_clip(tau: Tensor, z: float) -> Tensor:
    """Entries clamped to ``median +- z * 1.4826 * MAD`` (unchanged when the MAD is 0)."""
    med = tau.median()
    scale = _MAD_TO_SIGMA * float((tau - med).abs().median())
    if scale == 0.0:
        return tau
    bound = z * scale
    return med + (tau - med).clamp(-bound, bound)


def numerical_rank(s: Tensor, shape: torch.Size) -> int:
    """Singular values above ``max(m, n) * eps * sigma_max`` (``torch.linalg.matrix_rank``'s tolerance)."""
    if s.numel() == 0 or float(s[0]) == 0.0:
        return 0
    tol = max(shape) * torch.finfo(torch.float32).eps * float(s[0])
    return int((s > tol).sum())


def energy_rank(s: Tensor, energy: float) -> int:
    """Smallest ``k`` with ``sum_{j<k} sigma_j^2 >= energy * sum_j sigma_j^2`` (0 for a zero spectrum)."""
    sq = s.double() ** 2
    cumulative = torch.cumsum(sq, dim=0)
    if cumulative.numel() == 0 or float(cumulative[-1]) == 0.0:
        return 0
    fraction = cumulative / cumulative[-1]
    return min(int((fraction < energy).sum()) + 1, s.numel())


def task_rank(s: Tensor, shape: torch.Size, n_tasks: int, params: TsvParams) -> int:
    """How many singular triplets one task keeps: its share, capped by its numerical (and energy) rank."""
    share = max(1, math.floor(params.rank_fraction * min(shape) / n_tasks + 1e-9))
    k = min(share, numerical_rank(s, shape))
    if params.adaptive_rank:
        k = min(k, energy_rank(s, params.energy))
    return k


@dataclass
class Subspaces:
    """The decorrelated singular vectors of all tasks: ``u_perp`` ``[m, K]``, ``vh_perp`` ``[K, n]``, and each
    task's singular values (``sigmas[i]`` fills the next ``len(sigmas[i])`` of the K columns)."""

    u_perp: Tensor
    vh_perp: Tensor
    sigmas: list[Tensor]


def task_subspaces(deltas: Sequence[Tensor], params: TsvParams) -> Subspaces:
    """SVD per task (after the optional Huber clamp), truncation, then the polar factors of the stacks."""
    us, sigmas, vhs = [], [], []
    for delta in deltas:
        matrix = delta.float()
        if params.outlier_weighting:
            matrix = huber_clip(matrix, params.outlier_z)
        u, s, vh = torch.linalg.svd(matrix, full_matrices=False)
        k = task_rank(s, matrix.shape, len(deltas), params)
        us.append(u[:, :k])
        sigmas.append(s[:k])
        vhs.append(vh[:k])
    if sum(s.numel() for s in sigmas) == 0:  # every task vector is zero here
        m, n = deltas[0].shape
        zero = deltas[0].new_zeros
        return Subspaces(u_perp=zero((m, 0)), vh_perp=zero((0, n)), sigmas=sigmas)
    return Subspaces(u_perp=polar_factor(torch.cat(us, dim=1)), vh_perp=polar_factor(torch.cat(vhs, dim=0)),
                     sigmas=sigmas)


def task_components(sub: Subspaces) -> list[Tensor]:
    """``C_i = U_perp[:, block_i] diag(sigma_i) V_perp[block_i, :]``, so that the merge is ``sum_i w_i C_i``."""
    components, start = [], 0
    for s in sub.sigmas:
        stop = start + s.numel()
        components.append((sub.u_perp[:, start:stop] * s) @ sub.vh_perp[start:stop])
        start = stop
    return components


@dataclass
class _TsvState:
    terms: list[Tensor]  # per-task components (matrices) or the task vectors themselves (fallback)
    decomposed: bool


@register
class TsvM(MergeMethod):
    """``merged = base + alpha * U_perp diag(w_1 sigma_1, ..., w_T sigma_T) V_perp^T`` for each 2-D matrix.

    ``tau_i = U_i S_i V_i^T``; task i keeps its top ``k_i = floor(rank_fraction * min(m, n) / T)`` triplets
    (at least 1, at most its numerical rank; see ``adaptive_rank``); ``U = [U_1,k_1 ... U_T,k_T]``,
    ``U_perp = P Q^T`` from ``U = P S Q^T`` (same for the stacked ``V``). 1-D tensors and, by default, the
    embedding / output-head matrices take ``base + alpha * sum_i w_i tau_i / T`` (the public code's mean at
    unit weights). One task at full rank returns ``base + alpha * w * tau``.
    """

    name = "tsv_m"
    Params = TsvParams
    searchable = frozenset({"alpha"})

    def merge(self, base: Tensor, deltas: Sequence[Tensor], weights: Sequence[float], params: TsvParams,
              info: TensorInfo) -> Tensor:
        check_lengths(self.name, deltas, weights)
        if not uses_svd(base, info.name, params.svd_embeddings):
            coeffs = average_coefficients(weights, params.alpha)
            return base + sum(c * d for c, d in zip(coeffs, deltas, strict=True))
        sub = task_subspaces(deltas, params)
        scaled = torch.cat([float(w) * s for w, s in zip(weights, sub.sigmas, strict=True)])
        return base + params.alpha * ((sub.u_perp * scaled) @ sub.vh_perp)

    def prepare(self, base: Tensor, deltas: Sequence[Tensor], params: TsvParams, searched: frozenset[str],
                info: TensorInfo) -> _TsvState:
        check_lengths(self.name, deltas)
        if not uses_svd(base, info.name, params.svd_embeddings):
            return _TsvState(terms=list(deltas), decomposed=False)
        return _TsvState(terms=task_components(task_subspaces(deltas, params)), decomposed=True)

    def combine(self, state: _TsvState, base: Tensor, weights: Sequence[float], params: TsvParams,
                out: Tensor) -> None:
        check_lengths(self.name, state.terms, weights)
        if state.decomposed:
            coeffs = [params.alpha * float(w) for w in weights]
        else:
            coeffs = average_coefficients(weights, params.alpha)
        weighted_sum_into(out, base, state.terms, coeffs)
