"""Provenance: enough to say exactly what produced a number, and to refuse to mix incomparable ones.

A study records the content hashes of its base model, experts and data, the code version, the versions
of the libraries that shape results, and its seeds. Model hashes come from the caller (``merge_core``
hashes tensors canonically, independent of sharding); storage sits below it and only hashes plain files
and directories (data files, artifacts) itself.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import logging
import platform
import subprocess
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

log = logging.getLogger(__name__)

HASH_PREFIX = "sha256:"
_CHUNK = 1 << 20

#: Libraries whose versions can change a score, a proposal or a cost.
LIBRARIES = (
    "mixmerge",
    "torch",
    "transformers",
    "safetensors",
    "peft",
    "accelerate",
    "lm_eval",
    "optuna",
    "optuna-integration",
    "botorch",
    "gpytorch",
    "pymoo",
    "moocore",
    "numpy",
    "sqlalchemy",
    "alembic",
)


def path_sha256(path: str | Path) -> tuple[str, int]:
    """``(hex sha256, total bytes)`` of a file, or of a directory (over sorted relative paths and bytes)."""
    p = Path(path)
    if p.is_file():
        h = hashlib.sha256()
        with p.open("rb") as fh:
            while block := fh.read(_CHUNK):
                h.update(block)
        return h.hexdigest(), p.stat().st_size
    if p.is_dir():
        h = hashlib.sha256()
        total = 0
        for f in sorted(q for q in p.rglob("*") if q.is_file()):
            digest, size = path_sha256(f)
            h.update(f.relative_to(p).as_posix().encode() + b"\0" + digest.encode() + b"\n")
            total += size
        return h.hexdigest(), total
    raise FileNotFoundError(f"cannot hash {str(p)!r}: not a file or directory")


def file_hash(path: str | Path) -> str:
    """``sha256:<hex>`` of a data file or directory (the same spelling as ``merge_core`` hashes)."""
    return HASH_PREFIX + path_sha256(path)[0]


def code_version() -> str:
    """``mixmerge <version>`` plus ``git describe`` of the source tree when it is a git checkout."""
    try:
        version = importlib.metadata.version("mixmerge")
    except importlib.metadata.PackageNotFoundError:
        version = "unknown"
    root = Path(__file__).resolve().parent.parent
    try:
        described = subprocess.run(
            ["git", "describe", "--always", "--dirty", "--tags"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        described = ""
    return f"mixmerge {version}" + (f" (git {described})" if described else "")


def library_versions(names: Iterable[str] = LIBRARIES) -> dict[str, str]:
    """Installed versions of ``names`` (absent ones are left out), plus Python and the platform."""
    found: dict[str, str] = {}
    for name in names:
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    found["python"] = sys.version.split()[0]
    found["platform"] = platform.platform()
    return found


class ProvenanceRecord(BaseModel):
    """The provenance of a study or a trial; :meth:`items` gives the key/value rows the store keeps."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    base: str | None = None
    experts: dict[str, str] = Field(default_factory=dict)
    data: dict[str, str] = Field(default_factory=dict)
    seeds: dict[str, int] = Field(default_factory=dict)
    code_version: str = Field(default_factory=code_version)
    libraries: dict[str, str] = Field(default_factory=library_versions)
    extra: dict[str, Any] = Field(default_factory=dict)

    def items(self) -> dict[str, Any]:
        rows: dict[str, Any] = {"code_version": self.code_version, "libraries": self.libraries}
        if self.base is not None:
            rows["hash/base"] = self.base
        rows.update({f"hash/expert/{k}": v for k, v in self.experts.items()})
        rows.update({f"hash/data/{k}": v for k, v in self.data.items()})
        if self.seeds:
            rows["seeds"] = self.seeds
        rows.update({f"extra/{k}": v for k, v in self.extra.items()})
        return rows


def collect(
    *,
    base_hash: str | None = None,
    expert_hashes: Mapping[str, str] | None = None,
    data_paths: Mapping[str, str | Path] | None = None,
    seeds: Mapping[str, int] | None = None,
    **extra: Any,
) -> ProvenanceRecord:
    """Gather a study's provenance: given model hashes, hashed data files, code and library versions."""
    return ProvenanceRecord(
        base=base_hash,
        experts=dict(expert_hashes or {}),
        data={name: file_hash(path) for name, path in (data_paths or {}).items()},
        seeds=dict(seeds or {}),
        extra=extra,
    )
