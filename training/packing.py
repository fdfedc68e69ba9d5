"""Packing the token stream into fixed-shape batches: several whole sequences per row, no cross-talk.

Why packing instead of padding each example to the longest in its batch: chat examples vary from ~40 to
``seq_len`` tokens, so padded batches would spend much of their compute on padding. Each row of a batch holds
several sequences back to back; ``position_ids`` restart at 0 for every sequence, which transformers turns
into a block-diagonal causal mask (``masking_utils.find_packed_sequence_indices``), so a sequence never
attends to its neighbours. The unused tail of a row is padding: it forms its own block, is never trained on,
and is **not** counted as forwarded tokens (``Batch.tokens`` counts real tokens only; ``Batch.padding``
reports the rest).

Sequences are placed first-fit, in stream order, into the ``batch_size`` rows of the current batch; when the
next example (for DPO: both sides of the pair, which must share a batch) does not fit, the batch is closed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from mixmerge.training.encode import Encoded, Sequence
from mixmerge.training.sampler import Draw


@dataclass
class Batch:
    """One optimizer step's input, and where its trained tokens and sequences are."""

    input_ids: torch.Tensor  # long [rows, seq_len]
    position_ids: torch.Tensor  # long [rows, seq_len]
    #: prediction positions (row, col) whose next token is trained, and that next token
    pred_rows: torch.Tensor  # long [n_pred]
    pred_cols: torch.Tensor  # long [n_pred]
    targets: torch.Tensor  # long [n_pred]
    pred_seq: torch.Tensor  # long [n_pred]: which sequence of this batch each prediction belongs to
    n_seqs: int
    tokens: int  # real (non-padding) tokens forwarded
    padding: int  # padding slots forwarded
    tokens_per_set: dict[str, int]
    draws: list[Draw]
    #: [n_pairs, 2] sequence indices (chosen, rejected) of the complete DPO pairs in this batch
    pairs: torch.Tensor

    @property
    def n_pred(self) -> int:
        return int(self.targets.shape[0])


def _crop_unit(enc: Encoded, tokens: int) -> list[Sequence]:
    """The sequences of an example cut to ``tokens`` in total (only the final example of a run is cut).

    A cut pair keeps its chosen side first, then what the budget leaves of the rejected side.
    """
    if tokens >= enc.tokens:
        return list(enc.seqs)
    first = min(len(enc.seqs[0]), tokens)
    out = [enc.seqs[0].crop(first)]
    if len(enc.seqs) > 1 and tokens > first:
        out.append(enc.seqs[1].crop(tokens - first))
    return out


class _Builder:
    def __init__(self, rows: int, seq_len: int, pad_id: int):
        self.rows, self.seq_len, self.pad_id = rows, seq_len, pad_id
        self.reset()

    def reset(self) -> None:
        self.fill = [0] * self.rows
        self.placed: list[tuple[int, int, Sequence]] = []  # row, start, sequence
        self.draws: list[Draw] = []
        self.pairs: list[tuple[int, int]] = []  # (chosen, rejected) indices into placed

    def fits(self, seqs: list[Sequence]) -> list[tuple[int, int]] | None:
        fill = list(self.fill)
        where = []
        for s in seqs:
            row = next((r for r in range(self.rows) if fill[r] + len(s) <= self.seq_len), None)
            if row is None:
                return None
            where.append((row, fill[row]))
            fill[row] += len(s)
        return where

    def add(self, seqs: list[Sequence], where: list[tuple[int, int]], draw: Draw, paired: bool) -> None:
        first = len(self.placed)
        for s, (row, start) in zip(seqs, where, strict=True):
            self.fill[row] = start + len(s)
            self.placed.append((row, start, s))
        self.draws.append(draw)
        if paired:
            self.pairs.append((first, first + 1))

    def build(self) -> Batch:
        ids = np.full((self.rows, self.seq_len), self.pad_id, dtype=np.int64)
        pos = np.zeros((self.rows, self.seq_len), dtype=np.int64)
        pr, pc, tg, ps = [], [], [], []
        tokens = 0
        for k, (row, start, s) in enumerate(self.placed):
            n = len(s)
            ids[row, start:start + n] = s.ids
            pos[row, start:start + n] = np.arange(n)
            tokens += n
            trained = np.nonzero(s.mask[1:])[0]  # token t+1 trained -> predicted at position t
            pr.append(np.full(trained.shape, row))
            pc.append(start + trained)
            tg.append(s.ids[trained + 1])
            ps.append(np.full(trained.shape, k))
        for row in range(self.rows):  # the padding tail is its own block: positions restart at 0
            tail = self.seq_len - self.fill[row]
            pos[row, self.fill[row]:] = np.arange(tail)
        per_set: dict[str, int] = {}
        for d in self.draws:
            per_set[d.set] = per_set.get(d.set, 0) + d.tokens

        def cat(parts: list[np.ndarray]) -> torch.Tensor:
            if not parts:
                return torch.zeros(0, dtype=torch.long)
            return torch.from_numpy(np.concatenate(parts).astype(np.int64))

        return Batch(torch.from_numpy(ids), torch.from_numpy(pos), cat(pr), cat(pc), cat(tg), cat(ps),
                     n_seqs=len(self.placed), tokens=tokens, padding=self.rows * self.seq_len - tokens,
                     tokens_per_set=per_set, draws=list(self.draws),
                     pairs=torch.tensor(self.pairs, dtype=torch.long).reshape(-1, 2))


def pack(draws: list[Draw], encoded: dict[str, list[Encoded]], seq_len: int, batch_size: int, pad_id: int
         ) -> list[Batch]:
    """Lay the stream out in batches of ``batch_size`` rows x ``seq_len`` slots, in stream order.

    For DPO examples (two sequences), ``Batch.pairs`` lists (chosen, rejected) sequence indices; the final
    example of a run, if cut to fit the budget, is forwarded and counted but forms no pair.
    """
    builder = _Builder(batch_size, seq_len, pad_id)
    batches: list[Batch] = []
    for d in draws:
        enc = encoded[d.set][d.index]
        if enc.tokens != d.full:
            raise ValueError(f"stream and encoded examples disagree on the length of {d.set}[{d.index}]")
        seqs = _crop_unit(enc, d.tokens)
        paired = len(enc.seqs) == 2 and d.tokens == d.full
        where = builder.fits(seqs)
        if where is None:
            batches.append(builder.build())
            builder.reset()
            where = builder.fits(seqs)
            if where is None:
                raise ValueError(f"example {d.set}[{d.index}] ({[len(s) for s in seqs]} tokens) cannot fit in "
                                 f"{batch_size} rows of {seq_len}; DPO needs batch_size >= 2")
        builder.add(seqs, where, d, paired)
    if builder.draws:
        batches.append(builder.build())
    return batches
