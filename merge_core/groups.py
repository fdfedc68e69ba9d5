"""Layer groups: coefficients per slice of the network instead of one per expert.

A search may give each expert one coefficient per group: ``embed`` (token embeddings, which is also the
output head when embeddings are tied), the transformer blocks split into ``n_block_groups`` contiguous
``blocks_i`` groups, and ``head`` (final norm and, when untied, ``lm_head``). A tied tensor is one tensor
and so belongs to one group, once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

_LAYER = re.compile(r"(?:^|\.)layers\.(\d+)\.")
_EMBED = ("embed_tokens", "wte", "word_embeddings")


def group_names(n_block_groups: int) -> list[str]:
    """All group names in order, for ``n_block_groups`` groups of blocks."""
    if n_block_groups < 1:
        raise ValueError(f"n_block_groups must be >= 1, got {n_block_groups}")
    return ["embed", *(f"blocks_{i}" for i in range(n_block_groups)), "head"]


def group_of(name: str, n_layers: int, n_block_groups: int) -> str:
    """The group of tensor ``name`` in a model with ``n_layers`` blocks."""
    match = _LAYER.search(name)
    if match:
        layer = int(match.group(1))
        if not 0 <= layer < n_layers:
            raise ValueError(f"tensor {name!r} names layer {layer}, but the model has {n_layers} layers")
        return f"blocks_{layer * n_block_groups // n_layers}"
    if any(part in name for part in _EMBED):
        return "embed"
    return "head"


def weights_per_tensor(names: Iterable[str], weights: Sequence[float] | Mapping[str, Sequence[float]],
                       n_experts: int, n_layers: int) -> dict[str, list[float]]:
    """Resolve a candidate's coefficients to one weight vector per tensor.

    ``weights`` is one coefficient per expert, or a mapping group name -> one coefficient per expert that
    covers every group of ``group_names(n)`` for some n.
    """
    names = list(names)
    if not isinstance(weights, Mapping):
        vec = [float(w) for w in weights]
        if len(vec) != n_experts:
            raise ValueError(f"weights: expected {n_experts} coefficients (one per expert), got {len(vec)}")
        return {name: vec for name in names}
    n_groups = sum(1 for g in weights if g.startswith("blocks_"))
    expected = set(group_names(max(n_groups, 1)))
    if set(weights) != expected:
        raise ValueError(f"weights: groups {sorted(weights)} do not match the expected groups {sorted(expected)}")
    for group, vec in weights.items():
        if len(vec) != n_experts:
            raise ValueError(f"weights[{group!r}]: expected {n_experts} coefficients, got {len(vec)}")
    return {name: [float(w) for w in weights[group_of(name, n_layers, n_groups)]] for name in names}
