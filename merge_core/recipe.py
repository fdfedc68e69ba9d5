"""A merge recipe: mergekit's YAML format (the parts this project implements) plus a ``seed``.

::

    merge_method: ties
    base_model: builtin:smollm2-135m-instruct
    models:
      - model: experts/helpful
        parameters: {weight: 0.5}
      - model: experts/harmless            # a model directory or a PEFT LoRA adapter directory
        parameters: {weight: 0.3}
    parameters: {density: 0.5}             # the method's knobs, one value for all models
    dtype: bfloat16                        # output dtype (default: the base model's)
    seed: 0                                # random methods (DARE, DELLA) draw from (seed, tensor, model)

Only ``weight`` may be given per model (mergekit also allows per-model knobs such as ``density``; here
they must be global, because the resident merger prepares one mask set per knob value). A top-level
``weight`` is the default for models that give none; with neither, a model weighs 1.0. Paths are used as
given, relative to the working directory (as mergekit does). One pydantic model, reused by the CLI and by
the search service, which fills ``weight`` and the searched knobs per candidate.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import torch
import yaml
from mixmerge.merge_core.methods import MergeMethod, MethodParams, get_method, parse_params
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

DTYPES: dict[str, torch.dtype] = {"float32": torch.float32, "float16": torch.float16, "bfloat16": torch.bfloat16}


class RecipeError(ValueError):
    """A recipe file that cannot be read or used; the message names the field and the fix."""


def _parse_method_params(method_name: str, parameters: dict[str, Any]) -> MethodParams:
    """The method's pydantic parameters, with errors rephrased to name each knob and list the valid ones."""
    method = get_method(method_name)
    raw = {k: v for k, v in parameters.items() if k != "weight"}
    try:
        return parse_params(method, raw)
    except ValidationError as err:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or '?'}: {e['msg'].removeprefix('Value error, ')}"
                             for e in err.errors())
        known = ", ".join(sorted(f.alias or n for n, f in method.Params.model_fields.items())) or "none"
        raise PydanticCustomError("method_params", "{p} (merge method {m} takes: {k}; plus weight)",
                                  {"p": problems, "m": repr(method_name), "k": known}) from None


class ModelEntry(BaseModel):
    """One expert: a model directory, a PEFT LoRA adapter directory, or ``builtin:NAME``."""

    model_config = ConfigDict(extra="forbid")

    model: str = Field(min_length=1)
    parameters: dict[str, Any] = Field(default_factory=dict)

    @field_validator("parameters")
    @classmethod
    def _only_weight(cls, value: dict[str, Any]) -> dict[str, Any]:
        other = sorted(k for k in value if k != "weight")
        if other:
            raise PydanticCustomError(
                "per_model_knob", "only 'weight' may be given per model, got {o}; move {names} to the top-level "
                "'parameters' (one value for all models)", {"o": str(other), "names": ", ".join(other)})
        if "weight" in value:
            w = value["weight"]
            if isinstance(w, bool) or not isinstance(w, (int, float)):
                raise PydanticCustomError("weight", "weight must be a number, got {w} (per-layer weight lists "
                                          "are not supported)", {"w": repr(w)})
        return value


class Recipe(BaseModel):
    """A mergekit-style merge recipe, validated against the registered merge methods."""

    model_config = ConfigDict(extra="forbid")

    merge_method: str
    base_model: str = Field(min_length=1)
    models: list[ModelEntry] = Field(min_length=1)
    parameters: dict[str, Any] = Field(default_factory=dict)
    dtype: Literal["float32", "float16", "bfloat16"] | None = None
    seed: int = 0

    @field_validator("merge_method")
    @classmethod
    def _known_method(cls, value: str) -> str:
        try:
            get_method(value)
        except ValueError as err:
            raise PydanticCustomError("unknown_method", str(err)) from None
        return value

    @field_validator("parameters")
    @classmethod
    def _method_params(cls, value: dict[str, Any], info: ValidationInfo) -> dict[str, Any]:
        default = value.get("weight", 1.0)
        if isinstance(default, bool) or not isinstance(default, (int, float)):
            raise PydanticCustomError("weight", "weight must be a number, got {w}", {"w": repr(default)})
        if "merge_method" in info.data:  # else its own error is reported
            _parse_method_params(info.data["merge_method"], value)
        return value

    @model_validator(mode="after")
    def _check_models(self) -> Recipe:
        seen: dict[str, int] = {}
        for i, entry in enumerate(self.models):
            if entry.model in seen:
                raise PydanticCustomError(
                    "duplicate_model", "models[{i}] repeats model {m} (already models[{j}]); list each expert "
                    "once and give it the summed weight", {"i": i, "m": repr(entry.model), "j": seen[entry.model]})
            seen[entry.model] = i
        try:
            self.method().check(len(self.models), self.method_params())
        except ValueError as err:
            raise PydanticCustomError("models", "{e}", {"e": str(err)}) from None
        return self

    # -- derived values --------------------------------------------------------------------------------

    def method(self) -> MergeMethod:
        return get_method(self.merge_method)

    def method_params(self) -> MethodParams:
        """The method's validated knobs (the top-level ``parameters`` without ``weight``)."""
        return _parse_method_params(self.merge_method, self.parameters)

    def weights(self) -> list[float]:
        default = float(self.parameters.get("weight", 1.0))
        return [float(m.parameters.get("weight", default)) for m in self.models]

    def expert_refs(self) -> list[str]:
        return [m.model for m in self.models]

    def expert_ids(self) -> tuple[str, ...]:
        """Stable identities of the experts for seeded random draws: their references as written."""
        return tuple(self.expert_refs())

    def torch_dtype(self, default: torch.dtype = torch.float32) -> torch.dtype:
        return DTYPES[self.dtype] if self.dtype is not None else default

    # -- files -----------------------------------------------------------------------------------------

    @classmethod
    def load(cls, path: str | Path) -> Recipe:
        """Read and validate a recipe YAML file (a ``RecipeError`` or pydantic ``ValidationError`` if bad)."""
        path = Path(path)
        if not path.is_file():
            raise RecipeError(f"recipe file not found: {str(path)!r}; give the path of a mergekit-style YAML recipe")
        try:
            data = yaml.safe_load(path.read_text())
        except yaml.YAMLError as err:
            raise RecipeError(f"recipe {path} is not valid YAML: {err}") from None
        if not isinstance(data, dict):
            raise RecipeError(f"recipe {path} must be a YAML mapping with merge_method, base_model and models")
        return cls.model_validate(data)

    def to_mergekit(self) -> dict[str, Any]:
        """The recipe as a mergekit config dict (mergekit ignores our extra ``seed`` key)."""
        out: dict[str, Any] = {"merge_method": self.merge_method, "base_model": self.base_model,
                               "models": [{"model": m.model, **({"parameters": dict(m.parameters)}
                                                                 if m.parameters else {})}
                                          for m in self.models]}
        if self.parameters:
            out["parameters"] = dict(self.parameters)
        if self.dtype is not None:
            out["dtype"] = self.dtype
        out["seed"] = self.seed
        return out

    def to_yaml(self) -> str:
        return yaml.safe_dump(self.to_mergekit(), sort_keys=False)
