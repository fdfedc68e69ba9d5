"""The study spec: one YAML file, one pydantic model, used by the CLI, the HTTP API and every worker.

::

    study: h3-ties                       # the study's name in the store
    arm: merge                           # merge | mix
    base: builtin:smollm2-135m-instruct
    experts: {helpful: experts/helpful, harmless: experts/harmless, honest: experts/honest}
    method: ties                         # a merge_core method and its fixed parameters
    method_params: {density: 0.5}
    space:
      coefficients: [0.0, 1.0]           # bounds of every expert's coefficient ...
      per_expert: {helpful: [0.2, 1.5]}  # ... or of one expert
      layer_groups: 0                    # N > 0: one coefficient per expert and layer group
      method_params: {density: [0.1, 1.0]}
    objectives: [helpful, harmless, honest, {name: capability, trade: false}]
    constraints: ["harmless >= 0.9", "capability >= base - 0.05"]
    reference_point: {helpful: 0, harmless: 0, honest: 0}
    screening: {fraction: 0.25}
    optimizer: {name: qlognehvi, n_startup: 10, batch_size: 1}
    budget: {trials: 60, flops: 1e15, device_hours: 2, deadline: 3h}
    seed: 0
    storage: mixmerge.db
    split: dev
    profiles:                            # deployment profiles for the reports (see reports/profiles.py)
      safety-first: {constraints: ["harmless >= 0.95"]}     # overrides one field of a documented profile
      cautious-helper: {constraints: ["harmless >= 0.7"], weights: {helpful: 2, honest: 1}}

``arm: mix`` takes ``data`` (training set per objective: a set name or a JSONL path), ``strategy``
(``search``: the optimizer searches the simplex of ratios; ``fixed``/``scored``: the listed ``mixes`` are
trained and scored) and ``training`` (the training recipe, shared with the experts). ``arm: merge`` without
``experts`` trains them first with ``training`` and charges that to the budget.

Everything that can be checked without compute is checked here: unknown fields, bounds, constraints that
name an objective not in the study, a method that cannot search a knob. Files and the database are checked
by :func:`check_inputs` and the store, still before anything is written.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

import yaml
from mixmerge.training.recipe import DEFAULT_EXPERT_TOKENS, Mixture, Strategy, TrainRecipe
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

SPEC_FORMAT = "mixmerge-study/1"
DEFAULT_BASE = "builtin:smollm2-135m-instruct"
DEFAULT_STORAGE = "mixmerge.db"
COEF_PREFIX = "w."
METHOD_PREFIX = "m."
MIX_GROUP = "mix"

OptimizerName = Literal["qlognehvi", "gp", "tpe", "nsga2", "random", "sobol"]


class SpecError(ValueError):
    """A study spec that cannot run; the message names the field and the fix."""


_STRICT = ConfigDict(extra="forbid")


def _bounds(value: Any, what: str) -> tuple[float, float]:
    """``[low, high]`` or ``{low, high}`` -> a validated pair (low < high, both finite)."""
    if isinstance(value, dict):
        extra = set(value) - {"low", "high"}
        if extra or not {"low", "high"} <= set(value):
            raise ValueError(f"{what}: write bounds as [low, high] or {{low: L, high: H}}, got {value!r}")
        value = [value["low"], value["high"]]
    if not isinstance(value, list | tuple) or len(value) != 2:
        raise ValueError(f"{what}: write bounds as [low, high], got {value!r}")
    low, high = (float(v) for v in value)
    if not (math.isfinite(low) and math.isfinite(high)):
        raise ValueError(f"{what}: bounds must be finite, got [{low}, {high}]")
    if low > high:
        raise ValueError(f"{what}: low ({low}) is above high ({high}); swap them")
    if low == high:
        raise ValueError(f"{what}: low equals high ({low}); give a fixed value as a fixed parameter instead")
    return low, high


class SpaceSpec(BaseModel):
    """What the optimizer searches (merge arm); the mix arm's simplex of ratios needs no settings."""

    model_config = _STRICT
    coefficients: tuple[float, float] = (0.0, 1.0)
    per_expert: dict[str, tuple[float, float]] = Field(default_factory=dict)
    layer_groups: int = Field(0, ge=0, le=64, description="0: one coefficient per expert; N: per layer group")
    method_params: dict[str, tuple[float, float]] = Field(default_factory=dict)

    @field_validator("coefficients", mode="before")
    @classmethod
    def _coef(cls, v: Any) -> tuple[float, float]:
        return _bounds(v, "space.coefficients")

    @field_validator("per_expert", "method_params", mode="before")
    @classmethod
    def _many(cls, v: Any, info: Any) -> dict[str, tuple[float, float]]:
        if not isinstance(v, dict):
            raise ValueError(f"space.{info.field_name} must be a mapping NAME: [low, high]")
        return {k: _bounds(b, f"space.{info.field_name}.{k}") for k, b in v.items()}


class ObjectiveEntry(BaseModel):
    """One scored objective: a name ``build_objective`` understands, its direction, whether it is traded.

    ``trade: false`` makes it a guard: scored and stored, usable in constraints, not an optimizer objective.
    ``test`` names the objective to confirm on (file objectives have no splits: give the test file here).
    """

    model_config = _STRICT
    name: str = Field(min_length=1)
    direction: Literal["maximize", "minimize"] = "maximize"
    trade: bool = True
    test: str | None = None

    @property
    def key(self) -> str:
        """The short name scores are stored under (``helpful``, or NAME of ``NAME=FORMAT:PATH``)."""
        from mixmerge.objectives.registry import parse_objective

        return parse_objective(self.name).name


_CONSTRAINT = re.compile(
    r"^\s*([A-Za-z][A-Za-z0-9_.-]*)\s*(>=|<=)\s*(?:(base)\s*(?:([+-])\s*([0-9.eE+-]+))?|([+-]?[0-9.eE+-]+))\s*$"
)


class Constraint(BaseModel):
    """``NAME >= VALUE``, ``NAME <= VALUE``, or relative to the base model: ``NAME >= base - 0.05``."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    objective: str
    op: Literal[">=", "<="]
    value: float = 0.0
    relative_to_base: bool = False
    text: str

    @classmethod
    def parse(cls, text: str) -> Constraint:
        m = _CONSTRAINT.match(text)
        if not m:
            raise ValueError(f"constraint {text!r}: write NAME >= NUMBER, NAME <= NUMBER or NAME >= base - NUMBER")
        name, op, base, sign, offset, number = m.groups()
        if base:
            value = float(offset or 0.0) * (-1.0 if sign == "-" else 1.0)
        else:
            value = float(number)
        if not math.isfinite(value):
            raise ValueError(f"constraint {text!r}: the threshold must be finite")
        canon = f"{name}{op}" + (f"base{sign}{offset}" if base and offset else "base" if base else f"{value:g}")
        return cls(objective=name, op=op, value=value, relative_to_base=bool(base), text=canon)

    def threshold(self, base_scores: dict[str, float] | None) -> float:
        if not self.relative_to_base:
            return self.value
        if not base_scores or self.objective not in base_scores:
            raise SpecError(f"constraint {self.text!r} needs the base model's {self.objective} score; "
                            "it is measured once per study before the first trial")
        return base_scores[self.objective] + self.value

    def violation(self, value: float, base_scores: dict[str, float] | None) -> float:
        """Optuna's convention: <= 0 is feasible; the amount by which ``value`` misses the threshold."""
        t = self.threshold(base_scores)
        return t - value if self.op == ">=" else value - t


PROFILE_NAMES = ("balanced", "safety-first", "helpful-first", "honest-first")
"""The documented deployment profiles (defined in ``mixmerge.reports.profiles``, which search must not import)."""


class ProfileSpec(BaseModel):
    """A deployment profile: constraints (minimum scores) plus a preference (weights, combined by
    ``scalarization``). Under a documented name it overrides that profile field by field (a field not given
    keeps the default's); a new name must give its ``weights``."""

    model_config = _STRICT
    description: str | None = None
    constraints: list[str] | None = Field(None, description="minimum scores: NAME >= NUMBER")
    weights: dict[str, float] | None = Field(None, description="preference among the qualifying candidates")
    scalarization: Literal["weighted_sum", "weighted_min"] | None = None

    @field_validator("constraints", mode="before")
    @classmethod
    def _minimums(cls, v: Any) -> Any:
        if not isinstance(v, list):
            return v
        texts = []
        for i, text in enumerate(v):
            if not isinstance(text, str):
                raise ValueError(f"constraints[{i}]: write NAME >= NUMBER, got {text!r}")
            c = Constraint.parse(text)
            if c.op != ">=" or c.relative_to_base:
                raise ValueError(f"constraints[{i}] {text!r}: a profile constraint is a minimum score, NAME >= NUMBER "
                                 "(constraints relative to the base belong in the study's constraints)")
            texts.append(c.text)
        names = [t.split(">=")[0] for t in texts]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ValueError(f"constraints: {twice} given more than once; give one minimum per objective")
        return texts

    @field_validator("weights")
    @classmethod
    def _weights(cls, v: dict[str, float] | None) -> dict[str, float] | None:
        if v is None:
            return v
        bad = {k: w for k, w in v.items() if not (math.isfinite(w) and w >= 0)}
        if bad or not v or sum(v.values()) <= 0:
            raise ValueError(f"weights must be finite, >= 0 and not all 0, got {v}")
        return v

    def objectives(self) -> dict[str, list[str]]:
        """Objective names this profile uses, by field."""
        return {"constraints": [t.split(">=")[0] for t in self.constraints or []],
                "weights": list(self.weights or {})}


class ScreeningSpec(BaseModel):
    """Score a candidate on a seeded ``fraction`` of each objective's items first (a cheap fidelity)."""

    model_config = _STRICT
    fraction: float = Field(gt=0, lt=1)


class OptimizerSpec(BaseModel):
    model_config = _STRICT
    name: OptimizerName = "qlognehvi"
    n_startup: int = Field(10, ge=1, description="initial design size of the model-based samplers")
    batch_size: int = Field(1, ge=1)


_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d)\s*$")


class BudgetSpec(BaseModel):
    """The search stops at the first budget reached (each worker may finish the trial it is running)."""

    model_config = _STRICT
    flops: float | None = Field(None, gt=0)
    device_hours: float | None = Field(None, gt=0)
    trials: int | None = Field(None, ge=1)
    deadline: str | None = Field(None, description="ISO date-time, or a duration from the start: 90m, 3h, 2d")

    @field_validator("deadline", mode="before")
    @classmethod
    def _deadline(cls, v: Any) -> str | None:
        if v is None:
            return None
        if isinstance(v, datetime):
            v = v.isoformat()
        v = str(v)
        if not _DURATION.match(v):
            try:
                datetime.fromisoformat(v)
            except ValueError:
                raise ValueError(f"budget.deadline {v!r}: give an ISO date-time or a duration (90m, 3h, 2d)") from None
        return v

    @model_validator(mode="after")
    def _some(self) -> BudgetSpec:
        if self.flops is None and self.device_hours is None and self.trials is None and self.deadline is None:
            raise ValueError("budget: give at least one of flops, device_hours, trials, deadline")
        return self

    def deadline_from(self, start: datetime) -> datetime | None:
        """The absolute deadline for a study started at ``start`` (fixed once, kept across resumes)."""
        if self.deadline is None:
            return None
        m = _DURATION.match(self.deadline)
        if m:
            unit = {"s": 1, "m": 60, "h": 3600, "d": 86400}[m.group(2)]
            return start + timedelta(seconds=float(m.group(1)) * unit)
        when = datetime.fromisoformat(self.deadline)
        return when if when.tzinfo else when.replace(tzinfo=UTC)


class EvaluationSpec(BaseModel):
    """How evaluation runs (not what it measures); see ``objectives.objective.EvalSettings``."""

    model_config = _STRICT
    suite: Literal["builtin", "public"] = "builtin"
    data_dir: str | None = None
    items: int | None = Field(None, ge=1, description="items per objective at full fidelity (a seeded subset of "
                                                       "the split, test included; default: all)")
    batch_size: int = Field(16, ge=1)
    bf16: bool = False
    fluency_gate: bool = True


class WorkerSpec(BaseModel):
    """Heartbeats: a worker that stops beating for ``grace_s`` seconds has its trial failed and retried."""

    model_config = _STRICT
    heartbeat_s: int = Field(30, ge=1)
    grace_s: int = Field(120, ge=2)
    max_retries: int = Field(2, ge=0, description="retries of a trial whose worker died or whose run raised")
    threads: int | None = Field(None, ge=1, description="torch threads per worker (default: torch's choice)")

    @model_validator(mode="after")
    def _grace(self) -> WorkerSpec:
        if self.grace_s <= self.heartbeat_s:
            raise ValueError(f"workers.grace_s ({self.grace_s}) must exceed workers.heartbeat_s ({self.heartbeat_s})")
        return self


class StudySpec(BaseModel):
    """A whole study. ``model_dump(mode="json")`` is what the store keeps; the same dump loads back."""

    model_config = _STRICT

    format: Literal["mixmerge-study/1"] = SPEC_FORMAT
    study: str = Field(min_length=1, max_length=256, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$")
    arm: Literal["merge", "mix"]
    base: str = DEFAULT_BASE
    # merge arm
    experts: dict[str, str] | None = None
    expert_names: list[str] = Field(default_factory=lambda: ["helpful", "harmless", "honest"])
    method: str = "task_arithmetic"
    method_params: dict[str, Any] = Field(default_factory=dict)
    # mix arm (and the merge arm's experts when they are trained here)
    data: dict[str, str] = Field(default_factory=dict, description="training set per objective: set name or JSONL")
    strategy: Strategy = "search"
    mixes: list[dict[str, float]] = Field(default_factory=list, description="ratios for fixed/scored strategies")
    keep_fraction: float = Field(0.5, gt=0, le=1, description="scored strategy: share of each set kept")
    training: TrainRecipe = Field(default_factory=lambda: TrainRecipe(tokens=DEFAULT_EXPERT_TOKENS))
    # search
    space: SpaceSpec = Field(default_factory=SpaceSpec)
    objectives: list[ObjectiveEntry] = Field(min_length=1)
    constraints: list[Constraint] = Field(default_factory=list)
    reference_point: dict[str, float] | None = None
    screening: ScreeningSpec | None = None
    optimizer: OptimizerSpec = Field(default_factory=OptimizerSpec)
    budget: BudgetSpec
    evaluation: EvaluationSpec = Field(default_factory=EvaluationSpec)
    workers: WorkerSpec = Field(default_factory=WorkerSpec)
    seed: int = 0
    storage: str = DEFAULT_STORAGE
    split: Literal["train", "dev", "test"] = "dev"
    workdir: str | None = Field(None, description="trained experts/mixtures go here (default: beside storage)")
    # reports
    profiles: dict[str, ProfileSpec] = Field(
        default_factory=dict, description="deployment profiles: overrides of the documented ones, or new ones")

    @field_validator("objectives", mode="before")
    @classmethod
    def _short_objectives(cls, v: Any) -> Any:
        if isinstance(v, list):
            return [{"name": o} if isinstance(o, str) else o for o in v]
        return v

    @field_validator("constraints", mode="before")
    @classmethod
    def _parse_constraints(cls, v: Any) -> Any:
        if isinstance(v, list):
            return [Constraint.parse(c) if isinstance(c, str) else c for c in v]
        return v

    @model_validator(mode="after")
    def _consistent(self) -> StudySpec:
        from mixmerge.objectives.registry import parse_objective

        keys = []
        for i, o in enumerate(self.objectives):
            try:
                keys.append(parse_objective(o.name).name)
            except ValueError as err:
                raise ValueError(f"objectives[{i}]: {err}") from None
        dupes = sorted({k for k in keys if keys.count(k) > 1})
        if dupes:
            raise ValueError(f"objectives: {dupes} listed twice; list each objective once")
        if not any(o.trade for o in self.objectives):
            raise ValueError("objectives: at least one must be traded (trade: true)")
        for c in self.constraints:
            if c.objective not in keys:
                raise ValueError(f"constraint {c.text!r} names {c.objective!r}, which is not an objective of this "
                                 f"study ({', '.join(keys)}); add it to objectives (trade: false for a guard)")
        names = [c.text for c in self.constraints]
        if len(set(names)) != len(names):
            raise ValueError("constraints: the same constraint is given twice")
        traded = self.traded_keys
        if self.reference_point is not None:
            unknown = sorted(set(self.reference_point) - set(traded))
            missing = sorted(set(traded) - set(self.reference_point))
            if unknown or missing:
                raise ValueError(f"reference_point: give one value per traded objective {traded} "
                                 f"(unknown: {unknown}, missing: {missing})")
        self._check_profiles()
        if self.arm == "merge":
            self._check_merge()
        else:
            self._check_mix()
        return self

    def _check_profiles(self) -> None:
        traded = self.traded_keys
        for name, profile in self.profiles.items():
            if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}", name):
                raise ValueError(f"profiles: name {name!r}: use letters, digits, '-', '_' or '.' (at most 64)")
            if name not in PROFILE_NAMES and profile.weights is None:
                raise ValueError(f"profiles.{name}.weights: a new profile needs weights (the documented ones are "
                                 f"{', '.join(PROFILE_NAMES)})")
            for field, names in profile.objectives().items():
                unknown = [n for n in names if n not in traded]
                if unknown:
                    guards = [n for n in unknown if n in self.objective_keys]
                    hint = (f"; {guards} are guards, constrain them in the study's constraints" if guards
                            else "")
                    raise ValueError(f"profiles.{name}.{field} names {unknown}, which are not traded objectives of "
                                     f"this study ({', '.join(traded)}){hint}")

    def _check_merge(self) -> None:
        from mixmerge.merge_core.methods import get_method, parse_params

        method = get_method(self.method)  # ValueError lists the known methods
        names = list(self.experts) if self.experts else self.expert_names
        if not names:
            raise ValueError("experts: give at least one expert")
        not_searchable = sorted(set(self.space.method_params) - set(method.searchable))
        if not_searchable:
            raise ValueError(f"space.method_params: {self.method!r} cannot search {not_searchable}; searchable: "
                             f"{sorted(method.searchable) or 'none'}")
        fixed = dict(self.method_params)
        for knob, (low, _) in self.space.method_params.items():
            fixed.setdefault(knob, low)
        try:
            params = parse_params(method, fixed)
        except Exception as err:  # pydantic's error names the knob
            raise ValueError(f"method_params for {self.method!r}: {err}") from None
        method.check(len(names), params)
        unknown = sorted(set(self.space.per_expert) - set(names))
        if unknown:
            raise ValueError(f"space.per_expert names {unknown}, which are not experts ({', '.join(names)})")
        if self.experts is None:
            for name in names:
                if name not in self.data and name not in ("helpful", "harmless", "honest"):
                    raise ValueError(f"expert {name!r} is to be trained but has no training set in data")

    def _check_mix(self) -> None:
        if self.experts:
            raise ValueError("experts: the mix arm trains on data, it takes no experts (use arm: merge)")
        sets = self.mix_sets
        if len(sets) < 2:
            raise ValueError("data: the mix arm needs at least two training sets (one per objective)")
        if self.strategy == "search":
            if self.mixes:
                raise ValueError("mixes: only for strategy fixed or scored; strategy search explores the simplex")
        else:
            if not self.mixes:
                raise ValueError(f"mixes: strategy {self.strategy!r} trains the listed mixes; give at least one")
            for i, mix in enumerate(self.mixes):
                if set(mix) != set(sets):
                    raise ValueError(f"mixes[{i}]: give a ratio for each set {sets}, got {sorted(mix)}")
                try:
                    Mixture(ratios=mix)
                except ValueError as err:
                    raise ValueError(f"mixes[{i}]: {err}") from None
        if self.space.per_expert or self.space.method_params or self.space.layer_groups:
            raise ValueError("space: coefficients, layer groups and method parameters are merge-arm settings")

    # --- derived --------------------------------------------------------------------------------------
    @property
    def objective_keys(self) -> list[str]:
        return [o.key for o in self.objectives]

    @property
    def traded(self) -> list[ObjectiveEntry]:
        return [o for o in self.objectives if o.trade]

    @property
    def traded_keys(self) -> list[str]:
        return [o.key for o in self.traded]

    @property
    def directions(self) -> list[str]:
        return [o.direction for o in self.traded]

    @property
    def reference(self) -> list[float]:
        """The hypervolume reference point, one value per traded objective (default 0 each)."""
        ref = self.reference_point or {}
        return [float(ref.get(k, 0.0)) for k in self.traded_keys]

    @property
    def constraint_names(self) -> list[str]:
        return [c.text for c in self.constraints]

    @property
    def expert_labels(self) -> list[str]:
        return list(self.experts) if self.experts else list(self.expert_names)

    @property
    def mix_sets(self) -> list[str]:
        return list(self.data) if self.data else ["helpful", "harmless", "honest"]

    @property
    def needs_base_scores(self) -> bool:
        return any(c.relative_to_base for c in self.constraints)

    def budget_trials(self) -> int:
        if self.arm == "mix" and self.strategy != "search":
            return len(self.mixes)
        return self.budget.trials or 100

    def storage_dir(self) -> Path:
        from mixmerge.storage.urls import is_sqlite, normalise_url

        url = normalise_url(self.storage)
        return Path(url.database).parent if is_sqlite(url) else Path.cwd()

    def work_dir(self) -> Path:
        return Path(self.workdir).expanduser().absolute() if self.workdir else (
            self.storage_dir() / f"{self.study}.runs")

    def stored(self) -> dict[str, Any]:
        """The JSON form kept in the store (resume compares it; workers elsewhere rebuild the spec from it)."""
        out = self.model_dump(mode="json", exclude={"profiles"})
        if self.profiles:  # absent when empty: stores written before profiles existed still match on resume
            out["profiles"] = {k: p.model_dump(mode="json", exclude_none=True) for k, p in self.profiles.items()}
        return out

    @classmethod
    def load(cls, path: str | Path, **overrides: Any) -> StudySpec:
        path = Path(path)
        if not path.is_file():
            raise SpecError(f"spec file not found: {str(path)!r}")
        try:
            data = yaml.safe_load(path.read_text())
        except yaml.YAMLError as err:
            raise SpecError(f"spec {path} is not valid YAML: {err}") from None
        if not isinstance(data, dict):
            raise SpecError(f"spec {path} must be a YAML mapping (study, arm, objectives, budget, ...)")
        data.update({k: v for k, v in overrides.items() if v is not None})
        return _relative_paths(cls.model_validate(data), path.parent)


def _relative_paths(spec: StudySpec, folder: Path) -> StudySpec:
    """Paths in a spec file are relative to the file, so the same spec runs from any directory."""

    def fix(ref: str) -> str:
        if ref.startswith("builtin:") or "://" in ref or Path(ref).is_absolute():
            return ref
        candidate = (folder / ref).absolute()
        return str(candidate) if candidate.exists() or (folder / Path(ref).parent).exists() else ref

    def fix_objective(text: str) -> str:
        if "=" not in text or ":" not in text:
            return text
        name, rest = text.split("=", 1)
        kind, _, target = rest.partition(":")
        if kind == "lm_eval":
            return text
        path, sep, judge = target.partition(",judge=")
        return f"{name}={kind}:{fix(path)}" + (f"{sep}{fix(judge)}" if sep else "")

    update: dict[str, Any] = {"base": fix(spec.base), "storage": fix(spec.storage) if "://" not in spec.storage
                              else spec.storage}
    if spec.experts:
        update["experts"] = {k: fix(v) for k, v in spec.experts.items()}
    if spec.data:
        update["data"] = {k: (fix(v) if v.endswith((".jsonl", ".json", ".csv")) else v) for k, v in spec.data.items()}
    update["objectives"] = [o.model_copy(update={"name": fix_objective(o.name),
                                                 "test": fix_objective(o.test) if o.test else None})
                            for o in spec.objectives]
    if spec.workdir:
        update["workdir"] = fix(spec.workdir)
    return spec.model_copy(update=update)
