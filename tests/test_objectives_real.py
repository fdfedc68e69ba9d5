"""Slow checks on the real SmolLM2-135M-Instruct: lm-eval parity, bf16 autocast inside the float32 intervals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from mixmerge.objectives.objective import EvalSettings, evaluate_objective
from mixmerge.objectives.registry import build_objective
from mixmerge.objectives.suite import OBJECTIVES, SUITE_DIR

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def real():
    from mixmerge.objectives.loading import load_model

    return load_model("builtin:smollm2-135m-instruct")


@pytest.fixture(scope="module")
def small_suite(tmp_path_factory):
    """The first lines of each built-in dev file (a suite folder lm-eval can read through its metadata)."""
    root = tmp_path_factory.mktemp("suite")
    for obj in OBJECTIVES:
        (root / obj).mkdir()
        lines = (SUITE_DIR / obj / "dev.jsonl").read_text().splitlines()[:12]
        (root / obj / "dev.jsonl").write_text("\n".join(lines) + "\n")
    return root


@pytest.mark.parametrize("objective,subtasks", [("capability", ["h3_capability"]), ("harmless", ["h3_harmless"]),
                                                ("honest", ["h3_honest_choice", "h3_honest_gen"])])
def test_real_model_direct_path_equals_lm_eval(real, small_suite, objective, subtasks):
    from mixmerge.objectives.lmeval import run_tasks

    model, tok = real
    obj = build_objective(objective, split="dev", suite_dir=small_suite)
    mine = evaluate_objective(model, tok, obj, EvalSettings(likelihood_batch_size=8, generation_batch_size=8),
                              degenerate=False)
    by_id = {it.id: it for it in mine.per_item}
    for sub in subtasks:
        res = run_tasks(model, tok, [sub], split="dev", suite_dir=str(small_suite), batch_size=8)
        for s in res["samples"][sub]:
            got = by_id[json.loads(s["doc"]["item"])["id"]]
            if got.kind == "choice":
                assert [ll for ll, _ in s["filtered_resps"]] == pytest.approx(got.detail["loglikelihoods"], abs=1e-5)
            else:
                assert s["filtered_resps"][0] == got.detail["response"]
            assert s["score"] == got.score


def test_bf16_autocast_stays_inside_float32_intervals_on_likelihood_objectives(real):
    model, tok = real
    for name in ("capability", "helpful"):
        obj = build_objective(name, split="dev")
        obj = obj.model_copy(update={"items": [it for it in obj.items if it.kind == "choice"]}).subset(96, seed=0)
        fp32 = evaluate_objective(model, tok, obj, EvalSettings(likelihood_batch_size=32))
        bf16 = evaluate_objective(model, tok, obj, EvalSettings(likelihood_batch_size=32, autocast_bf16=True))
        assert fp32.ci_low <= bf16.value <= fp32.ci_high, (name, fp32.value, bf16.value)
        agree = sum(a.score == b.score for a, b in zip(fp32.per_item, bf16.per_item, strict=True)) / fp32.n
        assert agree > 0.9, (name, agree)


def test_base_model_is_not_flagged_degenerate(real):
    from mixmerge.objectives import judges

    model, tok = real
    assert judges.reference_perplexity(model, tok) < judges.MAX_REFERENCE_PERPLEXITY / 4


def test_label_file_responses_are_reproduced_by_the_generator(real):
    """The labelled responses are what this code generates for the base model (greedy, same caps)."""
    from mixmerge.objectives.generation import generate
    from mixmerge.objectives.likelihood import render_chat

    model, tok = real
    rows = [json.loads(x) for x in (Path(SUITE_DIR).parent.parent / "judges_labels.jsonl").read_text().splitlines()]
    rows = [r for r in rows if r["source"] == "hh-rlhf-harmless"][:8]
    texts, _ = generate(model, tok, [render_chat(tok, [{"role": "user", "content": r["prompt"]}]) for r in rows],
                        max_new_tokens=64, batch_size=16)
    same = sum(t == r["response"] for t, r in zip(texts, rows, strict=True))
    assert same >= 6  # batch composition differs from the labelling run; greedy text may differ in a rare row


def test_lm_eval_command_line_runs_the_builtin_tasks_offline(tmp_path):
    """``lm_eval --include_path objectives/lm_eval_tasks`` works from any directory, offline."""
    import os
    import subprocess
    import sys

    from _tiny import tiny_model
    from mixmerge.merge_core.builtin import resolve_builtin
    from transformers import AutoTokenizer

    tiny_model(vocab_size=49152, max_position_embeddings=2048).save_pretrained(tmp_path / "m")
    AutoTokenizer.from_pretrained(resolve_builtin("builtin:smollm2-135m-instruct")).save_pretrained(tmp_path / "m")
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"}
    model_args = f"pretrained={tmp_path / 'm'}"
    out = subprocess.run([sys.executable, "-m", "lm_eval", "--model", "hf", "--model_args", model_args,
                          "--include_path", str(SUITE_DIR.parent.parent / "lm_eval_tasks"), "--tasks",
                          "h3_capability,h3_harmless", "--apply_chat_template", "--metadata", '{"split": "dev"}',
                          "--limit", "2", "--batch_size", "2", "--output_path", str(tmp_path / "out")],
                         cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "h3_capability" in out.stdout and "h3_harmless" in out.stdout
