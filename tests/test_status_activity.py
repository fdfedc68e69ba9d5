"""``mixmerge status`` says what a study is doing now, from the stage labels its workers store."""

from __future__ import annotations

import optuna
from mixmerge.search.worker import SETUP_ATTR, STAGE_ATTR
from mixmerge.service.commands.status import activity

optuna.logging.set_verbosity(optuna.logging.WARNING)


def _now(study: optuna.Study) -> str:
    return activity(study, study.get_trials(deepcopy=False))


def test_activity_follows_setup_then_running_trials():
    study = optuna.create_study(directions=["maximize"])
    assert _now(study) == "setup: loading"
    study.set_user_attr(STAGE_ATTR, "scoring the base model")
    assert _now(study) == "setup: scoring the base model"
    study.set_user_attr(SETUP_ATTR, "done")
    assert _now(study) == "between trials"
    first, second = study.ask(), study.ask()
    first.set_user_attr(STAGE_ATTR, "screening")
    assert _now(study) == f"trial {first.number} screening; trial {second.number} starting"
    study.tell(first, [0.5])
    study.tell(second, state=optuna.trial.TrialState.FAIL)
    assert _now(study) == "between trials"
