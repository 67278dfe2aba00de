"""Whole answers kept per store version: what a page or an API call answered stays valid until the
store changes (see `store.StoreVersion`)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Whole answers kept at most, and the largest one kept (a page or an API list).
RESPONSES_KEPT = 1024
LARGEST_RESPONSE_BYTES = 2 * 1024 * 1024
# Files have their own caching (ETag, If-None-Match), and answers that vary with the request.
UNCACHED_PREFIXES = ("/static/", "/docs-assets/")


class ResponseCache:
    """Whole GET answers with status 200, replayed as they were sent (the security headers are
    added outside this middleware, on replays too).

    An answer is fresh for the store version it was made from. When the store has changed
    since, the request is answered anew; only while its lane is full (`busy`), or while
    another request is already making the new answer, is the older one replayed instead,
    marked `X-Storyline-Stale: 1` -- during a long ingest every commit changes the version, and
    a page a few commits old beats a 503, a queue or the same page computed twenty times.

    The home page, a filtered list or an event page costs tens of milliseconds of Python;
    visitors ask for the same few again and again, and the store changes far less often than
    they ask. Only the event loop's thread touches the table, so it needs no lock."""

    def __init__(self, app: ASGIApp, version: Callable[[], int], busy: Callable[[str], bool],
                 size: int = RESPONSES_KEPT, largest: int = LARGEST_RESPONSE_BYTES) -> None:
        self.app = app
        self.version = version
        self.busy = busy
        self.size = size
        self.largest = largest
        self._answers: OrderedDict[tuple[str, bytes], tuple[int, Message, bytes]] = OrderedDict()
        self._making: set[tuple[str, bytes]] = set()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (scope["type"] != "http" or scope["method"] != "GET"
                or scope["path"].startswith(UNCACHED_PREFIXES)):
            await self.app(scope, receive, send)
            return
        key = (scope["path"], scope["query_string"])
        version = self.version()
        kept = self._answers.get(key)
        if kept is not None and (kept[0] == version or key in self._making
                                 or self.busy(scope["path"])):
            self._answers.move_to_end(key)
            _, start, body = kept
            if kept[0] != version:
                start = {**start, "headers": [*start["headers"], (b"x-storyline-stale", b"1")]}
            await send(start)
            await send({"type": "http.response.body", "body": body})
            return
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
                    self._keep(key, (version, dict(start_message), b"".join(chunks)))
            await send(message)

        self._making.add(key)
        try:
            await self.app(scope, receive, keeping_send)
        finally:
            self._making.discard(key)

    def _keep(self, key: tuple[str, bytes], answer: tuple[int, Message, bytes]) -> None:
        self._answers[key] = answer
        self._answers.move_to_end(key)
        while len(self._answers) > self.size:
            self._answers.popitem(last=False)
