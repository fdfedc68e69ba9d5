"""Reports on small studies built through Optuna and the Store: fronts, arms at equal compute, profiles,
the self-contained HTML, hidden harmful responses, an empty study, and the ``mixmerge report`` command."""

from __future__ import annotations

import re

import numpy as np
import optuna
import pytest
from _report_fixtures import OBJECTIVES, build_pair, build_study
from mixmerge.reports.compare import compare_arms, first_reaching, hv_at
from mixmerge.reports.data import load_study
from mixmerge.reports.html import HIDDEN, analyse, render_html
from mixmerge.reports.hypervolume import hypervolume
from mixmerge.reports.pareto import pareto_front, progress
from mixmerge.reports.profiles import ProfileError, choose, profiles_for, robustness
from mixmerge.service.cli import main
from mixmerge.storage import open_store

optuna.logging.set_verbosity(optuna.logging.WARNING)


@pytest.fixture(scope="module")
def pair_store(tmp_path_factory):
    path = tmp_path_factory.mktemp("reports") / "pair.db"
    store = open_store(path)
    build_pair(store)
    yield store
    store.close()


def test_front_is_feasible_nondominated_and_spans_the_hypervolume(pair_store):
    data = load_study(pair_store, "merge-arm")
    front = pareto_front(data)
    assert len(front.front) > 0 and len(front.infeasible) > 0
    pts = data.points(front.front)
    for p in pts:
        assert not any(np.all(q >= p) and np.any(q > p) for q in data.points(front.dominated))
    feasible = data.complete[data.complete["feasible"]]
    assert front.hypervolume == pytest.approx(hypervolume(data.points(feasible), data.reference_point))
    everything = hypervolume(data.points(data.complete), data.reference_point)
    assert everything >= front.hypervolume  # infeasible points are left out, not added
    # screening stages are kept apart: trials told at fidelity 0.25 (with Optuna values of 0.99, which would
    # dominate everything) never enter the front
    assert int(data.trials["screened_only"].sum()) == 3
    assert not data.trials.loc[data.trials["screened_only"], "has_scores"].any()
    assert data.complete[list(OBJECTIVES)].max().max() < 0.99
    # base and experts are marked: reference trials here, the base's recorded scores in the mix arm
    assert sorted(data.references["role"]) == ["base", "expert:harmless", "expert:helpful", "expert:honest"]
    mix = load_study(pair_store, "mix-arm")
    assert list(mix.references["role"]) == ["base"] and mix.references["helpful"].iloc[0] == 0.3


def test_progress_counts_setup_compute_and_ends_at_the_front_hypervolume(pair_store):
    data = load_study(pair_store, "merge-arm")
    curve = progress(data)
    assert curve["cum_flops"].iloc[0] == pytest.approx(6e12 + 1e12)  # experts trained before trial 0
    assert curve["cum_flops"].iloc[-1] == pytest.approx(6e12 + 30e12 + 3 * 0.25e12)
    assert np.all(np.diff(curve["hypervolume"]) >= 0)
    assert curve["hypervolume"].iloc[-1] == pytest.approx(pareto_front(data).hypervolume)
    assert curve["wall_seconds"].iloc[-1] > curve["wall_seconds"].iloc[0] > 0


def test_arms_at_equal_compute(pair_store):
    merge, mix = load_study(pair_store, "merge-arm"), load_study(pair_store, "mix-arm")
    c = compare_arms([merge, mix], n_boot=100)
    assert c.budget_flops == pytest.approx(min(a.total_flops for a in c.arms))
    assert list(c.at_fractions["fraction"]) == [0.25, 0.5, 1.0] * 2
    for r in c.at_fractions.itertuples():
        assert r.lo <= r.hi
        assert r.hv == pytest.approx(hv_at(next(a for a in c.arms if a.study == r.study), r.flops))
    # the better arm (quality 0.95 vs 0.8) is ahead at the full budget, resolved
    full = c.differences.iloc[-1]
    assert full["difference"] > 0 and full["resolved"]
    assert "merge is ahead of mix" in c.verdict
    reach = next(r for r in c.reaches if r["arm"] == "merge")
    merge_arm = c.arms[0]
    assert reach["flops"] is not None and hv_at(merge_arm, reach["flops"]) >= reach["target_hv"]
    assert hv_at(merge_arm, reach["flops"] * 0.999) < reach["target_hv"]
    assert first_reaching(merge_arm, 10.0) is None


def test_identical_arms_are_not_resolved(tmp_path):
    store = open_store(tmp_path / "same.db")
    build_study(store, "a", "merge", n_trials=12, seed=5)
    build_study(store, "b", "mix", n_trials=12, seed=5)
    c = compare_arms([load_study(store, "a"), load_study(store, "b")], n_boot=100, seed=1)
    assert (c.differences["difference"] == 0).all()
    assert not c.differences["resolved"].any()
    assert "not resolved" in c.verdict
    store.close()


def test_profiles_respect_constraints_and_preferences(pair_store):
    data = load_study(pair_store, "merge-arm")
    profiles = profiles_for(data.spec)
    assert set(profiles) == {"balanced", "safety-first", "helpful-first", "honest-first"}
    pool = data.complete[data.complete["feasible"]]
    safety = choose(data, profiles["safety-first"])["chosen"]
    assert safety["dev"]["harmless"]["value"] >= 0.8
    balanced = choose(data, profiles["balanced"])["chosen"]
    assert min(v["value"] for v in balanced["dev"].values()) == pytest.approx(pool[list(OBJECTIVES)].min(axis=1).max())
    helpful = choose(data, profiles["helpful-first"])["chosen"]
    ok = pool[pool["harmless"] >= 0.5]
    util = (3 * ok["helpful"] + ok["harmless"] + ok["honest"]) / 5
    assert helpful["number"] == int(ok.loc[util.idxmax(), "number"])


def test_profile_overrides_from_the_spec_and_impossible_minimums():
    overridden = profiles_for({"profiles": {"safety-first": {"minimums": {"harmless": 0.99}},
                                            "custom": {"weights": {"honest": 1}}}})
    assert overridden["safety-first"].minimums == {"harmless": 0.99}
    assert overridden["safety-first"].weights["harmless"] == 3  # kept from the default
    assert "custom" in overridden
    with pytest.raises(ProfileError, match="weights"):
        profiles_for({"profiles": {"bad": {"weights": {"helpful": -1}}}})


def test_impossible_profile_and_robustness_neighbours(pair_store):
    data = load_study(pair_store, "merge-arm")
    strict = profiles_for({"profiles": {"safety-first": {"minimums": {"harmless": 0.999}}}})["safety-first"]
    out = choose(data, strict)
    assert out["chosen"] is None and "relax" in out["message"]
    chosen = data.complete.iloc[10]
    rob = robustness(data, chosen, radius=0.5)
    grid = np.array([[p[n] for n in data.param_names] for p in data.complete["params"]])
    centre = np.array([chosen["params"][n] for n in data.param_names])
    span = grid.max(axis=0) - grid.min(axis=0)
    expected = int((np.max(np.abs(grid - centre) / span, axis=1) <= 0.5).sum()) - 1
    assert rob["n_neighbours"] == expected > 0
    near = data.complete[(np.max(np.abs(grid - centre) / span, axis=1) <= 0.5)]
    assert rob["objectives"]["helpful"]["max_move"] == pytest.approx((near["helpful"] - chosen["helpful"]).abs().max())


def test_html_is_self_contained_and_hides_harmful_responses(pair_store):
    report = analyse(pair_store, ["merge-arm", "mix-arm"], n_boot=50)
    page = render_html(pair_store, report)
    assert "<script src" not in page and "cdn.plot.ly" not in page.split("</head>")[1]
    assert "Plotly.newPlot" in page and "Mix vs merge at equal compute" in page
    for section in ("overnight view", "Pareto front projections", "Screening and full fidelity",
                    "Deployment profiles", "test confirmations", "the tail", "Sample responses"):
        assert section in page
    assert re.search(r"answer to helpful item \d", page)
    assert "answer to harmless item" not in page and HIDDEN in page
    shown = render_html(pair_store, report, show_harmful=True)
    assert re.search(r"answer to harmless item \d", shown)


def test_report_on_a_study_without_finished_trials(tmp_path):
    store = open_store(tmp_path / "empty.db")
    optuna.create_study(study_name="empty", storage=store.optuna_storage(), directions=["maximize"] * 3)
    page = render_html(store, analyse(store, ["empty"]))
    assert "has no finished trial" in page
    store.close()


def test_report_command_writes_html_and_pngs(tmp_path, capsys):
    db = tmp_path / "cli.db"
    store = open_store(db)
    build_study(store, "only", "merge", n_trials=8, seed=3)
    store.close()
    out = tmp_path / "r" / "report.html"
    assert main(["report", "--storage", str(db), "--out", str(out), "--bootstrap", "20"]) == 0
    assert out.stat().st_size > 1_000_000  # plotly inlined
    pngs = sorted(p.name for p in (tmp_path / "r" / "report_figures").iterdir())
    assert pngs == ["hv_vs_compute.png", "pareto_only.png"]
    assert (tmp_path / "r" / "report_figures" / "pareto_only.png").read_bytes()[:4] == b"\x89PNG"
    assert main(["report", "--storage", str(db), "--study", "nope", "--out", str(out)]) == 2
    assert "no study ['nope']" in capsys.readouterr().err


def test_fast_trial_reader_matches_optuna(pair_store):
    from mixmerge.reports.trials_sql import read_trials

    study = optuna.load_study(study_name="merge-arm", storage=pair_store.optuna_storage(None, None))
    fast = read_trials(pair_store, study._study_id)
    slow = study.get_trials(deepcopy=False)
    assert len(fast) == len(slow) > 0
    for f, t in zip(fast, slow, strict=True):
        assert (f["trial_id"], f["number"], f["state"]) == (t._trial_id, t.number, t.state.name)
        assert f["params"] == t.params and f["values"] == t.values and f["constraints"] == t.constraints
        assert f["start"] == t.datetime_start and f["complete"] == t.datetime_complete
        assert f["user_attrs"] == {k: v for k, v in t.user_attrs.items() if k in ("mixmerge:role", "mixmerge:fidelity")}
