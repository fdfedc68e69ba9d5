"""``mixmerge train``: fine-tune the base on a data mixture (SFT or DPO, full or LoRA) for an exact token budget.

Example: ``mixmerge train --mix helpful=0.5,harmless=0.3,honest=0.2 --paradigm dpo --tokens 60000 --out runs/m1``.
Writes a model directory (or a PEFT adapter with --lora-rank) with ``mixmerge_provenance.json`` beside it.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import yaml
from mixmerge.merge_core.builtin import DEFAULT_BUILTIN

RECIPE_FLAGS = {  # flag dest -> TrainRecipe field
    "tokens": "tokens", "paradigm": "paradigm", "lora_rank": "lora_rank", "seed": "seed", "lr": "lr",
    "schedule": "schedule", "seq_len": "seq_len", "batch_size": "batch_size", "dpo_beta": "dpo_beta",
    "dpo_sft_weight": "dpo_sft_weight",
}


def add_recipe_arguments(p: argparse.ArgumentParser, tokens_required: bool, tokens_default: int | None = None,
                         paradigm_default: str | None = None) -> None:
    """The recipe flags shared by ``train`` and ``experts`` (one recipe for both arms)."""
    p.add_argument("--tokens", type=int, required=tokens_required, default=tokens_default,
                   help="exact budget of forwarded tokens, prompt and response, padding excluded"
                   + (" (default: %(default)s)" if tokens_default else ""))
    p.add_argument("--paradigm", choices=("sft", "dpo"), default=paradigm_default,
                   help=f"default: {paradigm_default or 'sft'}")
    p.add_argument("--lora-rank", type=int, default=None, help="LoRA rank; 0 (default) = full fine-tuning")
    p.add_argument("--seed", type=int, default=None, help="default: 0")
    p.add_argument("--lr", type=float, default=None, help="peak learning rate (default: the recipe's)")
    p.add_argument("--schedule", choices=("constant", "linear", "cosine"), default=None)
    p.add_argument("--seq-len", type=int, default=None, help="token slots per packed row")
    p.add_argument("--batch-size", type=int, default=None, help="rows per optimizer step")
    p.add_argument("--dpo-beta", type=float, default=None)
    p.add_argument("--dpo-sft-weight", type=float, default=None,
                   help="weight of the chosen replies' NLL added to the DPO loss (RPO); 0 = plain DPO")
    p.add_argument("--no-bf16", action="store_true", help="train in float32 instead of bf16 autocast")
    p.add_argument("--recipe", default=None, help="YAML/JSON file of TrainRecipe fields; flags override it")
    p.add_argument("--base", default=DEFAULT_BUILTIN, help="base model directory (default: %(default)s)")
    p.add_argument("--data", action="append", default=[], metavar="NAME=FILE.jsonl",
                   help="a user training set (chat JSONL) usable by NAME in --mix; repeatable")
    p.add_argument("--h3-dir", default=None, help="an H3-format data folder instead of the built-in suite")
    p.add_argument("--data-dir", default=None, help="the shared public data (default $MIXMERGE_DATA_DIR or "
                   "../shared/data)")
    p.add_argument("--device", default="auto", help="auto (default), cpu or cuda[:N]")
    p.add_argument("--threads", type=int, default=None, help="torch CPU threads (default: torch's choice)")
    p.add_argument("--out", required=True, help="output directory (must not exist or be empty)")
    p.add_argument("--overwrite", action="store_true", help="replace a non-empty output directory")
    p.add_argument("--quiet", action="store_true", help="no progress bar")


def recipe_from_args(args: argparse.Namespace):
    from mixmerge.service.cli import UsageError
    from mixmerge.training.recipe import TrainRecipe

    fields: dict = {}
    if args.recipe:
        path = Path(args.recipe)
        if not path.is_file():
            raise UsageError(f"--recipe file not found: {path}")
        loaded = yaml.safe_load(path.read_text())
        if not isinstance(loaded, dict):
            raise UsageError(f"--recipe {path} must hold a mapping of TrainRecipe fields")
        fields.update(loaded)
    for dest, name in RECIPE_FLAGS.items():
        value = getattr(args, dest, None)
        if value is not None:
            fields[name] = value
    if args.no_bf16:
        fields["bf16"] = False
    return TrainRecipe(**fields)


def sources_from_args(args: argparse.Namespace):
    from mixmerge.service.cli import UsageError
    from mixmerge.training.sources import H3_SETS, SHARED_SETS, DataSources

    files: dict[str, Path] = {}
    for item in args.data:
        name, sep, path = item.partition("=")
        name = name.strip()
        if not sep or not name or not path:
            raise UsageError(f"bad --data {item!r}: write NAME=FILE.jsonl")
        if name in H3_SETS or name in SHARED_SETS or name in files:
            raise UsageError(f"--data name {name!r} is already taken; choose another name")
        if not Path(path).is_file():
            raise UsageError(f"--data {name}: file not found: {path}")
        files[name] = Path(path)
    kwargs: dict = {"files": files}
    if args.h3_dir:
        kwargs["h3_dir"] = Path(args.h3_dir)
    if args.data_dir:
        kwargs["shared_dir"] = Path(args.data_dir)
    return DataSources(**kwargs)


def add_parser(subparsers) -> None:
    p = subparsers.add_parser("train", help="fine-tune the base on a data mixture (SFT or DPO)",
                              description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--mix", required=True,
                   help="NAME=RATIO,... summing to 1 (sets: helpful, harmless, honest, hh-helpful, hh-harmless, "
                        "coconot, self-instruct, selfaware, or --data names), or a preset: uniform | proportional "
                        "(over --sets; proportional = to each set's size in tokens)")
    p.add_argument("--sets", default="helpful,harmless,honest", help="sets of a preset --mix (default: %(default)s)")
    p.add_argument("--strategy", choices=("fixed", "scored"), default="fixed",
                   help="fixed: the given ratios; scored: each set's best-scored share only (default: fixed)")
    p.add_argument("--reward-model", default=None, help="scored: a reward model directory (default: the base's "
                   "own preference of chosen over rejected)")
    p.add_argument("--keep-fraction", type=float, default=0.5, help="scored: share of each set kept (default 0.5)")
    add_recipe_arguments(p, tokens_required=True)
    p.set_defaults(run=run)


def mixture_from_args(args: argparse.Namespace, recipe, sources):
    from mixmerge.service.cli import UsageError
    from mixmerge.training.recipe import Mixture, parse_mix

    text = args.mix.strip()
    if text in ("uniform", "proportional"):
        names = [n.strip() for n in args.sets.split(",") if n.strip()]
        if not names:
            raise UsageError("--sets is empty")
        sources.check_names(names)
        if text == "uniform":
            return Mixture.uniform(names)
        from mixmerge.training.trainer import set_sizes

        return Mixture.proportional(set_sizes(args.base, names, recipe, sources))
    return Mixture(ratios=parse_mix(text))


def run(args: argparse.Namespace) -> int:
    from mixmerge.training.trainer import check_output_dir, train

    if args.threads:
        import torch

        torch.set_num_threads(args.threads)
    recipe = recipe_from_args(args)
    sources = sources_from_args(args)
    check_output_dir(args.out, args.overwrite)
    mixture = mixture_from_args(args, recipe, sources)
    result = train(args.base, mixture, recipe, args.out, sources=sources, strategy=args.strategy,
                   reward_model=args.reward_model, keep_fraction=args.keep_fraction, overwrite=args.overwrite,
                   progress=not args.quiet, device=args.device)
    c = result.cost
    print(json.dumps({"out": str(result.out), "adapter": result.adapter, "mixture": mixture.ratios,
                      "tokens": c.tokens, "tokens_per_set": c.tokens_per_set, "steps": c.steps, "flops": c.flops,
                      "device_seconds": round(c.device_seconds, 2), "peak_memory_bytes": c.peak_memory_bytes,
                      "final_loss": result.provenance["metrics"]["final_loss"]}, indent=2))
    return 0
