"""Fine-tuning runs: one plain torch loop for SFT and DPO, full or LoRA, under an exact token budget.

Why not TRL's trainers: the budget here is a number of forwarded tokens, counted exactly and spent in given
per-set shares, and the loop's cost is accounted per token; a plain loop over pre-planned packed batches does
that directly, and ``benchmarks/train_throughput.py`` shows it runs at the speed of a bare forward+backward
of the same batches. PEFT supplies LoRA.

A run is: validate everything (nothing is computed or written before) -> load the base -> tokenise the sets
-> (scored strategy) score and select -> plan the token-exact stream and pack it -> (DPO) reference
log-probs -> train -> write the model directory or adapter, with ``mixmerge_provenance.json`` beside it,
into a temporary folder renamed into place at the end.
"""

from __future__ import annotations

import contextlib
import logging
import math
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import torch
from mixmerge.training.cost import (
    ParamCounts,
    PeakMemory,
    RunCost,
    device_name,
    forward_flops,
    nominal_train_flops,
    train_flops,
)
from mixmerge.training.encode import Encoded, encode_examples
from mixmerge.training.examples import ChatExample, DataError
from mixmerge.training.losses import recipe_loss, sequence_logps, token_logps
from mixmerge.training.packing import Batch, pack
from mixmerge.training.recipe import Mixture, Strategy, TrainRecipe
from mixmerge.training.sampler import Draw, plan_mixture
from mixmerge.training.sources import H3_SETS, DataSources
from pydantic import BaseModel
from tqdm.auto import tqdm

log = logging.getLogger(__name__)

#: modules LoRA adapts (Llama-family names); the tied embedding / output layer is left out on purpose
LORA_TARGETS = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]
PROVENANCE_FORMAT = "mixmerge-train/1"


class TrainResult(BaseModel):
    out: Path
    adapter: bool
    cost: RunCost
    provenance: dict[str, Any]
    losses: list[float]


# ---------------------------------------------------------------------------------------------------------
# validation (before any compute)


def check_output_dir(out: str | Path, overwrite: bool) -> Path:
    """Refuse an output path that exists and is not an empty directory, unless ``overwrite``."""
    out = Path(out).expanduser()
    if out.exists() and not overwrite:
        if not out.is_dir():
            raise DataError(f"output path {out} exists and is not a directory; choose another --out")
        if any(out.iterdir()):
            raise DataError(f"output directory {out} exists and is not empty; choose another --out or pass "
                            f"--overwrite")
    return out


def resolve_device(device: str = "auto") -> torch.device:
    if device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(device)


def base_path(base: str | Path) -> Path:
    from mixmerge.merge_core.builtin import is_builtin, resolve_builtin

    if is_builtin(base):
        return resolve_builtin(str(base))
    path = Path(base).expanduser()
    if not (path / "config.json").is_file():
        raise DataError(f"base model {str(base)!r} is not a model directory (no config.json); give a Hugging Face "
                        f"model directory or builtin:smollm2-135m-instruct")
    return path


def base_hash(base: str | Path) -> str:
    """Content hash of the base's weights (the same hash merge_core checks experts against)."""
    from mixmerge.merge_core.checkpoint import open_checkpoint

    return open_checkpoint(base).content_hash()


def validate(mixture: Mixture, recipe: TrainRecipe, sources: DataSources, out: str | Path, overwrite: bool,
             strategy: Strategy, reward_model: str | Path | None) -> dict[str, list[ChatExample]]:
    """Every check that can fail on user input, before anything is computed; returns the usable examples."""
    check_output_dir(out, overwrite)
    active = list(mixture.active())
    sources.check_names(list(mixture.ratios))
    if recipe.paradigm == "dpo" and recipe.batch_size < 2:
        raise DataError("DPO needs batch_size >= 2 (the two sides of a pair share a batch)")
    if reward_model is not None:
        if strategy != "scored":
            raise DataError("--reward-model is only used by --strategy scored")
        if not (Path(reward_model) / "config.json").is_file():
            raise DataError(f"reward model {str(reward_model)!r} is not a model directory (no config.json)")
    return sources.load_for(active, recipe.paradigm)


# ---------------------------------------------------------------------------------------------------------
# planning


@dataclass
class Plan:
    """The whole training stream of a run, decided before the first step."""

    encoded: dict[str, list[Encoded]]
    draws: list[Draw]
    batches: list[Batch]
    selection: dict[str, Any] = field(default_factory=dict)

    @property
    def tokens(self) -> int:
        return sum(b.tokens for b in self.batches)

    def tokens_per_set(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for b in self.batches:
            for k, v in b.tokens_per_set.items():
                out[k] = out.get(k, 0) + v
        return out


def plan_run(tokenizer, examples: dict[str, list[ChatExample]], mixture: Mixture, recipe: TrainRecipe
             ) -> Plan:
    """Tokenise the sets, lay out the token-exact stream for ``mixture`` and pack it into batches."""
    if not getattr(tokenizer, "chat_template", None):
        raise DataError("the base model's tokenizer has no chat template; chat fine-tuning needs one")
    encoded = {name: encode_examples(tokenizer, exs, recipe.paradigm, recipe.seq_len, recipe.min_response_tokens,
                                     name) for name, exs in examples.items()}
    lengths = {name: [e.tokens for e in enc] for name, enc in encoded.items()}
    draws = plan_mixture(lengths, mixture.active(), recipe.tokens, recipe.seed)
    pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id
    batches = pack(draws, encoded, recipe.seq_len, recipe.batch_size, pad_id)
    return Plan(encoded, draws, batches)


def set_sizes(base: str | Path, names: list[str], recipe: TrainRecipe, sources: DataSources) -> dict[str, int]:
    """Each set's size in tokens (its usable examples, tokenised for ``recipe``): the proportional preset."""
    examples = sources.load_for(names, recipe.paradigm)
    tokenizer = load_tokenizer(base_path(base))
    return {n: sum(e.tokens for e in encode_examples(tokenizer, exs, recipe.paradigm, recipe.seq_len,
                                                      recipe.min_response_tokens, n))
            for n, exs in examples.items()}


def data_record(plan: Plan, sources: DataSources, names: list[str]) -> tuple[str, dict[str, Any]]:
    """Content hash of the exact training stream, and the hashed source files per set."""
    from mixmerge.merge_core.hashing import hash_file, hash_json

    files = {n: [{"path": str(p), "sha256": hash_file(p)} for p in sources.origin(n)] for n in names}
    stream = [[d.set, plan.encoded[d.set][d.index].example.id, d.tokens] for d in plan.draws]
    content = {n: hash_json([e.example.canonical() for e in plan.encoded[n]]) for n in names}
    return hash_json({"files": files, "examples": content, "stream": stream}), files


# ---------------------------------------------------------------------------------------------------------
# the loop


class Trainer:
    """One optimizer step per packed batch; SFT or DPO loss; bf16 autocast; AdamW on float32 weights."""

    def __init__(self, model, recipe: TrainRecipe, device: torch.device, total_steps: int):
        self.model, self.recipe, self.device, self.total_steps = model, recipe, device, total_steps
        self.params = [p for p in model.parameters() if p.requires_grad]
        fused = device.type in ("cpu", "cuda")
        self.optimizer = torch.optim.AdamW(self.params, lr=recipe.lr, weight_decay=recipe.weight_decay,
                                           fused=fused)
        self.step_index = 0

    def autocast(self):
        if not self.recipe.bf16:
            return contextlib.nullcontext()
        return torch.autocast(device_type=self.device.type, dtype=torch.bfloat16)

    @torch.no_grad()
    def reference(self, batches: list[Batch]) -> list[torch.Tensor]:
        """Per-sequence summed log-probs of every batch under the current (initial) model, for DPO."""
        self.model.eval()
        out = []
        for b in batches:
            with self.autocast():
                out.append(sequence_logps(token_logps(self.model, b, self.device), b).float().cpu())
        self.model.train()
        return out

    def step(self, batch: Batch, reference: torch.Tensor | None = None) -> dict[str, float]:
        """Forward, backward and update on one batch; returns the loss (and DPO statistics)."""
        lr = self.recipe.lr_at(self.step_index, self.total_steps)
        for group in self.optimizer.param_groups:
            group["lr"] = lr
        self.step_index += 1
        with self.autocast():
            loss, stats = recipe_loss(token_logps(self.model, batch, self.device), batch, reference, self.recipe)
        if not loss.requires_grad:  # nothing trained in this batch (only a cut final example)
            return {"loss": float("nan"), "lr": lr}
        loss.backward()
        if self.recipe.grad_clip > 0:
            torch.nn.utils.clip_grad_norm_(self.params, self.recipe.grad_clip)
        self.optimizer.step()
        self.optimizer.zero_grad(set_to_none=True)
        return {"loss": float(loss.detach()), "lr": lr, **stats}


def load_model(path: Path, recipe: TrainRecipe, device: torch.device):
    """The base as a float32 causal LM on ``device``; wrapped in a fresh LoRA adapter if the recipe says so."""
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained(path, dtype=torch.float32).to(device)
    model.config.use_cache = False
    if recipe.lora:
        from peft import LoraConfig, get_peft_model

        torch.manual_seed(recipe.seed)
        config = LoraConfig(r=recipe.lora_rank, lora_alpha=recipe.effective_lora_alpha, lora_dropout=0.0,
                            target_modules=LORA_TARGETS, bias="none", task_type="CAUSAL_LM")
        model = get_peft_model(model, config)
    model.train()
    return model


def load_tokenizer(path: Path):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(path)


# ---------------------------------------------------------------------------------------------------------
# runs


def train(base: str | Path, mixture: Mixture, recipe: TrainRecipe, out: str | Path, *,
          sources: DataSources | None = None, strategy: Strategy = "fixed", reward_model: str | Path | None = None,
          keep_fraction: float = 0.5, overwrite: bool = False, progress: bool = True, device: str = "auto",
          known_base_hash: str | None = None) -> TrainResult:
    """Fine-tune ``base`` on ``mixture`` with ``recipe``; write the result and its provenance to ``out``.

    ``strategy`` is recorded as given: ``fixed`` and ``search`` both train on the given ratios (``search``
    means an optimizer proposed them); ``scored`` first scores every candidate example (``scoring``) and keeps
    the best-scored ``keep_fraction`` of each set. ``known_base_hash`` skips re-hashing a base already hashed.
    """
    started = time.perf_counter()
    sources = sources or DataSources()
    if not 0 < keep_fraction <= 1:
        raise DataError(f"keep_fraction must be in (0, 1], got {keep_fraction}")
    examples = validate(mixture, recipe, sources, out, overwrite, strategy, reward_model)
    out = Path(out).expanduser()
    bpath = base_path(base)
    dev = resolve_device(device)
    memory = PeakMemory(dev)
    memory.reset()
    bhash = known_base_hash or base_hash(base)
    tokenizer = load_tokenizer(bpath)
    model = load_model(bpath, recipe, dev)
    counts = ParamCounts.of(model)

    scoring_flops, scoring_seconds, selection = 0, 0.0, {}
    if strategy == "scored":
        from mixmerge.training.scoring import select_best

        t0 = time.perf_counter()
        examples, selection, scoring_flops = select_best(examples, tokenizer, model, recipe, dev, keep_fraction,
                                                          reward_model, progress=progress)
        scoring_seconds = time.perf_counter() - t0
    plan = plan_run(tokenizer, examples, mixture, recipe)
    plan.selection = selection
    if plan.tokens != recipe.tokens:  # the sampler guarantees this; a mismatch is a bug, not bad input
        raise RuntimeError(f"planned {plan.tokens} tokens for a budget of {recipe.tokens}")
    trainer = Trainer(model, recipe, dev, len(plan.batches))
    head_positions = sum(b.n_pred for b in plan.batches)

    reference, reference_seconds, reference_flops = [None] * len(plan.batches), 0.0, 0
    if recipe.paradigm == "dpo":
        t0 = time.perf_counter()
        reference = trainer.reference(plan.batches)
        reference_seconds = time.perf_counter() - t0
        reference_flops = forward_flops(counts, plan.tokens, head_positions)

    t0 = time.perf_counter()
    losses = _run_loop(trainer, plan, reference, mixture, progress)
    train_seconds = time.perf_counter() - t0

    names = list(mixture.active())
    data_hash, data_files = data_record(plan, sources, names)
    tflops = train_flops(counts, plan.tokens, head_positions)
    cost = RunCost(
        tokens=plan.tokens, tokens_per_set=plan.tokens_per_set(), padding_tokens=sum(b.padding for b in plan.batches),
        head_positions=head_positions, steps=len(plan.batches), flops=tflops + reference_flops + scoring_flops,
        train_flops=tflops, reference_flops=reference_flops, scoring_flops=scoring_flops,
        nominal_flops=nominal_train_flops(counts, plan.tokens, plan.tokens if recipe.paradigm == "dpo" else 0),
        params=counts.total, lora_params=counts.lora, device=device_name(dev),
        device_seconds=0.0, train_seconds=train_seconds, reference_seconds=reference_seconds,
        scoring_seconds=scoring_seconds, peak_memory_bytes=0, peak_memory_kind=memory.kind)
    finite = [x for x in losses if math.isfinite(x)]
    provenance = {
        "format": PROVENANCE_FORMAT,
        "kind": "expert" if len(names) == 1 else "mixture",
        "expert_of": names[0] if len(names) == 1 else None,
        "base": str(base), "base_path": str(bpath), "base_hash": bhash,
        "adapter": recipe.lora, "paradigm": recipe.paradigm, "strategy": strategy,
        "mixture": mixture.ratios, "seed": recipe.seed, "recipe": recipe.model_dump(),
        "data_hash": data_hash, "data_files": data_files, "selection": selection,
        "metrics": {"first_loss": finite[0] if finite else None, "final_loss": finite[-1] if finite else None,
                    "mean_loss_last_10pct": _tail_mean(finite)},
        "versions": _versions(),
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    _write(model, tokenizer, out, overwrite, provenance, cost, memory, started)
    return TrainResult(out=out, adapter=recipe.lora, cost=cost, provenance=provenance, losses=losses)


def _run_loop(trainer: Trainer, plan: Plan, reference: list, mixture: Mixture, progress: bool) -> list[float]:
    losses = []
    bar = tqdm(total=plan.tokens, unit="tok", unit_scale=True, dynamic_ncols=True, disable=not progress,
               desc=f"{trainer.recipe.paradigm} {mixture.label()}")
    next_log, done, t0 = 0.1, 0, time.perf_counter()
    try:
        for batch, ref in zip(plan.batches, reference, strict=True):
            stats = trainer.step(batch, ref)
            losses.append(stats["loss"])
            done += batch.tokens
            bar.update(batch.tokens)
            bar.set_postfix(loss=f"{stats['loss']:.3f}", refresh=False)
            if done >= next_log * plan.tokens:  # also logged when the bar is off (--quiet, non-interactive)
                rate = done / max(time.perf_counter() - t0, 1e-9)
                log.info("step %d/%d, %d/%d tokens, %.0f tokens/s, %.0f s left, loss %.4f", trainer.step_index,
                         len(plan.batches), done, plan.tokens, rate, (plan.tokens - done) / rate, stats["loss"])
                while next_log * plan.tokens <= done:
                    next_log += 0.1
    finally:
        bar.close()
    return losses


def _tail_mean(values: list[float]) -> float | None:
    if not values:
        return None
    tail = values[-max(1, len(values) // 10):]
    return sum(tail) / len(tail)


def _versions() -> dict[str, str]:
    import importlib.metadata as md

    out = {}
    for pkg in ("mixmerge", "torch", "transformers", "peft"):
        try:
            out[pkg] = md.version(pkg)
        except md.PackageNotFoundError:
            out[pkg] = "not installed"
    return out


def _write(model, tokenizer, out: Path, overwrite: bool, provenance: dict, cost: RunCost, memory: PeakMemory,
           started: float) -> None:
    """Save into a temporary folder beside ``out``, then rename it into place (never half-written)."""
    from mixmerge.merge_core.checkpoint import write_provenance

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        model.save_pretrained(tmp, safe_serialization=True)
        tokenizer.save_pretrained(tmp)
        cost.peak_memory_bytes = memory.peak()
        cost.device_seconds = time.perf_counter() - started
        provenance["cost"] = cost.model_dump()
        write_provenance(tmp, **provenance)
        if out.exists():
            check_output_dir(out, overwrite)
            shutil.rmtree(out)
        tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def train_experts(base: str | Path, recipe: TrainRecipe, out: str | Path, *, names: tuple[str, ...] = H3_SETS,
                  sources: DataSources | None = None, overwrite: bool = False, progress: bool = True,
                  device: str = "auto") -> dict[str, TrainResult]:
    """One expert per set (a one-hot mixture each), all with the same recipe, into ``out/<set>``."""
    sources = sources or DataSources()
    out = check_output_dir(out, overwrite)
    for name in names:  # validate every expert before training any
        validate(Mixture.one_hot(name), recipe, sources, out / name, True, "fixed", None)
    bhash = base_hash(base)
    results = {}
    for name in names:
        log.info("training the %s expert (%d tokens, %s%s)", name, recipe.tokens, recipe.paradigm,
                 f", LoRA r={recipe.lora_rank}" if recipe.lora else "")
        results[name] = train(base, Mixture.one_hot(name), recipe, out / name, sources=sources,
                              overwrite=overwrite, progress=progress, device=device, known_base_hash=bhash)
    return results
