"""URLs are normalised one way; an unusable database is refused with its URL and a fix, creating nothing."""

# ruff: noqa: F811 - pytest fixtures imported from _storage_backends are redefined as arguments

from __future__ import annotations

import os

import pytest
import sqlalchemy as sa
from _storage_backends import pg_server  # noqa: F401 - fixture
from mixmerge.storage import StorageError, normalise_url, open_store


def test_bare_and_relative_paths_become_absolute_sqlite_urls(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for given in ("study.db", "sqlite:///study.db", str(tmp_path / "study.db")):
        url = normalise_url(given)
        assert url.drivername == "sqlite"
        assert url.database == str(tmp_path / "study.db")
    assert normalise_url("~/x.db").database == os.path.expanduser("~/x.db")


@pytest.mark.parametrize(
    "given",
    [
        "postgresql://postgres@127.0.0.1:5432/test",
        "postgres://postgres@127.0.0.1:5432/test",
        "postgresql+psycopg://postgres@127.0.0.1:5432/test",
    ],
)
def test_postgres_spellings_name_the_psycopg3_driver(given):
    url = normalise_url(given)
    assert url.render_as_string() == "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@pytest.mark.parametrize(
    ("given", "match"),
    [
        ("", "empty"),
        ("sqlite://", "in-memory"),
        ("sqlite:///:memory:", "in-memory"),
        ("mysql://u@h/db", "supports SQLite"),
        ("postgresql://u@h", "names no database"),
    ],
)
def test_unsupported_urls_are_refused(given, match):
    with pytest.raises(StorageError, match=match):
        normalise_url(given)


def test_password_is_hidden_in_messages():
    with pytest.raises(StorageError) as err:
        open_store("postgresql://postgres:s3cret@127.0.0.1:1/x")
    assert "s3cret" not in str(err.value)
    assert "postgres:***@127.0.0.1:1/x" in str(err.value)


def test_refused_connection_names_url_and_fix():
    with pytest.raises(StorageError) as err:
        open_store("postgresql://postgres@127.0.0.1:1/x")
    message = str(err.value)
    assert "postgresql+psycopg://postgres@127.0.0.1:1/x" in message
    assert "start PostgreSQL on 127.0.0.1:1" in message
    assert isinstance(err.value, ValueError)


def test_unknown_database_names_url_and_fix_and_creates_nothing(pg_server):
    name = "mixmerge_test_does_not_exist"
    url = pg_server.set(database=name).render_as_string(hide_password=False)
    with pytest.raises(StorageError, match=rf"{name}.*does not exist.*createdb"):
        open_store(url)
    admin = sa.create_engine(pg_server, poolclass=sa.pool.NullPool)
    with admin.connect() as conn:
        exists = conn.execute(
            sa.text("SELECT count(*) FROM pg_database WHERE datname = :n"), {"n": name}
        ).scalar()
    admin.dispose()
    assert exists == 0


def test_sqlite_in_missing_directory_names_url_and_creates_nothing(tmp_path):
    missing = tmp_path / "no" / "such" / "dir"
    with pytest.raises(StorageError, match=r"sqlite:///.*/no/such/dir/study\.db.*does not exist.*mkdir -p"):
        open_store(missing / "study.db")
    assert not (tmp_path / "no").exists()
    assert list(tmp_path.iterdir()) == []


def test_a_file_that_is_not_sqlite_is_refused_untouched(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("not a database\n")
    with pytest.raises(StorageError, match="not an SQLite database"):
        open_store(path)
    assert path.read_text() == "not a database\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.db"]
