"""Online event clustering with a scikit-learn-like contract.

Articles arrive in publication order (one by one or in micro-batches). The work per article is
bounded whatever the number of articles seen: its candidate events are those of its nearest
neighbours by dense vector (`ann.VectorIndex`, about log(size) per search) and of the latest
articles sharing its rarest terms (names, numbers, entity ids; a posting list per term keeps
only the `term_postings` latest), the `candidate_events` most voted for. It is scored against at
most `event_sample` recent members of each; the score of an event blends the mean and the minimum
of the pair scores (`linkage_mix`: 0 is average linkage, 1 complete linkage); the article joins the
best event reaching `threshold`, or opens a new one whose id derives from the founding article, so
ids stay stable as the stream grows. Every `consolidate_every` articles (and at the end of `fit`) a
pass re-clusters the changed neighbourhood (events that gained members and the best candidates of
those members) with average linkage over a second-order (shared-neighbour) similarity, which
merges events that converged and splits off members that drifted, keeping ids stable. `changed_`
names the events whose records must be rewritten since the caller last cleared it.

Parameters live in `__init__`, learned state in attributes ending with `_`, and `to_bytes` /
`from_bytes` round-trip that state through the store: nothing lives in module globals. Weights and
thresholds default to the values chosen by cross-validation over ECB+ topics (docs/clustering.md).
"""

from __future__ import annotations

import base64
import json
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, MutableMapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from storyline import settings
from storyline.events.ann import StoredVectorIndex, VectorIndex
from storyline.events.features import (
    OUTSIDE_WINDOW,
    ArticleFeatures,
    FeatureConfig,
    PairScores,
    Weights,
    build_features,
    day_string,
    dense_matrix,
    neighbourhood_similarity,
    pair_scores,
    pair_totals,
)
from storyline.model import Article, Event, EventMember, founder_event_id
from storyline.store.sqlite import pack_vector, unpack_vector
from storyline.vectors import compact, to_dense

if TYPE_CHECKING:
    from storyline.vectors import Vector

# Tunables read once, at import (settings.py says why each value).
CLUSTER_CANDIDATE_EVENTS = settings.CLUSTER_CANDIDATE_EVENTS
CLUSTER_CANDIDATE_NEIGHBOURS = settings.CLUSTER_CANDIDATE_NEIGHBOURS
CLUSTER_CANDIDATE_TERMS = settings.CLUSTER_CANDIDATE_TERMS
CLUSTER_CONSOLIDATE_EVERY = settings.CLUSTER_CONSOLIDATE_EVERY
CLUSTER_CONSOLIDATION_FIRST_ORDER = settings.CLUSTER_CONSOLIDATION_FIRST_ORDER
CLUSTER_CONSOLIDATION_NEIGHBOURS = settings.CLUSTER_CONSOLIDATION_NEIGHBOURS
CLUSTER_CONSOLIDATION_SAMPLE = settings.CLUSTER_CONSOLIDATION_SAMPLE
CLUSTER_CONSOLIDATION_THRESHOLD = settings.CLUSTER_CONSOLIDATION_THRESHOLD
CLUSTER_CROSSLINGUAL_THRESHOLD = settings.CLUSTER_CROSSLINGUAL_THRESHOLD
CLUSTER_DENSE_WEIGHT = settings.CLUSTER_DENSE_WEIGHT
CLUSTER_ENTITY_WEIGHT = settings.CLUSTER_ENTITY_WEIGHT
CLUSTER_EVENT_SAMPLE = settings.CLUSTER_EVENT_SAMPLE
CLUSTER_LINKAGE_MIX = settings.CLUSTER_LINKAGE_MIX
CLUSTER_SPARSE_WEIGHT = settings.CLUSTER_SPARSE_WEIGHT
CLUSTER_TERM_POSTINGS = settings.CLUSTER_TERM_POSTINGS
CLUSTER_THRESHOLD = settings.CLUSTER_THRESHOLD
CLUSTER_TIME_SCALE_DAYS = settings.CLUSTER_TIME_SCALE_DAYS
CLUSTER_TIME_WEIGHT = settings.CLUSTER_TIME_WEIGHT
CLUSTER_WINDOW_DAYS = settings.CLUSTER_WINDOW_DAYS
EVENT_TOP_ENTITIES = settings.EVENT_TOP_ENTITIES

STATE_VERSION = 2
# Candidate events of an article that join the next consolidation pass with its own event.
NEIGHBOURHOOD_EVENTS = 3


@dataclass
class LiveEvent:
    """Learned state of one event: its members and the scores each joined with.

    `settled`: how many of the first members a consolidation pass placed together (those after
    them joined since); 0 when unknown (an event stored before the count was kept)."""

    id: str
    seq: int
    members: list[str] = field(default_factory=list)
    scores: dict[str, dict[str, float]] = field(default_factory=dict)
    settled: int = 0


# The encoder of the default configuration (`storyline.config.PipelineConfig.encoder`).
_DEFAULT_ENCODER = settings.DEFAULT_ENCODER


class EventClusterer:
    def __init__(
        self,
        encoder: str = _DEFAULT_ENCODER,
        dense_weight: float = CLUSTER_DENSE_WEIGHT,
        sparse_weight: float = CLUSTER_SPARSE_WEIGHT,
        entity_weight: float = CLUSTER_ENTITY_WEIGHT,
        time_weight: float = CLUSTER_TIME_WEIGHT,
        threshold: float = CLUSTER_THRESHOLD,
        crosslingual_threshold: float = CLUSTER_CROSSLINGUAL_THRESHOLD,
        linkage_mix: float = CLUSTER_LINKAGE_MIX,
        consolidation_threshold: float = CLUSTER_CONSOLIDATION_THRESHOLD,
        consolidation_neighbours: int = CLUSTER_CONSOLIDATION_NEIGHBOURS,
        consolidation_sample: int = CLUSTER_CONSOLIDATION_SAMPLE,
        window_days: float = CLUSTER_WINDOW_DAYS,
        time_scale_days: float = CLUSTER_TIME_SCALE_DAYS,
        consolidate_every: int = CLUSTER_CONSOLIDATE_EVERY,
        candidate_neighbours: int = CLUSTER_CANDIDATE_NEIGHBOURS,
        candidate_terms: int = CLUSTER_CANDIDATE_TERMS,
        term_postings: int = CLUSTER_TERM_POSTINGS,
        candidate_events: int = CLUSTER_CANDIDATE_EVENTS,
        event_sample: int = CLUSTER_EVENT_SAMPLE,
        consolidation_first_order: float = CLUSTER_CONSOLIDATION_FIRST_ORDER,
        top_entities: int = EVENT_TOP_ENTITIES,
        title_repeat: int = FeatureConfig.title_repeat,
        sparse_chars: int = FeatureConfig.sparse_chars,
        min_entity_salience: float = FeatureConfig.min_entity_salience,
    ) -> None:
        # A pipeline configuration passes its encoder (`PipelineConfig.component`).
        self.encoder = encoder
        self.dense_weight = dense_weight
        self.sparse_weight = sparse_weight
        self.entity_weight = entity_weight
        self.time_weight = time_weight
        self.threshold = threshold
        self.crosslingual_threshold = crosslingual_threshold
        self.linkage_mix = linkage_mix
        self.consolidation_threshold = consolidation_threshold
        self.consolidation_neighbours = consolidation_neighbours
        self.consolidation_sample = consolidation_sample
        self.window_days = window_days
        self.time_scale_days = time_scale_days
        self.consolidate_every = consolidate_every
        self.candidate_neighbours = candidate_neighbours
        self.candidate_terms = candidate_terms
        self.term_postings = term_postings
        self.candidate_events = candidate_events
        self.event_sample = event_sample
        self.consolidation_first_order = consolidation_first_order
        self.top_entities = top_entities
        self.title_repeat = title_repeat
        self.sparse_chars = sparse_chars
        self.min_entity_salience = min_entity_salience
        self._reset()

    # -- learned state ---------------------------------------------------------------------------
    def _reset(self) -> None:
        self.events_: MutableMapping[str, LiveEvent] = {}
        self.features_: MutableMapping[str, ArticleFeatures] = {}
        self.assignment_: MutableMapping[str, str] = {}
        # Dicts here; `storyline.events` swaps in mappings over the store's rows (`rows.py`).
        self.document_frequency_: MutableMapping[str, int] = {}
        self.documents_seen_: int = 0
        self.next_seq_: int = 0
        self.since_consolidation_: int = 0
        self.index_: VectorIndex | StoredVectorIndex = VectorIndex()
        # term -> the latest articles that posted it (at most `term_postings`)
        self.postings_: MutableMapping[str, list[str]] = {}
        # Events of the next consolidation pass, and events whose records changed (ordered sets).
        self.neighbourhood_: dict[str, None] = {}
        self.changed_: dict[str, None] = {}

    def get_params(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in _PARAMS}

    @property
    def feature_config(self) -> FeatureConfig:
        """What `build_features` reads of an article for this clusterer."""
        return FeatureConfig(self.title_repeat, self.sparse_chars, self.min_entity_salience)

    @property
    def weights(self) -> Weights:
        return Weights(self.dense_weight, self.sparse_weight, self.entity_weight,
                       self.time_weight, self.threshold - self.crosslingual_threshold)

    def _idf(self, terms: Iterable[str]) -> dict[str, float]:
        terms = list(terms)
        return dict(zip(terms, self._idf_of(terms).tolist(), strict=True))

    def _terms_idf(self, items: list[ArticleFeatures]) -> dict[str, float]:
        return self._idf(dict.fromkeys(t for item in items for t in item.terms))

    def _idf_of(self, terms: Sequence[str]) -> np.ndarray:
        """The idf of each of `terms`: log((n + 1) / (df + 1)) + 1, computed once per distinct
        document frequency (most terms share a few small ones)."""
        frequency = self.document_frequency_
        get_many = getattr(frequency, "get_many", None)  # rows read in one query
        counts = np.array(get_many(list(terms), 0) if get_many is not None
                          else [frequency.get(t, 0) for t in terms], dtype=np.int64)
        distinct, inverse = np.unique(counts, return_inverse=True)
        n = self.documents_seen_
        return np.array([math.log((n + 1) / (df + 1)) + 1.0 for df in distinct.tolist()]
                        )[inverse].reshape(-1)

    # -- fitting ---------------------------------------------------------------------------------
    def fit(
        self, articles: Iterable[Article], vectors: dict[str, Vector] | None = None
    ) -> EventClusterer:
        """Rebuild from scratch: deterministic for a given article order."""
        self._reset()
        self.partial_fit(articles, vectors)
        self.consolidate()
        return self

    def fit_features(self, items: list[ArticleFeatures]) -> EventClusterer:
        """`fit` on features already built (lets a benchmark build them once)."""
        self._reset()
        self.partial_fit_features(items)
        self.consolidate()
        return self

    def adopt(self, items: list[ArticleFeatures], events: Iterable[LiveEvent]) -> EventClusterer:
        """Take over events placed elsewhere (the Spark job's partitions, merged at their
        borders): the state `fit` leaves (features, document frequencies, assignment, term
        postings, vector index), so online updates continue from it. `items` in stream order."""
        self._reset()
        for item in items:
            for term in item.terms:
                self.document_frequency_[term] = self.document_frequency_.get(term, 0) + 1
            self.features_[item.id] = item
        self.documents_seen_ = len(items)
        for event in sorted(events, key=lambda e: e.seq):
            self.events_[event.id] = event
            self.assignment_.update(dict.fromkeys(event.members, event.id))
            self.next_seq_ = max(self.next_seq_, event.seq + 1)
        if items:
            self._post(items)
        return self

    def partial_fit(
        self, articles: Iterable[Article], vectors: dict[str, Vector] | None = None
    ) -> EventClusterer:
        """Add a micro-batch of articles (in publication order); already seen ids are skipped.

        `vectors` maps article ids to dense vectors of `self.encoder` (encoded here when absent).
        Document frequencies count the whole batch before any of it is scored."""
        batch = [a for a in {a.id: a for a in articles}.values()
                 if a.id not in self.assignment_]
        if not batch:
            return self
        vectors = dict(vectors or {})
        missing = [a for a in batch if a.id not in vectors]
        if missing:
            from storyline.embed import embed_articles, get_encoder

            vectors.update(embed_articles(None, missing, get_encoder(self.encoder)))
        config = self.feature_config
        return self.partial_fit_features([build_features(a, vectors[a.id], config)
                                          for a in batch])

    def partial_fit_features(self, items: list[ArticleFeatures]) -> EventClusterer:
        """`partial_fit` on features already built (lets a benchmark build them once)."""
        items = [item for item in items if item.id not in self.assignment_]
        while items:
            room = self.consolidate_every - self.since_consolidation_
            chunk, items = items[: max(room, 1)], items[max(room, 1):]
            _prefetch(self.document_frequency_, (t for item in chunk for t in item.terms))
            for item in chunk:
                for term in item.terms:
                    self.document_frequency_[term] = self.document_frequency_.get(term, 0) + 1
                self.features_[item.id] = item
            self.documents_seen_ += len(chunk)
            self._assign_all(chunk)
            self.since_consolidation_ += len(chunk)
            if self.since_consolidation_ >= self.consolidate_every:
                self.consolidate()
        return self

    def forget(self, article_ids: Iterable[str]) -> EventClusterer:
        """Take articles out of their events and the learned state, as if never seen (their
        text changed: `partial_fit` them again). An event left without members closes; the
        others keep their ids and join the next consolidation pass."""
        ids = list(article_ids)
        _prefetch(self.assignment_, ids)
        _prefetch(self.features_, ids)
        for article_id in ids:
            event_id = self.assignment_.get(article_id)
            if event_id is None:
                continue
            del self.assignment_[article_id]
            event = self.events_[event_id]
            if event.members.index(article_id) < event.settled:
                event.settled -= 1
            event.members.remove(article_id)
            event.scores.pop(article_id, None)
            self.changed_[event_id] = None
            if event.members:
                self.events_[event_id] = event
                self.neighbourhood_[event_id] = None
            else:
                del self.events_[event_id]
            terms = self.features_.pop(article_id).terms
            _prefetch(self.document_frequency_, terms)
            for term in terms:
                left = self.document_frequency_.get(term, 0) - 1
                if left > 0:
                    self.document_frequency_[term] = left
                elif term in self.document_frequency_:
                    del self.document_frequency_[term]
            self.documents_seen_ -= 1
            self.index_.remove(article_id)
        return self

    def _candidates(self, item: ArticleFeatures, idf: dict[str, float]) -> list[str]:
        """Events of the item's nearest neighbours and of the latest articles sharing its rarest
        terms, most voted for first (ties: the older event); at most `candidate_events`."""
        neighbours = self.index_.search(to_dense(item.dense), self.candidate_neighbours)
        terms = self._rare_terms(item, self.candidate_terms, idf)
        _prefetch(self.postings_, terms)
        posted = [a for term in terms for a in self.postings_.get(term, ())]
        _prefetch(self.assignment_, neighbours + posted)
        # A posting may name an article forgotten since (`forget`): it is skipped.
        votes = Counter(self.assignment_[a] for a in neighbours + posted if a in self.assignment_)
        _prefetch(self.events_, votes)
        ranked = sorted(votes, key=lambda e: (-votes[e], self.events_[e].seq))
        return ranked[: self.candidate_events]

    def _rare_terms(self, item: ArticleFeatures, count: int, idf: dict[str, float]
                    ) -> list[str]:
        return sorted(item.terms, key=lambda t: (-item.terms[t] * idf[t], t))[:count]

    def _post(self, items: list[ArticleFeatures], idf: dict[str, float] | None = None) -> None:
        """Index assigned items: vectors for the neighbour search, rare terms for the postings
        (`idf`: of the items' terms, when the caller has it)."""
        self.index_.add([item.id for item in items], dense_matrix(items))
        idf = idf if idf is not None else self._terms_idf(items)
        for item in items:
            terms = self._rare_terms(item, 3 * self.candidate_terms, idf)
            _prefetch(self.postings_, terms)
            for term in terms:
                self.postings_[term] = [*self.postings_.get(term, ()), item.id][
                    -self.term_postings:]

    def _sample(self, event: LiveEvent) -> list[str]:
        """The members an article is scored against: the `event_sample` latest."""
        return event.members[-self.event_sample:]

    def _sample_days(self, event: LiveEvent) -> list[int] | None:
        """The days of the members an article is scored against; None when one is undated
        (then every article is within the event's time window)."""
        days = [self.features_[m].day for m in self._sample(event)]
        return None if None in days else cast(list[int], days)

    def _in_window(self, day: int | None, sample_days: list[int] | None) -> bool:
        """Whether an article of `day` is within the time window of an event whose sample has
        `sample_days` (`_sample_days`); an undated article is within every window."""
        return (day is None or sample_days is None
                or any(abs(day - d) <= self.window_days for d in sample_days))

    def _pair_scores(self, rows: list[ArticleFeatures], columns: list[ArticleFeatures]
                     ) -> PairScores:
        return pair_scores(rows, columns, self._idf_of, self.weights, self.time_scale_days,
                           self.window_days)

    def _aggregate(self, totals: np.ndarray) -> float:
        return float((1 - self.linkage_mix) * totals.mean() + self.linkage_mix * totals.min())

    def _assign_all(self, items: list[ArticleFeatures]) -> None:
        """Assign items in order; an item may join an event opened earlier in the same chunk."""
        # The idf of every term of the chunk at once (document frequencies hold still while it
        # is assigned), not once per item and use.
        idf = self._terms_idf(items)
        candidates = sorted({e for item in items for e in self._candidates(item, idf)},
                            key=lambda e: self.events_[e].seq)
        _prefetch(self.features_, [m for e in candidates for m in self._sample(self.events_[e])])
        sample_days = {e: self._sample_days(self.events_[e]) for e in candidates}
        # An event out of the time window of every item is never joined: its members are not
        # scored (in a store holding years of a recurring story, the nearest texts are often
        # the same story's earlier years).
        pool = [m for e in candidates
                if any(self._in_window(item.day, sample_days[e]) for item in items)
                for m in self._sample(self.events_[e])]
        columns = [self.features_[m] for m in pool] + items
        scores = self._pair_scores(items, columns)
        groups: dict[str, list[int]] = {}
        for position, article_id in enumerate(pool):
            groups.setdefault(self.assignment_[article_id], []).append(position)
        for row, item in enumerate(items):
            best: tuple[float, int, str] | None = None
            near: list[tuple[float, int, str]] = []
            for event_id, members in groups.items():
                event = self.events_[event_id]
                if event_id not in sample_days:  # opened or joined earlier in the chunk
                    sample_days[event_id] = self._sample_days(event)
                if not self._in_window(item.day, sample_days[event_id]):
                    continue
                totals = scores.total[row, members]
                if totals.min() <= OUTSIDE_WINDOW:  # one member too far in time vetoes the event
                    continue
                value = self._aggregate(totals)
                near.append((value, -event.seq, event_id))
                if value >= self.threshold and (best is None or (value, -event.seq) > best[:2]):
                    best = (value, -event.seq, event_id)
            if best is None:
                groups[self._open_event(item).id] = [len(pool) + row]
            else:
                recorded = scores.explain(row, np.array(groups[best[2]]))
                recorded["total"] = round(best[0], 4)
                self._join(self.events_[best[2]], item, recorded)
                groups[best[2]].append(len(pool) + row)
                sample_days.pop(best[2], None)  # its sample now ends with the item
            for _, _, event_id in sorted(near, reverse=True)[:NEIGHBOURHOOD_EVENTS]:
                self.neighbourhood_[event_id] = None
        self._post(items, idf)

    def _new_event_id(self, founder: str) -> str:
        event_id = founder_event_id(founder)
        while event_id in self.events_:  # the founder split off, then founds an event again
            event_id += "+"
        return event_id

    def _open_event(self, item: ArticleFeatures) -> LiveEvent:
        event = LiveEvent(id=self._new_event_id(item.id), seq=self.next_seq_)
        self.next_seq_ += 1
        self.events_[event.id] = event
        self._join(event, item, {"total": 1.0, "founder": 1.0})
        return event

    def _join(self, event: LiveEvent, item: ArticleFeatures, scores: dict[str, float]) -> None:
        event.members.append(item.id)
        event.scores[item.id] = scores
        self.events_[event.id] = event  # written back when the state is stored row by row
        self.assignment_[item.id] = event.id
        self.neighbourhood_[event.id] = self.changed_[event.id] = None

    # -- periodic pass ---------------------------------------------------------------------------
    def consolidate(self) -> None:
        """Re-cluster the changed neighbourhood: converged events merge, drifted members split off.

        Average linkage at `consolidation_threshold` over a blend of the pair totals and their
        neighbourhood similarity (`features.neighbourhood_similarity`, rows cut to the
        `consolidation_neighbours` best). Ids stay stable: each new group keeps the id of the old
        event it overlaps most (ties: the older event); a group left without one is named by its
        first member. Only events in `neighbourhood_` are touched, so the pass costs what the
        articles added since the last one brought, not what the store holds.

        An event larger than `consolidation_sample` takes part as its settled core (the members
        an earlier pass placed together), held together and seen through its representatives
        (`_representatives`), and as each member that joined it since: the pass's matrices stop
        growing with the sizes of the events, and a large story is not cut along the sub-groups
        a sample of it shows (a sample alone split 3 of 12 soak stories). Smaller events take
        part member by member, as a whole."""
        from scipy.cluster.hierarchy import fcluster, linkage

        self.since_consolidation_ = 0
        _prefetch(self.events_, self.neighbourhood_)
        live = sorted((self.events_[e] for e in self.neighbourhood_ if e in self.events_),
                      key=lambda e: e.seq)
        self.neighbourhood_ = {}
        order, cores, represented = self._participants(live)
        if len(order) < 2:
            return
        _prefetch(self.features_, order)
        items = [self.features_[m] for m in order]
        groups = fcluster(linkage(self._pass_distances(items, represented), method="average"),
                          1.0 - self.consolidation_threshold, criterion="distance")
        members_of: dict[int, list[int]] = {}
        for position, group in enumerate(groups):
            members_of.setdefault(int(group), []).append(position)
        hidden = {int(p) for positions in represented for p in positions[1:]}
        old = {e.id: e for e in live}
        for event in live:
            del self.events_[event.id]
        rebuilt: list[LiveEvent] = []
        for positions in sorted(members_of.values()):
            # Each member once, in the order of the pass: a core where its first
            # representative stands.
            placed = [(p, m) for p in positions if p not in hidden
                      for m in cores.get(p, [order[p]])]
            overlap = Counter(self.assignment_[m] for _, m in placed)
            keep = [e for e in sorted(overlap, key=lambda e: (-overlap[e], old[e].seq))
                    if e not in self.events_]
            if keep:
                event = LiveEvent(id=keep[0], seq=old[keep[0]].seq)
            else:
                event = LiveEvent(id=self._new_event_id(placed[0][1]), seq=self.next_seq_)
                self.next_seq_ += 1
            self.events_[event.id] = event
            rebuilt.append(event)
            for position, article_id in placed:
                previous = old[self.assignment_[article_id]]
                if previous.id == event.id or position in cores:
                    # A core's members keep the scores they joined with (they moved as one).
                    recorded = previous.scores[article_id]
                else:
                    others = [items[p] for p in positions if p != position]
                    recorded = self._pair_scores([items[position]], others).explain(
                        0, np.arange(len(others))) if others else {"total": 1.0, "founder": 1.0}
                event.members.append(article_id)
                event.scores[article_id] = recorded
        for event in rebuilt:
            event.settled = len(event.members)
            for article_id in event.members:
                self.assignment_[article_id] = event.id
        self._mark_changed(live, rebuilt)

    def _mark_changed(self, before: list[LiveEvent], after: list[LiveEvent]) -> None:
        """Name in `changed_` the events a pass changed: a record changes when its members do.
        An event the pass leaves as it was (most of a neighbourhood: events merely near the
        articles added) is then not re-explained, re-briefed and relinked, which was what an
        update's cost grew most by in a big store."""
        members_now = {event.id: event.members for event in after}
        was = {event.id for event in before}
        for event_id in [e.id for e in before if members_now.get(e.id) != e.members] + [
                e.id for e in after if e.id not in was]:
            self.changed_[event_id] = None

    def _pass_distances(self, items: list[ArticleFeatures], represented: list[np.ndarray]
                        ) -> np.ndarray:
        """Condensed distances of a pass: 1 - a blend of the pair totals and their neighbourhood
        similarity, 0 between the representatives of one core. Built in place, in blocks of
        rows (`features.pair_totals`): about three square matrices at the peak."""
        from scipy.spatial.distance import squareform

        total = pair_totals(items, self._idf_of, self.weights, self.time_scale_days,
                            self.window_days)
        # A little first-order score keeps small sets from merging on shared neighbours alone;
        # in a set no bigger than the neighbour count every row holds every article, so shared
        # neighbours say nothing and the first-order score decides alone.
        first_order = (self.consolidation_first_order
                       if len(items) > self.consolidation_neighbours else 1.0)
        similarity = neighbourhood_similarity(total, self.consolidation_neighbours)
        similarity *= 1 - first_order
        np.clip(total, OUTSIDE_WINDOW, 1.0, out=total)
        total *= first_order
        similarity += total
        del total
        # distance = 1 - similarity; rounding (float16 vectors, the neighbour blend) can push a
        # similarity a hair past 1, and scipy's linkage refuses any negative distance.
        np.subtract(1.0, similarity, out=similarity)
        np.maximum(similarity, 0.0, out=similarity)
        np.fill_diagonal(similarity, 0.0)
        for positions in represented:  # a core's representatives join first, at distance 0
            similarity[np.ix_(positions, positions)] = 0.0
        return squareform(similarity, checks=False)

    def _participants(self, live: list[LiveEvent]
                      ) -> tuple[list[str], dict[int, list[str]], list[np.ndarray]]:
        """The articles taking part in a pass over `live` (event by event, in member order);
        position of a core's first representative -> the whole core; positions of each core's
        representatives."""
        order: list[str] = []
        cores: dict[int, list[str]] = {}
        represented: list[np.ndarray] = []
        for event in live:
            core = (event.members[: event.settled]
                    if len(event.members) > self.consolidation_sample else [])
            if len(core) > 1:
                shown = self._representatives(core)
                cores[len(order)] = core
                represented.append(np.arange(len(order), len(order) + len(shown)))
                order += shown
                order += event.members[len(core):]
            else:
                order += event.members
        return order, cores, represented

    def _representatives(self, core: list[str]) -> list[str]:
        """At most `consolidation_sample` members that stand for an event's core in a pass: its
        latest half and the rest spread evenly over the older ones (what the story was about
        when it began), in member order."""
        if len(core) <= self.consolidation_sample:
            return core
        latest = self.consolidation_sample // 2
        older = core[: len(core) - latest]
        spread = max(1, self.consolidation_sample - latest)  # a core is never left unseen
        return ([older[k * len(older) // spread] for k in range(spread)]
                + core[len(core) - latest:])

    # -- results ---------------------------------------------------------------------------------
    def labels(self, article_ids: Iterable[str]) -> list[str]:
        return [self.assignment_[i] for i in article_ids]

    def explain(self, article_id: str) -> dict[str, float]:
        """Current scores of an article against the other members of its event (the
        `event_sample` latest of them, as when an article is placed)."""
        event = self.events_[self.assignment_[article_id]]
        return self._explanations(event, [article_id])[article_id]

    def _explanations(self, event: LiveEvent, article_ids: list[str]
                      ) -> dict[str, dict[str, float]]:
        """`explain` of each of `article_ids` (members of `event`), from one score matrix:
        an event's record explains every member, and one matrix costs far less than one per
        member (each call rebuilt the vocabulary of the same articles)."""
        others_of = {a: [m for m in event.members if m != a][-self.event_sample:]
                     for a in article_ids}
        needed = list(dict.fromkeys(m for m in event.members
                                    if any(m in others for others in others_of.values())))
        found: dict[str, dict[str, float]] = {
            a: {"total": 1.0, "founder": 1.0} for a, others in others_of.items() if not others}
        explained = [a for a in article_ids if a not in found]
        if not explained:
            return found
        _prefetch(self.features_, [*explained, *needed])
        scores = self._pair_scores([self.features_[a] for a in explained],
                                   [self.features_[m] for m in needed])
        column = {m: k for k, m in enumerate(needed)}
        for row, article_id in enumerate(explained):
            columns = np.array([column[m] for m in others_of[article_id]])
            recorded = scores.explain(row, columns)
            recorded["total"] = round(self._aggregate(scores.total[row, columns]), 4)
            found[article_id] = recorded
        return found

    def to_events(self, articles: dict[str, Article],
                  event_ids: Iterable[str] | None = None) -> list[Event]:
        """Event records for the events named (default: every event) with members in
        `articles`; names of events that no longer exist are skipped."""
        chosen = (self.events_.values() if event_ids is None
                  else [self.events_[e] for e in event_ids if e in self.events_])
        records = []
        for event in sorted(chosen, key=lambda e: e.seq):
            members = [articles[i] for i in event.members if i in articles]
            if members:
                records.append(self._record(event, members))
                # Each member's row was read for this record alone: an update over a dozen
                # growing stories would otherwise hold the rows of every article they hold.
                _release(self.features_, event.members)
        return records

    def _record(self, event: LiveEvent, members: list[Article]) -> Event:
        _prefetch(self.features_, event.members)
        dense = dense_matrix([self.features_[a.id] for a in members])
        centrality = dense @ dense.mean(axis=0)
        central = members[int(np.argmax(centrality))]
        salience: defaultdict[str, float] = defaultdict(float)
        places: defaultdict[str, float] = defaultdict(float)
        for article in members:
            for entity in article.entities:
                weight = max(entity.salience, self.min_entity_salience)
                salience[entity.id] += weight
                if entity.type == "place":
                    places[entity.id] += weight
        top = sorted(salience, key=lambda k: (-salience[k], k))[: self.top_entities]
        place = min(places, key=lambda k: (-places[k], k)) if places else None
        days = Counter(self.features_[a.id].day for a in members if self.features_[a.id].day)
        day = min(days, key=lambda d: (-days[d], d)) if days else None
        explained = self._explanations(event, [a.id for a in members])
        return Event(
            id=event.id,
            title=central.title,
            date=day_string(day),
            place=place,
            entities=top,
            members=[EventMember(article_id=a.id, scores=explained[a.id]) for a in members],
            outlets=sorted({a.outlet for a in members if a.outlet}),
            languages=sorted({a.language for a in members if a.language}),
        )

    # -- persistence -----------------------------------------------------------------------------
    def header(self) -> dict[str, Any]:
        """Parameters and the small learned state (counters, pending sets): everything but the
        per-article, per-event and per-term rows and the vector index."""
        return {
            "version": STATE_VERSION,
            "params": self.get_params(),
            "documents_seen": self.documents_seen_,
            "next_seq": self.next_seq_,
            "since_consolidation": self.since_consolidation_,
            "neighbourhood": list(self.neighbourhood_),
            "changed": list(self.changed_),
        }

    @classmethod
    def from_header(cls, header: dict[str, Any]) -> EventClusterer:
        if header.get("version") != STATE_VERSION:
            raise ValueError(f"clusterer state version {header.get('version')} is not supported")
        model = cls(**{k: v for k, v in header["params"].items() if k in _PARAMS})
        model.documents_seen_ = header["documents_seen"]
        model.next_seq_ = header["next_seq"]
        model.since_consolidation_ = header["since_consolidation"]
        model.neighbourhood_ = dict.fromkeys(header["neighbourhood"])
        model.changed_ = dict.fromkeys(header["changed"])
        return model

    def rows(self, with_vectors: bool = True) -> dict[str, dict[str, Any]]:
        """The whole in-memory state as JSON rows per table (after `fit`, for a full write);
        without the articles' dense vectors when the store keeps them (`with_vectors`)."""
        return {
            "cluster_articles": {k: features_to_json(v, with_vectors)
                                 for k, v in self.features_.items()},
            "cluster_events": {k: event_to_json(v) for k, v in self.events_.items()},
            "cluster_assignment": dict(self.assignment_),
            "cluster_terms": dict(self.document_frequency_),
            "cluster_postings": dict(self.postings_),
        }

    def to_bytes(self) -> bytes:
        if not isinstance(self.index_, VectorIndex):
            raise TypeError("a clusterer loaded from a store is saved row by row, not as bytes")
        state = {**self.header(), **self.rows(),
                 "index": base64.b64encode(self.index_.to_bytes()).decode("ascii"),
                 "indexed": self.index_.ids}
        return json.dumps(state, ensure_ascii=False, sort_keys=True).encode("utf-8")

    @classmethod
    def from_bytes(cls, data: bytes) -> EventClusterer:
        state = json.loads(data.decode("utf-8"))
        model = cls.from_header(state)
        model.index_ = VectorIndex.from_bytes(base64.b64decode(state["index"]), state["indexed"])
        model.features_ = {k: features_from_json(v) for k, v in state["cluster_articles"].items()}
        model.events_ = {k: event_from_json(v) for k, v in state["cluster_events"].items()}
        model.assignment_ = state["cluster_assignment"]
        model.document_frequency_ = state["cluster_terms"]
        model.postings_ = state["cluster_postings"]
        return model


_PARAMS = (
    "encoder", "dense_weight", "sparse_weight", "entity_weight", "time_weight", "threshold",
    "crosslingual_threshold", "linkage_mix", "consolidation_threshold",
    "consolidation_neighbours", "consolidation_sample", "window_days",
    "time_scale_days", "consolidate_every", "candidate_neighbours", "candidate_terms",
    "term_postings", "candidate_events", "event_sample", "consolidation_first_order",
    "top_entities", "title_repeat", "sparse_chars", "min_entity_salience",
)


def _prefetch(mapping: MutableMapping[str, Any], keys: Iterable[str]) -> None:
    """Read many rows at once when `mapping` is stored row by row (a dict has them all)."""
    prefetch = getattr(mapping, "prefetch", None)
    if prefetch is not None:
        prefetch(list(keys))


def _release(mapping: MutableMapping[str, Any], keys: Iterable[str]) -> None:
    """Let a mapping stored row by row forget rows read for one use (a dict keeps them)."""
    release = getattr(mapping, "release", None)
    if release is not None:
        release(keys)


def event_to_json(event: LiveEvent) -> dict[str, Any]:
    return {"id": event.id, "seq": event.seq, "members": event.members, "scores": event.scores,
            "settled": event.settled}


def event_from_json(raw: dict[str, Any]) -> LiveEvent:
    return LiveEvent(id=raw["id"], seq=raw["seq"], members=raw["members"], scores=raw["scores"],
                     settled=raw.get("settled", 0))


def features_to_json(item: ArticleFeatures, with_vector: bool = True) -> dict[str, object]:
    """`item` as a JSON row; `with_vector` False leaves its dense vector out (a store keeps
    each article's vector once, in its `vectors` table: `features_from_json` takes it back)."""
    row: dict[str, object] = {
        "id": item.id,
        "dim": len(item.dense),
        "terms": item.terms,
        "entities": item.entities,
        "day": item.day,
        "language": item.language,
        "not_before": item.not_before,
    }
    if with_vector:
        # float16 halves the stored vector (1 KB at 512 dimensions); the dense signal weighs
        # 0.05 and moves by under 1e-3 (docs/clustering.md).
        row["dense"] = base64.b64encode(pack_vector(to_dense(item.dense))).decode("ascii")
    return row


def features_from_json(raw: dict, dense: Vector | None = None) -> ArticleFeatures:
    """The features of a `features_to_json` row; `dense` is its vector when the row has none."""
    if "dense" in raw:
        dense = compact(unpack_vector(base64.b64decode(raw["dense"]), raw.get("dim")))
    elif dense is None:
        # The vector went with the text it encoded (re-cleaned, not encoded again): the
        # article is forgotten (`forget`) before anything compares it.
        dense = compact(np.zeros(raw["dim"], dtype=np.float32))
    return ArticleFeatures(id=raw["id"], dense=dense, terms=raw["terms"],
                           entities=raw["entities"], day=raw["day"], language=raw["language"],
                           not_before=raw.get("not_before"))
