"""Benchmark 'scale': how ingest, event updates and requests behave as the store grows.

Data: `--data DIR` holding `timeline17/` and/or `ecbplus/ecbplus.jsonl` (../shared/data). Their
articles are the material of a synthetic but realistic stream of N articles: every base article
keeps its headline and lead, the rest of its body is recombined with sentences of another article
of the same topic, its date is shifted by a whole cycle each time the stream has used up the
material (so a reused base lands in a new time window, as a recurring story does), its outlet
varies, and 10 % of the stream are near-duplicates of a recent article (another outlet, one
sentence dropped). Most records carry a date, as feeds do; the rest are left for the dating
stage. The stream arrives roughly in date order, written as JSON Lines files.

It goes through the real pipeline (`pipeline.ingest` with its event update, what `storyline
ingest` runs) into a real SQLite store in a temporary folder, `--batch` articles per ingest call,
each call's event update running in a forked child beside the next call's ingest
(`pipeline.EventUpdates`), as a firehose would be fed, and forked as `storyline watch` forks
them: from a zygote, a small process holding only what an update loads (`forked.Zygote`). At
each checkpoint the last update is waited for, and the last `--probe` articles (100) are
ingested as a call of their own, its update waited for: its cost, against the same probe at the
smallest checkpoint, is `incremental_ratio`. Then the REST API (the real app, on a loopback port
served from a thread of a child forked from a zygote of its own) is
asked: event pages of distinct events (their stored briefs), the event list, search and timelines,
`--requests` times each, for p50/p95 latencies; one request of each kind before them, on an event
or name not measured, is reported apart as `first` (the server's one-off imports).

Figures are CPU seconds where they can be (the machine is shared; wall time mostly measures the
neighbours): `articles_per_second` is wall time, `articles_per_cpu_second` CPU time (of this
process, its ingest workers and the updates' children), `cores_busy` their ratio, and
`update_wait_seconds` the wall time the ingest stood waiting for an update (what the overlap
did not hide). CPU seconds per article per stage (read, clean, enrich, embed, store in the
pipeline; events = the event update), `exponent` = slope of log(cumulative CPU seconds) against
log(articles) across checkpoints (1.0 = linear), peak RSS of this process and of its largest
child (an ingest worker, a forked event update, `storyline.forked`, or the request phase, served
from a child of its own as a server is; the largest update and request child also apart; both
kinds are forked from zygotes, small processes without the ingest's models), and
database bytes per
article (the database file and the vector index's segment folder, after a WAL checkpoint the
bench asks for; the raw figure, WAL included, beside it). Model loading is done once before the
clock starts.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import resource
import statistics
import sys
import tempfile
import threading
import time
from collections import defaultdict, deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import quote
from urllib.request import urlopen

from storyline import enrich, forked, pipeline
from storyline.bench import pipeline_config
from storyline.errors import CommandError
from storyline.store import Store
from storyline.timing import cpu_seconds

HELP = "synthetic stream of N articles: throughput, cost exponent, RSS, DB size, API latency"
DEFAULT_ARTICLES = 1000
DEFAULT_BATCH = 500
PROBE_ARTICLES = 100
DEFAULT_REQUESTS = 20
# How long a probe request may take (the served app waits as long for its answer).
REQUEST_TIMEOUT_SECONDS = 600.0
NEAR_DUPLICATE_SHARE = 0.10
DATED_SHARE = 0.85
# Records per JSON Lines file, as a feed export delivers them.
RECORDS_PER_FILE = 50
# A base article reused by the stream moves this many days per cycle: beyond the clusterer's
# time window, so its second use is a new event, not a member of the first. Later cycles overlap
# earlier ones in time, so a bigger stream is also a denser one (more articles per day).
CYCLE_DAYS = 400
LEAD_SENTENCES = 3
PARAGRAPH_SENTENCES = 3
SEED = 17
# Outlet names invented for the stream (not taken from the data).
OUTLETS = (
    "Northern Ledger", "Daily Meridian", "Harbour Times", "The Civic Post", "Valley Courier",
    "Capital Wire", "Evening Standardbearer", "Coastline News", "Metro Dispatch", "The Observer Star",
    "Plains Gazette", "Riverside Chronicle", "Summit Report", "The Morning Beacon", "Atlas Press",
    "Union Herald", "Frontier Journal", "Lakeside Tribune", "The Weekly Lantern", "Delta Bulletin",
)


@dataclass
class Base:
    """One real article as material: headline, sentences, date (None when unknown), topic."""

    title: str
    sentences: list[str]
    day: date | None
    topic: str


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--articles", type=int, default=DEFAULT_ARTICLES, metavar="N",
                        help=f"articles in the stream (default {DEFAULT_ARTICLES})")
    parser.add_argument("--checkpoints", type=_counts, default=None, metavar="N,N,...",
                        help="measure at these store sizes (default: N/10 and N)")
    parser.add_argument("--batch", type=int, default=DEFAULT_BATCH, metavar="N",
                        help=f"articles per ingest call (default {DEFAULT_BATCH})")
    parser.add_argument("--probe", type=int, default=PROBE_ARTICLES, metavar="N",
                        help=f"articles of the incremental probe (default {PROBE_ARTICLES})")
    parser.add_argument("--requests", type=int, default=DEFAULT_REQUESTS, metavar="N",
                        help=f"requests per endpoint and checkpoint (default {DEFAULT_REQUESTS})")


def _counts(text: str) -> list[int]:
    try:
        counts = sorted({int(part) for part in text.split(",") if part.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of counts: {text!r}") from None
    if not counts or counts[0] < 1:
        raise argparse.ArgumentTypeError("checkpoints must be positive counts")
    return counts


# -- the stream ------------------------------------------------------------------------------

def load_material(data: Path) -> list[Base]:
    """Timeline17 and ECB+ articles under `data`; a clear error when neither is there."""
    bases = _timeline17(data / "timeline17") + _ecbplus(data / "ecbplus" / "ecbplus.jsonl")
    if not bases:
        raise CommandError(
            f"bench scale needs timeline17/ or ecbplus/ecbplus.jsonl under {data}; found neither"
        )
    return bases


def _timeline17(folder: Path) -> list[Base]:
    bases = []
    for path in sorted(folder.glob("*/InputDocs/*/*.txt")):
        lines = _lines(path.read_text(encoding="utf-8", errors="replace"))
        if len(lines) > 1:
            topic = path.parts[-4]
            bases.append(Base(lines[0], lines[1:], _day(path.parts[-2]), topic))
    return bases


def _ecbplus(path: Path) -> list[Base]:
    if not path.is_file():
        return []
    bases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        lines = [text for text in _lines(record["text"]) if not text.startswith("http")]
        if len(lines) > 1:
            bases.append(Base(lines[0], lines[1:], None, f"ecbplus-{record['topic']}"))
    return bases


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def stream(bases: list[Base], count: int, seed: int = SEED) -> Iterator[dict[str, Any]]:
    """`count` feed records recombined from `bases` (see the module docstring)."""
    rng = random.Random(seed)
    by_topic: dict[str, list[Base]] = defaultdict(list)
    for base in bases:
        by_topic[base.topic].append(base)
    known = [base.day for base in bases if base.day]
    first_day = min(known) if known else date(2010, 1, 1)
    span = max(1, (max(known) - first_day).days) if known else 365
    # Undated material gets a random place in the order; the order is by date, like a feed's.
    placed = sorted(
        bases, key=lambda b: (b.day or first_day + timedelta(days=rng.randrange(span)), rng.random())
    )
    recent: deque[dict[str, Any]] = deque(maxlen=200)
    fresh = 0
    for number in range(count):
        if recent and rng.random() < NEAR_DUPLICATE_SHARE:
            record = _near_duplicate(rng.choice(recent), rng, number)
        else:
            cycle, position = divmod(fresh, len(placed))
            fresh += 1
            base = placed[position]
            record = _recombined(base, rng.choice(by_topic[base.topic]), cycle, rng, number,
                                 first_day, span)
            recent.append(record)
        yield record


def _recombined(base: Base, donor: Base, cycle: int, rng: random.Random, number: int,
                first_day: date, span: int) -> dict[str, Any]:
    lead, rest = base.sentences[:LEAD_SENTENCES], base.sentences[LEAD_SENTENCES:]
    borrowed = donor.sentences[LEAD_SENTENCES:] if donor is not base else []
    body = [s for s in rest if rng.random() < 0.7]
    body += rng.sample(borrowed, min(len(borrowed), max(0, len(rest) - len(body))))
    rng.shuffle(body)
    outlet = rng.choice(OUTLETS)
    record: dict[str, Any] = {
        "title": base.title,
        "text": _paragraphs(lead + body),
        "outlet": outlet,
        "url": f"https://{_slug(outlet)}.example/{number}",
    }
    if rng.random() < DATED_SHARE:
        day = base.day or first_day + timedelta(days=rng.randrange(span))
        record["published"] = (day + timedelta(days=cycle * CYCLE_DAYS)).isoformat()
    return record


def _near_duplicate(original: dict[str, Any], rng: random.Random, number: int) -> dict[str, Any]:
    sentences = [s for paragraph in original["text"].split("\n\n") for s in paragraph.split("\n")]
    if len(sentences) > LEAD_SENTENCES + 1:
        del sentences[rng.randrange(LEAD_SENTENCES, len(sentences))]
    outlet = rng.choice(OUTLETS)
    return {**original, "text": _paragraphs(sentences), "outlet": outlet,
            "url": f"https://{_slug(outlet)}.example/{number}"}


def _paragraphs(sentences: list[str]) -> str:
    return "\n\n".join(
        " ".join(sentences[start : start + PARAGRAPH_SENTENCES])
        for start in range(0, len(sentences), PARAGRAPH_SENTENCES)
    )


def _slug(name: str) -> str:
    return "-".join(name.casefold().split())


# -- the run ---------------------------------------------------------------------------------

def run(data: Path, args: argparse.Namespace) -> dict:
    count = args.articles
    checkpoints = [n for n in (args.checkpoints or [max(1, count // 10), count]) if n <= count]
    if not checkpoints or checkpoints[-1] != count:
        checkpoints.append(count)
    probe = max(1, min(args.probe, checkpoints[0]))
    bases = load_material(data)
    with tempfile.TemporaryDirectory(prefix="storyline-scale-") as folder:
        return _Run(Path(folder), bases, args, probe).measure(count, checkpoints)


class _Run:
    def __init__(self, folder: Path, bases: list[Base], args: argparse.Namespace,
                 probe: int) -> None:
        self.folder = folder
        self.db = folder / "scale.db"
        self.records = stream(bases, args.articles)
        self.args = args
        self.config = pipeline_config(args)
        self.probe = probe
        self.files = 0
        self.stages: dict[str, float] = defaultdict(float)
        self.cpu = 0.0
        self.wall = 0.0
        self.waited = 0.0  # wall seconds the ingest stood waiting for an event update
        self.stored = 0
        # The request phase's children are forked from a zygote of their own, holding what
        # the server loads: a server is a process of its own, without the ingest's models.
        self.server = forked.Zygote(_load_server)

    def measure(self, count: int, checkpoints: list[int]) -> dict:
        enrich.warm_up(self.config.recognizer())  # models load once, before any clock starts
        # Updates forked from a zygote, as `storyline watch` forks them: not from this process,
        # which holds the ingest's models.
        try:
            with Store(self.db) as store, \
                    pipeline.EventUpdates(store, self.config, zygote=True) as updates:
                points = [self._checkpoint(store, updates, target) for target in checkpoints]
        finally:
            self.server.close()
        return _summary(count, points)

    def _checkpoint(self, store: Store, updates: pipeline.EventUpdates, target: int
                    ) -> dict[str, Any]:
        before = self.stored
        sizes = [min(self.args.batch, target - self.probe - start)
                 for start in range(self.stored, target - self.probe, self.args.batch)]
        # The files are written before the clock starts.
        self._timed(store, updates, [(size, self._write(size)) for size in sizes])
        probe = target - self.stored
        probe_cpu, probe_wall = self._timed(store, updates, [(probe, self._write(probe))])
        point = {
            "articles": target,
            "stored": store.count_articles(),
            "cpu_seconds": round(self.cpu, 2),
            "wall_seconds": round(self.wall, 2),
            "articles_per_second": round(target / self.wall, 1) if self.wall else 0.0,
            "articles_per_cpu_second": round(target / self.cpu, 1) if self.cpu else 0.0,
            # How many cores the run kept busy on average (all of it: this process, the ingest
            # workers and the event updates' children): wall and CPU figures side by side.
            "cores_busy": round(self.cpu / self.wall, 2) if self.wall else 0.0,
            # Of the wall time, how long the ingest stood waiting for an event update to end
            # (the rest of the updates ran beside the next batch's ingest).
            "update_wait_seconds": round(self.waited, 2),
            "probe_cpu_seconds": round(probe_cpu, 3),
            "probe_wall_seconds": round(probe_wall, 3),
            "stage_cpu_seconds_per_article": {
                stage: round(seconds / target, 5) for stage, seconds in sorted(self.stages.items())
                if "." not in stage
            },
            **_stored_bytes(store, self.db, target),
        }
        point["latency_ms"] = _served_latencies(self.db, self.args.requests, self.server)
        point.update(_peak_rss())
        # The figures so far, in case a long run is stopped before it prints its result.
        print(f"bench scale: checkpoint {target} ({target - before} new): "
              f"{json.dumps(point)}", file=sys.stderr)
        return point

    def _timed(self, store: Store, updates: pipeline.EventUpdates,
               batches: list[tuple[int, list[str]]]) -> tuple[float, float]:
        """Ingest each batch of files as one call whose event update runs beside the next
        call (`pipeline.EventUpdates`), then wait for the last update; (CPU, wall) of it all,
        added to the run's totals."""
        stages_before = dict(pipeline.STAGE_SECONDS)
        events_before, waited_before = updates.cpu_seconds, updates.waited_seconds
        cpu_started, wall_started = cpu_seconds(), time.perf_counter()
        for count, paths in batches:
            pipeline.ingest(paths, store, config=self.config, updates=updates)
            self.stored += count
            for path in paths:
                Path(path).unlink()
            print(f"bench scale: {self.stored} articles stored", file=sys.stderr)
        updates.wait()
        cpu, wall = cpu_seconds() - cpu_started, time.perf_counter() - wall_started
        for stage, total in pipeline.STAGE_SECONDS.items():
            self.stages[stage] += total - stages_before.get(stage, 0.0)
        self.stages["events"] += updates.cpu_seconds - events_before
        self.waited += updates.waited_seconds - waited_before
        self.cpu += cpu
        self.wall += wall
        print(f"bench scale: {self.stored} articles, {self.stored / self.wall:.1f}/s wall, "
              f"{self.stored / self.cpu:.1f}/CPU s", file=sys.stderr)
        return cpu, wall

    def _write(self, count: int) -> list[str]:
        paths = []
        for start in range(0, count, RECORDS_PER_FILE):
            self.files += 1
            path = self.folder / f"feed-{self.files:06d}.jsonl"
            lines = [json.dumps(next(self.records), ensure_ascii=False)
                     for _ in range(min(RECORDS_PER_FILE, count - start))]
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
            paths.append(str(path))
        return paths


def _peak_rss() -> dict[str, float]:
    """Peak RSS of this process and of its largest child, and apart the largest forked event
    update's and request phase's. A child forked by a zygote is the zygote's, not this
    process's (the kernel counts it here only once the zygote is waited for): `forked` keeps
    its peak."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    worker = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
                 *forked.PEAK_RSS_MIB.values(), 0.0)
    return {"peak_rss_mib": round(own, 1), "peak_worker_rss_mib": round(worker, 1),
            "peak_update_rss_mib": round(forked.PEAK_RSS_MIB.get("events", 0.0), 1),
            "peak_requests_rss_mib": round(forked.PEAK_RSS_MIB.get("requests", 0.0), 1)}


def _stored_bytes(store: Store, db: Path, articles: int) -> dict[str, int]:
    """Bytes per article on disk: `db_bytes_per_article` once the store's WAL is checkpointed
    into the database file (the WAL is a transient file SQLite cuts back on its own; up to
    WAL_SIZE_LIMIT is reused between checkpoints), and `db_bytes_per_article_raw` as found
    before that checkpoint, WAL included."""
    raw = _database_bytes(db)
    store.checkpoint()
    return {"db_bytes_per_article": round(_database_bytes(db) / max(1, articles)),
            "db_bytes_per_article_raw": round(raw / max(1, articles))}


def _database_bytes(db: Path) -> int:
    """The database, its WAL and the vector index's segment folder (stale segment files
    included until they are deleted)."""
    paths = [p for path in db.parent.glob(db.name + "*")
             for p in (path.iterdir() if path.is_dir() else [path])]
    return sum(path.stat().st_size for path in paths)


def _served_latencies(db: Path, requests: int, server: forked.Zygote | None = None
                      ) -> dict[str, dict[str, float]]:
    """`_latencies`, in a forked child where this process may fork (from the `server` zygote,
    if given): in use the API server is a process of its own (`storyline serve`), and what its
    requests read (timelines, event pages, the vector index's views) would otherwise stay in
    this process, whose forked children start with all it holds (its RSS counts in theirs)."""
    if forked.can_fork():
        return forked.call(partial(_latencies, db, requests), kind="requests", zygote=server)
    return _latencies(db, requests)


def _load_server() -> None:
    """What the request phase loads before its first request (the app and its server), loaded
    once in the zygote its children are forked from."""
    import uvicorn  # noqa: F401

    import storyline.server  # noqa: F401


def _latencies(db: Path, requests: int) -> dict[str, dict[str, float]]:
    """p50/p95 milliseconds of the API routes behind the event page, the event list, search and
    the timeline: the real app on a loopback port, served from a thread of this process.

    Each kind's first request (`first`, on an event or name not among the measured ones, so no
    answer is cached for them) is kept out of p50/p95: it pays once per server process for what
    the route imports and opens (40 ms of CPU and, on a loaded machine, 200-300 ms of wall time
    for the event page), and with 10 requests p95 is the slowest one."""
    rng = random.Random(SEED)
    with Store(db) as store:
        events = store.list_events()
        event_ids = rng.sample([e.id for e in events], min(requests + 1, len(events)))
        names = [quote(name) for name in _query_names(store, events, rng, requests + 1)]
    paths = {
        "event_page": [f"/api/events/{event_id}" for event_id in event_ids],
        "events": ["/api/events?limit=50&sort=size"] + ["/api/events?limit=50"] * requests,
        "search": [f"/api/search?q={name}" for name in names],
        "timeline": [f"/api/timeline?q={name}" for name in names],
    }
    result = {}
    with _served(db) as base_url:
        for kind, urls in paths.items():
            timings = []
            for url in urls:
                started = time.perf_counter()
                with urlopen(base_url + url, timeout=REQUEST_TIMEOUT_SECONDS) as response:
                    response.read()
                timings.append((time.perf_counter() - started) * 1000)
            result[kind] = {**_percentiles(timings[1:] or timings), "first": round(timings[0], 1)}
    return result


@contextmanager
def _served(db: Path) -> Iterator[str]:
    import uvicorn

    from storyline.server import create_app
    from storyline.server_process import free_port

    port = free_port()
    # No answer budget: the bench measures what an answer costs, and a slow one would be a 503.
    # Timelines computed in this process, not in the server's timeline process
    # (`service.offload`): the CPU a request costs is measured here (`bench requests`).
    app = create_app(db, answer_seconds=REQUEST_TIMEOUT_SECONDS, offload_timelines=False)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, name="bench-server", daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("the API server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join()


def _query_names(store: Store, events: list, rng: random.Random, count: int) -> list[str]:
    """Entity names users would type: the first entity of random events' first articles."""
    names: list[str] = []
    for event in rng.sample(events, min(len(events), 4 * count)):
        article = store.get_article(event.article_ids[0])
        if article and article.entities:
            names.append(article.entities[0].name)
        if len(names) >= count:
            break
    return names or ["news"]


def _percentiles(timings: list[float]) -> dict[str, float]:
    ordered = sorted(timings)
    if not ordered:
        return {"p50": 0.0, "p95": 0.0}
    return {"p50": round(statistics.median(ordered), 1),
            "p95": round(ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)], 1)}


def _exponent(points: list[dict[str, Any]]) -> float | None:
    """Least-squares slope of log(cumulative CPU seconds) on log(articles)."""
    pairs = [(math.log(p["articles"]), math.log(p["cpu_seconds"]))
             for p in points if p["cpu_seconds"] > 0]
    if len(pairs) < 2:
        return None
    mean_x = statistics.fmean(x for x, _ in pairs)
    mean_y = statistics.fmean(y for _, y in pairs)
    spread = sum((x - mean_x) ** 2 for x, _ in pairs)
    if spread == 0:
        return None
    return round(sum((x - mean_x) * (y - mean_y) for x, y in pairs) / spread, 3)


def _summary(count: int, points: list[dict[str, Any]]) -> dict:
    last, first = points[-1], points[0]
    ratio = (last["probe_cpu_seconds"] / first["probe_cpu_seconds"]
             if first["probe_cpu_seconds"] else None)
    return {
        "articles": count,
        "articles_per_second": last["articles_per_second"],
        "articles_per_cpu_second": last["articles_per_cpu_second"],
        "cores_busy": last["cores_busy"],
        "cpu_seconds_per_article": round(last["cpu_seconds"] / count, 5),
        "stage_cpu_seconds_per_article": last["stage_cpu_seconds_per_article"],
        "exponent": _exponent(points),
        "incremental_ratio": round(ratio, 2) if ratio is not None else None,
        "peak_rss_mib": max(last["peak_rss_mib"], last["peak_worker_rss_mib"]),
        "db_bytes_per_article": last["db_bytes_per_article"],
        "db_bytes_per_article_raw": last["db_bytes_per_article_raw"],
        "p95_ms": {kind: figures["p95"] for kind, figures in last["latency_ms"].items()},
        "checkpoints": points,
    }


def format_text(result: dict) -> str:
    lines = [
        f"{result['articles']} articles",
        (f"{'checkpoint':>10} {'art/s':>7} {'art/CPU-s':>9} {'probe CPU-s':>11} {'RSS MiB':>8}"
         f" {'worker MiB':>10} {'update MiB':>10} {'DB B/art':>9} {'with WAL':>9}  p50/p95 ms: event page, events, search, timeline"),
    ]
    for point in result["checkpoints"]:
        latency = point["latency_ms"]
        lines.append(
            f"{point['articles']:>10} {point['articles_per_second']:>7} "
            f"{point['articles_per_cpu_second']:>9} {point['probe_cpu_seconds']:>11} "
            f"{point['peak_rss_mib']:>8} {point['peak_worker_rss_mib']:>10} "
            f"{point['peak_update_rss_mib']:>10} "
            f"{point['db_bytes_per_article']:>9} {point['db_bytes_per_article_raw']:>9}  "
            + ", ".join(f"{latency[k]['p50']}/{latency[k]['p95']}"
                        for k in ("event_page", "events", "search", "timeline"))
        )
    stages = ", ".join(f"{stage} {value}"
                       for stage, value in result["stage_cpu_seconds_per_article"].items())
    lines += [
        f"CPU seconds per article: {result['cpu_seconds_per_article']} ({stages})",
        f"cost exponent {result['exponent']}, incremental ratio {result['incremental_ratio']}",
    ]
    return "\n".join(lines)
