"""Evaluation items and the generic data formats they are loaded from (JSONL or CSV), with precise errors.

Every objective is a list of ``Item``s of five kinds, whatever file they came from:

- ``choice``:  pick the true option(s) by log-likelihood (multiple choice; a preference pair is
  ``[chosen, rejected]`` with labels ``[1, 0]``);
- ``refuse``:  a request that should be refused, answered by greedy generation;
- ``comply``:  a benign request (possibly one that merely looks dangerous) that should be answered;
- ``answer``:  a question with known answers that should be answered truthfully;
- ``abstain``: a question nobody can answer (or with a false premise) where "I don't know" is right.

Generic formats (``FORMAT:PATH`` on the command line), one record a line (JSONL) or a row (CSV, where list
fields are JSON strings):

- ``mc``:        ``{question, choices, labels}``  labels are 0/1 flags per choice, several true allowed
- ``prompts``:   ``{prompt, should_refuse}``
- ``questions``: ``{question, answers}``          answers null when the question is unanswerable
- ``pairs``:     ``{prompt, chosen, rejected}``

Optional fields everywhere: ``id``, ``category``. A bad record raises ``DataError`` naming the file, line and
field, before anything is computed.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

Kind = Literal["choice", "refuse", "comply", "answer", "abstain"]
GENERATION_KINDS = ("refuse", "comply", "answer", "abstain")
FORMATS = ("mc", "prompts", "questions", "pairs")


class DataError(ValueError):
    """A data file is malformed; the message names the file, the line and the field."""

    def __init__(self, path: str | Path, line: int | None, field: str | None, problem: str):
        where = f"{path}" + (f", line {line}" if line else "") + (f", field {field!r}" if field else "")
        super().__init__(f"{where}: {problem}")
        self.path, self.line, self.field = str(path), line, field


class Item(BaseModel):
    """One evaluation item. ``messages`` is the chat so far (ending with the user's turn)."""

    id: str
    category: str = "all"
    kind: Kind
    messages: list[dict[str, str]]
    choices: list[str] | None = None
    labels: list[int] | None = None
    answers: list[str] | None = None
    extra: dict = Field(default_factory=dict)

    @property
    def prompt(self) -> str:
        return self.messages[-1]["content"]


def user(text: str) -> list[dict[str, str]]:
    return [{"role": "user", "content": text}]


# ----------------------------------------------------------------------------- reading records


def read_records(path: str | Path) -> Iterator[tuple[int, dict]]:
    """Yield (line number, record) from a JSONL or CSV file; line numbers are 1-based as an editor shows."""
    path = Path(path)
    if not path.is_file():
        raise DataError(path, None, None, "file does not exist")
    if path.suffix.lower() == ".csv":
        with path.open(newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            for row in reader:
                yield reader.line_num, {k: _csv_value(v) for k, v in row.items() if k is not None}
        return
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as err:
                raise DataError(path, n, None, f"not valid JSON ({err.msg})") from None
            if not isinstance(record, dict):
                raise DataError(path, n, None, "a record must be a JSON object")
            yield n, record


def _csv_value(value: str | None):
    """CSV cells holding JSON lists/booleans/null are decoded; anything else stays a string."""
    if value is None:
        return None
    text = value.strip()
    if text[:1] in "[{" or text in ("true", "false", "null"):
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            return value
    return value


# ----------------------------------------------------------------------------- field checks


def req_str(rec: dict, field: str, path, line) -> str:
    value = rec.get(field)
    if value is None:
        raise DataError(path, line, field, "missing field")
    if not isinstance(value, str) or not value.strip():
        raise DataError(path, line, field, "must be a non-empty string")
    return value


def req_bool(rec: dict, field: str, path, line) -> bool:
    value = rec.get(field)
    if isinstance(value, str) and value.strip().lower() in ("true", "false", "1", "0"):
        return value.strip().lower() in ("true", "1")
    if isinstance(value, bool) or value in (0, 1):
        return bool(value)
    if value is None:
        raise DataError(path, line, field, "missing field")
    raise DataError(path, line, field, f"must be true or false, got {value!r}")


def req_choices(rec: dict, path, line) -> tuple[list[str], list[int]]:
    """``choices`` (>= 2 non-empty strings) and ``labels`` (0/1 flags, one per choice, at least one true)."""
    choices, labels = rec.get("choices"), rec.get("labels")
    if choices is None:
        raise DataError(path, line, "choices", "missing field")
    if not isinstance(choices, list) or len(choices) < 2 or not all(isinstance(c, str) and c.strip() for c in choices):
        raise DataError(path, line, "choices", "must be a list of at least 2 non-empty strings")
    if labels is None:
        raise DataError(path, line, "labels", "missing field")
    if not isinstance(labels, list) or len(labels) != len(choices):
        raise DataError(path, line, "labels", f"must be a list of {len(choices)} flags (one per choice)")
    for i, x in enumerate(labels):
        if not (isinstance(x, bool) or x in (0, 1)):
            raise DataError(path, line, "labels", f"label {i} is {x!r}: out of range (0 or 1, true or false)")
    if not any(labels):
        raise DataError(path, line, "labels", "no true option")
    return list(choices), [int(bool(x)) for x in labels]


def req_answers(rec: dict, path, line) -> list[str] | None:
    if "answers" not in rec:
        raise DataError(path, line, "answers", "missing field (use null for an unanswerable question)")
    answers = rec["answers"]
    if answers is None:
        return None
    if isinstance(answers, str):
        answers = [answers]
    if not isinstance(answers, list) or not answers or not all(isinstance(a, str) and a.strip() for a in answers):
        raise DataError(path, line, "answers", "must be null or a non-empty list of non-empty strings")
    return answers


def _ident(rec: dict, path: Path, line: int) -> tuple[str, str]:
    rid = rec.get("id")
    return (str(rid) if rid not in (None, "") else f"{path.stem}-{line}"), str(rec.get("category") or "all")


# ----------------------------------------------------------------------------- generic formats


def item_from_generic(fmt: str, rec: dict, path: Path, line: int) -> Item:
    """One record of a generic format as an Item."""
    rid, cat = _ident(rec, path, line)
    if fmt == "mc":
        choices, labels = req_choices(rec, path, line)
        return Item(id=rid, category=cat, kind="choice", messages=user(req_str(rec, "question", path, line)),
                    choices=choices, labels=labels)
    if fmt == "prompts":
        prompt = req_str(rec, "prompt", path, line)
        kind = "refuse" if req_bool(rec, "should_refuse", path, line) else "comply"
        return Item(id=rid, category=cat, kind=kind, messages=user(prompt))
    if fmt == "questions":
        question = req_str(rec, "question", path, line)
        answers = req_answers(rec, path, line)
        return Item(id=rid, category=cat, kind="abstain" if answers is None else "answer",
                    messages=user(question), answers=answers)
    if fmt == "pairs":
        prompt = req_str(rec, "prompt", path, line)
        chosen, rejected = req_str(rec, "chosen", path, line), req_str(rec, "rejected", path, line)
        return Item(id=rid, category=cat, kind="choice", messages=user(prompt), choices=[chosen, rejected],
                    labels=[1, 0])
    raise DataError(path, None, None, f"unknown format {fmt!r}; known: {', '.join(FORMATS)}")


def load_generic(fmt: str, path: str | Path) -> list[Item]:
    """All items of a generic-format file; an empty file is an error."""
    if fmt not in FORMATS:
        raise DataError(path, None, None, f"unknown format {fmt!r}; known: {', '.join(FORMATS)}")
    path = Path(path)
    items = [item_from_generic(fmt, rec, path, n) for n, rec in read_records(path)]
    if not items:
        raise DataError(path, None, None, "no records (empty split)")
    return items
