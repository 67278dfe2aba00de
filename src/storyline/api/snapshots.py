"""One read snapshot per request: every query a GET answer makes sees the store as one moment
(see `store.Store.snapshot`), on a read connection of its own, so a page never shows half of
an event update and readers never queue behind the writer or each other."""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from storyline.store import Store


class ReadSnapshots:
    """GET and HEAD requests read `store` through a snapshot; the others (uploads) write
    through its read-write connection."""

    def __init__(self, app: ASGIApp, store: Store) -> None:
        self.app = app
        self.store = store

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        with self.store.snapshot():
            await self.app(scope, receive, send)
