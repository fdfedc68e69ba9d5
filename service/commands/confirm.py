"""``mixmerge confirm --study NAME [--trials pareto]``: score chosen candidates on the test split."""

from __future__ import annotations

import argparse
import json


def add_parser(subparsers) -> None:
    p = subparsers.add_parser("confirm", help="score chosen candidates on the test split",
                              description=__doc__)
    p.add_argument("--storage", default="mixmerge.db", help="the study database (default %(default)s)")
    p.add_argument("--study", required=True)
    p.add_argument("--trials", default="pareto",
                   help="pareto (default: the feasible Pareto set on dev), all, or trial numbers: 3,7,12")
    p.add_argument("--device", default="cpu")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=run)


def _trials(text: str) -> list[int] | str:
    from mixmerge.service.cli import UsageError

    if text in ("pareto", "all"):
        return text
    try:
        return [int(t) for t in text.split(",") if t.strip()]
    except ValueError:
        raise UsageError(f"--trials {text!r}: write pareto, all, or trial numbers such as 3,7,12") from None


def run(args: argparse.Namespace) -> int:
    from mixmerge.search.confirm import confirm
    from mixmerge.search.cores import widen_on_signal

    widen_on_signal()  # SIGUSR1: use every core (sent when the process beside this one has finished)
    done = confirm(args.storage, args.study, _trials(args.trials), device=args.device)
    if args.json:
        print(json.dumps({str(k): v for k, v in done.items()}, indent=1))
    elif not done:
        print("no candidate to confirm (no feasible, fully evaluated trial yet)")
    else:
        for number, scores in done.items():
            parts = ", ".join(f"{k} {v['value']:.3f} [{v['ci_low']:.3f}, {v['ci_high']:.3f}]"
                              for k, v in scores.items())
            print(f"trial {number} (test): {parts}")
    return 0
