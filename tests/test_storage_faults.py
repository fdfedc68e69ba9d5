"""Faults the store must survive: a PostgreSQL backend killed mid-work, several processes writing at once."""

# ruff: noqa: F811 - pytest fixtures imported from _storage_backends are redefined as arguments

from __future__ import annotations

import logging
import multiprocessing
import traceback
import uuid

import optuna
import pytest
import sqlalchemy as sa
from _storage_backends import pg_server, pg_url, shared_pg_url, shared_url  # noqa: F401 - fixtures
from mixmerge.storage import open_store
from mixmerge.storage.schema import CategoryScore, Cost, ItemResult, Score
from sqlalchemy import event

optuna.logging.set_verbosity(optuna.logging.WARNING)

OBJECTIVES = ("helpful", "harmless", "honest")


def _results(value: float, n_items: int = 5) -> list[dict]:
    return [
        {
            "objective": name,
            "value": value,
            "ci_low": value / 2,
            "ci_high": (value + 1) / 2,
            "categories": [{"category": "x", "value": value}, {"category": "y", "value": 1 - value}],
            "items": [{"item_id": f"{name}-{i}", "value": float(i % 2)} for i in range(n_items)],
        }
        for name in OBJECTIVES
    ]


def _terminate(admin: sa.Engine, where: str, params: dict | None = None) -> int:
    """Kill PostgreSQL backends (and wait until they are gone); returns how many."""
    with admin.connect() as conn:
        killed = conn.execute(
            sa.text(
                "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 5000)) "
                f"FROM pg_stat_activity WHERE {where}"
            ),
            params or {},
        ).scalar()
        conn.commit()
    return int(killed or 0)


def _counts(store, trial_id: int) -> tuple[int, ...]:
    with store.engine.connect() as conn:
        return tuple(
            conn.execute(sa.select(sa.func.count()).select_from(t).where(t.trial_id == trial_id)).scalar()
            for t in (Score, CategoryScore, ItemResult, Cost)
        )


def test_postgres_backend_killed_between_calls_is_replaced(pg_url):
    store = open_store(pg_url)
    study = optuna.create_study(study_name="s", storage=store.optuna_storage(), directions=["maximize"] * 3)
    first = study.ask()
    store.record_trial_result(
        first._trial_id,
        split="dev",
        fidelity=1.0,
        results=_results(0.5),
        cost={"flops": 1.0, "device_seconds": 1.0},
    )
    admin = sa.create_engine(pg_url, poolclass=sa.pool.NullPool)
    killed = _terminate(admin, "datname = current_database() AND pid <> pg_backend_pid()")
    assert killed >= 2  # the store's pooled connection and Optuna's
    # both the store and Optuna's storage carry on, on fresh connections
    second = study.ask()
    store.record_trial_result(
        second._trial_id,
        split="dev",
        fidelity=1.0,
        results=_results(0.25),
        cost={"flops": 2.0, "device_seconds": 2.0},
    )
    study.tell(second, [0.25] * 3)
    assert sorted(r["value"] for r in store.scores("s", objective="honest")) == [0.25, 0.5]
    assert _counts(store, first._trial_id) == _counts(store, second._trial_id) == (3, 6, 15, 1)
    assert store.cumulative_cost("s").flops == 3.0
    admin.dispose()
    store.close()


def test_postgres_backend_killed_mid_transaction_is_retried_whole(pg_url, caplog):
    store = open_store(pg_url)
    study = optuna.create_study(study_name="s", storage=store.optuna_storage(), directions=["maximize"] * 3)
    trial_id = study.ask()._trial_id
    admin = sa.create_engine(pg_url, poolclass=sa.pool.NullPool)
    fired: list[int] = []

    @event.listens_for(store.engine, "before_cursor_execute")
    def kill_own_backend(conn, cursor, statement, parameters, context, executemany):
        # after the scores went in, before the categories: kill this very connection's backend
        if statement.startswith("INSERT INTO mm_category_scores") and not fired:
            pid = conn.connection.dbapi_connection.info.backend_pid
            fired.append(_terminate(admin, "pid = :pid", {"pid": pid}))

    with caplog.at_level(logging.WARNING, logger="mixmerge.storage.store"):
        store.record_trial_result(
            trial_id,
            split="dev",
            fidelity=1.0,
            results=_results(0.75),
            cost={"flops": 3.0, "device_seconds": 4.0},
        )
    assert fired == [1]
    assert any("retrying once" in r.getMessage() for r in caplog.records)
    # written exactly once, whole: no half-written first attempt, no duplicates from the retry
    assert _counts(store, trial_id) == (3, 6, 15, 1)
    assert [r["value"] for r in store.scores("s")] == [0.75] * 3
    admin.dispose()
    store.close()


def _worker(url: str, study_name: str, n_trials: int, seed: int, out) -> None:
    """Create trials through Optuna's storage and record each one's results, as a search worker does."""
    retries: list[str] = []

    class Catch(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            retries.append(record.getMessage())

    logging.getLogger("mixmerge.storage.store").addHandler(Catch(level=logging.WARNING))
    recorded: dict[int, float] = {}
    try:
        store = open_store(url)
        storage = store.optuna_storage(heartbeat_interval=None)
        study_id = storage.get_study_id_from_name(study_name)
        for i in range(n_trials):
            trial_id = storage.create_new_trial(study_id)
            value = ((seed * 1000 + i) % 97) / 97
            store.record_trial_result(
                trial_id,
                split="dev",
                fidelity=1.0,
                results=_results(value),
                cost={"flops": 1e12, "device_seconds": 0.5, "tokens": 7},
            )
            recorded[trial_id] = value
        store.close()
    except BaseException:  # noqa: BLE001 - reported to the parent
        out.put(("error", traceback.format_exc()))
        raise SystemExit(1) from None
    out.put(("retried", retries) if retries else ("recorded", recorded))


def test_four_processes_writing_lose_nothing_and_never_lock(shared_url):
    n_procs, n_trials = 4, 50
    name = f"concurrent-{uuid.uuid4().hex[:8]}"
    store = open_store(shared_url)
    optuna.create_study(study_name=name, storage=store.optuna_storage(), directions=["maximize"] * 3)
    store.close()  # nothing of the parent's pool crosses the fork

    ctx = multiprocessing.get_context("fork")
    out = ctx.Queue()
    procs = [ctx.Process(target=_worker, args=(shared_url, name, n_trials, k, out)) for k in range(n_procs)]
    for p in procs:
        p.start()
    reports = [out.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=30)
    assert [kind for kind, _ in reports] == ["recorded"] * n_procs, (
        reports
    )  # no "database is locked", no retry
    assert [p.exitcode for p in procs] == [0] * n_procs
    expected = {tid: v for _, rec in reports for tid, v in rec.items()}
    total = n_procs * n_trials
    assert len(expected) == total

    store = open_store(shared_url)
    scores = store.scores(name)
    assert len(scores) == total * 3
    assert {(r["trial_id"], r["value"]) for r in scores} == set(expected.items())
    assert sorted(r["trial_number"] for r in scores if r["objective"] == "honest") == list(range(total))
    assert len(store.item_results(name)) == total * 3 * 5
    assert len(store.category_scores(name)) == total * 3 * 2
    cost = store.cumulative_cost(name)
    assert (cost.n_trials, cost.tokens, cost.device_seconds) == (total, 7 * total, 0.5 * total)
    assert cost.flops == pytest.approx(1e12 * total, rel=1e-12)
    store.close()
