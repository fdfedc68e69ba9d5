"""Exact hypervolume of a set of scores (higher is better), at a reference point fixed before the search.

pymoo's indicator (backed by moocore's exact algorithms) works on minimisation problems, so scores are
negated together with the reference point. Only points that strictly dominate the reference point add
volume; the others (and non-finite rows) are ignored, which is what "the hypervolume at this reference
point" means.

The progress curve (hypervolume after each trial) is computed incrementally: the value only changes when a
new point enters the front, so a study of 10,000 trials needs a few hundred exact computations, not 10,000.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from pymoo.indicators.hv import HV


class HypervolumeError(ValueError):
    """Points and reference point that do not fit together; the message names the shapes."""


def _as_arrays(points: np.ndarray | Sequence[Sequence[float]], reference_point: Sequence[float]):
    pts = np.asarray(points, dtype=float)
    ref = np.asarray(reference_point, dtype=float)
    if ref.ndim != 1 or not np.all(np.isfinite(ref)):
        raise HypervolumeError(f"reference point must be a finite vector, got {reference_point!r}")
    if pts.size == 0:
        return np.empty((0, ref.size)), ref
    if pts.ndim == 1:
        pts = pts[None, :]
    if pts.shape[1] != ref.size:
        raise HypervolumeError(
            f"points have {pts.shape[1]} objectives but the reference point has {ref.size}: "
            "give one reference value per objective"
        )
    return pts, ref


def dominating(points: np.ndarray, ref: np.ndarray) -> np.ndarray:
    """Rows that are finite and strictly better than the reference point in every objective."""
    if points.size == 0:
        return points.reshape(0, ref.size)
    keep = np.all(np.isfinite(points), axis=1) & np.all(points > ref, axis=1)
    return points[keep]


def hypervolume(points: np.ndarray | Sequence[Sequence[float]], reference_point: Sequence[float]) -> float:
    """Exact hypervolume dominated by ``points`` (maximised objectives) above ``reference_point``."""
    pts, ref = _as_arrays(points, reference_point)
    pts = dominating(pts, ref)
    if len(pts) == 0:
        return 0.0
    return float(HV(ref_point=-ref).do(-pts))


def nondominated_mask(points: np.ndarray) -> np.ndarray:
    """Boolean mask of the rows no other row dominates (maximisation); duplicates are all kept."""
    pts = np.asarray(points, dtype=float)
    n = len(pts)
    mask = np.ones(n, dtype=bool)
    if n == 0:
        return mask
    # sort by the first objective descending: a point can only be dominated by one earlier in this order
    # or by one with an equal first objective; the vectorised check against the running front is O(n * front)
    order = np.lexsort(tuple(-pts[:, k] for k in reversed(range(pts.shape[1]))))
    front: list[int] = []
    for i in order:
        p = pts[i]
        if front:
            f = pts[front]
            dominated = np.any(np.all(f >= p, axis=1) & np.any(f > p, axis=1))
            if dominated:
                mask[i] = False
                continue
        front.append(i)
    return mask


def hypervolume_curve(
    points: np.ndarray | Sequence[Sequence[float]],
    reference_point: Sequence[float],
    feasible: np.ndarray | Sequence[bool] | None = None,
) -> np.ndarray:
    """Hypervolume of the feasible points seen so far, after each row in order (same length as rows)."""
    pts, ref = _as_arrays(points, reference_point)
    n = len(pts)
    ok = np.ones(n, dtype=bool) if feasible is None else np.asarray(feasible, dtype=bool)
    if ok.shape != (n,):
        raise HypervolumeError(f"feasible has shape {ok.shape}, expected ({n},)")
    useful = ok & (np.all(np.isfinite(pts), axis=1) if n else ok) & (np.all(pts > ref, axis=1) if n else ok)
    out = np.zeros(n)
    front = np.empty((0, ref.size))
    current = 0.0
    for i in range(n):
        if useful[i]:
            p = pts[i]
            if not (front.size and np.any(np.all(front >= p, axis=1))):
                front = np.vstack([front[~np.all(p >= front, axis=1)], p])
                current = float(HV(ref_point=-ref).do(-front))
        out[i] = current
    return out
