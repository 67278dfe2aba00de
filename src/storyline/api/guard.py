"""Who may ingest, and how fast: a bearer token and a per-client token bucket on `POST /api/ingest`.

Reading stays open (see docs/security.md); writing is what a stranger on a LAN could abuse, so a
server bound to anything but loopback must be given a token (`serve` refuses to start without
one). Both checks run before the body is read, so a refused upload costs nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import math
import multiprocessing
import time

from starlette.types import ASGIApp, Receive, Scope, Send

from storyline.api.errors import error_response

INGEST_PATH = "/api/ingest"
# Client addresses whose buckets are kept at once, and the slots of the table each may use.
MAX_TRACKED_CLIENTS = 4096
SLOTS_PER_CLIENT = 16


def is_loopback(host: str) -> bool:
    """True for addresses only this machine can reach (`localhost`, 127.0.0.0/8, ::1)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class TokenBuckets:
    """`burst` uploads at once per client, refilled at `per_minute`; safe across threads and
    across the server's worker processes: the table lives in shared memory, made before they
    are forked, so a client spreading its uploads over the workers gets one allowance, not one
    per worker.

    A fixed table: each client has a few neighbouring slots it may use (by a hash of its
    address); when they are all taken, the bucket that has refilled most is forgotten (a full
    one is what a new client gets anyway), so a scan from many addresses cannot grow it."""

    def __init__(self, per_minute: float, burst: int, clients: int = MAX_TRACKED_CLIENTS) -> None:
        self.rate = per_minute / 60
        self.burst = burst
        self.clients = clients
        # Per slot: the client's key (0: free), its tokens, and when they were counted.
        self._table = multiprocessing.RawArray("d", 3 * clients)
        self._lock = multiprocessing.Lock()

    def take(self, client: str) -> float:
        """0 when `client` may go now (one token spent), else the seconds until it may."""
        now = time.monotonic()
        key = _client_key(client)
        table = self._table
        with self._lock:
            slot = 3 * self._slot(key, now)
            if table[slot] != key:
                table[slot : slot + 3] = [key, self.burst, now]
            tokens = min(self.burst, table[slot + 1] + (now - table[slot + 2]) * self.rate)
            table[slot + 2] = now
            if tokens >= 1:
                table[slot + 1] = tokens - 1
                return 0.0
            table[slot + 1] = tokens
            return (1 - tokens) / self.rate

    def _slot(self, key: float, now: float) -> int:
        """`key`'s slot, else a free one, else the one whose bucket has refilled most."""
        table = self._table
        first = int(key) % self.clients
        candidates = [(first + step) % self.clients for step in range(SLOTS_PER_CLIENT)]
        for slot in candidates:
            if table[3 * slot] in (key, 0.0):
                return slot
        return max(candidates, key=lambda slot: table[3 * slot + 1]
                   + (now - table[3 * slot + 2]) * self.rate)


def _client_key(client: str) -> float:
    """A nonzero number for `client`, the same in every process (48 bits: exact in a double)."""
    digest = hashlib.blake2b(client.encode(), digest_size=6).digest()
    return float(int.from_bytes(digest, "big") or 1)


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
