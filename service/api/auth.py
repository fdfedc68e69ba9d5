"""Who may do what: a bearer token (``MIXMERGE_TOKEN``) for every request that changes anything; reads need
it too unless the server was started with reading opened. Paths a posted spec names must lie under one of
``MIXMERGE_ROOTS`` (a server must not train on, or write to, whatever path a client sends)."""

from __future__ import annotations

import hmac
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from fastapi import HTTPException, Request


def check_token(request: Request, expected: str | None) -> None:
    """Refuse (401) unless the request carries ``Authorization: Bearer <expected>``."""
    if not expected:
        raise HTTPException(401, "this server has no MIXMERGE_TOKEN set: it accepts no request that needs one")
    header = request.headers.get("authorization", "")
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), expected.encode()):
        raise HTTPException(401, "missing or wrong bearer token (Authorization: Bearer $MIXMERGE_TOKEN)",
                            headers={"WWW-Authenticate": "Bearer"})


def roots_from_env(value: str | None = None) -> list[Path]:
    """``MIXMERGE_ROOTS`` (paths separated by ``os.pathsep``), default the current directory."""
    text = os.environ.get("MIXMERGE_ROOTS", "") if value is None else value
    parts = [p for p in text.split(os.pathsep) if p.strip()]
    return [Path(p).expanduser().resolve() for p in parts] or [Path.cwd().resolve()]


def spec_paths(spec: dict[str, Any]) -> Iterable[tuple[str, str]]:
    """(field, path) for every filesystem path a spec names (builtin models and named data sets are not)."""
    def is_path(v: Any) -> bool:
        return isinstance(v, str) and v and not v.startswith("builtin:") and "://" not in v

    if is_path(spec.get("base")):
        yield "base", spec["base"]
    for name, ref in (spec.get("experts") or {}).items():
        if is_path(ref):
            yield f"experts.{name}", ref
    for name, ref in (spec.get("data") or {}).items():
        if is_path(ref) and ("/" in ref or ref.endswith((".jsonl", ".json", ".csv"))):
            yield f"data.{name}", ref
    if is_path(spec.get("workdir")):
        yield "workdir", spec["workdir"]
    evaluation = spec.get("evaluation") or {}
    if is_path(evaluation.get("data_dir")):
        yield "evaluation.data_dir", evaluation["data_dir"]
    for i, obj in enumerate(spec.get("objectives") or []):
        for key in ("name", "test"):
            text = obj if isinstance(obj, str) and key == "name" else (obj.get(key) if isinstance(obj, dict) else None)
            if isinstance(text, str) and "=" in text and ":" in text.split("=", 1)[1]:
                kind, _, target = text.split("=", 1)[1].partition(":")
                if kind != "lm_eval":
                    path, _, judge = target.partition(",judge=")
                    yield f"objectives[{i}].{key}", path
                    if judge:
                        yield f"objectives[{i}].{key} judge", judge


def outside_roots(spec: dict[str, Any], roots: list[Path]) -> list[str]:
    """Fields of ``spec`` whose path resolves outside every root (symlinks followed)."""
    bad = []
    for field, path in spec_paths(spec):
        resolved = Path(path).expanduser().resolve()
        if not any(resolved == r or r in resolved.parents for r in roots):
            bad.append(f"{field} ({path})")
    return bad
