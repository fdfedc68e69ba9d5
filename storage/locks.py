"""Cross-process locks on a store: one process at a time through a short critical section.

PostgreSQL: a session advisory lock keyed by a stable hash of the lock's name, held on a connection of its
own (Optuna's writes on other connections are not blocked). SQLite, which lives on one machine: an exclusive
``flock`` on the database's directory (SQLite's own locks on the file must not be touched: closing any
descriptor of the file drops them), so every name shares that one lock there.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import URL, Engine

from .urls import is_sqlite


def advisory_key(name: str) -> int:
    """A PostgreSQL advisory-lock key (signed 64-bit, non-negative) that is the same in every process."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "little") & 0x7FFFFFFFFFFFFFFF


@contextlib.contextmanager
def exclusive(url: URL, engine: Engine, name: str) -> Iterator[None]:
    """Hold the lock called ``name`` of the database at ``url`` until the block ends."""
    if is_sqlite(url):
        fd = os.open(Path(url.database or ".").parent, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)
        return
    key = advisory_key(name)
    with engine.connect() as conn:
        conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": key})
        conn.commit()
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
            conn.commit()
