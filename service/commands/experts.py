"""``mixmerge experts``: train the helpful, harmless and honest experts from the built-in base, one recipe.

Each expert is the base fine-tuned on one H3 train split (a one-hot mixture) with the same recipe and token
budget as every mixture. Writes ``OUT/helpful``, ``OUT/harmless``, ``OUT/honest`` (model directories, or PEFT
adapters with --lora-rank), each with ``mixmerge_provenance.json``, ready for ``mixmerge merge``.
"""

from __future__ import annotations

import argparse
import json

from mixmerge.service.commands.train import add_recipe_arguments, recipe_from_args, sources_from_args
from mixmerge.training.recipe import DEFAULT_EXPERT_PARADIGM, DEFAULT_EXPERT_TOKENS


def add_parser(subparsers) -> None:
    p = subparsers.add_parser("experts", help="train the helpful/harmless/honest experts from the base",
                              description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sets", default="helpful,harmless,honest", help="one expert per set (default: %(default)s)")
    add_recipe_arguments(p, tokens_required=False, tokens_default=DEFAULT_EXPERT_TOKENS,
                         paradigm_default=DEFAULT_EXPERT_PARADIGM)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from mixmerge.service.cli import UsageError
    from mixmerge.training.trainer import train_experts

    if args.threads:
        import torch

        torch.set_num_threads(args.threads)
    names = tuple(n.strip() for n in args.sets.split(",") if n.strip())
    if not names or len(set(names)) != len(names):
        raise UsageError(f"--sets must name distinct sets, got {args.sets!r}")
    recipe = recipe_from_args(args)
    sources = sources_from_args(args)
    results = train_experts(args.base, recipe, args.out, names=names, sources=sources, overwrite=args.overwrite,
                            progress=not args.quiet, device=args.device)
    summary = {name: {"out": str(r.out), "tokens": r.cost.tokens, "flops": r.cost.flops,
                      "device_seconds": round(r.cost.device_seconds, 2),
                      "final_loss": r.provenance["metrics"]["final_loss"]} for name, r in results.items()}
    summary["total_device_seconds"] = round(sum(r.cost.device_seconds for r in results.values()), 2)
    print(json.dumps(summary, indent=2))
    return 0
