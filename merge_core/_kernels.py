"""Memory-bound kernels for the per-candidate step of resident merges, per tensor or over a flat layout.

A resident merge is mostly ``out = base + sum_i c_i * t_i``. Reading ``base`` and every ``t_i`` once and
writing ``out`` once is the floor; eager ``add_`` calls stream ``out`` through memory once per term. The sum
is one fused loop made by ``torch.compile`` (inductor, C++ on the CPU); coefficients travel as tensors so a
new candidate never recompiles. Small tensors, or machines where compiling fails, use the eager loop.
Accumulation is float32 whatever the dtype of ``out``.

Calling the fused loop once per tensor is not enough: on SmolLM2-135M's 272 tensors the per-tensor calls
took 183 ms where one call over the same bytes laid end to end took 74 ms (1 thread, same run). So the
resident merger lays the live weights and every model-sized input of the method out in flat buffers
(``FlatLayout``: each tensor starts on a row of ``ROW`` entries, so a per-tensor scalar becomes a per-row
table), records the per-tensor kernel calls that a method's ``combine`` makes (``recording``: each call
becomes an op such as ``SumOp`` instead of running) and runs them as one call over the flat buffers.
"""

from __future__ import annotations

import logging
import os
import threading
import types
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from itertools import accumulate
from typing import Any

import torch

Tensor = torch.Tensor
log = logging.getLogger(__name__)

#: tensors smaller than this run eagerly. Every SmolLM2-135M matrix is above it: measured on two of its layers,
#: the fused TIES / DARE-TIES step took 7-16 ms against 340-520 ms eager; norm vectors and tiny test models stay eager
FUSE_MIN_NUMEL = 1 << 16
#: entries per row of a flat layout: a tensor's padding is under one row (0.4% of SmolLM2-135M in all)
ROW = 4096
#: rows per eager chunk of a flat call (4 MiB of float32 per operand): temporaries stay cache-sized
EAGER_CHUNK_ROWS = 256

_compiled: dict[tuple, Callable] = {}
_compile_broken = os.environ.get("MIXMERGE_COMPILE", "1") == "0"


def _broken(fn: Callable, err: Exception) -> None:
    global _compile_broken
    log.warning("fused kernel %s unavailable (%s); using the eager one", fn.__name__, err)
    _compile_broken = True


def _spec(arg: Any) -> Any:
    """What of one argument makes dynamo compile anew: dtypes, ranks, size-1 rows, list lengths, flags."""
    if isinstance(arg, Tensor):
        return ("tensor", arg.dtype, arg.dim(), arg.dim() > 0 and arg.shape[0] == 1, arg.device.type)
    if isinstance(arg, (list, tuple)):
        return ("list", len(arg), _spec(arg[0]) if arg else None)
    return arg if arg is None or isinstance(arg, (bool, int, str)) else type(arg).__name__


def _compiled_for(fn: Callable, args: Sequence[Any]) -> Callable:
    """``torch.compile(fn)`` for this combination of argument kinds, each with its own copy of ``fn``'s code.

    dynamo caches compiled graphs per code object and gives up after 8 recompiles of one (then runs the
    function eagerly on whole-model tensors: tens of seconds). A worker, the demo or the benchmark meet more
    than 8 kinds (methods, dtypes, key types, flat or per tensor), so each kind gets a code object of its own.
    """
    key = (fn, tuple(_spec(a) for a in args))
    compiled = _compiled.get(key)
    if compiled is None:
        code = fn.__code__.replace(co_name=f"{fn.__name__}_kind{len(_compiled)}")
        clone = types.FunctionType(code, fn.__globals__, code.co_name, fn.__defaults__, fn.__closure__)
        compiled = _compiled[key] = torch.compile(clone, dynamic=True)
    return compiled


def fused_call(fn: Callable, numel: int, *args: Any) -> Any:
    """Run ``fn`` compiled (one fused loop) when it covers at least ``FUSE_MIN_NUMEL`` entries, else eagerly.

    Scalars travel as tensors, so new candidates never recompile. Any compile failure switches to eager for
    the rest of the process: the eager path is always right.
    """
    if not _compile_broken and numel >= FUSE_MIN_NUMEL:
        try:
            return _compiled_for(fn, args)(*args)
        except Exception as err:  # noqa: BLE001 -- no C++ compiler, unsupported device ...: eager is always right
            _broken(fn, err)
    return fn(*args)


def _slice_rows(arg: Any, n_rows: int, lo: int, hi: int) -> Any:
    if isinstance(arg, Tensor) and arg.dim() >= 1 and arg.shape[0] == n_rows:
        return arg[lo:hi]
    if isinstance(arg, (list, tuple)):
        return type(arg)(_slice_rows(a, n_rows, lo, hi) for a in arg)
    return arg


def rows_call(fn: Callable, layout: FlatLayout, *args: Any) -> Any:
    """``fn`` over ``(layout.n_rows, ...)`` operands: one compiled call, or eager in chunks of rows.

    Compiled when the layout holds at least ``FUSE_MIN_NUMEL`` entries (padding aside: tiny test models stay
    eager). Eager chunks keep each temporary cache-sized (one eager call on the whole model would allocate
    model-sized temporaries). Tensors (or lists of tensors) whose first dimension is ``n_rows`` are sliced; a
    result tensor is concatenated along rows.
    """
    n_rows = layout.n_rows
    if not _compile_broken and layout.numel >= FUSE_MIN_NUMEL:
        try:
            return _compiled_for(fn, args)(*args)
        except Exception as err:  # noqa: BLE001 -- as in fused_call
            _broken(fn, err)
    parts = [fn(*(_slice_rows(a, n_rows, lo, min(lo + EAGER_CHUNK_ROWS, n_rows)) for a in args))
             for lo in range(0, n_rows, EAGER_CHUNK_ROWS)]
    return torch.cat(parts) if parts and isinstance(parts[0], Tensor) else None


# ------------------------------------------------------------------------------------------ flat layout
class FlatLayout:
    """Where each tensor sits in a flat ``(n_rows, ROW)`` buffer: tensor ``i`` owns rows ``starts[i]`` onward.

    Every tensor starts on a row, so values that are constant per tensor (coefficients, trimming bounds) are
    per-row tables that a fused kernel broadcasts along the row. Padding entries are zero in every input.
    """

    def __init__(self, shapes: Sequence[Sequence[int]], row: int = ROW):
        self.shapes = [torch.Size(s) for s in shapes]
        self.row = row
        self.numels = [s.numel() for s in self.shapes]
        self.rows = [-(-n // row) for n in self.numels]
        self.starts = list(accumulate([0, *self.rows[:-1]]))
        self.n_rows = sum(self.rows)
        self.numel = sum(self.numels)
        self._counts: dict[torch.device, Tensor] = {}

    def __len__(self) -> int:
        return len(self.shapes)

    def new(self, dtype: torch.dtype, device: torch.device | str) -> Tensor:
        """An uninitialised buffer whose padding is zero (callers fill every tensor's entries)."""
        buf = torch.empty(self.n_rows, self.row, dtype=dtype, device=device)
        flat = buf.view(-1)
        for i, numel in enumerate(self.numels):
            flat[self.offset(i) + numel:(self.starts[i] + self.rows[i]) * self.row].zero_()
        return buf

    def offset(self, i: int) -> int:
        """Offset of tensor ``i`` in the flattened buffer, in entries."""
        return self.starts[i] * self.row

    def view(self, buf: Tensor, i: int) -> Tensor:
        """Tensor ``i`` inside ``buf`` (a view of its shape)."""
        start = self.offset(i)
        return buf.view(-1)[start:start + self.numels[i]].view(self.shapes[i])

    def counts(self, device: torch.device) -> Tensor:
        if device not in self._counts:
            self._counts[device] = torch.tensor(self.rows, dtype=torch.long, device=device)
        return self._counts[device]

    def per_row(self, table: Tensor) -> Tensor:
        """A ``(len(self), k)`` per-tensor table repeated to ``(n_rows, k)``."""
        return table.repeat_interleave(self.counts(table.device), dim=0)

    def per_tensor_sums(self, per_row: Tensor) -> Tensor:
        """``(n_rows, k)`` per-row sums added up per tensor: ``(len(self), k)``, in float64."""
        index = torch.repeat_interleave(torch.arange(len(self), device=per_row.device), self.counts(per_row.device))
        out = torch.zeros(len(self), per_row.shape[1], dtype=torch.float64, device=per_row.device)
        return out.index_add_(0, index, per_row.double())


# ------------------------------------------------------------------------------- recorded kernel calls
class _Recorder(threading.local):
    ops: list | None = None


_recorder = _Recorder()


@contextmanager
def recording() -> Iterator[list]:
    """Inside this block kernel calls (``weighted_sum_into``, ...) are appended to the yielded list as ops
    instead of running; ``op.run()`` runs one later, ``type(op).run_flat`` runs many as one flat call."""
    previous, ops = _recorder.ops, []
    _recorder.ops = ops
    try:
        yield ops
    finally:
        _recorder.ops = previous


def record(op: Any) -> bool:
    """Append ``op`` to the active recording; False (nothing recorded) when none is active."""
    if _recorder.ops is None:
        return False
    _recorder.ops.append(op)
    return True


class KernelOp:
    """One deferred per-tensor kernel call. Ops of equal ``signature`` batch into one flat call whose
    operands are, slot by slot, the flat buffers holding each op's ``streams()``."""

    out: Tensor

    def streams(self) -> list[Tensor]:
        """The model-sized inputs the call reads, in slot order."""
        raise NotImplementedError

    def signature(self) -> tuple:
        raise NotImplementedError

    def run(self) -> None:
        raise NotImplementedError

    @classmethod
    def run_flat(cls, ops: Sequence[KernelOp], layout: FlatLayout, out: Tensor, streams: Sequence[Tensor]) -> None:
        """Run ``ops`` (one per tensor of ``layout``, in order) as one call: ``out`` and ``streams[j]`` are the
        ``(n_rows, ROW)`` buffers holding every op's ``out`` and ``streams()[j]``."""
        raise NotImplementedError


# ----------------------------------------------------------------------------------------- weighted sum
def _sum_terms(out: Tensor, base: Tensor | None, terms: list[Tensor], coeffs: Tensor) -> None:
    acc = base if base is not None else torch.zeros_like(terms[0])
    for i, t in enumerate(terms):
        acc = acc + coeffs[i] * t
    out.copy_(acc)


def _eager(out: Tensor, base: Tensor | None, terms: list[Tensor], coeffs: list[float]) -> None:
    if out.dtype == torch.float32:
        acc = out
    else:
        acc = torch.empty(out.shape, dtype=torch.float32, device=out.device)
    if base is not None:
        acc.copy_(base)
    else:
        acc.zero_()
    for t, c in zip(terms, coeffs, strict=True):
        acc.add_(t, alpha=c)
    if acc is not out:
        out.copy_(acc)


def _run_sum(out: Tensor, base: Tensor | None, terms: Sequence[Tensor], coeffs: Sequence[float]) -> None:
    kept = [(t, float(c)) for t, c in zip(terms, coeffs, strict=True) if c != 0.0]
    terms_kept = [t for t, _ in kept]
    coeff_list = [c for _, c in kept]
    if _compile_broken or out.numel() < FUSE_MIN_NUMEL or not terms_kept:
        _eager(out, base, terms_kept, coeff_list)
        return
    fused_call(_sum_terms, out.numel(), out, base, terms_kept,
               torch.tensor(coeff_list, dtype=torch.float32, device=out.device))


def _flat_sum(out: Tensor, streams: list[Tensor], table: Tensor) -> None:
    """``out = sum_j table[:, j] * streams[j]`` row by row (the base is one of the streams)."""
    acc = None
    for j, s in enumerate(streams):
        term = s * table[:, j:j + 1]
        acc = term if acc is None else acc + term
    out.copy_(acc)


class SumOp(KernelOp):
    """A recorded ``weighted_sum_into``. Its streams are the distinct tensors it reads, the base first with
    coefficient 1 (a term that is the base tensor itself, as in slerp, adds to the base's coefficient)."""

    def __init__(self, out: Tensor, base: Tensor | None, terms: Sequence[Tensor], coeffs: Sequence[float]):
        self.out, self.base, self.terms, self.coeffs = out, base, list(terms), [float(c) for c in coeffs]
        self.tensors: list[Tensor] = []
        self.factors: list[float] = []
        for t, c in ([(base, 1.0)] if base is not None else []) + list(zip(self.terms, self.coeffs, strict=True)):
            for j, seen in enumerate(self.tensors):
                if seen is t:
                    self.factors[j] += c
                    break
            else:
                self.tensors.append(t)
                self.factors.append(c)

    def streams(self) -> list[Tensor]:
        return self.tensors

    def signature(self) -> tuple:
        return ("sum", len(self.tensors))

    def run(self) -> None:
        _run_sum(self.out, self.base, self.terms, self.coeffs)

    @classmethod
    def run_flat(cls, ops: Sequence[SumOp], layout: FlatLayout, out: Tensor, streams: Sequence[Tensor]) -> None:
        table = torch.tensor([op.factors for op in ops], dtype=torch.float32, device=out.device)
        used = [j for j in range(table.shape[1]) if bool(table[:, j].any())]  # skip streams weighted 0 everywhere
        if not used:
            out.zero_()
            return
        rows_call(_flat_sum, layout, out, [streams[j] for j in used], layout.per_row(table[:, used]))


def weighted_sum_into(out: Tensor, base: Tensor | None, terms: Sequence[Tensor], coeffs: Sequence[float]) -> None:
    """``out = base + sum_i coeffs[i] * terms[i]`` (``base`` None means a plain weighted sum).

    ``base`` and ``terms`` are float32 tensors of ``out``'s shape on ``out``'s device; ``out`` may be any float
    dtype (the sum is formed in float32 and cast once). Zero coefficients are skipped. Inside ``recording``
    the call is recorded as a ``SumOp`` instead.
    """
    if len(terms) != len(coeffs):
        raise ValueError(f"{len(coeffs)} coefficients for {len(terms)} terms")
    if _recorder.ops is not None:
        _recorder.ops.append(SumOp(out, base, terms, coeffs))
    else:
        _run_sum(out, base, terms, coeffs)
