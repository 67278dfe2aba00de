"""The executor side of clustering on Spark: partition keys, the clusterer on one partition, the
border merge of one group of events. Plain Python over the clusterer's own types, so the Spark
job (`spark.events`) stays a thin shell and these run (and are tested) without Spark.

No algorithm of its own: a partition is clustered by `EventClusterer.partial_fit_features` and
`consolidate` (what `fit` runs), and events split across partition borders are merged by
`EventClusterer.consolidate` over the events a border pair links, so the local rules decide
everything. What the job adds is where articles go and which events meet again:

- **Partition key** (`partition_key`): a time bucket of `bucket_days` (the publication day; an
  undated article takes the latest day or month its text mentions, the lower bound the clusterer
  already uses, and otherwise the bucket of undated articles) and a blocking key, the article's
  most salient entity (canonical ids, so languages meet), else its language. A key is hashed to
  one of the job's partitions, so a partition holds many blocks and is clustered as one.
- **Prior**: each partition's clusterer starts from the whole batch's document frequencies (of
  its own terms, minus its own counts, which `partial_fit` adds): its TF-IDF weighs terms as the
  local rebuild's final state does, not as a small partition would.
- **Border pairs** (`signature`, `centroid_similarity`): an event is summarised by its
  `BORDER_TERMS` heaviest terms (summed tf·idf of its members) and its centroids; two events of
  different partitions sharing a term are a candidate pair, kept when their centroid similarity
  reaches `border_similarity`. Linked events are consolidated together (`merge_group`).
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from storyline.events.cluster import EventClusterer, LiveEvent
from storyline.events.features import ArticleFeatures, dense_matrix

UNDATED = "undated"


@dataclass
class PartitionEvent:
    """An event clustered on an executor, with what the border merge needs of it."""

    event: LiveEvent
    slot: int
    items: list[ArticleFeatures]
    # Stream positions of the members (the order `partial_fit` saw them in).
    positions: dict[str, int]
    # Batch-wide document frequency of every term of its members.
    frequency: dict[str, int]
    signature: dict[str, float] = field(default_factory=dict)


def time_bucket(item: ArticleFeatures, bucket_days: float) -> str:
    day = item.day if item.day is not None else item.not_before
    return UNDATED if day is None else str(int(day // bucket_days))


def block_key(item: ArticleFeatures) -> str:
    """The most salient entity (ties: the smaller id), else the language."""
    if item.entities:
        return min(item.entities, key=lambda e: (-item.entities[e], e))
    return f"lang:{item.language or '?'}"


def partition_key(item: ArticleFeatures, bucket_days: float) -> str:
    return f"{time_bucket(item, bucket_days)}|{block_key(item)}"


def slot_of(key: str, partitions: int) -> int:
    """A stable partition number for a key (Python's `hash` of a string changes per process)."""
    return zlib.crc32(key.encode("utf-8")) % partitions


def clusterer_with_prior(params: dict[str, Any], frequency: dict[str, int], documents: int
                         ) -> EventClusterer:
    """A clusterer whose document frequencies already count `documents` other articles."""
    model = EventClusterer(**params)
    model.document_frequency_ = {t: n for t, n in frequency.items() if n > 0}
    model.documents_seen_ = documents
    return model


def cluster_partition(
    slot: int, placed: Iterable[tuple[int, ArticleFeatures]], frequency: dict[str, int],
    documents: int, params: dict[str, Any], border_terms: int,
) -> list[PartitionEvent]:
    """Cluster one partition as `fit` would (stream order), starting from the batch's document
    frequencies (`frequency`: batch-wide counts of the partition's terms, `documents`: batch size)."""
    ordered = sorted(placed, key=lambda pair: pair[0])
    items = [item for _, item in ordered]
    own: dict[str, int] = {}
    for item in items:
        for term in item.terms:
            own[term] = own.get(term, 0) + 1
    prior = {t: frequency.get(t, n) - n for t, n in own.items()}
    model = clusterer_with_prior(params, prior, documents - len(items))
    model.partial_fit_features(items)
    model.consolidate()
    position = {item.id: p for p, item in ordered}
    by_id = {item.id: item for item in items}
    out = []
    for event in model.events_.values():
        members = [by_id[m] for m in event.members]
        terms = {t for item in members for t in item.terms}
        # The event's seq orders it among every partition's events: its earliest member.
        event.seq = min(position[m] for m in event.members)
        out.append(PartitionEvent(
            event=event, slot=slot, items=members,
            positions={m: position[m] for m in event.members},
            frequency={t: frequency.get(t, own[t]) for t in terms},
        ))
    for partition_event in out:
        partition_event.signature = signature(partition_event, documents, border_terms)
    return out


def idf(frequency: dict[str, int], documents: int) -> dict[str, float]:
    """The clusterer's IDF (`EventClusterer._idf`) over batch-wide counts."""
    return {t: math.log((documents + 1) / (n + 1)) + 1.0 for t, n in frequency.items()}


def signature(event: PartitionEvent, documents: int, terms: int) -> dict[str, float]:
    """The event's `terms` heaviest terms by summed tf·idf of its members, L2-normalised."""
    weights = idf(event.frequency, documents)
    summed: dict[str, float] = {}
    for item in event.items:
        for term, tf in item.terms.items():
            summed[term] = summed.get(term, 0.0) + tf * weights[term]
    top = sorted(summed, key=lambda t: (-summed[t], t))[:terms]
    norm = math.sqrt(sum(summed[t] ** 2 for t in top)) or 1.0
    return {t: summed[t] / norm for t in top}


@dataclass
class EventSummary:
    """What a border pair is judged on: small, so pairs are scored without the members."""

    id: str
    slot: int
    signature: dict[str, float]
    dense: np.ndarray  # the members' mean vector, unit length
    languages: frozenset[str]


def summarise(event: PartitionEvent) -> EventSummary:
    dense = np.mean(dense_matrix(event.items), axis=0)
    return EventSummary(
        id=event.event.id, slot=event.slot, signature=event.signature,
        dense=dense / max(float(np.linalg.norm(dense)), 1e-12),
        languages=frozenset(i.language for i in event.items if i.language),
    )


def sharing_pairs(events: list[tuple[str, int]], max_events: int) -> list[tuple[str, str]]:
    """Pairs of (event id, slot) from different partitions among the events sharing one term;
    none when more than `max_events` share it (a common term, not a name of one event)."""
    if len(events) > max_events:
        return []
    return sorted({(min(a, b), max(a, b)) for i, (a, slot_a) in enumerate(events)
                   for b, slot_b in events[i + 1:] if slot_a != slot_b})


def centroid_similarity(a: EventSummary, b: EventSummary, params: dict[str, Any]) -> float:
    """How alike two events are as wholes: the clusterer's dense and sparse weights over the
    cosine of their mean vectors and of their term signatures (terms do not compare across
    languages, so events with no language in common are judged on the mean vectors alone)."""
    dense = float(a.dense @ b.dense)
    if not a.languages & b.languages:
        return dense
    sparse = sum(w * b.signature.get(t, 0.0) for t, w in a.signature.items())
    dense_weight, sparse_weight = params["dense_weight"], params["sparse_weight"]
    return (dense_weight * dense + sparse_weight * sparse) / (dense_weight + sparse_weight)


def strongest(scored: Iterable[tuple[float, tuple[str, str]]], links: int
              ) -> list[tuple[str, str]]:
    """An event's `links` most similar border pairs (ties: the smaller pair)."""
    return [pair for _, pair in sorted(scored, key=lambda s: (-s[0], s[1]))[:links]]


def linked_groups(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Event id -> the smallest event id of its connected group (union-find over `pairs`)."""
    parent: dict[str, str] = {}

    def root(node: str) -> str:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for a, b in pairs:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {node: root(node) for node in parent}


def merge_group(group: list[PartitionEvent], documents: int, params: dict[str, Any]
                ) -> list[LiveEvent]:
    """Consolidate events linked across partition borders with the clusterer's own pass; each
    resulting event's seq is its earliest member's stream position."""
    frequency: dict[str, int] = {}
    for linked in group:
        frequency.update(linked.frequency)
    model = clusterer_with_prior(params, frequency, documents)
    positions = {m: p for linked in group for m, p in linked.positions.items()}
    model.features_ = {item.id: item for linked in group for item in linked.items}
    model.events_ = {linked.event.id: linked.event for linked in group}
    model.assignment_ = {m: linked.event.id for linked in group for m in linked.event.members}
    # The pass reads members event by event in seq order: stream order, as in `fit`.
    model.neighbourhood_ = dict.fromkeys(
        e.event.id for e in sorted(group, key=lambda e: e.event.seq))
    model.next_seq_ = max(positions.values()) + 1
    model.consolidate()
    for event in model.events_.values():
        event.seq = min(positions[m] for m in event.members)
    return list(model.events_.values())


def unique_ids(events: list[LiveEvent]) -> list[LiveEvent]:
    """Events in seq order, a repeated id renamed as the clusterer renames one (`+`): groups
    are merged apart, and a founder that split off in two places names two events."""
    seen: set[str] = set()
    ordered = sorted(events, key=lambda e: e.seq)
    for event in ordered:
        while event.id in seen:
            event.id += "+"
        seen.add(event.id)
    return ordered
