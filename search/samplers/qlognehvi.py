"""An Optuna sampler that proposes candidates with BoTorch's qLogNEHVI.

Why our own sampler rather than optuna-integration's BoTorchSampler: we need the study's fixed reference
point (Optuna's GPSampler derives its own from the worst values seen), the outcome constraints modelled
separately from the objectives, mix ratios kept on the simplex by a linear equality constraint, running
trials treated as pending points so that parallel workers do not propose the same candidate, batches of
q candidates for q workers, and a small, bounded cost per proposal. The settings below are the ones that
were reliable and fast on a 2-core machine (see MEASURED.md, "qLogNEHVI on these 2 cores").

How it sees the study:

* **Observations** are COMPLETE trials with finite values and every named constraint set
  (``trial.set_constraint(name, value)``, feasible when ``value <= 0``). FAILED and PRUNED trials are
  ignored. A screened-out candidate is whatever the runner tells: told COMPLETE with its screening scores
  it is an observation like any other (Optuna cannot prune multi-objective trials).
* **Objectives** are maximised; a MINIMIZE direction is negated, and so is its entry of the reference point
  (which is always given in the study's own units, fixed before the search).
* **Pending points** are RUNNING trials: the model-space point each was given is written to the trial's
  system attribute ``mixmerge:qlognehvi:x`` when it is proposed (so workers in other processes see it),
  and a running trial without that attribute counts if all its parameters are already suggested.
* **Initial design**: until ``n_startup`` observations exist, trial number ``n`` gets the n-th point of a
  scrambled Sobol sequence over the free unit cube (parameters and simplex sticks), which the stick map
  carries to well-spread ratios.
* **Model**: one independent GP per outcome (objectives, then constraints) in a batched SingleTaskGP on
  [0, 1]-scaled inputs, outcomes standardised, Matern-5/2 with Gamma priors, float64. Hyper-parameters are
  warm-started from the previous fit (without the standardisation statistics, which change with the data).
* **Acquisition**: qLogNEHVI with ``prune_baseline`` and ``cache_root``, 64 QMC samples, optimised with
  2 restarts from 64 raw samples; BLAS limited to one thread while fitting and optimising.
* **Batches**: with ``batch_size = q`` it proposes q points jointly (sequential greedy) and hands them to
  the next q trials; the batch is dropped as soon as a new observation arrives.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import optuna
import torch
from mixmerge.search.samplers.simplex import project_to_simplex
from optuna.distributions import BaseDistribution
from optuna.samplers import BaseSampler, RandomSampler
from optuna.study import StudyDirection
from optuna.trial import FrozenTrial, TrialState
from scipy.stats import qmc
from threadpoolctl import threadpool_limits

if TYPE_CHECKING:
    from botorch.acquisition.multi_objective.logei import qLogNoisyExpectedHypervolumeImprovement
    from botorch.models import SingleTaskGP
    from mixmerge.search.space import SearchSpace

logger = logging.getLogger(__name__)

PROPOSAL_ATTR = "mixmerge:qlognehvi:x"
"""System attribute holding the model-space point a trial was proposed (for pending points)."""

DTYPE = torch.float64


@contextlib.contextmanager
def _single_threaded() -> Iterator[None]:
    """One BLAS thread and one torch thread: on tensors this small, thread hand-offs cost far more than
    they save (GP fitting was 10x slower with two of each on a busy 2-core machine)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        with threadpool_limits(limits=1, user_api="blas"):
            yield
    finally:
        torch.set_num_threads(threads)


class OutcomeConstraint:
    """A BoTorch constraint callable: the modelled outcome at ``index``; feasible where it is <= 0."""

    def __init__(self, index: int, name: str) -> None:
        self.index = index
        self.name = name

    def __call__(self, samples: torch.Tensor) -> torch.Tensor:
        return samples[..., self.index]

    def __repr__(self) -> str:
        return f"OutcomeConstraint({self.name!r}, outcome {self.index})"


class QLogNEHVISampler(BaseSampler):
    """Multi-objective Bayesian optimisation with qLogNEHVI on a :class:`SearchSpace`.

    Args:
        space: the search space; the objective must ask for its parameters with ``space.suggest(trial)``.
        reference_point: one value per objective, in the study's units, fixed before the search.
        constraints: names of the constraints the objective sets with ``trial.set_constraint``.
        seed: makes the Sobol design, the QMC samples and the optimiser's starts reproducible.
        n_startup: observations before the model takes over from the Sobol design.
        batch_size: candidates proposed jointly and handed to the next ``batch_size`` trials.
        num_restarts, raw_samples, mc_samples: the acquisition optimiser's bounded effort.
    """

    def __init__(
        self,
        space: SearchSpace,
        reference_point: Sequence[float],
        constraints: Sequence[str] = (),
        *,
        seed: int | None = None,
        n_startup: int = 10,
        batch_size: int = 1,
        num_restarts: int = 2,
        raw_samples: int = 64,
        mc_samples: int = 64,
    ) -> None:
        if n_startup < 1:
            raise ValueError(f"n_startup must be >= 1, got {n_startup}")
        if batch_size < 1:
            raise ValueError(f"batch_size must be >= 1, got {batch_size}")
        if len(set(constraints)) != len(constraints):
            raise ValueError(f"constraint names must be distinct, got {list(constraints)}")
        self._space = space
        self._reference_point = [float(r) for r in reference_point]
        if not self._reference_point or not all(np.isfinite(self._reference_point)):
            raise ValueError(
                f"reference_point must be finite numbers, one per objective; got {reference_point}"
            )
        self._constraints = list(constraints)
        self._seed = int(seed) if seed is not None else int(np.random.SeedSequence().generate_state(1)[0])
        self._n_startup = n_startup
        self._batch_size = batch_size
        self._num_restarts = num_restarts
        self._raw_samples = raw_samples
        self._mc_samples = mc_samples
        self._random = RandomSampler(seed=self._seed)
        self._batch: list[np.ndarray] = []
        self._batch_key: tuple[Any, ...] | None = None
        self._warm_state: dict[str, torch.Tensor] | None = None
        self._warned: set[str] = set()
        self._signs = [1.0] * len(self._reference_point)
        self._sobol = np.empty((0, space.free_dim))
        self._lock = threading.Lock()  # study.optimize(n_jobs > 1) shares one sampler between threads
        self.n_model_fits = 0
        """How many times a model was fitted (one per batch)."""
        self.last_acquisition: qLogNoisyExpectedHypervolumeImprovement | None = None
        """The acquisition function of the last model-based proposal (for inspection and tests)."""

    @property
    def space(self) -> SearchSpace:
        return self._space

    def reseed_rng(self) -> None:
        with self._lock:
            self._seed = int(np.random.SeedSequence().generate_state(1)[0])
            self._sobol = np.empty((0, self._space.free_dim))
            self._random.reseed_rng()

    def infer_relative_search_space(
        self, study: optuna.Study, trial: FrozenTrial
    ) -> dict[str, BaseDistribution]:
        return dict(self._space.distributions())

    def sample_independent(
        self, study: optuna.Study, trial: FrozenTrial, param_name: str, param_distribution: BaseDistribution
    ) -> Any:
        # Only parameters outside the search space land here; they get no model.
        self._warn_once(
            f"independent:{param_name}", f"parameter {param_name!r} is not in the search space; random"
        )
        return self._random.sample_independent(study, trial, param_name, param_distribution)

    def sample_relative(
        self, study: optuna.Study, trial: FrozenTrial, search_space: dict[str, BaseDistribution]
    ) -> dict[str, Any]:
        if not search_space:
            return {}
        self._check_study(study)
        with self._lock:
            return self._sample_locked(study, trial)

    def _sample_locked(self, study: optuna.Study, trial: FrozenTrial) -> dict[str, Any]:
        trials = study.get_trials(deepcopy=False, states=(TrialState.COMPLETE, TrialState.RUNNING))
        observed = [t for t in trials if t.state == TrialState.COMPLETE and self._usable(t)]
        if len(observed) < self._n_startup:
            return self._space.unit_to_params(self._sobol_point(trial.number))
        key = (id(study._storage), study._study_id, len(observed))
        if self._batch_key != key or not self._batch:
            pending = [
                x
                for t in trials
                if t.state == TrialState.RUNNING and t.number != trial.number
                for x in [self._pending_point(t)]
                if x is not None
            ]
            self._batch = list(self.propose(study, observed, pending))
            self._batch_key = key
        x = self._batch.pop(0)
        study._storage.set_trial_system_attr(trial._trial_id, PROPOSAL_ATTR, [float(v) for v in x])
        return self._space.model_to_params(x)

    # -- the model-based proposal ------------------------------------------------------------------------

    def propose(
        self, study: optuna.Study, observed: Sequence[FrozenTrial], pending: Sequence[np.ndarray]
    ) -> np.ndarray:
        """Fit the model on ``observed`` and return ``batch_size`` model-space points (rows).

        A batch is built greedily (each point optimised with the earlier ones pending), as BoTorch's
        ``sequential=True`` does. Starting points are our own: Sobol points of the free cube carried onto
        the simplex by the stick map are exactly uniform there, and far cheaper than BoTorch's hit-and-run
        sampler of linearly constrained polytopes (1.5 s a call here).
        """
        from botorch.optim import optimize_acqf
        from botorch.optim.initializers import initialize_q_batch

        train_x, train_y = self._training_data(study, observed)
        seed = self._seed + 7919 * len(observed)
        dim = self._space.model_dim
        bounds = torch.stack([torch.zeros(dim, dtype=DTYPE), torch.ones(dim, dtype=DTYPE)])
        equality = [
            (torch.arange(s.start, s.stop), torch.ones(s.stop - s.start, dtype=DTYPE), 1.0)
            for s in self._space.simplex_slices()
        ]
        chosen: list[torch.Tensor] = []
        with _single_threaded(), torch.random.fork_rng():
            torch.manual_seed(seed)
            model = self._fit(train_x, train_y)
            x_pending = torch.tensor(np.array(pending), dtype=DTYPE) if pending else None
            acqf = self.build_acquisition(model, train_x, x_pending, seed)
            for i in range(self._batch_size):
                if chosen:
                    earlier = torch.cat(chosen, dim=0)
                    acqf.set_X_pending(
                        earlier if x_pending is None else torch.cat([x_pending, earlier], dim=0)
                    )
                raw = torch.tensor(self._raw_points(seed + i), dtype=DTYPE).unsqueeze(-2)
                with torch.no_grad():
                    raw_values = acqf(raw)
                starts, _ = initialize_q_batch(raw, raw_values, n=min(self._num_restarts, len(raw)))
                candidate, _ = optimize_acqf(
                    acqf,
                    bounds=bounds,
                    q=1,
                    num_restarts=len(starts),
                    batch_initial_conditions=starts,
                    equality_constraints=equality or None,
                    options={"maxiter": 200},
                )
                chosen.append(candidate.detach().reshape(1, dim))
        self.last_acquisition = acqf
        out = torch.cat(chosen, dim=0).cpu().numpy().clip(0.0, 1.0)
        for s in self._space.simplex_slices():
            out[:, s] = project_to_simplex(out[:, s])
        return out

    def _raw_points(self, seed: int) -> np.ndarray:
        """``raw_samples`` scrambled Sobol points of the free cube, as model-space points."""
        m = max(1, int(np.ceil(np.log2(self._raw_samples))))
        u = qmc.Sobol(d=self._space.free_dim, scramble=True, seed=seed).random_base2(m)[: self._raw_samples]
        return self._space.free_to_model(u)

    def build_acquisition(
        self, model: SingleTaskGP, train_x: torch.Tensor, x_pending: torch.Tensor | None, seed: int
    ) -> qLogNoisyExpectedHypervolumeImprovement:
        """qLogNEHVI at the fixed reference point, with one constraint callable per named constraint."""
        from botorch.acquisition.multi_objective.logei import qLogNoisyExpectedHypervolumeImprovement
        from botorch.acquisition.multi_objective.objective import IdentityMCMultiOutputObjective
        from botorch.sampling import SobolQMCNormalSampler

        m = len(self._reference_point)
        constraints = [OutcomeConstraint(m + i, name) for i, name in enumerate(self._constraints)]
        return qLogNoisyExpectedHypervolumeImprovement(
            model=model,
            ref_point=self._signed_reference_point,
            X_baseline=train_x,
            sampler=SobolQMCNormalSampler(sample_shape=torch.Size([self._mc_samples]), seed=seed),
            objective=IdentityMCMultiOutputObjective(outcomes=list(range(m))) if constraints else None,
            constraints=constraints or None,
            X_pending=x_pending,
            prune_baseline=True,
            cache_root=True,
        )

    def _fit(self, train_x: torch.Tensor, train_y: torch.Tensor) -> SingleTaskGP:
        from botorch.fit import fit_gpytorch_mll
        from botorch.models import SingleTaskGP
        from botorch.models.transforms.outcome import Standardize
        from botorch.models.utils.gpytorch_modules import (
            get_gaussian_likelihood_with_gamma_prior,
            get_matern_kernel_with_gamma_prior,
        )
        from gpytorch.mlls import ExactMarginalLogLikelihood

        n_out = train_y.shape[-1]
        batch = torch.Size([n_out])
        model = SingleTaskGP(
            train_x,
            train_y,
            covar_module=get_matern_kernel_with_gamma_prior(
                ard_num_dims=train_x.shape[-1], batch_shape=batch
            ),
            likelihood=get_gaussian_likelihood_with_gamma_prior(batch_shape=batch),
            outcome_transform=Standardize(m=n_out),
        )
        if self._warm_state is not None:
            model.load_state_dict(self._warm_state, strict=False)
        mll = ExactMarginalLogLikelihood(model.likelihood, model)
        fit_gpytorch_mll(mll)
        self.n_model_fits += 1
        # Keep the hyper-parameters only: the standardisation statistics belong to this data set.
        self._warm_state = {
            k: v.detach().clone()
            for k, v in model.state_dict().items()
            if not k.startswith("outcome_transform")
        }
        return model

    # -- reading the study --------------------------------------------------------------------------------

    @property
    def _signed_reference_point(self) -> list[float]:
        return [r * s for r, s in zip(self._reference_point, self._signs, strict=True)]

    def _check_study(self, study: optuna.Study) -> None:
        directions = study.directions
        if len(directions) != len(self._reference_point):
            raise ValueError(
                f"reference_point has {len(self._reference_point)} values but the study has "
                f"{len(directions)} objectives; give one reference value per objective"
            )
        self._signs = [1.0 if d == StudyDirection.MAXIMIZE else -1.0 for d in directions]

    def _usable(self, trial: FrozenTrial) -> bool:
        if trial.values is None or not all(np.isfinite(trial.values)):
            return False
        if any(name not in trial.params for name in self._space.distributions()):
            self._warn_once(
                f"params:{trial.number}", f"trial {trial.number} lacks search-space params; not modelled"
            )
            return False
        constraints = trial.constraints
        missing = [name for name in self._constraints if name not in constraints]
        if missing:
            self._warn_once(
                f"missing:{trial.number}", f"trial {trial.number} lacks constraints {missing}; not modelled"
            )
            return False
        extra = sorted(set(constraints) - set(self._constraints))
        if extra:
            self._warn_once(
                "extra", f"constraints {extra} are set on trials but not named to the sampler; ignored"
            )
        return all(np.isfinite(constraints[name]) for name in self._constraints)

    def _training_data(
        self, study: optuna.Study, observed: Sequence[FrozenTrial]
    ) -> tuple[torch.Tensor, ...]:
        xs = [self._space.point_to_model(self._space.point_from_params(t.params)) for t in observed]
        ys = [
            [v * s for v, s in zip(t.values, self._signs, strict=True)]
            + [t.constraints[c] for c in self._constraints]
            for t in observed
        ]
        return torch.tensor(np.array(xs), dtype=DTYPE), torch.tensor(np.array(ys), dtype=DTYPE)

    def _pending_point(self, trial: FrozenTrial) -> np.ndarray | None:
        stored = trial.system_attrs.get(PROPOSAL_ATTR)
        if stored is not None and len(stored) == self._space.model_dim:
            return np.asarray(stored, dtype=np.float64)
        if all(name in trial.params for name in self._space.distributions()):
            return self._space.point_to_model(self._space.point_from_params(trial.params))
        return None

    def _sobol_point(self, index: int) -> np.ndarray:
        # A power-of-two prefix of one scrambled sequence keeps Sobol's balance; regrown when exhausted.
        if index >= len(self._sobol):
            m = max(5, int(np.ceil(np.log2(index + 1))))
            self._sobol = qmc.Sobol(d=self._space.free_dim, scramble=True, seed=self._seed).random_base2(m)
        return self._sobol[index]

    def _warn_once(self, key: str, message: str) -> None:
        if key not in self._warned:
            self._warned.add(key)
            logger.warning(message)
