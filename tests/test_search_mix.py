"""The mix arm end to end on a tiny model: each trial fine-tunes the base on a searched mixture of the H3
training sets (the same recipe for every trial), is scored, and is charged its training FLOPs; the search
stops at the FLOP budget."""

from __future__ import annotations

import json

import optuna
import pytest
import torch
from _search_fixtures import tiny_problem, write_spec
from mixmerge.search.runner import prepare_study
from mixmerge.search.spec import StudySpec
from mixmerge.search.worker import CANDIDATE_ATTR, FIDELITY_ATTR, run_worker
from mixmerge.storage import open_store
from mixmerge.training.cost import ParamCounts
from optuna.trial import TrialState

TRAINING = {"tokens": 1024, "seq_len": 128, "batch_size": 4, "lr": 1e-3, "schedule": "constant",
            "warmup_fraction": 0.0, "min_response_tokens": 4}


@pytest.fixture(scope="module")
def problem(tmp_path_factory) -> dict:
    torch.set_num_threads(1)
    return tiny_problem(tmp_path_factory.mktemp("problem"))


def _mix_spec(tmp_path, problem, **overrides) -> StudySpec:
    fields = {"study": "tiny-mix", "arm": "mix", "experts": None, "training": TRAINING,
              "constraints": ["helpful >= base - 1"], **overrides}
    return StudySpec.load(write_spec(tmp_path / "spec.yaml", problem, **fields))


def _param_counts(base_dir: str) -> ParamCounts:
    from transformers import AutoModelForCausalLM

    return ParamCounts.of(AutoModelForCausalLM.from_pretrained(base_dir))


def test_mix_search_trains_each_candidate_and_stops_at_the_flop_budget(tmp_path, problem):
    spec = _mix_spec(tmp_path, problem, budget={"flops": 1e30, "trials": 50}, optimizer={"name": "qlognehvi"})
    prepare_study(spec)
    # one trial's cost, measured: run a single trial first, then set the budget to 2.5 trials
    first = run_worker(spec.storage, spec.study, max_trials=1)
    assert first.evaluated == 1 and first.failed == 0, first
    store = open_store(spec.storage)
    per_trial = store.cumulative_cost(spec.study).flops - _setup_flops(store, spec.study)
    budget = _setup_flops(store, spec.study) + 2.5 * per_trial
    spec2 = spec.model_copy(update={"budget": spec.budget.model_copy(update={"flops": budget})})
    store.put_study_meta(spec.study, arm="mix", spec=spec2.stored(), reference_point=spec2.reference, replace=True)
    report = run_worker(spec.storage, spec.study)
    assert report.stop_reason == "flops" and report.failed == 0

    study = optuna.load_study(study_name=spec.study, storage=store.optuna_storage(None, None))
    trials = study.get_trials()
    assert [t.state for t in trials] == [TrialState.COMPLETE] * 3, "2.5 trials of budget: the third overshoots"
    assert all(t.user_attrs[FIDELITY_ATTR] == 1.0 for t in trials)
    # the stop: under budget before the last trial, at or over it after (at most one trial per worker beyond)
    costs = [c for c in store.costs(spec.study) if c["kind"] == "trial"]
    totals = store.cumulative_cost(spec.study)
    assert totals.flops >= budget > totals.flops - max(c["flops"] for c in costs)

    counts = _param_counts(problem["base"])
    n_params = counts.total
    for t in trials:
        cand = t.user_attrs[CANDIDATE_ATTR]
        ratios = cand["ratios"]
        assert set(ratios) == {"helpful", "harmless", "honest"}
        assert all(r >= 0 for r in ratios.values()) and sum(ratios.values()) == pytest.approx(1.0, abs=1e-9)
        prov = json.loads((tmp_path / "tiny-mix.runs" / "trials" / f"{t.number:05d}" /
                           "mixmerge_provenance.json").read_text())
        assert prov["kind"] == "mixture" and prov["strategy"] == "search"
        assert prov["mixture"] == pytest.approx(ratios) and prov["recipe"]["tokens"] == TRAINING["tokens"]
        run = prov["cost"]
        assert run["tokens"] == TRAINING["tokens"] and run["params"] == n_params
        assert run["nominal_flops"] == 6 * n_params * TRAINING["tokens"]
        # stored with the trial: the training run's FLOPs plus the evaluation's
        (row,) = [c for c in costs if c["trial_id"] == t._trial_id]
        assert row["breakdown"]["build_flops"] == run["flops"] == run["train_flops"]
        # 6 N T for the body; the (tied) output layer only where a next token is trained (assistant tokens)
        assert run["flops"] == 6 * (counts.body * TRAINING["tokens"] + counts.head * run["head_positions"])
        assert 0 < run["head_positions"] <= TRAINING["tokens"] and run["flops"] <= run["nominal_flops"]
        assert row["flops"] == pytest.approx(run["flops"] + row["breakdown"]["eval_flops"])
        assert row["breakdown"]["eval_flops"] > 0 and row["device_seconds"] > 0
        assert cand["model_dir"] == str(tmp_path / "tiny-mix.runs" / "trials" / f"{t.number:05d}")
    # three different mixtures were tried, and the base was scored once for the relative constraint
    assert len({json.dumps(t.params, sort_keys=True) for t in trials}) == 3
    assert [c["label"] for c in store.costs(spec.study) if c["kind"] == "setup"] == ["evaluate base (dev)"]


def test_fixed_mixes_train_exactly_the_listed_ratios_and_confirm_on_test(tmp_path, problem):
    from mixmerge.search.confirm import confirm

    mixes = [{"helpful": 1.0, "harmless": 0.0, "honest": 0.0}, {"helpful": 0.2, "harmless": 0.5, "honest": 0.3}]
    spec = _mix_spec(tmp_path, problem, strategy="fixed", mixes=mixes, budget={"trials": 2}, constraints=[])
    prepare_study(spec)
    report = run_worker(spec.storage, spec.study)
    assert report.evaluated == 2 and report.stop_reason == "trials"
    store = open_store(spec.storage)
    study = optuna.load_study(study_name=spec.study, storage=store.optuna_storage(None, None))
    got = [t.user_attrs[CANDIDATE_ATTR]["ratios"] for t in study.get_trials()]
    assert got == [pytest.approx(m, abs=1e-9) for m in mixes]
    done = confirm(spec.storage, spec.study, "all")
    assert sorted(done) == [0, 1] and all(set(v) == {"helpful", "harmless", "honest"} for v in done.values())
    assert {r["split"] for r in store.scores(spec.study, fidelity=1.0)} == {"dev", "test"}


def _setup_flops(store, study: str) -> float:
    return sum(c["flops"] for c in store.costs(study) if c["kind"] == "setup" and c["paid"])
