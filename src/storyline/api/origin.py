"""Refuse requests a web page the user visits could forge: DNS rebinding and cross-site writes.

A page on any site can make the user's browser send requests to a storyline server on their
machine or LAN. Two checks stop it, before any route runs:

- the Host header must name this server: an IP address (a rebinding attack needs a DNS name that
  it points at our address), `localhost`, the machine's name, the address bound by `serve --host`,
  or a name allowed with `serve --allow-host`. Else 403 `host_not_allowed`, for every method: a
  rebound page is same-origin and could read every article otherwise;
- a state-changing request (POST, PUT, PATCH, DELETE) that carries an Origin header must come
  from this very host and port. Else 403 `cross_origin_request`. Browsers always send Origin on
  such requests; clients that send none (curl, scripts) are not browsers and are let through.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Receive, Scope, Send

from storyline.api.errors import error_response

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
WILDCARD_ADDRESSES = frozenset({"", "0.0.0.0", "::"})
DEFAULT_PORTS = {"http": 80, "https": 443}


def trusted_host_names(bind_host: str = "127.0.0.1", allowed: Iterable[str] = ()) -> frozenset[str]:
    """The DNS names this server answers to (IP addresses are always accepted)."""
    hostname = socket.gethostname()
    names = {"localhost", hostname, *allowed}
    if bind_host not in WILDCARD_ADDRESSES:
        names.add(bind_host)
    return frozenset(_normalise(name) for name in names if name)


class SameOriginOnly:
    def __init__(self, app: ASGIApp, host_names: frozenset[str]) -> None:
        self.app = app
        self.host_names = host_names

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {key.decode("latin-1"): value.decode("latin-1")
                   for key, value in scope.get("headers") or []}
        host = _split_host(headers.get("host", ""))
        if host is not None and not self._trusted(host[0]):
            refusal = error_response(
                403, "host_not_allowed",
                "this server does not answer to that Host name (serve --allow-host NAME adds one)",
            )
        elif (scope["method"] not in SAFE_METHODS and "origin" in headers
              and not _same_origin(headers["origin"], host)):
            refusal = error_response(
                403, "cross_origin_request",
                "cross-site request refused: the Origin is not this server",
            )
        else:
            await self.app(scope, receive, send)
            return
        await refusal(scope, receive, send)

    def _trusted(self, name: str) -> bool:
        return (_is_ip_address(name) or name in self.host_names
                or name.endswith(".localhost"))


def _normalise(name: str) -> str:
    return name.strip().lower().rstrip(".").strip("[]")


def _split_host(value: str) -> tuple[str, int | None] | None:
    """(name, port) of a Host header value; None when there is none (HTTP/1.0)."""
    if not value:
        return None
    parsed = urlsplit(f"//{value}")
    try:
        port = parsed.port
    except ValueError:
        port = -1  # matches no Origin
    return _normalise(parsed.hostname or value), port


def _same_origin(origin: str, host: tuple[str, int | None] | None) -> bool:
    if host is None:
        return False
    parsed = urlsplit(origin.strip())
    scheme = parsed.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parsed.hostname:
        return False  # "null" (sandboxed frames, file: pages) and anything odd
    try:
        origin_port = parsed.port or DEFAULT_PORTS[scheme]
    except ValueError:
        return False
    name, port = host
    # A Host without a port (behind a proxy) means the Origin scheme's default port.
    return _normalise(parsed.hostname) == name and origin_port == (port or DEFAULT_PORTS[scheme])


def _is_ip_address(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True
