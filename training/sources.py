"""Named training sets: the built-in H3 train splits, the shared public data sets, and user JSONL files.

Names a mixture can use:

* ``helpful``, ``harmless``, ``honest``: the built-in H3 suite (``objectives/suites/h3/<set>/<split>.jsonl``);
  helpful pairs are (prompt, chosen, rejected); harmless pairs are (prompt, refusal, compliance); honest
  pairs are (question, reference, a derived fabricated answer, see ``honest_rejected``);
* ``hh-helpful``, ``hh-harmless`` (Anthropic hh-rlhf test splits, multi-turn), ``coconot`` (CoCoNot
  preference pairs), ``self-instruct`` (175 seed tasks, SFT only), ``selfaware`` (SelfAware questions, with
  an abstention as the preferred reply on unanswerable ones): from the shared data folder
  (``$MIXMERGE_DATA_DIR``, default ``../shared/data`` beside the project);
* any ``NAME=PATH.jsonl`` a user gives (formats in ``examples``).

hh-rlhf's harmless "chosen" replies are often only *less* harmful, not refusals, so that set is preference
data only: asking for SFT on it is an error.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import defaultdict
from pathlib import Path

from mixmerge.training.examples import ChatExample, DataError, Paradigm, check_usable, load_jsonl, make_example
from pydantic import BaseModel, ConfigDict, Field

H3_SETS = ("helpful", "harmless", "honest")
SHARED_SETS = ("hh-helpful", "hh-harmless", "coconot", "self-instruct", "selfaware")

#: preferred replies to questions nobody can answer (SelfAware), picked by a stable hash of the item id
ABSTENTIONS = (
    "I don't know. There is no reliable answer to that question.",
    "I'm not sure anyone can answer that with certainty; I don't know.",
    "Honestly, I don't know: that question doesn't have a definite, verifiable answer.",
)

#: confident framings of a fabricated answer (the dispreferred side of honest pairs where the honest reply
#: abstains or corrects a false premise); ``{claim}`` is another item's reference answer, i.e. made up here
FABRICATION_FRAMES = (
    "The answer is {claim}. This is well documented and not in any doubt.",
    "Definitely {claim}. I'm completely certain about this.",
    "It's {claim}, as every reliable source confirms.",
    "That's easy: {claim}. There's no uncertainty here at all.",
)


def stable_index(key: str, n: int) -> int:
    """A deterministic index in ``range(n)`` from a string (Python's ``hash`` is salted per process)."""
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "little") % n


def default_h3_dir() -> Path:
    import mixmerge.objectives as objectives

    return Path(objectives.__file__).resolve().parent / "suites" / "h3"


def default_shared_dir() -> Path:
    env = os.environ.get("MIXMERGE_DATA_DIR")
    if env:
        return Path(env).expanduser()
    return Path(__file__).resolve().parents[1].parent / "shared" / "data"


class DataSources(BaseModel):
    """Where named sets come from. ``files`` maps user set names to JSONL paths."""

    model_config = ConfigDict(extra="forbid")

    h3_dir: Path = Field(default_factory=default_h3_dir)
    shared_dir: Path = Field(default_factory=default_shared_dir)
    split: str = "train"
    files: dict[str, Path] = Field(default_factory=dict)

    def known(self) -> list[str]:
        return [*H3_SETS, *SHARED_SETS, *self.files]

    def origin(self, name: str) -> list[Path]:
        """The files a set is read from (for provenance hashes)."""
        if name in self.files:
            return [Path(self.files[name])]
        if name in H3_SETS:
            return [self.h3_dir / name / f"{self.split}.jsonl"]
        return {
            "hh-helpful": [self.shared_dir / "hh-rlhf" / "helpful-base_test.jsonl"],
            "hh-harmless": [self.shared_dir / "hh-rlhf" / "harmless-base_test.jsonl"],
            "coconot": [self.shared_dir / "coconot" / "coconot_pref.jsonl"],
            "self-instruct": [self.shared_dir / "self-instruct" / "seed_tasks.jsonl"],
            "selfaware": [self.shared_dir / "selfaware" / "SelfAware.json"],
        }[name]

    def check_names(self, names: list[str]) -> None:
        unknown = [n for n in names if n not in self.known()]
        if unknown:
            raise DataError(f"unknown training set {', '.join(map(repr, unknown))}; known: {', '.join(self.known())} "
                            f"(or add your own with --data NAME=FILE.jsonl)")

    def load(self, name: str) -> list[ChatExample]:
        """All examples of one named set (both SFT-only and pairs)."""
        self.check_names([name])
        paths = self.origin(name)
        missing = [p for p in paths if not p.is_file()]
        if missing:
            raise DataError(f"set {name!r}: data file not found: {missing[0]}")
        if name in self.files:
            return load_jsonl(paths[0], name)
        if name in H3_SETS:
            return load_h3(name, paths[0])
        return _SHARED_LOADERS[name](paths[0], name)

    def load_for(self, names: list[str], paradigm: Paradigm) -> dict[str, list[ChatExample]]:
        """The usable examples of each named set for ``paradigm``; errors name the set and the fix."""
        self.check_names(names)
        return {n: check_usable(self.load(n), n, paradigm) for n in names}


# ---------------------------------------------------------------------------------------------------------
# the built-in H3 suite


def _read_jsonl(path: Path) -> list[dict]:
    rows = []
    with path.open(encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as err:
                    raise DataError(f"{path}:{n}: not valid JSON ({err.msg})") from None
    return rows


def load_h3(name: str, path: Path) -> list[ChatExample]:
    rows = _read_jsonl(path)
    try:
        if name == "helpful":
            return [make_example(r["id"], name, r["prompt"], r["chosen"], r["rejected"]) for r in rows]
        if name == "harmless":
            return [make_example(r["id"], name, r["prompt"], r["refusal"], r["compliance"]) for r in rows]
        return honest_examples(rows, name)
    except KeyError as err:
        raise DataError(f"{path}: an item lacks field {err}; the H3 {name} schema needs it") from None


def honest_rejected(rows: list[dict]) -> dict[str, str]:
    """A confident wrong answer for every honest item, derived deterministically (item id -> text).

    * ``misconception_mc``: a false choice (labels == 0), picked by a stable hash of the id;
    * ``answerable``: the reference answer of another answerable item of the same category (the next one in
      id order, cyclically; from any category when the category has no other), never one of the item's own
      accepted answers;
    * ``unanswerable`` and ``false_premise``: a confident claim (``FABRICATION_FRAMES``) built from another
      answerable item's reference, i.e. an answer made up with certainty instead of abstaining or correcting
      the premise.
    """
    answerable = sorted((r for r in rows if r.get("kind") == "answerable"), key=lambda r: str(r["id"]))
    by_cat: dict[str, list[dict]] = defaultdict(list)
    for r in answerable:
        by_cat[r.get("category", "")].append(r)
    out: dict[str, str] = {}
    for r in rows:
        rid, kind = str(r["id"]), r.get("kind")
        own = {str(a).strip().lower() for a in (r.get("answers") or [])} | {str(r.get("reference", "")).strip().lower()}
        if kind == "misconception_mc":
            false = [c for c, lab in zip(r.get("choices") or [], r.get("labels") or [], strict=False) if not lab]
            if false:
                out[rid] = false[stable_index(rid, len(false))]
            continue
        if kind == "answerable":
            pool = by_cat[r.get("category", "")]
            pool = pool if len(pool) > 1 else answerable
            start = next((i for i, o in enumerate(pool) if str(o["id"]) == rid), -1) + 1
            for k in range(len(pool)):
                other = pool[(start + k) % len(pool)]
                if str(other["id"]) != rid and str(other["reference"]).strip().lower() not in own:
                    out[rid] = other["reference"]
                    break
            continue
        # unanswerable / false_premise: confidently assert some other item's answer
        candidates = [o for o in answerable if str(o["reference"]).strip().lower() not in own]
        if candidates:
            claim = _as_claim(candidates[stable_index("claim:" + rid, len(candidates))]["reference"])
            out[rid] = FABRICATION_FRAMES[stable_index("frame:" + rid, len(FABRICATION_FRAMES))].format(claim=claim)
    return out


def _as_claim(text: str) -> str:
    """A reference answer trimmed to one clause, for use inside a confident sentence."""
    text = str(text).strip().split("\n")[0]
    return re.split(r"(?<=[.!?])\s", text)[0].rstrip(".!?")


def honest_examples(rows: list[dict], name: str = "honest") -> list[ChatExample]:
    """(question, reference) SFT examples, with ``honest_rejected`` as the dispreferred reply."""
    rejected = honest_rejected(rows)
    return [make_example(str(r["id"]), name, r["question"], r["reference"], rejected.get(str(r["id"])))
            for r in rows]


# ---------------------------------------------------------------------------------------------------------
# the shared public data sets

_HH_TURN = re.compile(r"\n\n(Human|Assistant): ")


def parse_hh_dialogue(text: str) -> list[tuple[str, str]]:
    """``"\\n\\nHuman: a\\n\\nAssistant: b"`` -> [("user", "a"), ("assistant", "b")]."""
    parts = _HH_TURN.split(text)
    turns = []
    for role, content in zip(parts[1::2], parts[2::2], strict=False):
        turns.append(("user" if role == "Human" else "assistant", content.strip()))
    return turns


def _load_hh(path: Path, name: str) -> list[ChatExample]:
    sft_ok = name != "hh-harmless"
    out = []
    for i, r in enumerate(_read_jsonl(path)):
        chosen, rejected = parse_hh_dialogue(r["chosen"]), parse_hh_dialogue(r["rejected"])
        if (not chosen or chosen[-1][0] != "assistant" or not chosen[-1][1] or not rejected
                or rejected[-1][0] != "assistant" or not rejected[-1][1] or chosen[:-1] != rejected[:-1]
                or chosen[-1][1] == rejected[-1][1]):
            continue  # malformed or identical pair: no usable signal
        prompt = [{"role": role, "content": c} for role, c in chosen[:-1]]
        out.append(make_example(f"{name}-{i}", name, prompt, chosen[-1][1], rejected[-1][1], sft_ok=sft_ok))
    return out


def _load_coconot(path: Path, name: str) -> list[ChatExample]:
    return [make_example(str(r["id"]), name, r["prompt"], r["chosen"], r.get("rejected") or None)
            for r in _read_jsonl(path) if r.get("prompt") and r.get("chosen")]


def _load_self_instruct(path: Path, name: str) -> list[ChatExample]:
    out = []
    for r in _read_jsonl(path):
        for j, inst in enumerate(r.get("instances") or []):
            if not inst.get("output"):
                continue
            prompt = r["instruction"] + (f"\n\n{inst['input']}" if inst.get("input") else "")
            out.append(make_example(f"{r['id']}-{j}", name, prompt, inst["output"]))
    return out


def _load_selfaware(path: Path, name: str) -> list[ChatExample]:
    data = json.loads(path.read_text(encoding="utf-8"))
    rows = []
    for r in data["example"]:
        rid = f"selfaware-{r['question_id']}"
        if r.get("answerable") and r.get("answer"):
            rows.append({"id": rid, "category": "selfaware", "kind": "answerable", "question": r["question"],
                         "answers": r["answer"], "reference": r["answer"][0]})
        elif not r.get("answerable"):
            rows.append({"id": rid, "category": "selfaware", "kind": "unanswerable", "question": r["question"],
                         "answers": [], "reference": ABSTENTIONS[stable_index(rid, len(ABSTENTIONS))]})
    return honest_examples(rows, name)


_SHARED_LOADERS = {
    "hh-helpful": _load_hh,
    "hh-harmless": _load_hh,
    "coconot": _load_coconot,
    "self-instruct": _load_self_instruct,
    "selfaware": _load_selfaware,
}
