"""The steps shared by the task-arithmetic family (mergekit's ``GeneralizedTaskArithmeticMerge``).

Every method of the family is: trim each task vector (keep a subset of its entries), optionally rescale
it to its former L1 norm, weight it, optionally elect a sign per entry and drop disagreeing entries
(TIES), sum, optionally normalise by the summed weights, multiply by ``lambda`` and add to the base.
This module holds one implementation of each step, so methods differ only in how they trim.

Trimming is expressed as ``keep = lo <= key < hi`` on a per-entry *key* that does not depend on the
candidate: the rank of ``|delta|`` for magnitude trimming (TIES, Breadcrumbs), one draw of 2**16 levels per
entry for DARE, a draw shifted by the magnitude rank for DELLA. The knob (density, gamma, epsilon) only moves
the bounds, so a resident study stores the keys once and a new density costs one elementwise pass, with
exactly the entries a from-scratch merge keeps; an infinite bound (TIES's upper one, DARE's and DELLA's
lower one) is not tested. The L1 rescale of random drops needs each trimmed norm before the pass can write;
their integer keys make those norms a table lookup (``KeptL1``) instead of a first pass over the model.
Ties between equal magnitudes are broken by flat index (a stable sort); mergekit's unstable argsort picks
an arbitrary one of the tied entries.
"""

from __future__ import annotations

import functools
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import torch
from mixmerge.merge_core._kernels import FlatLayout, KernelOp, fused_call, record, rows_call, weighted_sum_into
from mixmerge.merge_core.methods._registry import MergeMethod, MethodParams, TensorInfo
from pydantic import Field, field_validator, model_validator

Tensor = torch.Tensor
log = logging.getLogger(__name__)

#: mergekit's ``rescaled_masked_tensor``: no rescale when either L1 norm is below this
L1_EPS = 1e-7
#: mergekit's task-arithmetic divisor guard: ``|sum of weights| < 1e-8`` divides by 1 instead
DIVISOR_EPS = 1e-8


# ----------------------------------------------------------------------------------------------- params
class TaskArithmeticParams(MethodParams):
    """``lambda`` scales the merged task vector; ``normalize`` divides it by the summed weights."""

    normalize: bool = False
    lambda_: float = Field(1.0, alias="lambda")

    @field_validator("lambda_")
    @classmethod
    def _finite_lambda(cls, value: float) -> float:
        if not math.isfinite(value):
            raise ValueError(f"lambda must be a finite number, got {value}")
        return value


class ConsensusParams(MethodParams):
    """``int8_mask`` only changes the dtype of mergekit's sign mask; accepted for recipe compatibility."""

    int8_mask: bool = False


class DensityParams(TaskArithmeticParams):
    """``density``: fraction of each task vector kept; ``rescale``: restore each trimmed vector's L1 norm."""

    density: float = 1.0
    rescale: bool = False

    @field_validator("density")
    @classmethod
    def _density_range(cls, value: float) -> float:
        if not 0.0 < value <= 1.0:
            raise ValueError(f"density must be in (0, 1], got {value}")
        return value


class GammaParams(DensityParams):
    """``gamma``: fraction of the largest-magnitude entries dropped as outliers (Breadcrumbs)."""

    gamma: float = 0.01

    @field_validator("gamma")
    @classmethod
    def _gamma_range(cls, value: float) -> float:
        if not 0.0 <= value < 1.0:
            raise ValueError(f"gamma must be in [0, 1), got {value}")
        return value


class EpsilonParams(DensityParams):
    """``epsilon``: keep probabilities spread over ``[density - epsilon, density + epsilon]`` by rank (DELLA)."""

    epsilon: float = 0.15

    @model_validator(mode="after")
    def _epsilon_range(self) -> EpsilonParams:
        if self.epsilon < 0:
            raise ValueError(f"epsilon must be >= 0, got {self.epsilon}")
        # mergekit checks this only when trimming happens (density < 1), and demands the open interval
        if self.density < 1.0 and not (0.0 <= self.density - self.epsilon and self.density + self.epsilon <= 1.0):
            raise ValueError(
                f"epsilon must keep density - epsilon and density + epsilon in [0, 1]; got density {self.density}, "
                f"epsilon {self.epsilon}: use epsilon <= {min(self.density, 1.0 - self.density):.6g}"
            )
        return self


# ---------------------------------------------------------------------------------- order statistics
def magnitude_ranks(delta: Tensor) -> Tensor:
    """Rank of every entry's ``|delta|`` in ascending order over the whole tensor (int32, 0 = smallest).

    A stable sort, so equal magnitudes rank by flat index: deterministic, unlike mergekit's argsort.
    """
    flat = delta.reshape(-1).abs()
    # non-negative float32 values order like their int32 bit patterns, and integer sorts are ~3x faster
    order = torch.sort(flat.view(torch.int32), stable=True).indices
    ranks = torch.empty(flat.numel(), dtype=torch.int32, device=delta.device)
    ranks[order] = torch.arange(flat.numel(), dtype=torch.int32, device=delta.device)
    return ranks.reshape(delta.shape)


#: a float32's magnitude as its int32 bit pattern (sign bit cleared): orders like ``|x|``, NaN above inf
ABS_BITS = 0x7FFFFFFF


class MagnitudeOrder:
    """A task vector's entries in ascending order of ``|delta|`` (ties by flat index): the magnitude-rank key
    of a study whose density is searched, in a form that is never streamed per candidate.

    With ``o = order[r]``, ``rank(e) >= r`` exactly when ``(|delta_e|, e) >= (|delta_o|, o)`` (magnitudes as the
    bit patterns the ranks are sorted by, NaN included). So a candidate's rank bound becomes, per tensor, one
    lookup of the entry at the cut (``cut``), and the merge pass tests each entry's own magnitude and flat
    index against it: it reads the deltas it reads anyway, where stored ranks were one more model-sized
    stream per expert. Same memory as the ranks (int32), and the inverse permutation is never built.
    """

    def __init__(self, delta: Tensor):
        self.delta = delta  # read at the cuts (it may be moved into a flat buffer later: never cached)
        flat = delta.reshape(-1).abs()
        self.order = torch.sort(flat.view(torch.int32), stable=True).indices.to(torch.int32)

    def cut(self, rank: int) -> tuple[int, int]:
        """``(magnitude bits, flat index)`` of the entry of ascending rank ``rank``; for ``rank >= n``, a cut
        above every entry."""
        n = self.order.numel()
        if rank >= n:
            return ABS_BITS, n
        index = int(self.order[rank])
        bits = int(self.delta.reshape(-1)[index:index + 1].view(torch.int32)) & ABS_BITS
        return bits, index


def magnitude_cut_keep(t: Tensor, lo: tuple[Tensor, Tensor], hi: tuple[Tensor, Tensor] | None, i: int) -> Tensor:
    """``lo <= rank < hi`` for expert ``i``'s entries of ``t`` (``(rows, cols)``, float32), from cut tables.

    ``lo`` and ``hi`` are ``(bits, index)`` tables of shape ``(rows, n)`` whose index is the cut entry's flat
    index minus the row's first (one row: its index in the tensor; a flat layout: its offset in the layout
    minus ``row * ROW``), so an entry compares its column: rows can be taken a few at a time. A side that is
    None is not tested (one of them is given).
    """
    bits = t.view(torch.int32) & ABS_BITS
    index = torch.arange(t.shape[1], device=t.device)
    keep = None
    if lo is not None:
        lo_bits, lo_index = lo[0][:, i:i + 1], lo[1][:, i:i + 1]
        keep = (bits > lo_bits) | ((bits == lo_bits) & (index >= lo_index))
    if hi is not None:
        hi_bits, hi_index = hi[0][:, i:i + 1], hi[1][:, i:i + 1]
        below = (bits < hi_bits) | ((bits == hi_bits) & (index < hi_index))
        keep = below if keep is None else keep & below
    return keep


# ------------------------------------------------------------------------------------- random draws
#: DARE's and DELLA's draws take one of 2**16 levels per entry (int32 0 .. 2**16 - 1): a keep probability is a
#: multiple of 2**-16, and a trimmed norm becomes a lookup in a table of 2**16 sums (``KeptL1``). (int32, not
#: int16: inductor's C++ loops vectorise int32 loads and fall back to scalar code for int16, 6x slower here.)
DRAW_LEVELS = 1 << 16
_LOW16 = 0xFFFF


def draw_levels(uniform: Tensor) -> Tensor:
    """``floor(u * 2**16)`` as int32 for draws ``u`` in [0, 1) (exact: float32 draws are multiples of 2**-24)."""
    return (uniform * DRAW_LEVELS).to(torch.int32)


def expert_levels(info: TensorInfo, index: int, delta: Tensor) -> Tensor:
    """Expert ``index``'s draw levels for the entries of ``delta``: drawn on the CPU (``TensorInfo.uniform``, the
    same numbers on every device), then moved to ``delta``'s device."""
    return draw_levels(info.uniform(index, delta.shape)).to(delta.device)


def level_bounds(probability: float) -> Bounds:
    """Keep where ``level < ceil(p * 2**16)``, i.e. with probability ``p`` rounded up to a multiple of 2**-16;
    keep all when that reaches every level."""
    threshold = math.ceil(probability * DRAW_LEVELS)
    return KEEP_ALL if threshold >= DRAW_LEVELS else (-math.inf, threshold)


def row_ranks(delta: Tensor) -> tuple[Tensor, int]:
    """DELLA's rank of ``|delta|`` within each row (dim 1; a vector is one row), int32, and the denominator that
    scales ranks to [0, 1] (``cols - 1``).

    A row of one entry has no spread of ranks; it gets rank 1 of 2, so keep probability = density, where
    mergekit divides 0 by 0 and fails. Rows longer than 2**16 have their ranks scaled down to 0 .. 2**16 - 1
    (denominator 2**16 - 1), so a rank packs into 16 bits beside its level (``pack_draws``).
    """
    work = delta.reshape(1, -1) if delta.dim() < 2 else delta
    ncols = work.shape[1]
    if ncols <= 1:
        return torch.ones(delta.shape, dtype=torch.int32, device=delta.device), 2
    order = torch.sort(work.abs(), dim=1, stable=True).indices
    shape = [1] * work.dim()
    shape[1] = ncols
    positions = torch.arange(ncols, device=delta.device).reshape(shape).expand_as(order)
    ranks = torch.empty_like(order).scatter_(1, order, positions)
    denominator = ncols - 1
    if denominator >= DRAW_LEVELS:
        ranks = ranks * (DRAW_LEVELS - 1) // denominator
        denominator = DRAW_LEVELS - 1
    return ranks.to(torch.int32).reshape(delta.shape), denominator


def della_step(epsilon: float, denominator: int) -> float:
    """Levels added to the keep threshold per rank step: ``2 epsilon 2**16 / denominator``, rounded to float32
    (the from-scratch merge and the fused passes multiply by the same float32)."""
    return float(torch.tensor(2.0 * epsilon * DRAW_LEVELS / denominator, dtype=torch.float32))


def della_key(levels: Tensor, ranks: Tensor, step: Tensor | float) -> Tensor:
    """DELLA keeps an entry when ``level < ceil((density - eps) 2**16) + floor(rank * step)``: the key is the left
    side minus the rank term, float32 holding exact integers (the fused passes compute the same expression)."""
    return levels.to(torch.float32) - torch.floor(ranks.to(torch.float32) * step)


def pack_draws(levels: Tensor, ranks: Tensor) -> Tensor:
    """``rank << 16 | level`` in one int32 per entry: DELLA with epsilon searched streams one key, not two."""
    return (ranks << 16) | levels


def packed_della_key(packed: Tensor, step: Tensor | float) -> Tensor:
    """``della_key`` of the level and rank that ``pack_draws`` packed."""
    return della_key(packed & _LOW16, (packed >> 16) & _LOW16, step)


@dataclass
class KeptL1:
    """Sums of ``|delta|`` by integer key, accumulated in key order: with ``keep = key < hi`` the trimmed L1
    norm is one lookup, so a candidate with a searched density needs no pass that reads the model first.

    ``sums[i, j]`` is the summed ``|delta_i|`` of the entries whose key is below ``low + j`` (float64 sums
    stored as float32, so within float32 rounding of the norm a from-scratch merge computes).
    """

    low: int
    sums: Tensor  # (n experts, keys spanned + 1) float32

    @classmethod
    def build(cls, deltas: Sequence[Tensor], keys: Sequence[Tensor]) -> KeptL1:
        low = min(int(k.min()) for k in keys)
        span = max(int(k.max()) for k in keys) - low + 1
        rows = []
        for d, k in zip(deltas, keys, strict=True):
            counts = torch.bincount((k.reshape(-1).to(torch.int64) - low), weights=d.reshape(-1).abs().double(),
                                    minlength=span)
            rows.append(torch.cat([counts.new_zeros(1), counts.cumsum(0)]))
        return cls(low=low, sums=torch.stack(rows).to(torch.float32))

    def below(self, hi: float) -> Tensor:
        """``(n,)`` trimmed L1 norms for the bound ``key < hi``."""
        j = min(max(int(hi) - self.low, 0), self.sums.shape[1] - 1)
        return self.sums[:, j]


# ------------------------------------------------------------------------------------------- bounds
#: ``(lo, hi)``: keep where ``lo <= key < hi``; ints for rank keys (exact beyond 2**24), floats for draws; an
#: infinite bound holds for every key and is not tested
Bounds = tuple[float, float]
KEEP_ALL: Bounds = (-math.inf, math.inf)


def top_k_bounds(numel: int, density: float) -> Bounds:
    """Magnitude trimming (TIES): the ``max(1, int(density * n))`` largest, i.e. ascending ranks from ``n - k``
    (every rank is below ``n``, so there is no upper bound to test)."""
    if density >= 1.0:
        return KEEP_ALL
    k = max(1, int(density * numel))
    return numel - k, math.inf


def outlier_bounds(numel: int, density: float, gamma: float) -> Bounds:
    """Breadcrumbs: drop the ``int(gamma * n)`` largest, then the smallest, keeping ``int(density * n)``.

    The drop of outliers shrinks when density + gamma > 1 (as in mergekit). Unlike mergekit, a positive
    density keeps at least one entry (mergekit keeps none when ``density * n < 1``, zeroing small tensors'
    task vectors such as a norm's; its own magnitude trimming keeps one).
    """
    if density >= 1.0:
        return KEEP_ALL
    target = max(1, int(density * numel)) if numel else 0
    n_top = int(gamma * numel)
    n_bot = max(0, numel - target - n_top)
    return n_bot, n_bot + target


def keep_mask(key: Tensor, bounds: Bounds) -> Tensor:
    """``lo <= key < hi`` elementwise (bool), without the test of an infinite bound."""
    lo, hi = bounds
    if lo == -math.inf:
        return key < hi
    if hi == math.inf:
        return key >= lo
    return (key >= lo) & (key < hi)


# ------------------------------------------------------------------------------------------- rescale
def rescale_factor(l1_before: Tensor | float, l1_after: Tensor | float) -> float:
    """mergekit's L1 rescale: ``|delta|_1 / |trimmed|_1``, or 1 when either is below ``L1_EPS``.

    (DARE and DELLA papers rescale each kept entry by 1/p; mergekit, followed here, matches L1 norms.)
    """
    before = torch.as_tensor(l1_before, dtype=torch.float32)
    after = torch.as_tensor(l1_after, dtype=torch.float32)
    if before < L1_EPS or after < L1_EPS:
        return 1.0
    return float(before / after)


def l1(delta: Tensor) -> Tensor:
    return delta.abs().sum()


def trim(delta: Tensor, key: Tensor | None, bounds: Bounds, rescale: bool) -> Tensor:
    """The trimmed (and, with ``rescale``, L1-rescaled) task vector, float32; ``delta`` itself when lossless."""
    if key is None or bounds == KEEP_ALL:
        return delta
    trimmed = delta * keep_mask(key, bounds)
    if rescale:
        trimmed.mul_(rescale_factor(l1(delta), l1(trimmed)))
    return trimmed


# ------------------------------------------------------------------------------ sign election and sum
def reference_sum(base: Tensor, terms: Sequence[Tensor], weights: Sequence[float], lam: float,
                  normalize: bool, consensus: bool) -> Tensor:
    """mergekit's formula, written plainly: the reference that the fused per-candidate kernel must match.

    ``w_i t_i`` are summed; with ``consensus`` (TIES) only entries whose sign agrees with the sign of that
    sum (>= 0 counts as +) are kept, and the normaliser is the sum of the kept entries' weights.
    """
    w = torch.tensor(list(weights), dtype=torch.float32, device=base.device).reshape(-1, *([1] * base.dim()))
    weighted = torch.stack(list(terms)) * w
    if consensus:
        majority = (weighted.sum(dim=0) >= 0).to(torch.float32) * 2 - 1
        agree = weighted.sign() == majority
        mixed = (weighted * agree).sum(dim=0)
        divisor = (w * agree).sum(dim=0)
        divisor[divisor == 0] = 1
    else:
        mixed = weighted.sum(dim=0)
        divisor = w.sum(dim=0)
        divisor[divisor.abs() < DIVISOR_EPS] = 1
    if normalize:
        mixed = mixed / divisor
    return base + mixed * lam


def _keep(key: Tensor, lo: Tensor | None, hi: Tensor | None, i: int) -> Tensor:
    """``lo <= key < hi`` with expert ``i``'s bounds; a ``None`` table is an infinite bound, not tested."""
    if lo is None:
        return key < hi[:, i:i + 1]
    if hi is None:
        return key >= lo[:, i:i + 1]
    return (key >= lo[:, i:i + 1]) & (key < hi[:, i:i + 1])


def _combine_kernel(out: Tensor, base: Tensor, terms: list[Tensor], keys: list[Tensor] | None,
                    packed: bool, step: Tensor, lo: Any, hi: Any,
                    scales: Tensor, weights: Tensor, lam: Tensor, normalize: bool, consensus: bool,
                    by_magnitude: bool = False) -> None:
    """One elementwise pass: trim (``lo <= key < hi``), rescale, weight, elect signs, sum, write ``out``.

    Operands are ``(rows, cols)``; ``lo``, ``hi``, ``scales``, ``weights`` are ``(rows, n)`` tables and
    ``step``, ``lam`` ``(rows, 1)``, broadcast along each row: one row for one tensor, or one row per
    ``ROW`` entries of a flat layout (``lo`` or ``hi`` None: that bound is infinite). ``by_magnitude``: no
    keys; ``lo`` and ``hi`` are magnitude cuts (``magnitude_cut_keep``) tested on the terms themselves. Plain
    tensor expressions, so ``torch.compile`` fuses them into one loop. Without consensus, ``weights`` already
    hold ``w_i * lambda / divisor``.
    """
    acc = None
    total = None
    weighted = []
    for i, t in enumerate(terms):
        if by_magnitude:
            t = torch.where(magnitude_cut_keep(t, lo, hi, i), t, 0.0) * scales[:, i:i + 1]
        elif keys is not None:
            t = torch.where(_keep(_key(keys, packed, step, i), lo, hi, i), t, 0.0) * scales[:, i:i + 1]
        wt = t * weights[:, i:i + 1]
        if consensus:
            weighted.append(wt)
            total = wt if total is None else total + wt
        else:
            acc = wt if acc is None else acc + wt
    if consensus:
        positive = total >= 0
        den = None
        for i, wt in enumerate(weighted):
            agree = torch.where(positive, wt > 0, wt < 0)
            kept = torch.where(agree, wt, 0.0)
            acc = kept if acc is None else acc + kept
            if normalize:
                wk = torch.where(agree, weights[:, i:i + 1], 0.0)
                den = wk if den is None else den + wk
        if normalize:
            acc = acc / torch.where(den == 0, 1.0, den)
        acc = acc * lam
    out.copy_(base + acc)


def _key(keys: list[Tensor], packed: bool, step: Tensor, i: int) -> Tensor:
    """Expert ``i``'s key; DELLA with epsilon searched builds it on the fly from packed levels and ranks."""
    return packed_della_key(keys[i], step) if packed else keys[i]


def _trimmed_l1_kernel(deltas: list[Tensor], keys: list[Tensor] | None, packed: bool, step: Tensor, lo: Any,
                       hi: Any, by_magnitude: bool = False) -> Tensor:
    """``|delta_i * keep_i|_1`` per row and expert, ``(rows, n)``: one read of each delta and key, no tensor
    written. Operands and tables as in ``_combine_kernel``."""
    sums = []
    for i, d in enumerate(deltas):
        if by_magnitude:
            keep = magnitude_cut_keep(d, lo, hi, i)
        else:
            keep = _keep(_key(keys, packed, step, i), lo, hi, i)
        sums.append(torch.where(keep, d.abs(), 0.0).sum(dim=1))
    return torch.stack(sums, dim=1)


def rescale_factors(l1_before: Tensor, l1_after: Tensor) -> Tensor:
    """``rescale_factor`` elementwise on float32 tables of norms."""
    before, after = l1_before.float(), l1_after.float()
    return torch.where((before < L1_EPS) | (after < L1_EPS), torch.ones_like(before), before / after)


def _rows(t: Tensor) -> Tensor:
    return t.reshape(1, -1)


class CombineOp(KernelOp):
    """A recorded ``combine_into`` that is not a plain weighted sum: TIES sign election, or trimming by stored
    keys with a searched knob (with the L1 rescale when asked, which needs the trimmed norms first).

    Streams: ``base``, the ``n`` terms, then the ``n`` keys when present. ``step`` (not None): the keys are
    DELLA's packed levels and ranks, and the key is built per candidate with that step.
    """

    def __init__(self, out: Tensor, base: Tensor, terms: Sequence[Tensor], weights: Sequence[float], lam: float,
                 normalize: bool, consensus: bool, keys: Sequence[Tensor] | None, bounds: Bounds,
                 l1_before: Tensor | None, step: float | None = None, kept_l1: KeptL1 | None = None):
        self.out, self.base, self.terms = out, base, list(terms)
        self.weights, self.lam = [float(w) for w in weights], float(lam)
        self.normalize, self.consensus = bool(normalize), bool(consensus)
        # magnitude orders are not streamed: the candidate's bounds become cuts tested on the terms
        self.orders = list(keys) if keys is not None and isinstance(keys[0], MagnitudeOrder) else None
        self.keys = None if keys is None or self.orders is not None else list(keys)
        self.packed = step is not None and self.keys is not None
        self.bounds = bounds
        self.l1_before = None if keys is None else l1_before
        self.kept_l1 = None if self.l1_before is None or not math.isinf(bounds[0]) else kept_l1
        self.step = float(step) if self.packed else 0.0

    def streams(self) -> list[Tensor]:
        return [self.base, *self.terms, *(self.keys or [])]

    def signature(self) -> tuple:
        return ("gta", len(self.terms), self.normalize, self.consensus, None if self.keys is None else
                self.keys[0].dtype, self.orders is not None, self.packed, self.l1_before is not None,
                self.kept_l1 is not None, self._infinite())

    def _infinite(self) -> tuple[bool, bool]:
        """Which of ``lo``, ``hi`` is infinite (not tested); both without keys."""
        return math.isinf(self.bounds[0]), math.isinf(self.bounds[1])

    @staticmethod
    def _tables(ops: Sequence[CombineOp], device: torch.device) -> dict[str, Tensor | None]:
        """Per-op scalars as ``(len(ops), k)`` tables; ``lo`` or ``hi`` is None where that bound is infinite."""
        first = ops[0]
        n = len(first.terms)
        # keys built per candidate (DELLA with epsilon searched) are float32
        key_dtype = first.keys[0].dtype if first.keys is not None and not first.packed else torch.float32
        table_dtype = key_dtype if not key_dtype.is_floating_point else torch.float32

        def bound(side: int) -> Tensor | None:
            if first._infinite()[side]:
                return None
            column = torch.tensor([[op.bounds[side]] for op in ops], dtype=torch.float64)
            return column.to(table_dtype).expand(-1, n).contiguous().to(device)

        return {
            "weights": torch.tensor([op.weights for op in ops], dtype=torch.float32, device=device),
            "lam": torch.tensor([[op.lam] for op in ops], dtype=torch.float32, device=device),
            "step": torch.tensor([[op.step] for op in ops], dtype=torch.float32, device=device),
            "lo": bound(0),
            "hi": bound(1),
        }

    @staticmethod
    def _cuts(ops: Sequence[CombineOp], device: torch.device, offsets: Sequence[int]) -> tuple[Any, Any]:
        """Each op's rank bounds as magnitude cuts per expert, ``(bits, flat index + the op's offset)`` tables
        of shape ``(len(ops), n)``, for ``lo`` and ``hi`` (None where that bound is infinite)."""
        sides = []
        for side, infinite in enumerate(ops[0]._infinite()):
            if infinite:
                sides.append(None)
                continue
            cuts = [[order.cut(int(op.bounds[side])) for order in op.orders] for op in ops]
            bits = torch.tensor([[c[0] for c in row] for row in cuts], dtype=torch.int32, device=device)
            index = torch.tensor([[c[1] + offset for c in row] for row, offset in zip(cuts, offsets, strict=True)],
                                 dtype=torch.int64, device=device)
            sides.append((bits, index))
        return sides[0], sides[1]

    def run(self) -> None:
        target = self.out if self.out.is_contiguous() else torch.empty_like(self.out)
        tab = self._tables([self], self.out.device)
        by_magnitude = self.orders is not None
        if by_magnitude:
            tab["lo"], tab["hi"] = self._cuts([self], self.out.device, [0])
        terms = [_rows(t) for t in self.terms]
        keys = None if self.keys is None else [_rows(k) for k in self.keys]
        numel = self.out.numel()
        scales = torch.ones_like(tab["weights"])
        if self.kept_l1 is not None:
            scales = rescale_factors(self.l1_before, self.kept_l1.below(self.bounds[1])).reshape(1, -1).to(
                tab["weights"].device)
        elif self.l1_before is not None:
            after = fused_call(_trimmed_l1_kernel, numel, terms, keys, self.packed, tab["step"], tab["lo"],
                               tab["hi"], by_magnitude)
            scales = rescale_factors(self.l1_before.reshape(1, -1).to(after.device), after)
        fused_call(_combine_kernel, numel, _rows(target), _rows(self.base), terms, keys, self.packed,
                   tab["step"], tab["lo"], tab["hi"], scales, tab["weights"], tab["lam"], self.normalize,
                   self.consensus, by_magnitude)
        if target is not self.out:
            self.out.copy_(target)

    @classmethod
    def run_flat(cls, ops: Sequence[CombineOp], layout: FlatLayout, out: Tensor, streams: Sequence[Tensor]) -> None:
        first = ops[0]
        n = len(first.terms)
        base, terms = streams[0], list(streams[1:1 + n])
        keys = None if first.keys is None else list(streams[1 + n:1 + 2 * n])
        tab = {k: None if v is None else layout.per_row(v) for k, v in cls._tables(ops, out.device).items()}
        by_magnitude = first.orders is not None
        if by_magnitude:
            cuts = cls._cuts(ops, out.device, [layout.offset(i) for i in range(len(ops))])
            row_starts = (torch.arange(layout.n_rows, device=out.device) * layout.row).unsqueeze(1)
            tab["lo"], tab["hi"] = (None if c is None else (layout.per_row(c[0]), layout.per_row(c[1]) - row_starts)
                                    for c in cuts)
        scales = torch.ones_like(tab["weights"])
        if first.kept_l1 is not None:
            before = torch.stack([op.l1_before for op in ops])
            after = torch.stack([op.kept_l1.below(op.bounds[1]) for op in ops])
            scales = layout.per_row(rescale_factors(before, after).to(out.device))
        elif first.l1_before is not None:
            per_row = rows_call(_trimmed_l1_kernel, layout, terms, keys, first.packed, tab["step"],
                                tab["lo"], tab["hi"], by_magnitude)
            after = layout.per_tensor_sums(per_row)
            before = torch.stack([op.l1_before for op in ops]).to(after.device)
            scales = layout.per_row(rescale_factors(before, after))
        rows_call(_combine_kernel, layout, out, base, terms, keys, first.packed, tab["step"], tab["lo"],
                  tab["hi"], scales, tab["weights"], tab["lam"], first.normalize, first.consensus, by_magnitude)


@functools.lru_cache(maxsize=256)
def float32_sum(values: tuple[float, ...]) -> float:
    """``sum(values)`` as torch sums them in float32; cached, as every tensor of a candidate asks for the same."""
    return float(torch.tensor(values, dtype=torch.float32).sum())


def combine_into(out: Tensor, base: Tensor, terms: Sequence[Tensor], weights: Sequence[float], lam: float,
                 normalize: bool, consensus: bool, keys: Sequence[Tensor] | None = None,
                 bounds: Bounds | None = None, l1_before: Tensor | None = None,
                 step: float | None = None, kept_l1: KeptL1 | None = None) -> None:
    """Per candidate: ``out = base + merged`` from trimmed terms, or from raw deltas plus keys and bounds.

    ``l1_before`` (the untrimmed L1 norm of each term, shape ``(n,)``) asks for the L1 rescale of trimmed
    terms. Without consensus and without keys this is ``weighted_sum_into`` (the memory floor). Otherwise one
    fused pass; two with the rescale (the trimmed norms first) unless ``kept_l1`` has them. Inside
    ``recording`` it is recorded instead.
    """
    if keys is None or bounds is None or bounds == KEEP_ALL:
        keys, bounds = None, KEEP_ALL
    if not consensus:
        divisor = float32_sum(tuple(float(w) for w in weights))
        divisor = divisor if (normalize and abs(divisor) >= DIVISOR_EPS) else 1.0
        weights = [float(w) * lam / divisor for w in weights]
        if keys is None:
            weighted_sum_into(out, base, list(terms), weights)
            return
    op = CombineOp(out, base, terms, weights, lam, normalize, consensus, keys, bounds, l1_before, step, kept_l1)
    if not record(op):
        op.run()


# --------------------------------------------------------------------------------- the method family
@dataclass
class PreparedTaskArithmetic:
    """Per-study state: trimmed terms when no trimming knob is searched, else raw deltas and their keys."""

    fixed: dict[str, Any]
    terms: list[Tensor]
    keys: list[Tensor] | None = None
    l1_before: Tensor | None = None  # (n,) untrimmed L1 norms, when rescaling trimmed terms
    kept_l1: KeptL1 | None = None  # trimmed norms by key (random drops with the rescale)
    packed_draws: list[Tensor] | None = None  # DELLA with epsilon searched: levels and ranks (``pack_draws``)
    rank_denominator: int = 1


class GeneralizedTaskArithmetic(MergeMethod):
    """Base of the family: ``base + lambda * sum_i w_i trim(delta_i) [/ sum_i w_i]``, optionally with TIES.

    Subclasses choose ``consensus`` and a trimming rule (``key``/``bounds``); ``trim_knobs`` are the
    parameters the trimming depends on.
    """

    Params: ClassVar[type[MethodParams]] = TaskArithmeticParams
    consensus: ClassVar[bool] = False
    trim_knobs: ClassVar[frozenset[str]] = frozenset()
    searchable = frozenset({"lambda"})
    #: knobs baked into a prepared key (DELLA's epsilon); searching them rebuilds keys per candidate
    key_knobs: ClassVar[frozenset[str]] = frozenset()
    #: integer keys kept below a bound (random drops): the trimmed norms of a rescale are a table lookup
    draws: ClassVar[bool] = False

    # -- trimming rule (overridden by trimming methods)
    def key(self, delta: Tensor, params: MethodParams, info: TensorInfo, index: int) -> Tensor | None:
        """Per-entry key of expert ``index``; None when the method does not trim."""
        return None

    def bounds(self, numel: int, params: MethodParams) -> Bounds:
        return KEEP_ALL

    # -- the contract
    def _validate(self, base: Tensor, deltas: Sequence[Tensor], weights: Sequence[float] | None,
                  info: TensorInfo) -> None:
        self.check(len(deltas), MethodParams())
        for i, d in enumerate(deltas):
            if d.shape != base.shape:
                raise ValueError(f"tensor {info.name!r}: delta {i} has shape {tuple(d.shape)}, base has "
                                 f"{tuple(base.shape)}")
        if weights is not None and len(weights) != len(deltas):
            raise ValueError(f"tensor {info.name!r}: {len(weights)} weights for {len(deltas)} experts")

    def merge(self, base: Tensor, deltas: Sequence[Tensor], weights: Sequence[float], params: MethodParams,
              info: TensorInfo) -> Tensor:
        self._validate(base, deltas, weights, info)
        bounds = self.bounds(base.numel(), params)
        rescale = bool(getattr(params, "rescale", False))
        terms = []
        for i, d in enumerate(deltas):
            d = d.float()
            key = None if bounds == KEEP_ALL else self.key(d, params, info, i)
            terms.append(trim(d, key, bounds, rescale))
        return reference_sum(base.float(), terms, weights, params.lambda_, params.normalize, self.consensus)

    def prepare(self, base: Tensor, deltas: Sequence[Tensor], params: MethodParams, searched: frozenset[str],
                info: TensorInfo) -> PreparedTaskArithmetic:
        self._validate(base, deltas, None, info)
        unknown = set(searched) - self.searchable
        if unknown:
            raise ValueError(f"merge method {self.name!r} cannot search {sorted(unknown)}; searchable: "
                             f"{sorted(self.searchable)}")
        deltas = [d.float() for d in deltas]
        trim_searched = bool(set(searched) & self.trim_knobs)
        fixed = {k: getattr(params, k) for k in self.trim_knobs if k not in searched}
        if hasattr(params, "rescale"):
            fixed["rescale"] = params.rescale
        if not trim_searched:
            bounds = self.bounds(base.numel(), params)
            rescale = bool(getattr(params, "rescale", False))
            terms = [trim(d, None if bounds == KEEP_ALL else self.key(d, params, info, i), bounds, rescale)
                     for i, d in enumerate(deltas)]
            return PreparedTaskArithmetic(fixed=fixed, terms=terms)
        state = PreparedTaskArithmetic(fixed=fixed, terms=deltas,
                                       l1_before=torch.stack([l1(d) for d in deltas]) if fixed.get("rescale") else None)
        if set(searched) & self.key_knobs:
            ranked = [row_ranks(d) for d in deltas]
            state.packed_draws = [pack_draws(expert_levels(info, i, d), ranks)
                                  for i, (d, (ranks, _)) in enumerate(zip(deltas, ranked, strict=True))]
            state.rank_denominator = ranked[0][1]
        else:
            state.keys = [self.searched_key(d, params, info, i) for i, d in enumerate(deltas)]
            if self.draws and state.l1_before is not None:
                state.kept_l1 = KeptL1.build(deltas, state.keys)
        return state

    def searched_key(self, delta: Tensor, params: MethodParams, info: TensorInfo, index: int) -> Any:
        """The key a study with a searched trimming knob keeps (default: ``key``'s tensor, streamed per
        candidate)."""
        return self.key(delta, params, info, index)

    def combine(self, state: PreparedTaskArithmetic, base: Tensor, weights: Sequence[float],
                params: MethodParams, out: Tensor) -> None:
        if len(weights) != len(state.terms):
            raise ValueError(f"{len(weights)} weights for {len(state.terms)} experts")
        for name, value in state.fixed.items():
            if getattr(params, name) != value:
                raise ValueError(f"{name} was fixed at {value} when prepared but is {getattr(params, name)} "
                                 f"now; list it as searched to vary it")
        lam, normalize = params.lambda_, params.normalize
        if state.keys is None and state.packed_draws is None:
            combine_into(out, base, state.terms, weights, lam, normalize, self.consensus)
            return
        bounds = self.bounds(base.numel(), params)
        if bounds == KEEP_ALL:
            combine_into(out, base, state.terms, weights, lam, normalize, self.consensus)
            return
        # DELLA with epsilon searched: keys are level - floor(rank * step), built inside the fused passes
        keys, step = state.keys, None
        if keys is None:
            keys, step = state.packed_draws, della_step(params.epsilon, state.rank_denominator)
        combine_into(out, base, state.terms, weights, lam, normalize, self.consensus, keys=keys, bounds=bounds,
                     l1_before=state.l1_before, step=step, kept_l1=state.kept_l1)


class MagnitudeRankKey:
    """Mixin: the key is the ascending rank of ``|delta|`` (deterministic); with the density searched, the
    ascending order itself (``MagnitudeOrder``), so that candidates test magnitudes instead of reading ranks."""

    def key(self, delta: Tensor, params: MethodParams, info: TensorInfo, index: int) -> Tensor:
        return magnitude_ranks(delta)

    def searched_key(self, delta: Tensor, params: MethodParams, info: TensorInfo, index: int) -> MagnitudeOrder:
        return MagnitudeOrder(delta)


class UniformKey:
    """Mixin: the key is one draw of 2**16 levels per entry (``draw_levels`` of ``info.uniform``), kept below
    ``density`` (DARE)."""

    draws = True

    def key(self, delta: Tensor, params: MethodParams, info: TensorInfo, index: int) -> Tensor:
        return expert_levels(info, index, delta)

    def bounds(self, numel: int, params: MethodParams) -> Bounds:
        return KEEP_ALL if params.density >= 1.0 else level_bounds(params.density)


class DellaKey:
    """Mixin: DELLA's key ``level - floor(rank * step)`` (int32) below ``density - epsilon`` in levels."""

    draws = True
    key_knobs = frozenset({"epsilon"})

    def key(self, delta: Tensor, params: MethodParams, info: TensorInfo, index: int) -> Tensor:
        ranks, denominator = row_ranks(delta)
        step = della_step(params.epsilon, denominator)
        return della_key(expert_levels(info, index, delta), ranks, step).to(torch.int32)

    def bounds(self, numel: int, params: MethodParams) -> Bounds:
        return KEEP_ALL if params.density >= 1.0 else level_bounds(params.density - params.epsilon)
