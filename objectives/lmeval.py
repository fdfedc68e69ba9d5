"""Run lm-eval tasks on the live in-memory model (an ``HFLM`` wrapping it) and turn the result into Scores.

Why through the live model: the resident merger writes new weights into the same model object for every
candidate; reloading from disk would cost seconds and a copy. ``HFLM(pretrained=model)`` wraps the object as
is. The built-in tasks are found with ``TaskManager(include_path=TASK_DIR, include_defaults=False)`` (indexing
lm-eval's ~15k bundled tasks costs seconds and is only done for a task name we do not ship).
"""

from __future__ import annotations

import json
import logging
import os
import time
from pathlib import Path

from .formats import Item
from .likelihood import n_params
from .scoring import Cost, ItemResult, Score, make_score

log = logging.getLogger(__name__)

TASK_DIR = Path(__file__).resolve().parent / "lm_eval_tasks"
BUILTIN_TASKS = {"helpful": "h3_helpful", "harmless": "h3_harmless", "honest": "h3_honest",
                 "capability": "h3_capability"}
#: metrics tried, in order, as the per-item score of a foreign task (all in [0, 1], higher is better)
ITEM_METRICS = ("score", "acc_norm", "acc", "exact_match", "f1", "mc2", "mc1")


def task_manager(names: list[str], metadata: dict | None = None, include_path: Path = TASK_DIR,
                 search_defaults: bool = True):
    """A TaskManager that knows ``names``; lm-eval's own ~15k tasks are indexed only when needed (~5-60 s)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
    from lm_eval.tasks import TaskManager

    tm = TaskManager(include_path=str(include_path), include_defaults=False, metadata=metadata)
    if search_defaults and any(n not in tm.all_tasks for n in names):
        tm = TaskManager(include_path=str(include_path), include_defaults=True, metadata=metadata)
    unknown = [n for n in names if n not in tm.all_tasks]
    if unknown:
        raise ValueError(f"unknown lm-eval task(s): {', '.join(unknown)}")
    return tm


def run_tasks(model, tokenizer, tasks: list[str], *, split: str = "test", batch_size: int = 16,
              limit: int | None = None, suite_dir: str | None = None, include_path: Path = TASK_DIR) -> dict:
    """``lm_eval.simple_evaluate`` on the live model with the chat template; returns its results dict."""
    import lm_eval
    from lm_eval.models.huggingface import HFLM

    metadata = {"split": split, **({"suite_dir": str(suite_dir)} if suite_dir else {})}
    tm = task_manager(tasks, metadata=metadata, include_path=include_path)
    lm = HFLM(pretrained=model, tokenizer=tokenizer, batch_size=batch_size)
    return lm_eval.simple_evaluate(model=lm, tasks=tasks, task_manager=tm, apply_chat_template=True,
                                   log_samples=True, limit=limit, bootstrap_iters=0, num_fewshot=0,
                                   random_seed=0, numpy_random_seed=0, torch_random_seed=0, fewshot_random_seed=0)


def _item_score(task: str, sample: dict) -> float:
    for metric in ITEM_METRICS:
        if metric in sample:
            value = sample[metric]
            value = value[0] if isinstance(value, (list, tuple)) else value
            if isinstance(value, (int, float)) and 0.0 <= float(value) <= 1.0:
                return float(value)
    raise ValueError(f"lm-eval task {task!r} has no per-item metric in [0, 1] (looked for {', '.join(ITEM_METRICS)})")


def _tokens(results: dict, tokenizer) -> int:
    """Tokens through the model: every request's context and continuation (or generated text)."""
    total = 0
    for samples in results["samples"].values():
        for s in samples:
            args = s.get("arguments") or []
            resps = s.get("resps") or []
            for k, arg in enumerate(args):
                parts = [p for p in (arg if isinstance(arg, (list, tuple)) else [arg]) if isinstance(p, str)]
                if isinstance(arg, (list, tuple)) and len(arg) > 1 and isinstance(arg[1], dict) and k < len(resps):
                    out = resps[k][0] if isinstance(resps[k], (list, tuple)) else resps[k]
                    parts.append(str(out))
                total += sum(len(tokenizer.encode(p, add_special_tokens=False)) for p in parts)
    return total


def score_from_results(name: str, split: str, results: dict, model, tokenizer, seconds: float,
                       fidelity: int | None = None) -> Score:
    """Per-item results from lm-eval's logged samples -> a Score (categories from our items, else the task)."""
    items: list[ItemResult] = []
    for task, samples in sorted(results["samples"].items()):
        for s in sorted(samples, key=lambda s: s["doc_id"]):
            doc = s["doc"]
            if "item" in doc:
                it = Item.model_validate(json.loads(doc["item"]))
                iid, cat, kind = it.id, it.category, it.kind
            else:
                iid, cat, kind = f"{task}-{s['doc_id']}", task, "lm_eval"
            detail = {"task": task, "resps": _plain(s.get("filtered_resps"))}
            items.append(ItemResult(id=iid, category=cat, kind=kind, score=_item_score(task, s), detail=detail))
    tokens = _tokens(results, tokenizer)
    cost = Cost(tokens=tokens, flops=2.0 * n_params(model) * tokens, seconds=seconds)
    return make_score(name, split, items, cost, fidelity=fidelity, notes={"engine": "lm-eval"})


def _plain(x):
    if isinstance(x, (list, tuple)):
        return [_plain(v) for v in x]
    if isinstance(x, (str, int, float, bool)) or x is None:
        return x
    return str(x)


def evaluate_task(model, tokenizer, name: str, task: str, *, split: str = "test", batch_size: int = 16,
                  limit: int | None = None, suite_dir: str | None = None) -> Score:
    start = time.perf_counter()
    results = run_tasks(model, tokenizer, [task], split=split, batch_size=batch_size, limit=limit,
                        suite_dir=suite_dir)
    return score_from_results(name, split, results, model, tokenizer, time.perf_counter() - start,
                              fidelity=limit)
