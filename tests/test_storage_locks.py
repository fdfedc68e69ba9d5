"""``Store.lock``: one holder at a time across connections and processes, on SQLite and PostgreSQL."""

# ruff: noqa: F811 - pytest fixtures imported from _storage_backends are redefined as arguments

from __future__ import annotations

import threading
import time

from _storage_backends import pg_server, pg_url, store_url  # noqa: F401 - fixtures
from mixmerge.storage import open_store
from mixmerge.storage.locks import advisory_key


def test_a_read_then_write_under_the_lock_loses_no_update(store_url):
    """Four threads each add 1 five times by reading, pausing and writing back: without mutual exclusion
    updates are lost (the pause makes the race all but certain); under the lock the total is exact."""
    counter = {"value": 0}
    stores = [open_store(store_url) for _ in range(4)]  # each its own engine, as separate workers have

    def add(store) -> None:
        for _ in range(5):
            with store.lock("mixmerge:ask:counter"):
                seen = counter["value"]
                time.sleep(0.01)
                counter["value"] = seen + 1

    threads = [threading.Thread(target=add, args=(s,)) for s in stores]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    finally:
        for s in stores:
            s.close()
    assert counter["value"] == 20


def test_advisory_keys_are_stable_and_fit_postgres_bigint():
    assert advisory_key("mixmerge:ask:a") == advisory_key("mixmerge:ask:a") != advisory_key("mixmerge:ask:b")
    assert 0 <= advisory_key("x") < 2**63
