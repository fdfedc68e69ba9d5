"""The search loop against PostgreSQL: real worker processes merge a tiny random model's experts and score them,
sharing nothing but a fresh database (created for the test, dropped after it)."""

# ruff: noqa: F811 - pytest fixtures imported from _storage_backends are redefined as arguments

from __future__ import annotations

import time

import moocore
import numpy as np
import optuna
import pytest
import sqlalchemy as sa
import torch
from _search_fixtures import tiny_problem, write_spec
from _storage_backends import pg_server, pg_url  # noqa: F401 - fixtures
from mixmerge.search.runner import start_search
from mixmerge.search.spec import StudySpec
from mixmerge.search.worker import FIDELITY_ATTR, WORKER_ATTR
from mixmerge.storage import open_store
from optuna.trial import TrialState

optuna.logging.set_verbosity(optuna.logging.WARNING)

N_TRIALS = 6
pytestmark = pytest.mark.slow  # worker processes: about 20-30 s a test here


@pytest.fixture(scope="module")
def problem(tmp_path_factory) -> dict:
    torch.set_num_threads(1)
    return tiny_problem(tmp_path_factory.mktemp("problem"))


def _trials(store, name: str) -> list[optuna.trial.FrozenTrial]:
    if not hasattr(store, "_test_storage"):  # one Optuna storage per store, however often it is polled
        store._test_storage = store.optuna_storage(heartbeat_interval=None, grace_period=None)
    return optuna.load_study(study_name=name, storage=store._test_storage).get_trials()


def _logs(handle) -> str:
    return "\n".join(f"--- {p}\n{p.read_text()[-3000:]}" for p in handle.logs if p.exists())


def _finish(handle, timeout: float = 240) -> None:
    try:
        codes = handle.wait(timeout)
    except TimeoutError:
        handle.stop(10)
        pytest.fail(f"the search did not finish in {timeout} s\n{_logs(handle)}")
    assert codes == [0] * len(handle.processes), _logs(handle)


def test_two_workers_search_on_postgresql(tmp_path, problem, pg_url):
    spec = StudySpec.load(write_spec(tmp_path / "spec.yaml", problem, storage=pg_url, workdir=str(tmp_path),
                                     budget={"trials": N_TRIALS}, constraints=["harmless >= base - 0.5"]))
    handle = start_search(spec, 2, log_dir=tmp_path / "logs", env={"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"})
    _finish(handle)

    store = open_store(pg_url)
    assert store.engine.dialect.name == "postgresql"
    trials = _trials(store, spec.study)
    assert [t.state for t in trials] == [TrialState.COMPLETE] * N_TRIALS, _logs(handle)
    assert all(t.user_attrs[FIDELITY_ATTR] == 1.0 and t.user_attrs[WORKER_ATTR] for t in trials)
    assert not store.failures(spec.study), (store.failures(spec.study), _logs(handle))

    # every trial's scores are stored once per objective, and are the values the optimizer was told
    rows = store.scores(spec.study, split="dev", fidelity=1.0)
    assert len(rows) == 3 * N_TRIALS
    for t in trials:
        stored = {r["objective"]: r["value"] for r in rows if r["trial_number"] == t.number}
        assert t.values == [stored["helpful"], stored["harmless"], stored["honest"]]
        assert set(t.constraints) == {"harmless>=base-0.5"}
        assert {r["trial_id"] for r in rows if r["trial_number"] == t.number} == {t._trial_id}
        items = store.item_results(spec.study, trial_id=t._trial_id)
        assert len(items) == 3 * 6  # six multiple-choice items per objective

    # costs: the given experts (already paid) and the base's evaluation first, then one row per trial
    costs = store.costs(spec.study)
    trial_costs = [c for c in costs if c["kind"] == "trial"]
    assert sorted(c["trial_number"] for c in trial_costs) == [t.number for t in trials]
    for c in trial_costs:
        assert c["flops"] > 0 and c["device_seconds"] > 0 and c["tokens"] > 0 and c["paid"]
        assert c["breakdown"]["build_s"] >= 0 and c["breakdown"]["eval_s"] > 0
    totals = store.cumulative_cost(spec.study)
    assert totals.n_trials == N_TRIALS and totals.n_setup_steps == 3 + 1
    assert totals.flops == pytest.approx(sum(c["flops"] for c in costs if c["paid"]))
    assert totals.already_paid_flops == 0.0  # the tiny experts carry no training cost

    # one hypervolume snapshot per number of complete trials; the last one is the whole front's. (Not asserted:
    # that the series never decreases. A worker reads the front, then the count of complete trials; when another
    # worker's trial completes in between, its snapshot is labelled with the newer count: a worker issue.)
    hv = sorted(store.hv_series(spec.study, split="dev", fidelity=1.0), key=lambda s: s["n_trials"])
    counts = [s["n_trials"] for s in hv]
    assert len(counts) == len(set(counts)) and counts and counts[-1] == N_TRIALS, hv
    feasible = np.array([t.values for t in trials if all(v <= 0 for v in t.constraints.values())])
    inside = feasible[np.all(feasible > 0, axis=1)] if len(feasible) else feasible
    front_hv = float(moocore.hypervolume(-inside, ref=[0.0] * 3)) if len(inside) else 0.0
    assert hv[-1]["hypervolume"] == pytest.approx(front_hv, abs=1e-12), hv
    store.close()


def test_a_worker_whose_connections_are_killed_carries_on(tmp_path, problem, pg_url):
    """PostgreSQL drops every connection of the search mid-run: nothing is lost, the budget is still met."""
    spec = StudySpec.load(write_spec(tmp_path / "spec.yaml", problem, storage=pg_url, workdir=str(tmp_path),
                                     budget={"trials": N_TRIALS}))
    handle = start_search(spec, 1, log_dir=tmp_path / "logs", env={"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"})
    store = open_store(pg_url)
    admin = sa.create_engine(pg_url, poolclass=sa.pool.NullPool)
    killed = 0
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and handle.running:
            if sum(t.state == TrialState.COMPLETE for t in _trials(store, spec.study)) >= 2:
                with admin.connect() as conn:
                    killed = conn.execute(sa.text(
                        "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 5000)) FROM pg_stat_activity "
                        "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                        "AND application_name = 'mixmerge'")).scalar()
                break
            time.sleep(0.2)
        _finish(handle)
    finally:
        admin.dispose()
    assert killed >= 1, _logs(handle)
    trials = _trials(store, spec.study)
    complete = [t for t in trials if t.state == TrialState.COMPLETE]
    assert len(complete) == N_TRIALS, _logs(handle)
    # a trial the drop broke is failed with its reason, never silently lost, and nothing is left running.
    # (Not asserted: that failure rows belong to FAIL trials only. When the drop hits the bookkeeping after
    # ``tell`` (the hypervolume snapshot), the worker records a failure against the COMPLETE trial and queues a
    # retry that is then told as a duplicate: a worker issue, reported, not a storage one.)
    failed = {f["trial_id"] for f in store.failures(spec.study)}
    assert {t._trial_id for t in trials if t.state == TrialState.FAIL} <= failed
    assert not [t for t in trials if t.state == TrialState.RUNNING]
    rows = store.scores(spec.study, split="dev", fidelity=1.0)
    assert {r["trial_id"] for r in rows} >= {t._trial_id for t in complete}
    store.close()
