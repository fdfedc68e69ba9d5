"""A search worker: holds its resident merger (or its trainer inputs) and its loaded evaluation data, and runs
trials of one study until the budget is reached.

The loop, per trial: fail stale trials of dead workers (their retry is queued) -> check the budget -> ``ask``
-> start heartbeats -> the candidate's key: an identical candidate already evaluated is told the same values
without any compute -> build (resident re-merge, or a training run for the mix arm) -> screening fidelity,
then the full evaluation if it could still enter the Pareto set -> record scores and cost in the store, in
one transaction per stage -> ``tell`` -> the hypervolume snapshot. Everything that goes wrong is recorded with
its reason: a NaN score fails the trial, an exception fails it and queues a retry (up to ``workers.max_retries``),
a worker killed mid-trial stops beating and its trial is failed and retried by whichever worker looks next, an
interrupt fails the running trial and queues its retry so that a resume picks it up first.

Only a running trial is failed, and only once: once told (or failed by another worker's stale sweep) a trial is
final, so an error after ``tell`` (the snapshot, taken again before the next trial) is logged, never a failure. A
retry is queued before its trial is failed, so that no crash or store error in between loses it, and at most one
retry of a trial runs: a retry queued twice (two workers at once) or for a trial its slow worker completed after
all is dropped, unevaluated and uncounted, when it is popped.

Workers never talk to each other: the database is the only shared state, so ``mixmerge worker`` can join a
study from any host that reaches it.
"""

from __future__ import annotations

import contextlib
import logging
import math
import os
import signal
import threading
import time
import traceback
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import optuna
from mixmerge.search.budget import budget_status, fix_deadline
from mixmerge.search.screening import could_enter_front, optimistic_values, to_max
from mixmerge.search.spec import StudySpec
from mixmerge.search.trials import base_is_tied, build_space, candidate_key, merge_candidate, mix_ratios
from mixmerge.storage import StorageError, Store, open_store
from optuna.trial import FrozenTrial, TrialState

log = logging.getLogger(__name__)

SETUP_ATTR = "mixmerge:setup"
EXPERTS_ATTR = "mixmerge:experts"
BASE_SCORES_KEY = "base_scores"
EXPERT_SCORES_KEY = "expert_scores"
STAGE_ATTR = "mixmerge:stage"
KEY_ATTR = "mixmerge:key"
FIDELITY_ATTR = "mixmerge:fidelity"
SCREENED_ATTR = "mixmerge:screened_out"
DUPLICATE_ATTR = "mixmerge:duplicate_of"
RETRY_ATTR = "mixmerge:retry_of"
RETRIES_ATTR = "mixmerge:retries"
CANDIDATE_ATTR = "mixmerge:candidate"
WORKER_ATTR = "mixmerge:worker"
FINAL_FAILURE_ATTR = "mixmerge:final_failure"
REDUNDANT_ATTR = "mixmerge:redundant"  # a popped retry that must not run (see ``Worker._redundant_retry``)


class WorkerStopped(BaseException):
    """SIGTERM/SIGINT: stop after failing (and queueing a retry of) the running trial."""


class TrialFailed(Exception):
    """A trial that cannot give a result (NaN score, ...): recorded as failed, not retried."""


# --- the study in the store ------------------------------------------------------------------------------
def open_optuna_study(spec: StudySpec, store: Store, *, create: bool = False, sampler: Any = None,
                      stale_callback: Any = None) -> optuna.Study:
    """The study's Optuna handle on the store's database (created with its directions when ``create``)."""
    storage = store.optuna_storage(heartbeat_interval=spec.workers.heartbeat_s, grace_period=spec.workers.grace_s,
                                   heartbeat_stale_trial_callback=stale_callback)
    if create:
        return optuna.create_study(study_name=spec.study, storage=storage, directions=spec.directions,
                                   sampler=sampler, load_if_exists=True)
    try:
        return optuna.load_study(study_name=spec.study, storage=storage, sampler=sampler)
    except KeyError:
        raise StorageError(f"no study {spec.study!r} in the store at {store.url_text}; start it with "
                           "`mixmerge search SPEC.yaml`") from None


def create_study(spec: StudySpec, store: Store) -> optuna.Study:
    """Create (or, on resume, re-open) the study: directions, spec in the store and in user attributes."""
    study = open_optuna_study(spec, store, create=True)
    if list(study.directions) != [optuna.study.StudyDirection[d.upper()] for d in spec.directions]:
        raise StorageError(f"study {spec.study!r} exists with other objectives; choose another study name")
    store.put_study_meta(spec.study, arm=spec.arm, spec=spec.stored(), reference_point=spec.reference)
    if "mixmerge:spec" not in study.user_attrs:
        study.set_user_attr("mixmerge:spec", spec.stored())
        study.set_user_attr("mixmerge:objectives", spec.traded_keys)
        study.set_user_attr("mixmerge:constraints", spec.constraint_names)
        fix_deadline(study, spec)
        if spec.arm == "mix" and spec.strategy != "search":
            space = build_space(spec, tied=False)
            for mix in spec.mixes:
                point = {s: float(mix[s]) for s in spec.mix_sets}
                study.enqueue_trial(space.params_from_point(point), skip_if_exists=True)
        from mixmerge.storage import collect

        store.record_provenance(spec.study, collect(seeds={"study": spec.seed}).items())
    return study


def load_spec(store: Store, study_name: str) -> StudySpec:
    """The spec a study was started with (workers joining from elsewhere need nothing else)."""
    meta = store.study_meta(study_name)
    if meta is None:
        raise StorageError(f"study {study_name!r} has no mixmerge spec in {store.url_text}: it was not started "
                           "by `mixmerge search`")
    return StudySpec.model_validate(meta["spec"])


def score_to_result(score: Any) -> dict[str, Any]:
    """An objectives ``Score`` as the store's ``ObjectiveResult`` (intervals, categories, items)."""
    return {
        "objective": score.objective, "value": score.value, "ci_low": score.ci_low, "ci_high": score.ci_high,
        "n_items": score.n, "worst_category": score.worst_category, "worst_value": score.worst_value,
        "categories": [{"category": c, "value": s.value, "ci_low": s.ci_low, "ci_high": s.ci_high, "n_items": s.n}
                       for c, s in score.per_category.items()],
        "items": [{"item_id": it.id, "value": it.score, "category": it.category,
                   "response": it.detail.get("response")} for it in score.per_item],
    }


def _summaries(scores: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    return {k: {"value": s.value, "ci_low": s.ci_low, "ci_high": s.ci_high, "n": s.n} for k, s in scores.items()}


def _load_expert(ref: str) -> Any:
    """An expert's model for scoring (a full directory, or a LoRA adapter on its base); the tokenizer is the
    base's, which every expert shares."""
    from mixmerge.objectives.loading import load_model
    from transformers import AutoModelForCausalLM

    if (Path(ref) / "adapter_config.json").is_file():
        return load_model(ref)[0]
    return AutoModelForCausalLM.from_pretrained(ref, use_safetensors=True).eval()


def base_scores(store: Store, study_name: str) -> dict[str, float] | None:
    value = store.provenance(study_name).get(BASE_SCORES_KEY)
    return {k: float(v["value"]) for k, v in value.items()} if value else None


def training_sources(spec: StudySpec) -> tuple[Any, dict[str, str]]:
    """DataSources for the spec's ``data`` and the training set name of each objective key."""
    from mixmerge.training.sources import DataSources

    files, names = {}, {}
    for key in spec.mix_sets if spec.arm == "mix" else spec.expert_labels:
        ref = spec.data.get(key, key)
        if ref.endswith((".jsonl", ".json", ".csv")) or os.sep in ref:
            files[key] = Path(ref)
            names[key] = key
        else:
            names[key] = ref
    return DataSources(files=files), names


# --- heartbeats --------------------------------------------------------------------------------------------
class Heartbeat:
    """Beats for one trial in a background thread; a dropped connection is logged, and beating goes on."""

    def __init__(self, storage: optuna.storages.RDBStorage, trial_id: int, interval: float):
        self.storage, self.trial_id, self.interval = storage, trial_id, interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"heartbeat-{trial_id}", daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.storage.record_heartbeat(self.trial_id)
            except Exception as exc:  # noqa: BLE001 - a missed beat is retried at the next interval
                log.warning("heartbeat of trial_id %d failed: %s", self.trial_id, exc)
            self._stop.wait(self.interval)

    def __enter__(self) -> Heartbeat:
        self.storage.record_heartbeat(self.trial_id)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=10)


# --- the worker --------------------------------------------------------------------------------------------
@dataclass
class WorkerReport:
    evaluated: int = 0
    duplicates: int = 0
    screened_out: int = 0
    failed: int = 0
    dropped_retries: int = 0
    stop_reason: str | None = None
    setup_seconds: float = 0.0
    trial_seconds: list[dict[str, float]] = field(default_factory=list)


class Worker:
    """One process's share of a study. ``setup`` loads everything once; ``run`` loops until the budget ends."""

    def __init__(self, storage_url: str, study_name: str, *, device: str = "cpu", rank: int = 0,
                 lead: bool = True, max_trials: int | None = None):
        self.store = open_store(storage_url)
        self.spec = load_spec(self.store, study_name)
        self.device = device
        self.rank = rank
        self.lead = lead
        self.max_trials = max_trials
        self.tied = base_is_tied(self.spec.base) if self.spec.arm == "merge" else False
        self.space = build_space(self.spec, self.tied)
        from mixmerge.search.samplers import make_sampler

        o = self.spec.optimizer
        self.sampler = make_sampler(o.name, self.space, self.spec.reference, self.spec.constraint_names,
                                    seed=self.spec.seed + 7919 * rank, n_startup=o.n_startup,
                                    batch_size=o.batch_size, budget_trials=self.spec.budget_trials())
        self.study = open_optuna_study(self.spec, self.store, sampler=self.sampler, stale_callback=self._on_stale)
        self.report = WorkerReport()
        self.model = self.tokenizer = self.merger = None
        self._base_scores: dict[str, float] | None = None
        self._snapshot_due = False  # a snapshot that failed after its tell, taken again before the next trial

    # --- setup -----------------------------------------------------------------------------------------
    def setup(self) -> None:
        """Load the model, the experts' task vectors and the evaluation data once (and, if lead, run the
        study's setup steps: expert training or marking given experts as already paid, the base's scores)."""
        import torch

        start = time.perf_counter()
        if self.spec.workers.threads:
            torch.set_num_threads(self.spec.workers.threads)
        self.objectives, self.screen_objectives = self._build_objectives(self.spec.split)
        if self.lead and self.study.user_attrs.get(SETUP_ATTR) != "done":
            self._setup_steps()
        else:
            self._wait_for_setup()
        if self.spec.arm == "merge":
            self._load_merge()
        self.report.setup_seconds = time.perf_counter() - start

    def _build_objectives(self, split: str, *, screening: bool = True) -> tuple[list[Any], list[Any] | None]:
        from mixmerge.objectives.registry import build_objective

        ev = self.spec.evaluation
        full, screen = [], []
        for o in self.spec.objectives:
            name = o.name
            if split == "test" and o.test:
                name = o.test
            obj = build_objective(name, split=split, suite=ev.suite, data_dir=ev.data_dir, fidelity=ev.items,
                                  seed=self.spec.seed)
            full.append(obj)
            if screening and self.spec.screening is not None:
                frac = self.spec.screening.fraction
                if obj.lm_eval_task:
                    screen.append(obj.model_copy(update={"fidelity": frac}))
                else:
                    screen.append(obj.subset(max(1, math.ceil(frac * len(obj.items))), self.spec.seed))
        return full, (screen if screen else None)

    def _settings(self) -> Any:
        from mixmerge.objectives.objective import EvalSettings

        ev = self.spec.evaluation
        return EvalSettings(likelihood_batch_size=ev.batch_size, generation_batch_size=ev.batch_size,
                            autocast_bf16=ev.bf16, fluency_gate=ev.fluency_gate)

    def _wait_for_setup(self, timeout: float = 24 * 3600) -> None:
        deadline = time.monotonic() + timeout
        while self.study.user_attrs.get(SETUP_ATTR) != "done":
            if time.monotonic() > deadline:
                raise StorageError(f"study {self.spec.study!r}: setup did not finish; start a lead worker")
            log.info("waiting for the lead worker to finish the study's setup")
            time.sleep(min(5.0, self.spec.workers.heartbeat_s))
            self.study = optuna.load_study(study_name=self.spec.study, storage=self.study._storage,
                                           sampler=self.sampler)

    def _setup_steps(self) -> None:
        """Run once per study by the lead (each step skipped on resume if its result is in the store): the
        experts (trained and charged, or given and charged what their provenance says they cost), then the
        base's scores and, in the merge arm, each expert's, at the study's full fidelity on its split. The
        base's evaluation is charged (both arms pay it, and base-relative constraints need it); the experts'
        evaluations are not: they only place the experts on the report's fronts, like test confirmations."""
        spec, store = self.spec, self.store
        experts: dict[str, str] = {}
        if spec.arm == "merge":
            experts = self._experts_paid_for()
            self.study.set_user_attr(EXPERTS_ATTR, experts)
        known = store.provenance(spec.study)
        scored = dict(known.get(EXPERT_SCORES_KEY) or {})
        todo = [k for k in experts if k not in scored]
        if known.get(BASE_SCORES_KEY) is None or todo:
            from mixmerge.objectives.loading import load_model

            model, tok = load_model(spec.base)
            if known.get(BASE_SCORES_KEY) is None:
                self._stage_setup("scoring the base model")
                scores, seconds = self._reference_scores(model, tok, "the base model")
                store.record_provenance(spec.study, {BASE_SCORES_KEY: _summaries(scores)})
                store.record_cost(spec.study, {
                    "label": f"evaluate base ({spec.split})", "flops": sum(s.cost.flops for s in scores.values()),
                    "device_seconds": seconds, "tokens": sum(s.cost.tokens for s in scores.values()),
                    "device": self.device})
            del model
            for name in todo:
                self._stage_setup(f"scoring the {name} expert")
                model = _load_expert(experts[name])
                scores, _ = self._reference_scores(model, tok, f"the {name} expert")
                scored[name] = _summaries(scores)
                store.record_provenance(spec.study, {EXPERT_SCORES_KEY: scored})
                del model
        self._stage_setup(None)
        self.study.set_user_attr(SETUP_ATTR, "done")

    def _stage_setup(self, text: str | None) -> None:
        """What the lead's setup is doing now (read by progress displays)."""
        self.study.set_user_attr(STAGE_ATTR, text or "")
        if text:
            log.info("setup: %s", text)

    def _reference_scores(self, model: Any, tokenizer: Any, what: str) -> tuple[dict[str, Any], float]:
        from mixmerge.objectives.registry import evaluate

        model.to(self.device)
        t0 = time.perf_counter()
        scores = evaluate(model, tokenizer, self.objectives, self._settings())
        bad = [k for k, s in scores.items() if not math.isfinite(s.value)]
        if bad:
            raise TrialFailed(f"{what}'s {bad} scores are not finite; it cannot serve as a reference")
        return scores, time.perf_counter() - t0

    def _experts_paid_for(self) -> dict[str, str]:
        """The merge arm pays for its experts before its first trial, so that arms compare at equal compute.

        Given experts are charged what their training cost according to their ``mixmerge_provenance.json``
        (experts trained by mixmerge carry it); an expert of unknown cost (trained elsewhere) is recorded as
        already paid, with 0 FLOPs, and said so. Missing experts are trained now and charged."""
        spec, store = self.spec, self.store
        if spec.experts:
            import json

            self._stage_setup("charging the given experts' training cost")
            for name, ref in spec.experts.items():
                prov = Path(ref) / "mixmerge_provenance.json"
                cost = json.loads(prov.read_text()).get("cost", {}) if prov.is_file() else {}
                if not cost:
                    log.warning("expert %s (%s) records no training cost: not charged to the budget", name, ref)
                store.record_cost(spec.study, {
                    "label": f"expert {name} (given)", "flops": float(cost.get("flops", 0.0)),
                    "device_seconds": float(cost.get("device_seconds", 0.0)), "tokens": int(cost.get("tokens", 0)),
                    "paid": bool(cost), "device": (cost.get("device") or "")[:64] or None,
                    "breakdown": {"known_cost": 1.0 if cost else 0.0}})
            return dict(spec.experts)
        from mixmerge.training.recipe import Mixture
        from mixmerge.training.trainer import train

        sources, set_names = training_sources(spec)
        out_dir = spec.work_dir() / "experts"
        done = {a["path"] for a in store.artifacts(spec.study, kind="expert")}
        experts = {}
        for name in spec.expert_labels:
            out = out_dir / name
            experts[name] = str(out)
            if str(out) in done and (out / "config.json").is_file():
                continue  # trained and charged before a stop: resume does not pay twice
            self._stage_setup(f"training the {name} expert")
            result = train(spec.base, Mixture.one_hot(set_names[name]), spec.training, out, sources=sources,
                           overwrite=True, progress=False, device="auto" if self.device == "cpu" else self.device)
            store.record_cost(spec.study, {
                "label": f"train expert {name}", "flops": float(result.cost.flops),
                "device_seconds": result.cost.device_seconds, "tokens": result.cost.tokens,
                "device": result.cost.device})
            store.record_artifact(spec.study, kind="expert", path=out)
        return experts

    def _load_merge(self) -> None:
        from mixmerge.merge_core.builtin import is_builtin, resolve_builtin
        from mixmerge.merge_core.resident import ResidentMerger, load_resident_inputs
        from transformers import AutoModelForCausalLM, AutoTokenizer

        experts = self.study.user_attrs.get(EXPERTS_ATTR) or self.spec.experts
        base_dir = resolve_builtin(self.spec.base) if is_builtin(self.spec.base) else Path(self.spec.base)
        refs = {k: experts[k] for k in self.spec.expert_labels}
        base, deltas = load_resident_inputs(self.spec.base, refs)
        self.model = AutoModelForCausalLM.from_pretrained(base_dir, use_safetensors=True).to(self.device).eval()
        self.tokenizer = AutoTokenizer.from_pretrained(base_dir)
        fixed = dict(self.spec.method_params)
        for knob, (low, _) in self.spec.space.method_params.items():
            fixed.setdefault(knob, low)
        self.merger = ResidentMerger(self.model, base, deltas, self.spec.method, fixed,
                                     searched=list(self.spec.space.method_params), seed=self.spec.seed,
                                     expert_ids=list(refs.values()))  # as the exported recipe's
        del base, deltas
        self.n_params = sum(t.numel() for t in self.merger.base.values())

    # --- failures and retries ----------------------------------------------------------------------------
    def _retries_of(self, number: int) -> list[FrozenTrial]:
        return [t for t in self.study.get_trials(deepcopy=False) if t.user_attrs.get(RETRY_ATTR) == number]

    def _retry(self, trial: FrozenTrial, reason: str) -> None:
        """Queue a retry of ``trial`` unless it has one: the worker failing it, a stale sweep and a sweep after
        a crash may all get here for the same trial (a race that still queues two is settled when popped)."""
        retries = int(trial.user_attrs.get(RETRIES_ATTR, 0))
        if trial.user_attrs.get(FINAL_FAILURE_ATTR):
            log.warning("trial %d: %s; not retried (its worker gave it up)", trial.number, reason)
        elif retries >= self.spec.workers.max_retries:
            log.warning("trial %d: %s; not retried (%d retries already)", trial.number, reason, retries)
            # final, so counted against the trial budget as the worker's own give-up is (possible only while it
            # still runs: Optuna's own sweep calls back after the FAIL, and its trial then stays uncounted)
            with contextlib.suppress(Exception):
                self.study._storage.set_trial_user_attr(trial._trial_id, FINAL_FAILURE_ATTR, True)
        elif self._retries_of(trial.number):
            log.info("trial %d: %s; its retry is queued already", trial.number, reason)
        else:
            self.study.enqueue_trial(dict(trial.params),
                                     user_attrs={RETRY_ATTR: trial.number, RETRIES_ATTR: retries + 1})
            log.warning("trial %d: %s; queued for retry", trial.number, reason)

    def _record_failure(self, trial_id: int, reason: str, tb: str | None = None) -> None:
        """The failure's row; the trial is failed (and its retry queued) already, so a store error is logged."""
        try:
            self.store.record_failure(trial_id=trial_id, reason=reason, traceback=tb)
        except Exception as exc:  # noqa: BLE001 - the FAIL and the retry stand without their reason row
            log.warning("trial_id %d failed (%s), but its failure could not be recorded: %s", trial_id, reason, exc)

    def _stale_reason(self) -> str:
        return f"worker lost: no heartbeat for {self.spec.workers.grace_s} s (killed, crashed or disconnected)"

    def _fail_stale(self) -> None:
        """Fail the trials whose worker stopped beating, each after queueing its retry (Optuna's
        ``fail_stale_trials`` fails first and calls back later: a crash or store error in between lost the retry).
        Only the sweep whose FAIL lands records the failure; a trial finished meanwhile (its worker was only slow,
        or another sweep got there first) is left as it is, and a retry queued for it is dropped when popped."""
        storage = self.study._storage
        if storage.get_heartbeat_interval() is None:
            return
        reason = self._stale_reason()
        for trial_id in storage._get_stale_trial_ids(self.study._study_id):
            try:
                trial = storage.get_trial(trial_id)
                if trial.state != TrialState.RUNNING:
                    continue
                self._retry(trial, reason)
                if not storage.set_trial_state_values(trial_id, state=TrialState.FAIL):
                    continue
            except optuna.exceptions.UpdateFinishedTrialError:
                continue
            except Exception as exc:  # noqa: BLE001 - still RUNNING and stale: the next sweep does it again
                log.warning("stale trial_id %d: could not queue its retry or fail it: %s", trial_id, exc)
                continue
            self._record_failure(trial_id, reason)

    def _on_stale(self, study: optuna.Study, trial: FrozenTrial) -> None:
        """Optuna's own sweep (``fail_stale_trials``, not run by our loop) failed ``trial``: retry, then record."""
        reason = self._stale_reason()
        self._retry(trial, reason)
        self._record_failure(trial._trial_id, reason)

    def _fail(self, trial: optuna.Trial, reason: str, tb: str | None, retry: bool) -> None:
        """Fail our running trial, retry first. A trial finished already is final: told before the error (an
        error after ``tell``), or failed as stale by another worker while this one was slow (that sweep queued
        its retry): it is neither recorded nor retried again."""
        storage = self.study._storage
        frozen = storage.get_trial(trial._trial_id)
        if frozen.state.is_finished():
            self._finished_elsewhere(frozen, reason)
            return
        retries = int(frozen.user_attrs.get(RETRIES_ATTR, 0))
        if not retry or retries >= self.spec.workers.max_retries:
            with contextlib.suppress(Exception):  # counted against the trial budget: it will not come back
                trial.set_user_attr(FINAL_FAILURE_ATTR, True)
        else:
            self._retry(frozen, reason)
        try:
            self.study.tell(trial, state=TrialState.FAIL)
        except (optuna.exceptions.UpdateFinishedTrialError, ValueError):  # finished since we looked
            self._finished_elsewhere(storage.get_trial(trial._trial_id), reason)
            return
        self.report.failed += 1
        self._record_failure(trial._trial_id, reason, tb)

    def _finished_elsewhere(self, trial: FrozenTrial, reason: str) -> None:
        if trial.state == TrialState.COMPLETE:
            log.warning("trial %d: %s, after it was told: it stays complete (not failed, not retried)",
                        trial.number, reason)
            self.report.evaluated += 1
            self._snapshot_due = True  # what followed its tell did not run
        else:
            log.warning("trial %d: %s; it is %s already (failed as stale while this worker was slow?): not "
                        "recorded or retried again", trial.number, reason, trial.state.name)
            self.report.failed += 1

    def _redundant_retry(self, trial: optuna.Trial) -> str | None:
        """Why a retry just popped must not run: its trial completed after all (the worker presumed dead was only
        slow), or an earlier retry of it exists (two workers queued one at once)."""
        of = trial.user_attrs.get(RETRY_ATTR)
        if of is None:
            return None
        trials = self.study.get_trials(deepcopy=False)
        if any(t.number == of and t.state == TrialState.COMPLETE for t in trials):
            return f"trial {of} completed after all"
        first = min(t.number for t in trials if t.user_attrs.get(RETRY_ATTR) == of)
        return f"trial {first} is trial {of}'s retry already" if first != trial.number else None

    def _drop(self, trial: optuna.Trial, why: str) -> None:
        """Fail a redundant retry without evaluating it; not a final failure, so the budget does not count it."""
        trial.set_user_attr(REDUNDANT_ATTR, True)
        self.study.tell(trial, state=TrialState.FAIL)
        self.report.dropped_retries += 1
        log.info("trial %d dropped, nothing evaluated: a redundant retry (%s)", trial.number, why)
        self._record_failure(trial._trial_id, f"redundant retry, not run: {why}")

    # --- the loop ----------------------------------------------------------------------------------------
    def run(self) -> WorkerReport:
        """Run trials until the budget is reached (or ``max_trials`` for this worker)."""
        if not hasattr(self, "objectives"):
            self.setup()
        with _stop_on_signals():
            while True:
                self._fail_stale()
                if self._snapshot_due:
                    self._take_snapshot()
                done = self.report.evaluated + self.report.duplicates + self.report.failed
                capped = self.max_trials is not None and done >= self.max_trials
                # the budget check and the ask as one step: two workers checking at once each asked a trial,
                # one beyond a trial budget (seen on PostgreSQL)
                with self.store.lock(f"mixmerge:ask:{self.spec.study}"):
                    status = budget_status(self.store, self.study, self.spec)
                    trial = None if status.reached or capped else self._ask()
                if status.reached:
                    self.report.stop_reason = status.reached
                    if self._others_running():
                        time.sleep(min(self.spec.workers.heartbeat_s, 5))
                        continue  # a dead worker's trial may still come back for retry
                    break
                if trial is None:
                    self.report.stop_reason = "max_trials"
                    break
                self._run_one(trial)
            if self._snapshot_due:
                self._take_snapshot()
        r = self.report
        log.info("worker %d stops (%s): %d evaluated, %d duplicates, %d screened out, %d failed, %d redundant "
                 "retries dropped", self.rank, r.stop_reason, r.evaluated, r.duplicates, r.screened_out, r.failed,
                 r.dropped_retries)
        return self.report

    def _ask(self) -> optuna.Trial:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "heartbeat is supposed to be used with optimize": we beat
            return self.study.ask()

    def _others_running(self) -> bool:
        return any(t.state == TrialState.RUNNING for t in self.study.get_trials(deepcopy=False))

    def _run_one(self, trial: optuna.Trial) -> None:
        storage = self.study._storage
        with Heartbeat(storage, trial._trial_id, self.spec.workers.heartbeat_s):
            try:
                redundant = self._redundant_retry(trial)
                if redundant is not None:
                    self._drop(trial, redundant)
                    return
                point = self.space.suggest(trial)
                key = candidate_key(trial.params)
                trial.set_user_attr(KEY_ATTR, key)
                trial.set_user_attr(WORKER_ATTR, f"{os.uname().nodename}:{os.getpid()}:{self.rank}")
                twin = self._twin(trial, key)
                if twin is not None:
                    self._tell_duplicate(trial, twin)
                    return
                self._evaluate(trial, point)
            except WorkerStopped:
                self._fail(trial, "interrupted (worker stopped)", None, retry=True)
                raise
            except TrialFailed as exc:
                self._fail(trial, str(exc), None, retry=False)
            except Exception as exc:  # noqa: BLE001 - any failure of one trial is recorded, the search goes on
                log.exception("trial %d failed", trial.number)
                self._fail(trial, f"{type(exc).__name__}: {exc}", traceback.format_exc(), retry=True)

    def _twin(self, trial: optuna.Trial, key: str) -> FrozenTrial | None:
        """A finished trial with the same candidate (waiting for one still running elsewhere)."""
        deadline = time.monotonic() + 2 * self.spec.workers.grace_s
        while True:
            same = [t for t in self.study.get_trials(deepcopy=False)
                    if t.number != trial.number and t.user_attrs.get(KEY_ATTR) == key]
            done = [t for t in same if t.state == TrialState.COMPLETE]
            if done:
                return done[0]
            if not any(t.state == TrialState.RUNNING for t in same) or time.monotonic() > deadline:
                return None
            time.sleep(1.0)

    def _tell_duplicate(self, trial: optuna.Trial, twin: FrozenTrial) -> None:
        for name, value in twin.constraints.items():
            trial.set_constraint(name, value)
        for attr in (FIDELITY_ATTR, SCREENED_ATTR, CANDIDATE_ATTR):
            if attr in twin.user_attrs:
                trial.set_user_attr(attr, twin.user_attrs[attr])
        trial.set_user_attr(DUPLICATE_ATTR, twin.number)
        self.study.tell(trial, list(twin.values))
        self.report.duplicates += 1
        log.info("trial %d is trial %d's candidate: told its values, nothing evaluated", trial.number, twin.number)

    # --- one evaluation ----------------------------------------------------------------------------------
    def _build(self, trial: optuna.Trial, point: Mapping[str, float]) -> tuple[float, float, dict[str, Any]]:
        """Make the candidate's model live; returns (seconds, flops, description)."""
        if self.spec.arm == "merge":
            cand = merge_candidate(self.spec, point, self.tied)
            seconds = self.merger.apply(cand.weights, cand.method_params or None)
            n_weights = len(self.spec.expert_labels)
            return seconds, 2.0 * self.n_params * n_weights, cand.describe(self.spec.expert_labels)
        from mixmerge.objectives.loading import load_model
        from mixmerge.training.recipe import Mixture
        from mixmerge.training.trainer import train

        ratios = mix_ratios(self.spec, point)
        sources, set_names = training_sources(self.spec)
        mixture = Mixture(ratios={set_names[k]: v for k, v in ratios.items()})
        out = self.spec.work_dir() / "trials" / f"{trial.number:05d}"
        t0 = time.perf_counter()
        result = train(self.spec.base, mixture, self.spec.training, out, sources=sources,
                       strategy=self.spec.strategy, keep_fraction=self.spec.keep_fraction, overwrite=True,
                       progress=False, device="auto" if self.device == "cpu" else self.device)
        self.store.record_artifact(self.spec.study, kind="model", path=out, trial_id=trial._trial_id)
        self.model, self.tokenizer = load_model(str(out))
        self.model.to(self.device)
        return time.perf_counter() - t0, float(result.cost.flops), {"ratios": ratios, "model_dir": str(out)}

    def _score(self, objectives: list[Any]) -> tuple[dict[str, Any], float]:
        from mixmerge.objectives.registry import evaluate

        t0 = time.perf_counter()
        scores = evaluate(self.model, self.tokenizer, objectives, self._settings())
        seconds = time.perf_counter() - t0
        bad = [k for k, s in scores.items() if not _finite_score(s)]
        if bad:
            raise TrialFailed(f"NaN or infinite score for {', '.join(bad)}: the candidate model is broken "
                              "(recorded as failed, not retried)")
        return scores, seconds

    def _evaluate(self, trial: optuna.Trial, point: Mapping[str, float]) -> None:
        spec = self.spec
        t_start = time.perf_counter()
        trial.set_user_attr(STAGE_ATTR, "merging" if spec.arm == "merge" else "training")
        build_s, build_flops, described = self._build(trial, point)
        trial.set_user_attr(CANDIDATE_ATTR, described)
        base = self._base()
        timings = {"build_s": build_s}
        if self.screen_objectives is not None:
            trial.set_user_attr(STAGE_ATTR, "screening")
            scores, eval_s = self._score(self.screen_objectives)
            frac = spec.screening.fraction
            t_book = time.perf_counter()
            self._record(trial, scores, frac, build_flops, build_s, eval_s, 0.0)
            go_on = self._could_enter(scores, base)
            timings.update(screen_eval_s=eval_s, screen_book_s=time.perf_counter() - t_book)
            if not go_on:
                self._tell(trial, scores, base, frac, screened_out=True)
                self.report.screened_out += 1
                self.report.evaluated += 1
                self._finish(timings, t_start)
                return
            build_flops, build_s = 0.0, 0.0  # charged with the screening stage
        trial.set_user_attr(STAGE_ATTR, "full evaluation")
        scores, eval_s = self._score(self.objectives)
        t_book = time.perf_counter()
        self._record(trial, scores, 1.0, build_flops, build_s, eval_s, 0.0)
        self._tell(trial, scores, base, 1.0, screened_out=False)
        self._take_snapshot()  # the trial is final now: nothing below may fail it
        timings.update(eval_s=eval_s, book_s=time.perf_counter() - t_book)
        self._finish(timings, t_start)
        self.report.evaluated += 1

    def _finish(self, timings: dict[str, float], t_start: float) -> None:
        timings["total_s"] = time.perf_counter() - t_start
        self.report.trial_seconds.append(timings)
        if self.spec.arm == "mix":  # a trained candidate is used once: free it before the next one trains
            self.model = self.tokenizer = None

    def _record(self, trial: optuna.Trial, scores: dict[str, Any], fidelity: float, build_flops: float,
                build_s: float, eval_s: float, book_s: float) -> None:
        eval_flops = sum(s.cost.flops for s in scores.values())
        cost = {"flops": build_flops + eval_flops, "device_seconds": build_s + eval_s,
                "tokens": sum(s.cost.tokens for s in scores.values()), "device": self.device,
                "breakdown": {"build_s": build_s, "eval_s": eval_s, "build_flops": build_flops,
                              "eval_flops": eval_flops}}
        self.store.record_trial_result(trial._trial_id, split=self.spec.split, fidelity=fidelity,
                                       results=[score_to_result(s) for s in scores.values()], cost=cost,
                                       arm=self.spec.arm)

    def _base(self) -> dict[str, float] | None:
        if self._base_scores is None and self.spec.needs_base_scores:
            self._base_scores = base_scores(self.store, self.spec.study)
        return self._base_scores

    def _could_enter(self, scores: dict[str, Any], base: dict[str, float] | None) -> bool:
        spec = self.spec
        for c in spec.constraints:
            s = scores[c.objective]
            optimistic = s.ci_high if c.op == ">=" else s.ci_low
            if c.violation(optimistic, base) > 0:
                return False
        traded = [scores[k] for k in spec.traded_keys]
        opt = optimistic_values([s.value for s in traded], [s.ci_low for s in traded],
                                [s.ci_high for s in traded], spec.directions)
        return could_enter_front(opt, self.full_front(), spec.directions)

    def full_front(self, complete: list[FrozenTrial] | None = None) -> np.ndarray:
        """Values of the feasible, fully evaluated trials (the Pareto set a candidate must enter), among
        ``complete`` when given (the complete trials of one read)."""
        if complete is None:
            complete = self.study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,))
        rows = [t.values for t in complete
                if t.user_attrs.get(FIDELITY_ATTR) == 1.0 and all(v <= 0 for v in t.constraints.values())]
        return np.array(rows, dtype=np.float64) if rows else np.empty((0, len(self.spec.traded_keys)))

    def _tell(self, trial: optuna.Trial, scores: dict[str, Any], base: dict[str, float] | None, fidelity: float,
              screened_out: bool) -> None:
        for c in self.spec.constraints:
            trial.set_constraint(c.text, c.violation(scores[c.objective].value, base))
        trial.set_user_attr(FIDELITY_ATTR, fidelity)
        trial.set_user_attr(SCREENED_ATTR, screened_out)
        self.study.tell(trial, [scores[k].value for k in self.spec.traded_keys])

    def _take_snapshot(self) -> None:
        """The snapshot after a tell: an error is logged and the snapshot taken again before the next trial."""
        try:
            self._snapshot()
            self._snapshot_due = False
        except Exception as exc:  # noqa: BLE001 - bookkeeping: the told trial stands
            self._snapshot_due = True
            log.warning("hypervolume snapshot failed (%s: %s); taken again before the next trial",
                        type(exc).__name__, exc)

    def _snapshot(self) -> None:
        """A hypervolume snapshot (full fidelity, feasible trials) against the study's compute so far. Its front
        and its count come from one read: a trial completing in between would label an old front with a newer
        count. The compute is read after, so it covers at least those trials."""
        import moocore

        complete = self.study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,))
        front = self.full_front(complete)
        ref = to_max(self.spec.reference, self.spec.directions)
        pts = np.array([to_max(r, self.spec.directions) for r in front]) if front.size else front
        pts = pts[np.all(pts > ref, axis=1)] if pts.size else pts
        hv = float(moocore.hypervolume(-pts, ref=-ref)) if pts.size else 0.0
        totals = self.store.cumulative_cost(self.spec.study)
        self.store.record_hv_snapshot(self.spec.study, hypervolume=hv, cumulative_flops=totals.flops,
                                      cumulative_device_seconds=totals.device_seconds, n_trials=len(complete),
                                      split=self.spec.split, fidelity=1.0, at_time=datetime.now(UTC))

    def close(self) -> None:
        self.store.close()


def _finite_score(score: Any) -> bool:
    """A score is NaN when its value is, or when it was computed from NaN model outputs (an argmax over NaN
    log-likelihoods still yields a number, but not a meaningful one)."""
    if not math.isfinite(score.value):
        return False
    for item in score.per_item:
        lls = item.detail.get("loglikelihoods")
        if lls is not None and not all(math.isfinite(x) for x in lls):
            return False
    return True


@contextmanager
def _stop_on_signals() -> Iterator[None]:
    """SIGTERM and SIGINT raise ``WorkerStopped`` (main thread only), so the running trial is failed and queued
    for retry rather than left RUNNING until its heartbeat goes stale."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, _frame: Any) -> None:
        raise WorkerStopped(signal.Signals(signum).name)

    old = {s: signal.signal(s, handler) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for s, h in old.items():
            signal.signal(s, h)


def run_worker(storage_url: str, study_name: str, *, device: str = "cpu", rank: int = 0, lead: bool = True,
               max_trials: int | None = None) -> WorkerReport:
    """Join a study and run trials until its budget is reached; returns what this worker did."""
    worker = Worker(storage_url, study_name, device=device, rank=rank, lead=lead, max_trials=max_trials)
    try:
        worker.setup()
        return worker.run()
    except WorkerStopped:
        worker.report.stop_reason = "interrupted"
        return worker.report
    finally:
        worker.close()
