"""Read one study from the store into frames the reports work on.

Everything a report shows comes from here: Optuna's trials (state, parameters, constraints, times, the
role of reference trials) joined with our tables (scores with intervals per split and fidelity, compute
costs, setup steps, hypervolume snapshots). Reports import ``storage`` only, never the search code, so the
conventions they rely on are spelled out here:

- objective values are the scores on the spec's ``split`` (default ``dev``) at full fidelity (1.0); lower
  fidelities are screening (a trial told at a lower fidelity carries the user attribute
  ``mixmerge:fidelity`` < 1 and never counts as a point, even though Optuna holds values for it);
- the traded objectives are the study's user attribute ``mixmerge:objectives`` (else the spec's objectives
  with ``trade`` not false, else Optuna's metric names, else helpful/harmless/honest);
- a trial is feasible when every Optuna constraint value is <= 0 (``trial.set_constraint``);
- reference points (drawn as markers): the base model's scores in the provenance key ``base_scores``,
  experts' scores in ``expert_scores`` ({expert: {objective: {value, ...}}}), and any trial with the user
  attribute ``mixmerge:role`` (``"base"`` or ``"expert:<name>"``);
- the reference point is the study meta's (a list in objective order, or a dict objective -> value),
  default 0 in each objective;
- compute is ordered by trial completion; setup steps (expert training) are paid before the first trial.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import optuna
import pandas as pd
from mixmerge.storage import Store

from .trials_sql import read_trials

log = logging.getLogger(__name__)

H3 = ("helpful", "harmless", "honest")
FULL_FIDELITY = 1.0
ROLE_ATTR = "mixmerge:role"
FIDELITY_ATTR = "mixmerge:fidelity"
OBJECTIVES_ATTR = "mixmerge:objectives"


class ReportDataError(ValueError):
    """A study the reports cannot read; the message names the study and what is missing."""


@dataclass
class StudyData:
    """One study, ready for reports: ``trials`` has one row per trial (see :func:`load_study`)."""

    name: str
    arm: str
    spec: dict[str, Any]
    objectives: list[str]
    reference_point: np.ndarray
    trials: pd.DataFrame
    scores: pd.DataFrame
    setup: pd.DataFrame
    hv_snapshots: pd.DataFrame
    param_names: list[str] = field(default_factory=list)
    references: pd.DataFrame = field(default_factory=pd.DataFrame)
    split: str = "dev"

    @property
    def complete(self) -> pd.DataFrame:
        """Trials with full-fidelity dev scores in every objective (what the front is made of)."""
        return self.trials[self.trials["has_scores"]]

    @property
    def setup_flops(self) -> float:
        return float(self.setup["flops"].sum()) if len(self.setup) else 0.0

    @property
    def setup_device_seconds(self) -> float:
        return float(self.setup["device_seconds"].sum()) if len(self.setup) else 0.0

    def points(self, frame: pd.DataFrame | None = None) -> np.ndarray:
        frame = self.complete if frame is None else frame
        return frame[self.objectives].to_numpy(dtype=float)


def _key(name: str) -> str:
    """The stored key of an objective entry (``NAME`` of ``NAME=FORMAT:PATH``)."""
    return name.split("=", 1)[0].strip()


def _objectives(meta: dict[str, Any] | None, study: optuna.Study, scored: list[str]) -> list[str]:
    declared = study.user_attrs.get(OBJECTIVES_ATTR)
    if isinstance(declared, list) and declared and all(isinstance(n, str) for n in declared):
        return list(declared)
    ref = (meta or {}).get("reference_point")
    if isinstance(ref, dict) and ref:
        return list(ref)
    spec = (meta or {}).get("spec") or {}
    objs = spec.get("objectives")
    if isinstance(objs, list) and objs:
        names = [_key(o) if isinstance(o, str) else (_key(o["name"]) if o.get("trade", True) else None)
                 for o in objs if isinstance(o, str) or isinstance(o.get("name"), str)]
        if names and any(names):
            return [n for n in names if n]
    if isinstance(objs, dict) and objs:
        return list(objs)
    if study.metric_names:
        return list(study.metric_names)
    found = [o for o in H3 if o in scored]
    return found or list(H3)


def _reference(meta: dict[str, Any] | None, objectives: list[str]) -> np.ndarray:
    ref = (meta or {}).get("reference_point")
    if ref is None:
        spec_ref = ((meta or {}).get("spec") or {}).get("reference_point")
        ref = spec_ref
    if ref is None:
        return np.zeros(len(objectives))
    if isinstance(ref, dict):
        missing = [o for o in objectives if o not in ref]
        if missing:
            raise ReportDataError(f"reference point {ref} has no value for objective(s) {missing}")
        return np.array([float(ref[o]) for o in objectives])
    if len(ref) != len(objectives):
        raise ReportDataError(
            f"reference point {ref} has {len(ref)} values for {len(objectives)} objectives {objectives}"
        )
    return np.array([float(v) for v in ref])


def load_study(store: Store, name: str) -> StudyData:
    """Read study ``name`` (its trials, scores, costs and snapshots) from ``store``."""
    storage = store.optuna_storage(heartbeat_interval=None, grace_period=None)
    try:
        study = optuna.load_study(study_name=name, storage=storage)
    except KeyError as exc:
        raise ReportDataError(f"no study {name!r} in the store at {store.url_text}") from exc
    meta = store.study_meta(name)
    arm = str((meta or {}).get("arm") or ((meta or {}).get("spec") or {}).get("arm") or name)
    spec = dict((meta or {}).get("spec") or {})
    split = str(spec.get("split") or "dev")
    scores = store.scores_frame(name)
    objectives = _objectives(meta, study, sorted(set(scores["objective"])) if len(scores) else [])
    reference = _reference(meta, objectives)

    rows = []
    param_names: list[str] = []
    seen_params: set[str] = set()
    for t in read_trials(store, study._study_id):
        cons = t["constraints"]
        for p in t["params"]:
            if p not in seen_params:
                seen_params.add(p)
                param_names.append(p)
        rows.append(
            {
                "number": t["number"],
                "trial_id": t["trial_id"],
                "state": t["state"],
                "start": t["start"],
                "complete": t["complete"],
                "params": t["params"],
                "constraints": cons,
                "feasible": all(v <= 0 for v in cons.values()),
                "role": t["user_attrs"].get(ROLE_ATTR) or "",
                "fidelity_attr": t["user_attrs"].get(FIDELITY_ATTR),
                "optuna_values": t["values"],
            }
        )
    trials = pd.DataFrame(
        rows,
        columns=[
            "number", "trial_id", "state", "start", "complete", "params", "constraints", "feasible", "role",
            "optuna_values", "fidelity_attr",
        ],
    )
    trials = _attach_scores(trials, scores, objectives, split)
    trials, setup = _attach_costs(trials, store.costs(name))
    hv = pd.DataFrame(store.hv_series(name))
    return StudyData(
        name=name, arm=arm, spec=spec, objectives=objectives, reference_point=reference, trials=trials,
        scores=scores, setup=setup, hv_snapshots=hv, param_names=param_names,
        references=_references(store.provenance(name), trials, objectives), split=split,
    )


def _references(provenance: dict[str, Any], trials: pd.DataFrame, objectives: list[str]) -> pd.DataFrame:
    """The base model and each expert as points (role + objective columns), where their scores are known."""
    rows = []

    def point(role: str, scores: Any) -> None:
        if isinstance(scores, dict) and all(o in scores for o in objectives):
            vals = {o: float(v["value"] if isinstance(v, dict) else v) for o, v in ((o, scores[o]) for o in objectives)}
            rows.append({"role": role, **vals})

    point("base", provenance.get("base_scores"))
    for expert, scores in (provenance.get("expert_scores") or {}).items():
        point(f"expert:{expert}", scores)
    known = {r["role"] for r in rows}
    if len(trials):
        marked = trials[trials["role"].astype(bool) & trials["has_scores"]]
        for _, t in marked.iterrows():
            if t["role"] not in known:
                rows.append({"role": t["role"], **{o: float(t[o]) for o in objectives}})
    return pd.DataFrame(rows, columns=["role", *objectives])


def _attach_scores(trials: pd.DataFrame, scores: pd.DataFrame, objectives: list[str], split: str) -> pd.DataFrame:
    """Add full-fidelity value and interval columns per objective on ``split``.

    Optuna's values fill in only for trials told at full fidelity whose scores are not in our tables.
    """
    dev = scores[(scores["split"] == split) & (scores["fidelity"] == FULL_FIDELITY)] if len(scores) else scores
    for obj in objectives:
        sub = dev[dev["objective"] == obj].set_index("trial_id") if len(dev) else pd.DataFrame()
        for col, src in ((obj, "value"), (f"{obj}_lo", "ci_low"), (f"{obj}_hi", "ci_high")):
            trials[col] = trials["trial_id"].map(sub[src]) if len(sub) else np.nan
    values = trials[objectives].to_numpy(dtype=float) if len(trials) else np.empty((0, len(objectives)))
    for i, row in enumerate(trials.itertuples()):
        ov = row.optuna_values
        told_at = row.fidelity_attr
        full = told_at is None or float(told_at) >= FULL_FIDELITY
        if row.state == "COMPLETE" and full and ov is not None and len(ov) == len(objectives):
            missing = np.isnan(values[i])
            values[i, missing] = np.asarray(ov, dtype=float)[missing]
    for k, obj in enumerate(objectives):
        trials[obj] = values[:, k] if len(trials) else []
    trials["has_scores"] = (
        (trials["state"] == "COMPLETE") & np.all(np.isfinite(values), axis=1) if len(trials) else []
    )
    on_split = scores[scores["split"] == split] if len(scores) else scores
    fids = on_split.groupby("trial_id")["fidelity"].min() if len(on_split) else pd.Series(dtype=float)
    trials["screened_only"] = trials["trial_id"].map(fids).lt(FULL_FIDELITY) & ~trials["has_scores"]
    return trials


def _attach_costs(trials: pd.DataFrame, costs: list[dict[str, Any]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per-trial FLOPs and device-seconds, and cumulative compute in completion order (setup first)."""
    frame = pd.DataFrame(costs, columns=["trial_id", "kind", "label", "flops", "device_seconds", "paid",
                                         "created_at", "arm"])
    setup = frame[frame["kind"] == "setup"].reset_index(drop=True)
    per_trial = frame[frame["kind"] == "trial"].groupby("trial_id")[["flops", "device_seconds"]].sum()
    trials["flops"] = trials["trial_id"].map(per_trial["flops"]).fillna(0.0)
    trials["device_seconds"] = trials["trial_id"].map(per_trial["device_seconds"]).fillna(0.0)
    setup_flops = float(setup["flops"].sum())
    setup_secs = float(setup["device_seconds"].sum())
    # completion order; trials still running (no completion time) come last
    far = pd.Timestamp.max.tz_localize("UTC")
    key = pd.to_datetime(trials["complete"], utc=True).fillna(far) if len(trials) else trials["complete"]
    trials = trials.assign(_order=key).sort_values(["_order", "number"], kind="stable").drop(columns="_order")
    trials["cum_flops"] = setup_flops + trials["flops"].cumsum()
    trials["cum_device_seconds"] = setup_secs + trials["device_seconds"].cumsum()
    return trials.reset_index(drop=True), setup
