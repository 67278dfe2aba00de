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
from typing import TYPE_CHECKING
from urllib.parse import urlencode, urlsplit

import httpx

if TYPE_CHECKING:
    from storyline.store import Store

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}
MAX_SECONDS = 120
MAX_RATE = 1000
# Seconds in-flight requests may still answer after the last one is issued.
GRACE_SECONDS = 10.0
# Bytes of status line and headers the mix client reads at most.
HEADER_LIMIT = 1024 * 1024
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


# -- the realistic mix ---------------------------------------------------------------------------

# The kinds a visitor's requests fall into, and how many of every 22 requests are of each kind:
# mostly lists, event and article pages, a fifth timelines, a seventh searches.
MIX_WEIGHTS: dict[str, int] = {
    "home": 3, "filtered_list": 2, "event_page": 5, "event_api": 2, "article_page": 2,
    "search_page": 2, "search_api": 1, "timeline_page": 3, "timeline_api": 2,
}
# Kinds the JSON report always names (filtered lists come on top).
REPORTED_KINDS = ("home", "event_page", "event_api", "search_page", "search_api",
                  "timeline_page", "timeline_api")
# The answer time every request (200 or 503) must keep.
ANSWER_BOUND_MS = 2000.0


@dataclass
class KindResult:
    """One kind's figures: `ok` answered 2xx, `shed` refused with 503 and Retry-After,
    `errors` any other answer or failure, `timeouts` unanswered. Latencies are of answered
    requests (ok and shed), from the moment each was due."""

    requests: int = 0
    ok: int = 0
    shed: int = 0
    errors: int = 0
    timeouts: int = 0
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    p99_ms: float = 0.0
    max_ms: float = 0.0


@dataclass
class MixResult:
    requests: int
    ok: int
    shed: int
    errors: int
    timeouts: int
    seconds: float
    goodput_rps: float
    # Answered (200 or 503) later than ANSWER_BOUND_MS after it was due.
    slower_than_bound: int
    kinds: dict[str, KindResult]

    def to_dict(self) -> dict[str, object]:
        kinds = {name: dict(kind.__dict__) for name, kind in self.kinds.items()}
        return {
            "requests": self.requests, "ok": self.ok, "shed": self.shed, "errors": self.errors,
            "timeouts": self.timeouts, "seconds": self.seconds, "goodput_rps": self.goodput_rps,
            "slower_than_2s": self.slower_than_bound,
            "p95_ms": {name: kinds.get(name, {}).get("p95_ms", 0.0) for name in
                       dict.fromkeys([*REPORTED_KINDS, *kinds])},
            "kinds": kinds,
        }


def mix_plan(store: Store, events: int = 200, queries: int = 12) -> dict[str, list[str]]:
    """Paths of each kind over `store`: the newest `events` events (and an article of each),
    searches and timelines of its `queries` most reported entities (what visitors ask for again and again)."""
    newest = store.list_events(limit=events)
    event_ids = [event.id for event in newest]
    names = [entity["name"] for entity in store.list_entities(limit=queries)] or ["news"]
    dates = sorted(event.date[:10] for event in newest if event.date)
    middle = dates[len(dates) // 2] if dates else "2000-01-01"

    def q(path: str, **params: object) -> str:
        return f"{path}?{urlencode(params)}"

    return {
        "home": ["/"],
        "filtered_list": [q("/events", min_sources=2, sort="size"),
                          q("/events", **{"from": middle}), q("/events", language="en", page=2),
                          q("/api/events", min_articles=3, sort="outlets")],
        "event_page": [f"/events/{event_id}" for event_id in event_ids],
        "event_api": [f"/api/events/{event_id}" for event_id in event_ids],
        # The first report of each event: what a visitor opens from an event page.
        "article_page": [f"/articles/{event.article_ids[0]}" for event in newest
                         if event.article_ids],
        "search_page": [q("/search", q=name) for name in names],
        "search_api": [q("/api/search", q=name) for name in names],
        "timeline_page": [q("/timeline", q=name) for name in names],
        "timeline_api": [q("/api/timeline", q=name) for name in names],
    }


def run_mix(
    base_url: str, plan: dict[str, list[str]], rate: int, seconds: float,
    grace: float = GRACE_SECONDS, warm: bool = True,
) -> MixResult:
    """The realistic mix at `rate` requests/s for `seconds`, kinds weighted by MIX_WEIGHTS and
    spread evenly; each kind cycles through its paths. With `warm`, every path of the plan is
    asked once beforehand (unmeasured, honouring 503 Retry-After), so the run meets a warm server."""
    check_bounds(base_url, rate, seconds)
    if not 0 <= grace <= MAX_SECONDS:
        raise ValueError(f"grace must be 0..{MAX_SECONDS} s")
    schedule = _mix_schedule({kind: paths for kind, paths in plan.items() if paths},
                             int(rate * seconds))
    if not schedule:
        raise ValueError("no paths to request")
    warm_paths = list(dict.fromkeys(path for paths in plan.values() for path in paths))
    return asyncio.run(_run_mix(base_url.rstrip("/"), schedule, rate, seconds, grace,
                                warm_paths if warm else []))


def _mix_schedule(plan: dict[str, list[str]], total: int) -> list[tuple[str, str]]:
    """`total` (kind, path) pairs: kinds interleaved in proportion to their weights (smooth
    weighted round robin), each kind's paths in turn."""
    weights = {kind: MIX_WEIGHTS.get(kind, 1) for kind in plan}
    credit = dict.fromkeys(weights, 0)
    turns = dict.fromkeys(weights, 0)
    schedule = []
    for _ in range(total):
        for kind, weight in weights.items():
            credit[kind] += weight
        kind = max(credit, key=lambda name: credit[name])
        credit[kind] -= sum(weights.values())
        schedule.append((kind, plan[kind][turns[kind] % len(plan[kind])]))
        turns[kind] += 1
    return schedule


@dataclass
class _Outcome:
    kind: str
    status: str  # ok, shed or error
    latency_ms: float


class _Connections:
    """Keep-alive HTTP/1.1 connections to one server, spoken by hand over asyncio streams.

    The load generator shares two cores with the server it measures: httpx spent several
    milliseconds of CPU per request, so at 200 requests/s the client, not the server, fell
    behind (a 60 s run took 148 s, and every latency was the client's queue). A GET, its
    status line, headers and body cost a fraction of that here."""

    def __init__(self, base_url: str, size: int) -> None:
        parts = urlsplit(base_url)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 80
        self.idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []
        self.slots = asyncio.Semaphore(size)

    async def get(self, path: str) -> tuple[int, dict[str, str]]:
        """(status, headers) of GET `path`; the body is read and dropped."""
        async with self.slots:
            if self.idle:
                try:
                    return await self._exchange(*self.idle.pop(), path)
                except (ConnectionError, asyncio.IncompleteReadError):
                    pass  # the server closed it while idle (keep-alive timeout): as a browser,
                    # ask again on a new connection
            return await self._exchange(
                *await asyncio.open_connection(self.host, self.port, limit=HEADER_LIMIT), path)

    async def _exchange(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                        path: str) -> tuple[int, dict[str, str]]:
        try:
            writer.write(f"GET {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
                         "Accept: text/html,application/json\r\n\r\n".encode())
            head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
            status = int(head[0].split(" ", 2)[1])
            headers = {name.strip().lower(): value.strip() for name, _, value in
                       (line.partition(":") for line in head[1:] if line)}
            await _read_body(reader, headers)
        except BaseException:
            writer.close()  # cancelled or broken midway: the connection is unusable
            raise
        if headers.get("connection", "").lower() == "close":
            writer.close()
        else:
            self.idle.append((reader, writer))
        return status, headers

    def close(self) -> None:
        for _, writer in self.idle:
            writer.close()


async def _read_body(reader: asyncio.StreamReader, headers: dict[str, str]) -> None:
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
        return
    while True:  # chunked
        size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
        await reader.readexactly(size + 2)
        if size == 0:
            return


async def _run_mix(
    base_url: str, schedule: list[tuple[str, str]], rate: int, seconds: float, grace: float,
    warm_paths: list[str],
) -> MixResult:
    outcomes: list[_Outcome] = []
    if warm_paths:
        async with httpx.AsyncClient(base_url=base_url, timeout=120) as client:
            for path in warm_paths:
                await _warm(client, path)
    connections = _Connections(base_url, MAX_CONNECTIONS)

    async def one(kind: str, path: str, due: float) -> None:
        try:
            code, headers = await connections.get(path)
        except (OSError, ValueError, IndexError, asyncio.IncompleteReadError,
                asyncio.LimitOverrunError):
            status = "error"
        else:
            status = ("ok" if code < 400 else
                      "shed" if code == 503 and "retry-after" in headers else "error")
        outcomes.append(_Outcome(kind, status, (time.perf_counter() - due) * 1000))

    start = time.perf_counter()
    in_flight: set[asyncio.Task[None]] = set()
    for number, (kind, path) in enumerate(schedule):
        # Open loop: a client running late issues what is due at once, keeping the rate.
        due = start + number / rate
        if due > time.perf_counter():
            await asyncio.sleep(due - time.perf_counter())
        task = asyncio.create_task(one(kind, path, due))
        in_flight.add(task)
        task.add_done_callback(in_flight.discard)
    if in_flight:
        # Unanswered `grace` seconds after the schedule's end: counted as timed out.
        deadline = start + seconds + grace - time.perf_counter()
        _, unanswered = await asyncio.wait(set(in_flight), timeout=max(0.0, deadline))
        for task in unanswered:
            task.cancel()
        await asyncio.gather(*unanswered, return_exceptions=True)
    elapsed = time.perf_counter() - start
    connections.close()
    return _summarise(schedule, outcomes, elapsed)


async def _warm(client: httpx.AsyncClient, path: str, attempts: int = 30) -> None:
    """Ask for `path` until it is answered other than 503 (waiting as Retry-After says)."""
    for _ in range(attempts):
        response = await client.get(path, timeout=120)
        if response.status_code != 503:
            return
        await asyncio.sleep(float(response.headers.get("retry-after", "1")))


def _summarise(schedule: list[tuple[str, str]], outcomes: list[_Outcome],
               elapsed: float) -> MixResult:
    kinds: dict[str, KindResult] = {}
    for kind, _ in schedule:
        kinds.setdefault(kind, KindResult()).requests += 1
    latencies: dict[str, list[float]] = {kind: [] for kind in kinds}
    for outcome in outcomes:
        result = kinds[outcome.kind]
        result.ok += outcome.status == "ok"
        result.shed += outcome.status == "shed"
        result.errors += outcome.status == "error"
        latencies[outcome.kind].append(outcome.latency_ms)
    for kind, result in kinds.items():
        result.timeouts = result.requests - result.ok - result.shed - result.errors
        values = sorted(latencies[kind])
        result.p50_ms, result.p95_ms, result.p99_ms = (
            round(percentile(values, share), 1) for share in (0.50, 0.95, 0.99))
        result.max_ms = round(values[-1] if values else 0.0, 1)
    ok = sum(k.ok for k in kinds.values())
    return MixResult(
        requests=len(schedule), ok=ok, shed=sum(k.shed for k in kinds.values()),
        errors=sum(k.errors for k in kinds.values()),
        timeouts=sum(k.timeouts for k in kinds.values()), seconds=round(elapsed, 2),
        goodput_rps=round(ok / elapsed, 1),
        slower_than_bound=sum(o.latency_ms > ANSWER_BOUND_MS for o in outcomes),
        kinds=kinds,
    )
