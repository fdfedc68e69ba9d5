"""The HTTP API starting real searches: ``POST /studies`` runs local workers on a tiny merging problem to the
end of their budget (the state, budget, hypervolume and Pareto set read back through the API), a repeated post
is refused without touching the study, and ``POST /studies/{name}/stop`` ends the workers it started."""

from __future__ import annotations

import math
import time

import optuna
import psutil
import pytest
import torch
from _search_fixtures import tiny_problem
from fastapi.testclient import TestClient
from mixmerge.service.api import create_app
from mixmerge.storage import open_store

optuna.logging.set_verbosity(optuna.logging.WARNING)
TOKEN = "p0st-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
BOUNDS = (0.1, 0.9)  # the spec's coefficient bounds (not the default, so the check means something)
TRIALS = 3


@pytest.fixture(scope="module")
def problem(tmp_path_factory) -> dict:
    torch.set_num_threads(1)
    root = tmp_path_factory.mktemp("problem")
    return {**tiny_problem(root), "root": root}


def _spec(problem: dict, study: str, trials: int = TRIALS) -> dict:
    """A spec as a client posts it (JSON, absolute paths; the server fills in its own storage)."""
    return {"study": study, "arm": "merge", "base": problem["base"], "experts": problem["experts"],
            "method": "task_arithmetic", "objectives": problem["objectives"],
            "space": {"coefficients": list(BOUNDS)}, "optimizer": {"name": "random"},
            "budget": {"trials": trials}, "seed": 0,
            "evaluation": {"batch_size": 8, "fluency_gate": False},
            "workers": {"heartbeat_s": 1, "grace_s": 3, "threads": 1}}


def _app(tmp_path, problem):
    db = tmp_path / "api.db"
    return db, create_app(str(db), token=TOKEN, roots=[tmp_path, problem["root"]], n_workers=1)


def _wait_gone(pids: list[int], timeout: float) -> list[int]:
    """The pids still alive (zombies count as gone) after waiting up to ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    alive = list(pids)
    while alive and time.monotonic() < deadline:
        alive = [p for p in alive if _alive(p)]
        if alive:
            time.sleep(0.2)
    return alive


def _alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _stop_all(app) -> None:
    for handle in app.state.handles.values():
        if handle.running:
            handle.stop(timeout=20)


@pytest.mark.slow
def test_posted_search_runs_to_its_budget_and_reads_back(tmp_path, problem):
    db, app = _app(tmp_path, problem)
    spec = _spec(problem, "posted")
    try:
        with TestClient(app) as client:
            r = client.post("/studies", json=spec, headers=AUTH)
            assert r.status_code == 202, r.text
            body = r.json()
            assert body["study"] == "posted" and body["workers"] == 1 and len(body["pids"]) == 1
            assert "posted" in [s["name"] for s in client.get("/studies", headers=AUTH).json()]

            deadline, status = time.monotonic() + 240, {}
            while time.monotonic() < deadline:
                r = client.get("/studies/posted", headers=AUTH)
                assert r.status_code == 200, r.text
                status = r.json()
                if status["state"] == "finished":
                    break
                assert status["state"] in ("running", "idle"), status["state"]
                time.sleep(1.0)
            logs = "".join(p.read_text(errors="replace")[-3000:] for p in app.state.handles["posted"].logs)
            assert status.get("state") == "finished", f"not finished after 240 s: {status}\n{logs}"
            assert not _wait_gone(body["pids"], 30), "the worker outlived its search"
            assert app.state.handles["posted"].poll() == [0], logs

            # the trial budget is exact (trials are counted when asked); every trial completed
            assert status["trials"] == {"complete": TRIALS}
            budget = status["budget"]
            assert budget["limits"]["trials"] == TRIALS
            assert budget["spent"]["trials"] == TRIALS and budget["spent"]["reached"] == "trials"
            assert budget["spent"]["flops"] > 0 and budget["spent"]["device_hours"] > 0
            assert budget["left"]["trials"] == 0
            assert isinstance(status["hypervolume"], float) and math.isfinite(status["hypervolume"])
            assert status["hypervolume"] >= 0
            assert status["objectives"] == ["helpful", "harmless", "honest"]
            assert status["reference_point"] == [0.0, 0.0, 0.0]
            assert len(status["latest_trials"]) == TRIALS
            assert sorted(t["number"] for t in status["latest_trials"]) == list(range(TRIALS))

            pareto = client.get("/studies/posted/pareto", headers=AUTH).json()
            assert pareto["hypervolume"] == pytest.approx(status["hypervolume"])
            assert 1 <= len(pareto["front"]) <= TRIALS
            for point in pareto["front"]:
                assert point["state"] == "COMPLETE" and point["feasible"] and point["flops"] > 0
                assert set(point["scores"]) == {"helpful", "harmless", "honest"}
                for score in point["scores"].values():
                    assert 0.0 <= score["value"] <= 1.0
                coefs = {k: v for k, v in point["params"].items() if k.startswith("w.")}
                assert sorted(coefs) == ["w.harmless", "w.helpful", "w.honest"], point["params"]
                assert all(BOUNDS[0] <= v <= BOUNDS[1] for v in coefs.values()), coefs

            # nothing left to stop
            r = client.post("/studies/posted/stop", headers=AUTH)
            assert r.status_code == 409 and "no running workers" in r.json()["detail"]

            # the same spec again is refused and changes nothing (no new workers, no new trials)
            r = client.post("/studies", json=spec, headers=AUTH)
            assert r.status_code == 409 and "exists" in r.json()["detail"]
            again = client.get("/studies/posted", headers=AUTH).json()
            assert again["trials"] == {"complete": TRIALS} and again["state"] == "finished"
            assert again["budget"]["spent"]["flops"] == budget["spent"]["flops"]
            assert app.state.handles["posted"].poll() == [0]
    finally:
        _stop_all(app)
    with open_store(db) as store:
        study = optuna.load_study(study_name="posted", storage=store.optuna_storage(None, None))
        assert len(study.get_trials()) == TRIALS


def test_stop_right_after_post_ends_the_workers(tmp_path, problem):
    db, app = _app(tmp_path, problem)
    try:
        with TestClient(app) as client:
            r = client.post("/studies", json=_spec(problem, "stopped", trials=50), headers=AUTH)
            assert r.status_code == 202, r.text
            pids = r.json()["pids"]
            assert len(pids) == 1 and _alive(pids[0])
            r = client.post("/studies/stopped/stop", headers=AUTH)
            assert r.status_code == 202, r.text
            assert r.json() == {"study": "stopped", "stopping": 1}
            assert not _wait_gone(pids, 60), "the worker did not end after stop"
            handle = app.state.handles["stopped"]
            deadline = time.monotonic() + 10
            while handle.running and time.monotonic() < deadline:
                time.sleep(0.1)
            assert not handle.running
            # killed by SIGTERM before the worker set its handler, or stopped by it (exit 130)
            assert handle.poll()[0] in (-15, 130), handle.poll()
            # the study stays, readable, with nothing running and its budget far from spent
            status = client.get("/studies/stopped", headers=AUTH).json()
            assert status["state"] == "idle", status
            assert status["trials"].get("running", 0) == 0
            assert status["budget"]["spent"]["reached"] is None
            assert client.post("/studies/stopped/stop", headers=AUTH).status_code == 409
    finally:
        _stop_all(app)
    with open_store(db) as store:  # the store still opens after the stop and the study is listed
        names = [s.study_name for s in optuna.get_all_study_summaries(store.optuna_storage(None, None),
                                                                         include_best_trial=False)]
        assert names == ["stopped"]
        meta = store.study_meta("stopped")
        assert meta is not None and meta["arm"] == "merge"
    with TestClient(create_app(str(db), token=TOKEN, roots=[tmp_path])) as client:
        assert [s["name"] for s in client.get("/studies", headers=AUTH).json()] == ["stopped"]


def test_starting_a_search_does_not_hold_up_other_requests(tmp_path, problem, monkeypatch):
    """``POST /studies`` validates the experts and starts workers (seconds on a real model): the server keeps
    answering meanwhile. The real ``start_search`` runs behind a gate so that the overlap is certain."""
    import threading

    from mixmerge.search import runner

    entered, release = threading.Event(), threading.Event()
    real = runner.start_search

    def gated(*args, **kwargs):
        entered.set()
        release.wait(timeout=30)
        return real(*args, **kwargs)

    monkeypatch.setattr(runner, "start_search", gated)
    _, app = _app(tmp_path, problem)
    posted: dict = {}
    try:
        with TestClient(app) as client:  # one event loop for every request, as under uvicorn
            poster = threading.Thread(target=lambda: posted.update(
                r=client.post("/studies", json=_spec(problem, "gated", trials=1), headers=AUTH)))
            poster.start()
            assert entered.wait(timeout=30), "the post never reached start_search"
            r = client.get("/studies", headers=AUTH)
            answered_while_starting = not release.is_set() and poster.is_alive()
            release.set()
            poster.join(timeout=60)
            assert r.status_code == 200 and answered_while_starting
            assert posted["r"].status_code == 202, posted["r"].text
    finally:
        release.set()
        _stop_all(app)
