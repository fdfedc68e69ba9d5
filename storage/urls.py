"""Storage URLs: one spelling in, one SQLAlchemy URL out.

Users write a bare file path (``study.db``), ``sqlite:///study.db`` or ``postgresql://user@host/db``.
Optuna, optuna-dashboard and our own tables must all point at the *same* database, so the URL is
normalised once: relative SQLite paths become absolute (a worker started from another directory would
otherwise open a different, empty file) and ``postgresql://`` names the psycopg 3 driver that is
installed (SQLAlchemy's default for that scheme is psycopg2).
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from .errors import StorageError

_PG_SCHEMES = {"postgresql", "postgres", "postgresql+psycopg"}


def normalise_url(url: str | os.PathLike[str]) -> URL:
    """Return the SQLAlchemy URL for ``url``; raise :class:`StorageError` for what we cannot store in."""
    text = os.fspath(url).strip()
    if not text:
        raise StorageError("storage URL is empty: give a file path (study.db) or postgresql://user@host/db")
    if "://" not in text:
        return _sqlite_url(Path(text))
    try:
        parsed = make_url(text)
    except ArgumentError as exc:
        raise StorageError(f"storage URL {text!r} is not a valid database URL: {exc}") from exc
    if parsed.drivername in _PG_SCHEMES:
        if not parsed.database:
            raise StorageError(f"storage URL {redact(parsed)} names no database: add /DBNAME at the end")
        return parsed.set(drivername="postgresql+psycopg")
    if parsed.drivername.startswith("postgresql+"):
        return parsed
    if parsed.drivername in ("sqlite", "sqlite+pysqlite"):
        if not parsed.database or parsed.database == ":memory:" or parsed.database.startswith("file:"):
            raise StorageError(
                f"storage URL {text!r} is an in-memory SQLite database, which each worker would see empty: "
                "give a file path such as sqlite:///study.db"
            )
        return _sqlite_url(Path(parsed.database), parsed.query)
    raise StorageError(
        f"storage URL {redact(parsed)} uses {parsed.drivername!r}; mixmerge supports SQLite (one machine) "
        "and PostgreSQL (several machines): sqlite:///path.db or postgresql://user@host:5432/db"
    )


def _sqlite_url(path: Path, query: dict | None = None) -> URL:
    absolute = Path(os.path.abspath(path.expanduser()))
    return URL.create("sqlite", database=str(absolute), query=query or {})


def is_sqlite(url: URL) -> bool:
    return url.get_backend_name() == "sqlite"


def redact(url: URL) -> str:
    """The URL as text with any password hidden, for messages and logs."""
    return url.render_as_string(hide_password=True)


def full(url: URL) -> str:
    """The URL as text with its password, for handing to Optuna's own engine."""
    return url.render_as_string(hide_password=False)
