"""Samplers on the real merging problem at screening fidelity: qLogNEHVI and GP against random search.

Issue 5 asks for "the real merging problem on the built-in suite at screening fidelity, 3 seeds x 30 evaluations,
qLogNEHVI and GP against random". This script measures exactly that.

The problem is the demo's merge arm, its spec made by ``DemoPlan.specs()`` (``mixmerge demo``): the built-in base
SmolLM2-135M-Instruct, the three cached default experts (helpful, harmless, honest; the newest complete
``<cache>/experts/default-*``, found as ``search_costs.py --experts auto`` finds them), task arithmetic with one
coefficient per expert in [0, 1], objectives helpful, harmless and honest (traded) and capability (a guard, not
traded), the constraint ``capability >= base - 0.1``, the reference point 0 in each objective, the built-in suite's
dev split. Every evaluation is the worker's screening stage and nothing else: N items per objective (``--items``,
default 12). The demo screens at 24 (half of its 48 items); 12 is used here because 3 samplers x 3 seeds x 30 = 270
evaluations must fit in about an hour on 2 cores. The items are the worker's own screening selection
(``Worker._build_objectives``) for the demo's spec made with ``items = 2N``, so ``--items 24`` is exactly the demo's
screening set. That selection is seeded by the spec's seed (0, the demo's), never by the sampler's: every run
scores the same items. The base is scored once per process at that spec's full fidelity (2N items), as the worker's
setup scores it, and its capability sets the constraint's threshold.

How it runs, reusing the search's own code: each process (``--jobs J``, one torch and one BLAS thread each, each
taking whole runs) loads the base, the experts and the evaluation data once, as a worker does (``Worker``'s
``_build_objectives``, ``_reference_scores`` and ``_load_merge``: a ``ResidentMerger`` on the live model), then
takes one-off costs out of the timings, untimed: a first merge and score, and a first model-based proposal of each
sampler on synthetic observations (imports, first calls). Each (sampler, seed) run is an in-memory Optuna study
with the spec's directions, its sampler made by ``make_sampler`` from the spec's optimizer settings, reference point
and constraints (the worker's call, with the run's seed), and ``--trials`` sequential trials: ask ->
``space.suggest`` -> a candidate identical to an earlier one is told its twin's values without compute
(``Worker._twin``/``_tell_duplicate``) -> resident re-merge (``Worker._build``) -> the screening objectives
(``Worker._score``) -> ``Worker._tell`` (the traded scores as values, each constraint's violation as a constraint
value). A NaN score fails the trial, as in the worker.

Per run: the hypervolume of the feasible points over helpful, harmless and honest at the spec's reference point
(``reports.hypervolume.hypervolume_curve``, the reports' function) after a third, two thirds and all of the trials
(10, 20, 30), the share of feasible evaluations, the wall seconds per evaluation (merge + score) and per proposal
(ask + suggest, mean over the trials after the ``n_startup`` start-up points, or over all when there are no others).
The table gives the mean ± standard error over seeds per sampler, then each sampler's difference to random at the
last checkpoint (mean ± standard error of the difference of independent means).

Real model (sized for about an hour on 2 idle cores: 2 processes of one thread each)::

    .venv/bin/python benchmarks/real_search.py --jobs 2 --json real_search.json

Reprint its tables (also of an unfinished run: the file is written after every run)::

    .venv/bin/python benchmarks/real_search.py --from-json real_search.json

Plumbing only (tiny random models, multiple-choice files, 3 start-up points, seconds)::

    .venv/bin/python benchmarks/real_search.py --tiny --trials 6 --seeds 0,1

``--dry-run`` resolves the base, the experts and the items, validates the inputs, prints the plan and stops.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import multiprocessing as mp
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import optuna
from mixmerge.search.spec import BudgetSpec, StudySpec
from mixmerge.search.trials import base_is_tied, build_space, candidate_key
from mixmerge.search.worker import KEY_ATTR, TrialFailed, Worker, WorkerReport
from optuna.trial import TrialState

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
EXPERT_NAMES = ("helpful", "harmless", "honest")
FRACTIONS = (1, 2, 3)  # hypervolume after a third, two thirds and all of the trials


def echo(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# --- the problem --------------------------------------------------------------------------------------------------
def _siblings() -> None:
    """Make the sibling benchmark scripts importable (search_costs, optimizers)."""
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))


def real_problem(args: argparse.Namespace) -> Any:
    """The built-in base and the experts; objectives, guard and evaluation are the demo's own defaults."""
    _siblings()
    from search_costs import Problem, parse_experts

    return Problem(args.base, parse_experts(args.experts), objectives=[], constraints=[], evaluation={})


def tiny_problem(root: Path, items: int) -> Any:
    """The search tests' tiny models, with their multiple-choice files written at ``2 * items`` items (the tests'
    have 6), plus a capability guard of the same kind, so that the constraint is exercised too."""
    _siblings()
    sys.path.insert(0, str(ROOT / "tests"))
    from _search_fixtures import tiny_problem as build
    from _search_fixtures import write_mc
    from search_costs import Problem

    p = build(root)
    objectives = []
    for i, name in enumerate((*EXPERT_NAMES, "capability")):
        path = write_mc(root / f"{name}_dev.jsonl", 3 * i, n=2 * items)
        objectives.append({"name": f"{name}=mc:{path}", "trade": name != "capability"})
    return Problem(p["base"], p["experts"], objectives, ["capability >= base - 0.1"],
                   {"batch_size": 8, "fluency_gate": False})


def demo_merge_spec(problem: Any, items: int, trials: int, folder: Path, n_startup: int | None = None) -> StudySpec:
    """The demo's merge-arm spec for ``problem`` with ``2 * items`` items (it screens half), ``trials`` trials
    (and ``n_startup`` start-up points instead of the demo's, when given)."""
    from mixmerge.service.commands.demo import DemoPlan, default_recipe

    given = {k: v for k, v in (("objectives", problem.objectives), ("constraints", problem.constraints),
                               ("evaluation", problem.evaluation)) if v}
    plan = DemoPlan(out=folder, base=problem.base, experts=problem.experts, training=default_recipe(None),
                    budget_flops=1.0, merge_trials=trials, items=2 * items, threads=1, **given)
    merge, _mix = plan.specs()
    update: dict[str, Any] = {"budget": BudgetSpec(trials=trials)}  # no FLOP budget: runs stop at --trials
    if n_startup is not None:
        update["optimizer"] = merge.optimizer.model_copy(update={"n_startup": n_startup})
    return merge.model_copy(update=update)


# --- a worker without a store -------------------------------------------------------------------------------------
class ScreeningWorker(Worker):
    """A search worker's merge arm in this process, without a store: its objectives (the screening stage's), its
    base scoring, its resident merger, its scoring and its ``tell``, on one in-memory study per run."""

    def __init__(self, spec: StudySpec) -> None:  # Worker.__init__ opens the store and the study: there are none
        self.spec, self.device, self.rank, self.lead, self.max_trials = spec, "cpu", 0, True, None
        self.tied = base_is_tied(spec.base)
        self.space = build_space(spec, self.tied)
        self.study: Any = SimpleNamespace(user_attrs={})  # no lead's expert list: _load_merge takes the spec's
        self.report = WorkerReport()
        self.model = self.tokenizer = self.merger = None
        self._base_scores: dict[str, float] | None = None
        self._snapshot_due = False
        self.setup_s = 0.0
        self.objectives, self.screen_objectives = self._build_objectives(spec.split)
        if self.screen_objectives is None:
            raise ValueError("the spec has no screening stage")

    def load(self) -> float:
        """The worker's setup, minus the store: score the base (full fidelity), then load the resident merger."""
        from mixmerge.objectives.loading import load_model

        start = time.perf_counter()
        model, tokenizer = load_model(self.spec.base)
        scores, _ = self._reference_scores(model, tokenizer, "the base model")
        self._base_scores = {k: s.value for k, s in scores.items()}
        del model, tokenizer
        self._load_merge()
        self.setup_s = time.perf_counter() - start
        return self.setup_s


def run_sampler(spec: StudySpec, space: Any, name: str, seed: int, trials: int) -> Any:
    """The worker's sampler for ``spec`` with optimizer ``name``, seeded by the run (not by the spec)."""
    from mixmerge.search.samplers import make_sampler

    o = spec.optimizer
    return make_sampler(name, space, spec.reference, spec.constraint_names, seed=seed, n_startup=o.n_startup,
                        batch_size=o.batch_size, budget_trials=trials)


def warm_up(worker: ScreeningWorker, samplers: list[str]) -> float:
    """Take one-off costs out of the timings, untimed: a first merge and screening score (the merger's first call,
    the first forward passes on the live model) and a first model-based proposal of each sampler (imports, first
    calls; on synthetic observations, as ``search_costs.py`` does). Returns the seconds it took."""
    _siblings()
    from optimizers import time_proposals

    start = time.perf_counter()
    spec, space = worker.spec, worker.space
    worker._build(None, space.unit_to_params(np.full(space.free_dim, 0.5)))
    worker._score(worker.screen_objectives)
    k, names = len(spec.traded_keys), spec.constraint_names

    def observe(params: dict[str, float]) -> tuple[list[float], dict[str, float]]:
        u = np.array([p.to_unit(params[p.name]) for p in space.params])
        return [float(u[i % len(u)]) for i in range(k)], {n: 0.5 - float(u.mean()) for n in names}

    for name in samplers:
        sampler = run_sampler(spec, space, name, 0, spec.optimizer.n_startup + 1)
        time_proposals(sampler, space, observe, spec.optimizer.n_startup, 1)
    return time.perf_counter() - start


def one_trial(worker: ScreeningWorker) -> dict[str, Any]:
    """ask -> suggest -> duplicate check -> merge -> screening scores -> tell; the trial's timings and scores."""
    study = worker.study
    start = time.perf_counter()
    trial = study.ask()
    point = worker.space.suggest(trial)  # the sampler proposes at ask or at the first suggest
    row: dict[str, Any] = {"number": trial.number, "propose_s": time.perf_counter() - start, "merge_s": 0.0,
                           "score_s": 0.0, "scores": None, "duplicate_of": None, "failed": None}
    key = candidate_key(trial.params)
    trial.set_user_attr(KEY_ATTR, key)
    twin = worker._twin(trial, key)
    if twin is not None:
        worker._tell_duplicate(trial, twin)
        row["duplicate_of"] = twin.number
        return row
    try:
        row["merge_s"], _flops, _ = worker._build(trial, point)
        scores, row["score_s"] = worker._score(worker.screen_objectives)
    except TrialFailed as exc:
        study.tell(trial, state=TrialState.FAIL)
        row["failed"] = str(exc)
        return row
    worker._tell(trial, scores, worker._base_scores, worker.spec.screening.fraction, screened_out=False)
    row["scores"] = {k: s.value for k, s in scores.items()}
    return row


def run_one(worker: ScreeningWorker, name: str, seed: int, trials: int) -> dict[str, Any]:
    """One (sampler, seed) run of ``trials`` sequential trials on a fresh in-memory study."""
    spec = worker.spec
    sampler = run_sampler(spec, worker.space, name, seed, trials)
    worker.study = optuna.create_study(directions=spec.directions, sampler=sampler)
    worker.report = WorkerReport()
    rows, start = [], time.perf_counter()
    for _ in range(trials):
        row = one_trial(worker)
        rows.append(row)
        echo(_trial_line(name, seed, trials, row))
    for t in worker.study.get_trials(deepcopy=False):
        row = rows[t.number]
        row["params"] = dict(t.params)
        row["values"] = list(t.values) if t.state == TrialState.COMPLETE else None
        row["constraints"] = dict(t.constraints)
        row["feasible"] = t.state == TrialState.COMPLETE and all(v <= 0 for v in t.constraints.values())
    return {"sampler": name, "seed": seed, "pid": os.getpid(), "wall_s": time.perf_counter() - start,
            "summary": summarise(rows, spec, trials), "trials": rows}


def _trial_line(name: str, seed: int, trials: int, row: dict[str, Any]) -> str:
    head = f"  {name:9s} seed {seed} trial {row['number'] + 1:3d}/{trials}"
    if row["duplicate_of"] is not None:
        return f"{head}: trial {row['duplicate_of'] + 1}'s candidate again, told its values"
    if row["failed"]:
        return f"{head}: failed: {row['failed']}"
    scores = " ".join(f"{k} {v:.3f}" for k, v in row["scores"].items())
    return (f"{head}: {scores} (propose {row['propose_s']:.2f} s, merge {row['merge_s']:.2f} s, "
            f"score {row['score_s']:.1f} s)")


# --- per-run figures ----------------------------------------------------------------------------------------------
def checkpoints(trials: int) -> list[int]:
    """Evaluation counts at which the hypervolume is reported: 10, 20, 30 for 30 trials."""
    return sorted({max(1, round(trials * k / len(FRACTIONS))) for k in FRACTIONS})


def hypervolumes(rows: list[dict[str, Any]], spec: StudySpec, at: list[int]) -> dict[str, float]:
    """Hypervolume of the feasible points among the first n trials, for each n in ``at`` (the reports' function)."""
    from mixmerge.reports.hypervolume import hypervolume_curve
    from mixmerge.search.screening import to_max

    k = len(spec.traded_keys)
    points = np.array([to_max(r["values"], spec.directions) if r["values"] else np.full(k, np.nan) for r in rows])
    curve = hypervolume_curve(points, to_max(spec.reference, spec.directions), [r["feasible"] for r in rows])
    return {str(n): float(curve[n - 1]) for n in at}


def summarise(rows: list[dict[str, Any]], spec: StudySpec, trials: int) -> dict[str, Any]:
    n_startup = spec.optimizer.n_startup
    modelled = rows[n_startup:] or rows
    evaluated = [r for r in rows if r["duplicate_of"] is None]
    return {
        "hv": hypervolumes(rows, spec, checkpoints(trials)),
        "feasible_share": sum(r["feasible"] for r in rows) / len(rows),
        "s_per_eval": statistics.fmean(r["merge_s"] + r["score_s"] for r in evaluated) if evaluated else math.nan,
        "s_per_proposal": statistics.fmean(r["propose_s"] for r in modelled),
        "proposals_timed": "after start-up" if rows[n_startup:] else "all (no trial after start-up)",
        "duplicates": len(rows) - len(evaluated), "failed": sum(1 for r in rows if r["failed"]),
    }


# --- processes ----------------------------------------------------------------------------------------------------
_WORKER: ScreeningWorker | None = None


def _task(task: tuple[dict[str, Any], list[str], str, int, int]) -> dict[str, Any]:
    """One run in this process; the first loads the problem (lazily: a failing Pool initializer respawns forever)."""
    global _WORKER
    spec_json, samplers, name, seed, trials = task
    if _WORKER is None:
        _siblings()
        from optimizers import _single_thread

        _single_thread()  # one torch and one BLAS thread; Optuna quiet
        _WORKER = ScreeningWorker(StudySpec.model_validate(spec_json))
        _WORKER.load()
        warm = warm_up(_WORKER, samplers)
        base = ", ".join(f"{k} {v:.3f}" for k, v in _WORKER._base_scores.items())
        echo(f"[pid {os.getpid()}] loaded in {_WORKER.setup_s:.0f} s, warmed up in {warm:.0f} s; base (full "
             f"fidelity): {base}")
    result = run_one(_WORKER, name, seed, trials)
    result["setup_s"], result["base_scores"] = _WORKER.setup_s, _WORKER._base_scores
    return result


def run_all(spec: StudySpec, tasks: list[tuple[str, int]], trials: int, jobs: int):
    """Yield finished runs; ``jobs`` spawned processes each take whole runs (in-process when 1)."""
    samplers = list(dict.fromkeys(name for name, _ in tasks))
    payload = [(spec.stored(), samplers, name, seed, trials) for name, seed in tasks]
    if jobs == 1:
        yield from map(_task, payload)
        return
    with mp.get_context("spawn").Pool(min(jobs, len(payload))) as pool:
        yield from pool.imap_unordered(_task, payload)


# --- report -------------------------------------------------------------------------------------------------------
def _mean_se(values: list[float]) -> tuple[float, float]:
    _siblings()
    from optimizers import _mean_se as mean_se

    return mean_se(values)


def _pm(mean: float, se: float, digits: int = 4) -> str:
    return f"{mean:.{digits}f}" + ("" if math.isnan(se) else f" ± {se:.{digits}f}")


def print_report(result: dict[str, Any]) -> None:
    """Markdown: hypervolume per sampler (mean ± SE over seeds), feasible share, timings; differences to random."""
    c, runs = result["config"], result["runs"]
    at = [str(n) for n in c["checkpoints"]]
    items = ", ".join(f"{k} {v}" for k, v in c["screen_items"].items())
    print(f"{c['label']}: {c['method']} over {', '.join(c['experts'])}; screening fidelity ({items} items) on "
          f"{c['split']}; {c['trials']} evaluations per run, {c['n_startup']} start-up points; constraints "
          f"{', '.join(c['constraints']) or 'none'}")
    if runs:
        base = ", ".join(f"{k} {v:.3f}" for k, v in runs[0]["base_scores"].items())
        print(f"base, full fidelity ({', '.join(str(v) for v in c['base_items'].values())} items): {base}")
    print(f"hypervolume of the feasible points over {', '.join(c['traded'])} at reference {c['reference']}, "
          "mean ± standard error over seeds; wall seconds per evaluation (merge + score) and per proposal (ask + "
          "suggest, trials after start-up)\n")
    print("| sampler | seeds | " + " | ".join(f"HV@{n}" for n in at) + " | feasible share | s/eval | s/proposal |")
    print("|---|---|" + "---|" * len(at) + "---|---|---|")
    last: dict[str, tuple[float, float]] = {}
    for name in c["samplers"]:
        mine = [r["summary"] for r in runs if r["sampler"] == name]
        if not mine:
            continue
        hv = {n: _mean_se([s["hv"][n] for s in mine]) for n in at}
        last[name] = hv[at[-1]]
        share = statistics.fmean(s["feasible_share"] for s in mine)
        evals = statistics.fmean(s["s_per_eval"] for s in mine)
        props = statistics.fmean(s["s_per_proposal"] for s in mine)
        print(f"| {name} | {len(mine)} | " + " | ".join(_pm(*hv[n]) for n in at)
              + f" | {share:.0%} | {evals:.2f} | {props:.3f} |")
    extra = [(r["sampler"], r["seed"], r["summary"]) for r in runs if r["summary"]["duplicates"] or
             r["summary"]["failed"] or not r["summary"]["proposals_timed"].startswith("after")]
    for name, seed, s in extra:
        print(f"\n{name} seed {seed}: {s['duplicates']} duplicate(s) (told their twin's values, not timed as "
              f"evaluations), {s['failed']} failed; proposals timed: {s['proposals_timed']}")
    if "random" in last and len(last) > 1:
        r_mean, r_se = last["random"]
        print(f"\nDifference to random at {at[-1]} evaluations (mean ± standard error of the difference of "
              "independent means, sqrt(se^2 + se_random^2)):\n")
        print(f"| sampler | HV@{at[-1]} - random | in standard errors |")
        print("|---|---|---|")
        for name, (mean, se) in last.items():
            if name == "random":
                continue
            d, d_se = mean - r_mean, math.hypot(se, r_se)
            ratio = f"{d / d_se:+.1f}" if d_se > 0 and not math.isnan(d_se) else "–"
            print(f"| {name} | {d:+.4f}" + ("" if math.isnan(d_se) else f" ± {d_se:.4f}") + f" | {ratio} |")


def write_json(path: Path, result: dict[str, Any]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(result, indent=1, default=str))
    os.replace(tmp, path)


# --- main ---------------------------------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    _siblings()
    from search_costs import add_problem_options

    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_problem_options(p)
    p.add_argument("--items", type=int, default=12,
                   help="items per objective at screening fidelity (default %(default)s; the demo's is 24)")
    p.add_argument("--samplers", default="qlognehvi,gp,random", help="comma-separated (default %(default)s)")
    p.add_argument("--seeds", default="0,1,2", help="sampler seeds, comma-separated (default %(default)s)")
    p.add_argument("--trials", type=int, default=30, help="evaluations per run (default %(default)s)")
    p.add_argument("--n-startup", type=int, default=None,
                   help="start-up points of qlognehvi and gp (default: the demo's, 10; --tiny: 3, so that a short "
                        "plumbing run reaches the model-based proposals)")
    p.add_argument("--jobs", type=int, default=1,
                   help="processes, each with one torch thread and its own model, taking whole runs (default 1)")
    p.add_argument("--json", type=Path, default=None, help="write every number here, after every finished run")
    p.add_argument("--from-json", type=Path, default=None, help="print the tables of a saved run and stop")
    p.add_argument("--dry-run", action="store_true", help="resolve and validate the inputs, print the plan, stop")
    return p


def _ints(text: str, what: str) -> list[int]:
    try:
        values = [int(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise ValueError(f"{what}: give comma-separated integers, got {text!r}") from None
    if not values or len(set(values)) != len(values) or min(values) < 0:
        raise ValueError(f"{what}: give distinct integers >= 0, got {text!r}")
    return values


def check_args(args: argparse.Namespace) -> None:
    from mixmerge.search.samplers import SAMPLER_NAMES

    args.seed_list = _ints(args.seeds, "--seeds")
    args.sampler_list = [s.strip() for s in args.samplers.split(",") if s.strip()]
    unknown = sorted(set(args.sampler_list) - set(SAMPLER_NAMES))
    if unknown or not args.sampler_list:
        raise ValueError(f"--samplers: unknown {unknown or args.samplers!r}; choose from {', '.join(SAMPLER_NAMES)}")
    if args.n_startup is None and args.tiny:
        args.n_startup = 3
    for name, value in (("--items", args.items), ("--trials", args.trials), ("--jobs", args.jobs),
                        ("--n-startup", 1 if args.n_startup is None else args.n_startup)):
        if value < 1:
            raise ValueError(f"{name} must be >= 1, got {value}")


def plan_config(args: argparse.Namespace, problem: Any, spec: StudySpec, worker: ScreeningWorker) -> dict[str, Any]:
    return {
        "label": "tiny random models (plumbing only)" if args.tiny else f"base {spec.base}",
        "command": " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]), "base": spec.base, "experts": problem.experts,
        "method": spec.method, "split": spec.split, "items": args.items, "trials": args.trials,
        "samplers": args.sampler_list, "seeds": args.seed_list, "jobs": args.jobs,
        "n_startup": spec.optimizer.n_startup, "traded": spec.traded_keys, "reference": spec.reference,
        "constraints": spec.constraint_names, "checkpoints": checkpoints(args.trials),
        "screen_items": {o.name: len(o.items) for o in worker.screen_objectives},
        "screen_item_ids": {o.name: [it.id for it in o.items] for o in worker.screen_objectives},
        "base_items": {o.name: len(o.items) for o in worker.objectives},
        "spec": spec.stored(),
    }


def print_plan(config: dict[str, Any], tasks: list[tuple[str, int]]) -> None:
    c = config
    echo(f"{c['label']}\nexperts: {c['experts']}\nmethod {c['method']}, objectives traded {c['traded']} at "
         f"reference {c['reference']}, constraints {c['constraints']}\nscreening items per objective "
         f"({c['split']}): {c['screen_items']}; the base scored once per process on {c['base_items']}\n"
         f"{len(tasks)} runs ({', '.join(c['samplers'])} x seeds {c['seeds']}) of {c['trials']} evaluations, "
         f"{c['n_startup']} start-up points, hypervolume at {c['checkpoints']}; {c['jobs']} process(es)")


def run(args: argparse.Namespace) -> dict[str, Any]:
    check_args(args)
    work = Path(tempfile.mkdtemp(prefix="real_search-"))
    try:
        problem = tiny_problem(work / "tiny", args.items) if args.tiny else real_problem(args)
        spec = demo_merge_spec(problem, args.items, args.trials, work, args.n_startup)
        config = plan_config(args, problem, spec, ScreeningWorker(spec))
        tasks = [(name, seed) for seed in args.seed_list for name in args.sampler_list]  # whole seeds first
        print_plan(config, tasks)
        if args.dry_run:
            from mixmerge.search.runner import check_inputs

            check_inputs(spec)
            echo("inputs valid; dry run: nothing evaluated")
            return {"config": config, "runs": []}
        result: dict[str, Any] = {"config": config, "runs": []}
        started = time.perf_counter()
        for r in run_all(spec, tasks, args.trials, args.jobs):
            result["runs"].append(r)
            s = r["summary"]
            hv = " ".join(f"hv@{n} {v:.4f}" for n, v in s["hv"].items())
            echo(f"[{time.perf_counter() - started:6.0f} s] {r['sampler']} seed {r['seed']}: {hv}, feasible "
                 f"{s['feasible_share']:.0%}, {s['s_per_eval']:.2f} s/eval, {s['s_per_proposal']:.3f} s/proposal")
            if args.json:
                write_json(args.json, result)
        result["wall_s"] = time.perf_counter() - started
        if args.json:
            write_json(args.json, result)
        print_report(result)
        print(f"\nwall time {result['wall_s']:.0f} s, {args.jobs} process(es)")
        return result
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    if args.from_json:
        print_report(json.loads(args.from_json.read_text()))
        return 0
    try:
        run(args)
    except ValueError as err:  # bad input (pydantic's ValidationError is a ValueError too)
        print(f"real_search: error: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
