"""Small finished studies for report and service tests, built directly through Optuna and the Store.

No models: each trial's H3 scores are drawn under a concave front whose radius is the arm's ``quality``,
with bootstrap-like intervals, per-category breakdowns, item results with responses, a capability
constraint (about ``infeasible`` of trials violate it), test confirmations for some trials, screening
stages at fidelity 0.25, compute costs per trial and setup steps (expert training for the merge arm).
"""

from __future__ import annotations

import warnings
from datetime import UTC, datetime, timedelta

import numpy as np
import optuna
from optuna.distributions import FloatDistribution

OBJECTIVES = ("helpful", "harmless", "honest")
T0 = datetime(2026, 11, 27, 20, 0, tzinfo=UTC)


def _result(name: str, value: float, rng: np.random.Generator, items: int, trial: int) -> dict:
    half = 0.03
    cats = [{"category": f"{name}-cat{k}", "value": float(np.clip(value + rng.normal(0, 0.05), 0, 1)),
             "ci_low": None, "ci_high": None} for k in range(3)]
    for c in cats:
        c["ci_low"], c["ci_high"] = max(0.0, c["value"] - 0.08), min(1.0, c["value"] + 0.08)
    return {
        "objective": name, "value": float(value), "ci_low": max(0.0, value - half), "ci_high": min(1.0, value + half),
        "categories": cats,
        "items": [{"item_id": f"{name}-{i}", "value": float(rng.random() < value), "category": f"{name}-cat{i % 3}",
                   "response": f"trial {trial} answer to {name} item {i}"} for i in range(items)],
    }


def build_study(
    store,
    name: str,
    arm: str,
    *,
    n_trials: int = 30,
    quality: float = 0.9,
    seed: int = 0,
    setup_flops: float = 0.0,
    trial_flops: float = 1e12,
    infeasible: float = 0.15,
    items: int = 4,
    references: bool = True,
    screening: int = 3,
    budget_flops: float | None = None,
    reference_point=(0.0, 0.0, 0.0),
) -> optuna.Study:
    """Create and fill study ``name`` for ``arm`` ("merge" or "mix"); return the Optuna study."""
    rng = np.random.default_rng(seed)
    storage = store.optuna_storage(heartbeat_interval=None, grace_period=None)
    study = optuna.create_study(study_name=name, storage=storage, directions=["maximize"] * 3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
        study.set_metric_names(list(OBJECTIVES))
    spec = {"arm": arm, "objectives": list(OBJECTIVES), "seed": seed}
    if budget_flops is not None:
        spec["budget"] = {"flops": budget_flops}
    store.put_study_meta(name, arm=arm, spec=spec, reference_point=list(reference_point))
    if setup_flops:
        for obj in OBJECTIVES:
            store.record_cost(name, {"label": f"train expert {obj}", "flops": setup_flops / 3,
                                     "device_seconds": setup_flops / 3e12, "tokens": 1000})
    dists = {f"c_{o}": FloatDistribution(0.0, 1.0) for o in OBJECTIVES}
    when = T0
    for i in range(n_trials):
        role = None
        if references and i < 4:
            role = "base" if i == 0 else f"expert:{OBJECTIVES[i - 1]}"
            params = {f"c_{o}": (0.0 if i == 0 else float(o == OBJECTIVES[i - 1])) for o in OBJECTIVES}
        else:
            params = {k: float(v) for k, v in zip(dists, rng.random(3), strict=True)}
        direction = rng.dirichlet([1.0, 1.0, 1.0])
        direction = direction / np.linalg.norm(direction)
        values = np.clip(quality * direction * rng.uniform(0.7, 1.0), 0.01, 0.99)
        capability = float(rng.normal(0.0, 1.0))
        cons = {"capability": 1.0 if (capability > 0 and rng.random() < 2 * infeasible) else -1.0}
        trial = optuna.trial.create_trial(
            params=params, distributions=dists, values=[float(v) for v in values],
            user_attrs={"mixmerge:role": role} if role else {}, constraints=cons,
        )
        trial.datetime_start = (when + timedelta(seconds=1)).replace(tzinfo=None)
        when = when + timedelta(seconds=60 + 30 * rng.random())
        trial.datetime_complete = when.replace(tzinfo=None)
        tid = storage.create_new_trial(study._study_id, template_trial=trial)
        results = [_result(o, float(v), rng, items, i) for o, v in zip(OBJECTIVES, values, strict=True)]
        store.record_trial_result(tid, split="dev", fidelity=1.0, results=results,
                                  cost={"flops": trial_flops, "device_seconds": trial_flops / 1e12, "tokens": 100})
        if i % 5 == 0:
            test = [{"objective": o, "value": float(np.clip(v - 0.02, 0, 1)), "ci_low": float(max(0, v - 0.06)),
                     "ci_high": float(min(1, v + 0.02))} for o, v in zip(OBJECTIVES, values, strict=True)]
            store.record_trial_result(tid, split="test", fidelity=1.0, results=test)
    for _ in range(screening):
        # screened out like the worker does it: told (COMPLETE) with its screening scores at fidelity 0.25
        trial = optuna.trial.create_trial(params={k: float(v) for k, v in zip(dists, rng.random(3), strict=True)},
                                          distributions=dists, values=[0.99, 0.99, 0.99],
                                          user_attrs={"mixmerge:fidelity": 0.25, "mixmerge:screened_out": True})
        trial.datetime_start = (when + timedelta(seconds=1)).replace(tzinfo=None)
        when = when + timedelta(seconds=20)
        trial.datetime_complete = when.replace(tzinfo=None)
        tid = storage.create_new_trial(study._study_id, template_trial=trial)
        store.record_trial_result(
            tid, split="dev", fidelity=0.25,
            results=[{"objective": o, "value": 0.99, "ci_low": 0.9, "ci_high": 1.0} for o in OBJECTIVES],
            cost={"flops": trial_flops / 4, "device_seconds": trial_flops / 4e12},
        )
    if not references:  # the base's scores as the worker records them (no reference trials)
        store.record_provenance(name, {"base_scores": {
            o: {"value": 0.3, "ci_low": 0.25, "ci_high": 0.35, "n": items} for o in OBJECTIVES}})
    return study


def build_pair(store, *, n_trials: int = 30, merge_quality: float = 0.95, mix_quality: float = 0.8):
    """A merge arm (pays 6e12 FLOPs of expert training first) and a mix arm (each trial costs 3x more)."""
    build_study(store, "merge-arm", "merge", n_trials=n_trials, quality=merge_quality, seed=1,
                setup_flops=6e12, trial_flops=1e12)
    build_study(store, "mix-arm", "mix", n_trials=n_trials, quality=mix_quality, seed=2,
                trial_flops=3e12, references=False)
