"""Token-exact mixture sampling: each set's share of the *forwarded tokens* follows its ratio.

Mixing by examples would let a set of long examples take more of the budget than its ratio says; here the
schedule is in tokens. Sets are interleaved by a virtual-finish-time rule (the set whose next example would
finish earliest relative to its share goes next, as in weighted fair queueing), so at every point of the
stream each set's cumulative tokens stay within about one example of ``ratio x tokens so far``. Within a
set, examples are visited in a seeded random order, reshuffled on every pass: the run stops at the token
budget, not at an epoch. The last example is cut so the total is exactly the budget.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Draw:
    """One example in the training stream: its set, its index in that set, the tokens it forwards."""

    set: str
    index: int
    tokens: int  # forwarded tokens: the example's full length, or less for the final cut example
    full: int  # the example's uncut length


def _set_seed(seed: int, name: str) -> list[int]:
    digest = hashlib.sha256(name.encode()).digest()
    return [seed & 0xFFFFFFFF, int.from_bytes(digest[:4], "little")]


def _order(n: int, seed: int, name: str) -> Iterator[int]:
    """Indices ``0..n-1`` in a seeded random order, reshuffled every pass, forever."""
    rng = np.random.default_rng(_set_seed(seed, name))
    while True:
        yield from rng.permutation(n).tolist()


def plan_mixture(lengths: dict[str, Sequence[int]], ratios: dict[str, float], budget: int, seed: int
                 ) -> list[Draw]:
    """The deterministic stream of examples that spends exactly ``budget`` tokens in the given ratios.

    ``lengths[name][i]`` is the number of tokens example ``i`` of set ``name`` forwards. Sets with a zero
    ratio are never drawn. Raises ``ValueError`` for a set with a positive ratio and no examples.
    """
    if budget <= 0:
        raise ValueError(f"token budget must be positive, got {budget}")
    active = sorted(name for name, r in ratios.items() if r > 0)
    for name in active:
        if name not in lengths or len(lengths[name]) == 0:
            raise ValueError(f"set {name!r} has ratio {ratios[name]:g} but no usable examples")
        if min(lengths[name]) <= 0:
            raise ValueError(f"set {name!r} has an example of length 0")
    orders = {name: _order(len(lengths[name]), seed, name) for name in active}
    nxt = {name: next(orders[name]) for name in active}
    used = dict.fromkeys(active, 0)
    total = 0
    draws: list[Draw] = []
    while total < budget:
        # virtual finish time: tokens this set would have after its next example, per unit of share
        name = min(active, key=lambda s: ((used[s] + lengths[s][nxt[s]]) / ratios[s], s))
        idx = nxt[name]
        full = int(lengths[name][idx])
        take = min(full, budget - total)
        draws.append(Draw(name, idx, take, full))
        used[name] += take
        total += take
        nxt[name] = next(orders[name])
    return draws


def realised_tokens(draws: list[Draw]) -> dict[str, int]:
    """Forwarded tokens per set in a stream."""
    out: dict[str, int] = {}
    for d in draws:
        out[d.set] = out.get(d.set, 0) + d.tokens
    return out
