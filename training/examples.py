"""Chat training examples and the user JSONL formats they are read from.

One record type serves both paradigms: a conversation whose last turn is the assistant's preferred reply,
plus, for preference optimisation, a dispreferred alternative to that last turn. SFT trains on every
assistant turn; DPO compares the last turn with ``rejected``.

Accepted JSONL lines (one object per line):

* ``{"messages": [{"role": "user", "content": ...}, {"role": "assistant", "content": ...}, ...]}``
  (optionally with ``"rejected": "..."``, an alternative final assistant turn);
* ``{"prompt": ..., "chosen": ..., "rejected": ...}`` (a preference pair);
* ``{"prompt": ..., "response": ...}`` or ``{"prompt": ..., "completion": ...}`` (SFT only).

``prompt`` may be a string (one user turn) or a list of messages.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

ROLES = ("system", "user", "assistant")
Paradigm = Literal["sft", "dpo"]


class DataError(ValueError):
    """Training data that cannot be used as given; the message names the file/set and the fix."""


@dataclass(frozen=True)
class ChatExample:
    """A conversation ending in an assistant turn (the preferred reply), and optionally a rejected reply.

    ``sft_ok`` is False for sets whose preferred replies are only *relatively* better (hh-rlhf harmless:
    often not a clean refusal), which may be used as preference pairs but not as SFT targets.
    """

    id: str
    source: str
    messages: tuple[tuple[str, str], ...]  # (role, content) pairs; the last one is the assistant's
    rejected: str | None = None
    sft_ok: bool = True

    @property
    def is_pair(self) -> bool:
        return self.rejected is not None

    def chat(self, final: str | None = None) -> list[dict[str, str]]:
        """The conversation as chat-template messages, with the last assistant turn replaced by ``final``."""
        msgs = [{"role": r, "content": c} for r, c in self.messages]
        if final is not None:
            msgs[-1] = {"role": "assistant", "content": final}
        return msgs

    def canonical(self) -> dict[str, Any]:
        """A JSON-able form for content hashing."""
        return {"id": self.id, "source": self.source, "messages": [list(m) for m in self.messages],
                "rejected": self.rejected}


def make_example(id: str, source: str, prompt: str | list[dict[str, str]], response: str,
                 rejected: str | None = None, sft_ok: bool = True) -> ChatExample:
    """Build an example from a prompt (a string or a list of messages) and the assistant's reply."""
    if isinstance(prompt, str):
        turns = [("user", prompt)]
    else:
        turns = [(m["role"], m["content"]) for m in prompt]
    return ChatExample(id=id, source=source, messages=tuple(turns) + (("assistant", response),),
                       rejected=rejected, sft_ok=sft_ok)


def _messages(value: Any, where: str) -> list[dict[str, str]]:
    if not isinstance(value, list) or not value:
        raise DataError(f"{where}: 'messages' must be a non-empty list of {{role, content}} objects")
    out = []
    for i, m in enumerate(value):
        if not isinstance(m, dict) or m.get("role") not in ROLES or not isinstance(m.get("content"), str):
            raise DataError(f"{where}: message {i} must be {{\"role\": one of {ROLES}, \"content\": string}}")
        out.append({"role": m["role"], "content": m["content"]})
    return out


def _text(obj: dict[str, Any], key: str, where: str) -> str:
    value = obj[key]
    if not isinstance(value, str) or not value.strip():
        raise DataError(f"{where}: {key!r} must be a non-empty string")
    return value


def parse_record(obj: Any, source: str, where: str, index: int) -> ChatExample | None:
    """One JSONL object -> example; ``None`` for a conversation without any assistant turn."""
    if not isinstance(obj, dict):
        raise DataError(f"{where}: each line must be a JSON object")
    ex_id = str(obj.get("id", f"{source}-{index}"))
    if "messages" in obj:
        msgs = _messages(obj["messages"], where)
        while msgs and msgs[-1]["role"] != "assistant":  # trailing user turns carry no training signal
            msgs.pop()
        if not msgs:
            return None
        rejected = _text(obj, "rejected", where) if "rejected" in obj else None
        return make_example(ex_id, source, msgs[:-1], msgs[-1]["content"], rejected)
    if "prompt" in obj:
        prompt = obj["prompt"]
        if isinstance(prompt, list):
            prompt = _messages(prompt, where)
        elif not isinstance(prompt, str) or not prompt.strip():
            raise DataError(f"{where}: 'prompt' must be a non-empty string or a list of messages")
        for key in ("chosen", "response", "completion"):
            if key in obj:
                rejected = _text(obj, "rejected", where) if "rejected" in obj else None
                return make_example(ex_id, source, prompt, _text(obj, key, where), rejected)
        return None
    raise DataError(f"{where}: a line needs 'messages', or 'prompt' with 'chosen'/'rejected' or 'response'; "
                    f"got keys {sorted(obj)}")


def load_jsonl(path: str | Path, source: str) -> list[ChatExample]:
    """Read a user's JSONL file of chat examples; refuses a file with no assistant turn at all."""
    path = Path(path)
    if not path.is_file():
        raise DataError(f"data file for set {source!r} not found: {path}")
    examples: list[ChatExample] = []
    with path.open(encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            where = f"{path}:{n}"
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as err:
                raise DataError(f"{where}: not valid JSON ({err.msg})") from None
            ex = parse_record(obj, source, where, len(examples))
            if ex is not None:
                examples.append(ex)
    if not examples:
        raise DataError(f"data file {path} (set {source!r}) has no assistant turns to train on; each line needs "
                        f"an assistant reply ('messages' ending in an assistant turn, 'response' or 'chosen')")
    return examples


def check_usable(examples: list[ChatExample], name: str, paradigm: Paradigm) -> list[ChatExample]:
    """The examples of set ``name`` usable for ``paradigm``; a clear error if there are none."""
    if paradigm == "dpo":
        pairs = [e for e in examples if e.is_pair]
        if not pairs:
            raise DataError(f"set {name!r} has no preference pairs for DPO: lines need 'chosen' and 'rejected' "
                            f"(or 'messages' plus 'rejected'); use --paradigm sft for plain replies")
        return pairs
    usable = [e for e in examples if e.sft_ok]
    if not usable:
        raise DataError(f"set {name!r} is not usable for SFT: its preferred replies are only relatively better "
                        f"(e.g. hh-rlhf harmless 'chosen' replies are often not refusals); use --paradigm dpo")
    return usable
