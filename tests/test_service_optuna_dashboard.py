"""optuna-dashboard on the same storage URL: its WSGI app lists the study's trials and shows our
hypervolume chart, saved into the study as a plotly figure."""

from __future__ import annotations

import io
import json

import optuna
from _report_fixtures import build_study
from mixmerge.reports.data import load_study
from mixmerge.reports.optuna_dashboard import GRAPH_ID, publish_hypervolume
from mixmerge.reports.pareto import progress
from mixmerge.storage import open_store

optuna.logging.set_verbosity(optuna.logging.WARNING)


def _get(app, path: str, query: str = "") -> tuple[str, dict]:
    status: list[str] = []
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query, "SERVER_NAME": "localhost",
               "SERVER_PORT": "80", "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(b""),
               "wsgi.errors": io.StringIO(), "wsgi.version": (1, 0), "wsgi.multithread": False,
               "wsgi.multiprocess": False, "wsgi.run_once": False}
    body = b"".join(app(environ, lambda s, h, *a: status.append(s)))
    return status[0], json.loads(body)


def test_optuna_dashboard_lists_trials_and_shows_our_chart(tmp_path):
    from optuna_dashboard import wsgi

    db = tmp_path / "od.db"
    with open_store(db) as store:
        build_study(store, "shared", "merge", n_trials=10, seed=9)
        assert publish_hypervolume(store, "shared") == GRAPH_ID
        assert publish_hypervolume(store, "shared") == GRAPH_ID  # a new report replaces the chart
        curve = progress(load_study(store, "shared"))
        # optuna-dashboard takes the same URL the store uses
        app = wsgi(store.url.render_as_string(hide_password=False))
        status, studies = _get(app, "/api/studies")
        assert status.startswith("200")
        [study] = studies["study_summaries"]
        assert study["study_name"] == "shared"
        status, detail = _get(app, f"/api/studies/{study['study_id']}", "after=0")
    assert status.startswith("200")
    assert len(detail["trials"]) == 13 and sorted(t["number"] for t in detail["trials"]) == list(range(13))
    graphs = detail["plotly_graph_objects"]
    assert [g["id"] for g in graphs] == [GRAPH_ID]
    figure = json.loads(graphs[0]["graph_object"])
    assert figure["layout"]["title"]["text"].startswith("Hypervolume vs cumulative FLOPs")
    ys = figure["data"][0]["y"]
    if isinstance(ys, dict):  # plotly's base64 typed array
        import base64

        import numpy as np

        ys = np.frombuffer(base64.b64decode(ys["bdata"]), dtype=ys["dtype"]).tolist()
    assert ys[-1] == curve["hypervolume"].iloc[-1]
