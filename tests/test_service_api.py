"""The HTTP API on a small finished study: reading, the token, bad input (right 4xx, nothing changed)."""

from __future__ import annotations

import json

import optuna
import pytest
from _report_fixtures import build_pair
from fastapi.testclient import TestClient
from mixmerge.reports.data import load_study
from mixmerge.reports.pareto import pareto_front
from mixmerge.service.api import create_app
from mixmerge.storage import open_store

optuna.logging.set_verbosity(optuna.logging.WARNING)
TOKEN = "s3cret-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("api") / "api.db"
    with open_store(path) as store:
        build_pair(store, n_trials=15)
    return path


@pytest.fixture()
def client(db, tmp_path):
    app = create_app(str(db), token=TOKEN, roots=[tmp_path])
    with TestClient(app) as c:
        yield c


def _names(client) -> list[str]:
    return sorted(s["name"] for s in client.get("/studies", headers=AUTH).json())


def test_reading_studies_pareto_and_report(client, db):
    studies = client.get("/studies", headers=AUTH).json()
    assert sorted(s["name"] for s in studies) == ["merge-arm", "mix-arm"]
    one = client.get("/studies/merge-arm", headers=AUTH).json()
    with open_store(db) as store:
        data = load_study(store, "merge-arm")
        front = pareto_front(data)
    assert one["arm"] == "merge" and one["trials"]["complete"] == 15 + 3
    assert one["hypervolume"] == pytest.approx(front.hypervolume)
    assert len(one["latest_trials"]) == 18 and one["latest_trials"][0]["number"] == 17
    pareto = client.get("/studies/merge-arm/pareto", headers=AUTH).json()
    assert sorted(r["number"] for r in pareto["front"]) == sorted(int(n) for n in front.front["number"])
    report = client.get("/studies/merge-arm/report", headers=AUTH)
    assert report.status_code == 200 and "Pareto front projections" in report.text
    spec = client.get("/openapi.json").json()
    assert {"/studies", "/studies/{name}", "/studies/{name}/pareto", "/studies/{name}/best",
            "/studies/{name}/report", "/studies/{name}/stop"} <= set(spec["paths"])


def test_reads_need_the_token_unless_opened(client, db):
    assert client.get("/studies").status_code == 401
    assert client.get("/studies", headers={"Authorization": "Bearer wrong"}).status_code == 401
    with TestClient(create_app(str(db), token=TOKEN, open_read=True)) as opened:
        assert opened.get("/studies").status_code == 200
        assert opened.post("/studies/merge-arm/stop").status_code == 401  # writes still need it


def test_unknown_study_is_404(client):
    for path in ("/studies/nope", "/studies/nope/pareto", "/studies/nope/report", "/studies/nope/dashboard"):
        assert client.get(path, headers=AUTH).status_code == 404, path
    assert client.post("/studies/nope/stop", headers=AUTH).status_code == 404
    assert client.post("/studies/nope/best", headers=AUTH, json={}).status_code == 404


def test_bad_posts_get_the_right_4xx_and_change_nothing(client, tmp_path):
    before = _names(client)
    good_shape = {"study": "new", "arm": "merge", "objectives": ["helpful", "harmless", "honest"],
                  "budget": {"trials": 2}}
    # wrong or missing token
    assert client.post("/studies", json=good_shape).status_code == 401
    assert client.post("/studies", json=good_shape, headers={"Authorization": "Bearer nope"}).status_code == 401
    # malformed JSON
    r = client.post("/studies", content=b"{not json", headers={**AUTH, "Content-Type": "application/json"})
    assert r.status_code == 400 and "not valid JSON" in r.json()["detail"]
    # invalid spec: the field is named
    r = client.post("/studies", json={**good_shape, "budget": {"trials": 0}}, headers=AUTH)
    assert r.status_code == 422 and any(e["field"].startswith("budget") for e in r.json()["detail"])
    r = client.post("/studies", json={**good_shape, "arm": "blend"}, headers=AUTH)
    assert r.status_code == 422 and any(e["field"] == "arm" for e in r.json()["detail"])
    # paths outside MIXMERGE_ROOTS (here: tmp_path)
    outside = {**good_shape, "experts": {"helpful": "/etc", "harmless": str(tmp_path / "h"), "honest": "/etc"}}
    r = client.post("/studies", json=outside, headers=AUTH)
    assert r.status_code == 403 and "experts.helpful" in r.json()["detail"]
    assert "experts.harmless" not in r.json()["detail"]
    # an existing study
    r = client.post("/studies", json={**good_shape, "study": "merge-arm"}, headers=AUTH)
    assert r.status_code == 409
    assert _names(client) == before


def test_stop_without_running_workers_is_409(client):
    r = client.post("/studies/merge-arm/stop", headers=AUTH)
    assert r.status_code == 409 and "no running workers" in r.json()["detail"]


def test_dashboard_pages_and_data(client):
    assert "mixmerge studies" in client.get("/", headers=AUTH).text
    page = client.get("/studies/merge-arm/dashboard", headers=AUTH).text
    assert json.dumps("merge-arm") in page and "/static/plotly.min.js" in page
    data = client.get("/studies/merge-arm/dashboard/data", headers=AUTH).json()
    assert set(data["figures"]) == {"hv_compute", "hv_wall", "pareto"}
    assert {p["profile"] for p in data["profiles"]} == {"balanced", "safety-first", "helpful-first", "honest-first"}
    assert client.get("/static/plotly.min.js").headers["content-type"].startswith("application/javascript")


def test_best_answers_like_mixmerge_best(tmp_path):
    from _report_fixtures import build_study
    from mixmerge.search.spec import StudySpec

    db = tmp_path / "best.db"
    with open_store(db) as store:
        build_study(store, "b", "merge", n_trials=12, seed=4)
        spec = StudySpec.model_validate({"study": "b", "arm": "merge", "objectives": ["helpful", "harmless", "honest"],
                                         "budget": {"trials": 12}, "storage": str(db)})
        store.put_study_meta("b", arm="merge", spec=spec.stored(), reference_point=spec.reference, replace=True)
        data = load_study(store, "b")
    with TestClient(create_app(str(db), token=TOKEN, roots=[tmp_path])) as c:
        r = c.post("/studies/b/best", headers=AUTH, json={"where": ["harmless >= 0.4"], "maximize": "helpful"})
        assert r.status_code == 200, r.text
        answer = r.json()
        pool = data.complete[data.complete["harmless"] >= 0.4]
        assert answer["qualified"] and answer["best"]["trial"] == int(pool.loc[pool["helpful"].idxmax(), "number"])
        assert c.post("/studies/b/best", headers=AUTH, json={"where": ["kindness >= 1"]}).status_code == 422
        assert c.post("/studies/b/best", headers=AUTH, content=b"[", ).status_code == 400
        status = c.get("/studies/b", headers=AUTH).json()
        assert status["budget"]["limits"]["trials"] == 12 and status["budget"]["left"]["trials"] == 0
        assert status["state"] == "finished"
