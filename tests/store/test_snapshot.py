"""Read snapshots (`Store.snapshot`): what the server's GET requests read through. A page made
of several queries sees one moment of the store, never a write in progress, and never writes."""

from __future__ import annotations

import contextvars
import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from storyline.store import Store
from tests.store.titled import titled_article


def test_a_snapshot_sees_one_moment_until_it_ends(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    with Store(db) as reader, Store(db) as writer:
        writer.add_article(titled_article("Harbour opens"))
        with reader.snapshot():
            assert reader.count_articles() == 1
            writer.add_article(titled_article("Ferry delayed"))
            assert reader.count_articles() == 1
            assert [a["title"] for a in reader.list_articles()] == ["Harbour opens"]
        assert reader.count_articles() == 2


def test_a_snapshot_never_sees_its_own_stores_write_in_progress(tmp_path: Path) -> None:
    """The server's uploads write through the same `Store` its pages read: without a snapshot
    of their own, a page read the upload's rows before they were committed."""
    db = tmp_path / "store.db"
    with Store(db) as store:
        store.add_article(titled_article("Harbour opens"))
        writing, finish = threading.Event(), threading.Event()

        def upload() -> None:
            with store.transaction():
                store.add_article(titled_article("Ferry delayed"))
                writing.set()
                finish.wait(10)

        uploader = threading.Thread(target=upload)
        uploader.start()
        try:
            assert writing.wait(10)
            assert store.count_articles() == 2  # the shared connection: uncommitted rows
            with store.snapshot():
                assert store.count_articles() == 1
        finally:
            finish.set()
            uploader.join()
        with store.snapshot():
            assert store.count_articles() == 2


def test_a_worker_thread_reads_through_the_snapshot_of_the_context_it_runs_in(
        tmp_path: Path) -> None:
    """A request opens the snapshot in its event loop task; its handler runs in a worker thread
    in a copy of that context (as Starlette's threadpool does)."""
    db = tmp_path / "store.db"
    with Store(db) as reader, Store(db) as writer, ThreadPoolExecutor(1) as pool:
        writer.add_article(titled_article("Harbour opens"))
        with reader.snapshot():
            assert reader.count_articles() == 1
            writer.add_article(titled_article("Ferry delayed"))
            seen = pool.submit(contextvars.copy_context().run, reader.count_articles).result()
            assert seen == 1
        assert pool.submit(reader.count_articles).result() == 2


def test_writes_inside_a_snapshot_fail(tmp_path: Path) -> None:
    with (Store(tmp_path / "store.db") as store, store.snapshot(),
          pytest.raises(sqlite3.OperationalError, match="readonly|read-only|query_only")):
        store.add_article(titled_article("Harbour opens"))
    with Store(tmp_path / "store.db") as store:
        assert store.count_articles() == 0


def test_read_connections_are_reused(tmp_path: Path) -> None:
    with Store(tmp_path / "store.db") as store:
        connections = set()
        for _ in range(5):
            with store.snapshot():
                connections.add(id(store.conn))
        assert len(connections) == 1
