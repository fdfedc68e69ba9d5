"""Budget accounting: is there budget left for one more trial?

Every number comes from the store, so accounting survives any stop and continues where it was on resume:
paid FLOPs and device-seconds are the sum of the cost table (setup steps such as expert training included,
costs marked already paid excluded), trials are counted from Optuna's table, and a ``deadline`` given as a
duration is fixed to an absolute time when the study is created (kept in the study's user attributes).

A worker checks before each ``ask``; the trial it then runs may overshoot, so the search stops having spent
at most one trial per worker beyond the budget. The trial budget is exact: trials are counted as soon as
they are asked (RUNNING), a failed trial stops counting, and its retry (WAITING) may still run; the check
and the ask run under one cross-process lock (``Store.lock``), so two workers never both take the last one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import optuna
from mixmerge.search.spec import StudySpec
from mixmerge.storage import Store
from optuna.trial import TrialState

DEADLINE_ATTR = "mixmerge:deadline"
FINAL_FAILURE_ATTR = "mixmerge:final_failure"  # set by the worker on a failed trial it does not retry


@dataclass(frozen=True)
class BudgetStatus:
    """Where a study stands against its budget; ``reached`` names the first budget reached, if any."""

    flops: float
    device_hours: float
    trials: int
    waiting: int
    deadline: datetime | None
    reached: str | None

    def as_dict(self) -> dict[str, object]:
        return {"flops": self.flops, "device_hours": self.device_hours, "trials": self.trials,
                "waiting_retries": self.waiting, "deadline": self.deadline.isoformat() if self.deadline else None,
                "reached": self.reached}


def study_deadline(study: optuna.Study) -> datetime | None:
    raw = study.user_attrs.get(DEADLINE_ATTR)
    return datetime.fromisoformat(raw) if raw else None


def fix_deadline(study: optuna.Study, spec: StudySpec, now: datetime | None = None) -> None:
    """Record the absolute deadline once, when the study is first created (resumes keep it)."""
    if DEADLINE_ATTR in study.user_attrs:
        return
    when = spec.budget.deadline_from(now or datetime.now(UTC))
    if when is not None:
        study.set_user_attr(DEADLINE_ATTR, when.isoformat())


def budget_status(store: Store, study: optuna.Study, spec: StudySpec, now: datetime | None = None) -> BudgetStatus:
    """Compute spent and trials counted so far, and the first budget reached (or None)."""
    totals = store.cumulative_cost(study.study_name)
    trials = study.get_trials(deepcopy=False)
    states = [t.state for t in trials]
    counted = sum(s in (TrialState.COMPLETE, TrialState.RUNNING, TrialState.WAITING) for s in states)
    # a failed trial that will not be retried was spent; a retried one is replaced by its retry
    counted += sum(t.state == TrialState.FAIL and bool(t.user_attrs.get(FINAL_FAILURE_ATTR)) for t in trials)
    waiting = sum(s == TrialState.WAITING for s in states)
    hours = totals.device_seconds / 3600.0
    deadline = study_deadline(study)
    b = spec.budget
    trial_cap = spec.budget_trials() if (b.trials is not None or spec.arm == "mix" and spec.strategy != "search") \
        else None
    reached = None
    if b.flops is not None and totals.flops >= b.flops:
        reached = "flops"
    elif b.device_hours is not None and hours >= b.device_hours:
        reached = "device_hours"
    elif deadline is not None and (now or datetime.now(UTC)) >= deadline:
        reached = "deadline"
    elif trial_cap is not None and counted >= trial_cap and waiting == 0:
        reached = "trials"
    return BudgetStatus(flops=totals.flops, device_hours=hours, trials=counted, waiting=waiting,
                        deadline=deadline, reached=reached)
