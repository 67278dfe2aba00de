"""Events: online clustering of stored articles, then copy roles and storylines.

`update_events` runs after every ingest: the clusterer is loaded row by row (`rows.py`: only the
rows an article's candidates touch are read), the articles stored since the last update are fed
to `partial_fit` in publication order, and only the events that changed are re-explained and
rewritten. `recluster` rebuilds everything from scratch, deterministically.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from time import process_time
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from storyline import registry, testhooks
from storyline.config import DEFAULT_CLUSTERER, PipelineConfig
from storyline.embed import embed_articles, get_encoder
from storyline.enrich import EnrichConfig
from storyline.enrich.time import DateConfig
from storyline.events.ann import StoredVectorIndex, VectorIndex
from storyline.events.cluster import (
    EventClusterer,
    event_from_json,
    event_to_json,
    features_from_json,
    features_to_json,
)
from storyline.events.config import EventsConfig
from storyline.events.dating import date_events, forget_event_dates
from storyline.events.dedup import CopyIndex, assign_roles
from storyline.events.features import ArticleFeatures, dense_matrix
from storyline.events.interfaces import BriefWriter
from storyline.events.rows import StoredRows, write_all
from storyline.model import Article, Event
from storyline.store import Store
from storyline.timing import STAGE_SECONDS
from storyline.vectors import Vector

if TYPE_CHECKING:
    from storyline.events.config import StorylineConfig

STATE_NAME = "event_clusterer"
# Articles up to this store sequence number have been clustered.
WATERMARK_KEY = "last_article_seq"
# The registry name of the clusterer the state belongs to.
COMPONENT_KEY = "component"
# Present once every stored event has its storyline profile (stores written before have none).
STORYLINE_STATE = "storyline_profiles"


def load_clusterer(store: Store, config: EventsConfig | None = None
                   ) -> tuple[EventClusterer, int] | None:
    """The stored clusterer over the store's rows and the last article seq it has seen; None
    when the store holds no clusterer (new, or written by a version that kept one blob).
    `config.feature_rows_held` bounds the per-article rows held in memory."""
    raw = store.get_state(STATE_NAME)
    if raw is None:
        return None
    header = json.loads(raw)
    # The events go on with the clusterer they were built with (`recluster` switches).
    clusterer_class = cast(type[EventClusterer], registry.get(
        "clusterer", header.get(COMPONENT_KEY, DEFAULT_CLUSTERER)))
    model = clusterer_class.from_header(header)
    model.features_ = FeatureRows(store, model.encoder,
                                  (config or EventsConfig()).feature_rows_held)
    model.events_ = StoredRows(store, "cluster_events", event_to_json, event_from_json)
    model.assignment_ = StoredRows(store, "cluster_assignment")
    model.document_frequency_ = StoredRows(store, "cluster_terms")
    model.postings_ = StoredRows(store, "cluster_postings")
    model.index_ = StoredVectorIndex(store, _stored_vectors(model))
    return model, header[WATERMARK_KEY]


class FeatureRows(StoredRows[ArticleFeatures]):
    """The clusterer's per-article rows, whose dense vectors are the store's `vectors` rows of
    the clusterer's encoder (each vector stored once), read along with them."""

    def __init__(self, store: Store, encoder: str,
                 capacity: int = EventsConfig.feature_rows_held) -> None:
        super().__init__(store, "cluster_articles",
                         lambda item: features_to_json(item, with_vector=False),
                         capacity=capacity)
        self.encoder = encoder

    def _decode_rows(self, raws: dict[str, Any]) -> dict[str, ArticleFeatures]:
        # As stored (float16, so no value changes) and as their entries when mostly zeros:
        # the fast profile's 8,192 dimensions took 16 KB an article dense, 40 entries 240 bytes.
        vectors = self.store.get_vectors(
            self.encoder, [key for key, raw in raws.items() if "dense" not in raw], held=True)
        return {key: features_from_json(raw, vectors.get(key)) for key, raw in raws.items()}


def _stored_vectors(model: EventClusterer) -> Callable[[list[str]], np.ndarray]:
    """The dense vectors the clusterer keeps for articles (what a lost index segment is rebuilt
    from)."""
    # The rows, not the model: the model holds this function (its index's), and a model that
    # refers to itself waits for the cyclic collector, its rows and index segments (hundreds of
    # MB in a big store) kept meanwhile, and forever once frozen for a fork.
    features = model.features_

    def vectors_of(article_ids: list[str]) -> np.ndarray:
        if isinstance(features, StoredRows):
            features.prefetch(article_ids)
        return dense_matrix([features[a] for a in article_ids])

    return vectors_of


def nearest_articles(store: Store, text: str, count: int) -> list[tuple[str, float]]:
    """The `count` stored articles nearest in meaning to `text`, best first, with their cosine:
    a search of the clusterer's vector index (about log(size) per segment), rescored on the
    stored vectors, never a scan of every vector. [] while nothing is indexed."""
    raw = store.get_state(STATE_NAME)
    # The index holds vectors of the encoder the events were clustered with.
    encoder = get_encoder(EventClusterer.from_header(json.loads(raw)).encoder if raw else None)

    def vectors_of(article_ids: list[str]) -> np.ndarray:
        found = store.get_vectors(encoder.name, article_ids)
        return np.vstack([found[a] for a in article_ids])

    query = encoder.encode([text])[0]
    # Read only: a segment rebuilt here (its file lost) is written by the next update.
    found = StoredVectorIndex(store, vectors_of, read_only=True).search(query, count)
    vectors = store.get_vectors(encoder.name, found)
    scored = [(a, float(vectors[a] @ query)) for a in found if a in vectors]
    return sorted(scored, key=lambda pair: -pair[1])


def update_events(store: Store, *, briefs: BriefWriter, refreshed: Iterable[str] = (),
                  config: PipelineConfig | None = None, upto: int | None = None) -> list[Event]:
    """Cluster the articles stored since the last update; returns the events that changed,
    their briefs (and those of events whose members changed) written by `briefs`.

    `upto`: cluster only articles stored up to this sequence number (`Store.last_article_seq`
    when the caller decided to update), later ones waiting for the next update: an ingest
    storing the next batch meanwhile (`pipeline.EventUpdates`) never has half of it clustered.

    `refreshed`: clustered articles whose text changed (re-cleaned): they leave their events
    and are clustered again with the new ones, so chrome that glued them to an event no longer
    holds them there. The configuration's clusterer builds the first events of a store; later
    updates go on with the stored clusterer."""
    config = config or PipelineConfig()
    tunables = config.section(EventsConfig)
    loaded = load_clusterer(store, tunables)
    if loaded is None:
        return recluster(store, briefs=briefs, config=config, upto=upto)
    model, watermark = loaded
    refreshed = list(refreshed)
    model.forget(refreshed)
    fresh = list(store.iter_articles_after(watermark, upto))
    seen = {article.id for _, article in fresh}
    # Refreshed articles were stored before the watermark: first among articles of their date.
    fresh += [(0, a) for a in store.get_articles(refreshed) if a.id not in seen]
    if not fresh:
        return []
    new = [article for _, article in sorted(
        fresh, key=lambda pair: (pair[1].published is None, pair[1].published or "", pair[0]))]
    vectors = embed_articles(store, new, get_encoder(model.encoder), held=True)
    batch = tunables.update_batch
    for start in range(0, len(new), batch):
        model.partial_fit(new[start : start + batch], vectors)
    # Every update ends with the pass over what it changed (its cost is that of the articles
    # added): the events a reader sees are then those `recluster` would find (ECB+: B3 F1
    # 0.954 online in ingests of 32 to 1000 articles, 0.953 rebuilt; docs/clustering.md).
    model.consolidate()
    return _save_changed(store, model, new, max(watermark, *(seq for seq, _ in fresh)),
                         briefs, tunables, config.section(EnrichConfig).dates)


# Places articles (in stream order, with their vectors) into a fresh clusterer.
Fit = Callable[[EventClusterer, list[Article], dict[str, Vector]], object]


def recluster(store: Store, *, briefs: BriefWriter, config: PipelineConfig | None = None,
              fit: Fit | None = None, upto: int | None = None) -> list[Event]:
    """Rebuild every event from scratch (deterministic for the stored articles) with the
    configured clusterer (default: the built-in online clusterer, `settings` thresholds), and
    every event's brief with `briefs`.

    `fit(model, articles, vectors)` places the articles (default `EventClusterer.fit`; the
    Spark job clusters partitions on executors and has the model `adopt` the result). `upto`:
    the articles stored up to this sequence number (default: all stored now), as in
    `update_events`."""
    config = config or PipelineConfig()
    tunables = config.section(EventsConfig)
    model = config.component("clusterer").build("clusterer")
    # The watermark first: an article stored while these are read is left to the next update,
    # never counted as seen without being clustered.
    watermark = store.last_article_seq() if upto is None else upto
    # Ingest order, not the store's publication order: that order holds the dates the old
    # events gave, and a rebuild must not depend on the events it replaces.
    articles = [article for _, article in store.iter_articles_after(0, watermark)]
    # Dates that came from the old events are decided afresh from the new ones.
    forgotten = {a.id: a for a in forget_event_dates(articles)}
    articles.sort(key=lambda a: (a.published is None, a.published or ""))
    vectors = embed_articles(store, articles, get_encoder(model.encoder), held=True)
    if fit is None:
        model.fit(articles, vectors)
    else:
        fit(model, articles, vectors)
    by_id = {a.id: a for a in articles}
    events = model.to_events(by_id)
    changed = {**forgotten, **{a.id: a for a in date_events(
        events, by_id, tunables.date_inherit_confidence, config.section(EnrichConfig).dates)}}
    model.changed_ = {}

    index = CopyIndex({}, {}, tunables.dedup)

    def write_state() -> None:
        for table, rows in model.rows(with_vectors=False).items():
            write_all(store, table, rows)
        StoredVectorIndex.replace_all(store, cast(VectorIndex, model.index_),
                                      _stored_vectors(model))
        write_all(store, "dedup_buckets", index.buckets)
        write_all(store, "dedup_copies", index.copies)
        _put_header(store, model, watermark)

    _save(store, events, by_id, changed, write_state, index, lambda ids: [],
          briefs, tunables, replace_all=True)
    return events


def _save_changed(store: Store, model: EventClusterer, new: list[Article], watermark: int,
                  writer: BriefWriter, tunables: EventsConfig, dates: DateConfig
                  ) -> list[Event]:
    """Re-explain and rewrite the events that changed, with the model's changed rows."""
    changed = list(model.changed_)
    live = [e for e in changed if e in model.events_]
    members = [m for e in live for m in model.events_[e].members]
    by_id = {a.id: a for a in new}
    by_id.update((a.id, a) for a in store.get_articles(m for m in members if m not in by_id))
    events = model.to_events(by_id, live)
    dated = {a.id: a for a in date_events(events, by_id, tunables.date_inherit_confidence,
                                          dates)}
    model.changed_ = {}

    index = CopyIndex(StoredRows(store, "dedup_buckets"), StoredRows(store, "dedup_copies"),
                      tunables.dedup)

    def write_state() -> None:
        for mapping in (model.features_, model.events_, model.assignment_,
                        model.document_frequency_, model.postings_, index.buckets, index.copies):
            cast(StoredRows[Any], mapping).flush()
        cast(StoredVectorIndex, model.index_).save()
        _put_header(store, model, watermark)

    def records_for(article_ids: set[str]) -> list[Event]:
        """Records of the unchanged events holding these articles (their copy links moved)."""
        ids = {model.assignment_[a] for a in article_ids if a in model.assignment_} - set(live)
        held = [m for e in ids for m in model.events_[e].members]
        by_id.update((a.id, a) for a in store.get_articles(m for m in held if m not in by_id))
        return model.to_events(by_id, sorted(ids))

    def release_read() -> None:
        """Forget the clusterer's rows read and not changed: the briefs and storylines built
        next read none of them, and they held a few thousand events, feature rows and terms
        of the update's candidates under the briefs' and the relink's working sets."""
        for mapping in (model.features_, model.events_, model.assignment_,
                        model.document_frequency_, model.postings_):
            cast(StoredRows[Any], mapping).release_read()

    removed = [e for e in changed if e not in model.events_]
    _save(store, events, by_id, dated, write_state, index, records_for, writer, tunables,
          removed=removed, records_done=release_read)
    cast(StoredVectorIndex, model.index_).delete_superseded()
    return events


def _put_header(store: Store, model: EventClusterer, watermark: int) -> None:
    header = {**model.header(), WATERMARK_KEY: watermark,
              COMPONENT_KEY: registry.name_of("clusterer", type(model))}
    store.put_state(STATE_NAME, json.dumps(header).encode("utf-8"))


def _save(  # type: ignore[no-untyped-def]
    store: Store, events: list[Event], by_id: dict[str, Article], changed: dict[str, Article],
    write_state, index: CopyIndex, records_for, writer: BriefWriter, tunables: EventsConfig,
    replace_all: bool = False, removed: list[str] | None = None,
    records_done: Callable[[], None] = lambda: None,
) -> None:
    """Roles, then one transaction for the articles dated, the clusterer's state, the events
    and the storylines. `records_for(ids)` gives the records of further events whose roles
    change because these articles gained copy links; `records_done()` is called once no
    further record is needed."""
    relinked = assign_roles(events, by_id, store, index)
    if relinked:
        more = records_for(relinked)
        assign_roles(more, by_id, store, index)
        events = events + more
    records_done()
    briefs = _briefs(store, events, by_id, changed, writer)
    # One transaction: storylines name events, so a kill between the two saves would leave
    # storylines pointing at events that no longer exist; the clusterer's rows go with them.
    with store.transaction():
        store.update_article_dates(changed.values())
        write_state()
        testhooks.reached("events.saving")
        store.save_events(events, replace_all=replace_all, removed=removed or ())
        store.save_briefs(briefs)
        _relink_storylines(store, events, by_id, removed or [], full=replace_all,
                           config=tunables.storylines)


def _briefs(store: Store, events: list[Event], by_id: dict[str, Article],
            changed: dict[str, Article], writer: BriefWriter
            ) -> dict[str, tuple[str, dict[str, Any]]]:
    """Briefs of the events whose record or member articles changed, so pages serve stored
    briefs (built before the saving transaction: building one takes far longer than writing)."""
    started = process_time()
    stored = store.brief_keys(e.id for e in events)
    briefs = {}
    for event in events:
        key = writer.key(event)
        if stored.get(event.id) == key and not any(a in changed for a in event.article_ids):
            continue
        members = [by_id[a] for a in event.article_ids if a in by_id]
        briefs[event.id] = (key, writer.build(store, event, members))
    STAGE_SECONDS["briefs"] += process_time() - started
    return briefs


def _relink_storylines(store: Store, events: list[Event], by_id: dict[str, Article],
                       removed: list[str], full: bool, config: StorylineConfig) -> None:
    """Store the changed events' linking profiles and relink what they can change (inside the
    saving transaction, so it sees them); `full` relinks every stored event."""
    from storyline.events import relink, storylines

    profiles = [storylines.event_profile(e, by_id, config) for e in events]
    if not full and store.get_state(STORYLINE_STATE) is None:
        # A store written before profiles were kept: profile every event once.
        full = True
        stored = store.list_events()
        articles = {a.id: a for a in store.get_articles(
            m.article_id for e in stored for m in e.members)}
        profiles = [storylines.event_profile(e, articles, config) for e in stored]
    relink.save_profiles(store, profiles, removed)
    if full:
        relink.relink_all(store, config)
        store.put_state(STORYLINE_STATE, b"1")
        return
    relink.relink_changed(store, profiles, removed, config)
