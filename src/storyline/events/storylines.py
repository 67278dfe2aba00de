"""Storylines: events that continue one another, linked across weeks and years.

Two events are linked when they share salient canonical entities (weighted by how central each
entity is to each event and by how rare it is across events, so "person:putin" in every event of a
Russia-heavy corpus carries little) and, to a lesser degree, themes (TF-IDF cosine of their member
headlines and leads). No time window: a meeting five years after a phone call between the same
leaders still continues the story.

Linking is greedy in date order, as a reader would follow the story: each event joins the
storyline of its best-scoring earlier event when that link passes the thresholds, otherwise it
starts its own. Each event is in at most one storyline, and a storyline grows only by links to
one of its events, so two storylines never merge through a single hub event.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter, defaultdict, deque
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from sklearn.feature_extraction.text import TfidfVectorizer

from storyline.events.config import StorylineConfig
from storyline.model import Article, Event, Storyline

# Characters of each member's text used as the event's theme (headline + lead).
_THEME_LEAD_CHARS = 600


@dataclass
class EventProfile:
    """What linking needs of an event, kept with it in the store so that relinking a few
    storylines never reads the member articles of their other events."""

    id: str
    date: str | None
    title: str
    weights: dict[str, float]  # entity id -> salience share within the event
    names: dict[str, str]  # entity id -> display name
    theme: str  # member headlines and leads, the text its theme vector is built from

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> EventProfile:
        return cls(**data)


@dataclass
class StorylineLink:
    """Why two events are in one storyline."""

    earlier: str
    later: str
    score: float
    shared_entities: list[str]


def link_storylines(
    events: list[Event], articles: Mapping[str, Article] | None = None,
    config: StorylineConfig | None = None,
) -> list[Storyline]:
    """Storylines (two or more linked events) over `events`; deterministic for a given input."""
    config = config or StorylineConfig()
    storylines, _ = link_profiles([event_profile(e, articles or {}, config) for e in events],
                                  config=config)
    return storylines


def explain_links(
    events: list[Event], articles: Mapping[str, Article] | None = None,
    config: StorylineConfig | None = None,
) -> list[StorylineLink]:
    """The links `link_storylines` used, each with its score and shared entities."""
    config = config or StorylineConfig()
    _, links = link_profiles([event_profile(e, articles or {}, config) for e in events],
                             config=config)
    return links


def link_profiles(
    profiles: list[EventProfile], frequency: Mapping[str, int] | None = None,
    total: int | None = None, config: StorylineConfig | None = None,
) -> tuple[list[Storyline], list[StorylineLink]]:
    """Storylines and links over `profiles`. `frequency` (entity id -> events naming it) and
    `total` (events) are the whole store's when only some of its events are relinked, so an
    entity weighs what it weighs in a full rebuild; by default they are counted over
    `profiles`."""
    config = config or StorylineConfig()
    profiles = sorted(profiles, key=lambda p: (p.date is None, p.date or "", p.id))
    if frequency is None:
        frequency = Counter(e for p in profiles for e in p.weights)
    idf = entity_idf(frequency, len(profiles) if total is None else total, config)
    masses = [sum(w * idf[e] for e, w in p.weights.items()) for p in profiles]
    themes = _theme_vectors([p.theme for p in profiles])
    # Candidates come from an inverted index over informative entities, each keeping its most
    # recent events only: a story continues from its latest events, and the work per event stays
    # bounded however common an entity is.
    events_with: dict[str, deque[int]] = defaultdict(
        lambda: deque(maxlen=config.recent_events_per_entity)
    )
    storyline_of: list[int] = []  # event position -> storyline number
    links: list[StorylineLink] = []
    for later, profile in enumerate(profiles):
        informative = [e for e in profile.weights if idf[e] > 0]
        overlap = Counter(earlier for e in informative for earlier in events_with[e])
        entity_scores = sorted(
            (
                (
                    -_entity_score(
                        profiles[earlier], profile, idf, masses[earlier] + masses[later]
                    ),
                    earlier,
                )
                for earlier, count in overlap.items()
                if count >= config.min_shared_entities
            )
        )[: config.max_candidates]
        best: tuple[float, int] | None = None
        for negative_entity_score, earlier in entity_scores:
            score = _blend(-negative_entity_score, _dot(themes[earlier], themes[later]),
                           config.entity_weight)
            if score >= config.link_threshold and (
                best is None or (score, -earlier) > (best[0], -best[1])
            ):
                best = (score, earlier)
        for entity_id in informative:
            events_with[entity_id].append(later)
        if best is None:
            storyline_of.append(later)
            continue
        score, earlier = best
        storyline_of.append(storyline_of[earlier])
        shared = _shared_entities(profiles[earlier], profile, idf)
        links.append(StorylineLink(profiles[earlier].id, profile.id, score, shared))

    members: dict[int, list[int]] = defaultdict(list)
    for position, number in enumerate(storyline_of):
        members[number].append(position)
    link_of = {link.later: link for link in links}
    storylines = []
    for positions in members.values():
        if len(positions) < config.min_events:
            continue
        chain = [link_of[profiles[p].id] for p in positions[1:]]
        storylines.append(_storyline([profiles[p] for p in positions], chain))
    return storylines, links


def event_profile(event: Event, articles: Mapping[str, Article],
                  config: StorylineConfig | None = None) -> EventProfile:
    """Entity salience shares over the event's member articles (or its own entity list), and
    its theme text."""
    top_entities = (config or StorylineConfig()).top_entities
    totals: defaultdict[str, float] = defaultdict(float)
    names: dict[str, str] = {}
    theme = [event.title]
    for member in event.members:
        article = articles.get(member.article_id)
        if article is None:
            continue
        theme += [article.title, article.text[:_THEME_LEAD_CHARS]]
        for entity in article.entities:
            # Salience may be unset (0) by a simple tagger; a mention still counts a little.
            totals[entity.id] += entity.salience or 0.1 * max(entity.mentions, 1)
            names.setdefault(entity.id, entity.name)
    if not totals:
        # Event entities are ranked most central first: weight them by rank.
        for rank, entity_id in enumerate(event.entities):
            totals[entity_id] += 1.0 / (rank + 1)
    top = sorted(totals.items(), key=lambda item: (-item[1], item[0]))
    top = top[:top_entities]
    total = sum(weight for _, weight in top) or 1.0
    weights = {entity_id: weight / total for entity_id, weight in top}
    names = {entity_id: names.get(entity_id) or _name_from_id(entity_id) for entity_id in weights}
    return EventProfile(event.id, event.date, event.title, weights, names, "\n".join(theme))


def _name_from_id(entity_id: str) -> str:
    """ "person:assad" -> "Assad" when no article gave the entity's display name."""
    return entity_id.split(":", 1)[-1].replace("_", " ").replace("-", " ").title()


def entity_idf(frequency: Mapping[str, int], count: int,
               config: StorylineConfig | None = None) -> dict[str, float]:
    """Inverse event frequency; ubiquitous entities get 0 once there are enough events to tell."""
    config = config or StorylineConfig()
    idf = {}
    for entity_id, df in frequency.items():
        ubiquitous = (
            count >= config.ubiquity_min_events
            and df / count > config.max_entity_share
        )
        idf[entity_id] = 0.0 if ubiquitous else math.log((1 + count) / max(df, 1))
    return idf


def _theme_vectors(documents: list[str]) -> list[dict[int, float]]:
    """L2-normalised TF-IDF of each event's headlines and leads, as {term: weight} rows."""
    try:
        matrix = TfidfVectorizer(sublinear_tf=True).fit_transform(documents).tocsr()
    except ValueError:  # empty vocabulary
        return [{} for _ in documents]
    return [
        dict(zip(matrix.indices[start:end].tolist(), matrix.data[start:end].tolist(), strict=True))
        for start, end in zip(matrix.indptr[:-1], matrix.indptr[1:], strict=True)
    ]


def _dot(first: dict[int, float], second: dict[int, float]) -> float:
    if len(second) < len(first):
        first, second = second, first
    # Terms of one side only add 0.0, which leaves the sum as it is: skipped.
    return sum(weight * second[term] for term, weight in first.items() if term in second)


def _entity_score(
    earlier: EventProfile, later: EventProfile, idf: dict[str, float], mass: float
) -> float:
    """Weighted Dice of IDF-scaled entity weights (`mass`: both events' total scaled weight).

    Dice rather than Jaccard: two events led by the same two people should link even when each
    also has its own places and ministers; MIN_SHARED_ENTITIES guards against single overlaps.
    """
    common = sum(
        min(weight, later.weights[e]) * idf[e]
        for e, weight in earlier.weights.items()
        if e in later.weights
    )
    return 2 * common / mass if mass else 0.0


def _blend(entity_score: float, theme: float, weight: float) -> float:
    return round(weight * entity_score + (1 - weight) * max(0.0, min(1.0, theme)), 4)


def _shared_entities(
    earlier: EventProfile, later: EventProfile, idf: dict[str, float]
) -> list[str]:
    """Informative entities of both events, most weighty first: the reason for a link."""
    shared = [e for e in earlier.weights.keys() & later.weights.keys() if idf[e] > 0]
    return sorted(shared, key=lambda e: (-(earlier.weights[e] + later.weights[e]) * idf[e], e))


def _storyline(profiles: list[EventProfile], chain: list[StorylineLink]) -> Storyline:
    """A storyline record: stable id from its first event, shared entities as its reason."""
    shared_weight: defaultdict[str, float] = defaultdict(float)
    for link in chain:
        for rank, entity_id in enumerate(link.shared_entities):
            shared_weight[entity_id] += 1.0 / (rank + 1)
    entities = [e for e, _ in sorted(shared_weight.items(), key=lambda item: (-item[1], item[0]))]
    names: dict[str, str] = {}
    for profile in profiles:
        for entity_id, name in profile.names.items():
            names.setdefault(entity_id, name)
    first = profiles[0]
    title = ", ".join(names[e] for e in entities[:3]) or first.title
    return Storyline(
        id="s" + hashlib.sha1(first.id.encode("utf-8")).hexdigest()[:12],
        title=title,
        events=[p.id for p in profiles],
        entities=entities,
        score=round(sum(link.score for link in chain) / len(chain), 4),
    )
