"""Training-loop throughput vs the bare forward+backward of the same batches, in the same run.

On the real SmolLM2-135M-Instruct, the same packed batches are timed three ways, batch by batch in alternating
order (loop, bare, hf, then hf, bare, loop, ...) so that load from other processes hits all of them alike:

* **loop**: mixmerge's training loop, one step at a time (``trainer._run_loop``: learning-rate schedule, bf16
  autocast forward on the assistant positions, backward, gradient clipping, fused AdamW step, token
  accounting, progress bar);
* **bare**: only ``forward + backward`` of the same loss on the same batch (no optimizer, no bookkeeping);
* **hf**: the textbook ``model(input_ids, position_ids, labels=...).loss.backward()`` of transformers, which
  computes the 49k-wide logits at every position; shown for reference.

Throughput counts real (non-padding) tokens. The ratio ``loop / bare`` is the loop's efficiency (target
>= 0.85).

    .venv/bin/python benchmarks/train_throughput.py [--paradigm sft|dpo] [--lora-rank R] [--batches 6]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import torch  # noqa: E402
from mixmerge.merge_core.builtin import DEFAULT_BUILTIN  # noqa: E402
from mixmerge.training.losses import recipe_loss, token_logps  # noqa: E402
from mixmerge.training.recipe import Mixture, TrainRecipe, parse_mix  # noqa: E402
from mixmerge.training.sources import DataSources  # noqa: E402
from mixmerge.training.trainer import (  # noqa: E402
    Plan,
    Trainer,
    _run_loop,
    base_path,
    load_model,
    load_tokenizer,
    plan_run,
)


def bare_step(model, batch, recipe: TrainRecipe, ref) -> None:
    with torch.autocast("cpu", dtype=torch.bfloat16, enabled=recipe.bf16):
        loss, _ = recipe_loss(token_logps(model, batch), batch, ref, recipe)
    loss.backward()
    model.zero_grad(set_to_none=True)


def hf_step(model, batch, recipe: TrainRecipe) -> None:
    labels = torch.full_like(batch.input_ids, -100)
    labels[batch.pred_rows, batch.pred_cols + 1] = batch.targets
    with torch.autocast("cpu", dtype=torch.bfloat16, enabled=recipe.bf16):
        loss = model(input_ids=batch.input_ids, position_ids=batch.position_ids, labels=labels).loss
    loss.backward()
    model.zero_grad(set_to_none=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", default=DEFAULT_BUILTIN)
    ap.add_argument("--mix", default="helpful=0.5,harmless=0.3,honest=0.2")
    ap.add_argument("--paradigm", choices=("sft", "dpo"), default="sft")
    ap.add_argument("--lora-rank", type=int, default=0)
    ap.add_argument("--seq-len", type=int, default=None)
    ap.add_argument("--batch-size", type=int, default=None)
    ap.add_argument("--batches", type=int, default=6, help="timed batches (each run by every variant)")
    ap.add_argument("--warmup", type=int, default=1, help="untimed warm-up steps of the loop")
    ap.add_argument("--no-hf", action="store_true", help="skip the transformers full-logits reference")
    ap.add_argument("--threads", type=int, default=None, help="torch threads (default: torch's choice)")
    args = ap.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)

    defaults = TrainRecipe.model_fields
    seq_len = args.seq_len or defaults["seq_len"].default
    batch_size = args.batch_size or defaults["batch_size"].default
    n = args.batches + args.warmup
    recipe = TrainRecipe(tokens=n * batch_size * seq_len, paradigm=args.paradigm, lora_rank=args.lora_rank,
                         seq_len=seq_len, batch_size=batch_size)
    mixture = Mixture(ratios=parse_mix(args.mix))
    path = base_path(args.base)
    tok = load_tokenizer(path)
    plan = plan_run(tok, DataSources().load_for(list(mixture.active()), recipe.paradigm), mixture, recipe)
    model = load_model(path, recipe, torch.device("cpu"))
    trainer = Trainer(model, recipe, torch.device("cpu"), total_steps=len(plan.batches))
    refs = trainer.reference(plan.batches) if recipe.paradigm == "dpo" else [None] * len(plan.batches)

    # warm-up (allocator, oneDNN kernels), then every timed batch run by each variant in turn, the order
    # alternating from batch to batch, so that load from other processes hits all variants alike
    warm = slice(0, args.warmup)
    _run_loop(trainer, Plan(plan.encoded, [], plan.batches[warm]), refs[warm], mixture, progress=False)
    timed = plan.batches[args.warmup:args.warmup + args.batches]
    timed_refs = refs[args.warmup:args.warmup + args.batches]
    tokens = sum(b.tokens for b in timed)
    padding = sum(b.padding for b in timed)
    times: dict[str, list[float]] = {"loop": [], "bare": [], "hf": []}
    order = ["loop", "bare", "hf"] if not args.no_hf else ["loop", "bare"]
    for i, (b, r) in enumerate(zip(timed, timed_refs, strict=True)):
        for variant in order if i % 2 == 0 else list(reversed(order)):
            t0 = time.perf_counter()
            if variant == "loop":
                _run_loop(trainer, Plan(plan.encoded, [], [b]), [r], mixture, progress=True)
            elif variant == "bare":
                bare_step(model, b, recipe, r)
            else:
                hf_step(model, b, recipe)
            times[variant].append(time.perf_counter() - t0)

    print(f"\nSmolLM2-135M-Instruct, {args.paradigm}{f', LoRA r={args.lora_rank}' if args.lora_rank else ', full'}, "
          f"bf16 autocast, {batch_size} x {seq_len} slots per step, {args.batches} timed steps, "
          f"torch threads {torch.get_num_threads()}, load average {os.getloadavg()[0]:.1f}")
    print(f"real tokens {tokens} (padding {padding}, {100 * padding / (tokens + padding):.1f}% of slots)")
    bare = sum(times["bare"])
    print(f"{'variant':8} {'total s':>9} {'s/step min':>11} {'tokens/s':>10} {'ratio to bare':>14}")
    for variant in order:
        t = sum(times[variant])
        print(f"{variant:8} {t:9.2f} {min(times[variant]):11.2f} {tokens / t:10.0f} {bare / t:14.3f}")
    per_step = [b / lp for b, lp in zip(times["bare"], times["loop"], strict=True)]
    print(f"loop throughput / bare forward+backward = {bare / sum(times['loop']):.3f} "
          f"(per step: median {statistics.median(per_step):.3f}, min {min(per_step):.3f}, max {max(per_step):.3f})")


if __name__ == "__main__":
    main()
