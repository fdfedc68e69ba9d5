"""``mixmerge report --storage URL [--study A --study B ...] --out report.html``: one self-contained HTML
report (plotly inlined, opens with no network) plus PNG figures for the README."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

log = logging.getLogger(__name__)


def add_parser(subparsers) -> None:
    p = subparsers.add_parser("report", help="write an HTML report (and PNGs) of one or more studies",
                              description=__doc__)
    p.add_argument("--storage", required=True, help="study database: a file path, sqlite:///... or postgresql://...")
    p.add_argument("--study", action="append", default=[],
                   help="a study to report (repeat for each arm); default: every study in the storage")
    p.add_argument("--out", default="report.html", help="HTML file to write (default: %(default)s)")
    p.add_argument("--png-dir", default=None,
                   help="directory for the PNG figures (default: <out without .html>_figures)")
    p.add_argument("--no-png", action="store_true", help="skip the PNG figures")
    p.add_argument("--show-harmful", action="store_true",
                   help="include responses to requests that should be refused (hidden by default)")
    p.add_argument("--no-dashboard-figure", action="store_true",
                   help="do not save the hypervolume chart into the studies for optuna-dashboard")
    p.add_argument("--bootstrap", type=int, default=200, help="bootstrap replicates (default: %(default)s)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import optuna
    from mixmerge.reports import write_report
    from mixmerge.service.cli import UsageError
    from mixmerge.storage import open_store

    if args.bootstrap < 10:
        raise UsageError("--bootstrap must be at least 10")
    out = Path(args.out)
    with open_store(args.storage, migrate_schema=False) as store:
        names = [s.study_name for s in optuna.get_all_study_summaries(
            store.optuna_storage(heartbeat_interval=None, grace_period=None), include_best_trial=False)]
        studies = list(args.study) or names
        if not studies:
            raise UsageError(f"the storage {store.url_text} holds no study: run a search first")
        unknown = [s for s in studies if s not in names]
        if unknown:
            raise UsageError(f"no study {unknown} in {store.url_text}; it holds {names}")
        png_dir = None if args.no_png else Path(args.png_dir or out.with_suffix("").as_posix() + "_figures")
        html_path, pngs = write_report(store, studies, out, png_dir=png_dir, show_harmful=args.show_harmful,
                                       n_boot=args.bootstrap)
        if not args.no_dashboard_figure:
            from mixmerge.reports.optuna_dashboard import publish_hypervolume

            for name in studies:
                publish_hypervolume(store, name)
    print(f"wrote {html_path}")
    for p in pngs:
        print(f"wrote {p}")
    return 0
