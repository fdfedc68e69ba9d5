"""Objective benchmarks on the real base model: scores with intervals, throughput against plain baselines, wall time.

    python benchmarks/objectives_bench.py scores --suite builtin --split test [--fidelity 64] [--out FILE]
    python benchmarks/objectives_bench.py throughput [--threads 2]

``scores`` prints one table row per objective (value, 95% interval, worst category, tokens, seconds) and the
wall time of the whole evaluation. ``throughput`` measures, in one run, (a) log-likelihood scoring against
raw forward passes over the same padded batches (no softmax, all logits), and (b) our batched greedy
generation against plain ``model.generate`` on the same prompts at each one's best batch size.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

import torch

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")

from mixmerge.objectives.generation import generate  # noqa: E402
from mixmerge.objectives.likelihood import encode_pair, loglikelihoods, render_chat  # noqa: E402
from mixmerge.objectives.loading import load_model  # noqa: E402
from mixmerge.objectives.objective import EvalSettings, choice_requests  # noqa: E402
from mixmerge.objectives.registry import build_objective, evaluate  # noqa: E402

MODEL = "builtin:smollm2-135m-instruct"


def scores(args) -> None:
    model, tok = load_model(MODEL)
    start = time.perf_counter()
    objectives = [build_objective(n, split=args.split, suite=args.suite, data_dir=args.data_dir,
                                  fidelity=args.fidelity) for n in ("helpful", "harmless", "honest", "capability")]
    result = evaluate(model, tok, objectives, EvalSettings(likelihood_batch_size=args.batch_size,
                                                           generation_batch_size=args.batch_size))
    wall = time.perf_counter() - start
    print(f"suite={args.suite} split={args.split} fidelity={args.fidelity} threads={torch.get_num_threads()}")
    print(f"{'objective':<11} {'n':>4} {'score':>6} {'95% CI':>15}  {'worst category':<28} {'worst':>5} "
          f"{'tokens':>8} {'s':>6}")
    for name, s in result.items():
        print(f"{name:<11} {s.n:>4} {s.value:>6.3f} [{s.ci_low:.3f}, {s.ci_high:.3f}]  {s.worst_category[:28]:<28} "
              f"{s.worst_value:>5.3f} {s.cost.tokens:>8} {s.cost.seconds:>6.1f}")
    print(f"wall time of the whole evaluation: {wall:.1f} s")
    if args.out:
        with open(args.out, "w") as fh:
            json.dump({"wall_s": wall, "scores": {n: s.model_dump() for n, s in result.items()}}, fh)


def _raw_forward(model, tok, reqs, batch_size) -> float:
    """The same requests, ordered and padded as the scorer does, through plain forward passes (all logits)."""
    enc = [encode_pair(tok, c, x) for c, x in reqs]
    order = sorted(range(len(enc)), key=lambda i: (-len(enc[i][0] + enc[i][1]), tuple(enc[i][0] + enc[i][1])))
    start = time.perf_counter()
    with torch.no_grad():
        for b in range(0, len(order), batch_size):
            inps = [(enc[i][0] + enc[i][1])[:-1] for i in order[b:b + batch_size]]
            width = max(map(len, inps))
            batch = torch.zeros((len(inps), width), dtype=torch.long)
            for r, x in enumerate(inps):
                batch[r, :len(x)] = torch.tensor(x)
            model(input_ids=batch).logits  # noqa: B018
    return time.perf_counter() - start


def _plain_generate(model, tok, prompts, batch_size, max_new) -> tuple[float, int]:
    start, new_tokens = time.perf_counter(), 0
    tok.padding_side = "left"
    with torch.no_grad():
        for b in range(0, len(prompts), batch_size):
            enc = tok(prompts[b:b + batch_size], return_tensors="pt", padding=True, add_special_tokens=False)
            out = model.generate(**enc, max_new_tokens=max_new, do_sample=False, pad_token_id=tok.pad_token_id)
            new = out[:, enc["input_ids"].shape[1]:]
            new_tokens += int((new != tok.pad_token_id).sum())
    tok.padding_side = "right"
    return time.perf_counter() - start, new_tokens


def throughput(args) -> None:
    model, tok = load_model(MODEL)
    items = build_objective("capability", split="test").items + build_objective("helpful", split="test").items
    reqs = choice_requests(tok, [it for it in items if it.kind == "choice"])[: args.n_ll]
    bs = args.batch_size
    _raw_forward(model, tok, reqs[:bs], bs)  # warm-up
    t_raw = _raw_forward(model, tok, reqs, bs)
    t0 = time.perf_counter()
    _, cost = loglikelihoods(model, tok, reqs, batch_size=bs)
    t_ll = time.perf_counter() - t0
    print(f"threads={torch.get_num_threads()}  log-likelihood: {len(reqs)} requests, {cost.tokens} tokens, batch {bs}")
    print(f"  raw forward passes (all logits): {t_raw:.1f} s = {cost.tokens / t_raw:.0f} tokens/s")
    print(f"  scorer (continuation logits only): {t_ll:.1f} s = {cost.tokens / t_ll:.0f} tokens/s"
          f"  -> {t_raw / t_ll:.2f}x the raw forward throughput")
    harmless = build_objective("harmless", split="test").items[: args.n_gen]
    prompts = [render_chat(tok, it.messages) for it in harmless]
    best_plain, best_ours = (0.0, 0), (0.0, 0)
    for b in args.gen_batches:
        t, n = _plain_generate(model, tok, prompts, b, args.max_new)
        t_o0 = time.perf_counter()
        texts, _ = generate(model, tok, prompts, max_new_tokens=args.max_new, batch_size=b)
        t_o = time.perf_counter() - t_o0
        n_o = sum(len(tok.encode(x, add_special_tokens=False)) for x in texts)
        print(f"  generation batch {b:>3}: plain {n / t:6.1f} new tokens/s, ours {n_o / t_o:6.1f} new tokens/s")
        best_plain = max(best_plain, (n / t, b))
        best_ours = max(best_ours, (n_o / t_o, b))
    print(f"generation, {len(prompts)} prompts x {args.max_new} new tokens: best plain {best_plain[0]:.1f} tokens/s "
          f"(batch {best_plain[1]}), best ours {best_ours[0]:.1f} tokens/s (batch {best_ours[1]}) -> "
          f"{best_ours[0] / best_plain[0]:.2f}x")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--threads", type=int, default=2)
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("scores")
    s.add_argument("--suite", default="builtin", choices=("builtin", "public"))
    s.add_argument("--split", default="test")
    s.add_argument("--data-dir", default=None)
    s.add_argument("--fidelity", type=int, default=None)
    s.add_argument("--batch-size", type=int, default=16)
    s.add_argument("--out", default=None)
    t = sub.add_parser("throughput")
    t.add_argument("--batch-size", type=int, default=32)
    t.add_argument("--n-ll", type=int, default=512)
    t.add_argument("--n-gen", type=int, default=64)
    t.add_argument("--max-new", type=int, default=48)
    t.add_argument("--gen-batches", type=int, nargs="+", default=[8, 16, 32])
    args = p.parse_args(argv)
    torch.set_num_threads(args.threads)
    {"scores": scores, "throughput": throughput}[args.cmd](args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
