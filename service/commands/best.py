"""``mixmerge best --study NAME --where "harmless>=0.9" [--maximize helpful | --weights ...] [--confidence 0.95]``."""

from __future__ import annotations

import argparse
import json


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "best", help="the best stored candidate under constraints",
        description="The best fully evaluated candidate that meets every --where constraint, judged on the lower "
                    "confidence bound when --confidence is given; with its coefficients, dev scores and "
                    "intervals, and test scores once confirmed. When none qualifies, says so and names the "
                    "closest (exit status 1).")
    p.add_argument("--storage", default="mixmerge.db")
    p.add_argument("--study", required=True)
    p.add_argument("--where", action="append", default=[], help='a constraint, e.g. "harmless>=0.9" (repeatable)')
    g = p.add_mutually_exclusive_group()
    g.add_argument("--maximize", default=None, help="the objective to maximise")
    g.add_argument("--weights", default=None, help="weights of a weighted sum, e.g. helpful=0.5,honest=0.5")
    p.add_argument("--confidence", type=float, default=None, help="judge on the one-sided lower bound at this level")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=run)


def _weights(args: argparse.Namespace, traded: list[str]) -> dict[str, float]:
    from mixmerge.service.cli import UsageError

    if args.maximize:
        return {args.maximize: 1.0}
    if not args.weights:
        return {k: 1.0 / len(traded) for k in traded}
    out = {}
    for part in args.weights.split(","):
        name, sep, value = part.partition("=")
        try:
            out[name.strip()] = float(value)
        except ValueError:
            raise UsageError(f"--weights entry {part!r}: write NAME=NUMBER") from None
        if not sep:
            raise UsageError(f"--weights entry {part!r}: write NAME=NUMBER")
    return out


def _fmt(cand: dict) -> str:
    lines = [f"  trial {cand['trial']}"]
    for key in ("coefficients", "method_params", "ratios"):
        if cand.get(key):
            lines.append(f"  {key}: {json.dumps(cand[key])}")
    for split in ("dev", "test"):
        for name, s in cand.get(split, {}).items():
            lo = cand.get("lower_bounds", {}).get(name) if split == "dev" else None
            extra = f"  lower bound {lo:.3f}" if lo is not None else ""
            interval = f"[{s['ci_low']:.3f}, {s['ci_high']:.3f}]"
            lines.append(f"  {split} {name}: {s['value']:.3f} {interval} n={s['n']}{extra}")
    if not cand.get("test"):
        lines.append("  test: not confirmed yet (mixmerge confirm)")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from mixmerge.search.answers import best
    from mixmerge.search.spec import Constraint
    from mixmerge.search.worker import base_scores, load_spec
    from mixmerge.storage import open_store

    where = [Constraint.parse(w) for w in args.where]
    with open_store(args.storage, migrate_schema=False) as store:
        spec = load_spec(store, args.study)
        base = base_scores(store, spec.study)
        answer = best(store, spec, where, _weights(args, spec.traded_keys), args.confidence, base)
    if args.json:
        print(json.dumps(answer, indent=1))
    elif answer["qualified"]:
        print(f"best of {answer['n_qualified']}/{answer['n_candidates']} qualifying candidates "
              f"(judged on the {answer['judged_on']}):\n{_fmt(answer['best'])}")
    elif answer.get("closest") is None:
        print(f"study {args.study!r}: {answer['message']}")
    else:
        print(f"no candidate of {answer['n_candidates']} meets {', '.join(answer['where'])}; the closest misses by "
              f"{answer['shortfall']:.3f}:\n{_fmt(answer['closest'])}")
    return 0 if answer["qualified"] else 1
