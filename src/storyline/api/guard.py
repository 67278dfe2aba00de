"""Who may ingest, and how fast: a bearer token and a per-client token bucket on `POST /api/ingest`.

Reading stays open (see docs/security.md); writing is what a stranger on a LAN could abuse, so a
server bound to anything but loopback must be given a token (`serve` refuses to start without
one). Both checks run before the body is read, so a refused upload costs nothing.
"""

from __future__ import annotations

import hmac
import ipaddress
import math
import threading
import time

from starlette.types import ASGIApp, Receive, Scope, Send

from storyline.api.errors import error_response

INGEST_PATH = "/api/ingest"
# A bucket per client address; past this many clients the full (idle) buckets are forgotten,
# so a scan from many addresses cannot grow the table without bound.
MAX_TRACKED_CLIENTS = 4096


def is_loopback(host: str) -> bool:
    """True for addresses only this machine can reach (`localhost`, 127.0.0.0/8, ::1)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class TokenBuckets:
    """`burst` uploads at once per client, refilled at `per_minute`; thread-safe."""

    def __init__(self, per_minute: float, burst: int) -> None:
        self.rate = per_minute / 60
        self.burst = burst
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, client: str) -> float:
        """0 when `client` may go now (one token spent), else the seconds until it may."""
        now = time.monotonic()
        with self._lock:
            tokens, since = self._buckets.get(client, (self.burst, now))
            tokens = min(self.burst, tokens + (now - since) * self.rate)
            if tokens >= 1:
                self._buckets[client] = (tokens - 1, now)
                self._forget_idle(now)
                return 0.0
            self._buckets[client] = (tokens, now)
            return (1 - tokens) / self.rate

    def _forget_idle(self, now: float) -> None:
        if len(self._buckets) <= MAX_TRACKED_CLIENTS:
            return
        self._buckets = {
            client: (tokens, since) for client, (tokens, since) in self._buckets.items()
            if tokens + (now - since) * self.rate < self.burst
        }


class IngestGuard:
    """401 without the right `Authorization: Bearer` (when a token is set), 429 over the rate."""

    def __init__(self, app: ASGIApp, token: str | None, buckets: TokenBuckets) -> None:
        self.app = app
        self.token = token.encode() if token else None
        self.buckets = buckets

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].rstrip("/") != INGEST_PATH:
            await self.app(scope, receive, send)
            return
        if self.token is not None and not _bearer_matches(scope, self.token):
            response = error_response(401, "unauthorized",
                                      "ingest needs 'Authorization: Bearer <token>'")
            response.headers["WWW-Authenticate"] = "Bearer"
            await response(scope, receive, send)
            return
        client = (scope.get("client") or ("unknown", 0))[0]
        wait = self.buckets.take(client)
        if wait:
            response = error_response(429, "too_many_requests",
                                      f"upload rate exceeded; retry in {math.ceil(wait)} s")
            response.headers["Retry-After"] = str(math.ceil(wait))
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _bearer_matches(scope: Scope, token: bytes) -> bool:
    header = dict(scope.get("headers") or []).get(b"authorization", b"")
    scheme, _, credential = header.partition(b" ")
    # Constant time: the comparison must not tell an attacker how much of a guess was right.
    return scheme.lower() == b"bearer" and hmac.compare_digest(credential.strip(), token)
