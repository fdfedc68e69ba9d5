"""Alembic environment for mixmerge's own tables.

Two things differ from a stock env.py: the version table is ``mixmerge_alembic_version`` (Optuna keeps
its own ``alembic_version`` in the same database), and autogenerate looks only at ``mm_`` tables, so
Optuna's tables are never proposed for creation or removal. The store hands in an open connection
already inside a transaction (see ``mixmerge.storage.migrate``); the ``alembic`` command line works too,
with ``-x url=...``.
"""

from __future__ import annotations

from typing import Any

from alembic import context
from mixmerge.storage.migrate import VERSION_TABLE
from mixmerge.storage.schema import Base
from sqlalchemy import create_engine

config = context.config


def include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    if type_ == "table":
        return bool(name and name.startswith("mm_"))
    table = getattr(obj, "table", None)
    return table is None or table.name.startswith("mm_")


def _configure(connection: Any) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        version_table=VERSION_TABLE,
        include_object=include_object,
        render_as_batch=True,  # SQLite alters tables by copying them
        compare_type=True,
    )


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    from mixmerge.storage.urls import normalise_url

    engine = create_engine(normalise_url(url))
    with engine.connect() as conn:
        _configure(conn)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("mixmerge migrations run online only: pass -x url=DATABASE_URL")
run_online()
