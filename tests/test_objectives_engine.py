"""The direct path: log-likelihoods equal a plain forward pass, only needed logits are kept, nothing is cached
across a change of weights, and the direct path gives lm-eval's numbers (tiny random model, Smol tokenizer)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch
from _tiny import tiny_model
from mixmerge.merge_core.builtin import resolve_builtin
from mixmerge.objectives.generation import generate
from mixmerge.objectives.likelihood import encode_pair, loglikelihoods, render_chat
from mixmerge.objectives.objective import EvalSettings, evaluate_objective
from mixmerge.objectives.registry import build_objective

DATA = Path(__file__).parent / "data" / "h3"


@pytest.fixture(scope="module")
def tok():
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(resolve_builtin("builtin:smollm2-135m-instruct"))


@pytest.fixture(scope="module")
def model():
    torch.set_num_threads(1)
    return tiny_model(vocab_size=49152, max_position_embeddings=2048, initializer_range=0.5)


REQS = [("Question: what is two plus two?\nAnswer:", " four"), ("Hello", " world, how are you today?"),
        ("Hello", " there"), ("A much longer context that goes on and on for a while before the answer:", " yes")]


def _naive(model, tok, ctx, cont):
    c, x = encode_pair(tok, ctx, cont)
    ids = torch.tensor([c + x])
    with torch.no_grad():
        logp = torch.log_softmax(model(ids).logits[0, :-1].float(), -1)
    lp = logp[torch.arange(len(c) - 1, len(c) + len(x) - 1), torch.tensor(x)]
    return float(lp.sum()), bool((logp[len(c) - 1:].argmax(-1) == torch.tensor(x)).all())


@pytest.mark.parametrize("batch_size", [1, 3])
def test_loglikelihoods_equal_a_plain_forward_pass(model, tok, batch_size):
    got, cost = loglikelihoods(model, tok, REQS, batch_size=batch_size)
    for (ll, greedy), (c, x) in zip(got, REQS, strict=True):
        ref_ll, ref_greedy = _naive(model, tok, c, x)
        assert ll == pytest.approx(ref_ll, abs=1e-4)
        assert greedy == ref_greedy
    n_params = sum(p.numel() for p in model.parameters())
    assert cost.tokens > 0 and cost.flops == 2.0 * n_params * cost.tokens


def test_trailing_context_whitespace_moves_into_the_continuation(tok):
    c1, x1 = encode_pair(tok, "Answer: ", "yes")
    c2, x2 = encode_pair(tok, "Answer:", " yes")
    assert (c1, x1) == (c2, x2)


def test_only_continuation_logits_are_computed(model, tok, monkeypatch):
    """The output layer sees one row per continuation token, never the whole batch x sequence."""
    head = model.get_output_embeddings()
    rows = []
    orig = head.forward
    monkeypatch.setattr(head, "forward", lambda x: (rows.append(x.shape[0]), orig(x))[1])
    loglikelihoods(model, tok, REQS, batch_size=4)
    n_cont = sum(len(encode_pair(tok, c, x)[1]) for c, x in REQS)
    assert sum(rows) == n_cont


def test_nothing_is_cached_across_a_change_of_weights(model, tok):
    obj = build_objective("capability", split="dev", suite_dir=DATA)
    before = evaluate_objective(model, tok, obj, degenerate=False)
    saved = {k: v.clone() for k, v in model.state_dict().items()}
    try:
        with torch.no_grad():
            for p in model.parameters():
                p.mul_(0.5)
        after = evaluate_objective(model, tok, obj, degenerate=False)
        fresh = tiny_model(vocab_size=49152, max_position_embeddings=2048, initializer_range=0.5)
        with torch.no_grad():
            for p in fresh.parameters():
                p.mul_(0.5)
        expected = evaluate_objective(fresh, tok, obj, degenerate=False)
    finally:
        model.load_state_dict(saved)
    lls = lambda s: [x for it in s.per_item for x in it.detail["loglikelihoods"]]  # noqa: E731
    assert lls(after) != lls(before)
    assert lls(after) == pytest.approx(lls(expected), abs=1e-5)


def test_generation_is_greedy_deterministic_and_batch_order_free(model, tok):
    prompts = [render_chat(tok, [{"role": "user", "content": q}]) for q in ("Hi", "What is the capital of France?",
                                                                            "Tell me a joke about cats please")]
    a, cost = generate(model, tok, prompts, max_new_tokens=8, batch_size=2)
    b, _ = generate(model, tok, prompts, max_new_tokens=8, batch_size=2)
    assert a == b and all(isinstance(t, str) and t for t in a)
    # results come back in input order: the same prompt alone (as a batch of one, sorted first) agrees
    c, _ = generate(model, tok, prompts[2:], max_new_tokens=8, batch_size=2)
    assert c[0] == a[2]
    assert cost.tokens >= sum(len(tok.encode(p)) for p in prompts)


@pytest.mark.parametrize("objective,task", [("capability", "h3_capability"), ("harmless", "h3_harmless"),
                                            ("honest", "h3_honest"), ("helpful", "h3_helpful")])
def test_direct_path_equals_lm_eval_task(model, tok, objective, task):
    """Same log-likelihoods (1e-5), same greedy text and same item scores as the lm-eval task, same batch size."""
    from mixmerge.objectives.lmeval import run_tasks

    obj = build_objective(objective, split="dev", suite_dir=DATA)
    mine = evaluate_objective(model, tok, obj, EvalSettings(likelihood_batch_size=4, generation_batch_size=4),
                              degenerate=False)
    by_id = {it.id: it for it in mine.per_item}
    subtasks = {"h3_helpful": ["h3_helpful_choice", "h3_helpful_comply"],
                "h3_honest": ["h3_honest_choice", "h3_honest_gen"]}.get(task, [task])
    seen = 0
    for sub in subtasks:  # one task per run: lm-eval pools requests of tasks run together into shared batches
        res = run_tasks(model, tok, [sub], split="dev", suite_dir=str(DATA), batch_size=4)
        for s in res["samples"][sub]:
            item_id = json.loads(s["doc"]["item"])["id"]
            got = by_id[item_id]
            if got.kind == "choice":
                theirs = [ll for ll, _ in s["filtered_resps"]]
                assert theirs == pytest.approx(got.detail["loglikelihoods"], abs=1e-5)
            else:
                assert s["filtered_resps"][0] == got.detail["response"]
            assert s["score"] == got.score
            seen += 1
    assert seen == len(obj.items)


def test_any_lm_eval_task_can_be_an_objective(model, tok):
    from mixmerge.objectives.registry import evaluate

    obj = build_objective("cap=lm_eval:h3_capability", split="dev", fidelity=6)
    assert obj.lm_eval_task == "h3_capability"
    score = evaluate(model, tok, [obj])["cap"]
    assert score.n == 6 and score.notes["engine"] == "lm-eval" and 0.0 <= score.value <= 1.0
    assert score.cost.tokens > 0 and set(score.per_category) <= {"arithmetic", "language", "world_knowledge",
                                                                 "commonsense", "science", "units"}
