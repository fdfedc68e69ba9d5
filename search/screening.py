"""Screening: a cheap look first, the full evaluation only where a candidate could still enter the Pareto set.

A candidate is first scored on a seeded ``fraction`` of each objective's items (the screening fidelity).
It goes on to the full evaluation unless, even at the optimistic end of its screening intervals (each
objective's bootstrap upper bound, in the objective's direction), it

* is dominated by a fully evaluated, feasible trial (weakly worse everywhere, strictly worse somewhere), or
* must violate a constraint (its optimistic value is on the wrong side of the threshold).

What the sampler is told about a screened-out candidate: Optuna cannot prune a multi-objective trial, so the
trial is told COMPLETE with its *screening* means as its values and its screening constraint values; its
user attributes say ``mixmerge:fidelity = <fraction>`` and ``mixmerge:screened_out = true``. The screening
means are unbiased (a seeded random subset of the same items), only noisier, so the model learns "this region
is poor" without the sampler treating a guess as a failure. The store keeps the two fidelities apart
(``fidelity`` column: the fraction, or 1.0), and every report and ``mixmerge best`` read full-fidelity
scores only unless asked otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def to_max(values: Sequence[float], directions: Sequence[str]) -> np.ndarray:
    """Values turned so that larger is better in every objective."""
    sign = np.array([1.0 if d == "maximize" else -1.0 for d in directions])
    return np.asarray(values, dtype=np.float64) * sign


def dominates(a: np.ndarray, b: np.ndarray) -> bool:
    """``a`` Pareto-dominates ``b`` (both larger-is-better): no worse anywhere, better somewhere."""
    return bool(np.all(a >= b) and np.any(a > b))


def pareto_mask(points: np.ndarray) -> np.ndarray:
    """Which rows of ``points`` (larger-is-better) no other row dominates."""
    points = np.atleast_2d(np.asarray(points, dtype=np.float64))
    n = points.shape[0]
    keep = np.ones(n, dtype=bool)
    for i in range(n):
        for j in range(n):
            if i != j and dominates(points[j], points[i]):
                keep[i] = False
                break
    return keep


def could_enter_front(optimistic: Sequence[float], front: np.ndarray, directions: Sequence[str]) -> bool:
    """Whether a candidate whose best plausible values are ``optimistic`` is not dominated by ``front``.

    ``front`` holds the full-fidelity values of feasible trials (in the objectives' own units); an empty
    front admits everything.
    """
    if front.size == 0:
        return True
    cand = to_max(optimistic, directions)
    rows = np.atleast_2d(to_max(front, directions))
    return not any(dominates(row, cand) for row in rows)


def optimistic_values(means: Sequence[float], lows: Sequence[float], highs: Sequence[float],
                      directions: Sequence[str]) -> list[float]:
    """The end of each screening interval that favours the candidate (upper bound when maximising)."""
    out = []
    for mean, lo, hi, d in zip(means, lows, highs, directions, strict=True):
        best = hi if d == "maximize" else lo
        out.append(float(best if best is not None else mean))
    return out
