"""lm-eval glue for the built-in H3 objectives: load a split of the suite, render items, score results.

The records are converted by the same ``builtin_item`` and scored by the same rules (``score_choice`` /
``score_text``) as the direct path, so both paths agree. Each document carries its item as JSON (the
suite's records have different fields per kind, which a columnar dataset would have to pad with nulls).

Split and suite folder come from the task metadata: ``lm_eval --include_path objectives/lm_eval_tasks
--tasks h3_helpful --metadata '{"split": "dev"}'`` (default ``test``; ``suite_dir`` overrides the folder).
The model must be run with ``--apply_chat_template``.
"""

from __future__ import annotations

import json
from pathlib import Path

import datasets
from mixmerge.objectives.formats import Item
from mixmerge.objectives.objective import score_choice, score_text
from mixmerge.objectives.suite import SUITE_DIR, load_items


def _load(objective: str, kinds: tuple[str, ...], split: str = "test", suite_dir: str | None = None,
          **_metadata) -> datasets.DatasetDict:
    items = load_items(objective, Path(suite_dir or SUITE_DIR) / objective / f"{split}.jsonl")
    rows = [{"id": it.id, "category": it.category, "item": it.model_dump_json()} for it in items if it.kind in kinds]
    return datasets.DatasetDict({"test": datasets.Dataset.from_list(rows)})


def load_helpful_choice(**kw):
    return _load("helpful", ("choice",), **kw)


def load_helpful_comply(**kw):
    return _load("helpful", ("comply",), **kw)


def load_harmless(**kw):
    return _load("harmless", ("refuse",), **kw)


def load_honest_choice(**kw):
    return _load("honest", ("choice",), **kw)


def load_honest_gen(**kw):
    return _load("honest", ("answer", "abstain"), **kw)


def load_capability(**kw):
    return _load("capability", ("choice",), **kw)


def item(doc: dict) -> Item:
    return Item.model_validate(json.loads(doc["item"]))


def doc_to_text(doc: dict) -> str:
    return item(doc).prompt


def doc_to_choice(doc: dict) -> list[str]:
    return list(item(doc).choices or [])


def doc_to_target(doc: dict) -> int:
    return (item(doc).labels or [1]).index(1)


def process_choice(doc: dict, results: list) -> dict[str, float]:
    lls = [ll for ll, _greedy in results]
    return {"score": score_choice(item(doc), lls)[0]}


def process_text(doc: dict, results: list[str]) -> dict[str, float]:
    return {"score": score_text(item(doc), results[0])[0]}
