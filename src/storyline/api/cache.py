"""Whole answers kept per store version: what a page or an API call answered stays valid until the
store changes (see `store.StoreVersion`), then all of it is dropped at once."""

from __future__ import annotations

from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from storyline.service.capacity import VersionedCache

# Whole answers kept at most, and the largest one kept (a page or an API list).
RESPONSES_KEPT = 1024
LARGEST_RESPONSE_BYTES = 2 * 1024 * 1024
# Files have their own caching (ETag, If-None-Match), and answers that vary with the request.
UNCACHED_PREFIXES = ("/static/", "/docs-assets/")


class ResponseCache:
    """Whole GET answers with status 200, kept for one store version and replayed as they were
    sent (the security headers are added outside this middleware, on replays too).

    The home page, a filtered list or an event page costs tens of milliseconds of Python;
    visitors ask for the same few again and again, and the store changes far less often than
    they ask."""

    def __init__(self, app: ASGIApp, version: Callable[[], int], size: int = RESPONSES_KEPT,
                 largest: int = LARGEST_RESPONSE_BYTES) -> None:
        self.app = app
        self.version = version
        self.largest = largest
        self._answers: VersionedCache[tuple[Message, bytes]] = VersionedCache(size)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (scope["type"] != "http" or scope["method"] != "GET"
                or scope["path"].startswith(UNCACHED_PREFIXES)):
            await self.app(scope, receive, send)
            return
        key = (scope["path"], scope["query_string"])
        version = self.version()
        kept = self._answers.get(key, version)
        if kept is not None:
            start, body = kept
            await send(dict(start))
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
                    self._answers.put(key, version, (dict(start_message), b"".join(chunks)))
            await send(message)

        await self.app(scope, receive, keeping_send)
