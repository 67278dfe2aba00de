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
import re
from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from storyline.events.config import StorylineConfig
from storyline.model import Article, Event, Storyline

# Characters of each member's text used as the event's theme (headline + lead).
_THEME_LEAD_CHARS = 600
# A theme's words: TfidfVectorizer's default token pattern.
_THEME_WORD = re.compile(r"(?u)\b\w\w+\b")


@dataclass
class EventProfile:
    """What linking needs of an event, kept with it in the store so that relinking a few
    storylines never reads the member articles of their other events."""

    id: str
    date: str | None
    title: str
    weights: dict[str, float]  # entity id -> salience share within the event
    names: dict[str, str]  # entity id -> display name
    # The words of its theme (member headlines and leads) -> occurrences, in order of first
    # occurrence: what its theme vector is weighted from, kept so that no update tokenises the
    # text again (it grows with the event).
    terms: dict[str, int]

    def to_dict(self) -> dict[str, Any]:
        # Its own dicts, not `asdict`'s deep copies of them: a profile is written as soon as
        # it is made, and copying a big event's term counts cost more than writing them.
        return {"id": self.id, "date": self.date, "title": self.title, "weights": self.weights,
                "names": self.names, "terms": self.terms}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> EventProfile:
        if "theme" in data:  # stored before the term counts were kept: the theme's text
            data = {**data, "terms": theme_terms(data["theme"])}
            del data["theme"]
        return cls(**data)


@dataclass
class StorylineLink:
    """Why two events are in one storyline."""

    earlier: str
    later: str
    score: float
    shared_entities: list[str]
    names: dict[str, str] = field(default_factory=dict)  # shared entity id -> display name

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StorylineLink:
        return cls(**data)


@dataclass(frozen=True)
class EventStub:
    """What a storyline record needs of each of its events besides the links between them."""

    id: str
    date: str | None
    title: str


def sort_key(event: EventProfile | EventStub) -> tuple[bool, str, str]:
    """Date order, undated last, then id: the order events are linked in."""
    return (event.date is None, event.date or "", event.id)


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
    _, decisions = link_profiles([event_profile(e, articles or {}, config) for e in events],
                                 config=config)
    return [d.link for d in decisions if d.link is not None]


@dataclass
class LinkDecision:
    """An event's link (None: it starts its own storyline) and how far its scores are from
    deciding otherwise: the best score's distance to the threshold, or to the runner-up's when
    both pass it."""

    later: str
    link: StorylineLink | None
    margin: float


def link_profiles(profiles: list[EventProfile], config: StorylineConfig | None = None
                  ) -> tuple[list[Storyline], list[LinkDecision]]:
    """Storylines over `profiles`, with entity and theme weights counted over them, and the
    decision of every event that had candidates."""
    config = config or StorylineConfig()
    profiles = sorted(profiles, key=sort_key)
    idf = entity_idf(Counter(e for p in profiles for e in p.weights), len(profiles), config)
    scorer = LinkScorer(idf, config)
    scorer.add(profiles)
    scorer.add_themes(theme_vectors({p.id: p.terms for p in profiles},
                                    Counter(t for p in profiles for t in p.terms), len(profiles)))
    # Candidates come from an inverted index over informative entities, each keeping its most
    # recent events only: a story continues from its latest events, and the work per event stays
    # bounded however common an entity is.
    events_with: dict[str, deque[int]] = defaultdict(
        lambda: deque(maxlen=config.recent_events_per_entity)
    )
    decisions: list[LinkDecision] = []
    for later, profile in enumerate(profiles):
        informative = scorer.informative(profile)
        overlap = Counter(earlier for e in informative for earlier in events_with[e])
        decision = scorer.decide(profile, [
            profiles[earlier] for earlier, count in overlap.items()
            if count >= config.min_shared_entities
        ])
        for entity_id in informative:
            events_with[entity_id].append(later)
        if decision is not None:
            decisions.append(decision)
    stubs = [EventStub(p.id, p.date, p.title) for p in profiles]
    links = {d.later: d.link for d in decisions if d.link is not None}
    return assemble_storylines(stubs, links, config), decisions


class LinkScorer:
    """Scores links between the events `add`ed, with an entity IDF covering their entities and
    theme vectors (`add_themes`, needed only for the events `choose` compares), both of the
    whole set of events linked."""

    def __init__(self, idf: Mapping[str, float], config: StorylineConfig) -> None:
        self.idf = idf
        self.config = config
        self.masses: dict[str, float] = {}
        self.themes: dict[str, dict[str, float]] = {}

    def add(self, profiles: Iterable[EventProfile]) -> None:
        for profile in profiles:
            self.masses[profile.id] = sum(w * self.idf[e] for e, w in profile.weights.items())

    def add_themes(self, themes: Mapping[str, dict[str, float]]) -> None:
        self.themes.update(themes)

    def informative(self, profile: EventProfile) -> list[str]:
        """The event's entities that can link it (not ubiquitous)."""
        return [e for e in profile.weights if self.idf[e] > 0]

    def decide(self, later: EventProfile, candidates: list[EventProfile]) -> LinkDecision | None:
        """The best-scoring link from `later` to one of the earlier `candidates` that passes the
        threshold (the earliest of equal scores), among the `max_candidates` with the highest
        entity scores; None without candidates."""
        return self.choose(later, self.rank(later, candidates))

    def rank(self, later: EventProfile, candidates: list[EventProfile]
             ) -> list[tuple[float, tuple[bool, str, str], EventProfile]]:
        """The `max_candidates` candidates with the highest entity scores (negated), earliest
        first among equals."""
        return sorted(
            (-_entity_score(earlier, later, self.idf,
                            self.masses[earlier.id] + self.masses[later.id]),
             sort_key(earlier), earlier)
            for earlier in candidates
        )[: self.config.max_candidates]

    def choose(self, later: EventProfile,
               ranked: list[tuple[float, tuple[bool, str, str], EventProfile]]
               ) -> LinkDecision | None:
        """`decide` over candidates already ranked."""
        config = self.config
        if not ranked:
            return None
        scored = sorted(
            ((-_blend(-negative_entity_score,
                      _dot(self.themes[earlier.id], self.themes[later.id]),
                      config.entity_weight), key, earlier)
             for negative_entity_score, key, earlier in ranked))
        best, runner_up = -scored[0][0], (-scored[1][0] if len(scored) > 1 else 0.0)
        if best < config.link_threshold:
            return LinkDecision(later.id, None, config.link_threshold - best)
        earlier = scored[0][2]
        shared = _shared_entities(earlier, later, self.idf)
        link = StorylineLink(earlier.id, later.id, best, shared,
                             {e: earlier.names.get(e) or _name_from_id(e) for e in shared})
        return LinkDecision(later.id, link, best - max(config.link_threshold, runner_up))


def assemble_storylines(events: list[EventStub], links: Mapping[str, StorylineLink],
                        config: StorylineConfig) -> list[Storyline]:
    """The storylines (`min_events` or more events) the links make of `events`: every event
    joins the storyline of the earlier event it links to, in date order. `links` is keyed by
    the later event; a link to an event not among `events` starts a storyline."""
    events = sorted(events, key=sort_key)
    storyline_of: dict[str, str] = {}  # event id -> id of the storyline's first event
    members: dict[str, list[EventStub]] = defaultdict(list)
    for event in events:
        link = links.get(event.id)
        first = storyline_of.get(link.earlier, event.id) if link else event.id
        storyline_of[event.id] = first
        members[first].append(event)
    return [_storyline(chain_events, [links[e.id] for e in chain_events[1:]])
            for chain_events in members.values() if len(chain_events) >= config.min_events]


def event_profile(event: Event, articles: Mapping[str, Article],
                  config: StorylineConfig | None = None) -> EventProfile:
    """Entity salience shares over the event's member articles (or its own entity list), and
    its theme's term counts."""
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
    return EventProfile(event.id, event.date, event.title, weights, names,
                        theme_terms("\n".join(theme)))


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


def theme_terms(theme: str) -> dict[str, int]:
    """The words of an event's theme as scikit-learn's TfidfVectorizer counts them: lower-cased
    runs of two or more word characters, in order of first occurrence."""
    # A plain dict, as a profile stores it.
    return dict(Counter(_THEME_WORD.findall(theme.lower())))


def theme_vectors(terms: Mapping[str, Mapping[str, int]], frequency: Mapping[str, int],
                  documents: int) -> dict[str, dict[str, float]]:
    """event id -> L2-normalised TF-IDF of its theme's `terms`, as TfidfVectorizer(sublinear_tf)
    weighs them, with `frequency` (term -> themes naming it) over `documents` themes: from the
    store's counts, an update scores with the weights a full relink fits."""
    idf = {term: math.log((1 + documents) / (1 + count)) + 1.0
           for term, count in frequency.items()}
    vectors = {}
    for event_id, counts in terms.items():
        # 1 + log(1) is 1.0 exactly: most terms occur once.
        row = {term: idf[term] if count == 1 else (1.0 + math.log(count)) * idf[term]
               for term, count in counts.items()}
        norm = math.sqrt(sum(weight * weight for weight in row.values()))
        vectors[event_id] = {term: weight / norm for term, weight in row.items()} if norm else {}
    return vectors


def _dot(first: dict[str, float], second: dict[str, float]) -> float:
    if len(second) < len(first):
        first, second = second, first
    # Terms of one side only add 0.0, which leaves the sum as it is: skipped.
    return sum(weight * second[term] for term, weight in first.items() if term in second)


def _entity_score(
    earlier: EventProfile, later: EventProfile, idf: Mapping[str, float], mass: float
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
    earlier: EventProfile, later: EventProfile, idf: Mapping[str, float]
) -> list[str]:
    """Informative entities of both events, most weighty first: the reason for a link."""
    shared = [e for e in earlier.weights.keys() & later.weights.keys() if idf[e] > 0]
    return sorted(shared, key=lambda e: (-(earlier.weights[e] + later.weights[e]) * idf[e], e))


def _storyline(events: list[EventStub], chain: list[StorylineLink]) -> Storyline:
    """A storyline record: stable id from its first event, shared entities as its reason."""
    shared_weight: defaultdict[str, float] = defaultdict(float)
    names: dict[str, str] = {}
    for link in chain:
        for rank, entity_id in enumerate(link.shared_entities):
            shared_weight[entity_id] += 1.0 / (rank + 1)
        for entity_id, name in link.names.items():
            names.setdefault(entity_id, name)
    entities = [e for e, _ in sorted(shared_weight.items(), key=lambda item: (-item[1], item[0]))]
    first = events[0]
    title = ", ".join(names.get(e) or _name_from_id(e) for e in entities[:3]) or first.title
    return Storyline(
        id="s" + hashlib.sha1(first.id.encode("utf-8")).hexdigest()[:12],
        title=title,
        events=[e.id for e in events],
        entities=entities,
        score=round(sum(link.score for link in chain) / len(chain), 4),
    )
