"""``mixmerge merge RECIPE.yaml --out DIR``: run a mergekit-style recipe disk to disk."""

from __future__ import annotations

import argparse
import logging

log = logging.getLogger(__name__)


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "merge", help="merge experts into a base with a mergekit-style recipe (streaming, disk to disk)",
        description="Merge experts into a base model following a mergekit-style YAML recipe (merge_method, "
                    "base_model, models with per-model weight, parameters, dtype, seed) and write a Hugging Face "
                    "model directory. Every input is checked before any compute.")
    p.add_argument("recipe", help="the recipe YAML file")
    p.add_argument("--out", required=True, help="output model directory (must not exist or be empty)")
    p.add_argument("--allow-pickle", action="store_true",
                   help="accept pickled .bin checkpoints (unpickling can run code: only for trusted files)")
    p.add_argument("--overwrite", action="store_true", help="replace a non-empty output directory")
    p.add_argument("--max-shard-size", type=_size, default=None, metavar="SIZE",
                   help="largest output shard, e.g. 500MB or 2GB (default 2GB); bounds the memory used")
    p.set_defaults(run=run)


def _size(text: str) -> int:
    units = {"KB": 1000, "MB": 1000**2, "GB": 1000**3, "KIB": 1024, "MIB": 1024**2, "GIB": 1024**3, "B": 1}
    t = text.strip().upper()
    for unit in sorted(units, key=len, reverse=True):
        if t.endswith(unit):
            number = t[: -len(unit)].strip()
            break
    else:
        unit, number = "B", t
    try:
        value = int(float(number) * units[unit])
    except ValueError:
        raise argparse.ArgumentTypeError(f"bad size {text!r}; write e.g. 500MB or 2GB") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"size must be positive, got {text!r}")
    return value


def run(args: argparse.Namespace) -> int:
    from mixmerge.merge_core.export import DEFAULT_MAX_SHARD_BYTES, merge_to_directory
    from mixmerge.merge_core.recipe import Recipe

    recipe = Recipe.load(args.recipe)
    result = merge_to_directory(recipe, args.out, allow_pickle=args.allow_pickle, overwrite=args.overwrite,
                                max_shard_bytes=args.max_shard_size or DEFAULT_MAX_SHARD_BYTES)
    print(f"merged model written to {result.path} ({len(result.shards)} shard(s), {result.content_hash})")
    return 0
