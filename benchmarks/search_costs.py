"""What the search itself costs: proposal overhead against one real trial, the per-trial split, memory per worker.

Issue 5 asks for "proposal overhead at 30, 60 and 200 observations, as a fraction of one real trial here (target:
at most 10% at 60 observations)" and "per-trial cost split into merge / evaluate / bookkeeping, and memory per
worker; 1 and 2 workers". This script measures both in one run:

1. A short real merge-arm search (task arithmetic over the three experts, the demo's evaluation settings) with 1
   worker, then the same search as a fresh study with 2 workers, each on its own SQLite store, started exactly as
   ``mixmerge search --workers N`` does (``start_search``: worker processes sharing nothing but the database).
2. From the store, per trial: merge and evaluation seconds (what the worker records in each stage's cost
   breakdown, ``build_s`` and ``eval_s``), the trial's wall time (Optuna's start to complete: the proposal, the
   duplicate check, merge, evaluation, recording and ``tell``), bookkeeping in the trial = wall - merge -
   evaluate, and the worker's gap before its next trial (the hypervolume snapshot, the budget and stale-trial
   checks, ``ask``). Duplicates (told a twin's values without compute) are counted, not timed. Medians are over
   each worker's trials after its first; the first trial (one-off warm-up of the first merge and the first
   forward passes) is shown apart.
3. Peak RSS of each worker: the kernel's high-water mark (``VmHWM`` in ``/proc/PID/status``), polled while it runs.
4. In this process, single-threaded (one torch and one BLAS thread), the seconds one proposal of qLogNEHVI and of
   Optuna's GP takes with 30, 60 and 200 observations in the study, on the study's own search space (one
   coefficient per expert), with synthetic observations (DTLZ2 on the unit-scaled coefficients; the model cost
   depends on the number of observations and dimensions, not on where they come from), divided by the median
   trial wall time of the 1-worker search of the same run. Each figure is the median of ``--repeats``
   consecutive proposals of one sampler, each told its result, as in a search (so the later ones are
   warm-started from the previous model where the sampler does that); an untimed proposal per sampler first
   takes the imports and first-call costs out.

Real model (experts from ``mixmerge experts`` or ``mixmerge demo``, found in the cache by ``--experts auto``)::

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/search_costs.py --experts auto --json search_costs.json

Plumbing only (tiny random models, seconds)::

    .venv/bin/python benchmarks/search_costs.py --tiny

``--dry-run`` resolves the base and the experts, validates the specs and the inputs, prints the plan and stops.
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
EXPERT_NAMES = ("helpful", "harmless", "honest")
TARGET_FRACTION, TARGET_OBS = 0.10, 60

log = logging.getLogger("search_costs")


# --- inputs ---------------------------------------------------------------------------------------------------
@dataclass
class Problem:
    """What the searches merge and score."""

    base: str
    experts: dict[str, str]
    objectives: list[Any]
    constraints: list[str]
    evaluation: dict[str, Any] = field(default_factory=dict)


def cached_experts() -> dict[str, str]:
    """The newest ``<cache>/experts/default-*/`` holding all three experts (``mixmerge demo`` trains them there)."""
    from mixmerge.merge_core.builtin import cache_dir

    root = cache_dir() / "experts"
    found = [d for d in root.glob("default-*") if all((d / n / "config.json").is_file() for n in EXPERT_NAMES)]
    if not found:
        raise ValueError(f"--experts auto: no trained experts under {root}/default-*/{{{','.join(EXPERT_NAMES)}}}; "
                         "train them (mixmerge experts, or mixmerge demo) or give --experts helpful=DIR,...")
    newest = max(found, key=lambda d: d.stat().st_mtime)
    return {n: str(newest / n) for n in EXPERT_NAMES}


def parse_experts(text: str) -> dict[str, str]:
    """``helpful=DIR,harmless=DIR,honest=DIR`` (or ``auto``) -> name -> existing directory."""
    if text == "auto":
        return cached_experts()
    experts: dict[str, str] = {}
    for part in text.split(","):
        name, sep, path = part.partition("=")
        name, path = name.strip(), path.strip()
        if not sep or not name or not path:
            raise ValueError(f"--experts: write helpful=DIR,harmless=DIR,honest=DIR, got {part!r}")
        if name in experts:
            raise ValueError(f"--experts: {name!r} given twice")
        if not Path(path).expanduser().is_dir():
            raise ValueError(f"--experts: {name}={path!r} is not a directory")
        experts[name] = str(Path(path).expanduser().absolute())
    if sorted(experts) != sorted(EXPERT_NAMES):
        raise ValueError(f"--experts: give exactly {', '.join(EXPERT_NAMES)}, got {', '.join(experts)}")
    return experts


def real_problem(args: argparse.Namespace) -> Problem:
    """The built-in (or given) base, the experts, and the demo's objectives, guard and evaluation settings."""
    from mixmerge.merge_core.builtin import is_builtin, resolve_builtin
    from mixmerge.search.spec import EvaluationSpec

    base = str(resolve_builtin(args.base)) if is_builtin(args.base) else args.base
    if not Path(base).is_dir():
        raise ValueError(f"--base: {base!r} is not a model directory")
    objectives: list[Any] = list(EXPERT_NAMES)
    constraints: list[str] = []
    if not args.no_guard:
        objectives.append({"name": "capability", "trade": False})
        constraints.append("capability >= base - 0.1")
    evaluation: dict[str, Any] = {"batch_size": args.batch_size}
    items = 48 if args.items is None else args.items
    if items:
        if "items" not in EvaluationSpec.model_fields:
            raise ValueError("--items: this mixmerge's spec has no evaluation.items; give --items 0 (every item)")
        evaluation["items"] = items
    return Problem(base, parse_experts(args.experts), objectives, constraints, evaluation)


def tiny_problem(root: Path, args: argparse.Namespace) -> Problem:
    """The search tests' tiny merging problem: a random Llama with SmolLM2's tokenizer, three experts, MC files."""
    sys.path.insert(0, str(ROOT / "tests"))
    from _search_fixtures import tiny_problem as build

    p = build(root)
    evaluation = {"batch_size": args.batch_size, "fluency_gate": False}
    if args.items:
        evaluation["items"] = args.items
    return Problem(p["base"], p["experts"], p["objectives"], [], evaluation)


def make_spec(problem: Problem, n_workers: int, folder: Path, args: argparse.Namespace) -> Any:
    from mixmerge.search.spec import StudySpec

    folder.mkdir(parents=True, exist_ok=True)
    return StudySpec.model_validate({
        "study": f"search-costs-{n_workers}w", "arm": "merge", "base": problem.base, "experts": problem.experts,
        "method": "task_arithmetic", "objectives": problem.objectives, "constraints": problem.constraints,
        "screening": {"fraction": args.screening} if args.screening else None,
        "optimizer": {"name": args.optimizer}, "budget": {"trials": args.trials},
        "evaluation": problem.evaluation, "seed": args.seed,
        "workers": {"threads": args.threads, "heartbeat_s": 10, "grace_s": 120},
        "storage": str(folder / "study.db"), "workdir": str(folder), "split": "dev",
    })


# --- one search -----------------------------------------------------------------------------------------------
@dataclass
class TrialCost:
    number: int
    worker: str
    wall_s: float
    merge_s: float
    eval_s: float
    book_s: float
    gap_s: float | None  # from this trial's completion to the same worker's next trial
    screened_out: bool
    first: bool  # the worker's first trial: pays one-off warm-up (first merge, first forward passes)


@dataclass
class SearchRun:
    workers: int
    wall_s: float
    trials: list[TrialCost]
    duplicates: int
    failed: int
    peak_rss_mib: list[float]
    setup_s: list[float | None]


def _vm_hwm_mib(pid: int) -> float | None:
    """The process's peak resident set size so far (Linux), in MiB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        return None
    return None


def run_search(spec: Any, n_workers: int, args: argparse.Namespace) -> SearchRun:
    """Start ``n_workers`` worker processes on ``spec``, follow their memory, then read the trials' costs."""
    from mixmerge.search.runner import start_search

    threads = str(args.threads)
    started = time.perf_counter()
    t0 = time.time()
    handle = start_search(spec, n_workers, log_dir=Path(spec.workdir) / "logs",
                          env={"OMP_NUM_THREADS": threads, "MKL_NUM_THREADS": threads})
    peaks = [0.0] * n_workers
    deadline = time.monotonic() + args.timeout
    while handle.running:
        for i, p in enumerate(handle.processes):
            peaks[i] = max(peaks[i], _vm_hwm_mib(p.pid) or 0.0)
        if time.monotonic() > deadline:
            handle.stop(30)
            raise TimeoutError(f"the {n_workers}-worker search ran past --timeout {args.timeout} s; logs: "
                               f"{', '.join(map(str, handle.logs))}")
        time.sleep(0.5)
    wall = time.perf_counter() - started
    codes = handle.wait()
    if any(codes):
        tails = "\n".join(f"--- {p}\n{p.read_text()[-2000:]}" for p in handle.logs if p.exists())
        raise RuntimeError(f"worker exit codes {codes}\n{tails}")
    trials, duplicates, failed, first_start = read_trial_costs(spec)
    pids = [p.pid for p in handle.processes]
    setup = [(first_start[pid] - t0) if pid in first_start else None for pid in pids]
    return SearchRun(n_workers, wall, trials, duplicates, failed, peaks, setup)


def read_trial_costs(spec: Any) -> tuple[list[TrialCost], int, int, dict[int, float]]:
    """Per-trial merge / evaluate / bookkeeping seconds from the store (and each worker pid's first trial start)."""
    import optuna
    from mixmerge.search.worker import DUPLICATE_ATTR, SCREENED_ATTR, WORKER_ATTR
    from mixmerge.storage import open_store
    from optuna.trial import TrialState

    with open_store(spec.storage) as store:
        study = optuna.load_study(study_name=spec.study, storage=store.optuna_storage(None, None))
        frozen = study.get_trials(deepcopy=False)
        stages: dict[int, list[dict[str, Any]]] = {}
        for row in store.costs(spec.study):
            if row["kind"] == "trial":
                stages.setdefault(row["trial_id"], []).append(row["breakdown"] or {})
    duplicates = sum(1 for t in frozen if DUPLICATE_ATTR in t.user_attrs)
    failed = sum(1 for t in frozen if t.state == TrialState.FAIL)
    done = sorted((t for t in frozen if t.state == TrialState.COMPLETE and t.datetime_complete
                   and DUPLICATE_ATTR not in t.user_attrs and t._trial_id in stages),
                  key=lambda t: t.datetime_start)
    by_worker: dict[str, list[Any]] = {}
    for t in frozen:
        if t.datetime_start is not None:
            by_worker.setdefault(str(t.user_attrs.get(WORKER_ATTR, "?")), []).append(t)
    first_start = {}
    for worker, ts in by_worker.items():
        pid = worker.split(":")[1] if worker.count(":") == 2 else None
        if pid and pid.isdigit():
            first_start[int(pid)] = min(t.datetime_start for t in ts).timestamp()
    out = []
    seen: set[str] = set()
    for t in done:
        worker = str(t.user_attrs.get(WORKER_ATTR, "?"))
        first = worker not in seen
        seen.add(worker)
        later = [u.datetime_start for u in by_worker.get(worker, []) if u.datetime_start > t.datetime_complete]
        gap = (min(later) - t.datetime_complete).total_seconds() if later else None
        wall = (t.datetime_complete - t.datetime_start).total_seconds()
        merge = sum(float(b.get("build_s", 0.0)) for b in stages[t._trial_id])
        evaluate = sum(float(b.get("eval_s", 0.0)) for b in stages[t._trial_id])
        out.append(TrialCost(t.number, worker, wall, merge, evaluate, wall - merge - evaluate, gap,
                             bool(t.user_attrs.get(SCREENED_ATTR)), first))
    return out, duplicates, failed, first_start


# --- proposals ------------------------------------------------------------------------------------------------
def proposal_seconds(spec: Any, samplers: list[str], observations: list[int], repeats: int) -> list[dict[str, Any]]:
    """Median seconds of one proposal per sampler and number of observations, on the study's search space."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from mixmerge.search.samplers import make_sampler
    from mixmerge.search.trials import base_is_tied, build_space
    from optimizers import _single_thread, time_proposals
    from pymoo.problems import get_problem

    _single_thread()
    space = build_space(spec, base_is_tied(spec.base))
    params = space.params
    problem = get_problem("dtlz2", n_var=len(params), n_obj=len(spec.traded_keys))
    names = spec.constraint_names

    def observe(p: dict[str, float]) -> tuple[list[float], dict[str, float]]:
        u = np.array([q.to_unit(p[q.name]) for q in params])
        values = (1.1 - problem.evaluate(u[None, :])[0]).tolist()
        return values, {n: 0.5 - float(u[i % len(u)]) for i, n in enumerate(names)}

    out = []
    for name in samplers:  # one untimed proposal first: imports and first-call costs are not per proposal
        warm = make_sampler(name, space, spec.reference, names, seed=0, n_startup=spec.optimizer.n_startup)
        time_proposals(warm, space, observe, min(observations), 1)
        for n_obs in observations:
            sampler = make_sampler(name, space, spec.reference, names, seed=0, n_startup=spec.optimizer.n_startup,
                                   budget_trials=n_obs + repeats)
            wall, cpu = time_proposals(sampler, space, observe, n_obs, repeats, seed=n_obs)
            out.append({"sampler": name, "observations": n_obs, "wall_s": wall, "cpu_s": cpu})
            print(f"  {name:9s} N={n_obs:<4d} {cpu:.3f} s CPU ({wall:.3f} s wall) per proposal", file=sys.stderr,
                  flush=True)
    return out


# --- report ---------------------------------------------------------------------------------------------------
def _med(values: list[float | None]) -> float:
    kept = [v for v in values if v is not None]
    return statistics.median(kept) if kept else float("nan")


def summary(run: SearchRun) -> dict[str, float]:
    """Medians over the trials after each worker's first (the steady state); the first ones as warm-up."""
    first = [c for c in run.trials if c.first]
    t = [c for c in run.trials if not c.first] or run.trials
    return {
        "trials": len(run.trials), "screened_out": sum(c.screened_out for c in run.trials),
        "duplicates": run.duplicates, "failed": run.failed, "timed": len(t),
        "warmup_wall_s": _med([c.wall_s for c in first]), "warmup_merge_s": _med([c.merge_s for c in first]),
        "wall_s": _med([c.wall_s for c in t]), "merge_s": _med([c.merge_s for c in t]),
        "eval_s": _med([c.eval_s for c in t]), "book_s": _med([c.book_s for c in t]),
        "gap_s": _med([c.gap_s for c in t]),
        "book_share": _med([(c.book_s + (c.gap_s or 0.0)) / (c.wall_s + (c.gap_s or 0.0)) for c in t]),
        "trials_per_hour": 3600 * (len(run.trials) + run.duplicates) / run.wall_s if run.wall_s else float("nan"),
        "search_wall_s": run.wall_s,
    }


def print_report(result: dict[str, Any]) -> None:
    runs = result["runs"]
    print(f"{result['label']}; {result['trials']} trials a search, optimizer {result['optimizer']}, "
          f"{result['threads']} torch thread(s) a worker, screening {result['screening'] or 'off'}")
    print("\n### Per-trial cost (seconds; medians over each worker's trials after its first, which is shown as "
          "warm-up)\n")
    print("| workers | trials (screened out, duplicates, failed) | wall per trial | merge | evaluate | "
          "bookkeeping in the trial | gap to the next trial | bookkeeping share | first trial: wall (merge) | "
          "trials/hour | worker setup s | peak RSS per worker, MiB |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in runs:
        s = r["summary"]
        setup = ", ".join("–" if v is None else f"{v:.1f}" for v in r["setup_s"])
        rss = ", ".join(f"{v:.0f}" for v in r["peak_rss_mib"])
        print(f"| {r['workers']} | {s['trials']} ({s['screened_out']}, {s['duplicates']}, {s['failed']}) | "
              f"{s['wall_s']:.3f} | {s['merge_s']:.3f} | {s['eval_s']:.3f} | {s['book_s']:.3f} | {s['gap_s']:.3f} | "
              f"{s['book_share']:.1%} | {s['warmup_wall_s']:.3f} ({s['warmup_merge_s']:.3f}) | "
              f"{s['trials_per_hour']:.0f} | {setup} | {rss} |")
    trial = result["median_trial_s"]
    props = result["proposals"]
    if props:
        obs = sorted({p["observations"] for p in props})
        print(f"\n### Seconds per proposal (median of {result['repeats']}; CPU of this single-threaded process, "
              f"wall in brackets) and as a share of the median trial ({trial:.3f} s, 1 worker)\n")
        print("| sampler | " + " | ".join(f"N = {o}" for o in obs) + " |")
        print("|---|" + "---|" * len(obs))
        for name in dict.fromkeys(p["sampler"] for p in props):
            cells = []
            for o in obs:
                p = next(q for q in props if q["sampler"] == name and q["observations"] == o)
                cells.append(f"{p['cpu_s']:.3f} ({p['wall_s']:.3f}) = {p['wall_s'] / trial:.1%}")
            print(f"| {name} | " + " | ".join(cells) + " |")
        at = [p for p in props if p["sampler"] == "qlognehvi" and p["observations"] == TARGET_OBS]
        if at:
            share = at[0]["wall_s"] / trial
            met = "met" if share <= TARGET_FRACTION else "NOT met"
            print(f"\nTarget (qLogNEHVI at {TARGET_OBS} observations <= {TARGET_FRACTION:.0%} of a trial): {met} "
                  f"({share:.1%}, wall against wall in the same run)")


# --- main -----------------------------------------------------------------------------------------------------
def add_problem_options(p: argparse.ArgumentParser) -> None:
    """``--base``, ``--experts`` (read by ``parse_experts``) and ``--tiny``: the merging problem a benchmark runs."""
    from mixmerge.merge_core.builtin import DEFAULT_BUILTIN

    p.add_argument("--base", default=DEFAULT_BUILTIN, help="base model: builtin:NAME or a directory (%(default)s)")
    p.add_argument("--experts", default="auto",
                   help="helpful=DIR,harmless=DIR,honest=DIR, or auto: the newest cached default-* experts")
    p.add_argument("--tiny", action="store_true", help="tiny random models (plumbing only; ignores --base/--experts)")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_problem_options(p)
    p.add_argument("--trials", type=int, default=8, help="trials of each search (default %(default)s)")
    p.add_argument("--workers", default="1,2", help="worker counts, one search each (default %(default)s)")
    p.add_argument("--optimizer", default="qlognehvi", help="the searches' optimizer (default %(default)s)")
    p.add_argument("--items", type=int, default=None,
                   help="items per objective (default: 48 as the demo for the real model, all for --tiny; 0: all)")
    p.add_argument("--screening", type=float, default=0.5,
                   help="screening fraction as in the demo (default %(default)s; 0: off)")
    p.add_argument("--no-guard", action="store_true", help="real model: no capability guard (scored every trial)")
    p.add_argument("--batch-size", type=int, default=16)
    p.add_argument("--threads", type=int, default=1, help="torch threads per worker (default %(default)s)")
    p.add_argument("--samplers", default="qlognehvi,gp", help="samplers whose proposals are timed")
    p.add_argument("--obs", default="30,60,200", help="observations in the study when timing proposals")
    p.add_argument("--repeats", type=int, default=3, help="proposals timed per sampler and N (median)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--timeout", type=float, default=7200, help="seconds a search may run (default %(default)s)")
    p.add_argument("--out", type=Path, default=None, help="work directory (default: a temporary one, removed)")
    p.add_argument("--json", type=Path, default=None, help="also write every number to this file")
    p.add_argument("--dry-run", action="store_true", help="resolve and validate the inputs, print the plan, stop")
    return p


def _ints(text: str, what: str, low: int) -> list[int]:
    try:
        values = [int(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise ValueError(f"{what}: give comma-separated integers, got {text!r}") from None
    if not values or any(v < low for v in values):
        raise ValueError(f"{what}: give integers >= {low}, got {text!r}")
    return values


def check_args(args: argparse.Namespace) -> None:
    from mixmerge.search.samplers import SAMPLER_NAMES

    args.worker_counts = _ints(args.workers, "--workers", 1)
    args.observations = _ints(args.obs, "--obs", 1)
    args.sampler_names = [s for s in args.samplers.split(",") if s]
    unknown = sorted(set(args.sampler_names) - set(SAMPLER_NAMES)) + (
        [args.optimizer] if args.optimizer not in SAMPLER_NAMES else [])
    if unknown:
        raise ValueError(f"unknown sampler(s) {unknown}; choose from {', '.join(SAMPLER_NAMES)}")
    for name, value, low in (("--trials", args.trials, 1), ("--repeats", args.repeats, 1),
                             ("--threads", args.threads, 1), ("--batch-size", args.batch_size, 1)):
        if value < low:
            raise ValueError(f"{name} must be >= {low}, got {value}")
    if args.items is not None and args.items < 0:
        raise ValueError(f"--items must be >= 0 (0: every item), got {args.items}")
    if not 0 <= args.screening < 1:
        raise ValueError(f"--screening must be in [0, 1) (0: off), got {args.screening}")
    if args.timeout <= 0:
        raise ValueError(f"--timeout must be > 0, got {args.timeout}")


def run(args: argparse.Namespace) -> dict[str, Any]:
    check_args(args)
    work = args.out or Path(tempfile.mkdtemp(prefix="search_costs-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        problem = tiny_problem(work / "tiny", args) if args.tiny else real_problem(args)
        specs = {n: make_spec(problem, n, work / f"{n}w", args) for n in args.worker_counts}
        label = "tiny random models (plumbing only)" if args.tiny else f"base {problem.base}"
        print(f"{label}\nexperts: {problem.experts}\nwork directory: {work}", file=sys.stderr, flush=True)
        if args.dry_run:
            from mixmerge.search.runner import check_inputs

            check_inputs(specs[args.worker_counts[0]])
            for n, spec in specs.items():
                print(f"{n} worker(s): study {spec.study} in {spec.storage}, {spec.budget.trials} trials, objectives "
                      f"{spec.objective_keys}, constraints {spec.constraint_names}, evaluation "
                      f"{spec.evaluation.model_dump(exclude_defaults=True)}", file=sys.stderr)
            return {}
        runs = []
        for n, spec in specs.items():
            print(f"search with {n} worker(s) ...", file=sys.stderr, flush=True)
            r = run_search(spec, n, args)
            runs.append({**asdict(r), "summary": summary(r)})
            s = runs[-1]["summary"]
            print(f"  {s['trials']} trials in {r.wall_s:.0f} s; median trial {s['wall_s']:.3f} s "
                  f"(merge {s['merge_s']:.3f}, evaluate {s['eval_s']:.3f})", file=sys.stderr, flush=True)
        reference = next((r for r in runs if r["workers"] == 1), runs[0])
        median_trial = reference["summary"]["wall_s"]
        print("timing proposals ...", file=sys.stderr, flush=True)
        proposals = proposal_seconds(specs[reference["workers"]], args.sampler_names, args.observations,
                                     args.repeats)
        result = {"label": label, "base": problem.base, "experts": problem.experts, "trials": args.trials,
                  "optimizer": args.optimizer, "threads": args.threads, "screening": args.screening or None,
                  "evaluation": problem.evaluation, "repeats": args.repeats, "runs": runs,
                  "median_trial_s": median_trial, "proposals": proposals}
        print_report(result)
        if args.json:
            args.json.write_text(json.dumps(result, indent=1, default=str))
        return result
    finally:
        if args.out is None:
            shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    try:
        run(args)
    except ValueError as err:  # bad input (pydantic's ValidationError and StorageError are ValueErrors too)
        print(f"search_costs: error: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
