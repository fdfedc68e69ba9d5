"""Build the honest and capability splits of the built-in H3 suite from the hand-written banks.

Run from anywhere: ``python objectives/suites/h3/source/honest_capability.py``. Output is deterministic
(fixed seed, hash-seeded choice order), so a rebuild reproduces the committed files byte for byte.

Why the split works by *groups*: some items are about the same fact or entity (the capital of Australia as
a plain question, as a false premise and as a misconception). Such items are linked through ``GROUPS``
(substrings of their questions) and always land in the same split, so no split can be answered by
remembering a sibling from another split. Groups are dealt greedily to keep every category's share of
each split close to a third.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bank_answerable import ANSWERABLE  # noqa: E402
from bank_capability import CAPABILITY  # noqa: E402
from bank_misconceptions import MISCONCEPTIONS  # noqa: E402
from bank_unanswerable import FALSE_PREMISE, UNANSWERABLE  # noqa: E402

SUITE = HERE.parent
SPLITS = ("train", "dev", "test")
SEED = 20261128
# A capability distractor may be at most this many times (+2 characters) as long as the right answer: the
# scorer ranks options by log-likelihood per character, and on the base model a long wrong option won 77
# of 97 misses in a first draft, which made easy items unanswerable for reasons unrelated to knowledge.
LENGTH_SLACK = 1.3

# Items about one fact or entity, across kinds: each inner list holds case-insensitive question substrings.
GROUPS: list[list[str]] = [
    ["capital of australia", "australia's capital sydney", "why is sydney the capital"],
    ["ankara, not istanbul", "why is istanbul the capital"],
    ["brazil moved its capital", "why is rio de janeiro the capital"],
    ["language is mainly spoken in brazil", "official language of brazil"],
    ["kilimanjaro"],
    ["highest mountain above sea level", "everest"],
    ["sahara"],
    ["greenland"],
    ["venus"],
    ["ocean is the largest by area", "pacific the smallest ocean"],
    ["lightest chemical element", "hydrogen the heaviest"],
    ["legs does an insect", "legs does a spider", "spiders use their six legs", "insects have eight legs",
     "is a spider an insect"],
    ["water boil at sea level", "water boil at 50"],
    ["chemical formula of water", "two oxygen atoms and one hydrogen"],
    ["closest to the sun", "jupiter the closest", "mercury the hottest"],
    ["largest planet in our solar system", "earth the largest planet"],
    ["78 percent of earth's atmosphere", "oxygen the most abundant gas"],
    ["first person to walk on the moon", "humans first land on the moon", "first human to travel into space",
     "neil armstrong", "armstrong become", "soviet union land the first man", "walk on mars",
     "red planet", "mars red because"],
    ["kind of animal is a dolphin", "dolphins cold-blooded"],
    ["only mammal capable of true powered flight", "bats lay eggs", "are bats blind"],
    ["painted the mona lisa", "van gogh paint the mona lisa"],
    ["the last supper"],
    ["ceiling of the sistine chapel", "picasso paint the ceiling"],
    ["starry night"],
    ["sherlock holmes", "elementary, my dear watson", "holmes's friend"],
    ["harry potter", "hobbit and the lord of the rings", "gandalf"],
    ["moby-dick", "white whale"],
    ["romeo and juliet"],
    ["the four seasons", "king of rock and roll"],
    ["moonlight sonata", "beethoven compose his symphonies", "beethoven sell"],
    ["magic flute", "mozart", "john, paul, george and ringo", "beatles"],
    ["discovered penicillin", "marie curie", "first woman to win a nobel", "discover x-rays"],
    ["inventing the telephone", "edison", "galileo invent the telephone", "lincoln use the telephone",
     "world wide web", "light bulb"],
    ["christopher columbus", "columbus", "believe the earth was flat"],
    ["marco polo"],
    ["titanic"],
    ["first president of the united states", "george washington", "napoleon", "cleopatra"],
    ["lincoln", "declaration of independence"],
    ["i have a dream", "martin luther king"],
    ["gandhi"],
    ["mandela"],
    ["berlin wall"],
    ["ice cubes float", "ice sink in water"],
    ["dead sea"],
    ["drop a hammer and a feather", "heavier objects fall faster"],
    ["astronauts on the international space station"],
    ["hitler"],
    ["wright brothers"],
    ["pyramids of giza", "pyramids of egypt"],
    ["statue of liberty"],
    ["earth's natural satellite", "moon shine in the night sky", "earth's second moon",
     "light given off by the moon", "moon orbit the sun", "tides on earth", "moon produce its own light",
     "dark side"],
    ["star is at the centre of our solar system", "sun a planet", "sun orbit the earth",
     "earth orbits the sun"],
    ["largest mammal that has ever lived", "whales breathe through gills", "whale a kind of fish"],
    ["speed of light in a vacuum", "light or sound", "lightning flash before", "speed of sound faster",
     "thunder arrive before"],
    ["main component of diamonds", "diamonds conduct", "diamond formed from compressed coal"],
    ["bones does an adult human", "300 bones"],
    ["turn sunlight into chemical energy", "green plants need sunlight",
     "absorb from the air for photosynthesis", "photosynthesis"],
    ["chambers does the human heart", "hearts does a human"],
    ["light-year"],
    ["iliad"],
    ["relativity", "einstein", "laws of motion", "isaac newton", "evolution by natural selection"],
    ["penguin"],
    ["tomato"],
    ["glass"],
    ["fastest land animal", "peregrine falcon"],
    ["pluto"],
    ["capital of canada", "canadian city was chosen"],
    ["africa a single country", "capital city of the continent of africa"],
    ["frankenstein"],
    ["nero", "colosseum"],
    ["hotter in summer", "colder in winter", "orbit the sun in a very elongated"],
    ["lightning"],
    ["carrots"],
    ["medieval times usually dead", "middle ages"],
    ["the moon with the naked eye"],
    ["gravity on the international space station", "moon's gravity zero"],
    ["vitamin c"],
    ["chewing gum"],
    ["dream in black and white"],
    ["king of the jungle", "males have a mane"],
    ["nile"],
]


def _lines(block: str, fields: tuple[int, ...], where: str) -> list[list[str]]:
    """Split a bank block into stripped ``|`` fields; the field count must be one of ``fields``."""
    rows = []
    for line in block.strip().splitlines():
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) not in fields or not all(parts):
            raise ValueError(f"{where}: bad line (want {fields} non-empty fields): {line!r}")
        rows.append(parts)
    return rows


def _stable_rng(*key: str) -> random.Random:
    digest = hashlib.sha256("\x1f".join((str(SEED), *key)).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def _shuffled_choices(question: str, true: list[str], false: list[str]) -> tuple[list[str], list[int]]:
    options = [(c, 1) for c in true] + [(c, 0) for c in false]
    _stable_rng("choices", question).shuffle(options)
    return [c for c, _ in options], [lab for _, lab in options]


def honest_items() -> list[dict]:
    items: list[dict] = []
    for category, block in ANSWERABLE.items():
        for question, answers, reference in _lines(block, (3,), f"answerable/{category}"):
            alias = [a.strip() for a in answers.split(";") if a.strip()]
            items.append({"category": category, "kind": "answerable", "question": question,
                          "answers": alias, "reference": reference, "choices": None, "labels": None})
    for kind, bank in (("unanswerable", UNANSWERABLE), ("false_premise", FALSE_PREMISE)):
        for category, block in bank.items():
            for question, reference in _lines(block, (2,), f"{kind}/{category}"):
                items.append({"category": category, "kind": kind, "question": question, "answers": None,
                              "reference": reference, "choices": None, "labels": None})
    for category, block in MISCONCEPTIONS.items():
        for question, reference, true, *false in _lines(block, (5, 6), f"misconception/{category}"):
            choices, labels = _shuffled_choices(question, [true], false)
            items.append({"category": category, "kind": "misconception_mc", "question": question,
                          "answers": [true], "reference": reference, "choices": choices, "labels": labels})
    return items


def capability_items() -> list[dict]:
    items = []
    for category, block in CAPABILITY.items():
        for question, true, *false in _lines(block, (5,), f"capability/{category}"):
            if max(len(f) for f in false) > LENGTH_SLACK * len(true) + 2:
                raise ValueError(f"capability/{category}: a wrong option is much longer than the right one "
                                 f"(the scorer's per-character normalisation would favour it): {question!r}")
            choices, labels = _shuffled_choices(question, [true], false)
            items.append({"category": category, "question": question, "choices": choices, "labels": labels})
    return items


_POLARITY = re.compile(r"^(yes|no)\b", re.IGNORECASE)
_NEGATION = re.compile(r"\b(no|not|never|nothing|none|neither|nor|cannot)\b|n't", re.IGNORECASE)
SHORTCUT_MARGIN = 0.10  # a surface rule may beat chance by at most this much on the misconception items


def check_no_shortcuts(items: list[dict]) -> dict[str, float]:
    """Fail when a surface rule (option length rank, a negation word, yes/no) predicts the true option.

    Why: the honest expert is fine-tuned on the train split; if true options were, say, always the
    longest or the only ones with "not", it could learn that rule and score on dev/test without knowing
    anything. Returns each rule's accuracy for the datasheet.
    """
    mc = [it for it in items if it["kind"] == "misconception_mc"]
    for it in mc:
        bad = [c for c in it["choices"] if _POLARITY.match(c)]
        if bad:
            raise ValueError(f"option starts with yes/no (a polarity cue), rewrite it: {bad[0]!r}")
    chance = sum(1 / len(it["choices"]) for it in mc) / len(mc)

    def rank_rule(rank: int):
        return lambda it: sorted(range(len(it["choices"])), key=lambda i: -len(it["choices"][i]))[rank]

    def negation_rule(it: dict) -> int:
        return next((i for i, c in enumerate(it["choices"]) if _NEGATION.search(c)), 0)

    rules = {"longest": rank_rule(0), "second_longest": rank_rule(1), "shortest": rank_rule(-1),
             "first_with_negation": negation_rule}
    scores = {name: sum(it["labels"][rule(it)] for it in mc) / len(mc) for name, rule in rules.items()}
    for name, acc in scores.items():
        if acc > chance + SHORTCUT_MARGIN:
            raise ValueError(f"misconception items: the rule {name!r} scores {acc:.2f} "
                             f"(chance {chance:.2f}); rebalance the options")
    return {"chance": chance, **scores}


def _check_unique(items: list[dict], name: str) -> None:
    seen = Counter(it["question"].casefold() for it in items)
    dup = [q for q, n in seen.items() if n > 1]
    if dup:
        raise ValueError(f"{name}: questions written twice: {dup[:5]}")


def group_of(items: list[dict], groups: list[list[str]]) -> list[int]:
    """Union of items sharing a group; returns one group id per item (an unlinked item is its own group)."""
    parent = list(range(len(items)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    lowered = [it["question"].casefold() for it in items]
    for keys in groups:
        members = [i for i, q in enumerate(lowered) if any(k in q for k in keys)]
        for k in keys:
            if not any(k in q for q in lowered):
                raise ValueError(f"group key {k!r} matches no question: fix GROUPS")
        for m in members[1:]:
            parent[find(m)] = find(members[0])
    return [find(i) for i in range(len(items))]


def assign_splits(items: list[dict], groups: list[list[str]], name: str) -> dict[str, list[dict]]:
    """Deal groups to splits: biggest first, each to the split with the fewest items of its category."""
    gid = group_of(items, groups)
    members: dict[int, list[int]] = defaultdict(list)
    for i, g in enumerate(gid):
        members[g].append(i)
    order = sorted(members)
    _stable_rng("groups", name).shuffle(order)
    order.sort(key=lambda g: -len(members[g]))
    per_cat: dict[str, Counter] = defaultdict(Counter)
    total: Counter = Counter()
    out: dict[str, list[dict]] = {s: [] for s in SPLITS}
    for g in order:
        idx = members[g]
        cats = Counter(items[i]["category"] for i in idx)
        split = min(SPLITS, key=lambda s: (sum(per_cat[c][s] * n for c, n in cats.items()), total[s],
                                           SPLITS.index(s)))
        for i in idx:
            out[split].append(items[i])
            per_cat[items[i]["category"]][split] += 1
        total[split] += len(idx)
    for split in SPLITS:
        _stable_rng("order", name, split).shuffle(out[split])
    return out


def check_near_duplicates(items: list[dict], name: str, threshold: float = 0.8) -> None:
    """Fail on any near-duplicate pair inside one objective, whatever split each would land in.

    Why: the suite test only looks across splits, so a near-duplicate pair that happens to share a split
    passes today and fails after an unrelated edit re-deals the groups; rephrase such pairs instead.
    """
    from mixmerge.objectives.dedup import near_duplicates

    texts = [it["question"] for it in items]
    pairs = [(texts[i], texts[j], round(sim, 2)) for i, j, sim in near_duplicates(texts, texts, threshold)
             if i < j]
    if pairs:
        raise ValueError(f"{name}: {len(pairs)} near-duplicate questions, rephrase them: {pairs[:5]}")


def write(objective: str, splits: dict[str, list[dict]], keys: tuple[str, ...]) -> None:
    folder = SUITE / objective
    folder.mkdir(parents=True, exist_ok=True)
    for split, rows in splits.items():
        with (folder / f"{split}.jsonl").open("w", encoding="utf-8") as fh:
            for n, row in enumerate(rows, 1):
                record = {"id": f"{objective}-{split}-{n:04d}", **{k: row[k] for k in keys}}
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")


def main() -> None:
    honest = honest_items()
    capability = capability_items()
    _check_unique(honest, "honest")
    _check_unique(capability, "capability")
    check_near_duplicates(honest, "honest")
    check_near_duplicates(capability, "capability")
    check_near_duplicates(honest + capability, "honest and capability together")
    shortcuts = check_no_shortcuts(honest)
    print("misconception shortcut rules (accuracy):", {k: round(v, 3) for k, v in shortcuts.items()})
    write("honest", assign_splits(honest, GROUPS, "honest"),
          ("category", "kind", "question", "answers", "reference", "choices", "labels"))
    write("capability", assign_splits(capability, [], "capability"),
          ("category", "question", "choices", "labels"))
    for objective in ("honest", "capability"):
        for split in SPLITS:
            rows = [json.loads(x) for x in (SUITE / objective / f"{split}.jsonl").read_text().splitlines()]
            kinds = Counter(r.get("kind", "mc") for r in rows)
            print(f"{objective}/{split}: {len(rows)} items {dict(sorted(kinds.items()))}")


if __name__ == "__main__":
    main()
