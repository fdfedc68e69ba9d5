"""The search end to end on a tiny merging problem: workers, resume, duplicates, failures, retries, answers."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import optuna
import pytest
import torch
from _search_fixtures import tiny_problem, write_mc, write_spec
from mixmerge.search.runner import prepare_study
from mixmerge.search.spec import StudySpec
from mixmerge.search.worker import (
    DUPLICATE_ATTR,
    FIDELITY_ATTR,
    KEY_ATTR,
    RETRY_ATTR,
    SCREENED_ATTR,
    Worker,
    run_worker,
)
from mixmerge.service.cli import main
from mixmerge.storage import open_store
from optuna.trial import TrialState


@pytest.fixture(scope="module")
def problem(tmp_path_factory) -> dict:
    torch.set_num_threads(1)
    return tiny_problem(tmp_path_factory.mktemp("problem"))


def _study(spec: StudySpec) -> optuna.Study:
    store = open_store(spec.storage)
    return optuna.load_study(study_name=spec.study, storage=store.optuna_storage(None, None))


def test_search_records_scores_costs_and_answers(tmp_path, problem, capsys):
    spec = StudySpec.load(write_spec(tmp_path / "spec.yaml", problem, budget={"trials": 5},
                                     constraints=["harmless >= base - 0.5"], screening={"fraction": 0.5}))
    prepare_study(spec)
    report = run_worker(spec.storage, spec.study)
    assert report.stop_reason == "trials" and report.evaluated == 5 and report.failed == 0
    study = _study(spec)
    trials = study.get_trials()
    assert [t.state for t in trials] == [TrialState.COMPLETE] * 5
    store = open_store(spec.storage)
    full = [t for t in trials if t.user_attrs[FIDELITY_ATTR] == 1.0]
    screened = [t for t in trials if t.user_attrs[SCREENED_ATTR]]
    assert len(full) + len(screened) == 5 and full, "the first candidate always goes to full fidelity"
    # fidelities are kept apart in the store: every trial has a screening stage, full ones a second stage
    rows = store.scores(spec.study, split="dev")
    assert {r["fidelity"] for r in rows} == {0.5, 1.0}
    assert len([r for r in rows if r["fidelity"] == 1.0]) == 3 * len(full)
    # cost: one setup step (base evaluation), then every stage of every trial, all paid
    totals = store.cumulative_cost(spec.study)
    assert totals.n_setup_steps == 3 + 1  # given experts (already paid) + base evaluation
    assert totals.already_paid_flops == 0.0 and totals.flops > 0
    # the told values are the stored scores
    for t in full:
        stored = {r["objective"]: r["value"] for r in rows if r["trial_number"] == t.number and r["fidelity"] == 1.0}
        assert t.values == [stored["helpful"], stored["harmless"], stored["honest"]]
        assert set(t.constraints) == {"harmless>=base-0.5"}

    # answers: status, best (qualifying and not), confirm on test, export
    assert main(["status", "--storage", spec.storage, "--study", spec.study, "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["trials"] == {"complete": 5} and status["budget"]["reached"] == "trials"
    assert status["now"] == "between trials"  # setup done, nothing running
    assert status["pareto_trials"]
    assert main(["best", "--storage", spec.storage, "--study", spec.study, "--maximize", "helpful", "--json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    top = max(full, key=lambda t: (t.values[0], -t.number))
    assert answer["qualified"] and answer["best"]["trial"] == top.number
    assert set(answer["best"]["coefficients"]) == {"helpful", "harmless", "honest"}
    assert main(["best", "--storage", spec.storage, "--study", spec.study, "--where", "helpful>=1.5"]) == 1
    out = capsys.readouterr().out
    assert "no candidate" in out and "closest" in out
    assert main(["best", "--storage", spec.storage, "--study", spec.study, "--confidence", "0.9", "--json"]) == 0
    lowered = json.loads(capsys.readouterr().out)["best"]
    assert all(lowered["lower_bounds"][k] <= lowered["dev"][k]["value"] for k in lowered["dev"])
    assert main(["confirm", "--storage", spec.storage, "--study", spec.study, "--trials", str(top.number)]) == 0
    assert f"trial {top.number} (test)" in capsys.readouterr().out
    assert store.scores(spec.study, split="test", fidelity=1.0)
    assert main(["best", "--storage", spec.storage, "--study", spec.study, "--maximize", "helpful", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["best"]["test"]
    assert main(["export", "--storage", spec.storage, "--study", spec.study, "--trial", str(top.number),
                 "--out", str(tmp_path / "export")]) == 0
    assert (tmp_path / "export" / "mergekit_config.yml").is_file()
    # the export is the model the search scored: re-score it and compare
    from mixmerge.objectives.loading import load_model
    from mixmerge.objectives.registry import build_objective, evaluate

    model, tok = load_model(str(tmp_path / "export"))
    objs = [build_objective(o.name, split="dev") for o in spec.objectives]
    again = evaluate(model, tok, objs)
    assert [again[k].value for k in spec.traded_keys] == pytest.approx(top.values, abs=1e-6)


def test_resume_continues_the_budget_and_duplicates_are_not_evaluated(tmp_path, problem):
    spec = StudySpec.load(write_spec(tmp_path / "spec.yaml", problem, budget={"trials": 4}))
    prepare_study(spec)
    first = run_worker(spec.storage, spec.study, max_trials=2)  # a search stopped after two trials
    assert first.stop_reason == "max_trials"
    prepare_study(spec)  # the same command again: same spec, same study
    second = run_worker(spec.storage, spec.study)
    assert second.evaluated + second.duplicates == 2 and second.stop_reason == "trials"
    study = _study(spec)
    # an identical candidate is told the stored values without evaluation
    done = study.get_trials()[0]
    study.enqueue_trial(done.params)
    spec3 = spec.model_copy(update={"budget": spec.budget.model_copy(update={"trials": 5})})
    store = open_store(spec.storage)
    store.put_study_meta(spec.study, arm="merge", spec=spec3.stored(), reference_point=spec3.reference, replace=True)
    n_costs = len(store.costs(spec.study))
    third = run_worker(spec.storage, spec.study)
    assert third.duplicates == 1 and third.evaluated == 0
    twin = _study(spec).get_trials()[-1]
    assert twin.user_attrs[DUPLICATE_ATTR] == done.number and twin.values == done.values
    assert twin.user_attrs[KEY_ATTR] == done.user_attrs[KEY_ATTR]
    assert len(store.costs(spec.study)) == n_costs, "a duplicate costs nothing"


def test_a_different_spec_for_the_same_study_is_refused(tmp_path, problem, capsys):
    path = write_spec(tmp_path / "spec.yaml", problem)
    prepare_study(StudySpec.load(path))
    write_spec(path, problem, budget={"trials": 9})
    assert main(["search", str(path)]) == 2
    assert "different spec" in capsys.readouterr().err


def test_nan_score_fails_the_trial_with_its_reason(tmp_path, problem):
    spec = StudySpec.load(write_spec(tmp_path / "spec.yaml", problem, budget={"trials": 2},
                                     space={"coefficients": [3.0e38, 3.3e38]}))
    prepare_study(spec)
    report = run_worker(spec.storage, spec.study)
    assert report.failed == 2 and report.stop_reason == "trials", "failed trials count against the budget"
    failures = open_store(spec.storage).failures(spec.study)
    assert failures and "NaN" in failures[0]["reason"]
    assert all(t.state == TrialState.FAIL for t in _study(spec).get_trials())


def test_sigkilled_worker_trial_is_retried(tmp_path, problem):
    slow = dict(problem)
    slow["objectives"] = [{"name": f"{o['name'].split('=')[0]}=mc:{write_mc(tmp_path / f'{i}.jsonl', i, n=400)}"}
                          for i, o in enumerate(problem["objectives"])]
    spec = StudySpec.load(write_spec(tmp_path / "spec.yaml", slow, budget={"trials": 2}))
    prepare_study(spec)
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "mixmerge.service.cli", "worker", "--storage", spec.storage,
                             "--study", spec.study, "--rank", "0"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        victim = None
        while victim is None and time.monotonic() < deadline:
            time.sleep(0.2)
            running = [t for t in _study(spec).get_trials()
                       if t.state == TrialState.RUNNING and KEY_ATTR in t.user_attrs]
            victim = running[0] if running else None
        assert victim is not None, "the worker never started a trial"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
    worker = Worker(spec.storage, spec.study, rank=1)
    try:
        worker.setup()
        worker.run()
    finally:
        worker.close()
    trials = _study(spec).get_trials()
    assert trials[victim.number].state == TrialState.FAIL
    retry = [t for t in trials if t.user_attrs.get(RETRY_ATTR) == victim.number]
    assert len(retry) == 1 and retry[0].state == TrialState.COMPLETE and retry[0].params == victim.params
    reasons = [f["reason"] for f in open_store(spec.storage).failures(spec.study)]
    assert any("no heartbeat" in r for r in reasons)
    assert sum(t.state == TrialState.COMPLETE for t in trials) == 2
