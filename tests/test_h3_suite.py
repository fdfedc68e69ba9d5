"""Checks on the built-in H3 suite's data files and on the near-duplicate checker that guards them.

Why: the search scores on `dev` and confirms on `test`; an item that leaks across splits (verbatim or
lightly edited) or a malformed line silently corrupts every figure built on the suite.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from mixmerge.objectives.dedup import near_duplicates, normalize

SUITE = Path(__file__).resolve().parents[1] / "objectives" / "suites" / "h3"
SPLITS = ("train", "dev", "test")
MIN_ITEMS = 300
OBJECTIVES = ("helpful", "harmless", "honest", "capability")
PRESENT = [o for o in OBJECTIVES if (SUITE / o).is_dir()]
HONEST_KINDS = {"answerable", "unanswerable", "false_premise", "misconception_mc"}


def _load(objective: str, split: str) -> list[dict]:
    path = SUITE / objective / f"{split}.jsonl"
    assert path.is_file(), f"missing split file {path}"
    items = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            obj = json.loads(line)
            assert isinstance(obj, dict), f"{path}:{n} is not a JSON object"
            items.append(obj)
    return items


def _text(item: dict) -> str:
    text = item.get("prompt", item.get("question"))
    assert isinstance(text, str) and text.strip(), f"item {item.get('id')} has no prompt/question text"
    return text


def _nonempty(item: dict, key: str) -> None:
    value = item.get(key)
    assert isinstance(value, str) and value.strip(), f"{item.get('id')}: field {key!r} must be a non-empty string"


# ----------------------------------------------------------------------------- near-duplicate checker


def test_dedup_catches_one_word_change_and_exact_copies():
    a = ["How can I stop a background job that keeps running after I close the terminal window on Linux?"]
    b = [
        "How can I stop a background job that keeps running after I close the terminal window on macOS?",
        "Give me three ideas for a vegetarian dinner that takes less than thirty minutes.",
        "HOW can I stop a background job, that keeps running after I close the terminal window on Linux",
    ]
    pairs = near_duplicates(a, b, threshold=0.8)
    hits = {j: sim for _, j, sim in pairs}
    assert set(hits) == {0, 2}
    assert hits[2] == 1.0
    assert 0.8 <= hits[0] < 1.0


def test_dedup_does_not_flag_unrelated_or_topic_sharing_texts():
    a = ["How do I kill a Python process that is stuck?", "Write a haiku about autumn leaves."]
    b = ["What household plants are poisonous to cats?", "Explain how photosynthesis works in simple terms."]
    assert near_duplicates(a, b, threshold=0.8) == []
    assert normalize("  Hello,   WORLD! ") == "hello world"


def test_dedup_short_texts_and_threshold_validation():
    assert near_duplicates(["Hi!"], ["hi"], threshold=0.8) == [(0, 0, 1.0)]
    assert near_duplicates(["Hi there"], ["Bye there"], threshold=0.8) == []
    with pytest.raises(ValueError, match="threshold"):
        near_duplicates(["a"], ["b"], threshold=0.0)


def test_dedup_matches_brute_force():
    import random

    from mixmerge.objectives.dedup import jaccard, shingles

    rng = random.Random(0)
    vocab = "the a cat dog runs fast slow red blue big small house tree".split()
    a = [" ".join(rng.choices(vocab, k=rng.randint(1, 9))) for _ in range(120)]
    b = [" ".join(rng.choices(vocab, k=rng.randint(1, 9))) for _ in range(120)] + a[:10]
    for t in (0.3, 0.5, 0.8):
        expected = set()
        for i, x in enumerate(a):
            for j, y in enumerate(b):
                sim = 1.0 if normalize(x) == normalize(y) else jaccard(shingles(x), shingles(y))
                if sim >= t - 1e-9:
                    expected.add((i, j))
        assert {(i, j) for i, j, _ in near_duplicates(a, b, threshold=t)} == expected


def test_dedup_is_fast_on_a_thousand_by_a_thousand():
    words = [f"w{k}" for k in range(3000)]
    import random

    rng = random.Random(1)
    a = [" ".join(rng.choices(words, k=25)) for _ in range(1000)]
    b = [" ".join(rng.choices(words, k=25)) for _ in range(1000)]
    start = time.perf_counter()
    near_duplicates(a, b)
    assert time.perf_counter() - start < 1.0


# ----------------------------------------------------------------------------- suite files


def test_suite_has_helpful_and_harmless():
    assert {"helpful", "harmless"} <= set(PRESENT)


@pytest.mark.parametrize("objective", PRESENT)
def test_splits_exist_sizes_and_unique_ids(objective):
    ids: set[str] = set()
    for split in SPLITS:
        items = _load(objective, split)
        assert len(items) >= MIN_ITEMS, f"{objective}/{split} has {len(items)} items (< {MIN_ITEMS})"
        for item in items:
            _nonempty(item, "id")
            assert item["id"] not in ids, f"duplicate id {item['id']}"
            ids.add(item["id"])


@pytest.mark.parametrize("objective", PRESENT)
def test_no_overlap_or_near_duplicate_across_splits(objective):
    texts = {s: [_text(i) for i in _load(objective, s)] for s in SPLITS}
    for k, first in enumerate(SPLITS):
        for second in SPLITS[k + 1 :]:
            pairs = near_duplicates(texts[first], texts[second], threshold=0.8)
            shown = [(texts[first][i], texts[second][j], round(s, 2)) for i, j, s in pairs[:5]]
            assert not pairs, f"{objective}: {len(pairs)} near-duplicates {first}/{second}, e.g. {shown}"


def _check_helpful(item: dict, split: str) -> None:
    assert item["id"].startswith(f"helpful-{split}-"), item["id"]
    assert item.get("kind") in {"instruction", "benign_sensitive"}, item
    for key in ("category", "prompt", "chosen", "rejected"):
        _nonempty(item, key)
    assert normalize(item["chosen"]) != normalize(item["rejected"]), item["id"]


def _check_harmless(item: dict, split: str) -> None:
    assert item["id"].startswith(f"harmless-{split}-"), item["id"]
    assert item.get("should_refuse") is True, item["id"]
    for key in ("category", "prompt", "compliance"):
        _nonempty(item, key)
    if split == "train":
        _nonempty(item, "refusal")


def _check_honest(item: dict, split: str) -> None:
    assert item.get("kind") in HONEST_KINDS, f"{item.get('id')}: kind {item.get('kind')!r}"
    _text(item)


def _check_capability(item: dict, split: str) -> None:
    _nonempty(item, "question")
    choices, labels = item.get("choices"), item.get("labels")
    assert isinstance(choices, list) and len(choices) >= 2, f"{item.get('id')}: needs >= 2 choices"
    assert all(isinstance(c, str) and c.strip() for c in choices), item.get("id")
    assert isinstance(labels, list) and len(labels) == len(choices), f"{item.get('id')}: labels/choices"
    assert all(isinstance(x, bool) or x in (0, 1) for x in labels), item.get("id")
    assert sum(bool(x) for x in labels) >= 1, f"{item.get('id')}: no true label"


CHECKS = {
    "helpful": _check_helpful,
    "harmless": _check_harmless,
    "honest": _check_honest,
    "capability": _check_capability,
}


@pytest.mark.parametrize("objective", PRESENT)
def test_schema(objective):
    for split in SPLITS:
        for item in _load(objective, split):
            CHECKS[objective](item, split)


@pytest.mark.skipif("harmless" not in PRESENT, reason="harmless not written yet")
def test_harmless_categories_in_every_split():
    cats = {s: {i["category"] for i in _load("harmless", s)} for s in SPLITS}
    all_cats = set().union(*cats.values())
    assert len(all_cats) >= 8, sorted(all_cats)
    for split in SPLITS:
        assert cats[split] == all_cats, f"harmless/{split} lacks {sorted(all_cats - cats[split])}"


@pytest.mark.skipif("harmless" not in PRESENT, reason="harmless not written yet")
def test_harmless_train_refusals_are_brief_and_not_partial_compliance():
    for item in _load("harmless", "train"):
        refusal = item["refusal"]
        assert len(refusal.split()) <= 80, f"{item['id']}: refusal too long"
        assert not normalize(refusal).startswith(("sure", "here is", "here s", "of course")), item["id"]


@pytest.mark.skipif("helpful" not in PRESENT, reason="helpful not written yet")
def test_helpful_benign_sensitive_in_every_split():
    for split in SPLITS:
        items = _load("helpful", split)
        share = sum(i["kind"] == "benign_sensitive" for i in items) / len(items)
        assert 0.2 <= share <= 0.4, f"helpful/{split}: benign_sensitive share {share:.2f}"
