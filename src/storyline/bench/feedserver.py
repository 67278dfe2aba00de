"""A local feed server for `storyline bench soak` and the watch tests: feeds and pages that
change over time, with the misbehaviours of real servers on demand.

It listens on 127.0.0.1 (an ephemeral port) in a thread of the calling process and serves only
what the caller put there. A route answers with a body (or a function giving the current one),
with ETag and Last-Modified so conditional GETs get 304s; or misbehaves: a status, a delay
before answering, a body trickled out byte by byte, a redirect, an endless stream (huge), or
a connection closed without an answer.
"""

from __future__ import annotations

import email.utils
import hashlib
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self

# An endless ("huge") answer streams this much at a time until the client hangs up.
_STREAM_CHUNK = 64 * 1024
# ... and stops by itself after this many bytes, whatever the client does.
_STREAM_LIMIT = 256 * 1024 * 1024


@dataclass
class Route:
    body: bytes | Callable[[], bytes] = b""
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    delay: float = 0.0  # seconds before answering
    trickle: float = 0.0  # seconds between the bytes of the body
    redirect: str | None = None  # a path or URL to send the client to (302)
    endless: bool = False  # stream bytes until the client stops reading
    hang_up: bool = False  # close the connection without answering
    modified: float | None = None  # Last-Modified (unix seconds); None: none sent

    def current(self) -> bytes:
        return self.body() if callable(self.body) else self.body


class FeedServer:
    """`with FeedServer() as server: server.route("/feed.xml", Route(...)); server.url(...)`."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: Counter[str] = Counter()
        self.not_modified: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.feeds = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(target=self._server.serve_forever, name="feed-server",
                                        daemon=True)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}{path}"

    def route(self, path: str, route: Route) -> None:
        with self._lock:
            self.routes[path] = route

    def lookup(self, path: str) -> Route | None:
        with self._lock:
            self.hits[path] += 1
            return self.routes.get(path)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: Any) -> None:  # quiet: tests and the bench print figures
        pass

    def do_GET(self) -> None:
        feeds: FeedServer = self.server.feeds  # type: ignore[attr-defined]
        route = feeds.lookup(self.path)
        if route is None:
            self._answer(404, b"not found", "text/plain")
            return
        if route.delay:
            time.sleep(route.delay)
        if route.hang_up:
            self.close_connection = True
        elif route.redirect:
            self._answer(302, b"", "text/plain", {"Location": route.redirect})
        elif route.endless:
            self._stream(route)
        else:
            self._serve(feeds, route)

    def _serve(self, feeds: FeedServer, route: Route) -> None:
        body = route.current()
        headers = {"ETag": '"' + hashlib.sha256(body).hexdigest()[:16] + '"'}
        if route.modified is not None:
            headers["Last-Modified"] = email.utils.formatdate(route.modified, usegmt=True)
        if route.status == 200 and (
            self.headers.get("If-None-Match") == headers["ETag"]
            or ("Last-Modified" in headers
                and self.headers.get("If-Modified-Since") == headers["Last-Modified"])
        ):
            feeds.not_modified[self.path] += 1
            self.send_response(304)
            self.send_header("ETag", headers["ETag"])
            self.end_headers()
            return
        self._answer(route.status, body, route.content_type, headers, route.trickle)

    def _answer(self, status: int, body: bytes, content_type: str,
                headers: dict[str, str] | None = None, trickle: float = 0.0) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        try:
            if not trickle:
                self.wfile.write(body)
                return
            for index in range(len(body)):
                self.wfile.write(body[index : index + 1])
                self.wfile.flush()
                time.sleep(trickle)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _stream(self, route: Route) -> None:
        self.send_response(200)
        self.send_header("Content-Type", route.content_type)
        self.end_headers()
        chunk = route.current() or b"<p>more</p>"
        chunk = (chunk * (_STREAM_CHUNK // len(chunk) + 1))[:_STREAM_CHUNK]
        self.close_connection = True
        try:
            for _ in range(_STREAM_LIMIT // _STREAM_CHUNK):
                self.wfile.write(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass


def rss(title: str, items: list[dict[str, str]]) -> bytes:
    """An RSS 2.0 feed; each item may have title, link, guid, date (RFC 822) and description."""
    parts = [(f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
             f"<title>{escape(title)}</title><link>http://127.0.0.1/</link>"
             "<description>storyline test feed</description>")]
    for item in items:
        fields = {"title": "title", "link": "link", "guid": "guid", "date": "pubDate",
                  "description": "description"}
        parts.append("<item>" + "".join(
            f"<{tag}>{escape(item[name])}</{tag}>" for name, tag in fields.items() if name in item
        ) + "</item>")
    parts.append("</channel></rss>")
    return "".join(parts).encode("utf-8")


def article_page(title: str, paragraphs: list[str]) -> bytes:
    """A news page: site chrome around a headline and its paragraphs."""
    body = "".join(f"<p>{escape(paragraph)}</p>" for paragraph in paragraphs)
    return (
        f"<!doctype html><html><head><title>{escape(title)} | Harbour Gazette</title></head>"
        "<body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article><h1>{escape(title)}</h1>{body}</article>"
        "<footer>Copyright Harbour Gazette</footer></body></html>"
    ).encode()
