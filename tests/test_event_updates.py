"""Event updates running beside the next batch's ingest (`pipeline.EventUpdates`): the update
clusters only what was stored when it started, a batch stored meanwhile waits for the next one,
a failed update loses nothing, and a stream of overlapped updates stores what serial ones do."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest

import storyline.events
from storyline import forked, pipeline
from storyline.store import Store
from tests.cli.helpers import write_stories

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks on Linux")

REAL_UPDATE = storyline.events.update_events


def members(db: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(db) as connection:
        return connection.execute(
            "SELECT event_id, article_id FROM event_members ORDER BY event_id, article_id"
        ).fetchall()


def titles_in_events(db: Path) -> list[str]:
    with sqlite3.connect(db) as connection:
        return sorted(row[0] for row in connection.execute(
            "SELECT a.title FROM event_members m JOIN articles a ON a.id = m.article_id"))


def stories(folder: Path, count: int, first: int) -> list[str]:
    """`count` stories numbered from `first` (write_stories numbers from 0)."""
    written = write_stories(folder / "all", first + count)
    folder.mkdir(exist_ok=True)
    paths = []
    for name in sorted(written)[first:]:
        (folder / "all" / name).rename(folder / name)
        paths.append(str(folder / name))
    return paths


def test_a_start_returns_while_the_child_works_and_its_result_comes_back() -> None:
    started = time.monotonic()
    child = forked.start(lambda: (time.sleep(1.0), os.getpid())[1])
    assert time.monotonic() - started < 0.9  # this process goes on meanwhile
    assert child.result() == child.pid and child.cpu_seconds >= 0.0
    assert child.result() == child.pid  # the outcome is kept


def test_a_cancelled_child_is_gone_and_gives_no_result() -> None:
    child = forked.start(lambda: time.sleep(60))
    child.cancel()
    with pytest.raises(ProcessLookupError):
        os.kill(child.pid, 0)
    with pytest.raises(RuntimeError, match="cancelled"):
        child.result()


def held_back(go: Path, *args: object, **kwargs: object) -> object:
    # The child reads the store only once the second batch is in (the worst moment).
    while not go.exists():
        time.sleep(0.02)
    return REAL_UPDATE(*args, **kwargs)  # type: ignore[arg-type]


def broken(*args: object, **kwargs: object) -> object:
    raise ValueError("no clusterer today")


def replace_update(update: Callable[..., object]) -> None:
    """A zygote's `prepare`: its children run `update` as the event update."""
    storyline.events.update_events = update  # type: ignore[assignment]


def updates_with(store: Store, update: Callable[..., object], zygote: bool,
                 monkeypatch: pytest.MonkeyPatch) -> pipeline.EventUpdates:
    """Event updates of `store` whose children run `update`: forked from here, or from a
    zygote (a process of its own, which this process's patches do not reach)."""
    updates = pipeline.EventUpdates(store, zygote=zygote)
    if updates.zygote is not None:
        updates.zygote.prepare = partial(replace_update, update)
    else:
        monkeypatch.setattr(storyline.events, "update_events", update)
    return updates


@pytest.mark.parametrize("zygote", [False, True])
def test_a_batch_stored_while_an_update_runs_waits_for_the_next_update(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, zygote: bool) -> None:
    go = tmp_path / "go"
    first = stories(tmp_path / "first", 3, 0)
    second = stories(tmp_path / "second", 4, 3)
    db = tmp_path / "store.db"
    with Store(db) as store, \
            updates_with(store, partial(held_back, go), zygote, monkeypatch) as updates:
        pipeline.ingest(first, store, parallel=False, updates=updates)
        pipeline.ingest(second, store, cluster=False, parallel=False)
        go.touch()
        changed = updates.wait()
        assert titles_in_events(db) == sorted(
            f"Council of Brindlemoor approves budget line {n}" for n in range(3))
        assert len({a for e in changed for a in e.article_ids}) == 3
        updates.start()
    assert len(members(db)) == 7


def test_the_ingest_waits_out_an_update_saving_longer_than_the_busy_timeout(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    saving = tmp_path / "saving"

    def slow_save(store: Store, **kwargs: object) -> object:
        with store.transaction():  # the write lock, held as a big update's save holds it
            saving.touch()
            time.sleep(2.0)
        return REAL_UPDATE(store, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(storyline.events, "update_events", slow_save)
    db = tmp_path / "store.db"
    with Store(db, busy_timeout=0.2) as store, pipeline.EventUpdates(store) as updates:
        pipeline.ingest(stories(tmp_path / "first", 3, 0), store, parallel=False,
                        updates=updates)
        while not saving.exists():
            time.sleep(0.02)
        # Stored while the child holds the lock ten times the store's busy timeout.
        pipeline.ingest(stories(tmp_path / "second", 2, 3), store, cluster=False,
                        parallel=False)
        assert store.count_articles() == 5
        updates.start()
    assert len(members(db)) == 5


@pytest.mark.parametrize("zygote", [False, True])
def test_a_failed_update_raises_and_its_articles_wait_for_the_next(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, zygote: bool) -> None:
    db = tmp_path / "store.db"
    with Store(db) as store:
        updates = updates_with(store, broken, zygote, monkeypatch)
        pipeline.ingest(stories(tmp_path / "first", 3, 0), store, parallel=False,
                        updates=updates)
        # The failure surfaces when the next batch's update would start: that batch is stored.
        with pytest.raises(ValueError, match="no clusterer today") as raised:
            pipeline.ingest(stories(tmp_path / "second", 2, 3), store, parallel=False,
                            updates=updates)
        assert "wait for the next" in " ".join(raised.value.__notes__)
        assert store.count_articles() == 5 and members(db) == []
        updates.close()
        monkeypatch.setattr(storyline.events, "update_events", REAL_UPDATE)
        pipeline.update_events(store)
    assert len(members(db)) == 5


def test_overlapped_updates_store_what_serial_ones_do(tmp_path: Path) -> None:
    batches = [stories(tmp_path / f"batch-{n}", 3, 3 * n) for n in range(3)]
    for way in ("overlapped", "zygote", "serial"):
        with Store(tmp_path / f"{way}.db") as store:
            updates = (pipeline.EventUpdates(store, zygote=way == "zygote")
                       if way != "serial" else None)
            for paths in batches:
                pipeline.ingest(paths, store, parallel=False, updates=updates)
            if updates:
                updates.wait()
                updates.close()
    assert members(tmp_path / "overlapped.db") == members(tmp_path / "serial.db")
    assert members(tmp_path / "zygote.db") == members(tmp_path / "serial.db")
    assert len(members(tmp_path / "serial.db")) == 9


@pytest.mark.parametrize("zygote", [False, True])
def test_an_update_killed_while_the_next_batch_is_stored_loses_nothing(
        tmp_path: Path, zygote: bool) -> None:
    first = stories(tmp_path / "first", 3, 0)
    second = stories(tmp_path / "second", 3, 3)
    db = tmp_path / "store.db"
    program = (
        "import sys\nfrom storyline import pipeline\nfrom storyline.store import Store\n"
        f"with Store({str(db)!r}) as store,"
        f" pipeline.EventUpdates(store, zygote={zygote}) as updates:\n"
        f"    pipeline.ingest({first!r}, store, parallel=False, updates=updates)\n"
        f"    pipeline.ingest({second!r}, store, parallel=False, updates=updates)\n"
        "print('survived')\n")
    killed = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, timeout=300,
        check=False, env={**os.environ, "STORYLINE_TEST_KILL_AT": "events.saving"})
    # The first update's child was killed half-way through its saving transaction, and this
    # process with it when it waited for that update, before starting the second.
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert "survived" not in killed.stdout
    assert members(db) == []
    with Store(db) as store:
        assert store.count_articles() == 6
        pipeline.update_events(store)
    assert len(members(db)) == 6
