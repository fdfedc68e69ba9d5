"""Migrations: our tables and version table beside Optuna's, idempotent re-opening, schema == migrations."""

# ruff: noqa: F811 - pytest fixtures imported from _storage_backends are redefined as arguments

from __future__ import annotations

import optuna
import pytest
import sqlalchemy as sa
from _storage_backends import pg_server, pg_url, store_url  # noqa: F401 - fixtures
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from mixmerge.storage import StorageError, check_optuna_version, open_store
from mixmerge.storage.migrate import VERSION_TABLE, alembic_config, head_revision
from mixmerge.storage.schema import OUR_TABLES, Base
from optuna.storages._rdb import models as optuna_models

OURS = {t.name for t in OUR_TABLES}
OPTUNA_TABLES = {"studies", "trials", "trial_values", "version_info", "alembic_version"}


def _tables(engine: sa.Engine) -> set[str]:
    return set(sa.inspect(engine).get_table_names())


def _schema_diff(engine: sa.Engine) -> list:
    """Alembic's autogenerate comparison of the database's mm_ tables with schema.py."""

    def ours(obj, name, type_, reflected, compare_to) -> bool:
        if type_ == "table":
            return (name or "").startswith("mm_")
        return getattr(getattr(obj, "table", None), "name", "mm_").startswith("mm_")

    with engine.connect() as conn:
        opts = {"version_table": VERSION_TABLE, "compare_type": True, "include_object": ours}
        return compare_metadata(MigrationContext.configure(conn, opts=opts), Base.metadata)


def test_migrations_build_the_declared_schema_beside_optunas_tables(store_url):
    store = open_store(store_url)
    try:
        tables = _tables(store.engine)
        assert len(OURS) == 9 and OURS <= tables
        assert OPTUNA_TABLES <= tables
        assert VERSION_TABLE in tables
        with store.engine.connect() as conn:
            ours = conn.execute(sa.text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars().all()
            optunas = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalars().all()
        assert ours == [head_revision()] == ["0002"]
        assert len(optunas) == 1 and optunas[0] != ours[0]  # Optuna's own revision, untouched by ours
        assert _schema_diff(store.engine) == []

        # the migrations are reversible and never touch Optuna's tables
        cfg = alembic_config()
        with store.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "base")
        left = _tables(store.engine)
        assert not (OURS & left) and OPTUNA_TABLES <= left
        with store.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
        assert _schema_diff(store.engine) == []
    finally:
        store.close()


def test_reopening_is_idempotent_and_keeps_data(store_url):
    store = open_store(store_url)
    study = optuna.create_study(study_name="s", storage=store.optuna_storage(), directions=["maximize"])
    trial = study.ask()
    store.record_trial_result(
        trial._trial_id, split="dev", fidelity=1.0, results=[{"objective": "h", "value": 0.25}]
    )
    before = _tables(store.engine)
    store.close()
    again = open_store(store_url)
    assert _tables(again.engine) == before
    with again.engine.connect() as conn:
        assert conn.execute(sa.text(f"SELECT count(*) FROM {VERSION_TABLE}")).scalar() == 1
    assert [r["value"] for r in again.scores("s")] == [0.25]

    # a database migrated by a newer mixmerge is refused, not silently used
    with again.engine.begin() as conn:
        conn.execute(sa.text(f"UPDATE {VERSION_TABLE} SET version_num = '9999'"))
    again.close()
    with pytest.raises(StorageError, match="revision '9999'.*newer mixmerge"):
        open_store(store_url)


def test_optuna_stand_in_tables_match_optunas_models():
    ours = Base.metadata.tables
    for name, model in (("studies", optuna_models.StudyModel), ("trials", optuna_models.TrialModel)):
        theirs = model.__table__
        for column in ours[name].columns:
            assert column.name in theirs.c, f"Optuna's {name} has no column {column.name}"
            assert type(theirs.c[column.name].type) is type(column.type), (name, column.name)
            assert theirs.c[column.name].primary_key == column.primary_key


def test_optuna_major_version_is_checked():
    check_optuna_version("5.0.0")
    check_optuna_version("5.3.1")
    with pytest.raises(StorageError, match=r"built against Optuna 5\.0\.0 and Optuna 6\.0\.0 is installed"):
        check_optuna_version("6.0.0")
    with pytest.raises(StorageError, match="optuna==5.0.0"):
        check_optuna_version("4.9.0")


def test_sqlite_connections_use_wal_and_a_busy_timeout(tmp_path):
    store = open_store(tmp_path / "study.db")
    try:
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 60_000
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert (tmp_path / "study.db-wal").exists()
    finally:
        store.close()
