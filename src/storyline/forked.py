"""Running one piece of work in a forked child process, so that its memory leaves with it.

An event update reads a working set of many small objects (clusterer rows, features, matrices,
briefs) and frees it when it ends, but some of what it allocates outlives it (caches, statements,
a few hundred objects here and there), scattered among the freed blocks. Neither pymalloc nor
glibc can move a live object, so the pools, arenas and heap pages around those survivors stay
resident, and a long-running process (`storyline watch`, an ingest of many batches, the scale
bench) grew by each update although the memory it used did not: in 250-article updates of the
scale stream, with PYTHONMALLOC=malloc, memory in use was 234-237 MiB after every update while
the free memory inside the heap grew from 84 to 150 MiB and the RSS by 6 MiB an update; with
pymalloc, Python's arenas grew from 158 to 206 MiB holding as many live blocks (issue 10,
docs/benchmarks.md). In a forked child the update's allocations go when the child exits, and
the parent stays as it was.

The child shares the parent's pages copy-on-write (the loaded models cost nothing), works on a
connection of its own, and sends its result back pickled; its exception is raised in the parent. `start` lets the parent
work meanwhile (an event update beside the next batch's ingest: `pipeline.EventUpdates`).
"""

from __future__ import annotations

import gc
import os
import pickle
import resource
import signal
import sys
import tempfile
import threading
import traceback
from collections.abc import Callable
from typing import BinaryIO, Generic, TypeVar, cast

from storyline import testhooks
from storyline.timing import STAGE_SECONDS

T = TypeVar("T")
_PR_SET_PDEATHSIG = 1
# The largest peak resident set (MiB) of the children that did each kind of work (`start`'s
# `kind`), known once they are waited for: a benchmark tells the event updates' working set
# from the other children's.
PEAK_RSS_MIB: dict[str, float] = {}


def can_fork() -> bool:
    """Whether this process may fork its work: on Linux, with no other thread running (a fork
    copies only the calling thread; a lock another thread holds would never be released in the
    child)."""
    return sys.platform.startswith("linux") and threading.active_count() == 1


def call(function: Callable[[], T], kind: str = "work") -> T:
    """`function()` run in a forked child: its result, or its exception raised here.

    What the child adds to this process's counters (`STAGE_SECONDS`, crash points reached) is
    added here too. A child killed by a signal (a crash test's SIGKILL, the OOM killer) ends
    this process by the same signal, as it would have ended it had the work run here."""
    return start(function, kind).result()


class Child(Generic[T]):
    """Work running in a forked child while this process goes on: `result()` waits for it."""

    def __init__(self, pid: int, result_file: BinaryIO, kind: str = "work") -> None:
        self.pid = pid
        self.kind = kind
        self._file = result_file
        self._outcome: tuple[bool, object] | None = None
        # CPU seconds the child spent (user and system), known once it is waited for.
        self.cpu_seconds = 0.0

    def result(self) -> T:
        """Wait for the child: its result, or its exception raised here (as `call`). Once the
        child is waited for, further calls give the same outcome without waiting."""
        if self._outcome is None:
            self._outcome = self._wait()
        ok, value = self._outcome
        if not ok:
            raise cast(BaseException, value)
        return cast(T, value)

    def cancel(self) -> None:
        """End the child now (SIGKILL) and wait for it; what it was doing is lost with it."""
        if self._outcome is None:
            os.kill(self.pid, signal.SIGKILL)
            _, _, usage = os.wait4(self.pid, 0)
            self._file.close()
            self._count(usage)
            self._outcome = (False, RuntimeError("the forked work was cancelled"))

    def _count(self, usage: resource.struct_rusage) -> None:
        self.cpu_seconds = usage.ru_utime + usage.ru_stime
        # ru_maxrss is in KiB on Linux (the only system `can_fork` allows).
        PEAK_RSS_MIB[self.kind] = max(PEAK_RSS_MIB.get(self.kind, 0.0), usage.ru_maxrss / 1024)

    def _wait(self) -> tuple[bool, object]:
        try:
            _, status, usage = os.wait4(self.pid, 0)
        except BaseException:
            self.cancel()
            raise
        with self._file:
            self._file.seek(0)
            payload = self._file.read()
        self._count(usage)
        if os.WIFSIGNALED(status):
            os.kill(os.getpid(), os.WTERMSIG(status))
            return False, RuntimeError(f"the forked work was killed by signal"
                                       f" {os.WTERMSIG(status)}")
        if not payload:
            return False, RuntimeError("the forked work exited with status"
                                       f" {os.waitstatus_to_exitcode(status)} and no result")
        ok, value, seconds, reached = pickle.loads(payload)
        for stage, spent in seconds.items():
            STAGE_SECONDS[stage] += spent
        testhooks.add_reached(reached)
        return ok, value


def start(function: Callable[[], T], kind: str = "work") -> Child[T]:
    """Start `function()` in a forked child and return at once (`Child.result()` waits): this
    process may go on with other work meanwhile, threads excepted (`can_fork`)."""
    for stream in (sys.stdout, sys.stderr):  # else the child's exit would write them twice
        stream.flush()
    # The result goes through a file, not a pipe: the child writes it and exits at once (its
    # memory freed) however long this process takes to come back for it.
    result_file = tempfile.TemporaryFile()  # noqa: SIM115 - the Child closes it
    try:
        child = os.fork()
    except BaseException:
        result_file.close()
        raise
    if child == 0:  # pragma: no cover - runs in the child, which never returns
        _run_child(function, result_file)
    return Child(child, result_file, kind)


def _run_child(function: Callable[[], object], result_file: BinaryIO
               ) -> None:  # pragma: no cover
    """Run `function`, write (ok, result or exception, stage seconds, crash points) to
    `result_file`, and exit without running the parent's cleanup (its connections, its
    atexit)."""
    if sys.platform.startswith("linux"):  # die with the parent, however it ends
        import ctypes

        ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    # The collector never walks the parent's objects: walking them would copy their pages.
    gc.freeze()
    seconds_before = dict(STAGE_SECONDS)
    reached_before = testhooks.reached_counts()
    try:
        outcome: tuple[bool, object] = (True, function())
    except BaseException as error:  # noqa: BLE001 - every failure goes back to the parent
        outcome = (False, error)
    seconds = {stage: spent - seconds_before.get(stage, 0.0)
               for stage, spent in STAGE_SECONDS.items()}
    reached = {point: count - reached_before.get(point, 0)
               for point, count in testhooks.reached_counts().items()}
    try:
        payload = pickle.dumps((*outcome, seconds, reached))
    except Exception:  # noqa: BLE001 - an unpicklable result or exception, told as text
        failure = outcome[1]
        text = ("".join(traceback.format_exception(failure))
                if isinstance(failure, BaseException) else "an unpicklable result")
        payload = pickle.dumps((False, RuntimeError(text), seconds, reached))
    result_file.write(payload)
    result_file.flush()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
