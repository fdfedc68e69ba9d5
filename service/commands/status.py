"""``mixmerge status --storage URL --study NAME``: trials, budget used, failures, the Pareto set so far."""

from __future__ import annotations

import argparse
import json
from collections import Counter


def add_parser(subparsers) -> None:
    p = subparsers.add_parser("status", help="where a study stands: trials, budget, failures, Pareto set",
                              description=__doc__)
    p.add_argument("--storage", default="mixmerge.db")
    p.add_argument("--study", default=None, help="the study (default: list the studies in the store)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=run)


def activity(study, trials) -> str:
    """What a study is doing now, from the stage labels its workers keep in the store: ``setup: scoring the
    base model``, ``trial 3 screening``, ``between trials``."""
    from mixmerge.search.worker import SETUP_ATTR, STAGE_ATTR
    from optuna.trial import TrialState

    if study.user_attrs.get(SETUP_ATTR) != "done":
        return f"setup: {study.user_attrs.get(STAGE_ATTR) or 'loading'}"
    running = [t for t in trials if t.state == TrialState.RUNNING]
    if running:
        return "; ".join(f"trial {t.number} {t.user_attrs.get(STAGE_ATTR, 'starting')}" for t in running)
    return "between trials"


def study_status(store, name: str) -> dict:
    import optuna
    from mixmerge.search.answers import pareto_trials
    from mixmerge.search.budget import budget_status
    from mixmerge.search.worker import DUPLICATE_ATTR, SCREENED_ATTR, base_scores, load_spec

    spec = load_spec(store, name)
    study = optuna.load_study(study_name=name, storage=store.optuna_storage(heartbeat_interval=None,
                                                                             grace_period=None))
    trials = study.get_trials(deepcopy=False)
    states = Counter(t.state.name.lower() for t in trials)
    complete = [t for t in trials if t.state.name == "COMPLETE"]
    hv = store.hv_series(name, split=spec.split, fidelity=1.0)
    totals = store.cumulative_cost(name)
    return {
        "study": name, "arm": spec.arm, "optimizer": spec.optimizer.name, "objectives": spec.traded_keys,
        "constraints": spec.constraint_names, "trials": dict(states), "now": activity(study, trials),
        "screened_out": sum(bool(t.user_attrs.get(SCREENED_ATTR)) for t in complete),
        "duplicates": sum(DUPLICATE_ATTR in t.user_attrs for t in complete),
        "failures": [{"trial": f["trial_number"], "reason": f["reason"]} for f in store.failures(name)],
        "budget": {"spec": spec.budget.model_dump(exclude_none=True),
                   **budget_status(store, study, spec).as_dict(),
                   "already_paid_flops": totals.already_paid_flops},
        "hypervolume": hv[-1]["hypervolume"] if hv else None,
        "pareto_trials": pareto_trials(store, spec, base_scores(store, name)),
    }


def run(args: argparse.Namespace) -> int:
    import optuna
    from mixmerge.storage import open_store

    with open_store(args.storage, migrate_schema=False) as store:
        if args.study is None:
            names = optuna.get_all_study_names(store.optuna_storage(heartbeat_interval=None, grace_period=None))
            print(json.dumps({"studies": names}) if args.json else "\n".join(names) or "no studies")
            return 0
        info = study_status(store, args.study)
    if args.json:
        print(json.dumps(info, indent=1, default=str))
        return 0
    b = info["budget"]
    print(f"study {info['study']} ({info['arm']} arm, {info['optimizer']}): objectives {', '.join(info['objectives'])}")
    print(f"  now: {info['now']}")
    print(f"  trials: {', '.join(f'{k} {v}' for k, v in sorted(info['trials'].items())) or 'none'}; "
          f"screened out {info['screened_out']}, duplicates {info['duplicates']}")
    print(f"  budget {b['spec']}: used {b['flops']:.3g} FLOPs, {b['device_hours']:.3g} device-hours, "
          f"{b['trials']} trials{'; reached: ' + b['reached'] if b['reached'] else ''}")
    if info["hypervolume"] is not None:
        print(f"  hypervolume (dev, full fidelity): {info['hypervolume']:.4f}")
    print(f"  Pareto set (feasible, full fidelity): trials {info['pareto_trials'] or 'none yet'}")
    for f in info["failures"]:
        print(f"  failed trial {f['trial']}: {f['reason']}")
    return 0
