"""Batched log-likelihoods of continuations on the live model, keeping only the logits that are needed.

Why not ``model(ids).logits``: a batch of 32 x 512 tokens over a 49,152-word vocabulary is a 3.2 GB float32
logits tensor, almost all of it for context positions nobody scores. Here the decoder runs once, the hidden
states of the continuation positions are gathered, and the output layer is applied to those rows only, in
chunks, so memory is bounded by ``HEAD_CHUNK`` x vocabulary.

The request encoding, ordering and batching follow lm-eval's HFLM exactly (trailing context whitespace moves
into the continuation; the whole string is encoded and split at the context's length; requests sorted by
descending length; right padding, no attention mask), so the numbers equal its ``multiple_choice`` task's.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import torch
import torch.nn.functional as F
from tqdm.auto import tqdm

from .scoring import Cost

HEAD_CHUNK = 1024  # continuation rows per output-layer call: 1024 x 49,152 float32 = 200 MB


def render_chat(tokenizer, messages: list[dict[str, str]]) -> str:
    """The prompt string the model sees: the tokenizer's chat template with the assistant turn opened."""
    return tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)


def starts_with_bos(tokenizer, text: str) -> bool:
    """True when the text already begins with the BOS string (then no special tokens are added again)."""
    bos_id = tokenizer.bos_token_id if tokenizer.bos_token_id is not None else tokenizer.eos_token_id
    if bos_id is None:
        return False
    bos = tokenizer.decode(bos_id)
    return bool(bos) and text.startswith(bos)


def encode(tokenizer, text: str) -> list[int]:
    kwargs = {"add_special_tokens": False} if starts_with_bos(tokenizer, text) else {}
    return tokenizer.encode(text, **kwargs)


def encode_pair(tokenizer, context: str, continuation: str) -> tuple[list[int], list[int]]:
    """Token ids of (context, continuation), split where lm-eval splits them."""
    if not context:
        raise ValueError("log-likelihood context must not be empty")
    n_spaces = len(context) - len(context.rstrip())
    if n_spaces:
        continuation = context[-n_spaces:] + continuation
        context = context[:-n_spaces]
    whole = encode(tokenizer, context + continuation)
    ctx = encode(tokenizer, context)
    return ctx, whole[len(ctx):]


def max_length(model) -> int:
    cfg = getattr(model, "config", None)
    for attr in ("n_positions", "max_position_embeddings", "n_ctx"):
        value = getattr(cfg, attr, None)
        if value:
            return int(value)
    return 2048


def n_params(model) -> int:
    return sum(p.numel() for p in model.parameters())


def _decoder_and_head(model):
    """(decoder returning hidden states, output layer), or (None, None) when logits need the full forward."""
    base = model.get_base_model() if hasattr(model, "get_base_model") else model  # PEFT: LoRA layers stay live
    cfg = base.config
    if getattr(cfg, "final_logit_softcapping", None) or getattr(cfg, "logit_scale", None):
        return None, None
    head = base.get_output_embeddings()
    decoder = getattr(base, getattr(base, "base_model_prefix", "model"), None)
    if head is None or decoder is None or decoder is base:
        return None, None
    return decoder, head


@torch.no_grad()
def loglikelihoods(model, tokenizer, requests: Sequence[tuple[str, str]], *, batch_size: int = 16,
                   autocast_bf16: bool = False) -> tuple[list[tuple[float, bool]], Cost]:
    """Sum of log-probabilities of each continuation given its context, and whether it is the greedy text.

    Returns results in request order and the cost (real tokens through the model).
    """
    start = time.perf_counter()
    limit = max_length(model)
    encoded = [encode_pair(tokenizer, c, x) for c, x in requests]
    for i, (_ctx, cont) in enumerate(encoded):
        if not cont:
            raise ValueError(f"request {i}: empty continuation")
    order = sorted(range(len(encoded)), key=lambda i: (-len(encoded[i][0] + encoded[i][1]),
                                                        tuple(encoded[i][0] + encoded[i][1])))
    decoder, head = _decoder_and_head(model)
    device = next(model.parameters()).device
    results: list[tuple[float, bool] | None] = [None] * len(encoded)
    tokens = 0
    for b in tqdm(range(0, len(order), batch_size), desc="log-likelihood batches", disable=None, leave=False):
        chunk = order[b:b + batch_size]
        inps = [(encoded[i][0] + encoded[i][1])[-(limit + 1):][:-1] for i in chunk]
        width = max(len(x) for x in inps)
        batch = torch.zeros((len(chunk), width), dtype=torch.long, device=device)
        for r, x in enumerate(inps):
            batch[r, :len(x)] = torch.tensor(x, dtype=torch.long)
        tokens += sum(len(x) for x in inps)
        rows, targets, spans = [], [], []
        for r, (i, x) in enumerate(zip(chunk, inps, strict=True)):
            cont = encoded[i][1]
            rows.append(torch.arange(len(x) - len(cont), len(x)) + r * width)
            targets.extend(cont)
            spans.append(len(cont))
        rows_t = torch.cat(rows).to(device)
        targets_t = torch.tensor(targets, dtype=torch.long, device=device)
        with torch.autocast(device_type=device.type, dtype=torch.bfloat16, enabled=autocast_bf16):
            if decoder is not None:
                hidden = decoder(input_ids=batch).last_hidden_state
                hidden = hidden.reshape(-1, hidden.shape[-1]).index_select(0, rows_t)
                logp_parts, greedy_parts = [], []
                for s in range(0, hidden.shape[0], HEAD_CHUNK):
                    logp = F.log_softmax(head(hidden[s:s + HEAD_CHUNK]).float(), dim=-1)
                    tgt = targets_t[s:s + HEAD_CHUNK]
                    logp_parts.append(logp.gather(1, tgt[:, None]).squeeze(1))
                    greedy_parts.append(logp.argmax(-1) == tgt)
                token_logp, greedy = torch.cat(logp_parts), torch.cat(greedy_parts)
            else:  # models whose logits are not just the output layer of the last hidden state
                logits = model(input_ids=batch).logits
                sel = logits.reshape(-1, logits.shape[-1]).index_select(0, rows_t)
                del logits
                logp = F.log_softmax(sel.float(), dim=-1)
                token_logp = logp.gather(1, targets_t[:, None]).squeeze(1)
                greedy = logp.argmax(-1) == targets_t
        for i, part_lp, part_g in zip(chunk, token_logp.split(spans), greedy.split(spans), strict=True):
            results[i] = (float(part_lp.sum()), bool(part_g.all()))
    seconds = time.perf_counter() - start
    return results, Cost(tokens=tokens, flops=2.0 * n_params(model) * tokens, seconds=seconds)  # type: ignore[return-value]
