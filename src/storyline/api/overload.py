"""Graceful overload: bounded work, and a fast 503 with Retry-After instead of a timeout.

Two bounds, both refusing rather than queueing without end:

- `AdmissionControl` (ASGI middleware) lets at most a fixed number of requests run at once per
  lane and lets each wait a bounded time for its turn. Timelines and searches have a lane of
  their own, so a burst of them never delays the home, event and article pages.
- `ComputePool` bounds the expensive computations themselves (a timeline, a semantic search, a
  cold brief) to a few at once: a request needing one while all are busy is refused at once.
  The server is one Python process, so a computation in a thread takes the interpreter from the
  cheap pages; a bound of one leaves them at least half of it.

A refused request is a 503 with `Retry-After`: JSON under /api/, the HTML error page otherwise.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

T = TypeVar("T")

RETRY_AFTER_SECONDS = 1
# Paths whose work is a timeline or a search: their lane is separate from every other page's.
EXPENSIVE_PATHS = re.compile(r"^/(api/)?(timeline|search)/?$|^/storylines/[^/]+/timeline/?$")


class Overloaded(Exception):
    """No capacity for this request now (HTTP 503 with Retry-After)."""

    def __init__(self, message: str, retry_after: int = RETRY_AFTER_SECONDS) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def is_locked_store(error: BaseException) -> bool:
    """SQLite gave up waiting for another connection's lock (after its busy timeout)."""
    return isinstance(error, sqlite3.OperationalError) and (
        "locked" in str(error) or "busy" in str(error))


def overloaded_response(request: Request, message: str,
                        retry_after: int = RETRY_AFTER_SECONDS) -> Response:
    """The 503: JSON under /api/ (and for non-browser clients), the HTML error page otherwise."""
    # Imported here: the error module imports the server context, which imports this one.
    from storyline.api.errors import error_response, wants_html

    response: Response
    if wants_html(request):
        from storyline.web.pages import render

        response = render(request, "error.html", status=503, title="Busy, try again",
                          message=message)
    else:
        response = error_response(503, "overloaded", message)
    response.headers["Retry-After"] = str(retry_after)
    return response


class ComputePool:
    """At most `workers` expensive computations at once; a caller finding them all busy waits
    at most `wait_seconds`, then gets `Overloaded`."""

    def __init__(self, workers: int = 1, wait_seconds: float = 0.25) -> None:
        if workers < 1:
            raise ValueError("a compute pool needs at least one worker")
        self.workers = workers
        self.wait_seconds = wait_seconds
        self._slots = threading.BoundedSemaphore(workers)

    def run(self, compute: Callable[[], T], what: str) -> T:
        if not self._slots.acquire(timeout=self.wait_seconds):
            raise Overloaded(f"the server is busy computing other {what}s; retry in a moment")
        try:
            return compute()
        finally:
            self._slots.release()


class VersionedCache(Generic[T]):
    """Results keyed by request, valid for one store version: a newer version empties it.

    Bounded (least recently used out), so varied queries cannot grow it without end."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._version: int | None = None
        self._items: OrderedDict[object, T] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: object, version: int) -> T | None:
        with self._lock:
            if version != self._version:
                self._items.clear()
                self._version = version
                return None
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
            return None

    def put(self, key: object, version: int, value: T) -> None:
        with self._lock:
            if version != self._version:
                # Computed on a store that has changed since: not worth keeping.
                return
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def get_or_compute(self, key: object, version: int, compute: Callable[[], T]) -> T:
        found = self.get(key, version)
        if found is None:
            found = compute()
            self.put(key, version, found)
        return found


@dataclass
class Lane:
    """Requests of one kind: `concurrency` at once, each waiting at most `wait_seconds`."""

    concurrency: int
    wait_seconds: float

    def __post_init__(self) -> None:
        self.slots = asyncio.Semaphore(self.concurrency)


class AdmissionControl:
    """Refuse (503, Retry-After) a request that cannot start within its lane's wait bound,
    instead of letting an unbounded queue build up inside the server."""

    def __init__(self, app: ASGIApp, cheap: Lane, expensive: Lane) -> None:
        self.app = app
        self.cheap = cheap
        self.expensive = expensive

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        lane = self.expensive if EXPENSIVE_PATHS.match(scope["path"]) else self.cheap
        try:
            async with asyncio.timeout(lane.wait_seconds):
                await lane.slots.acquire()
        except TimeoutError:
            response = overloaded_response(
                Request(scope), "the server has more requests than it can answer; retry in a "
                "moment")
            await response(scope, receive, send)
            return
        try:
            await self.app(scope, receive, send)
        finally:
            lane.slots.release()


def install_overload_handlers(app: FastAPI) -> None:
    """`Overloaded`, and a store locked by another writer past the busy timeout, answer 503."""

    @app.exception_handler(Overloaded)
    async def overloaded(request: Request, error: Overloaded) -> Response:
        return overloaded_response(request, str(error), error.retry_after)

    @app.exception_handler(sqlite3.OperationalError)
    async def store_error(request: Request, error: sqlite3.OperationalError) -> Response:
        if not is_locked_store(error):
            raise error
        return overloaded_response(
            request, "the store is busy with another writer; retry in a moment")
