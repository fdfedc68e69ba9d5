"""Token-exact mixture sampling, packing, and the packed forward pass (no attention across sequences)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from mixmerge.training.encode import Encoded, Sequence
from mixmerge.training.examples import make_example
from mixmerge.training.packing import pack
from mixmerge.training.sampler import plan_mixture, realised_tokens


@st.composite
def mixtures(draw):
    k = draw(st.integers(1, 4))
    names = [f"set{i}" for i in range(k)]
    weights = [draw(st.integers(0, 10)) for _ in names]
    if sum(weights) == 0:
        weights[0] = 1
    ratios = {n: w / sum(weights) for n, w in zip(names, weights, strict=True)}
    lengths = {n: draw(st.lists(st.integers(1, 300), min_size=1, max_size=20)) for n in names}
    budget = draw(st.integers(1, 20_000))
    return lengths, ratios, budget


@settings(max_examples=200, deadline=None)
@given(mixtures(), st.integers(0, 2**31 - 1))
def test_budget_is_exact_and_shares_track_ratios(mix, seed):
    lengths, ratios, budget = mix
    draws = plan_mixture(lengths, ratios, budget, seed)
    realised = realised_tokens(draws)
    assert sum(realised.values()) == budget  # stops at the budget, not at an epoch
    longest = max(max(v) for v in lengths.values())
    for name, r in ratios.items():
        assert abs(realised.get(name, 0) - r * budget) <= longest  # within one example's length
        if r == 0:
            assert name not in realised
    assert all(d.tokens == d.full for d in draws[:-1])  # only the last example may be cut
    assert 0 < draws[-1].tokens <= draws[-1].full


def test_sampling_is_deterministic_and_seeded():
    lengths = {"a": list(range(5, 50)), "b": list(range(10, 90, 3))}
    ratios = {"a": 0.3, "b": 0.7}
    assert plan_mixture(lengths, ratios, 5000, 7) == plan_mixture(lengths, ratios, 5000, 7)
    assert plan_mixture(lengths, ratios, 5000, 7) != plan_mixture(lengths, ratios, 5000, 8)


def test_ratios_are_in_tokens_not_examples():
    # set a has 10x longer examples: an equal token split means 10x fewer a-examples
    draws = plan_mixture({"a": [200] * 50, "b": [20] * 50}, {"a": 0.5, "b": 0.5}, 20_000, 0)
    n = {s: sum(d.set == s for d in draws) for s in "ab"}
    assert realised_tokens(draws) == {"a": 10_000, "b": 10_000}
    assert n["b"] == 10 * n["a"]


def test_sets_are_revisited_past_an_epoch():
    draws = plan_mixture({"a": [10, 20, 30]}, {"a": 1.0}, 600, 0)
    assert len(draws) == 30 and sum(d.tokens for d in draws) == 600
    for epoch in range(10):  # every pass visits each example once
        assert sorted(d.index for d in draws[3 * epoch:3 * epoch + 3]) == [0, 1, 2]


def test_empty_set_with_positive_ratio_is_refused():
    with pytest.raises(ValueError, match="no usable examples"):
        plan_mixture({"a": [10], "b": []}, {"a": 0.5, "b": 0.5}, 100, 0)


def _fake(name: str, lengths: list[int], pairs: bool = False, seed: int = 0) -> list[Encoded]:
    rng = np.random.default_rng(seed)
    out = []
    for i, n in enumerate(lengths):
        sides = []
        for _ in range(2 if pairs else 1):
            m = int(rng.integers(4, n)) if n > 4 else n
            ids = rng.integers(3, 90, size=m)
            mask = np.zeros(m, dtype=bool)
            mask[m // 2:] = True
            sides.append(Sequence(ids, mask))
        out.append(Encoded(make_example(str(i), name, "p", "r", "x" if pairs else None), tuple(sides)))
    return out


@pytest.mark.parametrize("pairs", [False, True])
def test_packing_counts_real_tokens_and_places_every_sequence(pairs):
    enc = {"a": _fake("a", [30, 50, 70, 20, 64], pairs), "b": _fake("b", [15, 40, 9], pairs, seed=1)}
    lengths = {k: [e.tokens for e in v] for k, v in enc.items()}
    draws = plan_mixture(lengths, {"a": 0.6, "b": 0.4}, 1000, 3)
    batches = pack(draws, enc, seq_len=64, batch_size=4, pad_id=0)
    assert sum(b.tokens for b in batches) == 1000
    assert all(b.tokens + b.padding == 4 * 64 for b in batches)
    assert [d for b in batches for d in b.draws] == draws  # stream order kept
    for b in batches:
        # each prediction targets the next token of its own sequence, at a trained (mask) position
        assert torch.equal(b.input_ids[b.pred_rows, b.pred_cols + 1], b.targets)
        assert (b.position_ids[b.pred_rows, b.pred_cols + 1] == b.position_ids[b.pred_rows, b.pred_cols] + 1).all()
        if pairs:
            complete = sum(d.tokens == d.full for d in b.draws)
            assert b.pairs.shape == (complete, 2)
    expected_preds = 0
    for d in draws:
        e = enc[d.set][d.index]
        left = d.tokens
        for s in e.seqs:
            take = min(len(s), left)
            left -= take
            expected_preds += int(s.mask[1:take].sum())
    assert sum(b.n_pred for b in batches) == expected_preds


def test_packed_forward_equals_separate_forwards():
    """Packing must not let a sequence attend to its neighbours (position_ids restart per sequence)."""
    from _tiny import tiny_model
    from mixmerge.training.losses import sequence_logps, token_logps

    torch.manual_seed(0)
    model = tiny_model(0, max_position_embeddings=128)
    enc = {"a": _fake("a", [20, 33, 17, 25], seed=4)}
    draws = plan_mixture({"a": [e.tokens for e in enc["a"]]}, {"a": 1.0}, sum(e.tokens for e in enc["a"]), 0)
    batch = pack(draws, enc, seq_len=64, batch_size=2, pad_id=0)[0]
    assert batch.n_seqs == 4  # several sequences share a row
    with torch.no_grad():
        packed = sequence_logps(token_logps(model, batch), batch)
        for k, d in enumerate(batch.draws):
            s = enc["a"][d.index].seqs[0]
            ids = torch.from_numpy(s.ids)[None]
            logp = torch.log_softmax(model(ids).logits[0, :-1].float(), -1)
            alone = logp[torch.arange(len(s) - 1), ids[0, 1:]][torch.from_numpy(s.mask[1:])].sum()
            assert packed[k].item() == pytest.approx(alone.item(), abs=1e-4)
