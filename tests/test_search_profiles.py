"""Deployment profiles in the study spec: validated with the field named, kept in the store's spec, and used by
the reports in place of the documented defaults."""

from __future__ import annotations

import numpy as np
import pytest
import yaml
from _report_fixtures import build_study
from mixmerge.reports.data import load_study
from mixmerge.reports.html import analyse, render_html
from mixmerge.reports.profiles import DEFAULT_PROFILES, choose, profiles_for
from mixmerge.search.spec import PROFILE_NAMES, StudySpec
from mixmerge.service.cli import main
from mixmerge.storage import open_store
from pydantic import ValidationError


def _spec(**overrides) -> dict:
    spec = {"study": "p", "arm": "merge", "base": "/nowhere/base",
            "experts": {k: f"/nowhere/{k}" for k in ("helpful", "harmless", "honest")},
            "objectives": ["helpful", "harmless", "honest", {"name": "capability", "trade": False}],
            "budget": {"trials": 3}}
    spec.update(overrides)
    return spec


def _error(**overrides) -> str:
    with pytest.raises(ValidationError) as info:
        StudySpec.model_validate(_spec(**overrides))
    return str(info.value)


def test_the_documented_profile_names_match_the_reports_defaults():
    assert set(PROFILE_NAMES) == set(DEFAULT_PROFILES)


def test_profiles_validate_and_round_trip_through_the_store_form():
    spec = StudySpec.model_validate(_spec(profiles={
        "safety-first": {"constraints": ["harmless >= 0.95"]},
        "cautious-helper": {"constraints": ["harmless>=0.7", "honest >= 0.2"], "weights": {"helpful": 2, "honest": 1},
                            "scalarization": "weighted_min", "description": "helpful, but careful"},
    }))
    assert spec.profiles["safety-first"].constraints == ["harmless>=0.95"]
    stored = spec.stored()
    assert stored["profiles"]["safety-first"] == {"constraints": ["harmless>=0.95"]}  # only what was given
    assert StudySpec.model_validate(stored) == spec
    assert "profiles" not in StudySpec.model_validate(_spec()).stored()  # older stores still match on resume


@pytest.mark.parametrize("profiles,where,says", [
    ({"safety-first": {"weigths": {"harmless": 1}}}, "profiles.safety-first.weigths", "Extra inputs"),
    ({"safety-first": {"constraints": ["harmless > 0.9"]}}, "profiles.safety-first.constraints", "NAME >= NUMBER"),
    ({"safety-first": {"constraints": ["harmless >= base - 0.1"]}}, "profiles.safety-first.constraints",
     "minimum score"),
    ({"safety-first": {"constraints": ["harmless <= 0.9"]}}, "profiles.safety-first.constraints", "minimum score"),
    ({"safety-first": {"constraints": ["harmless >= 0.9", "harmless >= 0.8"]}}, "profiles.safety-first.constraints",
     "more than once"),
    ({"safety-first": {"weights": {"helpful": -1}}}, "profiles.safety-first.weights", "not all 0"),
    ({"safety-first": {"weights": {"helpful": 0}}}, "profiles.safety-first.weights", "not all 0"),
    ({"safety-first": {"scalarization": "product"}}, "profiles.safety-first.scalarization", "weighted_sum"),
    ({"mine": {"constraints": ["harmless >= 0.5"]}}, "profiles.mine.weights", "needs weights"),
    ({"mine": {"weights": {"creative": 1}}}, "profiles.mine.weights", "'creative'"),
    ({"balanced": {"constraints": ["capability >= 0.5"]}}, "profiles.balanced.constraints", "guards"),
    ({"bad name!": {"weights": {"helpful": 1}}}, "profiles: name 'bad name!'", "letters"),
])
def test_bad_profiles_are_refused_with_the_field_named(profiles, where, says):
    err = _error(profiles=profiles)
    flat = err.replace("\n  ", " ").replace("\n", " ")  # pydantic prints the location on its own line
    assert where in flat and says in flat, err


def test_the_cli_refuses_a_bad_profile_with_exit_2_and_writes_nothing(tmp_path, capsys):
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(_spec(storage=str(tmp_path / "study.db"),
                                         profiles={"honest-first": {"weights": {"honesty": 3}}})))
    assert main(["search", str(path)]) == 2
    err = capsys.readouterr().err
    assert "profiles.honest-first.weights" in err and "honesty" in err
    assert not (tmp_path / "study.db").exists()


def test_reports_use_the_spec_profiles(tmp_path):
    store = open_store(tmp_path / "study.db")
    build_study(store, "s", "merge", n_trials=24, seed=3)
    default = choose(load_study(store, "s"), DEFAULT_PROFILES["safety-first"])["chosen"]
    spec = StudySpec.model_validate(_spec(study="s", profiles={
        "safety-first": {"constraints": ["harmless >= 0.3"], "weights": {"helpful": 1}},
        "cautious-helper": {"constraints": ["harmless >= 0.2"], "weights": {"helpful": 2, "honest": 1}},
    }))
    store.put_study_meta("s", arm="merge", spec=spec.stored(), reference_point=[0, 0, 0], replace=True)
    data = load_study(store, "s")
    profiles = profiles_for(data.spec)
    assert list(profiles) == [*PROFILE_NAMES, "cautious-helper"]
    safety = profiles["safety-first"]
    assert safety.minimums == {"harmless": 0.3} and safety.weights == {"helpful": 1}
    assert safety.scalarization == "weighted_sum" and "overridden in the spec" in safety.description
    assert profiles["balanced"] == DEFAULT_PROFILES["balanced"]

    pool = data.complete[data.complete["feasible"]]
    expected = pool[pool["harmless"] >= 0.3]
    chosen = choose(data, safety)["chosen"]
    assert chosen["number"] == int(expected.loc[expected["helpful"].idxmax(), "number"])
    assert default is None or chosen["number"] != default["number"], "the override must change the choice"
    helper = pool[pool["harmless"] >= 0.2]
    utility = (2 * helper["helpful"] + helper["honest"]) / 3
    assert choose(data, profiles["cautious-helper"])["chosen"]["number"] == int(helper.loc[utility.idxmax(), "number"])

    report = analyse(store, ["s"], n_boot=20)
    (study,) = report.studies
    by_name = {p["profile"]: p for p in study.profiles}
    assert by_name["safety-first"]["chosen"]["number"] == chosen["number"]
    assert by_name["safety-first"]["minimums"] == {"harmless": 0.3}
    assert "cautious-helper" in render_html(store, report)
    assert np.isfinite(by_name["cautious-helper"]["chosen"]["utility"])
    store.close()
