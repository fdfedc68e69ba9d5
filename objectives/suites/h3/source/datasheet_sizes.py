"""Regenerate the "Sizes per split and category" table of ../DATASHEET.md from the jsonl files.

Why: sizes in a datasheet drift from the data unless they are generated from it. Covers every objective
folder present (helpful, harmless, honest, capability). Run: ``python datasheet_sizes.py``.
"""

from __future__ import annotations

import json
import logging
import re
from collections import Counter
from pathlib import Path

SUITE = Path(__file__).resolve().parent.parent
SPLITS = ("train", "dev", "test")
OBJECTIVES = ("helpful", "harmless", "honest", "capability")
BEGIN = "<!-- sizes:begin"
END = "<!-- sizes:end -->"
log = logging.getLogger("h3.datasheet")


def _rows(objective: str, split: str) -> list[dict]:
    path = SUITE / objective / f"{split}.jsonl"
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _table(objective: str, field: str) -> list[str]:
    counts = {s: Counter(str(r.get(field, "-")) for r in _rows(objective, s)) for s in SPLITS}
    keys = sorted(set().union(*counts.values()))
    lines = [f"| {field} | " + " | ".join(SPLITS) + " |", "|---|" + "---:|" * len(SPLITS)]
    for key in keys:
        lines.append(f"| {key} | " + " | ".join(str(counts[s][key]) for s in SPLITS) + " |")
    lines.append("| **total** | " + " | ".join(str(sum(counts[s].values())) for s in SPLITS) + " |")
    return lines


def sizes_markdown() -> str:
    out: list[str] = []
    for objective in OBJECTIVES:
        if not any(_rows(objective, s) for s in SPLITS):
            continue
        out.append(f"### {objective}")
        out.append("")
        fields = ["category"] if any("category" in r for r in _rows(objective, "train")) else []
        if any("kind" in r for r in _rows(objective, "train")):
            fields.append("kind")
        for field in fields or ["id"]:
            out.extend(_table(objective, field) if field != "id" else [])
            out.append("")
        if not fields:
            out.append(" | ".join(f"{s}: {len(_rows(objective, s))}" for s in SPLITS))
            out.append("")
    return "\n".join(out)


def update_datasheet(path: Path | None = None) -> None:
    path = path or SUITE / "DATASHEET.md"
    text = path.read_text(encoding="utf-8")
    begin, end = text.index(BEGIN), text.index(END)
    begin_line_end = text.index("\n", begin) + 1
    new = text[:begin_line_end] + "\n" + sizes_markdown() + "\n" + text[end:]
    path.write_text(re.sub(r"\n{3,}", "\n\n", new), encoding="utf-8")
    log.info("updated %s", path)


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    update_datasheet()
