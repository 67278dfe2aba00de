"""Timelines computed in processes of their own, at background priority, so that the server's
cheap pages never wait for them.

A timeline costs about a CPU-second of Python (loading up to 2,000 reports and scoring their
sentences). In the server's process it held the interpreter half the time while it ran: beside
an ingest, which changes the store several times a second, kept timelines were remade one after
another without end, and every home, event and article page waited its turn for the
interpreter behind them (p95 145-183 ms at 200 requests/s, docs/benchmarks.md). In a process of
their own they take no turn from the pages, and at the bulk commands' nice value (see
`storyline.priority`) the kernel gives the server's own process the CPU first, as it does
against an ingest.

A process is started at the first job (a server never asked for a timeline starts none) and
kept for the next; it reads the store on a connection of its own, each job in one snapshot (see
`store.Store.snapshot`). One that dies is replaced at the next job; they all end when the
server's process does, however that ends: each waits for jobs on a pipe whose other end only
the server holds.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any, TypeVar

from storyline.priority import lower_priority
from storyline.service.capacity import Overloaded
from storyline.store import Store

T = TypeVar("T")

# How long a stopping server waits for a process to end before it kills it.
STOP_SECONDS = 2.0


class Offload:
    """Runs jobs, picklable callables taking a `Store`, in processes on the store at
    `db_path`, at nice value `niceness`: one process per job running at once (callers bound
    how many, see `service.capacity.ComputePool`)."""

    def __init__(self, db_path: str | Path, niceness: int) -> None:
        self.db_path = str(db_path)
        self.niceness = niceness
        self._idle: list[tuple[BaseProcess, Connection]] = []
        self._all: list[tuple[BaseProcess, Connection]] = []
        self._lock = threading.Lock()

    def __call__(self, job: Callable[[Store], T]) -> T:
        worker = self._take()
        connection = worker[1]
        try:
            connection.send(job)
            done, value = connection.recv()
        except (EOFError, OSError):
            # Killed (out of memory, by hand): the next job starts another.
            self._drop(worker)
            raise Overloaded("the timeline process stopped; retry in a moment") from None
        with self._lock:
            self._idle.append(worker)
        if not done:
            raise value
        return value  # type: ignore[no-any-return]

    def _take(self) -> tuple[BaseProcess, Connection]:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        # Spawned, not forked: the server has threads (and their locks) by now.
        context = multiprocessing.get_context("spawn")
        ours, theirs = context.Pipe()
        process = context.Process(target=_serve, args=(theirs, self.db_path, self.niceness),
                                  name="storyline-offload", daemon=True)
        process.start()
        theirs.close()  # the process holds the only other end: it sees EOF when we end
        worker = (process, ours)
        with self._lock:
            self._all.append(worker)
        return worker

    def _drop(self, worker: tuple[BaseProcess, Connection]) -> None:
        with self._lock:
            if worker in self._all:
                self._all.remove(worker)
        _stop(*worker)

    def close(self) -> None:
        """End every process (a job in hand is dropped)."""
        with self._lock:
            workers, self._all, self._idle = self._all, [], []
        for worker in workers:
            _stop(*worker)


def _stop(process: BaseProcess, connection: Connection) -> None:
    connection.close()  # an idle process ends at once
    process.join(STOP_SECONDS)
    if process.is_alive():
        process.kill()
        process.join()


def _serve(connection: Connection, db_path: str, niceness: int) -> None:
    """An offload process: jobs in, (done, result or exception) out, until the pipe closes."""
    lower_priority(niceness)
    store = Store(db_path)
    while True:
        try:
            job = connection.recv()
        except EOFError:
            return
        answer: tuple[bool, Any]
        try:
            with store.snapshot():
                answer = (True, job(store))
        except Exception as error:  # noqa: BLE001 - the server answers it as if computed there
            answer = (False, error)
        try:
            connection.send(answer)
        except OSError:
            return
