"""``mixmerge eval MODEL``: score a model on the H3 objectives (and any others) with intervals and worst categories."""

from __future__ import annotations

import argparse
import json
import os
import sys

from mixmerge.objectives.objective import EvalSettings
from mixmerge.objectives.registry import build_objective, evaluate

DEFAULT_OBJECTIVES = "helpful,harmless,honest,capability"


def add_parser(subparsers) -> None:
    p = subparsers.add_parser("eval", help="score a model on helpful/harmless/honest/capability",
                              description=__doc__)
    p.add_argument("model", help="model directory, PEFT adapter directory, or builtin:smollm2-135m-instruct")
    p.add_argument("--objectives", default=DEFAULT_OBJECTIVES,
                   help="comma-separated built-in objectives (default: %(default)s)")
    p.add_argument("--objective", action="append", default=[], metavar="NAME=FORMAT:PATH",
                   help="an extra objective: NAME=mc|prompts|questions|pairs:PATH[,judge=DIR] or NAME=lm_eval:TASK")
    p.add_argument("--suite", choices=("builtin", "public"), default="builtin")
    p.add_argument("--data-dir", default=None, help="public data (default $MIXMERGE_DATA_DIR or ../shared/data)")
    p.add_argument("--split", choices=("train", "dev", "test"), default="dev")
    p.add_argument("--fidelity", type=int, default=None, help="score a seeded subset of N items per objective")
    p.add_argument("--batch-size", type=int, default=16)
    p.add_argument("--bf16", action="store_true", help="bf16 autocast (faster on CPUs with AMX)")
    p.add_argument("--threads", type=int, default=None, help="torch threads (default: torch's choice)")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    p.set_defaults(run=run)


def _table(scores) -> str:
    rows = [("objective", "split", "n", "score", "95% CI", "worst category", "worst", "tokens", "seconds")]
    for name, s in scores.items():
        rows.append((name, s.split, str(s.n), f"{s.value:.3f}", f"[{s.ci_low:.3f}, {s.ci_high:.3f}]",
                     s.worst_category, f"{s.worst_value:.3f}", str(s.cost.tokens), f"{s.cost.seconds:.1f}"))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows)


def run(args: argparse.Namespace) -> int:
    from mixmerge.service.cli import UsageError

    names = [n.strip() for n in args.objectives.split(",") if n.strip()] + list(args.objective)
    if not names:
        raise UsageError("no objectives given")
    if args.suite == "public" and args.split == "train":
        raise UsageError("the public suite has dev and test splits only")
    if args.fidelity is not None and args.fidelity < 1:
        raise UsageError("--fidelity must be at least 1")
    if args.batch_size < 1:
        raise UsageError("--batch-size must be at least 1")
    # validate everything (data files, task names, model path) before loading the model
    objectives = [build_objective(n, split=args.split, suite=args.suite, data_dir=args.data_dir,
                                  fidelity=args.fidelity) for n in names]
    if not args.model.startswith("builtin:") and not os.path.isdir(args.model):
        raise UsageError(f"model path {args.model} does not exist")
    import torch
    from mixmerge.objectives.loading import load_model

    if args.threads:
        torch.set_num_threads(args.threads)
    model, tokenizer = load_model(args.model)
    settings = EvalSettings(likelihood_batch_size=args.batch_size, generation_batch_size=args.batch_size,
                            autocast_bf16=args.bf16)
    scores = evaluate(model, tokenizer, objectives, settings)
    if args.json:
        out = {"model": args.model, "suite": args.suite, "split": args.split, "fidelity": args.fidelity,
               "scores": {n: s.summary() for n, s in scores.items()}}
        json.dump(out, sys.stdout, indent=1)
        print()
    else:
        print(_table(scores))
    return 0
