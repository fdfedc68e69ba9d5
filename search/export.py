"""Exporting a trial: the model it evaluated, as a Hugging Face directory, with the recipe that makes it.

Merge arm, one coefficient per expert: a mergekit-style ``Recipe`` (method, base, experts with their weights,
fixed and searched knobs, seed) run through merge_core's streaming export, disk to disk in bounded memory.
The resident merger in the workers uses the same expert identities (their references) for seeded random
draws, so the export is the model the search scored. Per-layer-group coefficients have no mergekit form
here: the resident merge is rebuilt and saved, with the group weights written beside it. Mix arm: the
trial's trained model directory is copied.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import optuna
import yaml
from mixmerge.search.trials import merge_candidate


def export_trial(storage_url: str, study_name: str, number: int, out: str | Path, *, overwrite: bool = False) -> Path:
    from mixmerge.merge_core.export import check_output_dir
    from mixmerge.search.worker import EXPERTS_ATTR, Worker

    out = Path(out).expanduser().absolute()
    check_output_dir(out, overwrite)
    worker = Worker(storage_url, study_name, lead=False)
    try:
        spec, store = worker.spec, worker.store
        trials = {t.number: t for t in worker.study.get_trials(deepcopy=False)}
        if number not in trials:
            raise ValueError(f"study {study_name!r} has no trial {number} (it has {len(trials)} trials)")
        trial = trials[number]
        if trial.state != optuna.trial.TrialState.COMPLETE:
            raise ValueError(f"trial {number} is {trial.state.name.lower()}, not complete: nothing to export")
        point = worker.space.point_from_params(trial.params)
        if spec.arm == "mix":
            src = trial.user_attrs.get("mixmerge:candidate", {}).get("model_dir")
            if not src or not Path(src).is_dir():
                raise ValueError(f"trial {number}: its trained model directory {src!r} is gone")
            if out.exists():
                shutil.rmtree(out)
            shutil.copytree(src, out)
        else:
            experts = worker.study.user_attrs.get(EXPERTS_ATTR) or spec.experts
            cand = merge_candidate(spec, point, worker.tied)
            if isinstance(cand.weights, list):
                from mixmerge.merge_core.export import merge_to_directory
                from mixmerge.merge_core.recipe import Recipe

                fixed = dict(spec.method_params)
                fixed.update(cand.method_params)
                recipe = Recipe(merge_method=spec.method, base_model=spec.base, parameters=fixed, seed=spec.seed,
                                models=[{"model": experts[k], "parameters": {"weight": w}}
                                        for k, w in zip(spec.expert_labels, cand.weights, strict=True)])
                merge_to_directory(recipe, out, overwrite=overwrite)
            else:
                worker._load_merge()
                worker.merger.apply(cand.weights, cand.method_params or None)
                out.mkdir(parents=True, exist_ok=True)
                worker.model.save_pretrained(out, safe_serialization=True)
                worker.tokenizer.save_pretrained(out)
                recipe = {"merge_method": spec.method, "base_model": spec.base, "seed": spec.seed,
                          "parameters": {**spec.method_params, **cand.method_params},
                          "models": [{"model": experts[k]} for k in spec.expert_labels],
                          "layer_group_weights": {g: dict(zip(spec.expert_labels, w, strict=True))
                                                  for g, w in cand.weights.items()},
                          "layer_groups": spec.space.layer_groups}
                (out / "mixmerge_recipe.yml").write_text(yaml.safe_dump(recipe, sort_keys=False))
        (out / "mixmerge_trial.json").write_text(json.dumps(
            {"study": study_name, "trial": number, "values": trial.values, "params": trial.params,
             "candidate": trial.user_attrs.get("mixmerge:candidate")}, indent=2) + "\n")
        store.record_artifact(spec.study, kind="export", path=out, trial_id=trial._trial_id)
        return out
    finally:
        worker.close()
