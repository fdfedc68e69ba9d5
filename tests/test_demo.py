"""The demo's main job on a tiny model: experts trained with a tiny recipe, a merge and a mix search at the same
FLOP budget in one store (real worker processes), test confirmations, the report; then a rerun resumes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import optuna
import pytest
import torch
from _search_fixtures import tiny_problem, write_mc
from mixmerge.search.worker import EXPERT_SCORES_KEY
from mixmerge.service.commands.demo import MERGE_STUDY, MIX_STUDY, DemoPlan, budget_for, run_demo
from mixmerge.storage import open_store
from mixmerge.training.recipe import TrainRecipe
from mixmerge.training.trainer import train_experts

RECIPE = TrainRecipe(tokens=1024, seq_len=128, batch_size=4, lr=1e-3, schedule="constant", warmup_fraction=0.0,
                     min_response_tokens=4)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> dict:
    torch.set_num_threads(1)
    root = tmp_path_factory.mktemp("demo")
    problem = tiny_problem(root)
    dev, test = write_mc(root / "capability_dev.jsonl", 5), write_mc(root / "capability_test.jsonl", 6)
    problem["objectives"].append({"name": f"capability=mc:{dev}", "test": f"capability=mc:{test}", "trade": False})
    train_experts(problem["base"], RECIPE, root / "experts", progress=False)
    problem["trained"] = {n: str(root / "experts" / n) for n in ("helpful", "harmless", "honest")}
    return problem


def _full_eval_flops(tiny: dict) -> float:
    """One full evaluation of the tiny base on the study's objectives (what a trial's full stage costs)."""
    from mixmerge.objectives.loading import load_model
    from mixmerge.objectives.objective import EvalSettings
    from mixmerge.objectives.registry import build_objective, evaluate

    model, tok = load_model(tiny["base"])
    objs = [build_objective(o["name"], split="dev") for o in tiny["objectives"]]
    return sum(s.cost.flops for s in evaluate(model, tok, objs, EvalSettings(fluency_gate=False)).values())


@pytest.mark.slow
def test_demo_runs_both_arms_at_one_budget_confirms_and_reports(tmp_path, tiny):
    experts = tiny["trained"]
    run_flops = budget_for(experts, 1.0)[2]
    recorded = [json.loads((Path(p) / "mixmerge_provenance.json").read_text())["cost"]["flops"]
                for p in experts.values()]
    assert run_flops == pytest.approx(sum(recorded) / 3)
    full = _full_eval_flops(tiny)
    # the merge arm affords its experts, the base's evaluation and about two trials; the mix arm about three runs
    budget = 3 * run_flops + full + 3 * full
    plan = DemoPlan(out=tmp_path / "out", base=tiny["base"], experts=experts, training=RECIPE, budget_flops=budget,
                    merge_trials=50, objectives=tiny["objectives"], constraints=["capability >= base - 1"],
                    items=None, screening=0.5, evaluation={"batch_size": 8, "fluency_gate": False},
                    optimizer="random", heartbeat_s=2, poll_s=0.5)
    lines: list[str] = []
    result = run_demo(plan, lines.append)
    text = "\n".join(lines)
    (tmp_path / "demo.txt").write_text(text)

    store = open_store(plan.storage)
    storage = store.optuna_storage(heartbeat_interval=None, grace_period=None)
    assert sorted(optuna.get_all_study_names(storage)) == sorted([MERGE_STUDY, MIX_STUDY])  # one store, both arms
    assert result["stops"] == {MERGE_STUDY: "flops", MIX_STUDY: "flops"}
    for name in (MERGE_STUDY, MIX_STUDY):
        per_trial: dict[int, float] = {}
        for c in store.costs(name):
            if c["kind"] == "trial":  # a trial's screening and full stages are two rows
                per_trial[c["trial_id"]] = per_trial.get(c["trial_id"], 0.0) + c["flops"]
        spent = store.cumulative_cost(name).flops
        assert per_trial and spent >= budget > spent - max(per_trial.values()), "stopped within a trial of the budget"
        assert f"{name} | " in text and "FLOPs spent" in text  # the progress display ran
    # the merge arm paid its three experts (their recorded training cost) before its first trial
    merge_costs = store.costs(MERGE_STUDY)
    given = [c for c in merge_costs if c["label"].startswith("expert ")]
    assert len(given) == 3 and all(c["paid"] for c in given)
    assert sum(c["flops"] for c in given) == pytest.approx(3 * run_flops)
    first_trial = min(i for i, c in enumerate(merge_costs) if c["kind"] == "trial")
    assert all(merge_costs.index(c) < first_trial for c in given)
    # the mix arm trained each candidate with the experts' recipe
    mix = optuna.load_study(study_name=MIX_STUDY, storage=storage)
    for t in mix.get_trials(states=(optuna.trial.TrialState.COMPLETE,)):
        prov = json.loads((Path(t.user_attrs["mixmerge:candidate"]["model_dir"]) /
                           "mixmerge_provenance.json").read_text())
        assert prov["recipe"] == RECIPE.model_dump()
    # the experts were scored for the fronts' markers, and confirmations on test exist for the chosen trials
    assert set(store.provenance(MERGE_STUDY)[EXPERT_SCORES_KEY]) == {"helpful", "harmless", "honest"}
    for name in (MERGE_STUDY, MIX_STUDY):
        confirmed = {r["trial_number"] for r in store.scores(name, split="test", fidelity=1.0)}
        assert confirmed and confirmed == set(result["confirmed"][name])
    html = result["report"].read_text()
    assert "Mix vs merge at equal compute" in html and "expert:helpful" in html
    assert not re.search(r"<script\b[^>]*\bsrc=", html) and "Plotly.newPlot" in html  # inlined
    assert result["pngs"] and all(p.is_file() for p in result["pngs"])
    assert "mix vs merge at equal compute" in text and "deployment profiles" in text and "balanced" in text

    # a rerun resumes: nothing left to run or confirm, the same studies, the report again
    n_trials = {n: len(optuna.load_study(study_name=n, storage=storage).trials) for n in (MERGE_STUDY, MIX_STUDY)}
    again = run_demo(plan, lines.append)
    assert again["confirmed"] == {MERGE_STUDY: [], MIX_STUDY: []}
    assert {n: len(optuna.load_study(study_name=n, storage=storage).trials) for n in n_trials} == n_trials


def test_a_rerun_with_other_settings_is_refused_but_another_budget_continues(tmp_path, tiny):
    from mixmerge.search.runner import prepare_study
    from mixmerge.service.commands.demo import reconcile

    plan = DemoPlan(out=tmp_path, base=tiny["base"], experts=tiny["trained"], training=RECIPE, budget_flops=1e12,
                    merge_trials=4, objectives=tiny["objectives"], constraints=[], items=None)
    merge, _ = plan.specs()
    prepare_study(merge)
    store = open_store(plan.storage)
    bigger, _ = DemoPlan(**{**plan.__dict__, "budget_flops": 2e12, "threads": 2}).specs()
    reconcile(store, bigger)
    assert store.study_meta(MERGE_STUDY)["spec"]["budget"]["flops"] == 2e12
    other, _ = DemoPlan(**{**plan.__dict__, "items": 3}).specs()
    with pytest.raises(ValueError, match="evaluation"):
        reconcile(store, other)


def test_budget_for_gives_the_mix_arm_whole_runs_and_the_merge_arm_its_experts(tiny):
    budget, merge_trials, run = budget_for(tiny["trained"], 1.0)
    assert budget == pytest.approx(4 * run) and merge_trials == 8
    budget2, trials2, _ = budget_for(tiny["trained"], 2.0)
    assert budget2 == pytest.approx(8 * run) and trials2 == 16
    with pytest.raises(ValueError, match="at least 1"):
        budget_for(tiny["trained"], 0.5)
    with pytest.raises(ValueError, match="no training cost"):
        budget_for(tiny["experts"], 1.0)


@pytest.mark.skipif(not Path("/proc/self/statm").is_file(), reason="reads resident memory from /proc (Linux)")
def test_release_memory_hands_freed_heap_back():
    """The demo process trims the heap that training freed before its workers start (glibc keeps it otherwise)."""
    import gc
    import os

    from mixmerge.service.commands.demo import _release_memory

    def rss() -> int:
        return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")

    blocks = [bytearray(64_000) for _ in range(4000)]  # 256 MB of heap chunks, below the mmap threshold
    kept = blocks[::16]  # what stays alive pins the heap's top, so freeing the rest alone returns little
    del blocks
    gc.collect()
    before = rss()
    _release_memory()
    assert before - rss() > 100e6
    assert len(kept) == 250
