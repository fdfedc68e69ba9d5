"""Resident re-merging: load once, precompute once, then each candidate is an in-place write.

A search evaluates hundreds of coefficient vectors on the same base and experts. ``ResidentMerger`` takes the
base weights (kept apart: never read back from the live model, which would double-count after the first
merge), the experts' task vectors and a method; it runs the method's per-study ``prepare`` for every tensor
once (masks, sorted magnitudes, decompositions) and then ``apply`` writes each candidate's merged weights
straight into the live ``transformers`` model's parameters: no disk, no reload, no model-sized allocation
per candidate. The model object and its ``Parameter`` objects stay the same while their weights change.

Flat layout: 272 fused kernel calls, one per SmolLM2-135M tensor, took about 2.5x the time of one call over
the same bytes (a cost per call, and short loops that never reach streaming speed), so by default the merger
re-points the live parameters into
one flat buffer (``FlatLayout``; a tied embedding is one parameter, laid out once), lays every tensor that
the method's per-tensor kernel calls read out the same way, and runs a candidate as one recorded, batched
call (see ``_kernels``). Tensors it is given in float32 (base, task vectors) and the method's precomputed
tensors are moved into the flat buffers in place (``Tensor.set_``: same values, same objects), so they are
not held twice. Anything that does not fit (mixed dtypes, aliased parameters, a method that computes per
candidate) runs tensor by tensor, with the same result.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from typing import Any

import torch
from mixmerge.merge_core._kernels import FlatLayout, KernelOp, recording
from mixmerge.merge_core.groups import weights_per_tensor
from mixmerge.merge_core.lowrank import LowRankDelta, densify
from mixmerge.merge_core.methods import MergeMethod, MethodParams, TensorInfo, get_method, parse_params

log = logging.getLogger(__name__)
Tensor = torch.Tensor


def _live_parameters(model: torch.nn.Module) -> dict[str, Tensor]:
    """Parameters by name, tied tensors once (under their first name, e.g. ``model.embed_tokens.weight``)."""
    return dict(model.named_parameters(remove_duplicate=True))


def _tensor_bytes(obj: Any, seen: set[int]) -> int:
    """Bytes of the distinct tensor storages reachable from ``obj`` (lists, tuples, dicts, dataclasses)."""
    if isinstance(obj, Tensor):
        key = obj.untyped_storage().data_ptr()
        if key in seen or obj.untyped_storage().nbytes() == 0:
            return 0
        seen.add(key)
        return obj.untyped_storage().nbytes()
    if isinstance(obj, dict):
        return sum(_tensor_bytes(v, seen) for v in obj.values())
    if isinstance(obj, (list, tuple)):
        return sum(_tensor_bytes(v, seen) for v in obj)
    if hasattr(obj, "__dict__"):
        return sum(_tensor_bytes(v, seen) for v in vars(obj).values())
    if hasattr(obj, "__slots__"):
        return sum(_tensor_bytes(getattr(obj, s, None), seen) for s in obj.__slots__)
    return 0


class _Slot:
    """One flat buffer holding, for every tensor of the layout, the tensor object a kernel call reads there."""

    def __init__(self, buf: Tensor, objs: list[Tensor]):
        self.buf, self.objs = buf, objs

    def holds(self, objs: Sequence[Tensor]) -> bool:
        return all(a is b for a, b in zip(self.objs, objs, strict=True))


class _FlatPlan:
    """The flat side of a merger: the live parameters as views of one buffer, and one slot per stream read.

    Built only when every live parameter has one float dtype and one device and no two of them alias (a tie
    through two distinct ``Parameter`` objects would be cut by re-pointing them).
    """

    def __init__(self, live: Mapping[str, Tensor]):
        self.params = list(live.values())
        self.layout = FlatLayout([p.shape for p in self.params])
        self.slots: dict[int, list[_Slot]] = {}
        self.live_buf: Tensor | None = None
        self.live_views: list[Tensor] = []
        self._ptrs: list[int] = []

    @staticmethod
    def eligible(live: Mapping[str, Tensor]) -> str | None:
        """None when the live parameters can be laid out flat, else why not."""
        params = list(live.values())
        if not params:
            return "no parameters"
        dtypes = {p.dtype for p in params}
        devices = {p.device for p in params}
        if len(dtypes) != 1 or len(devices) != 1 or not params[0].dtype.is_floating_point:
            return f"parameters of several dtypes or devices ({sorted(map(str, dtypes))}, {sorted(map(str, devices))})"
        ptrs = [p.data_ptr() for p in params if p.numel()]
        if len(set(ptrs)) != len(ptrs):
            return "two parameters share memory"
        return None

    def attached(self) -> bool:
        """Whether the live parameters are still the views of this plan's buffer."""
        return self.live_buf is not None and all(
            p.data_ptr() == ptr and p.dtype == self.live_buf.dtype for p, ptr in zip(self.params, self._ptrs,
                                                                                    strict=True))

    def attach(self) -> None:
        """Point every live parameter into the live buffer: reuse the buffer they already tile (another merger
        on the same model made it), else copy them into a new one and re-point them (``param.data = view``)."""
        if self.attached():
            return
        first = self.params[0]
        dtype, device, layout = first.dtype, first.device, self.layout
        storage = first.untyped_storage()
        tiled = storage.nbytes() == layout.n_rows * layout.row * first.element_size() and all(
            p.untyped_storage().data_ptr() == storage.data_ptr() and p.storage_offset() == layout.offset(i)
            and p.is_contiguous() and p.dtype == dtype for i, p in enumerate(self.params))
        if tiled:
            buf = torch.empty(0, dtype=dtype, device=device).set_(storage, 0, (layout.n_rows, layout.row))
        else:
            buf = layout.new(dtype, device)
            with torch.no_grad():
                for i, p in enumerate(self.params):
                    view = layout.view(buf, i)
                    view.copy_(p.data)
                    p.data = view
        self.live_buf = buf
        self.live_views = [layout.view(buf, i) for i in range(len(layout))]
        self._ptrs = [p.data_ptr() for p in self.params]

    def buffers(self) -> list[Tensor]:
        """The slot buffers (what this plan holds besides the live model)."""
        return [slot.buf for slots in self.slots.values() for slot in slots]

    def _tiled(self, objs: Sequence[Tensor]) -> Tensor | None:
        """The buffer ``objs`` already tile in this layout (another merger's slot), as ``(n_rows, ROW)``."""
        layout, first = self.layout, objs[0]
        storage = first.untyped_storage()
        if storage.nbytes() != layout.n_rows * layout.row * first.element_size() or (
                storage.data_ptr() == self.live_buf.untyped_storage().data_ptr()):
            return None
        for i, obj in enumerate(objs):
            if (obj.untyped_storage().data_ptr() != storage.data_ptr() or obj.storage_offset() != layout.offset(i)
                    or not obj.is_contiguous() or obj.dtype != first.dtype):
                return None
        return torch.empty(0, dtype=first.dtype, device=first.device).set_(storage, 0, (layout.n_rows, layout.row))

    def _slot(self, objs: list[Tensor]) -> _Slot | None:
        """The slot holding ``objs`` (one per tensor), made on first use; None when they cannot be laid out.

        Objects that already tile a buffer of this layout (laid out by an earlier merger) are used where they
        are. Otherwise they are copied into a new buffer, and an object that owns its whole storage is moved
        there (``set_``), so its old storage is freed; an object that is a view into a larger storage (another
        merger's buffer) stays where it is, so that storage is not kept alive only in part.
        """
        for slot in self.slots.get(id(objs[0]), []):
            if slot.holds(objs):
                return slot
        layout, device = self.layout, self.live_buf.device
        dtype = objs[0].dtype
        for i, obj in enumerate(objs):
            if obj.shape != layout.shapes[i] or obj.dtype != dtype or obj.device != device:
                return None
        buf = self._tiled(objs)
        if buf is None:
            buf = layout.new(dtype, device)
            with torch.no_grad():
                for i, obj in enumerate(objs):
                    view = layout.view(buf, i)
                    view.copy_(obj)
                    owns_storage = obj.storage_offset() == 0 and (
                        obj.untyped_storage().nbytes() == obj.numel() * obj.element_size())
                    if owns_storage and obj.is_contiguous() and not obj.requires_grad:
                        obj.set_(buf.untyped_storage(), view.storage_offset(), view.shape, view.stride())
        slot = _Slot(buf, list(objs))
        self.slots.setdefault(id(objs[0]), []).append(slot)
        return slot

    def run(self, ops: Sequence[KernelOp], execute: bool = True) -> bool:
        """Run one candidate's recorded ops as one flat call; False (nothing run) when they do not batch.

        ``execute=False`` only lays out the slots the ops read.
        """
        if len(ops) != len(self.layout) or not ops:
            return False
        cls, sig = type(ops[0]), ops[0].signature()
        for op, view in zip(ops, self.live_views, strict=True):
            if type(op) is not cls or op.out is not view or op.signature() != sig:
                return False
        streams = [op.streams() for op in ops]
        bufs = []
        for j in range(len(streams[0])):
            slot = self._slot([s[j] for s in streams])
            if slot is None:
                return False
            bufs.append(slot.buf)
        if not execute:
            return True
        with torch.no_grad():
            cls.run_flat(ops, self.layout, self.live_buf, bufs)
        return True


class ResidentMerger:
    """Merges experts into a live model in place, candidate after candidate.

    Args:
        model: the live model whose parameters receive each merge (its current values are ignored).
        base: the base model's tensors by name (float32 or not; converted once), kept apart from ``model``.
        deltas: one mapping per expert, name -> task vector (dense or ``LowRankDelta``); a name missing from an
            expert (a LoRA adapter that does not touch it) means a zero delta.
        method / params: a registered method name and its fixed parameters (validated).
        searched: names of method parameters that ``apply`` may change per candidate.
        seed, expert_ids: seed and stable expert names for methods that draw random numbers.
        flat: lay the live parameters and the method's inputs out flat and merge in one call per candidate
            (the default); False merges tensor by tensor and leaves the parameters' storage alone.
    """

    def __init__(self, model: torch.nn.Module, base: Mapping[str, Tensor],
                 deltas: Sequence[Mapping[str, Tensor | LowRankDelta]], method: str | MergeMethod,
                 params: Mapping[str, Any] | MethodParams | None = None, searched: Sequence[str] = (),
                 seed: int = 0, expert_ids: Sequence[str] | None = None, flat: bool = True):
        self.model = model
        self.method = get_method(method) if isinstance(method, str) else method
        self.params = params if isinstance(params, MethodParams) else parse_params(self.method, dict(params or {}))
        self.searched = frozenset(searched)
        unknown = self.searched - set(self.method.Params.model_fields) - {
            f.alias for f in self.method.Params.model_fields.values() if f.alias}
        if unknown:
            raise ValueError(f"searched parameters {sorted(unknown)} are not parameters of {self.method.name!r}")
        not_searchable = {self._field_name(s) for s in self.searched} - {
            self._field_name(s) for s in self.method.searchable}
        if not_searchable:
            raise ValueError(f"{self.method.name!r} cannot search {sorted(not_searchable)} without a new "
                             f"prepare; searchable: {sorted(self.method.searchable) or 'none'}")
        self.n_experts = len(deltas)
        self.method.check(self.n_experts, self.params)
        self.expert_ids = tuple(expert_ids) if expert_ids is not None else tuple(str(i) for i in range(self.n_experts))
        if len(self.expert_ids) != self.n_experts:
            raise ValueError(f"expert_ids: expected {self.n_experts} ids, got {len(self.expert_ids)}")
        self.seed = seed
        self.live = _live_parameters(model)
        missing = [n for n in self.live if n not in base]
        if missing:
            raise ValueError(f"base has no tensor for live parameter(s) {missing[:3]}; is it the same architecture?")
        self.n_layers = int(getattr(getattr(model, "config", None), "num_hidden_layers", 0) or 0)

        start = time.perf_counter()
        self.base: dict[str, Tensor] = {}
        self.states: dict[str, Any] = {}
        with torch.no_grad():
            for name, param in self.live.items():
                base_t = base[name]
                base_t = (base_t.detach() if base_t.requires_grad else base_t).to(device=param.device,
                                                                                 dtype=torch.float32)
                if base_t.data_ptr() == param.data_ptr():  # never alias the live weights
                    base_t = base_t.clone()
                self.base[name] = base_t
                expert_deltas = [self._delta(d, name, base_t) for d in deltas]
                info = TensorInfo(name=name, seed=seed, expert_ids=self.expert_ids)
                self.states[name] = self.method.prepare(base_t, expert_deltas, self.params, self.searched, info)
        self._flat: _FlatPlan | None = None
        why_not = "disabled" if not flat else (
            "method computes per candidate" if not self.method.resident_batched else _FlatPlan.eligible(self.live))
        if why_not is None:
            self._flat = _FlatPlan(self.live)
            self._flat.attach()
            # a dry run lays out what the method's kernel calls read (no kernel runs); streams that only some
            # candidates read (keys below density 1, say) are laid out on first use
            try:
                ops = self._record(weights_per_tensor(self.live, [1.0] * self.n_experts, self.n_experts,
                                                      self.n_layers), self.params)
            except ValueError as err:
                why_not = f"dry run failed: {err}"
            else:
                if not self._flat.run(ops, execute=False):
                    why_not = "its per-tensor calls do not batch"
        if why_not is not None:
            log.info("resident %s: tensor-by-tensor merge (%s)", self.method.name, why_not)
        self.precompute_seconds = time.perf_counter() - start
        log.info("resident %s: prepared %d tensors in %.1f s, %.2f GB resident", self.method.name,
                 len(self.states), self.precompute_seconds, self.resident_bytes() / 1e9)

    def _field_name(self, name: str) -> str:
        for field, info in self.method.Params.model_fields.items():
            if name in (field, info.alias):
                return field
        return name

    @staticmethod
    def _delta(delta_map: Mapping[str, Tensor | LowRankDelta], name: str, base_t: Tensor) -> Tensor:
        delta = delta_map.get(name)
        if delta is None:
            return torch.zeros_like(base_t)
        dense = densify(delta).to(device=base_t.device, dtype=torch.float32)
        if dense.shape != base_t.shape:
            raise ValueError(f"tensor {name!r}: task vector shape {tuple(dense.shape)} != base {tuple(base_t.shape)}")
        return dense

    def candidate_params(self, overrides: Mapping[str, Any] | None) -> MethodParams:
        """The fixed parameters with this candidate's searched values put in (validated)."""
        if not overrides:
            return self.params
        bad = {self._field_name(k) for k in overrides} - {self._field_name(s) for s in self.searched}
        if bad:
            raise ValueError(f"parameters {sorted(bad)} were not declared as searched for this merger")
        merged = self.params.model_dump()
        merged.update({self._field_name(k): v for k, v in overrides.items()})
        return parse_params(self.method, merged)

    def apply(self, weights: Sequence[float] | Mapping[str, Sequence[float]],
              params: Mapping[str, Any] | None = None) -> float:
        """Write the merge for ``weights`` (per expert, or per layer group) into the live model; seconds taken."""
        start = time.perf_counter()
        cand = self.candidate_params(params)
        per_tensor = weights_per_tensor(self.live, weights, self.n_experts, self.n_layers)
        if self._flat is None:
            with torch.no_grad():
                for name, param in self.live.items():
                    self.method.combine(self.states[name], self.base[name], per_tensor[name], cand, param.data)
            return self._finished(start)
        self._flat.attach()  # a no-op unless something re-pointed the parameters since
        ops = self._record(per_tensor, cand)
        if not self._flat.run(ops):
            with torch.no_grad():
                for op in ops:
                    op.run()
        return self._finished(start)

    def _finished(self, start: float) -> float:
        """Seconds since ``start`` once the merge is written: on a GPU the kernels run asynchronously."""
        device = next(iter(self.live.values())).device
        if device.type == "cuda":
            torch.cuda.synchronize(device)
        return time.perf_counter() - start

    def _record(self, per_tensor: Mapping[str, Sequence[float]], cand: MethodParams) -> list[KernelOp]:
        """Every tensor's kernel call for one candidate, recorded (nothing runs), writing into the live views."""
        outs = self._flat.live_views if self._flat is not None and self._flat.live_views else [
            p.data for p in self.live.values()]
        with torch.no_grad(), recording() as ops:
            for (name, _), out in zip(self.live.items(), outs, strict=True):
                self.method.combine(self.states[name], self.base[name], per_tensor[name], cand, out)
        return ops

    def merged_tensor(self, name: str, weights: Sequence[float], params: Mapping[str, Any] | None = None) -> Tensor:
        """One tensor of the merge, computed into a fresh float32 tensor (for checks; not the hot path)."""
        out = torch.empty_like(self.base[name])
        self.method.combine(self.states[name], self.base[name], list(weights), self.candidate_params(params), out)
        return out

    def state_bytes(self) -> int:
        """Bytes held by the method's per-study precomputation (distinct storages, base excluded)."""
        seen: set[int] = set()
        _tensor_bytes(list(self.base.values()), seen)
        return _tensor_bytes([self.states, self._flat.buffers() if self._flat is not None else []], seen)

    def resident_bytes(self) -> int:
        """Everything this merger keeps besides the live model: the base copy plus the precomputation."""
        return _tensor_bytes(list(self.base.values()), set()) + self.state_bytes()


TaskVectors = dict[str, Tensor | LowRankDelta]


def load_resident_inputs(base_ref: str, expert_refs: Mapping[str, str], *, allow_pickle: bool = False,
                         check_descent: bool = True) -> tuple[dict[str, Tensor], list[TaskVectors]]:
    """Validate experts against the base (before any compute), then load the base tensors and task vectors.

    Returns what ``ResidentMerger`` takes: the base's float32 tensors by canonical name, and one task-vector
    mapping per expert in the order of ``expert_refs`` (LoRA experts stay factored here).
    """
    from mixmerge.merge_core.checkpoint import load_task_vectors, open_checkpoint, open_expert
    from mixmerge.merge_core.validate import validate_experts

    base = open_checkpoint(base_ref, allow_pickle=allow_pickle)
    experts = {label: open_expert(ref, base, allow_pickle=allow_pickle) for label, ref in expert_refs.items()}
    validate_experts(base, experts, check_descent=check_descent)
    base_tensors = {name: base.get(name).float() for name in base.names()}
    deltas = [load_task_vectors(base, expert) for expert in experts.values()]
    return base_tensors, deltas
