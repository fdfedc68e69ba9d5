"""Resident re-merging: load once, precompute once, then each candidate is an in-place write.

A search evaluates hundreds of coefficient vectors on the same base and experts. ``ResidentMerger`` takes the
base weights (kept apart: never read back from the live model, which would double-count after the first
merge), the experts' task vectors and a method; it runs the method's per-study ``prepare`` for every tensor
once (masks, sorted magnitudes, decompositions) and then ``apply`` writes each candidate's merged weights
straight into the live ``transformers`` model's parameters: no disk, no reload, no model-sized allocation
per candidate. The model object stays the same while its weights change.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from typing import Any

import torch
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
    """

    def __init__(self, model: torch.nn.Module, base: Mapping[str, Tensor],
                 deltas: Sequence[Mapping[str, Tensor | LowRankDelta]], method: str | MergeMethod,
                 params: Mapping[str, Any] | MethodParams | None = None, searched: Sequence[str] = (),
                 seed: int = 0, expert_ids: Sequence[str] | None = None):
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
                base_t = base[name].detach().to(device=param.device, dtype=torch.float32)
                if base_t.data_ptr() == param.data_ptr():  # never alias the live weights
                    base_t = base_t.clone()
                self.base[name] = base_t
                expert_deltas = [self._delta(d, name, base_t) for d in deltas]
                info = TensorInfo(name=name, seed=seed, expert_ids=self.expert_ids)
                self.states[name] = self.method.prepare(base_t, expert_deltas, self.params, self.searched, info)
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
        with torch.no_grad():
            for name, param in self.live.items():
                self.method.combine(self.states[name], self.base[name], per_tensor[name], cand, param.data)
        return time.perf_counter() - start

    def merged_tensor(self, name: str, weights: Sequence[float], params: Mapping[str, Any] | None = None) -> Tensor:
        """One tensor of the merge, computed into a fresh float32 tensor (for checks; not the hot path)."""
        out = torch.empty_like(self.base[name])
        self.method.combine(self.states[name], self.base[name], list(weights), self.candidate_params(params), out)
        return out

    def state_bytes(self) -> int:
        """Bytes held by the method's per-study precomputation (distinct storages, base excluded)."""
        seen = {t.untyped_storage().data_ptr() for t in self.base.values()}
        return _tensor_bytes(self.states, seen)

    def resident_bytes(self) -> int:
        """Everything this merger keeps besides the live model: the base copy plus the precomputation."""
        return sum(t.untyped_storage().nbytes() for t in self.base.values()) + self.state_bytes()


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
