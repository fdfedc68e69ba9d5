"""Score the base model on the multiple-choice items of the built-in suite (a data check, not a test).

Why: the capability guard only shows a regression if the base model is clearly above chance on it, and the
honest misconception items are only informative if the base is not already perfect. This reports the
base accuracy exactly as the scorer computes it (chat-templated question, log-likelihood of each choice,
argmax of log-likelihood per character: lm-eval's acc_norm) plus the plain summed log-likelihood (acc),
overall and per category, and writes per-item results as JSON for reviewing weak items.

    .venv/bin/python objectives/suites/h3/source/check_base_model.py --objective capability --split dev
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import time
from collections import defaultdict
from pathlib import Path

SUITE = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--objective", choices=("capability", "honest"), default="capability")
    parser.add_argument("--split", choices=("train", "dev", "test"), default="dev")
    parser.add_argument("--model", default="builtin:smollm2-135m-instruct")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--out", type=Path, default=None, help="per-item JSON results (default: none)")
    args = parser.parse_args()

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    log = logging.getLogger("check_base_model")

    import torch
    from mixmerge.merge_core.builtin import is_builtin, resolve_builtin
    from mixmerge.objectives.likelihood import loglikelihoods
    from mixmerge.objectives.objective import choice_requests
    from mixmerge.objectives.suite import load_items
    from transformers import AutoModelForCausalLM, AutoTokenizer

    torch.set_num_threads(args.threads)
    path = resolve_builtin(args.model) if is_builtin(args.model) else Path(args.model)
    tokenizer = AutoTokenizer.from_pretrained(path)
    model = AutoModelForCausalLM.from_pretrained(path, dtype=torch.float32).eval()

    items = [it for it in load_items(args.objective, SUITE / args.objective / f"{args.split}.jsonl")
             if it.kind == "choice"]
    start = time.perf_counter()
    with torch.no_grad():
        lls, cost = loglikelihoods(model, tokenizer, choice_requests(tokenizer, items),
                                   batch_size=args.batch_size)
    seconds = time.perf_counter() - start

    per_cat: dict[str, list[tuple[int, int]]] = defaultdict(list)
    rows, pos = [], 0
    for it in items:
        k = len(it.choices or [])
        ll = [x for x, _ in lls[pos:pos + k]]
        pos += k
        norm = [x / max(1, len(c)) for x, c in zip(ll, it.choices or [], strict=True)]
        acc_norm = int(it.labels[max(range(k), key=norm.__getitem__)])
        acc = int(it.labels[max(range(k), key=ll.__getitem__)])
        per_cat[it.category].append((acc_norm, acc))
        rows.append({"id": it.id, "category": it.category, "question": it.prompt, "choices": it.choices,
                     "labels": it.labels, "ll": ll, "acc_norm": acc_norm, "acc": acc})

    chance = sum(sum(it.labels) / len(it.labels) for it in items) / len(items)
    n = len(rows)
    log.info("%s/%s: %d choice items, chance %.3f, %.0f s for %d tokens", args.objective, args.split, n,
             chance, seconds, cost.tokens if hasattr(cost, "tokens") else -1)
    log.info("  overall     acc_norm %.3f   acc %.3f", sum(r["acc_norm"] for r in rows) / n,
             sum(r["acc"] for r in rows) / n)
    for cat, vals in sorted(per_cat.items()):
        n_cat = len(vals)
        log.info("  %-32s n=%3d  acc_norm %.3f  acc %.3f", cat, n_cat, sum(v[0] for v in vals) / n_cat,
                 sum(v[1] for v in vals) / n_cat)
    if args.out:
        args.out.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
        log.info("per-item results: %s", args.out)


if __name__ == "__main__":
    main()
