"""``mixmerge export --study NAME --trial N --out DIR``: a trial's model as a Hugging Face directory + recipe."""

from __future__ import annotations

import argparse


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "export", help="write a trial's model (Hugging Face directory plus its mergekit-style recipe)",
        description="Merge arm: run the trial's recipe through merge_core's streaming export (per-layer-group "
                    "coefficients: the resident merge, saved). Mix arm: copy the trial's trained model.")
    p.add_argument("--storage", default="mixmerge.db")
    p.add_argument("--study", required=True)
    p.add_argument("--trial", type=int, required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--overwrite", action="store_true")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from mixmerge.search.export import export_trial

    path = export_trial(args.storage, args.study, args.trial, args.out, overwrite=args.overwrite)
    print(f"trial {args.trial} of {args.study!r} written to {path}")
    return 0
