"""Mix vs merge at equal compute.

Each arm's progress is the hypervolume of its feasible front against cumulative FLOPs, setup included (the
merging arm pays for training its experts before its first trial, so its curve starts to the right of 0).
The arms are compared at 25%, 50% and 100% of a common budget; each hypervolume comes with a bootstrap
interval, and the difference between arms with its own interval. The difference is called resolved only
when that interval excludes 0.

Why this bootstrap: the noise in a hypervolume comes from the noise in the scores it is built from. Each
replicate redraws every trial's scores from its own bootstrap interval (normal approximation: the
interval's half-width / 1.96 as the standard deviation) and recomputes the front and its hypervolume.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .data import StudyData
from .hypervolume import dominating, hypervolume
from .pareto import progress

FRACTIONS = (0.25, 0.5, 1.0)
Z95 = 1.959963984540054


@dataclass
class ArmResult:
    arm: str
    study: str
    curve: pd.DataFrame
    setup_flops: float
    total_flops: float
    total_device_seconds: float
    final_hv: float


@dataclass
class Comparison:
    arms: list[ArmResult]
    budget_flops: float
    budget_source: str
    at_fractions: pd.DataFrame  # arm, fraction, flops, hv, lo, hi
    differences: pd.DataFrame  # fraction, first - second, lo, hi, resolved
    reaches: list[dict] = field(default_factory=list)  # arm reaches other's final hv at flops (or None)
    verdict: str = ""


def _spec_budget(data: StudyData) -> float | None:
    budget = data.spec.get("budget")
    if isinstance(budget, int | float):
        return float(budget)
    if isinstance(budget, dict):
        for key in ("flops", "max_flops", "total_flops"):
            if isinstance(budget.get(key), int | float):
                return float(budget[key])
    return None


def arm_result(data: StudyData) -> ArmResult:
    curve = progress(data)
    total = float(curve["cum_flops"].iloc[-1]) if len(curve) else data.setup_flops
    secs = float(curve["cum_device_seconds"].iloc[-1]) if len(curve) else data.setup_device_seconds
    final = float(curve["hypervolume"].iloc[-1]) if len(curve) else 0.0
    return ArmResult(data.arm, data.name, curve, data.setup_flops, total, secs, final)


def hv_at(result: ArmResult, flops: float) -> float:
    """Hypervolume reached with at most ``flops`` of compute (a step function; 0 before the first trial)."""
    c = result.curve
    reached = c[c["cum_flops"] <= flops * (1 + 1e-12)]
    return float(reached["hypervolume"].iloc[-1]) if len(reached) else 0.0


def first_reaching(result: ArmResult, target: float) -> float | None:
    """The compute at which this arm's hypervolume first reaches ``target`` (None if it never does)."""
    c = result.curve
    hit = c[c["hypervolume"] >= target - 1e-12]
    return float(hit["cum_flops"].iloc[0]) if len(hit) and target > 0 else None


def bootstrap_hv(
    data: StudyData, flops: float, n_boot: int = 200, seed: int = 0
) -> np.ndarray:
    """``n_boot`` hypervolume replicates of the feasible points completed within ``flops``."""
    t = data.trials
    sel = t[(t["cum_flops"] <= flops * (1 + 1e-12)) & t["has_scores"] & t["feasible"]]
    if not len(sel):
        return np.zeros(n_boot)
    objs = data.objectives
    mean = sel[objs].to_numpy(dtype=float)
    lo = sel[[f"{o}_lo" for o in objs]].to_numpy(dtype=float)
    hi = sel[[f"{o}_hi" for o in objs]].to_numpy(dtype=float)
    sd = np.nan_to_num((hi - lo) / (2 * Z95), nan=0.0)
    # only points whose optimistic draw could escape domination by others' pessimistic draws matter
    upper, lower = mean + 4 * sd, mean - 4 * sd
    keep = np.ones(len(mean), dtype=bool)
    if len(mean) > 64:
        lower_front = lower[_front_mask(lower)]
        for i in range(len(mean)):
            keep[i] = not np.any(np.all(lower_front > upper[i], axis=1))
    mean, sd = mean[keep], sd[keep]
    rng = np.random.default_rng(seed)
    out = np.empty(n_boot)
    for b in range(n_boot):
        draw = mean + sd * rng.standard_normal(mean.shape)
        out[b] = hypervolume(dominating(draw, data.reference_point), data.reference_point)
    return out


def _front_mask(points: np.ndarray) -> np.ndarray:
    from .hypervolume import nondominated_mask

    return nondominated_mask(points)


def compare_arms(
    studies: Sequence[StudyData],
    *,
    fractions: Sequence[float] = FRACTIONS,
    n_boot: int = 200,
    seed: int = 0,
    budget_flops: float | None = None,
) -> Comparison:
    """Compare two or more arms (one study each) at equal compute."""
    if len(studies) < 2:
        raise ValueError("compare_arms needs at least two studies (one per arm), got " f"{len(studies)}")
    arms = [arm_result(d) for d in studies]
    if budget_flops is not None:
        budget, source = float(budget_flops), "given"
    else:
        budgets = [_spec_budget(d) for d in studies]
        spent = min(a.total_flops for a in arms)
        if all(b is not None for b in budgets):
            budget, source = float(min(budgets)), "the specs' common budget"  # type: ignore[type-var]
        else:
            budget, source = spent, "the compute of the arm that spent least"
    rows, reps = [], {}
    for d, a in zip(studies, arms, strict=True):
        for f in fractions:
            x = budget * f
            boot = bootstrap_hv(d, x, n_boot=n_boot, seed=seed)
            reps[(a.study, f)] = boot
            rows.append({
                "arm": a.arm, "study": a.study, "fraction": f, "flops": x, "hv": hv_at(a, x),
                "lo": float(np.quantile(boot, 0.025)), "hi": float(np.quantile(boot, 0.975)),
            })
    at = pd.DataFrame(rows)
    diffs = []
    first, second = arms[0], arms[1]
    for f in fractions:
        delta = reps[(first.study, f)] - reps[(second.study, f)]
        lo, hi = float(np.quantile(delta, 0.025)), float(np.quantile(delta, 0.975))
        diffs.append({
            "fraction": f, "flops": budget * f, "difference": hv_at(first, budget * f) - hv_at(second, budget * f),
            "lo": lo, "hi": hi, "resolved": bool(lo > 0 or hi < 0),
        })
    differences = pd.DataFrame(diffs)
    reaches = []
    for a in arms:
        for b in arms:
            if a is not b:
                reaches.append({"arm": a.arm, "target_arm": b.arm, "target_hv": b.final_hv,
                                "flops": first_reaching(a, b.final_hv)})
    return Comparison(arms, budget, source, at, differences, reaches, _verdict(first, second, differences))


def _verdict(first: ArmResult, second: ArmResult, differences: pd.DataFrame) -> str:
    full = differences[differences["fraction"] == differences["fraction"].max()].iloc[0]
    if not full["resolved"]:
        return (
            f"At the full budget the difference between {first.arm} and {second.arm} "
            f"({full['difference']:+.4f} hypervolume, 95% interval [{full['lo']:+.4f}, {full['hi']:+.4f}]) "
            "is not resolved: the interval includes 0."
        )
    leader, other = (first, second) if full["difference"] > 0 else (second, first)
    return (
        f"At the full budget {leader.arm} is ahead of {other.arm} by {abs(full['difference']):.4f} hypervolume "
        f"(95% interval of {first.arm} - {second.arm}: [{full['lo']:+.4f}, {full['hi']:+.4f}])."
    )
