"""What callers hand to the store: validated before any SQL runs.

A score that is NaN or infinite, an interval the wrong way round, an item listed twice: each is refused
here with the field named, so a bad record never reaches the database (the database's own checks stay
as a second line). A NaN score is a *failed trial* to the search, recorded with
``Store.record_failure``, not a number to store.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .errors import StorageError

_CONFIG = ConfigDict(allow_inf_nan=False, extra="forbid", frozen=True)


class ItemRecord(BaseModel):
    """One evaluation item's result (0/1 or a graded value) and, optionally, the model's response."""

    model_config = _CONFIG
    item_id: str = Field(min_length=1, max_length=256)
    value: float
    category: str | None = Field(default=None, max_length=128)
    response: str | None = None


class CategoryRecord(BaseModel):
    """One category's score within an objective."""

    model_config = _CONFIG
    category: str = Field(min_length=1, max_length=128)
    value: float
    ci_low: float | None = None
    ci_high: float | None = None
    n_items: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _interval(self) -> CategoryRecord:
        _check_interval(self.ci_low, self.ci_high, f"category {self.category!r}")
        return self


class ObjectiveResult(BaseModel):
    """One objective's score with its bootstrap interval, category breakdown and per-item results.

    ``worst_category``/``worst_value`` default to the lowest-scoring category when categories are given.
    """

    model_config = _CONFIG
    objective: str = Field(min_length=1, max_length=64)
    value: float
    ci_low: float | None = None
    ci_high: float | None = None
    n_items: int | None = Field(default=None, ge=0)
    worst_category: str | None = Field(default=None, max_length=128)
    worst_value: float | None = None
    categories: list[CategoryRecord] = Field(default_factory=list)
    items: list[ItemRecord] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> ObjectiveResult:
        _check_interval(self.ci_low, self.ci_high, f"objective {self.objective!r}")
        _check_unique([c.category for c in self.categories], f"objective {self.objective!r}: category")
        _check_unique([i.item_id for i in self.items], f"objective {self.objective!r}: item_id")
        if self.worst_category is None and self.categories:
            worst = min(self.categories, key=lambda c: (c.value, c.category))
            object.__setattr__(self, "worst_category", worst.category)
            object.__setattr__(self, "worst_value", worst.value)
        if self.n_items is None and self.items:
            object.__setattr__(self, "n_items", len(self.items))
        return self


class CostRecord(BaseModel):
    """Compute spent: FLOPs (analytic), device-seconds (measured), tokens; ``paid=False`` = already paid.

    ``breakdown`` splits device-seconds by phase (``merge_s``, ``eval_s``, ``bookkeeping_s`` ...).
    """

    model_config = _CONFIG
    label: str | None = Field(default=None, min_length=1, max_length=256)
    flops: float = Field(ge=0)
    device_seconds: float = Field(ge=0)
    tokens: int = Field(default=0, ge=0)
    paid: bool = True
    device: str | None = Field(default=None, max_length=64)
    breakdown: dict[str, float] | None = None


def _check_interval(low: float | None, high: float | None, what: str) -> None:
    if (low is None) != (high is None):
        raise ValueError(f"{what}: give both ci_low and ci_high, or neither")
    if low is not None and high is not None and low > high:
        raise ValueError(f"{what}: ci_low {low} is above ci_high {high}")


def _check_unique(keys: list[str], what: str) -> None:
    seen: set[str] = set()
    for key in keys:
        if key in seen:
            raise ValueError(f"{what} {key!r} appears twice; each must be recorded once")
        seen.add(key)


def check_json(value: Any, what: str) -> Any:
    """Refuse what JSON cannot hold faithfully (NaN, infinity, non-serialisable objects)."""
    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise StorageError(
            f"{what} is not storable as JSON ({exc}); use finite numbers, strings, lists and dicts"
        ) from exc
    return value
