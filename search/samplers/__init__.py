"""The optimizers a study can use, all as Optuna samplers.

``make_sampler`` turns a spec's optimizer settings into a sampler. Every sampler searches the same Optuna
parameters (the space's continuous parameters and, for each simplex group, its k-1 stick variables; see
:mod:`mixmerge.search.space`), so studies are comparable and any sampler proposes valid mix ratios.

What each sampler does with the spec:

===========  ==========================================================================================
qlognehvi    our BoTorch sampler (:class:`QLogNEHVISampler`): the spec's reference point, constraints as
             outcome constraints, ratios on the simplex by a linear equality constraint, running trials
             as pending points, ``batch_size`` candidates per model fit.
gp           Optuna's GPSampler (log-EHVI; q-log-EHVI over running trials, whose parameters it shares
             through system attributes). Reads constraints from ``trial.set_constraint`` itself; derives its
             own reference point from the worst values seen (it cannot take ours); no simplex constraint.
tpe          Optuna's multivariate TPE with constant liar (running trials count as bad results, so
             parallel workers spread out); constraints from ``trial.set_constraint``.
nsga2        Optuna's NSGA-II, population sized to the budget: ``min(50, max(8, budget_trials // 4))``,
             so that a small budget still sees several generations; constrained domination.
random       Optuna's RandomSampler: the baseline every benchmark reports beside the others.
sobol        Optuna's QMCSampler, scrambled Sobol, on the full search space from the first trial.
===========  ==========================================================================================

``batch_size`` only changes qlognehvi; the others propose one trial per ``ask`` (parallel workers each
ask). ``n_startup`` is the initial design size of the model-based samplers (qlognehvi, gp, tpe).

Screened-out candidates. Optuna cannot prune multi-objective trials (``trial.report``/``should_prune``
refuse them), so what a sampler learns from a candidate that screening stopped early is decided by how
the runner tells it. Every sampler here ignores FAILED and PRUNED trials (qlognehvi, gp and nsga2 drop
them; TPE's constant liar only uses RUNNING ones), so a screened-out candidate told as FAIL teaches nothing
and its neighbourhood may be proposed again. Told COMPLETE with its screening-stage scores (measured on the
smaller screening item set) and its constraint values, it is an ordinary, noisier observation that steers
every sampler away from the region it came from. The runner should do the latter and mark the trial (a
user attribute) so that reports can leave screening-stage scores out of the final front.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

import optuna
from mixmerge.search.samplers.qlognehvi import OutcomeConstraint, QLogNEHVISampler
from mixmerge.search.samplers.simplex import project_to_simplex, simplex_to_sticks, sticks_to_simplex
from optuna.distributions import BaseDistribution
from optuna.exceptions import ExperimentalWarning
from optuna.samplers import BaseSampler
from optuna.trial import FrozenTrial

if TYPE_CHECKING:
    from mixmerge.search.space import SearchSpace

SamplerName = Literal["qlognehvi", "gp", "tpe", "nsga2", "random", "sobol"]
SAMPLER_NAMES: tuple[str, ...] = ("qlognehvi", "gp", "tpe", "nsga2", "random", "sobol")

__all__ = [
    "SAMPLER_NAMES",
    "OutcomeConstraint",
    "QLogNEHVISampler",
    "SamplerError",
    "SamplerName",
    "make_sampler",
    "nsga2_population",
    "project_to_simplex",
    "simplex_to_sticks",
    "sticks_to_simplex",
]


class SamplerError(ValueError):
    """Optimizer settings that cannot work; the message names the setting and the fix."""


def nsga2_population(budget_trials: int) -> int:
    """NSGA-II population for a budget: about four generations, between 8 and 50 individuals."""
    return min(50, max(8, budget_trials // 4))


class _SpaceQMCSampler(optuna.samplers.QMCSampler):
    """QMCSampler that knows the search space up front, so the first trial is a Sobol point too."""

    def __init__(self, space: SearchSpace, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._space_distributions = space.distributions()

    def infer_relative_search_space(
        self, study: optuna.Study, trial: FrozenTrial
    ) -> dict[str, BaseDistribution]:
        return dict(self._space_distributions)


def make_sampler(
    name: str,
    space: SearchSpace,
    reference_point: Sequence[float],
    constraints: Sequence[str] = (),
    seed: int | None = None,
    n_startup: int = 10,
    batch_size: int = 1,
    budget_trials: int = 100,
) -> BaseSampler:
    """Build the sampler called ``name`` for ``space``.

    Args:
        name: one of :data:`SAMPLER_NAMES`.
        space: the search space; objectives must call ``space.suggest(trial)``.
        reference_point: hypervolume reference, one value per objective, fixed before the search.
        constraints: names the objective passes to ``trial.set_constraint`` (value <= 0 is feasible).
        seed: makes the sampler reproducible.
        n_startup: initial design size of the model-based samplers.
        batch_size: candidates per proposal (qlognehvi only).
        budget_trials: the study's trial budget (sizes the NSGA-II population).
    """
    if n_startup < 1:
        raise SamplerError(f"optimizer.n_startup must be >= 1, got {n_startup}")
    if batch_size < 1:
        raise SamplerError(f"optimizer.batch_size must be >= 1, got {batch_size}")
    if budget_trials < 1:
        raise SamplerError(f"budget_trials must be >= 1, got {budget_trials}")
    if name == "qlognehvi":
        return QLogNEHVISampler(
            space, reference_point, constraints, seed=seed, n_startup=n_startup, batch_size=batch_size
        )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ExperimentalWarning)
        if name == "gp":
            return optuna.samplers.GPSampler(
                seed=seed, n_startup_trials=n_startup, warn_independent_sampling=False
            )
        if name == "tpe":
            return optuna.samplers.TPESampler(
                seed=seed, n_startup_trials=n_startup, multivariate=True, constant_liar=True
            )
        if name == "nsga2":
            return optuna.samplers.NSGAIISampler(population_size=nsga2_population(budget_trials), seed=seed)
        if name == "random":
            return optuna.samplers.RandomSampler(seed=seed)
        if name == "sobol":
            return _SpaceQMCSampler(
                space, qmc_type="sobol", scramble=True, seed=seed, warn_asynchronous_seeding=False
            )
    raise SamplerError(f"unknown optimizer {name!r}; choose one of {', '.join(SAMPLER_NAMES)}")
