"""Isotropic merging (Marczak et al. 2025, "No Task Left Behind: Isotropic Model Merging with Common and
Task-Specific Subspaces", arXiv 2502.04959), following the authors' public code.

Iso-C flattens the spectrum of the summed task vectors: every singular direction of ``sum_i w_i tau_i``
gets the mean singular value, so that directions that matter to few tasks (small singular values) are not
drowned by the dominant common ones. Iso-CTS keeps the top directions of the sum as a common subspace and
fills the rest of the rank with each task's own directions orthogonal to it, then flattens the same way.

The weights enter before the SVD, so every candidate needs its own decompositions: ``prepare`` only
classifies the tensor and keeps the task vectors; ``combine`` does the SVDs (float32) and writes the result.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch
from mixmerge.merge_core._kernels import weighted_sum_into
from mixmerge.merge_core.methods._registry import MergeMethod, MethodParams, TensorInfo, register
from mixmerge.merge_core.methods._subspace import average_coefficients, check_lengths, polar_factor, uses_svd
from pydantic import Field

Tensor = torch.Tensor


class IsoCParams(MethodParams):
    """``alpha``: scale of the merged delta; ``svd_embeddings``: also flatten the embedding / output-head
    matrices (default: they take the weighted average, like 1-D tensors)."""

    alpha: float = Field(default=1.0, gt=0.0)
    svd_embeddings: bool = False


class IsoCtsParams(IsoCParams):
    """``common_space_fraction``: share of ``min(m, n)`` given to the common subspace (0.8 in the paper)."""

    common_space_fraction: float = Field(default=0.8, ge=0.0, le=1.0)


def weighted_sum(deltas: Sequence[Tensor], weights: Sequence[float]) -> Tensor:
    """``sum_i w_i tau_i`` in float32, in expert order."""
    total = torch.zeros_like(deltas[0], dtype=torch.float32)
    for w, d in zip(weights, deltas, strict=True):
        if float(w) != 0.0:
            total.add_(d, alpha=float(w))
    return total


def iso_c_delta(deltas: Sequence[Tensor], weights: Sequence[float]) -> Tensor:
    """``mean(S) * U V^T`` for ``U S V^T = sum_i w_i tau_i``: all singular values replaced by their mean."""
    u, s, vh = torch.linalg.svd(weighted_sum(deltas, weights), full_matrices=False)
    return s.mean() * (u @ vh)


def subspace_sizes(rank: int, n_tasks: int, fraction: float) -> tuple[int, int]:
    """(common size, directions per task), as the public code: the task-specific part divides evenly.

    ``per_task = round((r - floor(r * fraction)) / T)``, capped at ``r // T`` (the public code could go past
    ``r`` there), and the common subspace takes the remaining ``r - T * per_task`` directions.
    """
    common = int(rank * fraction)
    per_task = min(round((rank - common) / n_tasks), rank // n_tasks)
    return rank - per_task * n_tasks, per_task


def iso_cts_delta(deltas: Sequence[Tensor], weights: Sequence[float], fraction: float) -> Tensor:
    """Iso-CTS of the weighted task vectors ``w_i tau_i`` (experts with weight 0 take no part)."""
    tasks = [float(w) * d for w, d in zip(weights, deltas, strict=True) if float(w) != 0.0]
    if not tasks:
        return torch.zeros_like(deltas[0], dtype=torch.float32)
    rank = min(tasks[0].shape)
    common, per_task = subspace_sizes(rank, len(tasks), fraction)
    u, s, vh = torch.linalg.svd(weighted_sum(tasks, [1.0] * len(tasks)), full_matrices=False)
    u_common = u[:, :common]
    us, sigmas, vhs = [], [], []
    if per_task > 0:
        for task in tasks:
            specific = task - u_common @ (u_common.T @ task)
            u_t, s_t, vh_t = torch.linalg.svd(specific, full_matrices=False)
            us.append(u_t[:, :per_task])
            sigmas.append(s_t[:per_task])
            vhs.append(vh_t[:per_task])
    us.append(u_common)
    sigmas.append(s[:common])
    vhs.append(vh[:common])
    mean_sigma = torch.cat(sigmas).mean()
    return mean_sigma * (polar_factor(torch.cat(us, dim=1)) @ polar_factor(torch.cat(vhs, dim=0)))


@dataclass
class _IsoState:
    deltas: Sequence[Tensor]
    decomposed: bool


class _IsotropicMethod(MergeMethod):
    """Shared plumbing: fallback average for non-matrices, SVD work per candidate for matrices."""

    searchable = frozenset({"alpha"})
    resident_batched = False  # an SVD per candidate and tensor: recording the calls would not skip it

    def _delta(self, deltas: Sequence[Tensor], weights: Sequence[float], params: IsoCParams) -> Tensor:
        raise NotImplementedError

    def merge(self, base: Tensor, deltas: Sequence[Tensor], weights: Sequence[float], params: IsoCParams,
              info: TensorInfo) -> Tensor:
        check_lengths(self.name, deltas, weights)
        if not uses_svd(base, info.name, params.svd_embeddings):
            coeffs = average_coefficients(weights, params.alpha)
            return base + sum(c * d for c, d in zip(coeffs, deltas, strict=True))
        return base + params.alpha * self._delta(deltas, weights, params)

    def prepare(self, base: Tensor, deltas: Sequence[Tensor], params: IsoCParams, searched: frozenset[str],
                info: TensorInfo) -> _IsoState:
        check_lengths(self.name, deltas)
        return _IsoState(deltas=deltas, decomposed=uses_svd(base, info.name, params.svd_embeddings))

    def combine(self, state: _IsoState, base: Tensor, weights: Sequence[float], params: IsoCParams,
                out: Tensor) -> None:
        check_lengths(self.name, state.deltas, weights)
        if not state.decomposed:
            weighted_sum_into(out, base, state.deltas, average_coefficients(weights, params.alpha))
            return
        weighted_sum_into(out, base, [self._delta(state.deltas, weights, params)], [params.alpha])


@register
class IsoC(_IsotropicMethod):
    """``merged = base + alpha * mean(S) U V^T`` where ``U S V^T = sum_i w_i tau_i`` (each 2-D matrix).

    1-D tensors and, by default, embedding / output-head matrices: ``base + alpha * sum_i w_i tau_i / T``
    (the public code's mean at unit weights).
    """

    name = "iso_c"
    Params = IsoCParams

    def _delta(self, deltas: Sequence[Tensor], weights: Sequence[float], params: IsoCParams) -> Tensor:
        return iso_c_delta(deltas, weights)


@register
class IsoCts(_IsotropicMethod):
    """``merged = base + alpha * mean(s) U_perp V_perp^T`` (each 2-D matrix), with, for ``t_i = w_i tau_i``
    over the experts of non-zero weight (T of them) and ``r = min(m, n)``:

    * common subspace: the top ``c`` singular triplets ``(U_c, s_c, V_c)`` of ``sum_i t_i``;
    * task-specific: the top ``d`` triplets of each ``t_i - U_c U_c^T t_i``; ``c + T d = r``
      (``d = round((r - floor(r * common_space_fraction)) / T)``, at most ``r // T``);
    * ``U_perp = P Q^T`` from the SVD of ``[U_1,d ... U_T,d  U_c]`` (same for the V's), ``mean(s)`` is the mean
      of all r kept singular values.

    A zero-weight expert is left out (it has no directions of its own; kept, its arbitrary null directions
    would get the mean singular value). Other tensors: ``base + alpha * sum_i w_i tau_i / T`` (all experts).
    """

    name = "iso_cts"
    Params = IsoCtsParams

    def _delta(self, deltas: Sequence[Tensor], weights: Sequence[float], params: IsoCtsParams) -> Tensor:
        return iso_cts_delta(deltas, weights, params.common_space_fraction)
