"""The study spec and bad input: every mistake exits 2 with a message, and nothing is written to the store."""

from __future__ import annotations

from pathlib import Path

import pytest
from _search_fixtures import tiny_problem, write_spec
from hypothesis import given
from hypothesis import strategies as st
from mixmerge.search.screening import could_enter_front, dominates, pareto_mask
from mixmerge.search.spec import Constraint, StudySpec
from mixmerge.service.cli import main


@pytest.fixture(scope="module")
def problem(tmp_path_factory) -> dict:
    return tiny_problem(tmp_path_factory.mktemp("problem"))


def _bad(tmp_path: Path, problem: dict, capsys, **overrides) -> str:
    spec = write_spec(tmp_path / "spec.yaml", problem, **overrides)
    code = main(["search", str(spec)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert not (tmp_path / "study.db").exists(), "a bad spec must write nothing"
    return err


def test_unknown_field(tmp_path, problem, capsys):
    assert "budgett" in _bad(tmp_path, problem, capsys, budgett={"trials": 3})


def test_constraint_on_objective_not_in_study(tmp_path, problem, capsys):
    assert "capability" in _bad(tmp_path, problem, capsys, constraints=["capability >= 0.5"])


def test_bounds_low_above_high(tmp_path, problem, capsys):
    assert "low (1.0) is above high (0.2)" in _bad(tmp_path, problem, capsys, space={"coefficients": [1.0, 0.2]})


def test_unreachable_storage(tmp_path, problem, capsys):
    err = _bad(tmp_path, problem, capsys, storage="postgresql://nobody@127.0.0.1:1/none")
    assert "127.0.0.1" in err


def test_experts_failing_validation(tmp_path, problem, capsys):
    from _tiny import save, tiny_model

    foreign = save(tiny_model(5, vocab_size=49152, max_position_embeddings=512, hidden_size=48), tmp_path / "other")
    experts = {**problem["experts"], "honest": str(foreign)}
    err = _bad(tmp_path, problem, capsys, experts=experts)
    assert "honest" in err or "shape" in err


def test_method_cannot_search_knob(tmp_path, problem, capsys):
    assert "cannot search" in _bad(tmp_path, problem, capsys, space={"method_params": {"density": [0.1, 0.9]}})


def test_spec_round_trips_through_the_store_form(tmp_path, problem):
    spec = StudySpec.load(write_spec(tmp_path / "spec.yaml", problem, constraints=["harmless>=base-0.05"],
                                     reference_point={"helpful": 0.1, "harmless": 0, "honest": 0}))
    again = StudySpec.model_validate(spec.stored())
    assert again == spec
    assert spec.reference == [0.1, 0.0, 0.0]
    assert spec.constraints[0].relative_to_base and spec.constraints[0].value == pytest.approx(-0.05)


@pytest.mark.parametrize("text,value,threshold", [
    ("harmless >= 0.9", 0.85, 0.05), ("harmless>=0.9", 0.95, -0.05), ("helpful <= 0.3", 0.5, 0.2),
    ("capability >= base - 0.05", 0.6, -0.05),
])
def test_constraint_violation(text, value, threshold):
    c = Constraint.parse(text)
    assert c.violation(value, {"capability": 0.6}) == pytest.approx(threshold)


def test_bad_constraint_text():
    with pytest.raises(ValueError, match="write NAME >= NUMBER"):
        Constraint.parse("harmless > 0.9")


vectors = st.lists(st.floats(0, 1, allow_nan=False), min_size=3, max_size=3)


@given(st.lists(vectors, min_size=1, max_size=12))
def test_pareto_mask_is_the_non_dominated_set(rows):
    import numpy as np

    pts = np.array(rows)
    mask = pareto_mask(pts)
    for i in range(len(rows)):
        dominated = any(dominates(pts[j], pts[i]) for j in range(len(rows)) if j != i)
        assert mask[i] == (not dominated)
    assert mask.any()


@given(st.lists(vectors, min_size=1, max_size=8), vectors)
def test_a_candidate_is_screened_out_only_when_dominated(front, cand):
    import numpy as np

    admitted = could_enter_front(cand, np.array(front), ["maximize"] * 3)
    assert admitted == (not any(dominates(np.array(f), np.array(cand)) for f in front))
