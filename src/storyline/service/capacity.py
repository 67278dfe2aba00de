"""Bounded work for the server's service layer: at most a few expensive computations at once,
results cached per store version, and `Overloaded` when there is no capacity now (the API and the
web pages answer it with a 503 and Retry-After, see `storyline.api.overload`)."""

from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")

RETRY_AFTER_SECONDS = 1


class Overloaded(Exception):
    """No capacity for this request now (HTTP 503 with Retry-After)."""

    def __init__(self, message: str, retry_after: int = RETRY_AFTER_SECONDS) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def is_locked_store(error: BaseException) -> bool:
    """SQLite gave up waiting for another connection's lock (after its busy timeout)."""
    return isinstance(error, sqlite3.OperationalError) and (
        "locked" in str(error) or "busy" in str(error))


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
