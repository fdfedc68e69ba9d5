"""Batched greedy generation on the live model, with left padding and the chat template.

Why this shape: prompts are sorted by token length (longest first, as lm-eval's HFLM does) so each batch pads
little, and batches of the same composition give the same greedy text as the lm-eval ``generate_until``
task (left padding changes the numerics of the padded rows slightly, so the composition must match).
Generation stops at EOS (``generate`` drops finished rows' tokens) or after ``max_new_tokens``; text is cut
at the first stop string.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import torch
from tqdm.auto import tqdm

from .likelihood import encode, n_params, starts_with_bos
from .scoring import Cost


def _pad_id(tokenizer) -> int:
    if tokenizer.pad_token_id is not None:
        return tokenizer.pad_token_id
    if tokenizer.eos_token_id is not None:
        return tokenizer.eos_token_id
    return 0


@torch.no_grad()
def generate(model, tokenizer, prompts: Sequence[str], *, max_new_tokens: int = 64, batch_size: int = 16,
             stop: Sequence[str] = (), autocast_bf16: bool = False) -> tuple[list[str], Cost]:
    """Greedy continuations of already-rendered prompt strings, in input order, and the cost."""
    start = time.perf_counter()
    order = sorted(range(len(prompts)), key=lambda i: (-len(encode(tokenizer, prompts[i])), prompts[i]))
    eos_id = tokenizer.eos_token_id
    eos = tokenizer.decode(eos_id, skip_special_tokens=False) if eos_id is not None else None
    stops = [s for s in list(stop) + ([eos] if eos else []) if s]
    device = next(model.parameters()).device
    out: list[str | None] = [None] * len(prompts)
    tokens = 0
    old_side = tokenizer.padding_side
    try:
        tokenizer.padding_side = "left"
        for b in tqdm(range(0, len(order), batch_size), desc="generation batches", disable=None, leave=False):
            chunk = order[b:b + batch_size]
            texts = [prompts[i] for i in chunk]
            kwargs = {"add_special_tokens": False} if starts_with_bos(tokenizer, texts[0]) else {}
            enc = tokenizer(texts, padding="longest", return_tensors="pt", **kwargs)
            ids, mask = enc["input_ids"].to(device), enc["attention_mask"].to(device)
            with torch.autocast(device_type=device.type, dtype=torch.bfloat16, enabled=autocast_bf16):
                seqs = model.generate(input_ids=ids, attention_mask=mask, max_length=ids.shape[1] + max_new_tokens,
                                      do_sample=False, pad_token_id=_pad_id(tokenizer), use_cache=True)
            new = seqs[:, ids.shape[1]:]
            pad = _pad_id(tokenizer)
            for r, i in enumerate(chunk):
                row = new[r].tolist()
                n_new = len(row)
                while n_new and row[n_new - 1] == pad:  # finished rows are padded to the batch's length
                    n_new -= 1
                tokens += int(mask[r].sum()) + n_new
                text = tokenizer.decode(row, skip_special_tokens=True)
                for s in stops:
                    text = text.split(s)[0]
                out[i] = text
    finally:
        tokenizer.padding_side = old_side
    seconds = time.perf_counter() - start
    return out, Cost(tokens=tokens, flops=2.0 * n_params(model) * tokens, seconds=seconds)  # type: ignore[return-value]
