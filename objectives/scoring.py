"""Score results: a value in [0, 1] with a seeded bootstrap interval, per-item and per-category results, cost.

Why a bootstrap over items: the suites are a few hundred items, so a difference of a few points between two
candidates can be noise. Every score carries its 95% percentile interval, and two models scored on the same
items are compared with a *paired* bootstrap (resampling item indices once for both), which is far tighter
than comparing two unpaired intervals.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np
from pydantic import BaseModel, Field

BOOTSTRAP_RESAMPLES = 2000
BOOTSTRAP_SEED = 0


class Cost(BaseModel):
    """What one evaluation cost: tokens through the model, analytic FLOPs (2 * params * tokens), seconds."""

    tokens: int = 0
    flops: float = 0.0
    seconds: float = 0.0

    def __add__(self, other: Cost) -> Cost:
        return Cost(tokens=self.tokens + other.tokens, flops=self.flops + other.flops,
                    seconds=self.seconds + other.seconds)


class ItemResult(BaseModel):
    """One item's outcome: its score in [0, 1] and what it was judged on (log-likelihoods or the text)."""

    id: str
    category: str
    kind: str
    score: float
    detail: dict = Field(default_factory=dict)


class CategoryScore(BaseModel):
    value: float
    ci_low: float
    ci_high: float
    n: int


class Score(BaseModel):
    """An objective's score on one model: mean item score with its bootstrap 95% interval."""

    objective: str
    split: str
    value: float
    ci_low: float
    ci_high: float
    n: int
    per_category: dict[str, CategoryScore]
    worst_category: str
    worst_value: float
    per_item: list[ItemResult]
    cost: Cost
    fidelity: int | None = None
    notes: dict = Field(default_factory=dict)

    def summary(self) -> dict:
        """The score without per-item results (what a table or a JSON summary shows)."""
        return self.model_dump(exclude={"per_item"})


def bootstrap_ci(values: Sequence[float], *, resamples: int = BOOTSTRAP_RESAMPLES, seed: int = BOOTSTRAP_SEED,
                 level: float = 0.95) -> tuple[float, float]:
    """Percentile bootstrap interval of the mean; deterministic for a given seed."""
    x = np.asarray(values, dtype=np.float64)
    if x.size == 0:
        raise ValueError("bootstrap_ci: no values (an empty split?)")
    if x.size == 1:
        return float(x[0]), float(x[0])
    rng = np.random.default_rng(seed)
    means = np.empty(resamples)
    for start in range(0, resamples, 500):  # chunked: bounded memory for large item counts
        stop = min(resamples, start + 500)
        idx = rng.integers(0, x.size, size=(stop - start, x.size))
        means[start:stop] = x[idx].mean(axis=1)
    alpha = (1.0 - level) / 2.0
    lo, hi = np.quantile(means, [alpha, 1.0 - alpha])
    return float(lo), float(hi)


def paired_bootstrap(a: Sequence[float], b: Sequence[float], *, resamples: int = BOOTSTRAP_RESAMPLES,
                     seed: int = BOOTSTRAP_SEED, level: float = 0.95) -> dict[str, float]:
    """Compare two models scored on the same items: mean(a - b), its interval and P(a better than b).

    Items are resampled once and used for both models, so the item-difficulty variance cancels.
    """
    xa, xb = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if xa.shape != xb.shape or xa.size == 0:
        raise ValueError(f"paired_bootstrap needs two equal, non-empty item lists (got {xa.size} and {xb.size})")
    d = xa - xb
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, d.size, size=(resamples, d.size))
    means = d[idx].mean(axis=1)
    alpha = (1.0 - level) / 2.0
    lo, hi = np.quantile(means, [alpha, 1.0 - alpha])
    return {"diff": float(d.mean()), "ci_low": float(lo), "ci_high": float(hi),
            "p_better": float((means > 0).mean() + 0.5 * (means == 0).mean())}


def make_score(objective: str, split: str, items: list[ItemResult], cost: Cost, *, fidelity: int | None = None,
               notes: dict | None = None, seed: int = BOOTSTRAP_SEED) -> Score:
    """Aggregate item results into a Score (mean, interval, categories, the worst category)."""
    if not items:
        raise ValueError(f"objective {objective!r} ({split}): no items to score")
    values = [it.score for it in items]
    lo, hi = bootstrap_ci(values, seed=seed)
    by_cat: dict[str, list[float]] = defaultdict(list)
    for it in items:
        by_cat[it.category].append(it.score)
    per_category = {}
    for cat in sorted(by_cat):
        c_lo, c_hi = bootstrap_ci(by_cat[cat], seed=seed)
        per_category[cat] = CategoryScore(value=float(np.mean(by_cat[cat])), ci_low=c_lo, ci_high=c_hi,
                                          n=len(by_cat[cat]))
    worst = min(per_category, key=lambda c: (per_category[c].value, c))
    return Score(objective=objective, split=split, value=float(np.mean(values)), ci_low=lo, ci_high=hi,
                 n=len(items), per_category=per_category, worst_category=worst,
                 worst_value=per_category[worst].value, per_item=items, cost=cost, fidelity=fidelity,
                 notes=notes or {})
