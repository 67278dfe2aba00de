"""A bounded load test against a server on loopback: fixed request rate, latency percentiles.

Requests are sent on a fixed schedule (open loop), so a slow server shows up as latency rather
than as a quietly lower request rate. The run always ends on time: no request is issued after
`seconds`, requests still unanswered `grace` seconds later are abandoned and counted as timed
out, so a server that cannot keep up gets a verdict instead of an hour-long queue.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}
MAX_SECONDS = 120
MAX_RATE = 1000
# Seconds in-flight requests may still answer after the last one is issued.
GRACE_SECONDS = 10.0
# Connections the client opens at most; a request waits for one like a visitor's browser would.
MAX_CONNECTIONS = 64


@dataclass
class LoadResult:
    """`requests` issued = `completed` (answered, or failed at once: refused connection) +
    `timeouts` (unanswered when the run ended); `errors` counts the completed ones that failed or
    answered 4xx/5xx. Latencies are of completed requests, from the moment each was due, so time
    spent waiting for a free connection counts; `achieved_rps` is completed per second."""

    requests: int
    completed: int
    errors: int
    timeouts: int
    seconds: float
    achieved_rps: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float

    def to_dict(self) -> dict[str, float | int]:
        return dict(self.__dict__)


def check_bounds(base_url: str, rate: int, seconds: float) -> None:
    host = urlsplit(base_url).hostname
    if host not in LOOPBACK_HOSTS:
        raise ValueError(f"load tests only run against loopback, not {host!r}")
    if not 0 < rate <= MAX_RATE or not 0 < seconds <= MAX_SECONDS:
        raise ValueError(f"rate must be 1..{MAX_RATE}/s and duration 0..{MAX_SECONDS} s")


def percentile(sorted_values: list[float], share: float) -> float:
    if not sorted_values:
        return 0.0
    index = min(len(sorted_values) - 1, max(0, round(share * (len(sorted_values) - 1))))
    return sorted_values[index]


def run_load(
    base_url: str, paths: list[str], rate: int, seconds: float, grace: float = GRACE_SECONDS
) -> LoadResult:
    """Request `paths` in turn, `rate` per second for `seconds`; returns within about
    `seconds + grace` (after an unmeasured warm-up request per path) whatever the server does."""
    check_bounds(base_url, rate, seconds)
    if not paths:
        raise ValueError("no paths to request")
    if not 0 <= grace <= MAX_SECONDS:
        raise ValueError(f"grace must be 0..{MAX_SECONDS} s")
    return asyncio.run(_run(base_url.rstrip("/"), paths, rate, seconds, grace))


@dataclass
class _Tally:
    latencies_ms: list[float]
    errors: int = 0
    timeouts: int = 0


async def _run(
    base_url: str, paths: list[str], rate: int, seconds: float, grace: float
) -> LoadResult:
    tally = _Tally(latencies_ms=[])
    limits = httpx.Limits(max_connections=MAX_CONNECTIONS, max_keepalive_connections=MAX_CONNECTIONS)
    timeout = httpx.Timeout(seconds + grace)
    async with httpx.AsyncClient(base_url=base_url, timeout=timeout, limits=limits) as client:
        # Warm-up, not measured: the steady state is what a visitor meets, not the first build.
        for path in dict.fromkeys(paths):
            await client.get(path, timeout=120)
        start = time.perf_counter()
        in_flight = await _issue(client, paths, rate, start, seconds, tally)
        if in_flight:
            _, unanswered = await asyncio.wait(in_flight, timeout=grace)
            for task in unanswered:
                task.cancel()
            await asyncio.gather(*unanswered, return_exceptions=True)
            tally.timeouts += len(unanswered)
    elapsed = time.perf_counter() - start  # closing the connections is part of the run
    requests = len(tally.latencies_ms) + tally.timeouts
    latencies = sorted(tally.latencies_ms)
    return LoadResult(
        requests=requests, completed=len(latencies), errors=tally.errors,
        timeouts=tally.timeouts, seconds=round(elapsed, 2),
        achieved_rps=round(len(latencies) / elapsed, 1),
        p50_ms=round(percentile(latencies, 0.50), 1), p90_ms=round(percentile(latencies, 0.90), 1),
        p99_ms=round(percentile(latencies, 0.99), 1),
        max_ms=round(latencies[-1] if latencies else 0.0, 1),
    )


async def _issue(
    client: httpx.AsyncClient, paths: list[str], rate: int, start: float, seconds: float,
    tally: _Tally,
) -> set[asyncio.Task[None]]:
    """Start request n at `start + n / rate` for `seconds`; returns those still in flight."""

    # Requests beyond the connection count queue here, not in httpx's pool, whose every
    # finished request scans all queued ones: thousands queued made the run quadratic.
    connections = asyncio.Semaphore(MAX_CONNECTIONS)

    async def one(path: str, due: float) -> None:
        try:
            async with connections:
                response = await client.get(path)
        except httpx.TimeoutException:
            tally.timeouts += 1
            return
        except httpx.HTTPError:
            tally.errors += 1
        else:
            tally.errors += response.status_code >= 400
        tally.latencies_ms.append((time.perf_counter() - due) * 1000)

    in_flight: set[asyncio.Task[None]] = set()
    total = int(rate * seconds)
    number = 0
    while number < total:
        # Everything already due goes out at once: a client slowed by a busy machine or by the
        # answers it is parsing keeps the schedule instead of quietly lowering the rate.
        now = time.perf_counter()
        while number < total and start + number / rate <= now:
            task = asyncio.create_task(one(paths[number % len(paths)], start + number / rate))
            in_flight.add(task)
            task.add_done_callback(in_flight.discard)
            number += 1
        await asyncio.sleep(max(0.0, start + number / rate - time.perf_counter()))
    return set(in_flight)
