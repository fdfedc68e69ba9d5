"""The search space: what a candidate is made of, as every sampler sees it.

A candidate ("point") is a dict from name to float: bounded continuous parameters (per-expert merge
coefficients, per-layer-group coefficients, a method's own knobs such as density) and, for the mix arm,
groups of ratios that must lie on the probability simplex.

Samplers never see the ratios directly as Optuna parameters. Each simplex group of k ratios is searched
through k-1 "stick" parameters in [0, 1] (``<group>.stick_<i>``) and mapped onto the simplex by the
bijection in :mod:`mixmerge.search.samplers.simplex`. So any Optuna sampler proposes valid ratios, all
samplers record the same parameters in the study, and the qLogNEHVI sampler (which models and optimises
the ratios themselves, with a linear equality constraint) maps its proposals back to sticks.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np
from mixmerge.search.samplers.simplex import simplex_to_sticks, sticks_to_simplex
from optuna.distributions import FloatDistribution
from pydantic import BaseModel, ConfigDict, Field, model_validator

if TYPE_CHECKING:
    import optuna

SIMPLEX_TOLERANCE = 1e-6
"""How far from 1 the sum of a group's ratios may be, and how far below 0 a ratio may be, in a point."""


class SpaceError(ValueError):
    """A search space or a point that does not make sense; the message names the field and the fix."""


class ContinuousParam(BaseModel):
    """One bounded real parameter, e.g. the coefficient of one expert or a method's density."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    low: float
    high: float
    log: bool = False

    @model_validator(mode="after")
    def _check_bounds(self) -> ContinuousParam:
        if not (math.isfinite(self.low) and math.isfinite(self.high)):
            raise SpaceError(f"parameter {self.name!r}: bounds must be finite, got [{self.low}, {self.high}]")
        if not self.low < self.high:
            raise SpaceError(
                f"parameter {self.name!r}: low ({self.low}) must be below high ({self.high}); "
                "fix the bounds, or leave a fixed value out of the search space"
            )
        if self.log and self.low <= 0:
            raise SpaceError(f"parameter {self.name!r}: a log-scaled parameter needs low > 0, got {self.low}")
        return self

    def to_unit(self, value: float) -> float:
        """Position of ``value`` in [0, 1] (on the log scale if ``log``)."""
        if self.log:
            return (math.log(value) - math.log(self.low)) / (math.log(self.high) - math.log(self.low))
        return (value - self.low) / (self.high - self.low)

    def from_unit(self, u: float) -> float:
        """Inverse of :meth:`to_unit`, clipped into the bounds."""
        u = min(max(float(u), 0.0), 1.0)
        if self.log:
            value = math.exp(math.log(self.low) + u * (math.log(self.high) - math.log(self.low)))
        else:
            value = self.low + u * (self.high - self.low)
        return min(max(value, self.low), self.high)


class SimplexGroup(BaseModel):
    """Ratios that are each >= 0 and sum to 1, e.g. the shares of the three training sets in a mixture."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    members: list[str] = Field(min_length=2)

    @model_validator(mode="after")
    def _check_members(self) -> SimplexGroup:
        if len(set(self.members)) != len(self.members):
            raise SpaceError(f"simplex group {self.name!r}: members must be distinct, got {self.members}")
        return self

    @property
    def stick_names(self) -> list[str]:
        """The k-1 Optuna parameters through which every sampler searches this group."""
        return [f"{self.name}.stick_{i}" for i in range(len(self.members) - 1)]


class SearchSpace(BaseModel):
    """Named continuous parameters with bounds, plus optional simplex groups of ratios."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    params: list[ContinuousParam] = Field(default_factory=list)
    simplex_groups: list[SimplexGroup] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check_names(self) -> SearchSpace:
        if not self.params and not self.simplex_groups:
            raise SpaceError("search space is empty: give at least one parameter or one simplex group")
        seen: set[str] = set()
        names = [p.name for p in self.params]
        for group in self.simplex_groups:
            names += group.members + group.stick_names
        for name in names:
            if name in seen:
                raise SpaceError(f"search space: name {name!r} is used twice; rename one of them")
            seen.add(name)
        return self

    @property
    def point_names(self) -> list[str]:
        """Names of a point's entries: the parameters, then each group's ratios."""
        return [p.name for p in self.params] + [m for g in self.simplex_groups for m in g.members]

    @property
    def model_dim(self) -> int:
        """Dimension of the space a model of the point works in (parameters + all ratios)."""
        return len(self.params) + sum(len(g.members) for g in self.simplex_groups)

    @property
    def free_dim(self) -> int:
        """Dimension of the unit cube the Optuna parameters span (parameters + k-1 sticks a group)."""
        return len(self.params) + sum(len(g.members) - 1 for g in self.simplex_groups)

    def simplex_slices(self) -> list[slice]:
        """Where each group's ratios sit in a model-space vector."""
        out, start = [], len(self.params)
        for group in self.simplex_groups:
            out.append(slice(start, start + len(group.members)))
            start += len(group.members)
        return out

    def distributions(self) -> dict[str, FloatDistribution]:
        """The Optuna parameters every sampler searches (ratios appear as their sticks)."""
        dists = {p.name: FloatDistribution(p.low, p.high, log=p.log) for p in self.params}
        for group in self.simplex_groups:
            dists.update({name: FloatDistribution(0.0, 1.0) for name in group.stick_names})
        return dists

    def suggest(self, trial: optuna.trial.BaseTrial) -> dict[str, float]:
        """Ask ``trial`` for every parameter and return the point (ratios mapped onto the simplex).

        The ratios are also stored as the trial's user attribute ``simplex:<group>`` so that they show up in
        the dashboard and in exports next to the stick parameters.
        """
        params = {
            name: trial.suggest_float(name, d.low, d.high, log=d.log)
            for name, d in self.distributions().items()
        }
        point = self.point_from_params(params)
        for group in self.simplex_groups:
            trial.set_user_attr(f"simplex:{group.name}", {m: point[m] for m in group.members})
        return point

    def point_from_params(self, params: Mapping[str, float]) -> dict[str, float]:
        """The point that Optuna parameters (as stored on a trial) stand for."""
        missing = [name for name in self.distributions() if name not in params]
        if missing:
            raise SpaceError(
                f"trial parameters lack {missing}; they were not suggested from this search space"
            )
        point = {p.name: float(params[p.name]) for p in self.params}
        for group in self.simplex_groups:
            ratios = sticks_to_simplex(np.array([params[n] for n in group.stick_names], dtype=np.float64))
            point.update(zip(group.members, (float(r) for r in ratios), strict=True))
        return point

    def params_from_point(self, point: Mapping[str, float]) -> dict[str, float]:
        """Optuna parameters for a point, e.g. to enqueue a fixed mixture with ``study.enqueue_trial``."""
        self.validate_point(point)
        params = {p.name: float(point[p.name]) for p in self.params}
        for group in self.simplex_groups:
            sticks = simplex_to_sticks(np.array([point[m] for m in group.members], dtype=np.float64))
            params.update(zip(group.stick_names, (float(z) for z in sticks), strict=True))
        return params

    def validate_point(self, point: Mapping[str, float]) -> None:
        """Raise :class:`SpaceError` naming the entry if ``point`` is out of bounds or off the simplex."""
        missing = [name for name in self.point_names if name not in point]
        if missing:
            raise SpaceError(f"point lacks {missing}")
        for p in self.params:
            value = float(point[p.name])
            if not p.low <= value <= p.high:
                raise SpaceError(f"{p.name} = {value} is outside its bounds [{p.low}, {p.high}]")
        for group in self.simplex_groups:
            ratios = [float(point[m]) for m in group.members]
            negative = [m for m, r in zip(group.members, ratios, strict=True) if r < -SIMPLEX_TOLERANCE]
            if negative:
                raise SpaceError(
                    f"simplex group {group.name!r}: ratios {negative} are negative; shares must be >= 0"
                )
            if abs(sum(ratios) - 1.0) > SIMPLEX_TOLERANCE:
                raise SpaceError(
                    f"simplex group {group.name!r}: ratios sum to {sum(ratios):.6g}, not 1; normalise them"
                )

    def point_to_model(self, point: Mapping[str, float]) -> np.ndarray:
        """The point as a model-space vector in [0, 1]^model_dim (parameters scaled, ratios as they are)."""
        cont = [p.to_unit(float(point[p.name])) for p in self.params]
        ratios = [float(point[m]) for g in self.simplex_groups for m in g.members]
        return np.array(cont + ratios, dtype=np.float64)

    def model_to_params(self, x: np.ndarray) -> dict[str, float]:
        """Optuna parameters for a model-space vector (ratios repaired onto the simplex first)."""
        x = np.asarray(x, dtype=np.float64)
        if x.shape != (self.model_dim,):
            raise SpaceError(f"model-space vector has shape {x.shape}, expected ({self.model_dim},)")
        params = {p.name: p.from_unit(x[i]) for i, p in enumerate(self.params)}
        for group, where in zip(self.simplex_groups, self.simplex_slices(), strict=True):
            sticks = simplex_to_sticks(x[where])
            params.update(zip(group.stick_names, (float(z) for z in np.clip(sticks, 0.0, 1.0)), strict=True))
        return params

    def free_to_model(self, u: np.ndarray) -> np.ndarray:
        """Rows of the free unit cube (parameters, then sticks) to rows of model space (ratios).

        Both spaces scale a parameter the same way; only the sticks become ratios.
        """
        u = np.atleast_2d(np.asarray(u, dtype=np.float64)).clip(0.0, 1.0)
        if u.shape[-1] != self.free_dim:
            raise SpaceError(f"unit-cube rows have {u.shape[-1]} entries, expected {self.free_dim}")
        n_cont = len(self.params)
        parts, start = [u[:, :n_cont]], n_cont
        for group in self.simplex_groups:
            k = len(group.members)
            parts.append(sticks_to_simplex(u[:, start : start + k - 1]))
            start += k - 1
        return np.concatenate(parts, axis=1)

    def unit_to_params(self, u: np.ndarray) -> dict[str, float]:
        """Optuna parameters for a point of the free unit cube [0, 1]^free_dim (e.g. a Sobol point)."""
        u = np.asarray(u, dtype=np.float64)
        if u.shape != (self.free_dim,):
            raise SpaceError(f"unit-cube vector has shape {u.shape}, expected ({self.free_dim},)")
        names = list(self.distributions())
        params: dict[str, float] = {}
        for i, p in enumerate(self.params):
            params[p.name] = p.from_unit(u[i])
        for i in range(len(self.params), len(names)):
            params[names[i]] = float(min(max(u[i], 0.0), 1.0))
        return params
