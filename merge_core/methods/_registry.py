"""The merge-method contract and its registry.

Every method is one small class registered by name (mergekit's one-function-per-method idea), with:

* ``Params``: a pydantic model of the method's knobs (validated: ``density`` in (0, 1], ...);
* ``merge``: the from-scratch formula for one tensor (the reference; its docstring states the formula);
* ``prepare`` / ``combine``: the same result split into the work done once per study (masks, sorted
  magnitudes, decompositions) and the work done per candidate (coefficients, searched knobs), used by the
  resident merger. ``combine(prepare(...))`` must equal ``merge(...)`` within float32 rounding.

All arithmetic is float32; callers cast the result to the model's dtype.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import torch
from pydantic import BaseModel, ConfigDict

Tensor = torch.Tensor


class MethodParams(BaseModel):
    """Base of every method's parameter model: unknown keys are errors, values are validated."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


@dataclass(frozen=True)
class TensorInfo:
    """What a method may know about the tensor it merges besides its values."""

    name: str
    seed: int = 0
    #: stable identities of the experts, in the order of ``deltas`` (their names, e.g. "helpful"); when
    #: given, random draws follow the expert rather than its position, so permuting experts together
    #: with their coefficients and ids changes nothing, random methods included.
    expert_ids: tuple[str, ...] | None = None

    def generator(self, expert_index: int) -> torch.Generator:
        """A CPU generator seeded by a stable hash of (seed, tensor name, expert index or id).

        Not Python's salted ``hash()``: the same inputs give the same numbers in any process, in any tensor
        order, on any device (draw on the CPU, then move).
        """
        key = self.expert_ids[expert_index] if self.expert_ids is not None else str(expert_index)
        digest = hashlib.sha256(f"{self.seed}\x00{self.name}\x00{key}".encode()).digest()
        gen = torch.Generator(device="cpu")
        gen.manual_seed(int.from_bytes(digest[:8], "little") & ((1 << 63) - 1))
        return gen

    def uniform(self, expert_index: int, shape: torch.Size) -> Tensor:
        """Uniform [0, 1) float32 noise for one expert's tensor, reproducible as described in ``generator``."""
        return torch.rand(shape, generator=self.generator(expert_index), dtype=torch.float32)


class MergeMethod:
    """One merge method. Subclasses set the class attributes and implement the three methods."""

    name: ClassVar[str]
    Params: ClassVar[type[MethodParams]] = MethodParams
    #: parameters whose value may change from one candidate to the next without a new ``prepare``
    searchable: ClassVar[frozenset[str]] = frozenset()
    min_experts: ClassVar[int] = 1
    max_experts: ClassVar[int | None] = None
    #: whether ``weights`` matter (model_stock, for instance, ignores them)
    uses_weights: ClassVar[bool] = True
    #: ``combine`` makes exactly one kernel call (``weighted_sum_into``, ...) per tensor, reading only tensors
    #: held in the state (none computed per candidate), so the resident merger may record the calls of every
    #: tensor and run them as one call over flat buffers. False for methods with per-candidate SVDs.
    resident_batched: ClassVar[bool] = True

    def merge(self, base: Tensor, deltas: Sequence[Tensor], weights: Sequence[float], params: MethodParams,
              info: TensorInfo) -> Tensor:
        """From scratch: the merged tensor (base plus merged delta), float32, same shape as ``base``."""
        raise NotImplementedError

    def prepare(self, base: Tensor, deltas: Sequence[Tensor], params: MethodParams, searched: frozenset[str],
                info: TensorInfo) -> Any:
        """Once per study and tensor: everything that does not depend on the candidate.

        ``params`` holds the fixed values; names in ``searched`` will be given per candidate to ``combine``
        and must not be baked into the state. The state may keep references to ``base``/``deltas``.
        """
        raise NotImplementedError

    def combine(self, state: Any, base: Tensor, weights: Sequence[float], params: MethodParams,
                out: Tensor) -> None:
        """Per candidate: write the merged tensor into ``out`` (any float dtype, same shape as ``base``).

        Must not allocate more than a few tensors of this one tensor's size.
        """
        raise NotImplementedError

    def check(self, n_experts: int, params: MethodParams) -> None:
        """Raise ``ValueError`` naming the problem when this method cannot merge ``n_experts`` experts."""
        if n_experts < self.min_experts:
            raise ValueError(f"merge method {self.name!r} needs at least {self.min_experts} experts, got {n_experts}")
        if self.max_experts is not None and n_experts > self.max_experts:
            raise ValueError(
                f"merge method {self.name!r} takes at most {self.max_experts} experts, got {n_experts}"
                + ("; slerp merges exactly two models" if self.name == "slerp" else "")
            )


METHODS: dict[str, MergeMethod] = {}


def register(cls: type[MergeMethod]) -> type[MergeMethod]:
    """Class decorator: add one instance of ``cls`` to ``METHODS`` under ``cls.name``."""
    if cls.name in METHODS:
        raise ValueError(f"merge method {cls.name!r} registered twice")
    METHODS[cls.name] = cls()
    return cls


def get_method(name: str) -> MergeMethod:
    """The registered method called ``name``, or a ``ValueError`` listing the known ones."""
    try:
        return METHODS[name]
    except KeyError:
        known = ", ".join(sorted(METHODS))
        raise ValueError(f"unknown merge method {name!r}; known methods: {known}") from None


def parse_params(method: MergeMethod, raw: dict[str, Any] | None) -> MethodParams:
    """Validate raw parameters (from YAML or a search) into the method's pydantic model."""
    return method.Params.model_validate(raw or {})
