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

A child forked from this process starts with all of it: a forked child's resident set counts
every page of its parent's it can reach, so the bench's update children, forked from a process
holding the ingest's models (the language model, the gazetteer, spaCy, 361-375 MiB in all with
the fast profile), peaked at that plus the update's working set, though an update uses none of
those models. A `Zygote` is a small process of its own (a fresh interpreter that loads only
what the work needs) that forks the children instead: `start(..., zygote=)`.
"""

from __future__ import annotations

import gc
import os
import pickle
import resource
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import traceback
from collections.abc import Callable
from functools import partial
from typing import BinaryIO, Generic, TypeVar, cast

from storyline import testhooks
from storyline.timing import STAGE_SECONDS, count_descendants

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


def call(function: Callable[[], T], kind: str = "work", zygote: Zygote | None = None) -> T:
    """`function()` run in a forked child (forked from `zygote`, if given: `start`): its
    result, or its exception raised here.

    What the child adds to this process's counters (`STAGE_SECONDS`, crash points reached) is
    added here too. A child killed by a signal (a crash test's SIGKILL, the OOM killer) ends
    this process by the same signal, as it would have ended it had the work run here."""
    return start(function, kind, zygote).result()


class Child(Generic[T]):
    """Work running in a forked child while this process goes on: `result()` waits for it."""

    def __init__(self, pid: int, result_file: BinaryIO, kind: str = "work",
                 zygote: Zygote | None = None) -> None:
        self.pid = pid
        self.kind = kind
        self._file = result_file
        self._zygote = zygote  # the child's parent, when it is not this process
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
            self._file.close()
            self._outcome = (False, RuntimeError("the forked work was cancelled"))
            try:
                self._count(*self._reap())
            except ZygoteError:  # its zygote died too: nothing is left to wait for
                pass

    def _reap(self) -> tuple[int, float, int]:
        """Wait for the child's end: its wait status, CPU seconds and peak RSS (KiB)."""
        if self._zygote is not None:
            return self._zygote.reap(self.pid)
        _, status, usage = os.wait4(self.pid, 0)
        return status, usage.ru_utime + usage.ru_stime, usage.ru_maxrss

    def _count(self, _status: int, cpu_seconds: float, peak_kib: int) -> None:
        self.cpu_seconds = cpu_seconds
        # ru_maxrss is in KiB on Linux (the only system `can_fork` allows).
        PEAK_RSS_MIB[self.kind] = max(PEAK_RSS_MIB.get(self.kind, 0.0), peak_kib / 1024)

    def _wait(self) -> tuple[bool, object]:
        try:
            ended = self._reap()
        except ZygoteError as error:
            self._file.close()
            return False, RuntimeError(f"the forked work was lost: {error}")
        except BaseException:
            self.cancel()
            raise
        with self._file:
            self._file.seek(0)
            payload = self._file.read()
        self._count(*ended)
        status = ended[0]
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


def start(function: Callable[[], T], kind: str = "work", zygote: Zygote | None = None
          ) -> Child[T]:
    """Start `function()` in a forked child and return at once (`Child.result()` waits): this
    process may go on with other work meanwhile, threads excepted (`can_fork`).

    With a `zygote` the child is forked from it (`function` is pickled there: a function of a
    module, with picklable arguments); where the zygote cannot start or take the work, this
    process forks the child, and says why on stderr."""
    for stream in (sys.stdout, sys.stderr):  # else the child's exit would write them twice
        stream.flush()
    # The result goes through a file, not a pipe: the child writes it and exits at once (its
    # memory freed) however long this process takes to come back for it.
    result_file = tempfile.TemporaryFile()  # noqa: SIM115 - the Child closes it
    if zygote is not None:
        try:
            return Child(zygote.fork(function, result_file), result_file, kind, zygote)
        except ZygoteError as error:
            print(f"storyline: {error}; forking this process instead", file=sys.stderr)
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
    _die_with_parent()
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


def _die_with_parent() -> None:  # pragma: no cover - runs in children
    """Have Linux kill this process when its parent ends, however it ends."""
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


class ZygoteError(RuntimeError):
    """The zygote could not start, or died: what it was doing is lost."""


class Zygote:
    """A small process that forks children for this one (`start(..., zygote=)`).

    It is a fresh interpreter, started on first use, which runs `prepare` (what every child
    will need: imports, a model) and then, for each `fork`, forks a child that runs the
    function and writes its outcome to this process's result file, waits for it and sends back
    its wait status, CPU seconds and peak RSS. It serves one child at a time, and takes this
    process's environment, `sys.path` and working directory as they are when it starts. It
    holds no connection of this process's (SQLite's included): it never had any. It ends with
    this process (`close`, or Linux's parent-death signal); a child ends with it.
    A zygote found dead is started again at the next `fork`."""

    def __init__(self, prepare: Callable[[], object] | None = None) -> None:
        self.prepare = prepare
        self._process: subprocess.Popen[bytes] | None = None
        self._socket: socket.socket | None = None
        # CPU seconds of the zygote's (its own, as of its last report) and of its children's,
        # counted by `timing.count_descendants` while the zygote is not waited for.
        self._own_cpu = 0.0
        self._counted = 0.0
        self._child: int | None = None  # the child forked and not yet reaped

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def fork(self, function: Callable[[], object], result_file: BinaryIO) -> int:
        """Have a child forked from the zygote run `function()`, its outcome written to
        `result_file` as `start`'s child writes it; the child's pid."""
        try:
            payload = pickle.dumps(function)
        except Exception as error:  # noqa: BLE001 - told as the reason to fork here instead
            raise ZygoteError(f"the work cannot go to the zygote: {error}") from None
        if self._child is not None:
            raise ZygoteError(f"the zygote still runs child {self._child}")
        connection = self._running()
        try:
            socket.send_fds(connection, [struct.pack("!Q", len(payload))], [result_file.fileno()])
            connection.sendall(payload)
            self._child = cast(int, _receive(connection))
        except (OSError, EOFError) as error:
            raise self._died(error) from None
        return self._child

    def reap(self, pid: int) -> tuple[int, float, int]:
        """Wait for the child `pid` (forked by `fork`, the last one): its wait status, CPU
        seconds and peak RSS (KiB)."""
        if self._socket is None or self._child != pid:
            raise ZygoteError(f"the zygote that forked child {pid} was closed")
        try:
            status, cpu, peak, own_cpu = cast(tuple[int, float, int, float],
                                              _receive(self._socket))
        except (OSError, EOFError) as error:
            raise self._died(error) from None
        self._child = None
        # Counted as this process's until the zygote is waited for (`timing.cpu_seconds`).
        spent = cpu + own_cpu - self._own_cpu
        count_descendants(spent)
        self._counted += spent
        self._own_cpu = own_cpu
        return status, cpu, peak

    def close(self) -> None:
        """End the zygote (and a child it runs)."""
        if self._socket is not None:
            self._socket.close()
            self._socket = None
        if self._process is not None:
            # Killed, not asked: this process's forked children (ingest workers) hold its
            # socket too, so the zygote would not see it closed.
            self._process.kill()
            self._process.wait()
            self._process = self._child = None
            count_descendants(-self._counted)  # now in this process's children's usage
            self._own_cpu = self._counted = 0.0

    def _running(self) -> socket.socket:
        if self._process is not None and self._process.poll() is None and self._socket:
            return self._socket
        self.close()
        ours, its = socket.socketpair()
        with its:
            self._process = subprocess.Popen(
                [sys.executable, "-c", "from storyline.forked import _zygote; _zygote()",
                 str(its.fileno()), str(os.getpid())],
                stdin=subprocess.DEVNULL, pass_fds=(its.fileno(),))
        self._socket = ours
        try:
            _send(ours, (sys.path, self.prepare))
            ok, failure = cast(tuple[bool, str], _receive(ours))
        except (OSError, EOFError, pickle.PicklingError) as error:
            raise self._died(error) from None
        if not ok:
            self.close()
            raise ZygoteError(f"the zygote could not prepare: {failure}")
        return ours

    def _died(self, error: BaseException) -> ZygoteError:
        process = self._process
        self.close()
        status = process.returncode if process is not None else None
        return ZygoteError(f"the zygote process ended (exit status {status}: {error})")


def _send(connection: socket.socket, value: object) -> None:
    payload = pickle.dumps(value)
    connection.sendall(struct.pack("!Q", len(payload)) + payload)


def _receive(connection: socket.socket) -> object:
    return pickle.loads(_read(connection, struct.unpack("!Q", _read(connection, 8))[0]))


def _read(connection: socket.socket, size: int) -> bytes:
    data = bytearray()
    while len(data) < size:
        chunk = connection.recv(size - len(data))
        if not chunk:
            raise EOFError("the other end closed the socket")
        data += chunk
    return bytes(data)


def _zygote() -> None:  # pragma: no cover - runs in the zygote process
    """The zygote's main loop (`Zygote`): argv holds its socket's descriptor and its parent's
    pid."""
    connection = socket.socket(fileno=int(sys.argv[1]))
    _die_with_parent()
    if os.getppid() != int(sys.argv[2]):  # the parent ended before prctl took effect
        os._exit(1)
    # Ctrl-C reaches the whole process group: the parent decides what ends, not the zygote.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        path, prepare = cast(tuple[list[str], Callable[[], object] | None], _receive(connection))
        sys.path[:] = path
        if prepare is not None:
            prepare()
        _send(connection, (True, ""))
    except EOFError:
        os._exit(0)
    except BaseException as error:  # noqa: BLE001 - told to the parent, which forks itself
        _send(connection, (False, "".join(traceback.format_exception_only(error)).strip()))
        os._exit(1)
    while True:
        try:
            header, fds, _, _ = socket.recv_fds(connection, 8, 1)
            if not header:
                raise EOFError("the parent closed the socket")
            header += _read(connection, 8 - len(header))
            payload = _read(connection, struct.unpack("!Q", header)[0])
        except EOFError:
            os._exit(0)
        result_file = os.fdopen(fds[0], "w+b")
        child = os.fork()
        if child == 0:
            connection.close()
            signal.signal(signal.SIGINT, signal.default_int_handler)
            _run_child(partial(_unpickled_call, payload), result_file)
        result_file.close()
        _send(connection, child)
        _, status, usage = os.wait4(child, 0)
        own = resource.getrusage(resource.RUSAGE_SELF)
        _send(connection, (status, usage.ru_utime + usage.ru_stime, usage.ru_maxrss,
                           own.ru_utime + own.ru_stime))


def _unpickled_call(payload: bytes) -> object:  # pragma: no cover - runs in a zygote's child
    return pickle.loads(payload)()
