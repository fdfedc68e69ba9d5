"""The FastAPI application: start and watch searches, ask for answers, read reports, see the dashboard.

One server serves one store (the ``--storage`` URL): every posted spec runs in it, whatever ``storage`` it
names. Searches started here run as local worker processes (``search.runner.start_search``); workers started
by hand elsewhere on the same database show up too, since everything is read from the store.
"""

from __future__ import annotations

import json
import logging
import threading
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any

import optuna
from fastapi import FastAPI, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from mixmerge.reports import charts
from mixmerge.reports.compare import arm_result
from mixmerge.reports.data import ReportDataError, load_study
from mixmerge.reports.html import analyse, render_html
from mixmerge.reports.pareto import pareto_front
from mixmerge.reports.profiles import ProfileError, choose, profiles_for
from mixmerge.storage import StorageError, open_store
from pydantic import ValidationError

from .auth import check_token, outside_roots, roots_from_env

log = logging.getLogger(__name__)

LATEST_TRIALS = 20


def _plotly_js() -> Path:
    import plotly

    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def _template(name: str) -> str:
    return resources.files("mixmerge.service.api").joinpath("templates", name).read_text(encoding="utf-8")


def _clean(value: Any) -> Any:
    """JSON-safe copies of numbers (NaN -> None) for responses."""
    if isinstance(value, float):
        return None if value != value else value
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if hasattr(value, "item"):
        return _clean(value.item())
    return value


def create_app(
    storage: str,
    *,
    token: str | None = None,
    open_read: bool = False,
    roots: list[Path] | None = None,
    n_workers: int | None = None,
) -> FastAPI:
    """The application for the store at ``storage``; ``token`` None means no writes are accepted."""
    store = open_store(storage)
    roots = roots if roots is not None else roots_from_env()
    handles: dict[str, Any] = {}
    lock = threading.Lock()
    @asynccontextmanager
    async def lifespan(_: FastAPI):
        yield
        store.close()

    app = FastAPI(title="mixmerge", version="0.1.0", lifespan=lifespan,
                  description="Coefficient search for merged or mixed helpful/harmless/honest models.")
    app.state.store, app.state.handles = store, handles

    def read_allowed(request: Request) -> None:
        if not open_read:
            check_token(request, token)

    def study_names() -> list[str]:
        summaries = optuna.get_all_study_summaries(store.optuna_storage(None, None), include_best_trial=False)
        return [s.study_name for s in summaries]

    def data_of(name: str):
        if name not in study_names():
            raise HTTPException(404, f"no study {name!r} in {store.url_text}")
        try:
            return load_study(store, name)
        except ReportDataError as exc:
            raise HTTPException(422, str(exc)) from exc

    def spec_of(name: str):
        from mixmerge.search.worker import load_spec

        try:
            return load_spec(store, name)
        except (StorageError, ValidationError):
            return None

    def state_of(name: str, data) -> dict[str, Any]:
        handle = handles.get(name)
        running = bool(handle is not None and handle.running) or bool((data.trials["state"] == "RUNNING").any())
        out: dict[str, Any] = {"state": "running" if running else "idle", "budget": None}
        spec = spec_of(name)
        if spec is not None:
            from mixmerge.search.budget import budget_status

            study = optuna.load_study(study_name=name, storage=store.optuna_storage(None, None))
            status = budget_status(store, study, spec)
            limits = spec.budget.model_dump()
            left = {"flops": None if limits["flops"] is None else max(0.0, limits["flops"] - status.flops),
                    "device_hours": None if limits["device_hours"] is None
                    else max(0.0, limits["device_hours"] - status.device_hours),
                    "trials": None if limits["trials"] is None else max(0, limits["trials"] - status.trials)}
            out["budget"] = {"spent": status.as_dict(), "limits": limits, "left": left}
            if status.reached and not running:
                out["state"] = "finished"
        return out

    def summary(name: str) -> dict[str, Any]:
        data = data_of(name)
        front = pareto_front(data) if len(data.complete) else None
        counts = data.trials["state"].value_counts().to_dict() if len(data.trials) else {}
        return {"name": name, "arm": data.arm, "objectives": data.objectives,
                "reference_point": list(data.reference_point),
                "trials": {k.lower(): int(v) for k, v in counts.items()},
                "hypervolume": front.hypervolume if front else 0.0, **state_of(name, data)}

    # --- reading -----------------------------------------------------------------------------------------
    @app.get("/studies", summary="every study in the store")
    def list_studies(request: Request) -> list[dict[str, Any]]:
        read_allowed(request)
        return _clean([summary(n) for n in study_names()])

    @app.get("/studies/{name}", summary="state, budget spent and left, hypervolume, latest trials")
    def get_study(name: str, request: Request) -> dict[str, Any]:
        read_allowed(request)
        out = summary(name)
        out["latest_trials"] = _latest(data_of(name))
        return _clean(out)

    @app.get("/studies/{name}/pareto", summary="the feasible Pareto set at full fidelity")
    def get_pareto(name: str, request: Request) -> dict[str, Any]:
        read_allowed(request)
        data = data_of(name)
        front = pareto_front(data) if len(data.complete) else None
        rows = [] if front is None else [_trial_row(data, r) for _, r in front.front.iterrows()]
        return _clean({"study": name, "objectives": data.objectives, "reference_point": list(data.reference_point),
                       "hypervolume": front.hypervolume if front else 0.0, "front": rows})

    @app.get("/studies/{name}/report", response_class=HTMLResponse, summary="the self-contained HTML report")
    def get_report(name: str, request: Request, show_harmful: bool = False) -> HTMLResponse:
        read_allowed(request)
        data_of(name)
        return HTMLResponse(render_html(store, analyse(store, [name], n_boot=100), show_harmful=show_harmful))

    # --- changing ----------------------------------------------------------------------------------------
    @app.post("/studies", status_code=202, summary="start a search from a spec (local workers)")
    async def post_study(request: Request) -> JSONResponse:
        check_token(request, token)
        body = await _json_body(request)
        from mixmerge.search.runner import start_search
        from mixmerge.search.spec import StudySpec

        if not isinstance(body, dict):
            raise HTTPException(422, "the body must be a study spec (a JSON object)")
        body = {**body, "storage": store.url.render_as_string(hide_password=False)}
        try:
            spec = StudySpec.model_validate(body)
        except ValidationError as exc:
            return JSONResponse(status_code=422, content={"detail": _errors(exc)})
        except ValueError as exc:
            return JSONResponse(status_code=422, content={"detail": [{"loc": [], "msg": str(exc)}]})
        bad = outside_roots(spec.model_dump(mode="json"), roots)
        if bad:
            raise HTTPException(403, f"paths outside the allowed roots {[str(r) for r in roots]}: {', '.join(bad)}")

        def start() -> Any:  # seconds of validation on a real model: off the event loop, so others are answered
            with lock:
                if spec.study in study_names():
                    raise HTTPException(409, f"study {spec.study!r} exists; choose another name (resume with the CLI)")
                try:
                    handles[spec.study] = start_search(spec, n_workers)
                except ValueError as exc:
                    raise HTTPException(422, str(exc)) from exc
                return handles[spec.study]

        handle = await run_in_threadpool(start)
        return JSONResponse(status_code=202, content={"study": spec.study, "workers": len(handle.processes),
                                                       "pids": [p.pid for p in handle.processes]})

    @app.post("/studies/{name}/best", summary="the question of `mixmerge best`, as JSON")
    async def post_best(name: str, request: Request) -> dict[str, Any]:
        check_token(request, token)
        body = await _json_body(request)
        if name not in study_names():
            raise HTTPException(404, f"no study {name!r} in {store.url_text}")
        spec = spec_of(name)
        if spec is None:
            raise HTTPException(409, f"study {name!r} was not started by mixmerge: it has no spec to judge with")
        from mixmerge.search.answers import best
        from mixmerge.search.spec import Constraint
        from mixmerge.search.worker import base_scores

        body = body or {}
        try:
            where = [Constraint.parse(w) for w in body.get("where", [])]
            weights = body.get("weights") or ({body["maximize"]: 1.0} if body.get("maximize") else
                                              {k: 1.0 / len(spec.traded_keys) for k in spec.traded_keys})
            answer = best(store, spec, where, {str(k): float(v) for k, v in weights.items()},
                          body.get("confidence"), base_scores(store, name))
        except (ValueError, TypeError, AttributeError) as exc:
            raise HTTPException(422, str(exc)) from exc
        return _clean(answer)

    @app.post("/studies/{name}/stop", status_code=202, summary="stop the workers this server started")
    def post_stop(name: str, request: Request) -> dict[str, Any]:
        check_token(request, token)
        if name not in study_names():
            raise HTTPException(404, f"no study {name!r} in {store.url_text}")
        handle = handles.get(name)
        if handle is None or not handle.running:
            raise HTTPException(409, f"study {name!r} has no running workers started by this server; stop workers "
                                     "started elsewhere where they run (SIGTERM)")
        threading.Thread(target=handle.stop, daemon=True).start()
        return {"study": name, "stopping": len(handle.processes)}

    # --- dashboard ---------------------------------------------------------------------------------------
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index(request: Request) -> HTMLResponse:
        read_allowed(request)
        return HTMLResponse(_template("index.html"))

    @app.get("/studies/{name}/dashboard", response_class=HTMLResponse, include_in_schema=False)
    def dashboard(name: str, request: Request) -> HTMLResponse:
        read_allowed(request)
        data_of(name)
        return HTMLResponse(_template("dashboard.html").replace("{{STUDY}}", json.dumps(name)))

    @app.get("/studies/{name}/dashboard/data", summary="the dashboard's figures and tables (plotly JSON)")
    def dashboard_data(name: str, request: Request) -> dict[str, Any]:
        read_allowed(request)
        data = data_of(name)
        out: dict[str, Any] = {"summary": summary(name), "figures": {}, "latest_trials": _latest(data),
                               "profiles": []}
        if len(data.complete):
            front = pareto_front(data)
            arm = arm_result(data)
            figs = {"hv_compute": charts.hv_vs_compute([arm]), "hv_wall": charts.hv_vs_compute([arm], x="wall_seconds"),
                    "pareto": charts.pareto_projections(data, front)}
            out["figures"] = {k: _plain(json.loads(f.to_json())) for k, f in figs.items()}
            try:
                out["profiles"] = [_profile_row(choose(data, p)) for p in profiles_for(data.spec).values()]
            except ProfileError as exc:
                out["profiles"] = [{"profile": "error", "message": str(exc)}]
        return _clean(out)

    @app.get("/static/plotly.min.js", include_in_schema=False)
    def plotly_js() -> FileResponse:
        return FileResponse(_plotly_js(), media_type="application/javascript")

    return app


async def _json_body(request: Request) -> Any:
    raw = await request.body()
    if not raw:
        return None
    try:
        return json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise HTTPException(400, f"the body is not valid JSON: {exc}") from exc


def _plain(value: Any) -> Any:
    """Plotly's base64 typed arrays (``{"dtype", "bdata"}``) as plain lists, for any JSON client."""
    if isinstance(value, dict):
        if set(value) >= {"dtype", "bdata"} and set(value) <= {"dtype", "bdata", "shape"}:
            import base64

            import numpy as np

            arr = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
            if "shape" in value:
                arr = arr.reshape([int(n) for n in str(value["shape"]).split(",")])
            return arr.tolist()
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _errors(exc: ValidationError) -> list[dict[str, Any]]:
    """Pydantic's errors with the field named (``loc``) and the message; inputs left out (they may be big)."""
    return [{"loc": list(e["loc"]), "field": ".".join(str(p) for p in e["loc"]) or "(spec)", "msg": e["msg"]}
            for e in exc.errors()]


def _trial_row(data, row) -> dict[str, Any]:
    return {"number": int(row["number"]), "state": row["state"], "feasible": bool(row["feasible"]),
            "params": row["params"], "flops": float(row["flops"]),
            "scores": {o: {"value": row[o], "ci_low": row[f"{o}_lo"], "ci_high": row[f"{o}_hi"]}
                       for o in data.objectives}}


def _latest(data) -> list[dict[str, Any]]:
    t = data.trials.sort_values("number", ascending=False).head(LATEST_TRIALS)
    return [_trial_row(data, r) for _, r in t.iterrows()]


def _profile_row(choice: dict[str, Any]) -> dict[str, Any]:
    ch = choice.get("chosen")
    return {"profile": choice["profile"], "description": choice["description"],
            "trial": None if ch is None else ch["number"], "dev": None if ch is None else ch["dev"],
            "test": None if ch is None else ch["test"], "message": choice.get("message")}
