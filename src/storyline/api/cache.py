"""Whole answers kept per store version: what a page or an API call answered stays valid until the
store changes (see `store.StoreVersion`), and a little longer while it is remade (see
`ResponseCache`). Every GET through the cache is answered within a budget (see `ResponseCache`).
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from storyline.api.errors import wants_html
from storyline.api.overload import Lane

# Whole answers kept at most, and the largest one kept (a page or an API list).
RESPONSES_KEPT = 1024
LARGEST_RESPONSE_BYTES = 2 * 1024 * 1024
# Files have their own caching (ETag, If-None-Match), and answers that vary with the request.
UNCACHED_PREFIXES = ("/static/", "/docs-assets/")
STALE_HEADER = (b"x-storyline-stale", b"1")
LOG = logging.getLogger(__name__)


@dataclass
class _Answer:
    version: int
    made: float  # time.monotonic() when the request that made it read the store version
    start: Message
    body: bytes


# What the cache keeps (path, query string), and what a making is shared by: the same address
# and whether a browser asks for a page (`errors.wants_html`: its error answer is a page, an API
# client's is JSON).
_Key = tuple[str, bytes]
_Making = tuple[_Key, bool]


class LastUpload:
    """When the last upload through the server ended, on `time.monotonic()`'s clock (one
    clock for every process of the machine), in memory shared by the server's worker
    processes: it must exist before they are forked. An upload through any of them ends the
    stale replay of every answer made before it, in all of them."""

    def __init__(self) -> None:
        self._when = multiprocessing.Value("d", 0.0)

    def mark(self) -> None:
        with self._when.get_lock():
            self._when.value = max(self._when.value, time.monotonic())

    def __call__(self) -> float:
        return self._when.value


class ResponseCache:
    """Whole GET answers with status 200, replayed as they were sent (the security headers are
    added outside this middleware, on replays too), and a bound on every GET's answer time.

    An answer is fresh for the store version it was made from. Once the store has changed,
    the answer is still replayed, marked `X-Storyline-Stale: 1`, for up to its lane's
    `stale_seconds` after it was made, while one request of that lane at a time remakes an
    answer in the background (stale-while-revalidate). During an ingest every commit changes
    the version (several a second): without this, each commit turned every kept answer cold at
    once and each next request waited for its page to be made again, on cores the ingest
    shares. An answer older than that is made anew by the request, in its lane, unless that
    lane is full or another request is making it already: then the server is overloaded, and
    the older answer is replayed anyway (measured: with the bound kept strictly, requests that
    made their answer again took the interpreter from the event loop, and at 200 requests/s
    with 5 commits/s on a starved server half the requests went unanswered).

    The budget: an answer not made within `budget_seconds` of the request's arrival is not
    waited for. The request gets the older answer, marked stale, when one is kept, else
    `busy` (a 503 with Retry-After); the making goes on, and its answer is kept for the next
    request. Before, a timeline remade on a store the ingest had just changed answered 200
    after 5-11 s: late enough that the client had given up on it.

    A write through this server (an upload: any request but GET and HEAD) ends the grace for
    every answer made before it, in every worker process (see `LastUpload`): whoever uploads
    sees the upload on the next page.

    The home page, a filtered list or an event page costs tens of milliseconds of Python;
    visitors ask for the same few again and again, and the store changes far less often than
    they ask. Only the event loop's thread touches the table, so it needs no lock. Each worker
    process keeps its own table, keyed by its own view of the store version, which sees every
    process's commits."""

    def __init__(self, app: ASGIApp, version: Callable[[], int], lane_of: Callable[[str], Lane],
                 budget_seconds: float, busy: ASGIApp, last_upload: LastUpload,
                 size: int = RESPONSES_KEPT, largest: int = LARGEST_RESPONSE_BYTES) -> None:
        self.app = app
        self.version = version
        self.lane_of = lane_of
        self.budget_seconds = budget_seconds
        self.busy = busy
        self.last_upload = last_upload
        self.size = size
        self.largest = largest
        self._answers: OrderedDict[_Key, _Answer] = OrderedDict()
        # Answers being made (by a request or in the background), which a request for the same
        # one waits for instead of making it again; kept referenced until done, as asyncio
        # holds tasks only weakly.
        self._making: dict[_Making, asyncio.Task[_Answer]] = {}
        # Lanes with a background remake running (one each).
        self._remaking: set[int] = set()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["method"] not in ("GET", "HEAD"):
            await self._write(scope, receive, send)
            return
        if scope["method"] != "GET" or scope["path"].startswith(UNCACHED_PREFIXES):
            await self.app(scope, receive, send)
            return
        key = (scope["path"], scope["query_string"])
        version = self.version()
        arrived = time.monotonic()
        kept = self._answers.get(key)
        if kept is not None and kept.version == version:
            await self._replay(key, kept, send, stale=False)
            return
        if kept is not None and kept.made < self.last_upload():
            kept = None  # an upload since: the uploader must see it
        lane = self.lane_of(scope["path"])
        making = (key, wants_html(Request(scope)))
        if kept is not None and (arrived - kept.made <= lane.stale_seconds
                                 or making in self._making or lane.slots.locked()):
            # Within its grace, or overloaded (the bound on its age gives way here, see the
            # class comment): an older answer now beats a wait, a 503 or a page made twice.
            self._remake_in_background(making, lane, scope)
            await self._replay(key, kept, send, stale=True)
            return
        task = self._making.get(making) or self._make(making, scope, version, arrived)
        done, _ = await asyncio.wait({task}, timeout=self.budget_seconds)
        if done:
            answer = task.result()  # a failure raises here: a 500, without its details
            await send(answer.start)
            await send({"type": "http.response.body", "body": answer.body})
        elif kept is not None:
            await self._replay(key, kept, send, stale=True)
        else:
            await self.busy(scope, receive, send)

    async def _write(self, scope: Scope, receive: Receive, send: Send) -> None:
        """An upload (any request but GET and HEAD), marked in `last_upload` before its answer
        leaves, not once it is sent: the uploader's next request may reach another worker
        before this one runs again."""
        async def send_after_marking(message: Message) -> None:
            if message["type"] == "http.response.start":
                self.last_upload.mark()
            await send(message)

        try:
            await self.app(scope, receive, send_after_marking)
        finally:
            self.last_upload.mark()  # also a write that failed before answering

    async def _replay(self, key: _Key, kept: _Answer, send: Send, stale: bool) -> None:
        self._answers.move_to_end(key)
        start = kept.start
        if stale:
            start = {**start, "headers": [*start["headers"], STALE_HEADER]}
        await send(start)
        await send({"type": "http.response.body", "body": kept.body})

    def _remake_in_background(self, making: _Making, lane: Lane, scope: Scope) -> None:
        """Start remaking an answer, unless it is being made, the lane already remakes one,
        or the lane is full (its requests come first)."""
        if making in self._making or id(lane) in self._remaking or lane.slots.locked():
            return
        self._remaking.add(id(lane))
        task = self._make(making, scope, self.version(), time.monotonic())
        task.add_done_callback(lambda _: self._remaking.discard(id(lane)))

    def _make(self, making: _Making, scope: Scope, version: int, made: float
              ) -> asyncio.Task[_Answer]:
        """A task making the answer to `scope` on its own, apart from the request's connection
        (the request may stop waiting for it); it keeps the answer if it is a whole 200 of at
        most `largest` bytes."""
        task = asyncio.create_task(self._answer(making[0], {**scope, "state": {}}, version, made))
        self._making[making] = task
        task.add_done_callback(lambda done: self._made(making, done))
        return task

    async def _answer(self, key: _Key, scope: Scope, version: int, made: float) -> _Answer:
        delivered = False

        async def receive() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": b"", "more_body": False}
            await asyncio.Event().wait()  # no client to disconnect: wait until cancelled
            raise AssertionError("unreachable")

        start: Message = {}
        chunks: list[bytes] = []

        async def collect(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, collect)
        answer = _Answer(version, made, dict(start), b"".join(chunks))
        if answer.start.get("status") == 200 and len(answer.body) <= self.largest:
            self._keep(key, answer)
        return answer

    def _made(self, making: _Making, task: asyncio.Task[_Answer]) -> None:
        if self._making.get(making) is task:
            del self._making[making]
        if not task.cancelled() and (error := task.exception()) is not None:
            # Logged here, whether or not a request still waits for it (it answers 500).
            LOG.error("making %s failed", making[0][0], exc_info=error)

    def _keep(self, key: _Key, answer: _Answer) -> None:
        kept = self._answers.get(key)
        if kept is not None and kept.version > answer.version:
            return  # a slower request made an older answer than the one kept
        self._answers[key] = answer
        self._answers.move_to_end(key)
        while len(self._answers) > self.size:
            self._answers.popitem(last=False)
