"""Naming objectives and evaluating them: the entry point used by the CLI, the workers and the search.

An objective is named by a string:

- ``helpful`` | ``harmless`` | ``honest`` | ``capability``: the built-in or public suite's objective;
- ``NAME=FORMAT:PATH``: a user file in a generic format (``mc``, ``prompts``, ``questions``, ``pairs``);
- ``NAME=prompts:PATH,judge=DIR``: the same, with responses scored by a local reward model;
- ``NAME=lm_eval:TASK`` or ``lm_eval:TASK``: any lm-eval task, run through an HFLM on the live model.

Everything is validated (files read, tasks looked up) when the objective is built, before any compute.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from . import judges
from .formats import FORMATS, load_generic
from .lmeval import BUILTIN_TASKS, evaluate_task, task_manager
from .objective import EvalSettings, Objective, evaluate_objective
from .scoring import Score
from .suite import OBJECTIVES, PUBLIC_SPLITS, SPLITS, SUITE_DIR, builtin_items, check_unique, public_items

log = logging.getLogger(__name__)

Suite = Literal["builtin", "public"]
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]*$")


class ObjectiveSpec(BaseModel):
    """A parsed objective name."""

    model_config = ConfigDict(extra="forbid")
    name: str
    source: Literal["suite", "file", "lm_eval"]
    format: str | None = None
    path: str | None = None
    task: str | None = None
    judge: str | None = None


def parse_objective(text: str) -> ObjectiveSpec:
    """Parse one objective name (see the module docstring); raises ValueError on a malformed one."""
    text = text.strip()
    if text in OBJECTIVES:
        return ObjectiveSpec(name=text, source="suite")
    if text.startswith("lm_eval:"):
        task = text.split(":", 1)[1]
        return ObjectiveSpec(name=task, source="lm_eval", task=task)
    if "=" not in text:
        raise ValueError(f"unknown objective {text!r}; use one of {', '.join(OBJECTIVES)}, NAME=FORMAT:PATH "
                         f"(formats: {', '.join(FORMATS)}) or lm_eval:TASK")
    name, rest = text.split("=", 1)
    if not _NAME.match(name):
        raise ValueError(f"objective name {name!r} must start with a letter and use letters, digits, _ . -")
    kind, _, target = rest.partition(":")
    if not target:
        raise ValueError(f"objective {text!r}: expected NAME=FORMAT:PATH or NAME=lm_eval:TASK")
    if kind == "lm_eval":
        return ObjectiveSpec(name=name, source="lm_eval", task=target)
    if kind not in FORMATS:
        raise ValueError(f"objective {text!r}: unknown format {kind!r}; known: {', '.join(FORMATS)}, lm_eval")
    path, judge = target, None
    if ",judge=" in target:
        path, judge = target.split(",judge=", 1)
    return ObjectiveSpec(name=name, source="file", format=kind, path=path, judge=judge)


def build_objective(name_or_spec: str | ObjectiveSpec, split: str = "dev", suite: Suite = "builtin",
                    data_dir: str | Path | None = None, fidelity: int | None = None, *, seed: int = 0,
                    suite_dir: str | Path | None = None) -> Objective:
    """An Objective with its items loaded and validated (a seeded subset of ``fidelity`` items if given)."""
    spec = parse_objective(name_or_spec) if isinstance(name_or_spec, str) else name_or_spec
    if spec.source == "lm_eval":
        task_manager([spec.task or ""])  # raises for an unknown task, before any compute
        return Objective(name=spec.name, split=split, source=f"lm_eval:{spec.task}", lm_eval_task=spec.task,
                         fidelity=fidelity)
    if spec.source == "file":
        items = load_generic(spec.format or "", spec.path or "")
        check_unique(items, spec.path or "")
        if spec.judge and not (Path(spec.judge) / "config.json").is_file():
            raise ValueError(f"objective {spec.name!r}: judge directory {spec.judge} has no config.json")
        obj = Objective(name=spec.name, split="file", source=f"{spec.format}:{spec.path}", items=items,
                        judge_path=spec.judge)
        return obj.subset(fidelity, seed)
    if suite == "builtin":
        if split not in SPLITS:
            raise ValueError(f"unknown split {split!r}; known: {', '.join(SPLITS)}")
        folder = Path(suite_dir) if suite_dir else SUITE_DIR
        obj = Objective(name=spec.name, split=split, source=f"builtin:{folder}",
                        items=builtin_items(spec.name, split, folder))
    elif suite == "public":
        if split not in PUBLIC_SPLITS:
            raise ValueError(f"the public suite has splits {', '.join(PUBLIC_SPLITS)}, not {split!r}")
        items = public_items(spec.name, split, data_dir)
        check_unique(items, f"public suite ({spec.name}, {split})")
        obj = Objective(name=spec.name, split=split, source="public", items=items)
    else:
        raise ValueError(f"unknown suite {suite!r}; known: builtin, public")
    return obj.subset(fidelity, seed)


def evaluate(model, tokenizer, objectives: list[Objective], settings: EvalSettings | None = None) -> dict[str, Score]:
    """Score every objective on the live model. Nothing is cached across calls (weights change in place)."""
    settings = settings or EvalSettings()
    degenerate = None
    ppl = None
    if settings.fluency_gate and any(o.lm_eval_task is None and any(it.kind != "choice" for it in o.items)
                                     for o in objectives):
        ppl = judges.reference_perplexity(model, tokenizer)
        degenerate = ppl > judges.MAX_REFERENCE_PERPLEXITY
        if degenerate:
            log.warning("reference perplexity %.0f > %.0f: model flagged degenerate, text-judged items score 0",
                        ppl, judges.MAX_REFERENCE_PERPLEXITY)
    elif not settings.fluency_gate:
        degenerate = False
    scores: dict[str, Score] = {}
    for obj in objectives:
        if obj.lm_eval_task:
            scores[obj.name] = evaluate_task(model, tokenizer, obj.name, obj.lm_eval_task, split=obj.split,
                                             batch_size=settings.likelihood_batch_size, limit=obj.fidelity)
            continue
        judge = judges.RewardJudge(obj.judge_path) if obj.judge_path else None
        score = evaluate_objective(model, tokenizer, obj, settings, degenerate=degenerate, judge=judge)
        if ppl is not None and any(it.kind != "choice" for it in obj.items):
            score.notes["reference_perplexity"] = ppl
        scores[obj.name] = score
    return scores


def builtin_lm_eval_objective(name: str, split: str = "dev") -> Objective:
    """The lm-eval task form of a built-in objective (same items, scored by lm-eval's harness)."""
    if name not in BUILTIN_TASKS:
        raise ValueError(f"unknown built-in objective {name!r}; known: {', '.join(BUILTIN_TASKS)}")
    return Objective(name=name, split=split, source="lm_eval", lm_eval_task=BUILTIN_TASKS[name])
