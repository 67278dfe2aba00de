"""`storyline bench requests --base STORE --articles 10000,20000,50000`: what one read request
costs against the size of the store.

The store is grown cheaply, without the pipeline: copies of a base store's articles made in SQL
(`Store.copy_articles`: new ids, same text, entities and vectors; added to the vector index), of
its events (members renamed to the copies) with their stored briefs and linking profiles. Every
copy is a real row in every table a request reads, so the index seeks, sorts and scans of the
read paths meet stores of each size; only clustering is skipped, which read requests never do.

At each size the real app is served on a loopback port from a thread of this process and each
route is asked `--requests` times with different ids or words (no answer is served from the
cache): the event page, the article page, the home page, the event list by independent outlets
and filtered by an entity and by a language, the entity list and the entity list filtered by a
piece of a name, /api/search (full text and by meaning), the search page and the timeline page
(`--routes` picks some). Reported per route: p50/p95 wall milliseconds and the
mean CPU milliseconds of the process per request (server and the client's urlopen, a constant),
and per route the exponent of CPU per request fitted on store size (0: the cost does not grow
with the store; 1: it grows as the store does).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import shutil
import statistics
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote
from urllib.request import urlopen

from storyline.bench.scale import REQUEST_TIMEOUT_SECONDS, _percentiles, _served
from storyline.model import EVENT_ID_PREFIX, Event, event_founder
from storyline.store import Store
from storyline.summarize.stored import brief_key

HELP = "per-route CPU and p95 of read requests against store size (a store grown by copies)"
SEED = 13
BATCH = 500
# Words common enough to match a large part of any news store: the full-text search's worst case.
COMMON_WORDS = ("said", "government", "people", "police", "president", "officials", "year",
                "country", "minister", "state", "news", "killed")


ROUTES = ("event_page", "article_page", "home", "events_by_outlets", "events_by_entity",
          "events_by_language", "entities", "entities_by_name", "api_search_names",
          "api_search_common", "api_search_semantic", "search_page", "timeline_page")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--base", type=Path, required=True,
                        help="a store with events and briefs to grow by copies (read only)")
    parser.add_argument("--articles", default="10000,20000,50000",
                        help="store sizes to measure at, ascending (default: 10000,20000,50000)")
    parser.add_argument("--requests", type=int, default=12, help="requests per route and size")
    parser.add_argument("--routes", default=",".join(ROUTES),
                        help=f"routes to ask, comma-separated (default: all of {', '.join(ROUTES)})")
    parser.add_argument("--work", type=Path, default=Path("bench-requests.db"),
                        help="the grown store (overwritten)")


def run(data: Path | None, args: argparse.Namespace) -> dict:
    sizes = sorted(int(n) for n in args.articles.split(","))
    routes = [r.strip() for r in args.routes.split(",") if r.strip()]
    if unknown := sorted(set(routes) - set(ROUTES)):
        raise ValueError(f"unknown routes {', '.join(unknown)} (known: {', '.join(ROUTES)})")
    # A WAL left by an earlier run that was stopped would be replayed into the fresh copy.
    for leftover in ("-wal", "-shm"):
        Path(str(args.work) + leftover).unlink(missing_ok=True)
    shutil.copyfile(args.base, args.work)
    index = Path(str(args.base) + ".ann")
    work_index = Path(str(args.work) + ".ann")
    shutil.rmtree(work_index, ignore_errors=True)
    if index.is_dir():
        shutil.copytree(index, work_index)
    points = []
    with Store(args.work) as store:
        base_count = store.count_articles()
        originals = [row["id"] for row in store.list_articles(limit=-1)]
        base_events = [e.id for e in store.list_events()]
        if not base_count or not base_events:
            raise ValueError(f"{args.base} holds no articles or no events to copy")
        copies = 0
        for size in sizes:
            while (missing := size - store.count_articles()) > 0:
                copies += 1
                _add_copy(store, originals[:missing], base_events, copies)
            points.append({"articles": store.count_articles(), "events": store.count_events(),
                           "routes": _measure(args.work, store, args.requests, routes)})
    return {"base_articles": base_count, "points": points, "exponents": _exponents(points)}


def _add_copy(store: Store, originals: list[str], base_events: list[str], copy: int) -> None:
    """One more copy of the `originals` and of the base events made of them only (ids suffixed
    with `-c<copy>`)."""
    import numpy as np

    from storyline.events import STATE_NAME, EventClusterer, StoredVectorIndex

    suffix = f"-c{copy}"
    raw = store.get_state(STATE_NAME)
    encoder = EventClusterer.from_header(json.loads(raw)).encoder if raw else None
    chosen = set(originals)
    store.copy_articles(originals, suffix)
    if encoder:
        def vectors_of(ids: list[str]) -> np.ndarray:
            held = store.get_vectors(encoder, ids)
            return np.vstack([np.asarray(held[i], dtype=np.float32) for i in ids])

        vector_index = StoredVectorIndex(store, vectors_of)
        for start in range(0, len(originals), BATCH):
            ids = [article_id + suffix for article_id in originals[start:start + BATCH]]
            ids = list(store.get_vectors(encoder, ids))
            if ids:
                vector_index.add(ids, vectors_of(ids))
        with store.transaction():
            vector_index.save()
        vector_index.delete_superseded()
    for start in range(0, len(base_events), BATCH):
        events = [e for e in store.get_events(base_events[start:start + BATCH])
                  if chosen.issuperset(e.article_ids)]
        twins = [_renamed(event, suffix) for event in events]
        briefs = {}
        for event, twin in zip(events, twins, strict=True):
            brief = store.get_brief(event.id, brief_key(event))
            if brief is not None:
                briefs[twin.id] = (brief_key(twin), {**brief, "id": twin.id})
        profiles = store.get_event_profiles(e.id for e in events)
        store.save_events(twins)
        store.save_briefs(briefs)
        store.save_event_profiles(
            {**profile, "id": _event_id(event_id, suffix)} for event_id, profile in profiles.items())


def _event_id(event_id: str, suffix: str) -> str:
    founder = event_founder(event_id)
    if founder is None:
        return event_id + suffix
    return EVENT_ID_PREFIX + founder + suffix + "+" * (len(event_id) - len(event_id.rstrip("+")))


def _renamed(event: Event, suffix: str) -> Event:
    record = event.to_dict()
    record["id"] = _event_id(event.id, suffix)
    for member in record["members"]:
        member["article_id"] += suffix
        if member.get("copy_of"):
            member["copy_of"] += suffix
    return Event.from_dict(record)


def _measure(db: Path, store: Store, requests: int, routes: list[str]
             ) -> dict[str, dict[str, float]]:
    rng = random.Random(SEED + store.count_articles())
    events = rng.sample(store.list_events(), min(requests + 1, store.count_events()))
    articles = [e.article_ids[0] for e in events]
    found = _names(store, events) or ["news"]
    names = [quote(n) for n in found]
    # A piece of a name: the entity list's name filter matches it anywhere in a name.
    pieces = [quote(n.split()[0][:6].lower()) for n in found]
    languages = [quote(v) for v, _ in store.article_facets("language") if v] or ["en"]
    words = [quote(w) for w in COMMON_WORDS]

    def pick(items: list[str], i: int) -> str:
        return items[i % len(items)]

    count = requests + 1
    paths = {
        "event_page": [f"/events/{quote(events[i % len(events)].id, safe='')}"
                       for i in range(count)],
        "article_page": [f"/articles/{quote(pick(articles, i), safe='')}" for i in range(count)],
        "home": [f"/?page={i + 1}" for i in range(count)],
        "events_by_outlets": [f"/?sort=outlets&page={i + 1}" for i in range(count)],
        "events_by_entity": [f"/?entity={pick(names, i)}&min_sources=1" for i in range(count)],
        "events_by_language": [f"/?language={pick(languages, i)}&page={i + 1}"
                               for i in range(count)],
        "entities": [f"/entities?page={i + 1}" for i in range(count)],
        "entities_by_name": [f"/entities?q={pick(pieces, i)}" for i in range(count)],
        "api_search_names": [f"/api/search?q={pick(names, i)}&mode=fulltext" for i in range(count)],
        "api_search_common": [f"/api/search?q={pick(words, i)}&mode=fulltext"
                              for i in range(count)],
        "api_search_semantic": [f"/api/search?q={pick(names, i)}+{pick(words, i)}&mode=semantic"
                                for i in range(count)],
        "search_page": [f"/search?q={pick(words, i)}" for i in range(count)],
        "timeline_page": [f"/timeline?q={pick(names, i)}" for i in range(count)],
    }
    result = {}
    with _served(db) as base_url:
        for kind in routes:
            urls = paths[kind]
            walls, cpus = [], []
            for url in urls:
                wall, cpu = time.perf_counter(), time.process_time()
                with urlopen(base_url + url, timeout=REQUEST_TIMEOUT_SECONDS) as response:
                    response.read()
                walls.append((time.perf_counter() - wall) * 1000)
                cpus.append((time.process_time() - cpu) * 1000)
            # The first request of a kind pays the route's one-off imports: left out.
            result[kind] = {**_percentiles(walls[1:]),
                            "cpu_ms": round(statistics.fmean(cpus[1:]), 2)}
    return result


def _names(store: Store, events: list[Event]) -> list[str]:
    names = []
    for article in store.get_articles(e.article_ids[0] for e in events):
        if article.entities:
            names.append(article.entities[0].name)
    return names


def _exponents(points: list[dict[str, Any]]) -> dict[str, float | None]:
    """Per route: the least-squares slope of log(CPU per request) on log(articles)."""
    exponents: dict[str, float | None] = {}
    for kind in points[0]["routes"]:
        pairs = [(math.log(p["articles"]), math.log(p["routes"][kind]["cpu_ms"]))
                 for p in points if p["routes"][kind]["cpu_ms"] > 0]
        if len(pairs) < 2:
            exponents[kind] = None
            continue
        mean_x = statistics.fmean(x for x, _ in pairs)
        mean_y = statistics.fmean(y for _, y in pairs)
        spread = sum((x - mean_x) ** 2 for x, _ in pairs)
        exponents[kind] = round(sum((x - mean_x) * (y - mean_y) for x, y in pairs) / spread, 3)
    return exponents


def format_text(result: dict) -> str:
    kinds = list(result["exponents"])
    lines = [f"base store: {result['base_articles']} articles, grown by copies",
             f"{'route':<22}" + "".join(f"{p['articles']:>22,}" for p in result["points"])
             + f"{'exponent':>10}",
             f"{'':<22}" + f"{'CPU ms  p50/p95 ms':>22}" * len(result["points"])]
    for kind in kinds:
        cells = "".join(
            f"{p['routes'][kind]['cpu_ms']:>8.1f}  {p['routes'][kind]['p50']:>5.0f}/"
            f"{p['routes'][kind]['p95']:<5.0f}" for p in result["points"])
        exponent = result["exponents"][kind]
        lines.append(f"{kind:<22}{cells}{'' if exponent is None else exponent:>10}")
    return "\n".join(lines)
