"""Answers for teams, read from the store: the stored candidates, the best one under constraints, the Pareto set.

Only full-fidelity dev scores qualify a candidate (screened-out candidates were never fully scored). With
``confidence`` the judgement uses each objective's one-sided lower confidence bound at that level,
recomputed by a seeded bootstrap over the candidate's stored per-item results (the stored 95% interval is
two-sided); without it, the mean.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from mixmerge.search.screening import pareto_mask, to_max
from mixmerge.search.spec import Constraint, StudySpec
from mixmerge.storage import Store


@dataclass
class Candidate:
    number: int
    trial_id: int
    candidate: dict[str, Any]
    dev: dict[str, dict[str, Any]]
    test: dict[str, dict[str, Any]] = field(default_factory=dict)
    lower: dict[str, float] = field(default_factory=dict)

    def judged(self, objective: str, use_lower: bool) -> float:
        return self.lower[objective] if use_lower else float(self.dev[objective]["value"])

    def as_dict(self) -> dict[str, Any]:
        out = {"trial": self.number, **self.candidate, "dev": self.dev}
        if self.lower:
            out["lower_bounds"] = self.lower
        if self.test:
            out["test"] = self.test
        return out


def candidates(store: Store, spec: StudySpec, split: str | None = None) -> list[Candidate]:
    """Every trial with full-fidelity scores on ``split`` (default: the study's), with test scores if any."""
    import optuna

    split = split or spec.split
    by_trial: dict[int, dict[str, dict[str, Any]]] = defaultdict(dict)
    tests: dict[int, dict[str, dict[str, Any]]] = defaultdict(dict)
    ids: dict[int, int] = {}
    for row in store.scores(spec.study, fidelity=1.0):
        entry = {"value": row["value"], "ci_low": row["ci_low"], "ci_high": row["ci_high"], "n": row["n_items"]}
        if row["split"] == split:
            by_trial[row["trial_number"]][row["objective"]] = entry
            ids[row["trial_number"]] = row["trial_id"]
        elif row["split"] == "test":
            tests[row["trial_number"]][row["objective"]] = entry
    storage = store.optuna_storage(heartbeat_interval=None, grace_period=None)
    study = optuna.load_study(study_name=spec.study, storage=storage)
    described = {t.number: t.user_attrs.get("mixmerge:candidate", {"params": t.params})
                 for t in study.get_trials(deepcopy=False)}
    return [Candidate(number=n, trial_id=ids[n], candidate=described.get(n, {}), dev=dev, test=tests.get(n, {}))
            for n, dev in sorted(by_trial.items()) if set(spec.objective_keys) <= set(dev)]


def add_lower_bounds(store: Store, spec: StudySpec, cands: list[Candidate], confidence: float) -> None:
    """One-sided lower bounds at ``confidence`` from each candidate's per-item results (seeded bootstrap)."""
    from mixmerge.objectives.scoring import bootstrap_ci

    if not 0.5 < confidence < 1:
        raise ValueError(f"--confidence must be between 0.5 and 1 (e.g. 0.95), got {confidence}")
    for cand in cands:
        items = store.item_results(spec.study, trial_id=cand.trial_id, split=spec.split, fidelity=1.0)
        values: dict[str, list[float]] = defaultdict(list)
        for it in items:
            values[it["objective"]].append(float(it["value"]))
        for obj in cand.dev:
            if values.get(obj):
                cand.lower[obj] = bootstrap_ci(values[obj], level=2 * confidence - 1)[0]
            else:  # lm-eval objectives keep no items: fall back on the stored 95% bound
                cand.lower[obj] = float(cand.dev[obj]["ci_low"] if cand.dev[obj]["ci_low"] is not None
                                        else cand.dev[obj]["value"])


def violation(cand: Candidate, where: list[Constraint], base: dict[str, float] | None, use_lower: bool) -> float:
    """Total amount by which a candidate misses the ``where`` constraints (0 = qualifies)."""
    total = 0.0
    for c in where:
        value = cand.judged(c.objective, use_lower and c.op == ">=")
        total += max(0.0, c.violation(value, base))
    return total


def utility(cand: Candidate, weights: dict[str, float], spec: StudySpec, use_lower: bool) -> float:
    directions = {o.key: o.direction for o in spec.objectives}
    return sum(w * cand.judged(k, use_lower) * (1.0 if directions.get(k, "maximize") == "maximize" else -1.0)
               for k, w in weights.items())


def best(store: Store, spec: StudySpec, where: list[Constraint], weights: dict[str, float],
         confidence: float | None, base: dict[str, float] | None) -> dict[str, Any]:
    """The best qualifying candidate by ``weights``; when none qualifies, the closest one, said so."""
    unknown = sorted({c.objective for c in where} | set(weights) - set(spec.objective_keys))
    unknown = [u for u in unknown if u not in spec.objective_keys]
    if unknown:
        raise ValueError(f"{unknown} are not objectives of study {spec.study!r} ({', '.join(spec.objective_keys)})")
    cands = candidates(store, spec)
    if not cands:
        return {"study": spec.study, "qualified": False, "best": None, "closest": None, "n_candidates": 0,
                "message": "no fully evaluated candidate yet"}
    use_lower = confidence is not None
    if use_lower:
        add_lower_bounds(store, spec, cands, confidence)
    ok = [c for c in cands if violation(c, where, base, use_lower) == 0.0]
    out: dict[str, Any] = {"study": spec.study, "n_candidates": len(cands), "n_qualified": len(ok),
                           "judged_on": f"lower {confidence:g} bound" if use_lower else "mean",
                           "where": [c.text for c in where], "weights": weights}
    if ok:
        top = max(ok, key=lambda c: (utility(c, weights, spec, use_lower), -c.number))
        out.update(qualified=True, best=top.as_dict(), utility=utility(top, weights, spec, use_lower))
        return out
    closest = min(cands, key=lambda c: (violation(c, where, base, use_lower), -utility(c, weights, spec, use_lower)))
    out.update(qualified=False, best=None, closest=closest.as_dict(),
               shortfall=violation(closest, where, base, use_lower),
               message="no candidate meets every constraint; the closest one misses by the shortfall shown")
    return out


def pareto_trials(store: Store, spec: StudySpec, base: dict[str, float] | None) -> list[int]:
    """Numbers of the feasible, fully evaluated trials on the Pareto front of the traded objectives."""
    cands = [c for c in candidates(store, spec) if violation(c, spec.constraints, base, False) == 0.0]
    if not cands:
        return []
    pts = np.array([to_max([c.dev[k]["value"] for k in spec.traded_keys], spec.directions) for c in cands])
    return [c.number for c, keep in zip(cands, pareto_mask(pts), strict=True) if keep]
