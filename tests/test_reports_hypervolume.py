"""Exact hypervolume: known values, the analytic DTLZ2 front, Optuna's own computation, incremental curves."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mixmerge.reports.hypervolume import HypervolumeError, hypervolume, hypervolume_curve, nondominated_mask
from optuna._hypervolume import compute_hypervolume

unit = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
point3 = st.tuples(unit, unit, unit)


def test_single_box_and_points_outside_the_reference():
    assert hypervolume([[0.5, 0.4, 0.2]], [0, 0, 0]) == pytest.approx(0.04)
    # a point not strictly above the reference in every objective adds nothing
    assert hypervolume([[0.5, 0.4, 0.2], [0.9, 0.9, -0.1]], [0, 0, 0]) == pytest.approx(0.04)
    assert hypervolume([], [0, 0, 0]) == 0.0
    with pytest.raises(HypervolumeError, match="reference point has 3"):
        hypervolume([[0.1, 0.2]], [0, 0, 0])


@given(point3, point3)
@settings(max_examples=60, deadline=None)
def test_two_boxes_by_inclusion_exclusion(a, b):
    a, b = np.array(a), np.array(b)
    expected = np.prod(a) + np.prod(b) - np.prod(np.minimum(a, b))
    got = hypervolume(np.array([a, b]), [0, 0, 0])
    if np.all(a > 0) and np.all(b > 0):
        assert got == pytest.approx(expected, abs=1e-12)


def _dtlz2_front(n: int) -> np.ndarray:
    """Points on the DTLZ2 front (the positive unit-sphere octant), a regular grid of n x n angles."""
    t = np.linspace(0, math.pi / 2, n)
    t1, t2 = np.meshgrid(t, t)
    t1, t2 = t1.ravel(), t2.ravel()
    return np.stack([np.cos(t1) * np.cos(t2), np.cos(t1) * np.sin(t2), np.sin(t1)], axis=1)


def test_dtlz2_front_converges_to_the_analytic_value():
    # DTLZ2 minimises f on the unit sphere; as maximisation: -f above the reference -1.1.
    analytic = 1.1**3 - math.pi / 6
    values = [hypervolume(-_dtlz2_front(n), [-1.1] * 3) for n in (10, 30, 90)]
    assert all(v < analytic for v in values)
    assert values[0] < values[1] < values[2]
    assert values[2] == pytest.approx(analytic, rel=0.01)
    assert analytic - values[2] < (analytic - values[0]) / 5


@given(st.lists(point3, min_size=1, max_size=25))
@settings(max_examples=40, deadline=None)
def test_matches_optuna(points):
    pts = np.array(points)
    ref = np.array([1.1, 1.1, 1.1])
    expected = compute_hypervolume(pts, ref)  # Optuna minimises: loss values below the reference
    assert hypervolume(-pts, -ref) == pytest.approx(expected, rel=1e-9, abs=1e-12)


@given(st.lists(point3, min_size=0, max_size=30))
@settings(max_examples=60, deadline=None)
def test_nondominated_mask_matches_brute_force(points):
    pts = np.array(points).reshape(-1, 3)
    mask = nondominated_mask(pts)
    for i, p in enumerate(pts):
        dominated = any(np.all(q >= p) and np.any(q > p) for q in pts)
        assert mask[i] == (not dominated)


@given(st.lists(st.tuples(point3, st.booleans()), min_size=1, max_size=25))
@settings(max_examples=40, deadline=None)
def test_incremental_curve_equals_recomputing_each_prefix(rows):
    pts = np.array([r[0] for r in rows])
    ok = np.array([r[1] for r in rows])
    ref = [0.1, 0.1, 0.1]
    curve = hypervolume_curve(pts, ref, feasible=ok)
    for i in range(len(pts)):
        assert curve[i] == pytest.approx(hypervolume(pts[: i + 1][ok[: i + 1]], ref), abs=1e-12)
    assert np.all(np.diff(curve) >= -1e-15)
