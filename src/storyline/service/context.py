"""What the REST API and the web UI share in one server process: the store, cached briefs,
timelines and searches, and the bounded pool their computations run in.

Both interfaces call the same library functions through this object, so a page and its JSON twin
always show the same brief, timeline and search results.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from storyline import settings, views
from storyline.config import PipelineConfig
from storyline.model import Event, event_founder
from storyline.service.capacity import ComputePool, Overloaded, VersionedCache
from storyline.store import EventFilter, Store, StoreVersion

if TYPE_CHECKING:
    from storyline.summarize.timeline import TimelineConfig

T = TypeVar("T")

BRIEF_CACHE_SIZE = 256
# Timelines and searches kept per store version (all of them dropped when the store changes).
RESULT_CACHE_SIZE = 512
# Events listed on an entity's page (the newest, shown oldest first).
ENTITY_EVENTS = 500


@dataclass(frozen=True)
class ServerConfig:
    """The server's tunables (section `[server]` of a pipeline configuration)."""

    # Articles found by meaning below this similarity are not shown.
    semantic_floor: float = settings.SEARCH_SEMANTIC_FLOOR
    # /api/status calls the watcher stale when it has not written for this long.
    watch_stale_seconds: float = settings.WATCH_STALE_SECONDS

    def __post_init__(self) -> None:
        if not -1 <= self.semantic_floor <= 1:
            raise ValueError("semantic_floor must be a cosine similarity, from -1 to 1")
        if not 0 < self.watch_stale_seconds < float("inf"):
            raise ValueError("watch_stale_seconds must be above 0")


class NotFound(Exception):
    """A requested id does not exist (HTTP 404, code `not_found`)."""

    def __init__(self, kind: str, identifier: str) -> None:
        super().__init__(f"no {kind} with id {identifier!r}")
        self.kind = kind


class Moved(Exception):
    """An event id that no longer exists because its reports now make up another event (the
    event update merged or regrouped it): the address of the event that holds its founding
    report (HTTP 307 there)."""

    def __init__(self, old_id: str, new_id: str) -> None:
        super().__init__(f"event {old_id!r} is now part of event {new_id!r}")
        self.old_id = old_id
        self.new_id = new_id


@dataclass
class ServerContext:
    store: Store
    # The store's version (see `store.StoreVersion`): cached results are valid for one. By
    # default watched on the store's own file.
    version: Callable[[], int] | None = None
    # Server-side ingest paths must resolve inside this folder; None disables them. Both folders
    # are real paths (links resolved), as the ingest boundary check compares real paths.
    ingest_dir: Path | None = None
    upload_dir: Path | None = None
    # The pipeline configuration: the [server] section, and how briefs and timelines are built.
    pipeline: PipelineConfig = field(default_factory=PipelineConfig)
    _briefs: OrderedDict[tuple[str, tuple[str, ...]], dict[str, Any]] = field(
        default_factory=OrderedDict
    )
    _building: dict[tuple[str, tuple[str, ...]], threading.Lock] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    # Timelines and searches; briefs have a pool of their own, so a run of timelines never
    # refuses an event page.
    compute: ComputePool = field(default_factory=ComputePool)
    briefs: ComputePool = field(default_factory=ComputePool)
    _results: VersionedCache[Any] = field(default_factory=lambda: VersionedCache(RESULT_CACHE_SIZE))
    # Where timelines are computed: a process of their own (`service.offload.Offload`, the
    # server's), else (None) here, in the calling thread.
    offload: Callable[[Callable[[Store], Any]], Any] | None = None

    @property
    def config(self) -> ServerConfig:
        return self.pipeline.section(ServerConfig)

    def store_version(self) -> int:
        if self.version is None:
            self.version = StoreVersion(self.store.path)
        return self.version()

    def expensive(self, key: tuple[object, ...], compute: Callable[[], T], what: str) -> T:
        """`compute()`'s result for `key`, computed once per store version in the compute pool
        (`Overloaded` when the pool is busy). Callers must not modify what it returns."""
        version = self.store_version()
        found = self._results.get(key, version)
        if found is None:
            found = self.compute.run(compute, what)
            self._results.put(key, version, found)
        return found

    # -- articles ---------------------------------------------------------------------------
    def article(self, article_id: str) -> dict[str, Any]:
        article = self.store.get_article(article_id)
        if article is None:
            raise NotFound("article", article_id)
        return views.article_detail(article)

    # -- events -----------------------------------------------------------------------------
    def event(self, event_id: str) -> Event:
        event = self.store.get_event(event_id)
        if event is None:
            founder = event_founder(event_id)
            holder = self.store.event_ids_of_articles([founder]).get(founder) if founder else None
            if holder is not None and holder != event_id:
                raise Moved(event_id, holder)
            raise NotFound("event", event_id)
        return event

    def events(
        self, where: EventFilter, order: str = "date", limit: int = 50, offset: int = 0,
        entity: str | None = None,
    ) -> tuple[list[Event], int, int]:
        """A page of events, the number matching and their articles; `entity` is a name, alias
        or id and narrows `where` to the entities it names."""
        if entity:
            where = replace(where, entity_ids=frozenset(self._entity_ids(entity)))
        return self.store.find_events(where, order=order, limit=limit, offset=offset)

    def _entity_ids(self, name_or_id: str) -> set[str]:
        ids = {e["id"] for e in self.store.find_entities(name_or_id)}
        if self.store.get_entity(name_or_id):
            ids.add(name_or_id)
        return ids

    def brief(self, event: Event) -> dict[str, Any]:
        """The event's brief: the one stored when the event changed, else (a store written
        before briefs were stored) computed once per membership (briefs are deterministic).

        A cold brief is built in the brief pool (`Overloaded` when it is busy). Concurrent
        requests for the same brief wait a bounded time for one computation instead of each
        starting their own, so a burst on a cold event costs one build, not hundreds.
        """
        from storyline.summarize.stored import brief_key

        stored = self.store.get_brief(event.id, brief_key(event))
        if stored is not None:  # built when the event last changed
            return stored
        # Imported only to build one: the builder loads scikit-learn (0.6 CPU s), which made a
        # server's first stored brief cost that much.
        from storyline.summarize.vectors import ClaimEncoding

        key = (event.id, tuple(event.article_ids))
        with self._lock:
            if (brief := self._cached_brief(key)) is not None:
                return brief
            building = self._building.setdefault(key, threading.Lock())
        if not building.acquire(timeout=self.briefs.wait_seconds):
            raise Overloaded("this event's brief is being written; retry in a moment")
        try:
            with self._lock:
                if (brief := self._cached_brief(key)) is not None:
                    return brief
            articles = self.store.get_articles(event.article_ids)
            encoding = self.pipeline.section(ClaimEncoding)
            summarizer = self.pipeline.event_summarizer()
            brief = self.briefs.run(
                lambda: summarizer(event, articles, encoding=encoding).to_dict(), "brief")
            self._keep_brief(key, brief)
        finally:
            building.release()
        return brief

    def _cached_brief(self, key: tuple[str, tuple[str, ...]]) -> dict[str, Any] | None:
        if key in self._briefs:
            self._briefs.move_to_end(key)
        return self._briefs.get(key)

    def _keep_brief(self, key: tuple[str, tuple[str, ...]], brief: dict[str, Any]) -> None:
        with self._lock:
            self._briefs[key] = brief
            self._building.pop(key, None)
            while len(self._briefs) > BRIEF_CACHE_SIZE:
                self._briefs.popitem(last=False)

    def event_detail(self, event_id: str) -> dict[str, Any]:
        event = self.event(event_id)
        return {**views.event_summary(event), **self.brief(event)}

    # -- storylines and entities ------------------------------------------------------------
    def storyline(self, storyline_id: str) -> dict[str, Any]:
        storyline = self.store.get_storyline(storyline_id)
        if storyline is None:
            raise NotFound("storyline", storyline_id)
        return views.storyline_summary(storyline)

    def entity(self, entity_id: str) -> dict[str, Any]:
        entity = self.store.get_entity(entity_id)
        if entity is None:
            raise NotFound("entity", entity_id)
        # In SQL and bounded: an entity page never loads the event table.
        events, _, _ = self.store.find_events(
            EventFilter(entity_ids=frozenset({entity_id})), limit=ENTITY_EVENTS)
        events.sort(key=lambda e: (e.date or "9999", e.id))
        return {**entity, "events": [views.event_summary(e) for e in events]}

    # -- timelines ---------------------------------------------------------------------------
    def timeline(self, query: str, start: str | None = None, end: str | None = None,
                 dates: int | None = None, sentences: int | None = None) -> dict[str, Any]:
        """The timeline of `query` (see `summarize.timeline.build_timeline`), as a dict."""
        from storyline.summarize.timeline import TimelineConfig

        job = partial(_timeline, query=query, start=start, end=end, dates=dates,
                      sentences=sentences, config=self.pipeline.section(TimelineConfig))
        offload = self.offload
        return self.expensive(
            ("timeline", query, start, end, dates, sentences),
            (lambda: offload(job)) if offload else (lambda: job(self.store)), "timeline")

    # -- search -----------------------------------------------------------------------------
    def search(self, query: str, mode: str = "both", limit: int = 20) -> list[dict[str, Any]]:
        """Full-text hits first, then semantic neighbours not already found."""
        return self.expensive(("search", query, mode, limit),
                              lambda: self._search(query, mode, limit), "search")

    def _search(self, query: str, mode: str, limit: int) -> list[dict[str, Any]]:
        results: list[dict[str, Any]] = []
        if mode in ("fulltext", "both"):
            for row in self.store.search(query, limit=limit):
                results.append({**views.article_summary(row), "snippet": row["snippet"],
                                "match": "fulltext"})
        if mode in ("semantic", "both") and len(results) < limit:
            seen = {r["id"] for r in results}
            found = dict(pair for pair in self._semantic(query, limit) if pair[0] not in seen)
            for row in self.store.article_rows(found):
                results.append({**views.article_summary(row), "snippet": None,
                                "match": "semantic", "score": round(found[row["id"]], 4)})
        return results[:limit]

    def semantic(self, query: str, limit: int) -> list[tuple[str, float]]:
        """Articles nearest to the query by meaning, only those above the relevance floor
        (cached per store version, computed in the compute pool)."""
        return self.expensive(("semantic", query, limit), lambda: self._semantic(query, limit),
                              "search")

    def _semantic(self, query: str, limit: int) -> list[tuple[str, float]]:
        # Through the event clusterer's vector index: a request never loads every vector.
        from storyline.events import nearest_articles  # here: its encoder costs every API start

        return [(article_id, score) for article_id, score in
                nearest_articles(self.store, query, limit)
                if score >= self.config.semantic_floor]


def _timeline(store: Store, query: str, start: str | None, end: str | None, dates: int | None,
              sentences: int | None, config: TimelineConfig) -> dict[str, Any]:
    """A timeline as `ServerContext.timeline` answers it: a job for `service.offload` (a
    module-level function, so that it can be sent to another process)."""
    from storyline.summarize import timeline

    return timeline.build_timeline(store, query, start=start, end=end, dates=dates,
                                   sentences=sentences, config=config).to_dict()
