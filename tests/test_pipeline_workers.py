"""Forked enrichment workers never outlive the ingest that started them, however it ends, and
the ingest that forked them leaves the collector as it found it."""

from __future__ import annotations

import gc
import os
import signal
import subprocess
import sys
import time
import weakref
from pathlib import Path

import pytest

from storyline import pipeline
from storyline.pipeline import PARALLEL_MIN_DOCUMENTS
from storyline.store import Store
from tests.cli.helpers import storyline_command, write_stories

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or os.cpu_count() == 1,
    reason="needs /proc and at least two cores (one core never forks workers)",
)
SECONDS_TO_EXIT = 5


def _stat_fields(pid: int) -> list[str] | None:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            # The command name in parentheses may hold spaces; the fields after it do not.
            return handle.read().rsplit(")", 1)[1].split()
    except OSError:
        return None


def children_of(parent: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        fields = _stat_fields(int(entry)) if entry.isdigit() else None
        if fields and int(fields[1]) == parent:
            found.append(int(entry))
    return found


def is_running(pid: int) -> bool:
    fields = _stat_fields(pid)
    return fields is not None and fields[0] not in {"Z", "X"}


@pytest.mark.parametrize("stop", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_workers_exit_when_the_ingest_is_killed(tmp_path: Path, stop: signal.Signals) -> None:
    write_stories(tmp_path / "corpus", 4 * PARALLEL_MIN_DOCUMENTS)  # long enough to be killed mid-run
    ingest = subprocess.Popen(
        storyline_command(tmp_path / "store.db", "ingest", "--no-events", str(tmp_path / "corpus")),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 180
        while not children_of(ingest.pid):
            assert ingest.poll() is None, "ingest ended before starting its workers"
            assert time.monotonic() < deadline, "ingest started no workers within 3 minutes"
            time.sleep(0.05)
        time.sleep(0.5)  # the pool forks its workers one after the other
        workers = children_of(ingest.pid)
        assert workers and all(is_running(pid) for pid in workers)
        ingest.send_signal(stop)
        ingest.wait(timeout=30)
        deadline = time.monotonic() + SECONDS_TO_EXIT
        while any(is_running(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        survivors = [pid for pid in workers if is_running(pid)]
    finally:
        ingest.kill()
        ingest.wait()
    for pid in survivors:
        os.kill(pid, signal.SIGKILL)
    assert not survivors, f"workers outlived the ingest by {SECONDS_TO_EXIT} s"


class _Cyclic:
    """Garbage only the cyclic collector frees (it refers to itself)."""

    def __init__(self) -> None:
        self.me = self


def test_garbage_left_before_a_parallel_ingest_is_still_collected_after_it(
        tmp_path: Path) -> None:
    # The pool freezes the collector's objects before it forks (so the workers share their
    # pages); left frozen, garbage of that moment (the last event update's clusterer) was never
    # freed, and a process ingesting again and again grew by each update's working set.
    write_stories(tmp_path / "corpus", 2)
    paths = sorted(str(path) for path in (tmp_path / "corpus").iterdir())
    gc.disable()  # no automatic collection may free the garbage before the fork
    try:
        garbage = _Cyclic()
        freed = weakref.ref(garbage)
        del garbage
        with Store(tmp_path / "store.db") as store:
            pipeline.ingest(paths, store, cluster=False, parallel=True)
            assert store.count_articles() == 2
    finally:
        gc.enable()
    gc.collect()
    assert freed() is None
    assert gc.get_freeze_count() == 0
