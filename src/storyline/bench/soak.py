"""Benchmark 'soak': `storyline watch` for M minutes against a local feed server.

A feed (storyline.bench.feedserver, on 127.0.0.1) gains an item every 1/rate seconds; about
`--broken` of them are broken for good (HTTP 500, a hung-up connection, a page without an
article, an endless body) and as many fail twice before their page appears (retries must get
them). Each good item's page tells a story on one of a dozen topics, so events gather several.
The real command runs in a child process on a fresh store; at `--kill-at` of the run it is
SIGKILLed and started again at once. When the publishing stops, the watcher gets a bounded time
to drain (every good item stored, every broken one parked), then SIGTERM; a backlog left
then (a loaded machine) is finished by a restarted watcher, which is SIGTERMed in turn.

Figures: items published (good, broken, flaky), good items stored, missing and stored twice,
broken items stored (must be 0) and parked, articles left outside events, `storyline check`,
the exit code and seconds of the SIGTERM shutdown, the watcher's CPU seconds, publish-to-store
latency (p50, p95; whole seconds, as stored), and its resident memory: RSS once warm (the first
sample after it stored an article and then updated events, plus a minute on runs that long) against the largest RSS
after that, in the longest-lived watcher process. `passed` holds each criterion of issue 15.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from storyline.bench.feedserver import FeedServer, Route, article_page, rss
from storyline.server_process import stop_process

HELP = ("storyline watch for M minutes on a local feed server: an item a second, some broken, "
        "a SIGKILL mid-way; exactly-once, events, memory")
SAMPLE_SECONDS = 2.0
# Items a feed lists at once (the newest): a watcher that falls further behind loses items.
FEED_WINDOW = 200
# After publishing stops, the watcher may take this long to drain, then SIGTERM; a backlog left
# then is finished by a restarted watcher within RESUME_SECONDS (or the run's length if longer).
DRAIN_SECONDS = 180.0
RESUME_SECONDS = 900.0
SHUTDOWN_SECONDS = 120.0
RSS_GROWTH_LIMIT = 0.10
TOPICS = [
    ("Velmora harbour", "the harbour of Velmora", "port authority"),
    ("Osterholm ferry", "the Osterholm ferry line", "ferry operator"),
    ("Brindlemoor council", "the Brindlemoor town council", "town clerk"),
    ("Kessel river flood", "the Kessel river", "flood service"),
    ("Tamsin bridge", "the Tamsin bridge", "city engineer"),
    ("Alvane rail strike", "the Alvane rail workers", "rail union"),
    ("Norrby mine", "the Norrby copper mine", "mine owner"),
    ("Lindqvist election", "the Lindqvist mayoral race", "election board"),
    ("Sorrel hospital", "the Sorrel general hospital", "hospital board"),
    ("Dunmere wildfire", "the Dunmere hills fire", "fire brigade"),
    ("Pellam airport", "the Pellam airport expansion", "airport authority"),
    ("Quarry lake drought", "the Quarry lake reservoir", "water board"),
]
BROKEN_KINDS = ("error", "hang_up", "no_article", "endless")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--minutes", type=float, default=30.0, metavar="M",
                        help="minutes of publishing (default 30)")
    parser.add_argument("--rate", type=float, default=1.0, metavar="R",
                        help="items published per second (default 1)")
    parser.add_argument("--broken", type=float, default=0.1, metavar="SHARE",
                        help="share of items broken for good; as many fail twice, then work "
                        "(default 0.1)")
    parser.add_argument("--kill-at", type=float, default=0.5, metavar="SHARE",
                        help="SIGKILL the watcher at this share of the run (default 0.5; "
                        "0 for none)")
    parser.add_argument("--fast", action="store_true",
                        help="the watcher runs the firehose profile (rules NER, TF-IDF)")


def kind_of(number: int, broken: float) -> str:
    """'good', 'flaky' (fails twice, then good) or a broken kind, spread evenly."""
    if broken <= 0:
        return "good"
    period = max(2, round(1 / broken))
    if number % period == period - 1:
        return BROKEN_KINDS[(number // period) % len(BROKEN_KINDS)]
    if number % period == period // 2:
        return "flaky"
    return "good"


def story(number: int) -> tuple[str, list[str]]:
    topic, subject, speaker = TOPICS[number % len(TOPICS)]
    update = number // len(TOPICS)
    return (f"{topic}: update {update} on {subject}", [
        (f"Officials gave update number {update} on {subject} on Tuesday, saying that "
        f"{number * 37 % 900 + 100} people were affected and that work would go on."),
        (f"The {speaker} said {number * 13 % 70 + 5} crews had been sent and that a further "
        f"statement on {subject} would follow within {number % 9 + 2} hours."),
    ])


class Publisher:
    """Serves the feed and the item pages as time goes by (item n appears at n / rate s)."""

    def __init__(self, server: FeedServer, rate: float, broken: float) -> None:
        self.server = server
        self.rate = rate
        self.broken = broken
        self.started = time.time()
        self.stopped_at: float | None = None
        self.flaky_hits: dict[int, int] = {}
        self._lock = threading.Lock()
        server.route("/feed.xml", Route(self.feed, "application/rss+xml"))

    def published(self) -> int:
        now = self.stopped_at or time.time()
        return int((now - self.started) * self.rate) + 1

    def published_at(self, number: int) -> float:
        return self.started + number / self.rate

    def feed(self) -> bytes:
        newest = self.published()
        for number in range(max(0, newest - FEED_WINDOW), newest):
            self._route(number)
        items = [{"title": story(n)[0], "link": self.server.url(f"/item/{n}"), "guid": f"i{n}",
                  "date": time.strftime("%a, %d %b %Y %H:%M:%S GMT",
                                        time.gmtime(self.published_at(n)))}
                 for n in range(newest - 1, max(-1, newest - 1 - FEED_WINDOW), -1)]
        return rss("Soak Wire", items)

    def _route(self, number: int) -> None:
        path = f"/item/{number}"
        if path in self.server.routes:
            return
        kind = kind_of(number, self.broken)
        title, paragraphs = story(number)
        page = article_page(title, paragraphs)
        routes = {
            "good": Route(page),
            "flaky": Route(lambda: self._flaky(number, page)),
            "error": Route(b"internal error", status=500),
            "hang_up": Route(hang_up=True),
            "no_article": Route(b"<html><body><nav>Home</nav></body></html>"),
            "endless": Route(b"<p>" + b"spam " * 100 + b"</p>", endless=True),
        }
        self.server.route(path, routes[kind])

    def _flaky(self, number: int, page: bytes) -> bytes:
        with self._lock:
            self.flaky_hits[number] = self.flaky_hits.get(number, 0) + 1
            if self.flaky_hits[number] <= 2:
                return b"<html><body><p>Temporarily unavailable</p></body></html>"
        return page


@dataclass
class WatcherProcess:
    """One `storyline watch` child, sampled for RSS and CPU while it lives."""

    process: subprocess.Popen[bytes]
    log: Path
    started: float = field(default_factory=time.time)
    rss: list[tuple[float, int, bool]] = field(default_factory=list)  # (t, KiB, warm)
    cpu_seconds: float = 0.0

    def sample(self) -> None:
        pid = self.process.pid
        with contextlib.suppress(OSError):
            status = Path(f"/proc/{pid}/status").read_text()
            kib = next(int(line.split()[1]) for line in status.splitlines()
                       if line.startswith("VmRSS:"))
            warm = _warm(self.log.read_text(errors="replace"))
            self.rss.append((time.time(), kib, warm))
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            self.cpu_seconds = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _warm(log: str) -> bool:
    """Whether the watcher has stored an article and updated events since (every model it
    uses is loaded: a catching-up event update at the start loads only the encoder)."""
    stored = log.find(" watch: stored ")
    return stored >= 0 and "events updated" in log[stored:]


def start_watcher(db: Path, feeds: Path, log: Path, fast: bool) -> WatcherProcess:
    command = [sys.executable, "-m", "storyline.cli", "--db", str(db), "watch",
               "--feeds", str(feeds), "--feed-seconds", "2", "--host-delay", "0",
               "--retry-seconds", "1", "--max-attempts", "4", "--event-seconds", "5",
               # The benchmark measures the watcher: it keeps the benchmark's own priority.
               "--nice", "0"]
    if fast:
        command.append("--fast")
    handle = log.open("ab")
    process = subprocess.Popen(command, stdout=handle, stderr=handle)
    return WatcherProcess(process, log)


def good_stored(db: Path, urls: list[str]) -> dict[str, int]:
    """How many articles each of `urls` became (a URL is an item's page)."""
    with contextlib.closing(sqlite3.connect(db, timeout=60)) as connection:
        rows = connection.execute("SELECT url, COUNT(*) FROM articles GROUP BY url").fetchall()
    counts = dict(rows)
    return {url: counts.get(url, 0) for url in urls}


def pending_items(db: Path) -> int:
    """Items the watcher has neither stored nor parked yet."""
    with contextlib.closing(sqlite3.connect(db, timeout=60)) as connection:
        return connection.execute("SELECT COUNT(*) FROM watch_items WHERE status='pending'"
                                  ).fetchone()[0]


def run(data: Path | None, args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="storyline-soak-") as folder, FeedServer() as server:
        return _soak(Path(folder), server, args)


def _soak(folder: Path, server: FeedServer, args: argparse.Namespace) -> dict[str, Any]:
    db, feeds = folder / "soak.db", folder / "feeds.txt"
    seconds = args.minutes * 60
    publisher = Publisher(server, args.rate, args.broken)
    feeds.write_text(server.url("/feed.xml") + "\n")
    watchers = [start_watcher(db, feeds, folder / "watch-0.log", args.fast)]
    kill_time = publisher.started + seconds * args.kill_at if args.kill_at > 0 else None
    killed_with = 0
    while time.time() < publisher.started + seconds:
        time.sleep(SAMPLE_SECONDS)
        watchers[-1].sample()
        if kill_time and time.time() >= kill_time and len(watchers) == 1:
            watchers[0].process.send_signal(signal.SIGKILL)
            watchers[0].process.wait()
            killed_with = publisher.published()
            watchers.append(start_watcher(db, feeds, folder / "watch-1.log", args.fast))
    publisher.stopped_at = time.time()
    total = publisher.published()
    kinds = [kind_of(n, args.broken) for n in range(total)]
    good = [server.url(f"/item/{n}") for n in range(total) if kinds[n] in ("good", "flaky")]
    drain_until = time.time() + DRAIN_SECONDS
    while time.time() < drain_until and not _finished(db, good):
        time.sleep(SAMPLE_SECONDS)
        watchers[-1].sample()
    exit_code, shutdown = _terminate(watchers[-1])
    stopped = {"backlog_at_sigterm": pending_items(db),
               "stored_good_at_sigterm": sum(1 for n in good_stored(db, good).values() if n)}
    if not _finished(db, good):
        # A loaded machine leaves a backlog: a restarted watcher must finish it (resuming
        # after SIGTERM is part of the test), within a bound.
        watchers.append(start_watcher(db, feeds, folder / "watch-2.log", args.fast))
        resume_until = time.time() + max(RESUME_SECONDS, seconds)
        while time.time() < resume_until and not _finished(db, good):
            time.sleep(SAMPLE_SECONDS)
            watchers[-1].sample()
        stopped["resume_seconds"] = round(time.time() - watchers[-1].started)
        stopped["resume_exit_code"] = _terminate(watchers[-1])[0]
    result = _figures(db, server, publisher, watchers, kinds, good, killed_with, exit_code,
                      shutdown, args)
    result["passed"]["clean_sigterm"] &= stopped.get("resume_exit_code", 0) == 0
    return {**result, **stopped}


def _finished(db: Path, good: list[str]) -> bool:
    """Every good item stored, and no item left to try (broken ones parked)."""
    return min(good_stored(db, good).values(), default=1) > 0 and not pending_items(db)


def _terminate(watcher: WatcherProcess) -> tuple[int, float]:
    """SIGTERM; the exit code and the seconds the watcher took to stop."""
    watcher.sample()
    stopping = time.time()
    exit_code = stop_process(watcher.process, SHUTDOWN_SECONDS)
    return exit_code, time.time() - stopping


def _figures(db: Path, server: FeedServer, publisher: Publisher, watchers: list[WatcherProcess],
             kinds: list[str], good: list[str], killed_with: int, exit_code: int,
             shutdown: float, args: argparse.Namespace) -> dict[str, Any]:
    from storyline.store import Store
    from storyline.store.safety import check

    counts = good_stored(db, good)
    broken = [server.url(f"/item/{n}") for n, kind in enumerate(kinds)
              if kind not in ("good", "flaky")]
    with Store(db) as store:
        problems = check(store)
        conn = store.conn
        outside_events = conn.execute(
            "SELECT COUNT(*) FROM articles WHERE id NOT IN (SELECT article_id FROM event_members)"
        ).fetchone()[0]
        events = conn.execute("SELECT COUNT(*) FROM events").fetchone()[0]
        parked = conn.execute("SELECT COUNT(*) FROM watch_items WHERE status='parked'"
                              ).fetchone()[0]
        broken_stored = sum(good_stored(db, broken).values())
        stored_at = dict(conn.execute("SELECT url, MIN(ingested_at) FROM articles GROUP BY url"))
    latencies = sorted(
        datetime.fromisoformat(stored_at[url]).timestamp()
        - publisher.published_at(int(url.rsplit("/", 1)[1]))
        for url in good if url in stored_at
    )
    memory = _memory(watchers)
    missing = sum(1 for n in counts.values() if n == 0)
    doubled = sum(1 for n in counts.values() if n > 1)
    result = {
        "minutes": args.minutes, "rate": args.rate,
        "published": len(kinds), "good": len(good),
        "flaky": kinds.count("flaky"), "broken": len(broken),
        "stored_good": sum(1 for n in counts.values() if n > 0),
        "missing": missing, "stored_twice": doubled, "broken_stored": broken_stored,
        "parked": parked, "events": events, "articles_outside_events": outside_events,
        "check_problems": problems,
        "killed_after_published": killed_with, "watcher_processes": len(watchers),
        "sigterm_exit_code": exit_code, "shutdown_seconds": round(shutdown, 1),
        "watcher_cpu_seconds": round(sum(w.cpu_seconds for w in watchers), 1),
        "latency_p50_s": round(statistics.median(latencies), 1) if latencies else None,
        "latency_p95_s": round(latencies[int(0.95 * (len(latencies) - 1))], 1)
        if latencies else None,
        **memory,
    }
    result["passed"] = {
        "every_good_item_once": missing == 0 and doubled == 0,
        "no_broken_item_stored": broken_stored == 0,
        "events_updated": outside_events == 0 and events > 0,
        "store_check_ok": not problems,
        "clean_sigterm": exit_code == 0,
        "rss_growth_within_10_percent": memory["rss_growth"] is not None
        and memory["rss_growth"] <= RSS_GROWTH_LIMIT,
    }
    return result


def _memory(watchers: list[WatcherProcess]) -> dict[str, Any]:
    """RSS once warm against the largest RSS after it, in the longest-lived process."""
    longest = max(watchers, key=lambda w: len(w.rss))
    warm = [(t, kib) for t, kib, is_warm in longest.rss if is_warm]
    if len(warm) < 2:
        return {"rss_warm_mb": None, "rss_peak_mb": None, "rss_growth": None}
    # Once warm, a minute more on long runs: caches of the first batches settle.
    settle = warm[0][0] + (60 if warm[-1][0] - warm[0][0] > 300 else 0)
    start = next(kib for t, kib in warm if t >= settle)
    peak = max(kib for t, kib in warm if t >= settle)
    return {"rss_warm_mb": round(start / 1024, 1), "rss_peak_mb": round(peak / 1024, 1),
            "rss_growth": round(peak / start - 1, 3)}


def format_text(result: dict[str, Any]) -> str:
    lines = [f"soak: {result['minutes']:g} min at {result['rate']:g} items/s"]
    for key, value in result.items():
        if key not in ("minutes", "rate", "passed"):
            lines.append(f"  {key:<26} {value}")
    lines.append("passed:")
    lines += [f"  {key:<30} {'yes' if ok else 'NO'}" for key, ok in result["passed"].items()]
    return "\n".join(lines)
