"""Storylines after an update, from the stored link decisions (`Store.storyline_links`).

Linking decides each event's link on its own (its best-scoring earlier candidate), so an update
decides again only the links it can change and rebuilds only the storylines whose links changed,
reading their link rows, never their events' profiles:

- in full: the changed events, the events linked to a changed or removed event, the later
  events a changed event now outscores their link with (it is among the latest events of two
  of their entities, so a full linking compares them), and the decisions due again;
- a decision is due again once the store has grown enough for the entity weights to move its
  scores across the threshold or past another candidate's: soon for a close call, by the time
  the store doubles for any.

Entity and theme weights are the whole store's (the theme term counts are stored), so a
decision taken now is a full relink's. An entity that becomes ubiquitous, or stops being so,
changes which events can link at all: every event is relinked then (rare once a store holds
many stories; common while it holds a few).
"""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from storyline.events.config import StorylineConfig
from storyline.events.storylines import (
    EventProfile,
    EventStub,
    LinkDecision,
    LinkScorer,
    StorylineLink,
    assemble_storylines,
    entity_idf,
    link_profiles,
    theme_vectors,
)
from storyline.store import Store

# Which entities are ubiquitous, and the entities an update could make ubiquitous without naming
# them (see `_ubiquity_changed`).
UBIQUITY_STATE = "storyline_ubiquity"
# Watched: entities naming at least this share of `max_entity_share` of the events.
_WATCH_SHARE = 0.8


def save_profiles(store: Store, profiles: list[EventProfile], removed: list[str]) -> None:
    """Store the profiles of changed events and drop those of removed ones, keeping the counts
    of theme terms."""
    delta: Counter[str] = Counter()
    for old in store.get_event_profiles([*(p.id for p in profiles), *removed]).values():
        delta.subtract(EventProfile.from_dict(old).terms.keys())
    for profile in profiles:
        delta.update(profile.terms.keys())
    store.save_event_profiles((p.to_dict() for p in profiles), removed=removed)
    store.add_theme_terms(delta)


def relink_all(store: Store, config: StorylineConfig) -> None:
    """Link every stored event from the stored profiles, and store the decisions, the theme
    term counts and the storylines."""
    every = [EventProfile.from_dict(d) for d in store.iter_event_profiles()]
    storylines, decisions = link_profiles(every, config=config)
    store.add_theme_terms(Counter(t for p in every for t in p.terms),
                          replace_all=True)
    store.save_storyline_links((_row(d, len(every), config) for d in decisions),
                               replace_all=True)
    store.save_storylines(storylines)
    _save_ubiquity(store, Counter(e for p in every for e in p.weights), len(every), config)


def relink_changed(store: Store, changed: list[EventProfile], removed: list[str],
                   config: StorylineConfig) -> None:
    """Decide again the links `changed` (profiles just stored) and `removed` events can change
    and those due, then rebuild the storylines holding a link that changed."""
    if _ubiquity_changed(store, changed, config):
        relink_all(store, config)
        return
    total = store.count_events()
    profiles = _Profiles(store, changed)
    idf = _StoreIdf(store, total, config)
    scorer = LinkScorer(idf.weights, config)
    removed_ids = set(removed)
    changed_ids = {p.id for p in changed}
    # Events linked to a changed or removed event lose or re-score that link.
    again = changed_ids | set(store.events_linked_to(changed_ids | removed_ids))
    again |= set(store.links_due(total))
    again -= removed_ids
    idf.cover(changed)
    again |= _outscored(store, profiles, idf, scorer, changed, config, exclude=again)
    in_full = profiles.get(again)
    idf.cover(in_full)
    candidates = {p.id: _candidates(store, p, idf, config) for p in in_full}
    _score_with(idf, scorer, profiles.get({c for ids in candidates.values() for c in ids}))
    _score_with(idf, scorer, in_full)
    ranked = {p.id: scorer.rank(p, [profiles.loaded[c] for c in candidates[p.id]])
              for p in in_full}
    _add_themes(store, scorer, [*in_full, *(e for top in ranked.values() for _, _, e in top)])
    decisions = {p.id: scorer.choose(p, ranked[p.id]) for p in in_full}
    before = store.storyline_links(decisions.keys() | removed_ids)
    store.save_storyline_links(
        (_row(d, total, config) for d in decisions.values() if d is not None),
        undecided=[e for e, d in decisions.items() if d is None] + removed)
    # The storylines to rebuild: those of the changed and removed events, of every event whose
    # link changed, and of the events it was and is linked to.
    moved = {e for e, d in decisions.items()
             if (d.link.to_dict() if d is not None and d.link else None) != before.get(e)}
    seeds = changed_ids | removed_ids | moved | {
        before[e]["earlier"] for e in moved | removed_ids if e in before} | {
        d.link.earlier for e, d in decisions.items() if e in moved and d and d.link}
    _rebuild_storylines(store, seeds, removed_ids, config)


def _row(decision: LinkDecision, total: int, config: StorylineConfig) -> dict[str, Any]:
    """A decision as stored, due again once the store has grown by margin / `recheck_drift`
    of its size (at most doubled, at least by one event)."""
    growth = min(decision.margin / config.recheck_drift, 1.0)
    return {"later": decision.later,
            "link": decision.link.to_dict() if decision.link else None,
            "recheck": max(total + 1, math.ceil(total * (1 + growth)))}


def _outscored(store: Store, profiles: _Profiles, idf: _StoreIdf, scorer: LinkScorer,
               changed: list[EventProfile], config: StorylineConfig, exclude: set[str]
               ) -> set[str]:
    """The later events (not in `exclude`) a changed event is now a candidate of and scores
    better with than their link does (or passes the threshold with, for an unlinked one)."""
    offered: dict[str, list[str]] = defaultdict(list)
    for profile in changed:
        shared = Counter(
            later for e in idf.informative(profile)
            for later in store.entity_events_around(e, (profile.date, profile.id),
                                                    config.recent_events_per_entity, after=True))
        for later, count in shared.items():
            if count >= config.min_shared_entities and later not in exclude:
                offered[later].append(profile.id)
    current = store.storyline_links(offered)
    compared = profiles.get(set(offered) | {link["earlier"] for link in current.values()})
    _score_with(idf, scorer, [*compared, *changed])
    _add_themes(store, scorer, [*compared, *changed])
    outscored = set()
    for later_id, newcomers in offered.items():
        link = current.get(later_id)
        options = [profiles.loaded[c] for c in newcomers]
        if link is not None and link["earlier"] in profiles.loaded:
            options.append(profiles.loaded[link["earlier"]])
        decision = scorer.decide(profiles.loaded[later_id], options)
        chosen = decision.link.earlier if decision and decision.link else None
        if chosen != (link["earlier"] if link else None):
            outscored.add(later_id)
    return outscored


def _score_with(idf: _StoreIdf, scorer: LinkScorer, profiles: list[EventProfile]) -> None:
    """Give the scorer these profiles' entity masses (their entities' IDF counted first)."""
    fresh = [p for p in profiles if p.id not in scorer.masses]
    idf.cover(fresh)
    scorer.add(fresh)


def _add_themes(store: Store, scorer: LinkScorer, profiles: list[EventProfile]) -> None:
    """Give the scorer these profiles' theme vectors, weighted by the stored counts of theme
    terms."""
    terms = {p.id: p.terms for p in profiles if p.id not in scorer.themes}
    words = {t for counts in terms.values() for t in counts}
    counts = store.theme_term_counts(words)
    # A stored theme's term is counted at least once (a store copied by `bench requests` holds
    # profiles the counts never saw).
    scorer.add_themes(theme_vectors(terms, {t: max(counts.get(t, 0), 1) for t in words},
                                    store.count_event_profiles()))


def _ubiquity_changed(store: Store, changed: list[EventProfile], config: StorylineConfig
                      ) -> bool:
    """Whether an entity became ubiquitous or stopped being so, or it cannot be told without
    counting every entity (the store's links were never decided here: written before they
    were kept); stores the new state when not.

    Only an entity a changed event names can grow its share of the events; any other is below
    the watched share of the `bound` (the most events stored since the state was counted in
    full), so it cannot pass `max_entity_share` while the store keeps 80% of that many events."""
    stored = store.get_state(UBIQUITY_STATE)
    total = store.count_events()
    if stored is None:
        return True
    state = json.loads(stored)
    if total < _WATCH_SHARE * state["bound"]:
        return True
    check = set(state["watched"]) | {e for p in changed for e in p.weights}
    counts = store.entity_event_counts(check)
    now = _ubiquity({e: counts.get(e, 0) for e in check}, total, max(state["bound"], total),
                    config)
    if now["ubiquitous"] != state["ubiquitous"]:
        return True
    store.put_state(UBIQUITY_STATE, json.dumps(now).encode("utf-8"))
    return False


def _save_ubiquity(store: Store, frequency: Mapping[str, int], total: int,
                   config: StorylineConfig) -> None:
    store.put_state(UBIQUITY_STATE,
                    json.dumps(_ubiquity(frequency, total, total, config)).encode("utf-8"))


def _ubiquity(frequency: Mapping[str, int], total: int, bound: int, config: StorylineConfig
              ) -> dict[str, Any]:
    idf = entity_idf(frequency, total, config)
    watch = _WATCH_SHARE * config.max_entity_share * bound
    return {"bound": bound,
            "ubiquitous": sorted(e for e, weight in idf.items() if weight == 0),
            "watched": sorted(e for e, df in frequency.items() if df >= watch)}


class _Profiles:
    """Stored linking profiles, each read once per update."""

    def __init__(self, store: Store, changed: list[EventProfile]) -> None:
        self.store = store
        self.loaded = {p.id: p for p in changed}

    def get(self, event_ids: Iterable[str]) -> list[EventProfile]:
        wanted = set(event_ids)
        self.loaded.update((i, EventProfile.from_dict(d)) for i, d in
                           self.store.get_event_profiles(wanted - self.loaded.keys()).items())
        return [self.loaded[i] for i in sorted(wanted) if i in self.loaded]


class _StoreIdf:
    """Entity IDF over every stored event, counted for the entities met so far."""

    def __init__(self, store: Store, total: int, config: StorylineConfig) -> None:
        self.store = store
        self.config = config
        self.total = total
        self.weights: dict[str, float] = {}

    def cover(self, profiles: Iterable[EventProfile]) -> None:
        missing = {e for p in profiles for e in p.weights} - self.weights.keys()
        counts = self.store.entity_event_counts(missing)
        self.weights.update(entity_idf({e: counts.get(e, 0) for e in missing}, self.total,
                                       self.config))

    def informative(self, profile: EventProfile) -> list[str]:
        return sorted(e for e in profile.weights if self.weights[e] > 0)


def _candidates(store: Store, profile: EventProfile, idf: _StoreIdf,
                config: StorylineConfig) -> list[str]:
    """The earlier events a full linking compares `profile` with."""
    shared = Counter(
        earlier for e in idf.informative(profile)
        for earlier in store.entity_events_around(e, (profile.date, profile.id),
                                                  config.recent_events_per_entity))
    return sorted(e for e, count in shared.items() if count >= config.min_shared_entities)


def _rebuild_storylines(store: Store, seeds: set[str], removed: set[str],
                        config: StorylineConfig) -> None:
    """Rebuild the storylines holding `seeds` from the stored links: every event linked to or
    from them, transitively, read link row by link row."""
    links: dict[str, StorylineLink] = {}
    reached = set(seeds) - removed
    frontier = set(reached)
    while frontier:
        found = {later: StorylineLink.from_dict(data)
                 for later, data in store.storyline_links(frontier).items()}
        links.update(found)
        nearer = {link.earlier for link in found.values()}
        later = set(store.events_linked_to(frontier))
        frontier = (nearer | later) - reached
        reached |= frontier
    stubs = [EventStub(i, date, title) for i, (date, title) in store.event_stubs(reached).items()]
    old = set(store.storyline_ids_of_events(reached | removed).values())
    store.save_storylines(assemble_storylines(stubs, links, config), removed=sorted(old))
