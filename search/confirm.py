"""Confirmation: score chosen candidates on the test split, once the search has chosen them on dev.

The candidate is rebuilt exactly as the search built it (the resident merge of its coefficients, or the
model its training run wrote) and scored on the test objectives. Test scores go to the store as their own
stage (split ``test``, fidelity 1.0) with no cost row: confirmation is not part of the search budget.
"""

from __future__ import annotations

import logging
from typing import Any

from mixmerge.search.worker import Worker, score_to_result

log = logging.getLogger(__name__)


def confirm(storage_url: str, study_name: str, trials: list[int] | str = "pareto", *,
            device: str = "cpu") -> dict[int, dict[str, Any]]:
    """Score ``trials`` (numbers, or ``pareto``/``all``) on the test split; returns number -> summaries."""
    from mixmerge.search.answers import candidates, pareto_trials
    from mixmerge.search.worker import base_scores

    worker = Worker(storage_url, study_name, device=device, lead=False)
    try:
        spec, store = worker.spec, worker.store
        if trials == "pareto":
            chosen = pareto_trials(store, spec, base_scores(store, spec.study))
        elif trials == "all":
            chosen = [c.number for c in candidates(store, spec)]
        else:
            known = {c.number for c in candidates(store, spec)}
            missing = sorted(set(trials) - known)  # type: ignore[arg-type]
            if missing:
                raise ValueError(f"trial(s) {missing} of study {study_name!r} have no full-fidelity {spec.split} "
                                 "scores (screened out, failed, or not run); confirm fully evaluated ones")
            chosen = list(trials)  # type: ignore[arg-type]
        objectives, _ = worker._build_objectives("test", screening=False)
        if not chosen:
            return {}
        if spec.arm == "merge":
            worker._load_merge()
        out: dict[int, dict[str, Any]] = {}
        by_number = {t.number: t for t in worker.study.get_trials(deepcopy=False)}
        for number in chosen:
            frozen = by_number[number]
            point = worker.space.point_from_params(frozen.params)
            if spec.arm == "merge":
                from mixmerge.search.trials import merge_candidate

                cand = merge_candidate(spec, point, worker.tied)
                worker.merger.apply(cand.weights, cand.method_params or None)
            else:
                from mixmerge.objectives.loading import load_model

                model_dir = frozen.user_attrs.get("mixmerge:candidate", {}).get("model_dir")
                if not model_dir:
                    raise ValueError(f"trial {number} has no trained model directory recorded")
                worker.model, worker.tokenizer = load_model(model_dir)
                worker.model.to(device)
            scores, _ = worker._score(objectives)
            store.record_trial_result(frozen._trial_id, split="test", fidelity=1.0,
                                      results=[score_to_result(s) for s in scores.values()])
            out[number] = {k: {"value": s.value, "ci_low": s.ci_low, "ci_high": s.ci_high, "n": s.n}
                           for k, s in scores.items()}
            log.info("trial %d confirmed on test: %s", number,
                     {k: round(v["value"], 4) for k, v in out[number].items()})
        return out
    finally:
        worker.close()
