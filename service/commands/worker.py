"""``mixmerge worker --storage URL --study NAME [--device cuda:1]``: join a running study from any host."""

from __future__ import annotations

import argparse
import json


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "worker", help="join a running study (from any host that reaches its database)",
        description="Load the study's spec from the store, load the model, experts and evaluation data once, and "
                    "run trials until the study's budget is reached. Heartbeats let other workers retry this "
                    "worker's trial if it dies.")
    p.add_argument("--storage", required=True, help="the study database URL (or SQLite file)")
    p.add_argument("--study", required=True, help="the study name")
    p.add_argument("--device", default="cpu", help="cpu, cuda, cuda:1 ... (default cpu)")
    p.add_argument("--rank", type=int, default=None, help="worker number (seeds its sampler; default from the pid)")
    p.add_argument("--no-lead", action="store_true",
                   help="do not run the study's setup steps; wait for the lead worker to finish them")
    p.add_argument("--max-trials", type=int, default=None, help="stop after this many trials of this worker")
    p.add_argument("--json", action="store_true", help="print this worker's report as JSON at the end")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import os

    from mixmerge.search.cores import widen_on_signal
    from mixmerge.search.worker import run_worker

    widen_on_signal()  # SIGUSR1: use every core (sent when the process beside this one has finished)
    rank = args.rank if args.rank is not None else os.getpid() % 10007
    report = run_worker(args.storage, args.study, device=args.device, rank=rank, lead=not args.no_lead,
                        max_trials=args.max_trials)
    if args.json:
        print(json.dumps({k: v for k, v in vars(report).items() if k != "trial_seconds"}))
    return 130 if report.stop_reason == "interrupted" else 0
