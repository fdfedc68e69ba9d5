"""Optimizers on DTLZ2: hypervolume after 30 and 60 evaluations, and the cost of one proposal.

DTLZ2 with 3 objectives and 6 variables (pymoo's definition) is a minimisation problem with objectives
f_i >= 0 and the Pareto front on the unit sphere. The samplers maximise, as the search does, the scores
y_i = 1.1 - f_i with the reference point 0 in each objective; that is the same hypervolume as minimising f
with reference point 1.1 in each objective (computed exactly with moocore). The best attainable value is
1.1^3 - pi/6 = 0.8074 (unconstrained).

The constrained variant adds one constraint, x0 + x1 >= 0.8 (told as ``trial.set_constraint("c",
0.8 - x0 - x1)``); only feasible points count towards its hypervolume. Its best value is computed here from
a dense sample of the constrained front.

Every sampler runs through ``make_sampler`` exactly as a study would (10 start-up points for the
model-based samplers, NSGA-II population sized to the budget), each seed in the same run as random
search. A run is single-threaded (one torch and one BLAS thread) for every sampler alike.

    .venv/bin/python benchmarks/optimizers.py --seeds 10 --trials 60 [--jobs 2] [--json out.json]

Proposal overhead: for each sampler, a study pre-filled with 30, 60 and 200 random DTLZ2 observations,
then ``--overhead-repeats`` ask/tell rounds; the median seconds one proposal took, in CPU time of the
single-threaded process (what it costs on an idle core) and in wall time (which on a shared machine also
counts waiting for a core).
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing as mp
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

import moocore
import numpy as np
import optuna
from mixmerge.search.samplers import SAMPLER_NAMES, make_sampler
from mixmerge.search.space import ContinuousParam, SearchSpace
from pymoo.problems import get_problem

N_VAR, N_OBJ, SHIFT = 6, 3, 1.1
SPACE = SearchSpace(params=[ContinuousParam(name=f"x{i}", low=0.0, high=1.0) for i in range(N_VAR)])
PROBLEM = get_problem("dtlz2", n_var=N_VAR, n_obj=N_OBJ)
REFERENCE = [0.0] * N_OBJ  # in the maximised scores y = 1.1 - f
N_STARTUP = 10


@dataclass
class Run:
    sampler: str
    constrained: bool
    seed: int
    hv: dict[int, float]
    seconds_per_proposal: float  # wall seconds, mean over the model-based part (after the start-up points)
    cpu_seconds_per_proposal: float = float("nan")  # the same in process CPU time (load-independent)


def _feasible(x: np.ndarray) -> np.ndarray:
    return x[:, 0] + x[:, 1] >= 0.8


def hypervolume(f: np.ndarray) -> float:
    """Exact hypervolume of minimised objectives f at reference point 1.1 (= maximised 1.1 - f at 0)."""
    inside = f[np.all(f < SHIFT, axis=1)]
    return float(moocore.hypervolume(inside, ref=[SHIFT] * N_OBJ)) if len(inside) else 0.0


def best_hypervolume(constrained: bool, grid: int = 1000) -> float:
    """The front's hypervolume: analytic without the constraint, a dense front sample with it
    (within about 0.001 of the limit: 400, 800 and 1000 points a side give 0.6438, 0.6451, 0.6454)."""
    if not constrained:
        return SHIFT**N_OBJ - math.pi / 6
    a, b = np.meshgrid(np.linspace(0, 1, grid), np.linspace(0, 1, grid))
    x = np.full((grid * grid, N_VAR), 0.5)
    x[:, 0], x[:, 1] = a.ravel(), b.ravel()
    x = x[_feasible(x)]
    return hypervolume(PROBLEM.evaluate(x))


def _single_thread() -> None:
    import torch
    from threadpoolctl import threadpool_limits

    torch.set_num_threads(1)
    threadpool_limits(limits=1, user_api="blas")
    optuna.logging.set_verbosity(optuna.logging.ERROR)


def run_one(args: tuple[str, bool, int, int]) -> Run:
    name, constrained, seed, n_trials = args
    _single_thread()
    sampler = make_sampler(
        name,
        SPACE,
        REFERENCE,
        ["c"] if constrained else [],
        seed=seed,
        n_startup=N_STARTUP,
        budget_trials=n_trials,
    )
    study = optuna.create_study(directions=["maximize"] * N_OBJ, sampler=sampler)
    xs, seconds, cpu = [], [], []

    def objective(trial: optuna.Trial) -> list[float]:
        start, start_cpu = time.perf_counter(), time.process_time()
        point = SPACE.suggest(trial)  # Optuna 5 runs the sampler's proposal at the first suggest
        seconds.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        x = np.array([point[f"x{i}"] for i in range(N_VAR)])
        xs.append(x)
        if constrained:
            trial.set_constraint("c", 0.8 - x[0] - x[1])
        return (SHIFT - PROBLEM.evaluate(x[None, :])[0]).tolist()

    study.optimize(objective, n_trials=n_trials)
    x_all = np.array(xs)
    f_all = PROBLEM.evaluate(x_all)
    keep = _feasible(x_all) if constrained else np.ones(len(x_all), dtype=bool)
    hv = {n: hypervolume(f_all[:n][keep[:n]]) for n in (30, n_trials)}
    return Run(
        name, constrained, seed, hv, statistics.fmean(seconds[N_STARTUP:]), statistics.fmean(cpu[N_STARTUP:])
    )


Observe = Callable[[dict[str, float]], tuple[list[float], dict[str, float]]]
"""Objective values (maximised) and constraint values (<= 0 feasible) of a candidate's Optuna parameters."""


def time_proposals(
    sampler: optuna.samplers.BaseSampler,
    space: SearchSpace,
    observe: Observe,
    n_obs: int,
    repeats: int,
    seed: int = 0,
) -> tuple[float, float]:
    """Median wall and CPU seconds of one proposal by ``sampler`` once ``n_obs`` observations are in the study.

    The observations are uniform random points of ``space`` (its free unit cube), scored by ``observe``; each
    proposal is then told its own score, so the study grows by one per repeat, as in a search. Run it in a
    single-threaded process: its CPU time is then what a proposal costs on an idle core, while the wall time
    on a shared machine also counts the waiting for a core.
    """
    rng = np.random.default_rng(seed)
    dists = space.distributions()
    n_obj = len(observe(space.unit_to_params(np.full(space.free_dim, 0.5)))[0])
    study = optuna.create_study(directions=["maximize"] * n_obj, sampler=sampler)
    for u in rng.random((n_obs, space.free_dim)):
        params = space.unit_to_params(u)
        values, cons = observe(params)
        study.add_trial(optuna.trial.create_trial(params=params, distributions=dists, values=values,
                                                  constraints=cons or None))
    times, cpu = [], []
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        trial = study.ask(dists)  # fixed distributions: the sampler proposes here
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        values, cons = observe(dict(trial.params))
        for name, c in cons.items():
            trial.set_constraint(name, c)
        study.tell(trial, values)
    return statistics.median(times), statistics.median(cpu)


def _dtlz2(params: dict[str, float]) -> tuple[list[float], dict[str, float]]:
    x = np.array([params[f"x{i}"] for i in range(N_VAR)])
    return (SHIFT - PROBLEM.evaluate(x[None, :])[0]).tolist(), {}


def overhead_one(args: tuple[str, int, int]) -> tuple[str, int, float, float]:
    """Median wall and CPU seconds of one proposal with ``n_obs`` random DTLZ2 observations in the study."""
    name, n_obs, repeats = args
    _single_thread()
    sampler = make_sampler(name, SPACE, REFERENCE, seed=0, n_startup=N_STARTUP, budget_trials=n_obs + repeats)
    wall, cpu = time_proposals(sampler, SPACE, _dtlz2, n_obs, repeats, seed=n_obs)
    return name, n_obs, wall, cpu


def _mean_se(values: list[float]) -> tuple[float, float]:
    mean = statistics.fmean(values)
    se = statistics.stdev(values) / math.sqrt(len(values)) if len(values) > 1 else float("nan")
    return mean, se


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seeds", type=int, default=10, help="0: measure the proposal overhead only")
    parser.add_argument("--trials", type=int, default=60)
    parser.add_argument("--samplers", default=",".join(SAMPLER_NAMES))
    parser.add_argument("--jobs", type=int, default=1, help="worker processes (each single-threaded)")
    parser.add_argument("--overhead-obs", default="30,60,200")
    parser.add_argument("--overhead-repeats", type=int, default=3)
    parser.add_argument("--skip-overhead", action="store_true")
    parser.add_argument("--json", help="also write every run's numbers to this file")
    parser.add_argument("--from-json", help="print the tables of a saved (possibly unfinished) run and exit")
    args = parser.parse_args(argv)
    if args.from_json:
        with open(args.from_json) as fh:
            saved = json.load(fh)
        runs = [Run(**{**r, "hv": {int(k): v for k, v in r["hv"].items()}}) for r in saved["runs"]]
        overhead = [tuple(o) for o in saved["overhead"]]
        present = {r.sampler for r in runs} | {o[0] for o in overhead}
        names = [n for n in saved["args"]["samplers"].split(",") if n in present]
        print_report(runs, overhead, names, saved["args"]["trials"], saved["args"]["overhead_repeats"])
        return 0
    names = args.samplers.split(",")
    unknown = sorted(set(names) - set(SAMPLER_NAMES))
    if unknown:
        parser.error(f"unknown samplers {unknown}; choose from {SAMPLER_NAMES}")
    if args.trials < 30:
        parser.error("--trials must be >= 30 (the table reports the hypervolume at 30)")

    # Seed by seed, so that a run stopped early still has whole seeds of both problems.
    tasks = [(n, c, s, args.trials) for s in range(args.seeds) for c in (False, True) for n in names]
    started = time.perf_counter()
    with mp.get_context("spawn").Pool(args.jobs) as pool:
        runs: list[Run] = []
        for run in pool.imap_unordered(run_one, tasks):
            runs.append(run)
            print(
                f"[{time.perf_counter() - started:7.0f} s] {run.sampler:9s} "
                f"constrained={run.constrained!s:5s} "
                f"seed={run.seed} hv30={run.hv[30]:.3f} hv{args.trials}={run.hv[args.trials]:.3f} "
                f"s/proposal={run.seconds_per_proposal:.3f}",
                file=sys.stderr,
                flush=True,
            )
            if args.json:  # after every run, so that a run stopped early still leaves its numbers
                _write_json(args.json, runs, [], args)
        overhead: list[tuple[str, int, float, float]] = []
        if not args.skip_overhead:
            obs = [int(v) for v in args.overhead_obs.split(",")]
            overhead = pool.map(overhead_one, [(n, o, args.overhead_repeats) for n in names for o in obs])

    print_report(runs, overhead, names, args.trials, args.overhead_repeats)
    print(f"\nwall time {time.perf_counter() - started:.0f} s, {args.jobs} worker process(es)")
    if args.json:
        _write_json(args.json, runs, overhead, args)
    return 0


def print_report(runs: list[Run], overhead: list, names: list[str], n_trials: int, repeats: int) -> None:
    """Markdown tables: hypervolume mean ± SE per sampler and problem, the targets, proposal overhead."""
    print(
        f"DTLZ2, {N_OBJ} objectives, {N_VAR} variables, {n_trials} evaluations, {N_STARTUP} start-up points; "
        "hypervolume of max(1.1 - f) at reference 0 (= min f at 1.1), mean ± standard error over seeds"
    )
    for constrained in (False, True) if runs else ():
        label = "with x0 + x1 >= 0.8" if constrained else "unconstrained"
        print(f"\n### {label} (best attainable {best_hypervolume(constrained):.4f})\n")
        model_part = f"trials {N_STARTUP + 1}-{n_trials}"
        print(f"| sampler | seeds | HV@30 | HV@{n_trials} | CPU s/proposal (wall), mean over {model_part} |")
        print("|---|---|---|---|---|")
        stats: dict[str, tuple[float, float]] = {}
        for name in names:
            mine = [r for r in runs if r.sampler == name and r.constrained == constrained]
            if not mine:
                continue
            m30, s30 = _mean_se([r.hv[30] for r in mine])
            stats[name] = mn, sn = _mean_se([r.hv[n_trials] for r in mine])
            secs = statistics.fmean(r.seconds_per_proposal for r in mine)
            cpu = statistics.fmean(r.cpu_seconds_per_proposal for r in mine)
            timing = f"({secs:.3f})" if math.isnan(cpu) else f"{cpu:.3f} ({secs:.3f})"
            print(f"| {name} | {len(mine)} | {m30:.3f} ± {s30:.3f} | {mn:.3f} ± {sn:.3f} | {timing} |")
        if {"qlognehvi", "gp", "random"} <= stats.keys() and not math.isnan(stats["qlognehvi"][1]):
            # Standard error of a difference of two independent means: sqrt(se1^2 + se2^2).
            (q, qs), (g, gs), (r, rs) = stats["qlognehvi"], stats["gp"], stats["random"]
            dg, sg = q - g, math.hypot(qs, gs)
            dr, sr = q - r, math.hypot(qs, rs)
            print(
                f"\nTargets at {n_trials}: qlognehvi - gp = {dg:+.3f} ± {sg:.3f} "
                f"(target >= -1 SE: {dg >= -sg}); "
                f"qlognehvi - random = {dr:+.3f} ± {sr:.3f} (target > +2 SE: {dr > 2 * sr})"
            )
    if overhead:
        obs = sorted({o[1] for o in overhead})
        print(
            f"\n### seconds per proposal with N observations in the study (median of {repeats}; "
            "CPU seconds of the single-threaded process, wall seconds in brackets)\n"
        )
        print("| sampler | " + " | ".join(f"N = {o}" for o in obs) + " |")
        print("|---|" + "---|" * len(obs))
        table = {(o[0], o[1]): o[2:] for o in overhead}
        for name in names:
            cells = []
            for o in obs:
                wall, *cpu = table[(name, o)]
                cells.append(f"{cpu[0]:.3f} ({wall:.3f})" if cpu else f"({wall:.3f})")
            print(f"| {name} | " + " | ".join(cells) + " |")


def _write_json(path: str, runs: list[Run], overhead: list, args: argparse.Namespace) -> None:
    with open(path, "w") as fh:
        json.dump(
            {"runs": [r.__dict__ for r in runs], "overhead": overhead, "args": vars(args)}, fh, indent=1
        )


if __name__ == "__main__":
    raise SystemExit(main())
