"""Bootstrap intervals, paired comparisons and score aggregation (the statistics every figure rests on)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mixmerge.objectives.scoring import Cost, ItemResult, bootstrap_ci, make_score, paired_bootstrap

unit = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)


@settings(max_examples=40, deadline=None)
@given(st.lists(unit, min_size=2, max_size=60), st.integers(0, 10))
def test_bootstrap_interval_brackets_mean_and_is_deterministic(values, seed):
    lo, hi = bootstrap_ci(values, seed=seed, resamples=400)
    mean = float(np.mean(values))
    assert min(values) - 1e-12 <= lo <= mean + 1e-9
    assert mean - 1e-9 <= hi <= max(values) + 1e-12
    assert (lo, hi) == bootstrap_ci(values, seed=seed, resamples=400)


def test_bootstrap_interval_shrinks_with_more_items():
    rng = np.random.default_rng(1)
    small = rng.integers(0, 2, 50).astype(float)
    large = rng.integers(0, 2, 2000).astype(float)
    w_small = np.subtract(*bootstrap_ci(small)[::-1])
    w_large = np.subtract(*bootstrap_ci(large)[::-1])
    assert w_large < w_small / 4  # ~ 1/sqrt(n): sqrt(40) = 6.3
    # the textbook normal-approximation width for a proportion near 0.5
    assert abs(w_large - 2 * 1.96 * np.sqrt(0.25 / 2000)) < 0.01


@settings(max_examples=30, deadline=None)
@given(st.lists(unit, min_size=3, max_size=40))
def test_paired_bootstrap_of_identical_models_is_zero(values):
    r = paired_bootstrap(values, values, resamples=300)
    assert r["diff"] == 0 and r["ci_low"] == 0 and r["ci_high"] == 0 and r["p_better"] == 0.5


def test_paired_bootstrap_detects_a_consistent_gain_that_unpaired_intervals_miss():
    rng = np.random.default_rng(0)
    difficulty = rng.random(200)
    a = np.clip(difficulty + 0.03, 0, 1)
    b = difficulty
    r = paired_bootstrap(a, b)
    assert r["ci_low"] > 0 and r["p_better"] == 1.0
    lo_a, _ = bootstrap_ci(a)
    _, hi_b = bootstrap_ci(b)
    assert lo_a < hi_b  # the unpaired intervals overlap


def test_paired_bootstrap_rejects_unequal_lists():
    with pytest.raises(ValueError, match="equal"):
        paired_bootstrap([1, 0], [1])


def test_make_score_categories_and_worst():
    items = [ItemResult(id=str(i), category="a" if i < 4 else "b", kind="choice", score=float(i % 2 if i < 4 else 1))
             for i in range(6)]
    s = make_score("helpful", "dev", items, Cost(tokens=10, flops=20.0, seconds=1.0))
    assert s.value == pytest.approx(4 / 6)
    assert s.per_category["a"].value == 0.5 and s.per_category["b"].value == 1.0
    assert s.worst_category == "a" and s.worst_value == 0.5
    assert s.ci_low <= s.value <= s.ci_high
    assert "per_item" not in s.summary()
    with pytest.raises(ValueError, match="no items"):
        make_score("x", "dev", [], Cost())
