"""A tiny merging problem for the search tests: a tiny random Llama with SmolLM2's tokenizer (a usable chat
base), three fine-tune-like experts, and three small multiple-choice objectives (dev and test files)."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

QUESTIONS = [
    ("Which is a colour?", ["red", "table"]), ("Which is an animal?", ["cat", "spoon"]),
    ("Which is a number?", ["seven", "cloud"]), ("Which is a fruit?", ["apple", "brick"]),
    ("Which is a planet?", ["Mars", "chair"]), ("Which is a drink?", ["water", "stone"]),
    ("Which is a metal?", ["iron", "bread"]), ("Which is a season?", ["winter", "pencil"]),
]


def write_mc(path: Path, offset: int, n: int = 6) -> Path:
    rows = []
    for i in range(n):
        q, (a, b) = QUESTIONS[(i + offset) % len(QUESTIONS)]
        choices, labels = ([a, b], [1, 0]) if (i + offset) % 2 else ([b, a], [0, 1])
        rows.append({"id": f"q{offset}-{i}", "question": q, "choices": choices, "labels": labels,
                     "category": "even" if i % 2 == 0 else "odd"})
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def tiny_problem(root: Path) -> dict:
    """Base, experts and objective files under ``root`` (built once per session by the tests' fixture)."""
    from _tiny import fine_tune_like, save, tiny_model
    from _training_fixtures import smollm2_tokenizer

    tok = smollm2_tokenizer()
    base = tiny_model(0, vocab_size=49152, max_position_embeddings=512)
    base_dir = save(base, root / "base")
    tok.save_pretrained(base_dir)
    experts = {}
    for i, name in enumerate(("helpful", "harmless", "honest")):
        experts[name] = str(save(fine_tune_like(base, 100 + i, scale=0.3), root / f"expert_{name}"))
    objectives = []
    for i, name in enumerate(("helpful", "harmless", "honest")):
        dev = write_mc(root / f"{name}_dev.jsonl", 3 * i)
        test = write_mc(root / f"{name}_test.jsonl", 3 * i + 1)
        objectives.append({"name": f"{name}=mc:{dev}", "test": f"{name}=mc:{test}"})
    return {"base": str(base_dir), "experts": experts, "objectives": objectives}


def write_spec(path: Path, problem: dict, **overrides) -> Path:
    spec = {
        "study": "tiny", "arm": "merge", "base": problem["base"], "experts": problem["experts"],
        "method": "task_arithmetic", "objectives": problem["objectives"],
        "optimizer": {"name": "random"}, "budget": {"trials": 4}, "seed": 0,
        "storage": str(path.parent / "study.db"),
        "evaluation": {"batch_size": 8, "fluency_gate": False},
        "workers": {"heartbeat_s": 1, "grace_s": 3, "threads": 1},
    }
    spec.update(overrides)
    path.write_text(yaml.safe_dump(spec, sort_keys=False))
    return path
