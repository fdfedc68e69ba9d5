"""``mixmerge search SPEC.yaml [--workers N]``: run (or resume) a study with local workers."""

from __future__ import annotations

import argparse


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "search", help="search merge coefficients or mix ratios (runs local workers; resumes a stopped study)",
        description="Validate the study spec, its data, experts and storage (exit 2 and nothing written if any is "
                    "bad), create or re-open the study, and run workers on this machine: one per GPU, or one on "
                    "a CPU machine. Run the same command again to resume a stopped search.")
    p.add_argument("spec", help="the study spec YAML file")
    p.add_argument("--workers", type=int, default=None, help="number of local workers (default: one per GPU, else 1)")
    p.add_argument("--storage", default=None, help="override the spec's storage URL")
    p.add_argument("--study", default=None, help="override the spec's study name")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from mixmerge.search.runner import run_search
    from mixmerge.search.spec import StudySpec
    from mixmerge.service.cli import UsageError

    if args.workers is not None and args.workers < 1:
        raise UsageError("--workers must be at least 1")
    spec = StudySpec.load(args.spec, storage=args.storage, study=args.study)
    codes = run_search(spec, args.workers)
    failed = [i for i, c in enumerate(codes) if c != 0]
    if failed:
        print(f"search {spec.study!r}: worker(s) {failed} exited with {[codes[i] for i in failed]}; see their logs "
              f"in {spec.work_dir() / 'logs'}")
        return 1
    print(f"search {spec.study!r} done; `mixmerge status --storage {spec.storage} --study {spec.study}`")
    return 0
