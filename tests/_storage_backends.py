"""Database fixtures for the storage tests: a fresh SQLite file or a fresh PostgreSQL database per test.

PostgreSQL comes from ``MIXMERGE_TEST_PG`` (default ``postgresql://postgres@127.0.0.1:5432/test``). Each
test gets its own throwaway database ``mixmerge_test_<random>`` (created from that server, dropped
afterwards), so tests never see each other's tables or another helper's. If the server cannot be
reached, PostgreSQL cases are skipped with the reason; SQLite cases always run.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from mixmerge.storage.urls import normalise_url
from sqlalchemy.engine import URL

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"


def pg_admin_url() -> URL:
    return normalise_url(os.environ.get("MIXMERGE_TEST_PG", DEFAULT_PG))


def _pg_unreachable_reason() -> str | None:
    url = pg_admin_url()
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - any failure means: skip with its reason
        where = url.render_as_string(hide_password=True)
        return f"PostgreSQL at {where} unreachable: {str(exc).splitlines()[0]}"
    finally:
        engine.dispose()
    return None


@pytest.fixture(scope="session")
def pg_server() -> URL:
    reason = _pg_unreachable_reason()
    if reason:
        pytest.skip(reason)
    return pg_admin_url()


@contextlib.contextmanager
def _throwaway_database(server: URL) -> Iterator[str]:
    name = f"mixmerge_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def pg_url(pg_server: URL) -> Iterator[str]:
    """The URL of a brand-new, empty PostgreSQL database, dropped after the test."""
    with _throwaway_database(pg_server) as url:
        yield url


@pytest.fixture(scope="session")
def shared_pg_url(pg_server: URL) -> Iterator[str]:
    """One PostgreSQL database for the whole session (tests isolate themselves by study name)."""
    with _throwaway_database(pg_server) as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path) -> str:
    """A fresh database URL of each backend."""
    if request.param == "sqlite":
        return str(tmp_path / "study.db")
    return request.getfixturevalue("pg_url")


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def shared_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database of each backend shared by the session: cheaper than a fresh one per test."""
    if request.param == "sqlite":
        return str(tmp_path_factory.mktemp("shared-sqlite") / "study.db")
    return request.getfixturevalue("shared_pg_url")


@pytest.fixture
def store(shared_url):
    """A store on the session's shared database of each backend."""
    from mixmerge.storage import open_store

    s = open_store(shared_url)
    yield s
    s.close()


@pytest.fixture
def name() -> str:
    """A study name of this test's own: tests share one database per backend."""
    import uuid

    return f"study-{uuid.uuid4().hex[:8]}"
