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
connection of its own, and sends its result back pickled; its exception is raised in the parent.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import sys
import threading
import traceback
from collections.abc import Callable
from typing import TypeVar

from storyline import testhooks
from storyline.timing import STAGE_SECONDS

T = TypeVar("T")
_PR_SET_PDEATHSIG = 1


def can_fork() -> bool:
    """Whether this process may fork its work: on Linux, with no other thread running (a fork
    copies only the calling thread; a lock another thread holds would never be released in the
    child)."""
    return sys.platform.startswith("linux") and threading.active_count() == 1


def call(function: Callable[[], T]) -> T:
    """`function()` run in a forked child: its result, or its exception raised here.

    What the child adds to this process's counters (`STAGE_SECONDS`, crash points reached) is
    added here too. A child killed by a signal (a crash test's SIGKILL, the OOM killer) ends
    this process by the same signal, as it would have ended it had the work run here."""
    for stream in (sys.stdout, sys.stderr):  # else the child's exit would write them twice
        stream.flush()
    reading, writing = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child, which never returns
        os.close(reading)
        _run_child(function, writing)
    os.close(writing)
    try:
        with os.fdopen(reading, "rb") as pipe:
            payload = pipe.read()
        _, status = os.waitpid(child, 0)
    except BaseException:
        os.kill(child, signal.SIGKILL)
        os.waitpid(child, 0)
        raise
    if os.WIFSIGNALED(status):
        os.kill(os.getpid(), os.WTERMSIG(status))
        raise RuntimeError(f"the forked work was killed by signal {os.WTERMSIG(status)}")
    if not payload:
        raise RuntimeError(f"the forked work exited with status {os.waitstatus_to_exitcode(status)}"
                           " and no result")
    ok, value, seconds, reached = pickle.loads(payload)
    for stage, spent in seconds.items():
        STAGE_SECONDS[stage] += spent
    testhooks.add_reached(reached)
    if not ok:
        raise value
    return value


def _run_child(function: Callable[[], object], writing: int) -> None:  # pragma: no cover
    """Run `function`, write (ok, result or exception, stage seconds, crash points) to
    `writing`, and exit without running the parent's cleanup (its connections, its atexit)."""
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
    with os.fdopen(writing, "wb") as pipe:
        pipe.write(payload)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
