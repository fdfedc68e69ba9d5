"""The dashboard in a real browser: headless Chromium (Debian's chromium + chromium-driver) opens the page
served on loopback for a small finished study, waits for the charts, and checks they hold the study's points.
The screenshot is kept (``MIXMERGE_SCREENSHOT_DIR``, default the test's tmp directory)."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import optuna
import pytest
from _report_fixtures import build_study
from mixmerge.reports.data import load_study
from mixmerge.reports.pareto import pareto_front
from mixmerge.storage import open_store

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER),
                                reason="needs Debian's chromium and chromium-driver (apt-get install them)")
optuna.logging.set_verbosity(optuna.logging.WARNING)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def server(tmp_path):
    import uvicorn
    from mixmerge.service.api import create_app

    db = tmp_path / "browser.db"
    with open_store(db) as store:
        build_study(store, "overnight", "merge", n_trials=20, seed=7, setup_flops=3e12)
        data = load_study(store, "overnight")
        front = pareto_front(data)
    port = _free_port()
    config = uvicorn.Config(create_app(str(db), token="t", open_read=True), host="127.0.0.1", port=port,
                            log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert srv.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}", data, front
    srv.should_exit = True
    thread.join(10)


def test_dashboard_charts_hold_the_study_points(server, tmp_path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.support.ui import WebDriverWait

    url, data, front = server
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", f"--user-data-dir={tmp_path / 'chromium-profile'}",
                 "--window-size=1300,1700"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        driver.set_page_load_timeout(30)
        driver.get(url + "/")
        WebDriverWait(driver, 20).until(lambda d: "overnight" in d.find_element("id", "studies").text)
        driver.get(url + "/studies/overnight/dashboard")
        WebDriverWait(driver, 30).until(lambda d: d.execute_script("return document.body.dataset.loaded === 'true'"))
        traces = driver.execute_script(
            "return ['hv_compute','hv_wall','pareto'].map(id => (document.getElementById(id).data || [])"
            ".map(t => ({name: t.name, x: Array.from(t.x || []), y: Array.from(t.y || [])})));")
        hv_compute, hv_wall, pareto = traces
        # hypervolume over compute: one point per trial, ending at the front's hypervolume
        assert len(hv_compute) == 1 and len(hv_compute[0]["y"]) == len(data.trials)
        assert hv_compute[0]["y"][-1] == pytest.approx(front.hypervolume)
        assert min(hv_compute[0]["x"]) >= 3e12  # setup compute comes first
        assert len(hv_wall[0]["y"]) == len(data.trials)
        # the Pareto projections hold exactly the study's front (first panel: helpful vs harmless)
        first = next(t for t in pareto if t["name"] == "Pareto front (feasible)")
        assert sorted(zip(first["x"], first["y"], strict=True)) == pytest.approx(
            sorted(zip(front.front["helpful"], front.front["harmless"], strict=True)))
        infeasible = next(t for t in pareto if t["name"] == "infeasible")
        assert len(infeasible["x"]) == len(front.infeasible)
        assert any(t["name"] == "base / experts" for t in pareto)
        rows = driver.find_elements("css selector", "#profiles tbody tr")
        assert len(rows) == 4
        shots = Path(os.environ.get("MIXMERGE_SCREENSHOT_DIR", tmp_path))
        shots.mkdir(parents=True, exist_ok=True)
        shot = shots / "dashboard.png"
        assert driver.save_screenshot(str(shot)) and shot.stat().st_size > 10_000
    finally:
        driver.quit()
