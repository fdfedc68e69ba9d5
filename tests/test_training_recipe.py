"""The shared recipe and the mixture on the simplex: validation, presets, schedule, FLOP formulas."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from mixmerge.training.cost import ParamCounts, nominal_train_flops, train_flops
from mixmerge.training.recipe import Mixture, TrainRecipe, parse_mix
from pydantic import ValidationError


def test_mixture_must_be_on_the_simplex():
    Mixture(ratios={"a": 0.5, "b": 0.5 + 5e-7})  # within 1e-6
    with pytest.raises(ValidationError, match="sum to"):
        Mixture(ratios={"a": 0.5, "b": 0.4})
    with pytest.raises(ValidationError, match=">= 0"):
        Mixture(ratios={"a": 1.2, "b": -0.2})
    with pytest.raises(ValidationError, match="at least one"):
        Mixture(ratios={})


def test_presets():
    assert Mixture.uniform(["a", "b", "c"]).ratios == pytest.approx({"a": 1 / 3, "b": 1 / 3, "c": 1 / 3})
    assert Mixture.proportional({"a": 100, "b": 300}).ratios == {"a": 0.25, "b": 0.75}
    assert Mixture.one_hot("honest").active() == {"honest": 1.0}


def test_parse_mix():
    assert parse_mix("helpful=0.5, harmless=0.3,honest=0.2") == {"helpful": 0.5, "harmless": 0.3, "honest": 0.2}
    for bad, msg in (("helpful", "NAME=RATIO"), ("a=x", "not a number"), ("a=0.5,a=0.5", "twice"), ("", "empty")):
        with pytest.raises(ValueError, match=msg):
            parse_mix(bad)


def test_budget_below_one_batch_is_refused():
    TrainRecipe(tokens=8 * 256)
    with pytest.raises(ValidationError, match="below one batch"):
        TrainRecipe(tokens=8 * 256 - 1)
    with pytest.raises(ValidationError):
        TrainRecipe(tokens=10_000, lr=-1)


@given(st.integers(1, 500), st.sampled_from(["constant", "linear", "cosine"]), st.floats(0, 0.5))
def test_schedule_warms_up_then_never_exceeds_peak(steps, schedule, warmup):
    r = TrainRecipe(tokens=4096, lr=1e-3, schedule=schedule, warmup_fraction=warmup, min_lr_fraction=0.1)
    lrs = [r.lr_at(i, steps) for i in range(steps)]
    assert all(0 < x <= 1e-3 + 1e-15 for x in lrs)
    w = int(round(warmup * steps))
    assert lrs[:w] == sorted(lrs[:w])
    if schedule != "constant" and steps - w > 2:
        assert lrs[-1] == pytest.approx(1e-4)  # decays to min_lr_fraction * lr
        assert lrs[w:] == sorted(lrs[w:], reverse=True)


def test_flop_formulas():
    p = ParamCounts(total=1000, head=200, body=700, lora=0)
    # full fine-tuning: 3 x (2 N_body per token + 2 N_head per head position)
    assert train_flops(p, tokens=10, head_positions=4) == 3 * (2 * 700 * 10 + 2 * 200 * 4)
    assert nominal_train_flops(p, 10) == 6 * 1000 * 10
    assert nominal_train_flops(p, 10, reference_tokens=10) == 8 * 1000 * 10
    lora = ParamCounts(total=1000, head=200, body=700, lora=30)
    assert train_flops(lora, 10, 4) == 4 * 700 * 10 + 4 * 200 * 4 + 6 * 30 * 10
    assert train_flops(lora, 10, 4) < train_flops(p, 10, 4)
