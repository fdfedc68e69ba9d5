"""Worker faults around ``tell``: bookkeeping errors after it, hypervolume labels, stale trials and their retries.

On the tiny merging problem, in this process (no worker processes, a few seconds a test): a trial is failed and
retried only while it is running, by exactly one retry, and never after someone finished it.
"""

from __future__ import annotations

import logging
from datetime import datetime

import moocore
import numpy as np
import optuna
import pytest
import sqlalchemy as sa
import torch
from _search_fixtures import tiny_problem, write_spec
from mixmerge.search import worker as worker_mod
from mixmerge.search.runner import prepare_study
from mixmerge.search.spec import StudySpec
from mixmerge.search.worker import (
    DUPLICATE_ATTR,
    FIDELITY_ATTR,
    KEY_ATTR,
    REDUNDANT_ATTR,
    RETRIES_ATTR,
    RETRY_ATTR,
    Worker,
    run_worker,
)
from mixmerge.storage import StorageError, open_store
from optuna.trial import TrialState

optuna.logging.set_verbosity(optuna.logging.WARNING)


@pytest.fixture(scope="module")
def problem(tmp_path_factory) -> dict:
    torch.set_num_threads(1)
    return tiny_problem(tmp_path_factory.mktemp("problem"))


def _spec(tmp_path, problem, trials: int) -> StudySpec:
    spec = StudySpec.load(write_spec(tmp_path / "spec.yaml", problem, budget={"trials": trials}))
    prepare_study(spec)
    return spec


def _trials(spec: StudySpec) -> list[optuna.trial.FrozenTrial]:
    store = open_store(spec.storage)
    try:
        return optuna.load_study(study_name=spec.study, storage=store.optuna_storage(None, None)).get_trials()
    finally:
        store.close()


def _age_heartbeats(spec: StudySpec) -> None:
    """Every trial's last heartbeat long ago: its worker looks dead to any other."""
    store = open_store(spec.storage)
    with store.engine.begin() as conn:
        conn.execute(sa.text("UPDATE trial_heartbeats SET heartbeat = :old"), {"old": datetime(2000, 1, 1)})
    store.close()


class _OneBeat:
    """A heartbeat that beats once and then stops, as a worker stuck in one long step would."""

    def __init__(self, storage, trial_id: int, interval: float):
        self.storage, self.trial_id = storage, trial_id

    def __enter__(self):
        self.storage.record_heartbeat(self.trial_id)
        return self

    def __exit__(self, *exc: object) -> None:
        pass


def _hv(values: list[list[float]]) -> float:
    pts = np.array(values, dtype=np.float64).reshape(-1, 3)
    pts = pts[np.all(pts > 0, axis=1)]
    return float(moocore.hypervolume(-pts, ref=[0.0] * 3)) if len(pts) else 0.0


def test_a_snapshot_error_after_tell_neither_fails_nor_retries_the_trial(tmp_path, problem, monkeypatch, caplog):
    spec = _spec(tmp_path, problem, trials=3)
    snapshot = Worker._snapshot
    calls: list[int] = []

    def snapshot_fails_once(self):
        calls.append(1)
        if len(calls) == 1:
            raise StorageError("hypervolume snapshot: connection dropped")
        return snapshot(self)

    monkeypatch.setattr(Worker, "_snapshot", snapshot_fails_once)
    with caplog.at_level(logging.WARNING, logger="mixmerge.search.worker"):
        report = run_worker(spec.storage, spec.study)
    assert report.failed == 0 and report.evaluated == 3 and report.duplicates == 0, report
    trials = _trials(spec)
    assert [t.state for t in trials] == [TrialState.COMPLETE] * 3
    assert len({t.user_attrs[KEY_ATTR] for t in trials}) == 3, "three distinct candidates, no duplicate"
    assert not [t for t in trials if RETRY_ATTR in t.user_attrs or DUPLICATE_ATTR in t.user_attrs]
    store = open_store(spec.storage)
    assert store.failures(spec.study) == []
    # the lost snapshot is taken again before the next trial: one per count of complete trials
    assert sorted(s["n_trials"] for s in store.hv_series(spec.study)) == [1, 2, 3]
    store.close()
    assert any("snapshot" in r.getMessage() for r in caplog.records)


def test_an_error_inside_tell_after_the_trial_is_stored_is_not_a_failure(tmp_path, problem, monkeypatch):
    """``tell`` stores the state even when the sampler's ``after_trial`` raises: the trial is complete."""
    spec = _spec(tmp_path, problem, trials=2)
    worker = Worker(spec.storage, spec.study)
    after = type(worker.sampler).after_trial
    calls: list[int] = []

    def after_trial_fails_once(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("sampler bookkeeping broke")
        return after(self, *args, **kwargs)

    monkeypatch.setattr(type(worker.sampler), "after_trial", after_trial_fails_once)
    try:
        worker.setup()
        report = worker.run()
    finally:
        worker.close()
    trials = _trials(spec)
    assert [t.state for t in trials] == [TrialState.COMPLETE] * 2, trials
    assert not [t for t in trials if RETRY_ATTR in t.user_attrs or DUPLICATE_ATTR in t.user_attrs]
    assert report.failed == 0 and report.evaluated == 2
    assert open_store(spec.storage).failures(spec.study) == []


def test_the_snapshot_counts_the_trials_of_the_front_it_measured(tmp_path, problem, monkeypatch):
    """Another worker's trial completing while a snapshot is taken must not label the old front with the new
    count (the series would go down when that count's own snapshot has the larger front)."""
    spec = _spec(tmp_path, problem, trials=4)
    worker = Worker(spec.storage, spec.study)
    other = optuna.load_study(study_name=spec.study, storage=open_store(spec.storage).optuna_storage(None, None))
    first = worker.study.ask()
    first.set_user_attr(FIDELITY_ATTR, 1.0)
    worker.study.tell(first, [0.5, 0.5, 0.5])
    get_trials = worker.study.get_trials
    completed: list[int] = []

    def others_finish_meanwhile(*args, **kwargs):
        found = get_trials(*args, **kwargs)
        if not completed:  # just after the first read of the snapshot: another worker completes a better trial
            t = other.ask()
            t.set_user_attr(FIDELITY_ATTR, 1.0)
            other.tell(t, [0.9, 0.9, 0.9])
            completed.append(t.number)
        return found

    monkeypatch.setattr(worker.study, "get_trials", others_finish_meanwhile)
    worker._snapshot()
    monkeypatch.undo()
    worker._snapshot()  # the other worker's own snapshot, on the newer state
    worker.close()
    values = {t.number: t.values for t in _trials(spec)}
    series = open_store(spec.storage).hv_series(spec.study)
    assert sorted(s["n_trials"] for s in series) == [1, 2]
    for s in series:  # each label's hypervolume is that of exactly its first n complete trials
        assert s["hypervolume"] == pytest.approx(_hv([values[n] for n in range(s["n_trials"])]), abs=1e-12), series


def test_a_stale_trial_is_retried_once_even_when_recording_its_failure_raises(tmp_path, problem, monkeypatch):
    spec = _spec(tmp_path, problem, trials=3)
    worker = Worker(spec.storage, spec.study, max_trials=0)  # sweeps stale trials, then stops
    dead = worker.study.ask()  # a trial whose worker died mid-evaluation
    worker.space.suggest(dead)
    worker.study._storage.record_heartbeat(dead._trial_id)
    _age_heartbeats(spec)
    record_failure = worker.store.record_failure

    def store_down(**kwargs):
        raise StorageError("recording a failure failed: connection dropped")

    # first a sweep that dies right after queueing the retry (before failing the trial) ...
    real = worker.study._storage.set_trial_state_values

    def dies_before_fail(trial_id, state, values=None):
        if state == TrialState.FAIL:
            raise KeyboardInterrupt("killed")
        return real(trial_id, state, values)

    monkeypatch.setattr(worker.study._storage, "set_trial_state_values", dies_before_fail)
    with pytest.raises(KeyboardInterrupt):
        worker._fail_stale()
    monkeypatch.setattr(worker.study._storage, "set_trial_state_values", real)
    assert _trials(spec)[dead.number].state == TrialState.RUNNING
    # ... then one whose failure record cannot be written: the trial is failed all the same, retried once
    monkeypatch.setattr(worker.store, "record_failure", store_down)
    try:
        worker.setup()
        worker.run()
    finally:
        monkeypatch.setattr(worker.store, "record_failure", record_failure)
        worker.close()
    trials = _trials(spec)
    assert trials[dead.number].state == TrialState.FAIL
    retries = [t for t in trials if t.user_attrs.get(RETRY_ATTR) == dead.number]
    assert len(retries) == 1 and retries[0].state == TrialState.WAITING
    assert retries[0].user_attrs[RETRIES_ATTR] == 1


def test_a_stale_trial_out_of_retries_is_final_and_counted_against_the_budget(tmp_path, problem):
    from mixmerge.search.budget import budget_status
    from mixmerge.search.worker import FINAL_FAILURE_ATTR

    spec = _spec(tmp_path, problem, trials=3)
    worker = Worker(spec.storage, spec.study, max_trials=0)
    try:
        dead = worker.study.ask()  # the last allowed retry of some trial, whose worker died too
        worker.space.suggest(dead)
        dead.set_user_attr(RETRIES_ATTR, spec.workers.max_retries)
        worker.study._storage.record_heartbeat(dead._trial_id)
        _age_heartbeats(spec)
        before = budget_status(worker.store, worker.study, spec).trials
        worker._fail_stale()
        trials = _trials(spec)
        assert trials[dead.number].state == TrialState.FAIL
        assert trials[dead.number].user_attrs.get(FINAL_FAILURE_ATTR) is True
        assert not [t for t in trials if t.user_attrs.get(RETRY_ATTR) == dead.number]  # no retry queued
        assert budget_status(worker.store, worker.study, spec).trials == before == 1  # still spent
    finally:
        worker.close()


def test_a_slow_worker_failed_as_stale_does_not_queue_a_second_retry(tmp_path, problem, monkeypatch):
    spec = _spec(tmp_path, problem, trials=3)
    monkeypatch.setattr(worker_mod, "Heartbeat", _OneBeat)
    slow = Worker(spec.storage, spec.study, max_trials=1)
    other = Worker(spec.storage, spec.study, rank=1, lead=False, max_trials=0)
    score = Worker._score
    swept: list[int] = []

    def score_while_presumed_dead(self, objectives):
        if self is slow and not swept:  # the slow worker's heartbeat is long gone: another worker sweeps
            _age_heartbeats(spec)
            other._fail_stale()
            swept.append(1)
        return score(self, objectives)

    monkeypatch.setattr(Worker, "_score", score_while_presumed_dead)
    try:
        slow.setup()
        report = slow.run()
    finally:
        slow.close()
        other.close()
    assert swept and report.failed == 1 and report.evaluated == 0
    trials = _trials(spec)
    assert trials[0].state == TrialState.FAIL
    retries = [t for t in trials if t.user_attrs.get(RETRY_ATTR) == 0]
    assert len(retries) == 1, [(t.number, t.state, t.user_attrs) for t in trials]
    failures = open_store(spec.storage).failures(spec.study)
    assert len(failures) == 1 and "no heartbeat" in failures[0]["reason"]
    assert "Cannot tell" not in failures[0]["reason"], "the slow worker's late tell is not recorded against it"


def test_redundant_retries_are_dropped_unevaluated_and_not_counted(tmp_path, problem):
    """A retry of a trial completed after all (its worker was only slow), and a second retry queued by a
    racing worker, are failed as redundant when popped: nothing evaluated, no budget spent."""
    spec = _spec(tmp_path, problem, trials=3)
    first = run_worker(spec.storage, spec.study, max_trials=1)
    assert first.evaluated == 1
    worker = Worker(spec.storage, spec.study, rank=1)  # another seed: not trial 0's candidate again
    study = worker.study
    done = study.get_trials()[0]
    lost = study.ask()
    worker.space.suggest(lost)
    study.tell(lost, state=TrialState.FAIL)  # failed by a sweep, and its retry queued twice in a race
    study.enqueue_trial(done.params, user_attrs={RETRY_ATTR: done.number, RETRIES_ATTR: 1})
    for _ in range(2):
        study.enqueue_trial(lost.params, user_attrs={RETRY_ATTR: lost.number, RETRIES_ATTR: 1})
    worker.close()
    report = run_worker(spec.storage, spec.study, rank=2)
    assert report.dropped_retries == 2 and report.evaluated == 2, report
    assert report.duplicates == 0 and report.failed == 0, report
    trials = _trials(spec)
    dropped = [t for t in trials if t.user_attrs.get(REDUNDANT_ATTR)]
    assert sorted(t.user_attrs[RETRY_ATTR] for t in dropped) == [done.number, lost.number]
    assert all(t.state == TrialState.FAIL and KEY_ATTR not in t.user_attrs for t in dropped)
    complete = [t for t in trials if t.state == TrialState.COMPLETE]
    assert len(complete) == 3 and len({t.user_attrs[KEY_ATTR] for t in complete}) == 3
    assert [t.user_attrs.get(RETRY_ATTR) for t in complete].count(lost.number) == 1
