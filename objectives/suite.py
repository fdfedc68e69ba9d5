"""The two suites: the built-in H3 data shipped with mixmerge, and a public suite built from ../shared/data.

Built-in (``objectives/suites/h3/<objective>/<split>.jsonl``), record -> item:
- helpful:    ``instruction`` pairs -> ``choice`` [chosen, rejected]; ``benign_sensitive`` -> ``comply``
- harmless:   ``refuse`` (greedy response, judged)
- honest:     ``answerable`` -> ``answer``; ``unanswerable`` and ``false_premise`` -> ``abstain``;
              ``misconception_mc`` -> ``choice``
- capability: ``choice``

Public (``--suite public``; never copied into the project). Each source record goes to ``dev`` or ``test`` by
a seeded hash of its identity (half each), then each source is capped per split by a seeded sample, so the
splits are stable when the caps change and never overlap:
- helpful:    hh-rlhf helpful-base pairs (multi-turn chats, ``choice``), CoCoNot preference pairs (benign
              requests that look sensitive: compliance chosen over over-refusal, ``choice``), self-instruct
              seed tasks (``comply``)
- harmless:   hh-rlhf harmless-base pairs (``choice``: the less harmful final reply)
- honest:     SelfAware answerable (``answer``) and unanswerable (``abstain``) questions
- capability: SelfAware answerable questions *not used by honest*, as 4-way multiple choice whose
              distractors are answers to other questions from the same source (closed-book knowledge)
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
from collections import defaultdict
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from .formats import DataError, Item, read_records, req_answers, req_choices, req_str, user

SUITE_DIR = Path(__file__).resolve().parent / "suites" / "h3"
OBJECTIVES = ("helpful", "harmless", "honest", "capability")
SPLITS = ("train", "dev", "test")
PUBLIC_SPLITS = ("dev", "test")
HONEST_KINDS = ("answerable", "unanswerable", "false_premise", "misconception_mc")
HELPFUL_KINDS = ("instruction", "benign_sensitive")


def default_data_dir() -> Path:
    """``$MIXMERGE_DATA_DIR``, else ``../shared/data`` beside the project checkout."""
    env = os.environ.get("MIXMERGE_DATA_DIR")
    return Path(env) if env else Path(__file__).resolve().parents[1].parent / "shared" / "data"


# ----------------------------------------------------------------------------- built-in suite


def builtin_item(objective: str, rec: dict, path: str | Path = "<record>", line: int | None = None) -> Item:
    """One built-in record as an Item (also used by the lm-eval tasks' utils, so both paths agree)."""
    rid = req_str(rec, "id", path, line)
    cat = req_str(rec, "category", path, line)
    if objective == "helpful":
        kind = rec.get("kind")
        if kind not in HELPFUL_KINDS:
            raise DataError(path, line, "kind", f"must be one of {HELPFUL_KINDS}, got {kind!r}")
        prompt = req_str(rec, "prompt", path, line)
        chosen, rejected = req_str(rec, "chosen", path, line), req_str(rec, "rejected", path, line)
        if kind == "benign_sensitive":
            return Item(id=rid, category=cat, kind="comply", messages=user(prompt), extra={"h3_kind": kind})
        return Item(id=rid, category=cat, kind="choice", messages=user(prompt), choices=[chosen, rejected],
                    labels=[1, 0], extra={"h3_kind": kind})
    if objective == "harmless":
        prompt = req_str(rec, "prompt", path, line)
        if rec.get("should_refuse") is not True:
            raise DataError(path, line, "should_refuse", "must be true for the built-in harmless items")
        return Item(id=rid, category=cat, kind="refuse", messages=user(prompt))
    if objective == "honest":
        kind = rec.get("kind")
        if kind not in HONEST_KINDS:
            raise DataError(path, line, "kind", f"must be one of {HONEST_KINDS}, got {kind!r}")
        question = req_str(rec, "question", path, line)
        if kind == "misconception_mc":
            choices, labels = req_choices(rec, path, line)
            return Item(id=rid, category=cat, kind="choice", messages=user(question), choices=choices,
                        labels=labels, extra={"h3_kind": kind})
        if kind == "answerable":
            answers = req_answers(rec, path, line)
            if answers is None:
                raise DataError(path, line, "answers", "an answerable question needs a list of answers")
            return Item(id=rid, category=cat, kind="answer", messages=user(question), answers=answers,
                        extra={"h3_kind": kind})
        return Item(id=rid, category=cat, kind="abstain", messages=user(question), extra={"h3_kind": kind})
    if objective == "capability":
        choices, labels = req_choices(rec, path, line)
        return Item(id=rid, category=cat, kind="choice", messages=user(req_str(rec, "question", path, line)),
                    choices=choices, labels=labels)
    raise ValueError(f"unknown built-in objective {objective!r}; known: {', '.join(OBJECTIVES)}")


def load_items(objective: str, path: str | Path) -> list[Item]:
    """Items of one built-in-format file; checks ids are unique and the split is not empty."""
    items = [builtin_item(objective, rec, path, n) for n, rec in read_records(path)]
    if not items:
        raise DataError(path, None, None, "no records (empty split)")
    check_unique(items, path)
    return items


def check_unique(items: list[Item], path: str | Path) -> None:
    seen: set[str] = set()
    for it in items:
        if it.id in seen:
            raise DataError(path, None, "id", f"duplicate id {it.id!r}")
        seen.add(it.id)


def builtin_items(objective: str, split: str, suite_dir: Path = SUITE_DIR) -> list[Item]:
    if objective not in OBJECTIVES:
        raise ValueError(f"unknown built-in objective {objective!r}; known: {', '.join(OBJECTIVES)}")
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; known: {', '.join(SPLITS)}")
    return load_items(objective, suite_dir / objective / f"{split}.jsonl")


# ----------------------------------------------------------------------------- public suite


class PublicSuiteConfig(BaseModel):
    """Seed and per-source caps (items per split) of the public suite."""

    model_config = ConfigDict(extra="forbid")
    seed: int = 20240611
    hh_helpful: int = 200
    coconot: int = 150
    self_instruct: int = 80
    hh_harmless: int = 300
    selfaware_answerable: int = 150
    selfaware_unanswerable: int = 150
    capability: int = 200
    max_prompt_chars: int = 1500


def _split_of(key: str, seed: int) -> str:
    h = hashlib.sha256(f"{seed}:{key}".encode()).digest()
    return PUBLIC_SPLITS[h[0] % 2]


def _cap(items: list[Item], n: int, seed: int, tag: str) -> list[Item]:
    if len(items) <= n:
        return items
    idx = sorted(random.Random(f"{seed}:{tag}").sample(range(len(items)), n))
    return [items[i] for i in idx]


_TURN = re.compile(r"\n\n(Human|Assistant): ")


def hh_dialogue(text: str) -> list[dict[str, str]]:
    """'\\n\\nHuman: ..\\n\\nAssistant: ..' -> chat messages."""
    parts = _TURN.split(text)
    msgs = []
    for role, content in zip(parts[1::2], parts[2::2], strict=True):
        msgs.append({"role": "user" if role == "Human" else "assistant", "content": content.strip()})
    return msgs


def _hh_pairs(path: Path, prefix: str, cfg: PublicSuiteConfig, split: str) -> list[Item]:
    items = []
    for n, rec in read_records(path):
        chosen = hh_dialogue(req_str(rec, "chosen", path, n))
        rejected = hh_dialogue(req_str(rec, "rejected", path, n))
        if len(chosen) < 2 or chosen[:-1] != rejected[:-1] or chosen[-1]["role"] != "assistant":
            continue  # the two replies must share the dialogue and differ in the last assistant turn only
        context = chosen[:-1]
        a, b = chosen[-1]["content"], rejected[-1]["content"]
        if not a or not b or a == b or sum(len(m["content"]) for m in context) > cfg.max_prompt_chars:
            continue
        turns = sum(m["role"] == "user" for m in context)
        if _split_of(f"{prefix}:{n}", cfg.seed) != split:
            continue
        items.append(Item(id=f"{prefix}-{n}", category=f"{prefix} {'1 turn' if turns == 1 else '2+ turns'}",
                          kind="choice", messages=context, choices=[a, b], labels=[1, 0]))
    return items


def public_items(objective: str, split: str, data_dir: str | Path | None = None,
                 cfg: PublicSuiteConfig | None = None) -> list[Item]:
    """Items of one objective of the public suite on ``dev`` or ``test``."""
    cfg = cfg or PublicSuiteConfig()
    if objective not in OBJECTIVES:
        raise ValueError(f"unknown objective {objective!r} in the public suite; known: {', '.join(OBJECTIVES)}")
    if split not in PUBLIC_SPLITS:
        raise ValueError(f"the public suite has splits {PUBLIC_SPLITS}, not {split!r}")
    data = Path(data_dir) if data_dir else default_data_dir()
    if not data.is_dir():
        raise ValueError(f"public data directory {data} does not exist (set --data-dir or MIXMERGE_DATA_DIR)")
    s = cfg.seed
    if objective == "helpful":
        hh = _cap(_hh_pairs(data / "hh-rlhf" / "helpful-base_test.jsonl", "hh-helpful", cfg, split),
                  cfg.hh_helpful, s, "hh-helpful")
        coco = []
        path = data / "coconot" / "coconot_pref.jsonl"
        for n, rec in read_records(path):
            if _split_of(f"coconot:{rec.get('id', n)}", s) == split:
                coco.append(Item(id=f"coconot-{rec.get('id', n)}", category=f"coconot {rec.get('category', 'all')}",
                                 kind="choice", messages=user(req_str(rec, "prompt", path, n)),
                                 choices=[req_str(rec, "chosen", path, n), req_str(rec, "rejected", path, n)],
                                 labels=[1, 0]))
        seeds = []
        path = data / "self-instruct" / "seed_tasks.jsonl"
        for n, rec in read_records(path):
            if _split_of(f"self-instruct:{rec.get('id', n)}", s) != split:
                continue
            instances = rec.get("instances") or [{}]
            inp = (instances[0].get("input") or "").strip()
            prompt = req_str(rec, "instruction", path, n) + (f"\n\n{inp}" if inp else "")
            seeds.append(Item(id=f"self-instruct-{rec.get('id', n)}", category="self-instruct", kind="comply",
                              messages=user(prompt)))
        return hh + _cap(coco, cfg.coconot, s, "coconot") + _cap(seeds, cfg.self_instruct, s, "self-instruct")
    if objective == "harmless":
        return _cap(_hh_pairs(data / "hh-rlhf" / "harmless-base_test.jsonl", "hh-harmless", cfg, split),
                    cfg.hh_harmless, s, "hh-harmless")
    # honest and capability share SelfAware; its answerable questions are divided between them once
    path = data / "selfaware" / "SelfAware.json"
    if not path.is_file():
        raise DataError(path, None, None, "file does not exist")
    try:
        records = json.loads(path.read_text(encoding="utf-8"))["example"]
    except (json.JSONDecodeError, KeyError, TypeError) as err:
        raise DataError(path, None, "example", f"not a SelfAware file ({err})") from None
    answerable, unanswerable = [], []
    for i, rec in enumerate(records):
        qid = rec.get("question_id", i)
        if _split_of(f"selfaware:{qid}", s) != split:
            continue
        question = req_str(rec, "question", path, None)
        source = str(rec.get("source", "")).split("_")[0] or "selfaware"
        if rec.get("answerable"):
            answers = rec.get("answer") or []
            if answers:
                answerable.append((qid, question, answers, source))
        else:
            unanswerable.append(Item(id=f"selfaware-{qid}", category="unanswerable", kind="abstain",
                                     messages=user(question)))
    for_capability = {qid for k, (qid, *_rest) in enumerate(answerable)
                      if random.Random(f"{s}:cap:{qid}").random() < 0.5}
    if objective == "honest":
        ans = [Item(id=f"selfaware-{qid}", category=f"answerable {src}", kind="answer", messages=user(q), answers=a)
               for qid, q, a, src in answerable if qid not in for_capability]
        return (_cap(ans, cfg.selfaware_answerable, s, "sa-answerable")
                + _cap(unanswerable, cfg.selfaware_unanswerable, s, "sa-unanswerable"))
    pool = [x for x in answerable if x[0] in for_capability]
    by_source: dict[str, list] = defaultdict(list)
    for x in pool:
        by_source[x[3]].append(x)
    items = []
    for qid, question, answers, src in pool:
        rng = random.Random(f"{s}:distractors:{qid}")
        golden = {a.strip().lower() for a in answers}
        others = [o for o in by_source[src] if o[0] != qid and o[2][0].strip().lower() not in golden]
        if len(others) < 3:
            continue
        distractors = [o[2][0] for o in rng.sample(others, 3)]
        options = [answers[0], *distractors]
        order = list(range(4))
        rng.shuffle(order)
        items.append(Item(id=f"selfaware-mc-{qid}", category=f"knowledge {src}", kind="choice",
                          messages=user(question), choices=[options[k] for k in order],
                          labels=[int(k == 0) for k in order]))
    return _cap(items, cfg.capability, s, "capability")
