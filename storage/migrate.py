"""Bringing a database up to date: Optuna's tables first, then ours, under one lock.

Our tables hold foreign keys to Optuna's ``studies`` and ``trials``, so Optuna creates its tables
first (through its own ``RDBStorage``, exactly as a worker or optuna-dashboard would), and then our
Alembic revisions run, recorded in ``mixmerge_alembic_version`` — never in Optuna's ``alembic_version``.

Several workers may open a fresh database at the same moment; the whole initialisation runs under a
lock so that exactly one of them creates tables: a PostgreSQL advisory lock, or for SQLite (one machine)
an exclusive ``flock`` on the database's directory (SQLite's own file locks must not be touched: closing
any descriptor of the database file in this process would drop them).
"""

from __future__ import annotations

import contextlib
import logging
import warnings
from pathlib import Path

import optuna
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import URL, Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from .engine import WRITE_OPTION, engine_kwargs
from .errors import StorageError
from .locks import exclusive
from .urls import full, redact

log = logging.getLogger(__name__)

VERSION_TABLE = "mixmerge_alembic_version"
MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("version_locations", str(MIGRATIONS_DIR / "versions"))
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "the migrations folder has no revisions"
    return head


def current_revision(conn: Connection) -> str | None:
    return MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE}).get_current_revision()


def init_lock(url: URL, engine: Engine) -> contextlib.AbstractContextManager[None]:
    """Hold an exclusive, cross-process lock for initialising the database at ``url``."""
    return exclusive(url, engine, "mixmerge:init")


def ensure_optuna_tables(url: URL) -> None:
    """Create Optuna's tables if missing (and check their schema version), as Optuna itself does."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
            storage = optuna.storages.RDBStorage(full(url), engine_kwargs=engine_kwargs(url))
    except RuntimeError as exc:  # Optuna's schema-version mismatch
        raise StorageError(f"Optuna's tables at {redact(url)} need attention: {exc}") from exc
    except SQLAlchemyError as exc:
        raise StorageError(f"cannot create Optuna's tables at {redact(url)}: {exc}") from exc
    storage.engine.dispose()


def upgrade(url: URL, engine: Engine) -> str:
    """Apply our pending revisions in one transaction; return the revision the database is now at."""
    head = head_revision()
    script = ScriptDirectory.from_config(alembic_config())
    with engine.connect() as conn:
        conn = conn.execution_options(**{WRITE_OPTION: True})
        with conn.begin():
            current = current_revision(conn)
            if current is not None and current != head:
                try:
                    script.get_revision(current)
                except Exception as exc:
                    raise StorageError(
                        f"the store at {redact(url)} is at schema revision {current!r}, which this mixmerge "
                        f"does not know (its newest is {head!r}): it was written by a newer mixmerge. "
                        "Upgrade mixmerge, or use another database."
                    ) from exc
            if current != head:
                log.info("migrating mixmerge tables at %s from %s to %s", redact(url), current, head)
                cfg = alembic_config()
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
    return head
