"""Failures and hypervolume snapshots written again (a retried transaction, a retried or stale trial, two
workers at once) keep one row, on both backends; migration 0002 merges the duplicates older stores hold."""

# ruff: noqa: F811 - pytest fixtures imported from _storage_backends are redefined as arguments

from __future__ import annotations

import threading

import optuna
import pytest
import sqlalchemy as sa
from _storage_backends import name, pg_server, pg_url, shared_pg_url, shared_url, store, store_url  # noqa: F401 - fixtures
from alembic import command
from mixmerge.storage import open_store
from mixmerge.storage.migrate import alembic_config
from mixmerge.storage.schema import Failure, HVSnapshot
from mixmerge.storage.store import Store

optuna.logging.set_verbosity(optuna.logging.WARNING)


def _study(store: Store, name: str) -> optuna.Study:
    return optuna.create_study(study_name=name, storage=store.optuna_storage(), directions=["maximize"] * 3)


def _every_transaction_twice(monkeypatch, store: Store) -> None:
    """A retry after a commit whose acknowledgement was lost: the same work, committed a second time."""
    run = store._run

    def twice(work, *, write, what):
        run(work, write=write, what=what)
        return run(work, write=write, what=what)

    monkeypatch.setattr(store, "_run", twice)


def _snap(store: Store, name: str, n: int, hv: float, flops: float = 1.0) -> None:
    store.record_hv_snapshot(name, hypervolume=hv, cumulative_flops=flops, cumulative_device_seconds=flops,
                             n_trials=n)


def test_a_trial_has_one_failure_row_whatever_records_it(store, name, monkeypatch):
    study = _study(store, name)
    t = study.ask()._trial_id
    _every_transaction_twice(monkeypatch, store)
    store.record_failure(trial_id=t, reason="worker lost: no heartbeat for 120 s")
    store.record_failure(trial_id=t, reason="worker lost: no heartbeat for 120 s")  # the same step re-run
    # the worker that was presumed dead fails its own trial later: one row, both reasons, the traceback kept
    store.record_failure(trial_id=t, reason="UpdateFinishedTrialError: finished", traceback="Traceback ...")
    store.record_failure(trial_id=t, reason="UpdateFinishedTrialError: finished", traceback="other")
    (row,) = store.failures(name)
    assert row["reason"] == "worker lost: no heartbeat for 120 s; then: UpdateFinishedTrialError: finished"
    assert row["traceback"] == "Traceback ..." and row["trial_number"] == 0

    # a setup step's failure is written once per call, even when its transaction is retried ...
    store.record_failure(study=name, reason="expert training diverged")
    assert [f["reason"] for f in store.failures(name) if f["trial_id"] is None] == ["expert training diverged"]
    # ... and a second attempt failing again is a second event
    store.record_failure(study=name, reason="expert training diverged")
    assert len(store.failures(name)) == 3


def test_concurrent_failures_of_one_trial_lose_no_reason(shared_url, name):
    store = open_store(shared_url)
    t = _study(store, name).ask()._trial_id
    reasons = [f"reason {i}" for i in range(6)]
    errors: list[BaseException] = []

    def fail(reason: str) -> None:
        s = open_store(shared_url)
        try:
            s.record_failure(trial_id=t, reason=reason)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            s.close()

    threads = [threading.Thread(target=fail, args=(r,)) for r in reasons + reasons]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors
    (row,) = store.failures(name)
    assert sorted(row["reason"].split("; then: ")) == reasons
    store.close()


def test_one_snapshot_per_study_state(store, name, monkeypatch):
    _study(store, name)
    _every_transaction_twice(monkeypatch, store)
    _snap(store, name, 1, 0.10)
    _snap(store, name, 2, 0.25, flops=2.0)
    _snap(store, name, 2, 0.20, flops=3.0)  # a worker that read the front before trial 2 completed
    _snap(store, name, 3, 0.25, flops=4.0)
    _snap(store, name, 3, 0.30, flops=5.0)  # a better view of the same state replaces the row
    series = store.hv_series(name)
    assert [(s["n_trials"], s["hypervolume"], s["cumulative_flops"]) for s in series] == [
        (1, 0.10, 1.0), (2, 0.25, 2.0), (3, 0.30, 5.0)]
    # another split or fidelity is another series
    store.record_hv_snapshot(name, hypervolume=0.5, cumulative_flops=0, cumulative_device_seconds=0,
                             n_trials=3, split="test")
    assert len(store.hv_series(name)) == 4 and len(store.hv_series(name, split="dev")) == 3


def test_workers_snapshotting_together_keep_one_row_per_state(shared_url, name):
    store = open_store(shared_url)
    _study(store, name)
    errors: list[BaseException] = []

    def worker(rank: int) -> None:
        s = open_store(shared_url)
        try:
            for n in range(10):
                _snap(s, name, n, n / 10 + rank / 1000)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            s.close()

    threads = [threading.Thread(target=worker, args=(r,)) for r in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors
    series = sorted(store.hv_series(name), key=lambda s: s["n_trials"])
    assert [s["n_trials"] for s in series] == list(range(10))
    assert [s["hypervolume"] for s in series] == pytest.approx([n / 10 + 3 / 1000 for n in range(10)])
    store.close()


def test_migration_0002_merges_the_duplicates_of_an_older_store(store_url):
    store = open_store(store_url)
    study = _study(store, "s")
    t0, t1 = study.ask()._trial_id, study.ask()._trial_id
    sid = store.study_id("s")
    cfg = alembic_config()
    with store.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0001")
    when = sa.func.current_timestamp()
    fail = [
        {"trial_id": t0, "reason": "worker lost", "traceback": None},
        {"trial_id": t0, "reason": "worker lost", "traceback": "tb"},
        {"trial_id": t0, "reason": "interrupted", "traceback": None},
        {"trial_id": t1, "reason": "NaN score", "traceback": None},
        {"trial_id": None, "reason": "setup", "traceback": None},
        {"trial_id": None, "reason": "setup", "traceback": None},
    ]
    snaps = [(1, 0.1), (1, 0.3), (1, 0.2), (2, 0.4)]
    with store.engine.begin() as conn:
        for row in fail:
            conn.execute(sa.insert(Failure.__table__).values(study_id=sid, at_time=when, **row))
        for n, hv in snaps:
            conn.execute(sa.insert(HVSnapshot.__table__).values(
                study_id=sid, at_time=when, cumulative_flops=0, cumulative_device_seconds=0, n_trials=n,
                hypervolume=hv, fidelity=1.0, split="dev"))
    store.close()

    store = open_store(store_url)  # migrates to head
    rows = {(f["trial_id"], f["reason"], f["traceback"]) for f in store.failures("s")}
    assert rows == {(t0, "worker lost; then: interrupted", "tb"), (t1, "NaN score", None)} | {(None, "setup", None)}
    assert len(store.failures("s")) == 4  # both setup failures kept
    assert sorted((s["n_trials"], s["hypervolume"]) for s in store.hv_series("s")) == [(1, 0.3), (2, 0.4)]
    store.record_failure(trial_id=t1, reason="NaN score")
    assert len(store.failures("s", trial_id=t1)) == 1
    store.close()
