"""Chat examples -> token ids with an assistant-token mask, through the tokenizer's own chat template.

The mask marks the tokens the loss is taken on: for SFT every assistant turn (its content and the template's
end-of-turn marker, so the model learns to stop), for DPO the final assistant turn only (earlier turns are
context). Spans are found by rendering the conversation up to each assistant turn with and without it, so
any chat template that renders prefixes consistently works; one that does not is refused rather than
masked wrongly.

Sequences longer than ``seq_len`` are cut at the end (the prompt is kept whole). An example that must be cut
and whose prompt then leaves fewer than ``min_response_tokens`` assistant tokens is skipped and counted (a
reply that is short by itself is kept).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
from mixmerge.training.examples import ChatExample, DataError, Paradigm

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Sequence:
    """One tokenised conversation: ids and a boolean mask of trained (assistant) tokens."""

    ids: np.ndarray  # int64 [n]
    mask: np.ndarray  # bool [n]; mask[t]: token t is predicted and trained on

    def __len__(self) -> int:
        return int(self.ids.shape[0])

    def crop(self, n: int) -> Sequence:
        return Sequence(self.ids[:n], self.mask[:n])


@dataclass(frozen=True)
class Encoded:
    """An example ready to train on: one sequence (SFT) or chosen and rejected sequences (DPO)."""

    example: ChatExample
    seqs: tuple[Sequence, ...]

    @property
    def tokens(self) -> int:
        """Tokens forwarded when this example is trained on (all its sequences, prompt included)."""
        return sum(len(s) for s in self.seqs)


def _render(tokenizer, messages: list[dict[str, str]], generation_prompt: bool) -> str:
    return tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=generation_prompt)


def _assistant_spans(tokenizer, messages: list[dict[str, str]], last_only: bool, where: str
                     ) -> tuple[str, list[tuple[int, int]]]:
    """The rendered conversation and the character spans of its assistant turns."""
    full = _render(tokenizer, messages, False)
    spans = []
    turns = [i for i, m in enumerate(messages) if m["role"] == "assistant"]
    for i in turns[-1:] if last_only else turns:
        before = _render(tokenizer, messages[:i], True)
        upto = _render(tokenizer, messages[: i + 1], False)
        if not (full.startswith(before) and full.startswith(upto) and len(upto) > len(before)):
            raise DataError(f"{where}: the tokenizer's chat template does not render conversation prefixes "
                            f"consistently, so assistant tokens cannot be located; use a standard chat template")
        spans.append((len(before), len(upto)))
    return full, spans


def _tokenise(tokenizer, texts: list[str], spans: list[list[tuple[int, int]]]) -> list[Sequence]:
    enc = tokenizer(texts, add_special_tokens=False, return_offsets_mapping=True)
    out = []
    for ids, offsets, sp in zip(enc["input_ids"], enc["offset_mapping"], spans, strict=True):
        starts = np.fromiter((o[0] for o in offsets), dtype=np.int64, count=len(offsets))
        ends = np.fromiter((o[1] for o in offsets), dtype=np.int64, count=len(offsets))
        mask = np.zeros(len(ids), dtype=bool)
        for a, b in sp:  # a token is trained if it lies inside an assistant span
            mask |= (starts >= a) & (ends <= b) & (ends > starts)
        out.append(Sequence(np.asarray(ids, dtype=np.int64), mask))
    return out


def encode_examples(tokenizer, examples: list[ChatExample], paradigm: Paradigm, seq_len: int,
                    min_response_tokens: int = 8, name: str = "") -> list[Encoded]:
    """Tokenise ``examples`` for ``paradigm``; drops (and logs) those with too few assistant tokens left."""
    texts: list[str] = []
    spans: list[list[tuple[int, int]]] = []
    per_example = 2 if paradigm == "dpo" else 1
    for ex in examples:
        where = f"set {name or ex.source!r}, example {ex.id!r}"
        if paradigm == "dpo":
            if ex.rejected is None:
                raise DataError(f"{where} has no rejected reply; DPO needs preference pairs")
            for final in (None, ex.rejected):
                t, s = _assistant_spans(tokenizer, ex.chat(final), True, where)
                texts.append(t)
                spans.append(s)
        else:
            t, s = _assistant_spans(tokenizer, ex.chat(), False, where)
            texts.append(t)
            spans.append(s)
    seqs = _tokenise(tokenizer, texts, spans) if texts else []
    out: list[Encoded] = []
    skipped = 0
    for k, ex in enumerate(examples):
        whole = seqs[k * per_example:(k + 1) * per_example]
        group = [s.crop(seq_len) for s in whole]
        if any(not s.mask.any() or (len(w) > seq_len and int(s.mask.sum()) < min_response_tokens)
               for s, w in zip(group, whole, strict=True)):
            skipped += 1
            continue
        out.append(Encoded(ex, tuple(group)))
    if skipped:
        log.info("set %s: skipped %d of %d examples too long for seq_len (< %d assistant tokens left in %d)",
                 name or "?", skipped, len(examples), min_response_tokens, seq_len)
    if examples and not out:
        raise DataError(f"set {name!r}: no example keeps {min_response_tokens} assistant tokens within seq_len "
                        f"{seq_len}; raise --seq-len")
    return out
