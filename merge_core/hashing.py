"""Content hashes of models: what a tensor store *contains*, not how it is laid out on disk.

A checkpoint's hash covers its canonical tensor names, dtypes, shapes and bytes, in sorted name order, so
the same weights give the same hash whether they sit in one file or in five shards, and whether a tied
``lm_head.weight`` was written beside ``model.embed_tokens.weight`` or not. Experts trained by this project
record their base's hash (``mixmerge_provenance.json``); a merge's model card lists the hashes of its inputs.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable

import torch

HASH_PREFIX = "sha256:"
_CHUNK = 1 << 24  # bytes hashed per update: bounded memory for huge tensors


def _tensor_bytes(t: torch.Tensor) -> memoryview:
    flat = t.detach().cpu().contiguous().reshape(-1)
    if flat.numel() == 0:
        return memoryview(b"")
    return memoryview(flat.view(torch.uint8).numpy())


def hash_tensors(names: Iterable[str], get: Callable[[str], torch.Tensor]) -> str:
    """``sha256:<hex>`` over (name, dtype, shape, bytes) of each tensor, names sorted.

    ``get`` loads one tensor at a time, so hashing a sharded model never holds more than one tensor.
    """
    h = hashlib.sha256()
    for name in sorted(names):
        t = get(name)
        header = json.dumps([name, str(t.dtype).removeprefix("torch."), list(t.shape)]).encode()
        h.update(len(header).to_bytes(8, "little"))
        h.update(header)
        data = _tensor_bytes(t)
        h.update(len(data).to_bytes(8, "little"))
        for start in range(0, len(data), _CHUNK):
            h.update(data[start:start + _CHUNK])
    return HASH_PREFIX + h.hexdigest()


def hash_json(obj: object) -> str:
    """``sha256:<hex>`` of a JSON-serialisable object in canonical form (sorted keys, no spaces)."""
    text = json.dumps(obj, sort_keys=True, separators=(",", ":"), default=str)
    return HASH_PREFIX + hashlib.sha256(text.encode()).hexdigest()


def hash_file(path, chunk: int = _CHUNK) -> str:
    """``sha256:<hex>`` of a file's bytes (for data files and other non-tensor inputs)."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(chunk):
            h.update(block)
    return HASH_PREFIX + h.hexdigest()
