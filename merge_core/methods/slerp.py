"""Spherical linear interpolation between two experts' full weights, as mergekit 0.1.5's ``slerp``.

mergekit interpolates from its ``base_model`` (``t = 0``) to the other model (``t = 1``). Here the two
experts play those roles: expert 0 at ``t = 0``, expert 1 at ``t = 1``; the common base only serves to
rebuild their full weights ``W_i = base + delta_i``. The angle between ``W_0`` and ``W_1`` is fixed per
study, so a candidate (a value of ``t``) is a weighted sum of precomputed tensors.

Coefficients: with ``t`` unset, a weight vector ``(w0, w1)`` (both >= 0, not both 0) gives
``t = w1 / (w0 + w1)``; an explicit ``t`` (fixed or searched) wins and the weights are ignored.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import torch
from mixmerge.merge_core._kernels import weighted_sum_into
from mixmerge.merge_core.methods._registry import MergeMethod, MethodParams, TensorInfo, register
from mixmerge.merge_core.methods._subspace import check_lengths
from pydantic import Field

Tensor = torch.Tensor

#: norms below this count as 1 when normalising (mergekit's ``eps``)
_EPS = 1e-8


class SlerpParams(MethodParams):
    """``t``: interpolation position in [0, 1] (None: taken from the weights); ``dot_threshold``: above this
    ``|cos|`` the two tensors count as colinear and are interpolated linearly (mergekit's default)."""

    t: float | None = Field(default=None, ge=0.0, le=1.0)
    dot_threshold: float = Field(default=0.9995, gt=0.0, le=1.0)


def position(params: SlerpParams, weights: Sequence[float]) -> float:
    """``t`` of one candidate: ``params.t`` when set, else ``w1 / (w0 + w1)``."""
    if params.t is not None:
        return float(params.t)
    if len(weights) != 2:
        raise ValueError(f"slerp needs two weights (w0, w1) when t is not set, got {len(weights)}")
    w0, w1 = float(weights[0]), float(weights[1])
    if w0 < 0 or w1 < 0 or w0 + w1 <= 0 or not math.isfinite(w0 + w1):
        raise ValueError(
            f"slerp weights must be >= 0 and not both 0 to give t = w1 / (w0 + w1), got ({w0}, {w1}); "
            "or set the parameter t"
        )
    return w1 / (w0 + w1)


@dataclass(frozen=True)
class Angle:
    """The geometry of one pair of tensors: ``linear`` when (anti)colinear, else the angle ``theta``."""

    linear: bool
    theta: float

    def coefficients(self, t: float) -> tuple[float, float]:
        """``(c0, c1)`` with ``slerp = c0 * W_0 + c1 * W_1``."""
        if self.linear:
            return 1.0 - t, t
        sin_theta = math.sin(self.theta)
        return math.sin((1.0 - t) * self.theta) / sin_theta, math.sin(t * self.theta) / sin_theta


def angle_between(w0: Tensor, w1: Tensor, dot_threshold: float) -> Angle:
    """Normalised dot product of the flattened tensors (float32, as mergekit), then the angle."""
    a, b = w0.reshape(-1).float(), w1.reshape(-1).float()
    if a.numel() == 0:
        return Angle(linear=True, theta=0.0)
    norm_a = torch.linalg.vector_norm(a)
    norm_b = torch.linalg.vector_norm(b)
    norm_a = torch.where(norm_a > _EPS, norm_a, torch.ones_like(norm_a))
    norm_b = torch.where(norm_b > _EPS, norm_b, torch.ones_like(norm_b))
    dot = float(((a / norm_a) * (b / norm_b)).sum().clamp(-1, 1))
    if abs(dot) > dot_threshold:
        return Angle(linear=True, theta=0.0)
    return Angle(linear=False, theta=math.acos(dot))


@dataclass
class _SlerpState:
    deltas: Sequence[Tensor]
    angle: Angle


@register
class Slerp(MergeMethod):
    """``slerp(t) = sin((1-t) theta) / sin(theta) * W_0 + sin(t theta) / sin(theta) * W_1``.

    ``W_i = base + delta_i`` (the two experts' full weights), ``theta = acos(<W_0/|W_0|, W_1/|W_1|>)`` over the
    flattened tensor; when ``|cos theta| > dot_threshold`` it is ``(1 - t) W_0 + t W_1``. ``t`` is the
    parameter, or ``w1 / (w0 + w1)`` from the weights when the parameter is unset.
    """

    name = "slerp"
    Params = SlerpParams
    searchable = frozenset({"t"})
    min_experts = 2
    max_experts = 2

    def merge(self, base: Tensor, deltas: Sequence[Tensor], weights: Sequence[float], params: SlerpParams,
              info: TensorInfo) -> Tensor:
        check_lengths(self.name, deltas)
        self.check(len(deltas), params)
        w0, w1 = base + deltas[0], base + deltas[1]
        c0, c1 = angle_between(w0, w1, params.dot_threshold).coefficients(position(params, weights))
        return c0 * w0 + c1 * w1

    def prepare(self, base: Tensor, deltas: Sequence[Tensor], params: SlerpParams, searched: frozenset[str],
                info: TensorInfo) -> _SlerpState:
        check_lengths(self.name, deltas)
        self.check(len(deltas), params)
        angle = angle_between(base + deltas[0], base + deltas[1], params.dot_threshold)
        return _SlerpState(deltas=deltas, angle=angle)

    def combine(self, state: _SlerpState, base: Tensor, weights: Sequence[float], params: SlerpParams,
                out: Tensor) -> None:
        # c0 W_0 + c1 W_1 = base + (c0 + c1 - 1) base + c0 delta_0 + c1 delta_1
        c0, c1 = state.angle.coefficients(position(params, weights))
        weighted_sum_into(out, base, [base, state.deltas[0], state.deltas[1]], [c0 + c1 - 1.0, c0, c1])
