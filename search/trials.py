"""What a trial is made of: the search space of a spec, a candidate read back from Optuna's parameters,
and the key under which identical candidates are recognised.

Parameter names are stable and readable in the dashboard: ``w.<expert>`` (one coefficient per expert) or
``w.<group>.<expert>`` (per layer group: ``embed``, ``blocks_0`` ... ``blocks_{N-1}``, ``head``), ``m.<knob>``
for searched method knobs, and ``mix.stick_<i>`` for the mix arm's simplex (see ``search/space.py``).
With tied embeddings the output head *is* the embedding, so ``head`` (only the final norm is left) shares
the ``embed`` coefficients: one group, as the issue asks.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mixmerge.search.space import ContinuousParam, SearchSpace, SimplexGroup
from mixmerge.search.spec import COEF_PREFIX, METHOD_PREFIX, MIX_GROUP, StudySpec

KEY_DECIMALS = 6
"""Parameters are rounded to this many decimals before two candidates are called identical."""


def base_is_tied(base_ref: str) -> bool:
    """Whether the base model ties its output head to its embeddings (read from its config only)."""
    from mixmerge.merge_core.builtin import is_builtin, resolve_builtin
    from mixmerge.merge_core.checkpoint import is_tied

    path = resolve_builtin(base_ref) if is_builtin(base_ref) else Path(base_ref)
    config = path / "config.json"
    if not config.is_file():
        raise ValueError(f"base {base_ref!r}: {config} not found; give a model directory or builtin:NAME")
    return is_tied(json.loads(config.read_text()))


def coefficient_groups(spec: StudySpec, tied: bool) -> list[str] | None:
    """The layer groups that get their own coefficients (None: one coefficient per expert)."""
    if not spec.space.layer_groups:
        return None
    from mixmerge.merge_core.groups import group_names

    groups = group_names(spec.space.layer_groups)
    return [g for g in groups if not (tied and g == "head")]


def build_space(spec: StudySpec, tied: bool) -> SearchSpace:
    """The search space every worker and every sampler of this study uses."""
    if spec.arm == "mix":
        return SearchSpace(simplex_groups=[SimplexGroup(name=MIX_GROUP, members=spec.mix_sets)])
    params = []
    groups = coefficient_groups(spec, tied)
    for expert in spec.expert_labels:
        low, high = spec.space.per_expert.get(expert, spec.space.coefficients)
        if groups is None:
            params.append(ContinuousParam(name=f"{COEF_PREFIX}{expert}", low=low, high=high))
        else:
            params += [ContinuousParam(name=f"{COEF_PREFIX}{g}.{expert}", low=low, high=high) for g in groups]
    for knob, (low, high) in spec.space.method_params.items():
        params.append(ContinuousParam(name=f"{METHOD_PREFIX}{knob}", low=low, high=high))
    return SearchSpace(params=params)


@dataclass(frozen=True)
class MergeCandidate:
    """Coefficients (per expert, or per group then per expert) and the searched method knobs."""

    weights: list[float] | dict[str, list[float]]
    method_params: dict[str, float]

    def describe(self, experts: list[str]) -> dict[str, Any]:
        if isinstance(self.weights, dict):
            coef: Any = {g: dict(zip(experts, w, strict=True)) for g, w in self.weights.items()}
        else:
            coef = dict(zip(experts, self.weights, strict=True))
        return {"coefficients": coef, "method_params": dict(self.method_params)}


def merge_candidate(spec: StudySpec, point: Mapping[str, float], tied: bool) -> MergeCandidate:
    """Read a merge candidate from a point of :func:`build_space`."""
    experts = spec.expert_labels
    groups = coefficient_groups(spec, tied)
    knobs = {k[len(METHOD_PREFIX):]: float(v) for k, v in point.items() if k.startswith(METHOD_PREFIX)}
    if groups is None:
        return MergeCandidate([float(point[f"{COEF_PREFIX}{e}"]) for e in experts], knobs)
    weights = {g: [float(point[f"{COEF_PREFIX}{g}.{e}"]) for e in experts] for g in groups}
    if tied:
        weights["head"] = list(weights["embed"])
    return MergeCandidate(weights, knobs)


def mix_ratios(spec: StudySpec, point: Mapping[str, float]) -> dict[str, float]:
    """The mixture a point of the mix arm's space stands for (exactly on the simplex)."""
    ratios = {s: max(0.0, float(point[s])) for s in spec.mix_sets}
    total = sum(ratios.values())
    return {s: r / total for s, r in ratios.items()}


def candidate_key(params: Mapping[str, float]) -> str:
    """A short hash of the rounded Optuna parameters: equal for candidates that build the same model."""
    rounded = {k: round(float(v), KEY_DECIMALS) + 0.0 for k, v in sorted(params.items())}
    return hashlib.sha256(json.dumps(rounded, sort_keys=True).encode()).hexdigest()[:16]
