"""Work run in a forked child (`storyline.forked`): its result, its exception, its counters and
its death come back to the parent; an event update run there stores what one run here does."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from functools import partial
from pathlib import Path

import pytest

from storyline import forked, pipeline, testhooks
from storyline.store import Store
from storyline.timing import STAGE_SECONDS, cpu_seconds
from tests.cli.helpers import write_stories

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks on Linux")


def test_the_work_runs_in_a_child_and_its_result_comes_back() -> None:
    parent = os.getpid()
    child, value = forked.call(lambda: (os.getpid(), {"events": [1, 2, 3]}))
    assert child != parent and value == {"events": [1, 2, 3]}


def test_the_peak_resident_set_of_each_kind_of_child_is_kept() -> None:
    forked.call(lambda: len(b"x" * (64 << 20)), kind="test-large")
    forked.call(lambda: None, kind="test-small")
    assert forked.PEAK_RSS_MIB["test-large"] >= forked.PEAK_RSS_MIB["test-small"] + 48
    assert forked.PEAK_RSS_MIB["test-small"] > 0


def test_an_exception_in_the_child_is_raised_here() -> None:
    def fail() -> None:
        raise ValueError("no such store")

    with pytest.raises(ValueError, match="no such store"):
        forked.call(fail)


def test_an_unpicklable_exception_comes_back_as_its_traceback() -> None:
    class Local(Exception):  # a class defined in a function does not pickle
        pass

    def fail() -> None:
        raise Local("kept in the text")

    with pytest.raises(RuntimeError, match="kept in the text"):
        forked.call(fail)


def test_stage_seconds_and_crash_points_of_the_child_count_here(
        monkeypatch: pytest.MonkeyPatch) -> None:
    before = STAGE_SECONDS["briefs"]
    reached = testhooks.reached_counts().get("events.saving", 0)
    monkeypatch.setenv(testhooks.KILL_VARIABLE, "events.saving:99")

    def work() -> None:
        STAGE_SECONDS["briefs"] += 2.5
        testhooks.reached("events.saving")

    forked.call(work)
    assert STAGE_SECONDS["briefs"] == pytest.approx(before + 2.5)
    assert testhooks.reached_counts()["events.saving"] == reached + 1


def test_a_child_killed_by_a_signal_ends_the_parent_the_same_way() -> None:
    program = ("import os, signal\nfrom storyline import forked\n"
               "forked.call(lambda: os.kill(os.getpid(), signal.SIGKILL))\nprint('survived')")
    completed = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                               timeout=120, check=False)
    assert completed.returncode == -signal.SIGKILL and "survived" not in completed.stdout


def stored_events(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as connection:
        return connection.execute(
            "SELECT event_id, article_id, position FROM event_members"
            " ORDER BY event_id, position").fetchall()


def test_a_forked_event_update_stores_what_one_in_process_does(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_stories(tmp_path / "first", 4)
    write_stories(tmp_path / "second", 6)
    returned = {}
    for fork in (True, False):
        monkeypatch.setattr(forked, "can_fork", lambda fork=fork: fork)
        db = tmp_path / f"fork-{fork}.db"
        with Store(db) as store:
            for batch in ("first", "second"):
                pipeline.ingest([str(tmp_path / batch)], store, cluster=False, parallel=False)
                returned[fork] = pipeline.update_events(store)
            # The parent's own connection reads what the child wrote.
            assert store.count_events() > 0
    assert stored_events(tmp_path / "fork-True.db") == stored_events(tmp_path / "fork-False.db")
    assert [e.id for e in returned[True]] == [e.id for e in returned[False]]


# -- children forked from a zygote (`forked.Zygote`) -----------------------------------------
# Work sent to a zygote is pickled: functions of this module, not lambdas.

def parent_pid() -> int:
    return os.getppid()


def fail_in_child() -> None:
    raise ValueError("failed in the zygote's child")


def burn_cpu(seconds: float) -> None:
    started = time.process_time()
    while time.process_time() - started < seconds:
        pass


def never_prepares() -> None:
    raise ImportError("no such model")


def test_a_zygote_forks_the_child_and_its_result_or_exception_comes_back() -> None:
    zygote = forked.Zygote()
    try:
        assert forked.start(parent_pid, zygote=zygote).result() == zygote.pid != os.getpid()
        assert forked.call(parent_pid, zygote=zygote) == zygote.pid
        with pytest.raises(ValueError, match="failed in the zygote's child"):
            forked.start(fail_in_child, zygote=zygote).result()
    finally:
        zygote.close()


def test_a_child_of_a_zygote_does_not_start_with_this_process_memory() -> None:
    held = bytearray(os.urandom(1 << 20) * 256)  # 256 MiB resident here
    zygote = forked.Zygote()
    try:
        forked.start(parent_pid, kind="test-from-here").result()
        forked.start(parent_pid, kind="test-from-zygote", zygote=zygote).result()
    finally:
        zygote.close()
    assert len(held) == 256 << 20
    assert forked.PEAK_RSS_MIB["test-from-here"] >= 256
    assert forked.PEAK_RSS_MIB["test-from-zygote"] < forked.PEAK_RSS_MIB["test-from-here"] - 200


def test_work_lost_with_a_dead_zygote_fails_and_the_next_work_gets_a_new_zygote() -> None:
    zygote = forked.Zygote()
    try:
        child = forked.start(partial(time.sleep, 60), zygote=zygote)
        first = zygote.pid
        assert first is not None
        os.kill(first, signal.SIGKILL)
        with pytest.raises(RuntimeError, match="lost: the zygote process ended"):
            child.result()
        assert forked.start(parent_pid, zygote=zygote).result() == zygote.pid != first
    finally:
        zygote.close()


def test_work_a_zygote_cannot_take_is_forked_here_and_says_why(
        capfd: pytest.CaptureFixture[str]) -> None:
    zygote = forked.Zygote(never_prepares)
    try:
        assert forked.start(parent_pid, zygote=zygote).result() == os.getpid()
    finally:
        zygote.close()
    error = capfd.readouterr().err
    assert "could not prepare: ImportError: no such model" in error
    assert "forking this process instead" in error


def test_the_cpu_of_a_zygote_child_counts_here_once() -> None:
    zygote = forked.Zygote()
    try:
        forked.start(parent_pid, zygote=zygote).result()  # the zygote's start, counted
        before = cpu_seconds()
        child = forked.start(partial(burn_cpu, 0.5), zygote=zygote)
        child.result()
        counted = cpu_seconds() - before
        assert counted >= child.cpu_seconds >= 0.5
    finally:
        zygote.close()
    # Waiting for the zygote adds its children's CPU to this process's usage: not twice.
    assert cpu_seconds() - before < counted + 0.25
