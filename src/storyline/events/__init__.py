"""Events: online clustering of stored articles, then copy roles and storylines.

`update_events` runs after every ingest: the clusterer's saved state is loaded, every stored
article not yet in an event is fed to `partial_fit` in publication order, and the events that
changed are saved. `recluster` rebuilds everything from scratch, deterministically.
"""

from __future__ import annotations

from collections.abc import Iterable

from storyline import settings
from storyline.embed import embed_articles, get_encoder
from storyline.events.cluster import EventClusterer
from storyline.events.dating import date_events, forget_event_dates
from storyline.model import Article, Event
from storyline.store import Store

STATE_NAME = "event_clusterer"


def load_clusterer(store: Store) -> EventClusterer:
    data = store.get_state(STATE_NAME)
    return EventClusterer.from_bytes(data) if data else EventClusterer()


def update_events(store: Store, refreshed: Iterable[str] = ()) -> list[Event]:
    """Cluster stored articles that are not in an event yet; returns all events.

    `refreshed`: clustered articles whose text changed (re-cleaned): they leave their events
    and are clustered again with the new ones, so chrome that glued them to an event no longer
    holds them there."""
    model = load_clusterer(store)
    model.forget(refreshed)
    articles = list(store.iter_articles(order="published"))
    new = [a for a in articles if a.id not in model.assignment_]
    if not new:
        return store.list_events()
    vectors = embed_articles(store, new, get_encoder(model.encoder))
    batch = settings.CLUSTER_UPDATE_BATCH
    for start in range(0, len(new), batch):
        model.partial_fit(new[start : start + batch], vectors)
    return _save(store, model, articles)


def recluster(store: Store) -> list[Event]:
    """Rebuild every event from scratch (deterministic for the stored articles)."""
    model = EventClusterer()
    # Ingest order, not the store's publication order: that order holds the dates the old
    # events gave, and a rebuild must not depend on the events it replaces.
    articles = list(store.iter_articles(order="ingest"))
    # Dates that came from the old events are decided afresh from the new ones.
    forgotten = {a.id: a for a in forget_event_dates(articles)}
    articles.sort(key=lambda a: (a.published is None, a.published or ""))
    vectors = embed_articles(store, articles, get_encoder(model.encoder))
    model.fit(articles, vectors)
    return _save(store, model, articles, forgotten)


def _save(
    store: Store, model: EventClusterer, articles: list[Article],
    changed: dict[str, Article] | None = None,
) -> list[Event]:
    by_id = {a.id: a for a in articles}
    events = model.to_events(by_id)
    changed = {**(changed or {}), **{a.id: a for a in date_events(events, by_id)}}
    _assign_roles(events, by_id, store)
    storylines = _link_storylines(events, by_id)
    # One transaction: storylines name events, so a kill between the two saves would leave
    # storylines pointing at events that no longer exist.
    with store.transaction():
        for article in changed.values():
            store.update_article(article)
        store.put_state(STATE_NAME, model.to_bytes())
        # Merges remove events: rewrite the whole table (ids of surviving events are stable).
        store.save_events(events, replace_all=True)
        if storylines is not None:
            store.save_storylines(storylines)
    return events


def _assign_roles(events: list[Event], articles: dict[str, Article], store: Store) -> None:
    try:
        from storyline.events.dedup import assign_roles
    except ImportError:  # near-duplicate detection not installed in this build
        return
    assign_roles(events, articles, store)


def _link_storylines(events: list[Event], articles: dict[str, Article]):  # type: ignore[no-untyped-def]
    try:
        from storyline.events.storylines import link_storylines
    except ImportError:  # storyline linking not installed in this build
        return None
    return link_storylines(events, articles)
