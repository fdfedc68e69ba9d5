"""The ``scored`` mixing strategy: score every candidate example, keep the best-scored share of each set.

Scorers:

* a user's reward model (a ``*ForSequenceClassification`` directory whose first logit is the reward): the
  score of an example is ``r(prompt, chosen) - r(prompt, rejected)`` for a pair, ``r(prompt, reply)`` for a
  plain reply;
* built-in (no reward model given): the **base model's own preference** of chosen over rejected, the
  per-token mean log-probability of the chosen reply minus that of the rejected reply (length-normalised, so
  long replies are not favoured); for a plain reply, its per-token mean log-probability. High scores are the
  pairs whose labels the base already agrees with clearly: a cleanliness filter that drops pairs with
  ambiguous or noisy preferences (hh-rlhf's are often close), at the cost of one forward pass over the
  candidates, which is counted in the run's FLOPs.

Examples too long for ``seq_len`` are never kept (they could not be trained on either).
"""

from __future__ import annotations

import contextlib
import math
from pathlib import Path
from typing import Any

import torch
from mixmerge.training.cost import ParamCounts, forward_flops
from mixmerge.training.encode import Encoded, encode_examples
from mixmerge.training.examples import ChatExample
from mixmerge.training.losses import sequence_logps, token_logps
from mixmerge.training.packing import pack
from mixmerge.training.recipe import TrainRecipe
from mixmerge.training.sampler import Draw

BUILTIN_SCORER = "builtin:base-preference"


def _adapter_off(model):
    """Score with the base: a PEFT model's adapter is disabled (it is zero at this point anyway)."""
    return model.disable_adapter() if hasattr(model, "disable_adapter") else contextlib.nullcontext()


@torch.no_grad()
def builtin_scores(examples: list[ChatExample], tokenizer, model, recipe: TrainRecipe, device: torch.device,
                   progress: bool = False) -> tuple[list[float], int]:
    """Base-preference score of each example (``-inf`` when it does not fit ``seq_len``); and the FLOPs spent."""
    pairs = [e for e in examples if e.is_pair]
    singles = [e for e in examples if not e.is_pair]
    encoded: dict[str, list[Encoded]] = {
        "pairs": encode_examples(tokenizer, pairs, "dpo", recipe.seq_len, 1, "scoring") if pairs else [],
        "singles": encode_examples(tokenizer, singles, "sft", recipe.seq_len, 1, "scoring") if singles else [],
    }
    draws = [Draw(key, i, e.tokens, e.tokens) for key, enc in encoded.items() for i, e in enumerate(enc)]
    pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id
    rows = max(2, recipe.batch_size)
    batches = pack(draws, encoded, recipe.seq_len, rows, pad_id) if draws else []
    score_of: dict[ChatExample, float] = {}
    tokens = head = 0
    autocast = (torch.autocast(device_type=device.type, dtype=torch.bfloat16) if recipe.bf16
                else contextlib.nullcontext())
    was_training = model.training
    model.eval()
    from tqdm.auto import tqdm

    with _adapter_off(model):
        for b in tqdm(batches, desc="scoring", unit="batch", disable=not progress):
            with autocast:
                logps = token_logps(model, b, device).float()
            seq = sequence_logps(logps, b).cpu()
            n = torch.bincount(b.pred_seq, minlength=b.n_seqs).clamp(min=1)
            mean = (seq / n).tolist()
            k = 0
            for d in b.draws:
                enc = encoded[d.set][d.index]
                if len(enc.seqs) == 2:
                    score_of[enc.example] = mean[k] - mean[k + 1]
                else:
                    score_of[enc.example] = mean[k]
                k += len(enc.seqs)
            tokens += b.tokens
            head += b.n_pred
    model.train(was_training)
    return [score_of.get(e, -math.inf) for e in examples], _base_forward_flops(model, tokens, head)


def _base_forward_flops(model, tokens: int, head: int) -> int:
    """A forward pass of the base (a LoRA adapter, disabled while scoring, adds nothing)."""
    counts = ParamCounts.of(model)
    return forward_flops(ParamCounts(total=counts.total, head=counts.head, body=counts.body, lora=0), tokens, head)


@torch.no_grad()
def reward_scores(examples: list[ChatExample], reward_model: str | Path, recipe: TrainRecipe,
                  device: torch.device) -> tuple[list[float], int, str]:
    """Reward-model score of each example; the FLOPs spent; the reward model's content hash."""
    from mixmerge.merge_core.checkpoint import open_checkpoint
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    path = Path(reward_model)
    rm_hash = open_checkpoint(path).content_hash()
    tok = AutoTokenizer.from_pretrained(path)
    rm = AutoModelForSequenceClassification.from_pretrained(path, dtype=torch.float32).to(device).eval()
    if tok.pad_token_id is None:
        tok.pad_token = tok.eos_token
    rm.config.pad_token_id = tok.pad_token_id
    tok.padding_side = "right"
    n_params = sum(p.numel() for p in rm.parameters()) - rm.get_input_embeddings().weight.numel()

    def text(ex: ChatExample, final: str | None) -> str:
        chat = ex.chat(final)
        if getattr(tok, "chat_template", None):
            return tok.apply_chat_template(chat, tokenize=False)
        return "\n\n".join(f"{m['role']}: {m['content']}" for m in chat)

    items: list[tuple[int, str]] = []
    for i, ex in enumerate(examples):
        items.append((i, text(ex, None)))
        if ex.is_pair:
            items.append((i, text(ex, ex.rejected)))
    rewards: list[list[float]] = [[] for _ in examples]
    tokens = 0
    step = max(1, recipe.batch_size)
    for start in range(0, len(items), step):
        chunk = items[start:start + step]
        enc = tok([t for _, t in chunk], return_tensors="pt", padding=True, truncation=True,
                  max_length=recipe.seq_len, add_special_tokens=False)
        tokens += int(enc["attention_mask"].sum())
        logits = rm(**{k: v.to(device) for k, v in enc.items()}).logits[:, 0].float().cpu().tolist()
        for (i, _), r in zip(chunk, logits, strict=True):
            rewards[i].append(r)
    scores = [r[0] - r[1] if len(r) == 2 else r[0] for r in rewards]
    return scores, 2 * n_params * tokens, rm_hash


def select_best(examples: dict[str, list[ChatExample]], tokenizer, model, recipe: TrainRecipe,
                device: torch.device, keep_fraction: float, reward_model: str | Path | None = None,
                progress: bool = False) -> tuple[dict[str, list[ChatExample]], dict[str, Any], int]:
    """The best-scored ``keep_fraction`` of each set (ties by original order); a selection record; FLOPs."""
    kept: dict[str, list[ChatExample]] = {}
    record: dict[str, Any] = {"scorer": BUILTIN_SCORER if reward_model is None else f"reward-model:{reward_model}",
                              "keep_fraction": keep_fraction, "candidates": {}, "kept": {}, "threshold": {}}
    flops = 0
    for name, exs in examples.items():
        if reward_model is None:
            scores, f = builtin_scores(exs, tokenizer, model, recipe, device, progress)
        else:
            scores, f, rm_hash = reward_scores(exs, reward_model, recipe, device)
            record["reward_model_hash"] = rm_hash
        flops += f
        fits = [i for i, s in enumerate(scores) if math.isfinite(s)]
        k = max(1, math.ceil(keep_fraction * len(fits))) if fits else 0
        order = sorted(fits, key=lambda i: (-scores[i], i))[:k]
        kept[name] = [exs[i] for i in sorted(order)]
        record["candidates"][name] = len(exs)
        record["kept"][name] = len(kept[name])
        record["threshold"][name] = scores[order[-1]] if order else None
    return kept, record, flops
