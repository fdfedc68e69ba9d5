"""Deployment profiles: which candidate to ship for a given priority, and is that choice robust?

A profile is constraints (a minimum score per objective) plus a preference (weights, and how they combine).
Merge coefficients are a deployment-time knob, so the same study answers every profile. The four documented
profiles (``DEFAULT_PROFILES``):

- ``balanced``: no constraint; maximise the worst of helpful, harmless, honest (equal weights, weighted min);
- ``safety-first``: harmless >= 0.8; then a weighted sum, harmless 3 : helpful 1 : honest 1;
- ``helpful-first``: harmless >= 0.5; then helpful 3 : harmless 1 : honest 1;
- ``honest-first``: harmless >= 0.5; then honest 3 : helpful 1 : harmless 1.

The study spec's ``profiles`` mapping (validated by ``search.spec.ProfileSpec``; the reports read the spec
the store keeps) overrides them, or adds new ones::

    profiles:
      safety-first: {constraints: ["harmless >= 0.95"]}
      cautious-helper: {constraints: ["harmless >= 0.7"], weights: {helpful: 2, honest: 1}}

Fields: ``constraints`` (``NAME >= NUMBER``; ``minimums: {NAME: NUMBER}`` is the same), ``weights``,
``scalarization`` (``weighted_sum`` or ``weighted_min``), ``description``. A field not given keeps the
documented profile's value; a given one replaces it whole.

Robustness: a choice that sits on a cliff is a poor deployment. For the chosen candidate the report looks at
the other evaluated candidates within a small neighbourhood of its coefficients (each parameter within
``radius`` of its observed range) and reports how far their scores move, beside the chosen score's own
bootstrap interval: if the neighbours stay inside that interval, the choice is robust.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .data import StudyData


class ProfileError(ValueError):
    """A profile that cannot be applied; the message names the profile and field."""


class Profile(BaseModel):
    """Constraints (minimum scores) plus a preference (weights combined by ``scalarization``)."""

    model_config = ConfigDict(extra="forbid")

    name: str
    description: str = ""
    weights: dict[str, float]
    minimums: dict[str, float] = Field(default_factory=dict)
    scalarization: Literal["weighted_sum", "weighted_min"] = "weighted_sum"

    @model_validator(mode="after")
    def _check(self) -> Profile:
        ok = all(np.isfinite(w) and w >= 0 for w in self.weights.values())
        if not self.weights or not ok or sum(self.weights.values()) <= 0:
            raise ProfileError(f"profile {self.name!r}: weights must be >= 0 and not all 0, got {self.weights}")
        return self

    def score(self, values: np.ndarray, objectives: list[str]) -> np.ndarray:
        w = np.array([self.weights.get(o, 0.0) for o in objectives])
        w = w / w.sum()
        if self.scalarization == "weighted_sum":
            return values @ w
        # weighted min (Chebyshev): maximise the worst objective, scaled by its weight's share
        used = w > 0
        return np.min(values[:, used] / (w[used] * used.sum()), axis=1)


DEFAULT_PROFILES: dict[str, Profile] = {
    p.name: p
    for p in (
        Profile(
            name="balanced",
            description="No objective may fall behind: maximise the worst of the three.",
            weights={"helpful": 1, "harmless": 1, "honest": 1},
            scalarization="weighted_min",
        ),
        Profile(
            name="safety-first",
            description="Refuse what should be refused first, then weigh harmlessness most.",
            weights={"helpful": 1, "harmless": 3, "honest": 1},
            minimums={"harmless": 0.8},
        ),
        Profile(
            name="helpful-first",
            description="The most helpful model that is still reasonably safe.",
            weights={"helpful": 3, "harmless": 1, "honest": 1},
            minimums={"harmless": 0.5},
        ),
        Profile(
            name="honest-first",
            description="The most honest model that is still reasonably safe.",
            weights={"helpful": 1, "harmless": 1, "honest": 3},
            minimums={"harmless": 0.5},
        ),
    )
}


_MINIMUM = re.compile(r"^\s*([A-Za-z][A-Za-z0-9_.-]*)\s*>=\s*([+-]?[0-9.]+(?:[eE][+-]?[0-9]+)?)\s*$")


def _minimums(name: str, constraints: Any) -> dict[str, float]:
    """``["harmless >= 0.8", ...]`` (the spec's form) as ``{"harmless": 0.8, ...}``."""
    if not isinstance(constraints, list):
        raise ProfileError(f"spec profiles.{name}.constraints: give a list of NAME >= NUMBER, got {constraints!r}")
    out: dict[str, float] = {}
    for i, text in enumerate(constraints):
        m = _MINIMUM.match(text) if isinstance(text, str) else None
        if m is None:
            raise ProfileError(f"spec profiles.{name}.constraints[{i}]: write NAME >= NUMBER, got {text!r}")
        out[m.group(1)] = float(m.group(2))
    return out


def profiles_for(spec: Mapping[str, Any] | None) -> dict[str, Profile]:
    """The documented profiles with the spec's ``profiles`` overrides applied (and new ones added)."""
    out = dict(DEFAULT_PROFILES)
    overrides = (spec or {}).get("profiles") or {}
    if not isinstance(overrides, Mapping):
        raise ProfileError(f"spec field 'profiles' must be a mapping of name -> profile, got {overrides!r}")
    for name, given in overrides.items():
        if not isinstance(given, Mapping):
            raise ProfileError(f"spec profiles.{name}: give a mapping of fields, got {given!r}")
        fields = {k: v for k, v in given.items() if v is not None}  # None: not given, keep the default's
        if "constraints" in fields:
            if "minimums" in fields:
                raise ProfileError(f"spec profiles.{name}: give constraints or minimums, not both")
            fields["minimums"] = _minimums(name, fields.pop("constraints"))
        base = out[name].model_dump() if name in out else {"name": name}
        if name in out and "description" not in fields and set(fields) & {"weights", "minimums", "scalarization"}:
            fields["description"] = f"{base['description']} (overridden in the spec)".strip()
        try:
            out[name] = Profile.model_validate({**base, **fields, "name": name})
        except ValidationError as exc:
            problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or name}: {e['msg']}" for e in exc.errors())
            raise ProfileError(f"spec profiles.{name}: {problems}") from exc
    return out


def choose(data: StudyData, profile: Profile, radius: float = 0.1) -> dict[str, Any]:
    """The feasible full-fidelity candidate the profile prefers, with test scores and robustness."""
    unknown = sorted((set(profile.weights) | set(profile.minimums)) - set(data.objectives))
    if unknown:
        raise ProfileError(
            f"profile {profile.name!r} names objective(s) {unknown}; this study has {data.objectives}"
        )
    pool = data.complete[data.complete["feasible"]]
    for obj, low in profile.minimums.items():
        pool = pool[pool[obj] >= low]
    result: dict[str, Any] = {"profile": profile.name, "description": profile.description,
                              "weights": profile.weights, "minimums": profile.minimums}
    if not len(pool):
        result["chosen"] = None
        result["message"] = (
            f"no feasible candidate meets the minimums {profile.minimums}: relax them in the spec's profiles"
        )
        return result
    utility = profile.score(data.points(pool), data.objectives)
    best = pool.iloc[int(np.argmax(utility))]
    result["chosen"] = {
        "number": int(best["number"]),
        "trial_id": int(best["trial_id"]),
        "role": best["role"] or None,
        "params": best["params"],
        "utility": float(np.max(utility)),
        "dev": {o: _score(best, o) for o in data.objectives},
        "test": test_scores(data, int(best["trial_id"])),
        "robustness": robustness(data, best, radius),
    }
    return result


def _score(row: pd.Series, obj: str) -> dict[str, float | None]:
    def num(v: Any) -> float | None:
        return None if v is None or (isinstance(v, float) and np.isnan(v)) else float(v)

    return {"value": num(row[obj]), "ci_low": num(row.get(f"{obj}_lo")), "ci_high": num(row.get(f"{obj}_hi"))}


def test_scores(data: StudyData, trial_id: int) -> dict[str, dict[str, float | None]]:
    """The test-split confirmation of a trial (highest fidelity recorded), objective -> value and interval."""
    s = data.scores
    if not len(s):
        return {}
    s = s[(s["trial_id"] == trial_id) & (s["split"] == "test")]
    out = {}
    for obj, grp in s.groupby("objective"):
        row = grp.sort_values("fidelity").iloc[-1]
        out[str(obj)] = {"value": float(row["value"]),
                         "ci_low": None if pd.isna(row["ci_low"]) else float(row["ci_low"]),
                         "ci_high": None if pd.isna(row["ci_high"]) else float(row["ci_high"])}
    return out


def robustness(data: StudyData, chosen: pd.Series, radius: float = 0.1) -> dict[str, Any]:
    """How far the scores of evaluated neighbours (each parameter within ``radius`` of its range) move."""
    names = [p for p in data.param_names if p in chosen["params"]]
    done = data.complete
    if not names or len(done) < 2:
        return {"radius": radius, "n_neighbours": 0, "objectives": {}, "robust": None}
    grid = np.array([[p.get(n, np.nan) for n in names] for p in done["params"]], dtype=float)
    span = np.nanmax(grid, axis=0) - np.nanmin(grid, axis=0)
    span[span == 0] = 1.0
    centre = np.array([chosen["params"][n] for n in names], dtype=float)
    dist = np.nanmax(np.abs(grid - centre) / span, axis=1)
    near = done[(dist <= radius) & (done["trial_id"] != chosen["trial_id"]).to_numpy()]
    objs: dict[str, Any] = {}
    robust = True if len(near) else None
    for o in data.objectives:
        moves = (near[o] - chosen[o]).abs() if len(near) else pd.Series(dtype=float)
        half = None
        if not pd.isna(chosen.get(f"{o}_lo")) and not pd.isna(chosen.get(f"{o}_hi")):
            half = float(chosen[f"{o}_hi"] - chosen[f"{o}_lo"]) / 2
        max_move = float(moves.max()) if len(moves) else None
        objs[o] = {"max_move": max_move, "ci_half_width": half}
        if max_move is not None and half is not None and max_move > half:
            robust = False
    return {"radius": radius, "n_neighbours": int(len(near)), "objectives": objs, "robust": robust}
