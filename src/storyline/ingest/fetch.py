"""HTTP(S) for `storyline watch`: bounded GETs, conditional on what the last poll saw.

A fetch never takes longer than the seconds it is given in all (a server that trickles bytes is
cut off, not only one that stalls), follows at most `settings.WATCH_MAX_REDIRECTS` redirects,
only to http and https, and delivers at most the bytes it is given (the watcher's
`WatchConfig.fetch_seconds` and `max_fetch_bytes`).
Everything that goes wrong is a `FetchError` with a one-line reason. `HostPacer` keeps a delay
between two requests to one host.

Links found in feeds are untrusted: with `private=False` a URL (or a redirect) whose host
resolves to a loopback, private, link-local or reserved address is refused, so a feed cannot
make the watcher read services on the machine or the local network. The feed list itself is
the operator's and may name such hosts; their items may then too.
"""

from __future__ import annotations

import ipaddress
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from email.message import Message
from typing import IO

from storyline import __version__, settings
from storyline.ingest.decode import one_line

USER_AGENT = f"storyline/{__version__} (+watch)"
SCHEMES = ("http", "https")
# Hosts a HostPacer remembers before it forgets those whose turn has come again (a watcher
# following pages on ever new hosts for months would otherwise hold every one).
PACED_HOSTS_HELD = 256


class FetchError(Exception):
    """A request that did not deliver a usable response; the message is one line."""


@dataclass
class Response:
    url: str  # after redirects
    status: int  # 200, or 304 (not modified: `body` is empty)
    body: bytes
    etag: str | None = None
    last_modified: str | None = None
    content_type: str = ""


def is_web_url(url: str) -> bool:
    parts = urllib.parse.urlsplit(url)
    return parts.scheme in SCHEMES and bool(parts.hostname)


def is_private_host(host: str) -> bool:
    """Whether any address `host` resolves to is loopback, private, link-local or reserved
    (unresolvable hosts count as not private: the request then fails on its own)."""
    try:
        infos = socket.getaddrinfo(host, None)
    except (socket.gaierror, UnicodeError):
        return False
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if (address.is_loopback or address.is_private or address.is_link_local
                or address.is_reserved or address.is_unspecified or address.is_multicast):
            return True
    return False


def check_url(url: str, private: bool) -> None:
    if not is_web_url(url):
        raise FetchError(f"not an http(s) URL: {one_line(url, 200)}")
    host = urllib.parse.urlsplit(url).hostname or ""
    if not private and is_private_host(host):
        raise FetchError(f"refused: {host} is a local or private address")


class _Redirects(urllib.request.HTTPRedirectHandler):
    max_redirections = settings.WATCH_MAX_REDIRECTS
    max_repeats = 2

    def __init__(self, private: bool) -> None:
        self.private = private

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        check_url(newurl, self.private)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch(
    url: str,
    etag: str | None = None,
    last_modified: str | None = None,
    private: bool = False,
    *,
    max_bytes: int,
    seconds: float,
) -> Response:
    """GET `url`, taking at most `seconds` in all and reading at most `max_bytes`; with
    `etag` / `last_modified` the server may answer 304 (not modified)."""
    check_url(url, private)
    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "identity"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    opener = urllib.request.build_opener(_Redirects(private))
    deadline = time.monotonic() + seconds
    try:
        with opener.open(urllib.request.Request(url, headers=headers), timeout=seconds) as answer:
            body = _read_bounded(answer, max_bytes, deadline, seconds)
            return _response(answer.geturl(), answer.status, body, answer.headers)
    except urllib.error.HTTPError as error:
        if error.code == 304:
            return _response(error.geturl() or url, 304, b"", error.headers)
        raise FetchError(f"HTTP {error.code} {one_line(str(error.reason), 100)}") from None
    except urllib.error.URLError as error:
        if isinstance(error.reason, FetchError):
            raise error.reason from None
        raise FetchError(f"cannot fetch: {one_line(str(error.reason), 200)}") from None
    except TimeoutError:
        raise FetchError(f"timed out after {seconds:g} s") from None
    except (OSError, ValueError) as error:  # reset connections, bad chunking, bad header lines
        raise FetchError(f"cannot fetch: {type(error).__name__}: {one_line(str(error), 200)}"
                         ) from None


def _read_bounded(answer: IO[bytes], max_bytes: int, deadline: float, seconds: float) -> bytes:
    declared = answer.headers.get("Content-Length")  # type: ignore[attr-defined]
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(f"response too large: {int(declared):,} bytes, limit {max_bytes:,}")
    chunks: list[bytes] = []
    size = 0
    while chunk := answer.read(65536):
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(f"response too large: over {max_bytes:,} bytes")
        if time.monotonic() > deadline:
            raise FetchError(f"too slow: not delivered within {seconds:g} s")
        chunks.append(chunk)
    return b"".join(chunks)


def _response(url: str, status: int, body: bytes, headers: Message) -> Response:
    return Response(url, status, body, etag=headers.get("ETag"),
                    last_modified=headers.get("Last-Modified"),
                    content_type=headers.get("Content-Type", ""))


class HostPacer:
    """At least `delay` seconds between two requests to one host. `wait` sleeps through
    `sleep(seconds)`, which returns True when the watcher is stopping (then so does `wait`)."""

    def __init__(self, delay: float, sleep: Callable[[float], bool]) -> None:
        self.delay = delay
        self.sleep = sleep
        self._last: dict[str, float] = {}

    def wait(self, url: str) -> bool:
        """Wait for `url`'s host's turn; False when stopped while waiting."""
        host = (urllib.parse.urlsplit(url).hostname or "").lower()
        port = urllib.parse.urlsplit(url).port
        key = f"{host}:{port}"
        pause = self._last.get(key, -float("inf")) + self.delay - time.monotonic()
        if pause > 0 and self.sleep(pause):
            return False
        now = time.monotonic()
        if len(self._last) >= PACED_HOSTS_HELD:  # hosts whose turn has come again: forgotten
            self._last = {k: t for k, t in self._last.items() if t + self.delay > now}
        self._last[key] = now
        return True
