"""Calibrate the "fine-tuned from this base?" check: relative task-vector norms of real fine-tunes vs other bases.

Real fine-tunes: the real SmolLM2-135M-Instruct (``builtin:smollm2-135m-instruct``) trained for a few real
AdamW steps of SFT on real text (self-instruct seed tasks), at several learning rates. Different bases of the
same shape: the architecture re-initialised from its config, the base with the rows of every matrix permuted,
and the base plus Gaussian noise scaled to each tensor's standard deviation. For each, the overall relative
norm ``||expert - base|| / ||base||`` and the max / min over matrices, as ``merge_core.validate`` computes
them, and whether the current thresholds accept it.

    .venv/bin/python benchmarks/calibrate_base_check.py [--steps 30] [--lrs 1e-5,1e-4,1e-3]
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import time
from pathlib import Path

import torch

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from mixmerge.merge_core import validate  # noqa: E402
from mixmerge.merge_core.builtin import DEFAULT_BUILTIN, resolve_builtin  # noqa: E402

DATA = Path("/work/shared/data/self-instruct/seed_tasks.jsonl")


def texts(n: int) -> list[str]:
    out = []
    for line in DATA.read_text().splitlines()[:n]:
        task = json.loads(line)
        inst = task["instances"][0]
        prompt = task["instruction"] + (("\n" + inst["input"]) if inst["input"] else "")
        out.append(f"{prompt}\n{inst['output']}")
    return out


def sft(model, tok, steps: int, lr: float, batch: int, seq: int, seed: int = 0):
    """``steps`` real AdamW steps of causal-LM SFT on the seed tasks; returns the trained model and losses."""
    model = copy.deepcopy(model).train()
    data = texts(steps * batch)
    enc = tok(data, truncation=True, max_length=seq, padding="max_length", return_tensors="pt")
    labels = enc["input_ids"].clone()
    labels[enc["attention_mask"] == 0] = -100
    opt = torch.optim.AdamW(model.parameters(), lr=lr)
    gen = torch.Generator().manual_seed(seed)
    order = torch.randperm(len(data), generator=gen)
    losses = []
    for step in range(steps):
        idx = order[(step * batch) % len(data):][:batch]
        out = model(input_ids=enc["input_ids"][idx], attention_mask=enc["attention_mask"][idx], labels=labels[idx])
        out.loss.backward()
        opt.step()
        opt.zero_grad(set_to_none=True)
        losses.append(out.loss.item())
    return model.eval(), losses


def stats_against(base_sd: dict[str, torch.Tensor], other_sd: dict[str, torch.Tensor]) -> validate.NormStats:
    names = [n for n in base_sd if n != "lm_head.weight"]  # tied: one tensor
    return validate.relative_norm_stats(names, base_sd.__getitem__, lambda n, b: other_sd[n].float() - b)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--lrs", default="1e-5,1e-4,1e-3")
    parser.add_argument("--batch", type=int, default=4)
    parser.add_argument("--seq", type=int, default=64)
    args = parser.parse_args()
    torch.set_num_threads(1)

    from transformers import AutoModelForCausalLM, AutoTokenizer, LlamaForCausalLM

    path = resolve_builtin(DEFAULT_BUILTIN)
    tok = AutoTokenizer.from_pretrained(path)
    if tok.pad_token is None:
        tok.pad_token = tok.eos_token
    base = AutoModelForCausalLM.from_pretrained(path, dtype=torch.float32).eval()
    base_sd = {k: v.detach().clone() for k, v in base.state_dict().items()}

    print(f"thresholds: overall {validate.OVERALL_THRESHOLD}, per matrix {validate.TENSOR_THRESHOLD}")
    print(f"| {'candidate':<55} | overall | max matrix | min matrix | worst matrix | accepted | note |")
    print(f"|{'-' * 57}|---------|------------|------------|--------------|----------|------|", flush=True)

    def row(label: str, s: validate.NormStats, note: str = "") -> None:
        worst, worst_v = s.worst_matrix()
        ok = s.overall <= validate.OVERALL_THRESHOLD and worst_v <= validate.TENSOR_THRESHOLD
        print(f"| {label:<55} | {s.overall:7.4g} | {worst_v:10.4g} | {s.min_matrix():10.4g} | {worst} | "
              f"{'yes' if ok else 'no'} | {note} |", flush=True)

    for lr in [float(x) for x in args.lrs.split(",")]:
        t0 = time.perf_counter()
        tuned, losses = sft(base, tok, args.steps, lr, args.batch, args.seq)
        note = f"loss {losses[0]:.2f}->{sum(losses[-5:]) / len(losses[-5:]):.2f}, {time.perf_counter() - t0:.0f}s"
        row(f"real SFT, {args.steps} AdamW steps, lr {lr:g}, batch {args.batch}x{args.seq}",
            stats_against(base_sd, tuned.state_dict()), note)
        del tuned

    torch.manual_seed(1234)
    reinit = LlamaForCausalLM(base.config)
    row("same architecture re-initialised", stats_against(base_sd, reinit.state_dict()))
    del reinit

    gen = torch.Generator().manual_seed(1)
    permuted = {k: (v[torch.randperm(v.shape[0], generator=gen)] if v.dim() >= 2 else v) for k, v in base_sd.items()}
    row("base, rows of every matrix permuted", stats_against(base_sd, permuted), "1-D tensors unchanged")
    del permuted
    for scale in (0.5, 1.0):
        noisy = {k: v + torch.randn(v.shape, generator=gen) * scale * v.float().std() if v.numel() > 1 else v
                 for k, v in base_sd.items()}
        row(f"base + Gaussian noise {scale:g} x tensor std", stats_against(base_sd, noisy))


if __name__ == "__main__":
    main()
