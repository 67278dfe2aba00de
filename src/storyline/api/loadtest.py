"""A bounded load test against a server on loopback: fixed request rate, latency percentiles.

Requests are sent on a fixed schedule (open loop), so a slow server shows up as latency rather
than as a quietly lower request rate.
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


@dataclass
class LoadResult:
    requests: int
    errors: int
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


def run_load(base_url: str, paths: list[str], rate: int, seconds: float) -> LoadResult:
    check_bounds(base_url, rate, seconds)
    if not paths:
        raise ValueError("no paths to request")
    return asyncio.run(_run(base_url.rstrip("/"), paths, rate, seconds))


async def _run(base_url: str, paths: list[str], rate: int, seconds: float) -> LoadResult:
    latencies: list[float] = []
    errors = 0
    total = int(rate * seconds)
    limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
    async with httpx.AsyncClient(base_url=base_url, timeout=10, limits=limits) as client:

        async def one(path: str) -> None:
            nonlocal errors
            started = time.perf_counter()
            try:
                response = await client.get(path)
                if response.status_code >= 400:
                    errors += 1
            except httpx.HTTPError:
                errors += 1
            latencies.append((time.perf_counter() - started) * 1000)

        # Warm-up, not measured: the steady state is what a visitor meets, not the first build.
        for path in dict.fromkeys(paths):
            await client.get(path, timeout=120)
        start = time.perf_counter()
        tasks = []
        for number in range(total):
            delay = start + number / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(paths[number % len(paths)])))
        await asyncio.gather(*tasks)
        elapsed = time.perf_counter() - start
    latencies.sort()
    return LoadResult(
        requests=total, errors=errors, seconds=round(elapsed, 2),
        achieved_rps=round(total / elapsed, 1),
        p50_ms=round(percentile(latencies, 0.50), 1), p90_ms=round(percentile(latencies, 0.90), 1),
        p99_ms=round(percentile(latencies, 0.99), 1), max_ms=round(latencies[-1], 1),
    )
