"""Timelines in a process of their own (`service.offload`): computed there, at background
priority, on a snapshot of the same store; the server answers them as it would itself, sees new
articles after the store changes, and starts the process again when it dies."""

from __future__ import annotations

import os
import signal
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from storyline.server_process import free_port, start_server
from storyline.service.capacity import Overloaded
from storyline.service.offload import Offload
from storyline.store import Store
from storyline.summarize.timeline import build_timeline
from tests.api.conftest import make_article
from tests.api.test_overload import serving, until_fresh


@pytest.fixture
def offload(db: Path) -> Iterator[Offload]:
    running = Offload(db, niceness=5)
    yield running
    running.close()


def where_and_what(store: Store) -> tuple[int, int, int, bool]:
    """A job: the process it ran in, its nice value, what it saw, and whether it may write
    (not in a snapshot: they are read-only)."""
    try:
        store.conn.execute("CREATE TABLE scratch (x)")
    except sqlite3.OperationalError:
        writable = False
    else:
        writable = True
    return os.getpid(), os.nice(0), store.count_articles(), writable


def test_jobs_run_in_another_process_at_its_niceness_on_a_snapshot(
    db: Path, offload: Offload
) -> None:
    pid, niceness, articles, writable = offload(where_and_what)
    assert pid != os.getpid()
    assert niceness == max(5, os.nice(0))
    with Store(db) as store:
        assert articles == store.count_articles()
    assert not writable
    # One process for every job, not one each.
    assert offload(where_and_what)[0] == pid


def test_a_killed_process_is_a_503_then_started_again(offload: Offload) -> None:
    pid = offload(where_and_what)[0]
    os.kill(pid, signal.SIGKILL)
    with pytest.raises(Overloaded):
        offload(where_and_what)
    assert offload(where_and_what)[0] not in (pid, os.getpid())


def test_the_server_answers_offloaded_timelines_as_its_own_and_sees_new_articles(
    db: Path
) -> None:
    with Store(db) as store:
        expected = build_timeline(store, "bridge").to_dict()
    # No grace for stale answers: the first request after a change has the new article.
    with serving(db, expensive_stale_seconds=0) as url:
        assert httpx.get(f"{url}/api/timeline?q=bridge", timeout=60).json() == expected
        with Store(db) as writer:
            writer.add_article(make_article(
                "Tamsin bridge fully repaired", "The Tamsin bridge was repaired in May. Mayor "
                "Orlanda Vesk thanked the engineers.", "Coast Daily", "2024-05-20"))
        fresh = until_fresh(f"{url}/api/timeline?q=bridge")
        assert "2024-05-20" in {entry["date"] for entry in fresh.json()["entries"]}
        page = httpx.get(f"{url}/timeline?q=bridge", headers={"accept": "text/html"}, timeout=60)
        assert page.status_code == 200 and "Tamsin bridge was repaired in May" in page.text


def test_the_timeline_process_ends_with_a_killed_server(db: Path) -> None:
    port = free_port()
    server = start_server(str(db), port)
    try:
        assert httpx.get(f"http://127.0.0.1:{port}/api/timeline?q=bridge",
                         timeout=120).status_code == 200
        # Children of any of its threads (the one that started the process is a worker's).
        children = [pid for task in Path(f"/proc/{server.pid}/task").iterdir()
                    for pid in (task / "children").read_text().split()]
        offloads = [pid for pid in children
                    if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()]
        assert len(offloads) == 1
    finally:
        server.kill()
        server.wait()
    deadline = time.monotonic() + 60
    while Path(f"/proc/{offloads[0]}").exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not Path(f"/proc/{offloads[0]}").exists()
