"""Engines for the store: SQLite tuned for several local processes, PostgreSQL tuned for dropped links.

SQLite (one machine): WAL lets readers run beside one writer; a busy timeout makes a writer wait for
the lock instead of failing; and our write transactions start with ``BEGIN IMMEDIATE``. The last one
matters: sqlite3's default deferred transaction takes the write lock only at its first write, and a
WAL reader that must upgrade after another process committed fails at once with "database is locked",
whatever the busy timeout. Taking the lock up front makes every writer queue on the timeout instead.

PostgreSQL (several machines): ``pool_pre_ping`` replaces pooled connections the server dropped while
idle; a connection dropped in the middle of a transaction is handled by the store retrying the whole
(all-or-nothing, idempotent) transaction once.

:func:`preflight` checks the database is reachable *before* anything is created, so a mistyped URL
gives a clear message and leaves no file, table or database behind.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import URL, Engine
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.pool import NullPool

from .errors import StorageError
from .urls import is_sqlite, redact

log = logging.getLogger(__name__)

SQLITE_BUSY_TIMEOUT_S = 60.0
PG_CONNECT_TIMEOUT_S = 10
WRITE_OPTION = "mixmerge_write"  # execution option: this transaction writes (SQLite: BEGIN IMMEDIATE)


def engine_kwargs(url: URL) -> dict[str, Any]:
    """Keyword arguments for ``create_engine`` shared by our engine and Optuna's."""
    if is_sqlite(url):
        return {"connect_args": {"timeout": SQLITE_BUSY_TIMEOUT_S}}
    return {
        "pool_pre_ping": True,
        "pool_size": 4,
        "max_overflow": 4,
        "connect_args": {"connect_timeout": PG_CONNECT_TIMEOUT_S, "application_name": "mixmerge"},
    }


def make_engine(url: URL, *, poolclass: Any = None) -> Engine:
    kwargs = engine_kwargs(url)
    if poolclass is not None:
        kwargs = {k: v for k, v in kwargs.items() if k not in ("pool_size", "max_overflow")}
        kwargs["poolclass"] = poolclass
    engine = create_engine(url, **kwargs)
    if is_sqlite(url):
        _tune_sqlite(engine)
    return engine


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy (below) emit BEGIN, instead of sqlite3's legacy implicit transactions.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(SQLITE_BUSY_TIMEOUT_S * 1000)}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get(WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def preflight(url: URL) -> None:
    """Raise :class:`StorageError` naming ``url`` and the fix if the database cannot be used.

    Writes nothing: for SQLite it checks the directory and any existing file without creating either;
    for PostgreSQL it opens one connection and runs ``SELECT 1``.
    """
    if is_sqlite(url):
        _preflight_sqlite(url)
    else:
        _preflight_postgres(url)


def _preflight_sqlite(url: URL) -> None:
    path = Path(url.database or "")
    where = redact(url)
    if not path.parent.is_dir():
        raise StorageError(
            f"cannot open the store at {where}: directory {str(path.parent)!r} does not exist. "
            f"Create it (mkdir -p {path.parent}) or give a path in an existing directory."
        )
    if not os.access(path.parent, os.W_OK | os.X_OK):
        raise StorageError(
            f"cannot open the store at {where}: directory {str(path.parent)!r} is not writable "
            "(SQLite writes its -wal and -shm files beside the database). Choose a writable directory."
        )
    if path.exists():
        if not path.is_file():
            raise StorageError(f"cannot open the store at {where}: {str(path)!r} is not a regular file.")
        if not os.access(path, os.R_OK | os.W_OK):
            raise StorageError(
                f"cannot open the store at {where}: {str(path)!r} is not readable and writable."
            )
        with path.open("rb") as fh:
            head = fh.read(16)
        if head and head != b"SQLite format 3\x00":
            raise StorageError(
                f"cannot open the store at {where}: {str(path)!r} exists but is not an SQLite database. "
                "Give a new file name or the path of an existing study database."
            )


def _preflight_postgres(url: URL) -> None:
    engine = make_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except DBAPIError as exc:
        raise StorageError(_postgres_message(url, exc)) from exc
    except SQLAlchemyError as exc:
        raise StorageError(f"cannot reach the store at {redact(url)}: {exc}") from exc
    finally:
        engine.dispose()


def _postgres_message(url: URL, exc: DBAPIError) -> str:
    reason = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc)
    lowered = str(exc.orig).lower()
    host = f"{url.host or 'localhost'}:{url.port or 5432}"
    if "does not exist" in lowered and "database" in lowered:
        fix = f"create it first (createdb -h {url.host or 'localhost'} {url.database}) or fix the name"
    elif "password" in lowered or "authentication" in lowered:
        fix = "check the user name and password in the URL (or the server's pg_hba.conf)"
    elif "refused" in lowered or "timeout" in lowered or "timed out" in lowered:
        fix = f"start PostgreSQL on {host} or fix the host and port in the URL"
    elif "translate host name" in lowered or "name or service" in lowered:
        fix = f"the host name {url.host!r} does not resolve: fix it"
    else:
        fix = "check the URL and that the server accepts connections"
    return f"cannot reach the store at {redact(url)}: {reason}. Fix: {fix}."
