"""Samplers of the search: the simplex map, the search space, make_sampler and the qLogNEHVI sampler."""

from __future__ import annotations

import numpy as np
import optuna
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mixmerge.search.samplers import (
    SAMPLER_NAMES,
    OutcomeConstraint,
    QLogNEHVISampler,
    SamplerError,
    make_sampler,
    nsga2_population,
    simplex_to_sticks,
    sticks_to_simplex,
)
from mixmerge.search.samplers.qlognehvi import PROPOSAL_ATTR
from mixmerge.search.space import ContinuousParam, SearchSpace, SimplexGroup, SpaceError
from optuna.distributions import FloatDistribution
from optuna.trial import TrialState, create_trial
from scipy import stats

optuna.logging.set_verbosity(optuna.logging.WARNING)
pytestmark = pytest.mark.filterwarnings("ignore:Sparse invariant checks:UserWarning")

# ---------------------------------------------------------------------------------------------------------
# The simplex map


@settings(max_examples=200, deadline=None)
@given(st.integers(2, 6).flatmap(lambda k: st.lists(st.floats(0.0, 1.0), min_size=k - 1, max_size=k - 1)))
def test_sticks_give_valid_ratios_and_round_trip(z: list[float]) -> None:
    ratios = sticks_to_simplex(np.array(z))
    assert ratios.shape == (len(z) + 1,)
    assert np.all(ratios >= 0.0)
    assert abs(ratios.sum() - 1.0) < 1e-9
    # Back and forth gives the same ratios (z itself is not unique on the faces of the simplex).
    again = sticks_to_simplex(simplex_to_sticks(ratios))
    np.testing.assert_allclose(again, ratios, atol=1e-9)


@settings(max_examples=200, deadline=None)
@given(st.integers(2, 6).flatmap(lambda k: st.lists(st.floats(0.02, 0.98), min_size=k - 1, max_size=k - 1)))
def test_sticks_are_a_bijection_inside_the_cube(z: list[float]) -> None:
    np.testing.assert_allclose(simplex_to_sticks(sticks_to_simplex(np.array(z))), z, atol=1e-7)


@pytest.mark.parametrize("k", [2, 3, 5])
def test_uniform_sticks_give_uniform_simplex_points(k: int) -> None:
    """Every marginal of a uniform point on the k-simplex is Beta(1, k-1); the map must reproduce that."""
    rng = np.random.default_rng(0)
    ratios = sticks_to_simplex(rng.random((20_000, k - 1)))
    for i in range(k):
        assert stats.kstest(ratios[:, i], stats.beta(1, k - 1).cdf).pvalue > 1e-3, (
            f"share {i} is not Beta(1,{k - 1})"
        )
    if k > 2:
        # Without the Beta correction the last share would pile up near 0: the test can tell.
        naive_last = np.prod(1.0 - rng.random((20_000, k - 1)), axis=1)
        assert stats.kstest(naive_last, stats.beta(1, k - 1).cdf).pvalue < 1e-6


def test_simplex_to_sticks_refuses_all_zero_ratios() -> None:
    with pytest.raises(ValueError, match="positive sum"):
        simplex_to_sticks(np.zeros(3))


# ---------------------------------------------------------------------------------------------------------
# The search space


def _mix_space() -> SearchSpace:
    return SearchSpace(
        params=[
            ContinuousParam(name="scale", low=0.5, high=2.0),
            ContinuousParam(name="density", low=0.01, high=1.0, log=True),
        ],
        simplex_groups=[SimplexGroup(name="mix", members=["helpful", "harmless", "honest"])],
    )


def test_space_distributions_and_round_trip() -> None:
    space = _mix_space()
    assert list(space.distributions()) == ["scale", "density", "mix.stick_0", "mix.stick_1"]
    assert space.distributions()["density"] == FloatDistribution(0.01, 1.0, log=True)
    assert (space.model_dim, space.free_dim) == (5, 4)
    point = {"scale": 1.25, "density": 0.1, "helpful": 0.2, "harmless": 0.5, "honest": 0.3}
    params = space.params_from_point(point)
    back = space.point_from_params(params)
    assert back == pytest.approx(point, abs=1e-12)
    x = space.point_to_model(point)
    assert x[1] == pytest.approx(0.5)  # log scale: 0.1 is halfway between 0.01 and 1
    assert space.model_to_params(x) == pytest.approx(params, abs=1e-12)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"params": [ContinuousParam(name="a", low=0, high=1)] * 2}, "used twice"),
        (
            {
                "params": [ContinuousParam(name="mix.stick_0", low=0, high=1)],
                "simplex_groups": [SimplexGroup(name="mix", members=["p", "q"])],
            },
            "used twice",
        ),
        ({}, "empty"),
    ],
)
def test_space_rejects_bad_spaces(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):  # pydantic wraps the SpaceError
        SearchSpace(**kwargs)


def test_param_bounds_are_checked() -> None:
    with pytest.raises(ValueError, match="'w'.*below high"):
        ContinuousParam(name="w", low=1.0, high=1.0)
    with pytest.raises(ValueError, match="log-scaled"):
        ContinuousParam(name="w", low=0.0, high=1.0, log=True)


def test_points_off_the_simplex_are_refused() -> None:
    space = _mix_space()
    base = {"scale": 1.0, "density": 0.5}
    with pytest.raises(SpaceError, match="sum to 1.1"):
        space.validate_point(base | {"helpful": 0.5, "harmless": 0.3, "honest": 0.3})
    with pytest.raises(SpaceError, match=r"\['helpful'\] are negative"):
        space.validate_point(base | {"helpful": -0.1, "harmless": 0.8, "honest": 0.3})
    with pytest.raises(SpaceError, match="scale = 3.0 is outside"):
        space.validate_point({"scale": 3.0, "density": 0.5, "helpful": 0.2, "harmless": 0.5, "honest": 0.3})


# ---------------------------------------------------------------------------------------------------------
# Every sampler on a tiny problem


def _tiny_objective(space: SearchSpace):
    def objective(trial: optuna.Trial) -> tuple[float, float, float]:
        p = space.suggest(trial)
        trial.set_constraint("guard", 0.2 - p["harmless"])  # feasible when harmless >= 0.2
        return p["helpful"] * p["scale"], p["harmless"], p["honest"] + 0.1 * p["density"]

    return objective


@pytest.mark.parametrize("name", SAMPLER_NAMES)
def test_every_sampler_proposes_valid_points(name: str) -> None:
    space = _mix_space()
    sampler = make_sampler(name, space, [0.0, 0.0, 0.0], ["guard"], seed=3, n_startup=4, budget_trials=8)
    study = optuna.create_study(directions=["maximize"] * 3, sampler=sampler)
    study.optimize(_tiny_objective(space), n_trials=6)
    trials = study.get_trials(states=(TrialState.COMPLETE,))
    assert len(trials) == 6
    points = [space.point_from_params(t.params) for t in trials]
    for t, point in zip(trials, points, strict=True):
        space.validate_point(point)
        ratios = [point[m] for m in ("helpful", "harmless", "honest")]
        assert min(ratios) >= 0.0 and abs(sum(ratios) - 1.0) < 1e-9
        assert t.user_attrs["simplex:mix"] == pytest.approx(
            dict(zip(("helpful", "harmless", "honest"), ratios, strict=True))
        )
    assert len({tuple(sorted(p.items())) for p in points}) == 6, "a sampler proposed the same point twice"
    if name == "qlognehvi":
        assert sampler.n_model_fits == 2
        for t in trials[4:]:  # model proposals: the acquisition optimiser kept the ratios on the simplex
            assert sum(t.system_attrs[PROPOSAL_ATTR][2:]) == pytest.approx(1.0, abs=1e-6)


def test_make_sampler_settings() -> None:
    space = _mix_space()
    assert [nsga2_population(b) for b in (10, 60, 120, 1000)] == [8, 15, 30, 50]
    nsga = make_sampler("nsga2", space, [0, 0, 0], budget_trials=60)
    assert nsga._population_size == 15
    with pytest.raises(SamplerError, match="unknown optimizer 'cmaes'"):
        make_sampler("cmaes", space, [0, 0, 0])
    with pytest.raises(SamplerError, match="batch_size"):
        make_sampler("qlognehvi", space, [0, 0, 0], batch_size=0)


# ---------------------------------------------------------------------------------------------------------
# qLogNEHVI on prepared observations (no start-up phase to wait for)

LINE = SearchSpace(params=[ContinuousParam(name="x", low=0.0, high=1.0)])
SQUARE = SearchSpace(
    params=[ContinuousParam(name="x0", low=0.0, high=1.0), ContinuousParam(name="x1", low=0.0, high=1.0)]
)


def _study_with(space: SearchSpace, sampler, rows: list[tuple[dict, list[float], dict]]) -> optuna.Study:
    study = optuna.create_study(directions=["maximize"] * len(rows[0][1]), sampler=sampler)
    for params, values, constraints in rows:
        trial = create_trial(params=params, distributions=space.distributions(), values=values)
        for key, value in constraints.items():
            trial.set_constraint(key, value)
        study.add_trial(trial)
    return study


def _line_rows(n: int = 9) -> list[tuple[dict, list[float], dict]]:
    """Three objectives on a line: x trades the first against the other two."""
    xs = np.linspace(0.05, 0.95, n)
    return [({"x": float(x)}, [float(x), float(1 - x), float(1 - x**2)], {}) for x in xs]


def test_qlognehvi_uses_the_given_reference_point() -> None:
    """Only x > 0.6 can beat the reference point (0.6, 0, 0); with (0, 0, 0) the whole front counts."""
    proposals = {}
    for ref in ((0.6, 0.0, 0.0), (0.0, 0.0, 0.0)):
        sampler = QLogNEHVISampler(LINE, ref, seed=0, n_startup=5, batch_size=2)
        study = _study_with(LINE, sampler, _line_rows())
        proposals[ref] = [study.ask(LINE.distributions()).params["x"] for _ in range(2)]
        assert sampler.last_acquisition.ref_point.tolist() == list(ref)
    assert min(proposals[(0.6, 0.0, 0.0)]) > 0.6
    assert min(proposals[(0.0, 0.0, 0.0)]) < 0.6


def test_qlognehvi_reference_point_follows_minimize_directions() -> None:
    sampler = QLogNEHVISampler(LINE, [0.5, 1.0], seed=0, n_startup=2)
    study = optuna.create_study(directions=["maximize", "minimize"], sampler=sampler)
    for x in (0.2, 0.5, 0.8):
        study.add_trial(create_trial(params={"x": x}, distributions=LINE.distributions(), values=[x, x * x]))
    study.ask(LINE.distributions())
    assert sampler.last_acquisition.ref_point.tolist() == [0.5, -1.0]
    with pytest.raises(ValueError, match="one reference value per objective"):
        QLogNEHVISampler(LINE, [0.0, 0.0, 0.0], n_startup=1).sample_relative(
            study, study.trials[0], LINE.distributions()
        )


def _square_rows(n: int = 16) -> list[tuple[dict, list[float], dict]]:
    """Maximise x0 and x1; constraints x0 <= 0.5 ("a") and x1 <= 0.5 ("b") bind at the corner (0.5, 0.5)."""
    from scipy.stats import qmc

    pts = qmc.Sobol(2, scramble=True, seed=1).random(n)
    return [
        ({"x0": float(a), "x1": float(b)}, [float(a), float(b)], {"a": float(a - 0.5), "b": float(b - 0.5)})
        for a, b in pts
    ]


def _run_square(constraints: list[str], n_proposals: int) -> list[tuple[float, float]]:
    sampler = QLogNEHVISampler(SQUARE, [0.0, 0.0], constraints, seed=0, n_startup=5)
    study = _study_with(SQUARE, sampler, _square_rows())
    out = []
    for _ in range(n_proposals):
        trial = study.ask(SQUARE.distributions())
        a, b = trial.params["x0"], trial.params["x1"]
        trial.set_constraint("a", a - 0.5)
        trial.set_constraint("b", b - 0.5)
        study.tell(trial, [a, b])
        out.append((a, b))
    acqf = sampler.last_acquisition
    assert [c.name for c in acqf.constraints] == constraints
    assert all(isinstance(c, OutcomeConstraint) for c in acqf.constraints)
    assert [c.index for c in acqf.constraints] == [2 + i for i in range(len(constraints))]
    return out


def test_qlognehvi_applies_both_constraints() -> None:
    both = _run_square(["a", "b"], 2)
    assert all(a <= 0.55 and b <= 0.55 for a, b in both), both
    # Told only about "a", it goes after large x1, which "b" forbids: the second constraint matters.
    only_a = _run_square(["a"], 2)
    assert all(a <= 0.55 for a, _ in only_a), only_a
    assert max(b for _, b in only_a) > 0.6, only_a


def test_qlognehvi_treats_running_trials_as_pending() -> None:
    sampler = QLogNEHVISampler(LINE, [0.0, 0.0, 0.0], seed=0, n_startup=5)
    study = _study_with(LINE, sampler, _line_rows())
    first = study.ask(LINE.distributions())  # never told: it stays RUNNING
    assert sampler.last_acquisition.X_pending is None
    first_x = study.trials[-1].system_attrs[PROPOSAL_ATTR][0]  # what workers read before all params are set
    second = study.ask(LINE.distributions())
    pending = sampler.last_acquisition.X_pending
    assert pending is not None and pending.shape == (1, 1)
    assert pending[0, 0].item() == pytest.approx(first_x, abs=1e-12)
    assert first.params["x"] == pytest.approx(first_x, abs=1e-12)
    assert abs(first_x - second.params["x"]) > 1e-3
    assert sampler.n_model_fits == 2


def test_qlognehvi_batch_of_two_is_distinct_and_fitted_once() -> None:
    sampler = QLogNEHVISampler(SQUARE, [0.0, 0.0], ["a", "b"], seed=0, n_startup=5, batch_size=2)
    study = _study_with(SQUARE, sampler, _square_rows())
    one, two = study.ask(SQUARE.distributions()), study.ask(SQUARE.distributions())
    assert sampler.n_model_fits == 1
    p1, p2 = np.array(list(one.params.values())), np.array(list(two.params.values()))
    assert np.linalg.norm(p1 - p2) > 1e-3
    # A new observation invalidates the rest of a batch: the next ask fits again.
    study.tell(one, [p1[0], p1[1]])
    study.ask(SQUARE.distributions())
    assert sampler.n_model_fits == 2


def test_qlognehvi_is_deterministic_under_a_seed() -> None:
    runs = []
    for _ in range(2):
        sampler = QLogNEHVISampler(LINE, [0.0, 0.0, 0.0], seed=5, n_startup=5)
        study = _study_with(LINE, sampler, _line_rows())
        runs.append(study.ask(LINE.distributions()).params["x"])
    assert runs[0] == runs[1]


def test_qlognehvi_initial_design_is_sobol_by_trial_number() -> None:
    space = _mix_space()
    sampler = QLogNEHVISampler(space, [0, 0, 0], seed=11, n_startup=8)
    study = optuna.create_study(directions=["maximize"] * 3, sampler=sampler)
    asked = [study.ask(space.distributions()) for _ in range(4)]  # all running: still the start-up design
    expected = stats.qmc.Sobol(space.free_dim, scramble=True, seed=11).random_base2(5)[:4]
    for trial, u in zip(asked, expected, strict=True):
        assert trial.params == pytest.approx(space.unit_to_params(u), abs=1e-12)
    assert sampler.n_model_fits == 0
    other = QLogNEHVISampler(space, [0, 0, 0], seed=12, n_startup=8)
    other_study = optuna.create_study(directions=["maximize"] * 3, sampler=other)
    assert other_study.ask(space.distributions()).params != asked[0].params  # the seed matters
