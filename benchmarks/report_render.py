"""How long does a report take for a big study? Builds a study of N trials (once, cached) and times each
stage of ``mixmerge report``: reading the store, the analysis (fronts, hypervolume curves, bootstrap,
profiles), rendering the HTML, drawing the PNGs. Prints a table.

    .venv/bin/python benchmarks/report_render.py --trials 1000 10000 [--cache /tmp/mixmerge_bench]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import optuna  # noqa: E402
from _report_fixtures import build_study  # noqa: E402
from mixmerge.reports.data import load_study  # noqa: E402
from mixmerge.reports.figures import write_pngs  # noqa: E402
from mixmerge.reports.html import analyse, render_html  # noqa: E402
from mixmerge.storage import open_store  # noqa: E402


def _db(cache: Path, n: int) -> Path:
    path = cache / f"report_{n}.db"
    if not path.exists():
        tmp = path.with_suffix(".building")
        if tmp.exists():
            tmp.unlink()
        t0 = time.perf_counter()
        with open_store(tmp) as store:
            build_study(store, "merge", "merge", n_trials=n, seed=1, setup_flops=6e12, items=2, screening=n // 20)
            build_study(store, "mix", "mix", n_trials=n, seed=2, trial_flops=3e12, quality=0.85, items=2,
                        references=False, screening=n // 20)
        os.replace(tmp, path)
        print(f"built {path} ({2 * n} trials) in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--cache", default="/tmp/mixmerge_bench")
    parser.add_argument("--bootstrap", type=int, default=200)
    args = parser.parse_args()
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    cache = Path(args.cache)
    cache.mkdir(parents=True, exist_ok=True)
    rows = []
    for n in args.trials:
        db = _db(cache, n)
        with open_store(db) as store:
            t0 = time.perf_counter()
            load_study(store, "merge")
            t_load = time.perf_counter() - t0
            t0 = time.perf_counter()
            report = analyse(store, ["merge", "mix"], n_boot=args.bootstrap)
            t_analyse = time.perf_counter() - t0
            t0 = time.perf_counter()
            page = render_html(store, report)
            t_html = time.perf_counter() - t0
            t0 = time.perf_counter()
            write_pngs(report, cache / f"png_{n}")
            t_png = time.perf_counter() - t0
        rows.append((n, t_load, t_analyse, t_html, t_png, t_analyse + t_html + t_png, len(page) / 1e6))
    print(f"{'trials/arm':>10} {'read 1 study s':>14} {'analyse 2 arms s':>16} {'html s':>7} {'pngs s':>7} "
          f"{'total s':>8} {'html MB':>8}")
    for r in rows:
        print(f"{r[0]:>10} {r[1]:>14.2f} {r[2]:>16.2f} {r[3]:>7.2f} {r[4]:>7.2f} {r[5]:>8.2f} {r[6]:>8.1f}")


if __name__ == "__main__":
    main()
