"""The server: REST API (/api, OpenAPI at /openapi.json, docs at /docs) and web UI in one process.

The one place the app is built: `storyline.api` (JSON routes) and `storyline.web` (pages) both sit
on `storyline.service` and never import each other."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from storyline import __version__
from storyline.api.cache import LastUpload, ResponseCache
from storyline.api.errors import error_response, install_error_handlers
from storyline.api.guard import IngestGuard, TokenBuckets
from storyline.api.openapi30 import as_openapi_30
from storyline.api.origin import SameOriginOnly, trusted_host_names
from storyline.api.overload import (
    AdmissionControl,
    Lane,
    install_overload_handlers,
    lane_for,
    late_answer,
)
from storyline.api.routes import router as api_router
from storyline.api.snapshots import ReadSnapshots
from storyline.api.status import router as status_router
from storyline.config import PipelineConfig
from storyline.priority import background_niceness
from storyline.service.capacity import ComputePool
from storyline.service.context import ServerContext
from storyline.service.offload import Offload
from storyline.store import Store, StoreVersion
from storyline.web.pages import install_pages, render_error_page

MAX_REQUEST_BYTES = 20 * 1024 * 1024
# Requests running at once (the rest wait at most REQUEST_WAIT_SECONDS, then get a 503). Handlers
# run in threads of one Python process: more threads only split the interpreter between them and
# starve the event loop that parses requests and replays cached answers (with 16, under load, a
# cached page waited 17 s).
CHEAP_CONCURRENCY = 4
# Timelines and searches running at once, in their own lane (most are answered from the cache).
EXPENSIVE_CONCURRENCY = 2
REQUEST_WAIT_SECONDS = 1.0
# How long a handler thread may hold the interpreter while the event loop waits for it (Python's
# default is 5 ms). The event loop gives the interpreter up at every socket read and write and
# must win it back each time: with a handler computing a page, each of those waited up to the
# whole interval, several per request, and at 200 requests/s the loop spent most of its time
# waiting (py-spy: a third of its samples in the socket write of replayed answers) while the
# answers themselves cost about a millisecond.
SWITCH_INTERVAL_SECONDS = 0.0005
# How long after it was made an answer may still be replayed once the store has changed, while
# it is made anew in the background (see `api.cache.ResponseCache`): a few seconds for pages and
# lists, longer for timelines and searches, whose remaking costs up to seconds of CPU each.
STALE_SECONDS = 5.0
EXPENSIVE_STALE_SECONDS = 30.0
# How long a GET request waits for its answer to be made before it gets an older one (marked
# stale) or a 503 with Retry-After instead (see `api.cache.ResponseCache`): the bound is
# 2 s at the client, which also counts its wait for a connection and the transfer.
ANSWER_SECONDS = 1.5

# Article text is untrusted: no inline script, no third-party anything, no framing.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
# Swagger UI's page boots with an inline script; it shows no article text, only the schema.
DOCS_CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self'; "
    "img-src 'self' data:; connect-src 'self'; base-uri 'none'; frame-ancestors 'none'"
)


class RequestLimits:
    """Refuse bodies above `max_bytes` (413) by header and by counting what actually arrives."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await self._refuse(scope, receive, send)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_bytes:
                raise _TooLarge
            return message

        try:
            await self.app(scope, counting_receive, send)
        except _TooLarge:
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = error_response(
            413, "request_too_large", f"request body larger than {self.max_bytes} bytes"
        )
        await response(scope, receive, send)


class _TooLarge(Exception):
    pass


class SecurityHeaders:
    """Add the security headers to every response, errors included.

    Outermost of our middleware, so the 413 of `RequestLimits` gets them too. An unhandled
    exception is answered here (JSON 500, code `internal_error`, with the headers) before it goes
    on to Starlette's outer error middleware, which only logs it once a response has started.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        policy = DOCS_CONTENT_SECURITY_POLICY if scope["path"] == "/docs" else CONTENT_SECURITY_POLICY

        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = list(message.get("headers", []))
                headers += [
                    (b"content-security-policy", policy.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"x-frame-options", b"DENY"),
                ]
                # A new message: the one passed in may be kept (the response cache replays it),
                # and headers added to it in place piled up on every replay.
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            if not started:
                response = error_response(500, "internal_error", "internal server error")
                await response(scope, receive, send_with_headers)
            raise


def create_app(db_path: str | Path, **options: Any) -> FastAPI:
    """The server's app, in this process (see `app_factory` for `options`)."""
    return app_factory(db_path, **options)()


def app_factory(
    db_path: str | Path, ingest_dir: str | Path | None = None,
    max_request_bytes: int = MAX_REQUEST_BYTES,
    bind_host: str = "127.0.0.1", allowed_hosts: Iterable[str] = (),
    token: str | None = None, ingests_per_minute: float = 60, ingest_burst: int = 30,
    compute_workers: int = 1, concurrency: int = CHEAP_CONCURRENCY,
    config: PipelineConfig | None = None,
    stale_seconds: float = STALE_SECONDS, expensive_stale_seconds: float = EXPENSIVE_STALE_SECONDS,
    answer_seconds: float = ANSWER_SECONDS, offload_timelines: bool = True,
) -> Callable[[], FastAPI]:
    """A builder of the server's app: what the server's worker processes share (the ingest
    rate limit, when the last upload ended) is made now, before they are forked; each call
    builds an app with its own store connections and caches (in each worker, after the fork).

    `bind_host` and `allowed_hosts` are the names the Host header may carry besides IP
    addresses, localhost and the machine's name (see `api.origin`). With a `token`, ingest
    needs it as a bearer token; each client may ingest `ingest_burst` times at once, then
    `ingests_per_minute` (see `api.guard`), whichever worker it reaches. At most
    `compute_workers` timelines, searches and cold briefs are computed at once and
    `concurrency` other requests run at once (per worker); beyond that requests get a 503 with
    Retry-After (see `api.overload`). Once the store changes, a kept answer is replayed for up
    to `stale_seconds` after it was made (`expensive_stale_seconds` for timelines and
    searches) while it is made anew; an answer not made within `answer_seconds` is replaced by
    the older one, marked stale, or by a 503 (see `api.cache`). With `offload_timelines`,
    timelines are computed in a process of their own at background priority (see
    `service.offload`; each worker has its own). `config`: the pipeline configuration (its
    `[server]` section, how briefs and timelines are built)."""
    buckets = TokenBuckets(ingests_per_minute, ingest_burst)
    last_upload = LastUpload()
    # Opened once here, so the schema is migrated (or a bad store refused) before any worker
    # starts, not by workers racing each other; closed, as a connection must not cross a fork.
    Store(db_path).close()

    def build() -> FastAPI:
        store = Store(db_path)
        data_dir = Path(db_path).resolve().parent
        version = StoreVersion(db_path)
        offload = Offload(db_path, background_niceness()) if offload_timelines else None

        @asynccontextmanager
        async def closing_the_store(app: FastAPI) -> AsyncIterator[None]:
            # The store's connections and their page caches go when the server stops, even
            # while the app object lives on (FastAPI keeps recently seen route functions in a
            # module-level cache): a process that serves more than once (`bench scale` at every
            # checkpoint, tests) kept every earlier server's connections.
            try:
                yield
            finally:
                store.close()
                version.close()
                if offload is not None:
                    offload.close()

        app = FastAPI(
            title="storyline",
            version=__version__,
            description="Events, storylines and cited timelines from raw news.",
            docs_url=None,
            redoc_url=None,
            lifespan=closing_the_store,
        )
        app.state.ctx = ServerContext(
            store=store, version=version,
            ingest_dir=Path(os.path.realpath(ingest_dir)) if ingest_dir else None,
            upload_dir=data_dir / "uploads",
            compute=ComputePool(compute_workers), pipeline=config or PipelineConfig(),
            offload=offload,
        )
        install_error_handlers(app, render_error_page)
        install_overload_handlers(app, render_error_page)
        app.include_router(api_router)
        app.include_router(status_router)
        _mount_docs(app)
        install_pages(app)
        # The last added runs first: SecurityHeaders wraps everything, the 401, 403, 413, 429
        # and 503 refusals included; forged, unauthorised and excess requests are refused
        # before their body is read.
        cheap = Lane(concurrency, REQUEST_WAIT_SECONDS, stale_seconds)
        expensive = Lane(EXPENSIVE_CONCURRENCY, REQUEST_WAIT_SECONDS, expensive_stale_seconds)
        # Innermost: a snapshot (and its read connection) is held only by an admitted request.
        app.add_middleware(ReadSnapshots, store=store)
        app.add_middleware(AdmissionControl, cheap=cheap, expensive=expensive,
                           error_page=render_error_page)
        # Outside the admission bound: a kept answer costs no turn (a recent one of an older
        # store version included, while it is made anew in the background), and the answer
        # budget counts the wait for a turn.
        app.add_middleware(ResponseCache, version=version,
                           lane_of=lambda path: lane_for(path, cheap, expensive),
                           budget_seconds=answer_seconds, busy=late_answer(render_error_page),
                           last_upload=last_upload)
        app.add_middleware(RequestLimits, max_bytes=max_request_bytes)
        app.add_middleware(IngestGuard, token=token, buckets=buckets)
        app.add_middleware(SameOriginOnly,
                           host_names=trusted_host_names(bind_host, allowed_hosts))
        app.add_middleware(SecurityHeaders)
        return app

    return build


def _mount_docs(app: FastAPI) -> None:
    """Serve Swagger UI from the packaged assets: the machine may have no internet."""
    from swagger_ui_bundle import swagger_ui_path

    app.mount("/docs-assets", StaticFiles(directory=str(swagger_ui_path)), name="docs-assets")

    # The app from the request, not from this closure: FastAPI's module-level cache of route
    # functions would otherwise keep every app built in the process alive, with its store.
    @app.get("/docs/openapi-3.0.json", include_in_schema=False)
    def openapi_for_docs(request: Request) -> JSONResponse:
        return JSONResponse(as_openapi_30(request.app.openapi()))

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/docs/openapi-3.0.json",
            title="storyline API",
            swagger_js_url="/docs-assets/swagger-ui-bundle.js",
            swagger_css_url="/docs-assets/swagger-ui.css",
            swagger_favicon_url="/static/favicon.svg",
        )
