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
from dataclasses import dataclass

from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from storyline.api.errors import ErrorPage, error_response, wants_html
from storyline.service.capacity import RETRY_AFTER_SECONDS, Overloaded, is_locked_store

# Paths whose work is a timeline or a search: their lane is separate from every other page's.
EXPENSIVE_PATHS = re.compile(r"^/(api/)?(timeline|search)/?$|^/storylines/[^/]+/timeline/?$")


def overloaded_response(request: Request, message: str, error_page: ErrorPage,
                        retry_after: int = RETRY_AFTER_SECONDS) -> Response:
    """The 503: JSON under /api/ (and for non-browser clients), the HTML error page otherwise."""
    response: Response
    if wants_html(request):
        response = error_page(request, 503, "Busy, try again", message)
    else:
        response = error_response(503, "overloaded", message)
    response.headers["Retry-After"] = str(retry_after)
    return response


def late_answer(error_page: ErrorPage) -> ASGIApp:
    """The 503 for a request whose answer was not made within the server's answer budget (see
    `api.cache.ResponseCache`)."""

    async def answer(scope: Scope, receive: Receive, send: Send) -> None:
        response = overloaded_response(
            Request(scope), "this answer is taking longer than the server allows; it goes on "
            "being made: retry in a moment", error_page)
        await response(scope, receive, send)

    return answer


@dataclass
class Lane:
    """Requests of one kind: `concurrency` at once, each waiting at most `wait_seconds`; a kept
    answer of theirs is replayed up to `stale_seconds` after the store changed under it (see
    `api.cache.ResponseCache`)."""

    concurrency: int
    wait_seconds: float
    stale_seconds: float = 0.0

    def __post_init__(self) -> None:
        self.slots = asyncio.Semaphore(self.concurrency)


def lane_for(path: str, cheap: Lane, expensive: Lane) -> Lane:
    return expensive if EXPENSIVE_PATHS.match(path) else cheap


class AdmissionControl:
    """Refuse (503, Retry-After) a request that cannot start within its lane's wait bound,
    instead of letting an unbounded queue build up inside the server."""

    def __init__(self, app: ASGIApp, cheap: Lane, expensive: Lane, error_page: ErrorPage
                 ) -> None:
        self.app = app
        self.error_page = error_page
        self.cheap = cheap
        self.expensive = expensive

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # Reads only: uploads are bounded by the ingest rate limit and take the one writer path
        # in turn (a lane slot held for a whole ingest would cost the readers a quarter of
        # theirs, and parallel uploads waiting for the writer were refused after 1 s).
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        lane = lane_for(scope["path"], self.cheap, self.expensive)
        try:
            async with asyncio.timeout(lane.wait_seconds):
                await lane.slots.acquire()
        except TimeoutError:
            response = overloaded_response(
                Request(scope), "the server has more requests than it can answer; retry in a "
                "moment", self.error_page)
            await response(scope, receive, send)
            return
        try:
            await self.app(scope, receive, send)
        finally:
            lane.slots.release()


def install_overload_handlers(app: FastAPI, error_page: ErrorPage) -> None:
    """`Overloaded`, and a store locked by another writer past the busy timeout, answer 503
    (browsers get `error_page`, the web UI's, passed in by the server)."""

    @app.exception_handler(Overloaded)
    async def overloaded(request: Request, error: Overloaded) -> Response:
        return overloaded_response(request, str(error), error_page, error.retry_after)

    @app.exception_handler(sqlite3.OperationalError)
    async def store_error(request: Request, error: sqlite3.OperationalError) -> Response:
        if not is_locked_store(error):
            raise error
        return overloaded_response(
            request, "the store is busy with another writer; retry in a moment", error_page)
