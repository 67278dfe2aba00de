"""Whole answers kept per store version: what a page or an API call answered stays valid until the
store changes (see `store.StoreVersion`), and a little longer while it is remade (see
`ResponseCache`)."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

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


class ResponseCache:
    """Whole GET answers with status 200, replayed as they were sent (the security headers are
    added outside this middleware, on replays too).

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

    A write through this server (an upload: any request but GET and HEAD) ends the grace for
    every answer made before it: whoever uploads sees the upload on the next page.

    The home page, a filtered list or an event page costs tens of milliseconds of Python;
    visitors ask for the same few again and again, and the store changes far less often than
    they ask. Only the event loop's thread touches the table, so it needs no lock."""

    def __init__(self, app: ASGIApp, version: Callable[[], int], lane_of: Callable[[str], Lane],
                 size: int = RESPONSES_KEPT, largest: int = LARGEST_RESPONSE_BYTES) -> None:
        self.app = app
        self.version = version
        self.lane_of = lane_of
        self.size = size
        self.largest = largest
        self._answers: OrderedDict[tuple[str, bytes], _Answer] = OrderedDict()
        self._making: set[tuple[str, bytes]] = set()
        # Lanes with a background remake running (one each), and the tasks running them (kept
        # referenced until done, as asyncio holds tasks only weakly).
        self._remaking: set[int] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        # Answers made for an older version than this are not replayed stale (see above).
        self._no_stale_below = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["method"] not in ("GET", "HEAD"):
            try:
                await self.app(scope, receive, send)
            finally:
                self._no_stale_below = self.version()
            return
        if scope["method"] != "GET" or scope["path"].startswith(UNCACHED_PREFIXES):
            await self.app(scope, receive, send)
            return
        key = (scope["path"], scope["query_string"])
        version = self.version()
        now = time.monotonic()
        kept = self._answers.get(key)
        if kept is not None and kept.version == version:
            await self._replay(key, kept, send, stale=False)
            return
        lane = self.lane_of(scope["path"])
        if kept is not None and kept.version >= self._no_stale_below:
            if now - kept.made <= lane.stale_seconds:
                self._remake_in_background(key, lane, scope)
                await self._replay(key, kept, send, stale=True)
                return
            if key in self._making or lane.slots.locked():
                # Overloaded: an older answer now beats a wait, a 503 or the same page made
                # twice (the bound on its age gives way here, see the class comment).
                await self._replay(key, kept, send, stale=True)
                return
        self._making.add(key)
        try:
            await self.app(scope, receive, self._keeping(key, version, now, send))
        finally:
            self._making.discard(key)

    async def _replay(self, key: tuple[str, bytes], kept: _Answer, send: Send, stale: bool
                      ) -> None:
        self._answers.move_to_end(key)
        start = kept.start
        if stale:
            start = {**start, "headers": [*start["headers"], STALE_HEADER]}
        await send(start)
        await send({"type": "http.response.body", "body": kept.body})

    def _remake_in_background(self, key: tuple[str, bytes], lane: Lane, scope: Scope) -> None:
        """Start remaking `key`'s answer, unless it is being made, the lane already remakes
        one, or the lane is full (its requests come first)."""
        if key in self._making or id(lane) in self._remaking or lane.slots.locked():
            return
        self._remaking.add(id(lane))
        self._making.add(key)
        task = asyncio.create_task(self._remake(key, lane, {**scope, "state": {}}))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _remake(self, key: tuple[str, bytes], lane: Lane, scope: Scope) -> None:
        delivered = False

        async def receive() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": b"", "more_body": False}
            await asyncio.Event().wait()  # no client to disconnect: wait until cancelled
            raise AssertionError("unreachable")

        async def discard(message: Message) -> None:
            pass

        try:
            await self.app(scope, receive,
                           self._keeping(key, self.version(), time.monotonic(), discard))
        except Exception:
            # Nobody waits for this answer: log the failure; the stale one ages out and the
            # next request past its bound meets the error itself.
            LOG.exception("remaking %s failed", scope["path"])
        finally:
            self._making.discard(key)
            self._remaking.discard(id(lane))

    def _keeping(self, key: tuple[str, bytes], version: int, made: float, send: Send) -> Send:
        """`send`, keeping the answer it sends if it is a whole 200 of at most `largest`
        bytes."""
        start_message: Message = {}
        chunks: list[bytes] = []
        size = 0

        async def keeping_send(message: Message) -> None:
            nonlocal start_message, size
            if message["type"] == "http.response.start":
                start_message = message
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                size += len(chunks[-1])
                if (not message.get("more_body") and start_message.get("status") == 200
                        and size <= self.largest):
                    self._keep(key, _Answer(version, made, dict(start_message),
                                            b"".join(chunks)))
            await send(message)

        return keeping_send

    def _keep(self, key: tuple[str, bytes], answer: _Answer) -> None:
        kept = self._answers.get(key)
        if kept is not None and kept.version > answer.version:
            return  # a slower request made an older answer than the one kept
        self._answers[key] = answer
        self._answers.move_to_end(key)
        while len(self._answers) > self.size:
            self._answers.popitem(last=False)
