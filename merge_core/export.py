"""Disk-to-disk streaming merge: a recipe in, a complete Hugging Face model directory out.

Tensor by tensor: each base tensor and the matching expert tensors are read through ``safe_open``, merged
in float32 by the method's from-scratch ``merge`` (the reference formula), cast to the recipe's dtype and
added to the current output shard, which is written as soon as it is full. Memory stays at one output shard
plus a few copies of one tensor, whatever the model size.

Everything is written into a hidden temporary directory beside the output and renamed into place at the
end, so an error (or Ctrl-C) never leaves a partial model where the output should be. All input checks
(recipe, files, architecture, shapes, dtypes, lineage, output directory) run before the first tensor is
merged.
"""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import torch
from mixmerge.merge_core.checkpoint import (
    PROVENANCE_FILE,
    Checkpoint,
    Expert,
    expert_delta,
    open_checkpoint,
    open_expert,
)
from mixmerge.merge_core.lowrank import densify
from mixmerge.merge_core.methods import MergeMethod, MethodParams, TensorInfo
from mixmerge.merge_core.recipe import Recipe
from mixmerge.merge_core.validate import LineageReport, validate_experts
from safetensors.torch import save_file

log = logging.getLogger(__name__)

Tensor = torch.Tensor

#: default upper bound of one output shard (bytes): the memory bound of an export, beside a few tensors
DEFAULT_MAX_SHARD_BYTES = 2 * 1024**3
#: files of the base that are weights or describe weights, and so are not copied into the merge
_WEIGHT_SUFFIXES = (".safetensors", ".bin", ".pt", ".pth", ".gguf", ".ckpt", ".h5", ".msgpack")
_NOT_COPIED = {"README.md", "mergekit_config.yml", PROVENANCE_FILE, "model.safetensors.index.json",
               "pytorch_model.bin.index.json", "config.json"}


class OutputExistsError(ValueError):
    """The output directory exists and is not empty, and overwriting was not asked for."""


@dataclass(frozen=True)
class ExportResult:
    path: Path
    shards: list[str]
    content_hash: str
    lineage: dict[str, LineageReport]


def check_output_dir(out: Path, overwrite: bool) -> None:
    """Refuse a non-empty existing output unless ``overwrite``; refuse a file always."""
    if out.exists() and not out.is_dir():
        raise OutputExistsError(f"output {str(out)!r} exists and is a file; choose a directory path for --out")
    if out.is_dir() and any(out.iterdir()) and not overwrite:
        raise OutputExistsError(f"output directory {str(out)!r} exists and is not empty; choose another --out "
                                f"or pass --overwrite (overwrite=True) to replace it")


def merge_tensor(method: MergeMethod, params: MethodParams, base: Checkpoint, experts: Sequence[Expert],
                 weights: Sequence[float], name: str, seed: int = 0, expert_ids: tuple[str, ...] | None = None
                 ) -> Tensor:
    """One merged tensor, float32, from the files: ``method.merge(base, deltas, weights, ...)``.

    A LoRA expert that does not touch ``name`` contributes a zero delta (its model equals the base there).
    """
    b = base.get(name).float()
    deltas = []
    for expert in experts:
        d = expert_delta(base, expert, name, base_tensor=b)
        deltas.append(torch.zeros_like(b) if d is None else densify(d))
    return method.merge(b, deltas, list(weights), params, TensorInfo(name=name, seed=seed, expert_ids=expert_ids))


def plan_shards(names: Sequence[str], sizes: Sequence[int], max_bytes: int) -> list[list[str]]:
    """Consecutive groups of tensors of at most ``max_bytes`` each (a bigger tensor gets a shard of its own)."""
    shards: list[list[str]] = [[]]
    used = 0
    for name, size in zip(names, sizes, strict=True):
        if shards[-1] and used + size > max_bytes:
            shards.append([])
            used = 0
        shards[-1].append(name)
        used += size
    return shards


def _shard_file(i: int, n: int) -> str:
    return "model.safetensors" if n == 1 else f"model-{i + 1:05d}-of-{n:05d}.safetensors"


def _copy_side_files(base: Checkpoint, out: Path, dtype: torch.dtype) -> None:
    """Config (with the output dtype), generation config and tokenizer files from the base directory."""
    config = dict(base.config)
    dtype_name = str(dtype).removeprefix("torch.")
    config["dtype"] = dtype_name
    if "torch_dtype" in config:
        config["torch_dtype"] = dtype_name
    (out / "config.json").write_text(json.dumps(config, indent=2, sort_keys=True) + "\n")
    for src in sorted(base.path.iterdir()):
        if src.is_file() and src.name not in _NOT_COPIED and not src.name.endswith(_WEIGHT_SUFFIXES):
            shutil.copy2(src, out / src.name)


def _model_card(recipe: Recipe, base: Checkpoint, experts: dict[str, Expert], lineage: dict[str, LineageReport],
                dtype: torch.dtype, content_hash: str) -> str:
    rows = [f"| base | `{base.ref}` | `{base.content_hash()}` | - |"]
    for ref, expert in experts.items():
        report = lineage.get(ref)
        check = ("not checked" if report is None else "provenance hash" if report.method == "provenance"
                 else f"relative norm {report.overall:.3g}")
        kind = "LoRA adapter" if not isinstance(expert, Checkpoint) else "model"
        rows.append(f"| expert ({kind}) | `{ref}` | `{expert.content_hash()}` | {check} |")
    weights = ", ".join(f"{w:g}" for w in recipe.weights())
    return "\n".join([
        "---",
        "library_name: transformers",
        "tags: [merge, mixmerge]",
        "---",
        "",
        f"# Merged model ({recipe.merge_method})",
        "",
        f"Made by mixmerge: `{recipe.merge_method}` merge of {len(experts)} expert(s) into the base, weights "
        f"({weights}), stored as {str(dtype).removeprefix('torch.')}, seed {recipe.seed}.",
        f"Written {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}. Content hash of the merged weights: "
        f"`{content_hash}`.",
        "",
        "## Recipe",
        "",
        "```yaml",
        recipe.to_yaml().rstrip(),
        "```",
        "",
        "## Inputs",
        "",
        "| role | reference | content hash | checked as fine-tuned from the base by |",
        "|---|---|---|---|",
        *rows,
        "",
    ])


def merge_to_directory(recipe: Recipe, out_dir: str | Path, *, allow_pickle: bool = False, overwrite: bool = False,
                       max_shard_bytes: int = DEFAULT_MAX_SHARD_BYTES, check_descent: bool = True) -> ExportResult:
    """Run ``recipe`` disk to disk into ``out_dir`` (a loadable Hugging Face model directory).

    Raises a ``ValueError`` subclass, before anything is written, for any bad input; on any later error the
    temporary directory is removed and ``out_dir`` is left as it was.
    """
    out = Path(out_dir).expanduser().absolute()
    check_output_dir(out, overwrite)
    method, params, weights = recipe.method(), recipe.method_params(), recipe.weights()
    base = open_checkpoint(recipe.base_model, allow_pickle=allow_pickle)
    experts: dict[str, Expert] = {ref: open_expert(ref, base, allow_pickle=allow_pickle)
                                  for ref in recipe.expert_refs()}
    for model in (base, *experts.values()):
        resolved = model.path.resolve()
        if resolved == out.resolve() or out.resolve() in resolved.parents:
            raise OutputExistsError(f"output {str(out)!r} holds the input model {model.ref!r}; writing there would "
                                    f"destroy an input: choose another --out")
    lineage = validate_experts(base, experts, check_descent=check_descent)
    method.check(len(experts), params)
    dtype = recipe.torch_dtype(default=base.floating_dtype)
    itemsize = torch.empty((), dtype=dtype).element_size()
    names = base.names()
    sizes = []
    for name in names:
        numel = 1
        for s in base.shape(name):
            numel *= s
        sizes.append(numel * itemsize)
    shards = plan_shards(names, sizes, max_shard_bytes)

    first_missing = next((p for p in reversed([out.parent, *out.parent.parents]) if not p.exists()), None)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-", dir=out.parent))
    old: Path | None = None
    try:
        expert_list = list(experts.values())
        weight_map: dict[str, str] = {}
        done = 0
        for i, shard in enumerate(shards):
            file = _shard_file(i, len(shards))
            tensors: dict[str, Tensor] = {}
            for name in shard:
                merged = merge_tensor(method, params, base, expert_list, weights, name, recipe.seed,
                                      recipe.expert_ids())
                if merged.shape != torch.Size(base.shape(name)):
                    raise RuntimeError(f"merge method {recipe.merge_method!r} returned shape {tuple(merged.shape)} "
                                       f"for tensor {name!r}, expected {base.shape(name)}")
                tensors[name] = merged.to(dtype).contiguous()
                weight_map[name] = file
            save_file(tensors, str(tmp / file), metadata={"format": "pt"})
            done += len(shard)
            log.info("wrote %s (%d tensors, %d/%d)", file, len(shard), done, len(names))
            del tensors
        if len(shards) > 1:
            index = {"metadata": {"total_size": sum(sizes)}, "weight_map": dict(sorted(weight_map.items()))}
            (tmp / "model.safetensors.index.json").write_text(json.dumps(index, indent=2) + "\n")
        _copy_side_files(base, tmp, dtype)
        content_hash = open_checkpoint(tmp).content_hash()
        (tmp / "mergekit_config.yml").write_text(recipe.to_yaml())
        (tmp / "README.md").write_text(_model_card(recipe, base, experts, lineage, dtype, content_hash))
        # The merge descends from the base, so it can itself be an expert of this base later.
        (tmp / PROVENANCE_FILE).write_text(json.dumps({
            "base_hash": base.content_hash(), "content_hash": content_hash, "recipe": recipe.to_mergekit(),
            "inputs": {ref: e.content_hash() for ref, e in experts.items()}}, indent=2, sort_keys=True) + "\n")

        if out.exists():  # empty, or overwrite: move the old one aside, put the new one in, then delete the old
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
            old.rmdir()
            out.rename(old)
        tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if old is not None and old.exists() and not out.exists():
            old.rename(out)
        if first_missing is not None and first_missing.exists() and not any(
                p.is_file() for p in first_missing.rglob("*")):
            shutil.rmtree(first_missing, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    log.info("merged model written to %s (%d shard(s))", out, len(shards))
    return ExportResult(path=out, shards=[_shard_file(i, len(shards)) for i in range(len(shards))],
                        content_hash=content_hash, lineage=lineage)
