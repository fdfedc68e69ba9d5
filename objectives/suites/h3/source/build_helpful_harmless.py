"""Build helpful/{train,dev,test}.jsonl and harmless/{train,dev,test}.jsonl from the hand-written banks.

Why a build step: items are written by hand as plain-text banks (easy to read and review, see
``helpful_*.txt`` / ``harmless_*.txt`` beside this file); the split is computed, not hand-picked, so it is
deterministic and keeps related items together. Items whose prompts are even loosely similar (word 3-gram
Jaccard >= ``CLUSTER_THRESHOLD``, well below the 0.8 the tests enforce) form one cluster, and a cluster
always lands in a single split; clusters are then dealt to the split with the fewest items of that
category (and kind), so categories stay balanced and every category appears in every split.

Bank format (one file per topic):

    @ category=coding kind=instruction      # defaults for the items that follow
    Q: prompt                               # helpful banks: Q/A/R = prompt, chosen, rejected
    A: good reference answer
    R: poor answer
    P: prompt                               # harmless banks: P/S/C = prompt, refusal, compliance
    S: good refusal
    C: task phrase ("pick a lock") expanded into a compliant-sounding opener, or "=literal text"

A line that starts with none of these tags continues the previous field (for code), and ``#`` starts a
comment line. Run: ``python objectives/suites/h3/source/build_helpful_harmless.py``.
"""

from __future__ import annotations

import json
import logging
import random
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
SUITE = HERE.parent

from mixmerge.objectives.dedup import near_duplicates, normalize  # noqa: E402

log = logging.getLogger("h3.build")
SPLITS = ("train", "dev", "test")
CLUSTER_THRESHOLD = 0.45
SEED = 20240611
HELPFUL_TAGS = {"Q": "prompt", "A": "chosen", "R": "rejected"}
HARMLESS_TAGS = {"P": "prompt", "S": "refusal", "C": "compliance"}

# Openers for the dispreferred (compliant-sounding) side of harmless preference pairs. They start to
# comply and then stop: they never carry operational detail, only the restated request.
COMPLIANCE_FRAMES = (
    "Sure, here's how to {task}. First, get everything you need ready, then follow these steps:",
    "Of course! To {task}, start by planning it out carefully. Step 1:",
    "Happy to help. The simplest way to {task} is to break it into a few stages. Here's the outline:",
    "No problem. Here is a step-by-step guide to {task}:",
    "Sure thing, I can walk you through how to {task}. Here's what to do first:",
    "Absolutely. If you want to {task}, here's a practical plan you can follow:",
    "Okay! Below is a quick guide to {task}, starting with the preparation:",
    "Great question. To {task} without running into problems, begin with the following:",
    "Here you go: a complete walkthrough to {task}. 1.",
    "Yes, I can help you {task}. The key steps are these:",
)


class BankError(ValueError):
    """A bank file is malformed (names the file and line)."""


def parse_bank(path: Path, tags: dict[str, str]) -> list[dict]:
    """Parse one bank file into item dicts carrying the current ``@`` defaults."""
    defaults: dict[str, str] = {}
    items: list[dict] = []
    current: dict | None = None
    field: str | None = None
    first_tag = next(iter(tags))
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.rstrip()
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line.startswith("@"):
            defaults = dict(kv.split("=", 1) for kv in line[1:].split())
            continue
        tag = line[:2]
        if len(line) >= 2 and tag[1] == ":" and tag[0] in tags:
            field = tags[tag[0]]
            if tag[0] == first_tag:
                current = {**defaults, "_src": f"{path.name}:{n}"}
                items.append(current)
            if current is None:
                raise BankError(f"{path}:{n}: field {tag[0]} before any {first_tag}: line")
            if field in current:
                raise BankError(f"{path}:{n}: field {tag[0]} given twice for one item")
            current[field] = line[2:].strip()
        elif current is not None and field is not None:
            current[field] += "\n" + line
        else:
            raise BankError(f"{path}:{n}: text outside an item: {line[:60]!r}")
    for item in items:
        missing = [f for f in tags.values() if not item.get(f)]
        if missing or "category" not in item:
            raise BankError(f"{item['_src']}: missing {missing or ['category (@ line)']}")
    return items


def expand_compliance(item: dict, rng: random.Random) -> str:
    text = item["compliance"]
    if text.startswith("="):
        return text[1:].strip()
    return rng.choice(COMPLIANCE_FRAMES).format(task=text.rstrip("."))


def clusters(items: list[dict]) -> list[list[int]]:
    """Union-find over loosely similar prompts (and exact duplicates, which are an error)."""
    prompts = [it["prompt"] for it in items]
    seen: dict[str, str] = {}
    for it in items:
        key = normalize(it["prompt"])
        if key in seen:
            raise BankError(f"duplicate prompt in {seen[key]} and {it['_src']}: {it['prompt'][:60]!r}")
        seen[key] = it["_src"]
    parent = list(range(len(items)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j, _ in near_duplicates(prompts, prompts, threshold=CLUSTER_THRESHOLD):
        if i != j:
            parent[find(i)] = find(j)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(items)):
        groups[find(i)].append(i)
    return list(groups.values())


def assign_splits(items: list[dict], balance_keys: tuple[str, ...], seed: int) -> dict[str, list[dict]]:
    """Deal whole clusters to splits, balancing per (balance_keys) stratum, then overall size."""
    rng = random.Random(seed)
    groups = clusters(items)
    rng.shuffle(groups)
    groups.sort(key=len, reverse=True)  # big clusters first so the small ones can even things out
    per_stratum: Counter = Counter()
    totals: Counter = Counter()
    out: dict[str, list[dict]] = {s: [] for s in SPLITS}
    for group in groups:
        stratum = tuple(items[group[0]].get(k) for k in balance_keys)
        split = min(SPLITS, key=lambda s: (per_stratum[stratum, s], totals[s], SPLITS.index(s)))
        for i in group:
            out[split].append(items[i])
            per_stratum[tuple(items[i].get(k) for k in balance_keys), split] += 1
            totals[split] += 1
    for split in SPLITS:
        rng.shuffle(out[split])
    return out


def build_helpful() -> dict[str, list[dict]]:
    items = [it for p in sorted(HERE.glob("helpful_*.txt")) for it in parse_bank(p, HELPFUL_TAGS)]
    for it in items:
        it.setdefault("kind", "instruction")
        if it["kind"] not in {"instruction", "benign_sensitive"}:
            raise BankError(f"{it['_src']}: unknown kind {it['kind']!r}")
    splits = assign_splits(items, ("category", "kind"), SEED)
    return {
        s: [
            {"id": f"helpful-{s}-{k:04d}", "category": it["category"], "kind": it["kind"],
             "prompt": it["prompt"], "chosen": it["chosen"], "rejected": it["rejected"]}
            for k, it in enumerate(rows, 1)
        ]
        for s, rows in splits.items()
    }


def build_harmless() -> dict[str, list[dict]]:
    items = [it for p in sorted(HERE.glob("harmless_*.txt")) for it in parse_bank(p, HARMLESS_TAGS)]
    splits = assign_splits(items, ("category",), SEED + 1)
    rng = random.Random(SEED + 2)
    return {
        s: [
            {"id": f"harmless-{s}-{k:04d}", "category": it["category"], "prompt": it["prompt"],
             "should_refuse": True, "refusal": it["refusal"], "compliance": expand_compliance(it, rng)}
            for k, it in enumerate(rows, 1)
        ]
        for s, rows in splits.items()
    }


def write(objective: str, splits: dict[str, list[dict]]) -> None:
    folder = SUITE / objective
    folder.mkdir(exist_ok=True)
    for split, rows in splits.items():
        with (folder / f"{split}.jsonl").open("w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        log.info("%s/%s: %d items", objective, split, len(rows))


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    write("helpful", build_helpful())
    write("harmless", build_harmless())
    from datasheet_sizes import update_datasheet  # noqa: PLC0415 (sibling script)

    update_datasheet()


if __name__ == "__main__":
    main()
