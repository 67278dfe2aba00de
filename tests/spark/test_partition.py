"""The executor side of clustering on Spark, without Spark: partitions, border links, merging."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from storyline import pipeline
from storyline.embed import embed_articles, get_encoder
from storyline.events.cluster import EventClusterer, LiveEvent
from storyline.events.features import ArticleFeatures, build_features
from storyline.ingest import read_path
from storyline.spark import partition
from tests.spark.events_corpus import write_events_corpus

PARAMS = EventClusterer(encoder="tfidf").get_params()


def corpus_items(folder: Path) -> tuple[list[ArticleFeatures], dict[str, str]]:
    """Features of the invented corpus in stream order, and article id -> gold event."""
    gold = write_events_corpus(folder)
    documents = [doc for path in sorted(gold) for doc in read_path(path)]
    articles = pipeline.prepare(documents)
    vectors = embed_articles(None, articles, get_encoder("tfidf"))
    articles.sort(key=lambda a: (a.published is None, a.published or ""))
    return ([build_features(a, vectors[a.id]) for a in articles],
            {a.id: gold[a.source] for a in articles})


def batch_frequency(items: list[ArticleFeatures]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for item in items:
        for term in item.terms:
            counts[term] = counts.get(term, 0) + 1
    return counts


def test_split_events_are_linked_and_merged_back(tmp_path: Path) -> None:
    items, gold = corpus_items(tmp_path / "corpus")
    local = EventClusterer(**PARAMS).fit_features(items)
    expected = {frozenset(e.members) for e in local.events_.values()}
    assert expected == {frozenset(a for a in gold if gold[a] == g) for g in set(gold.values())}

    # Alternate reports between two partitions: every invented event is split in two.
    frequency = batch_frequency(items)
    halves = [[(p, item) for p, item in enumerate(items) if p % 2 == slot] for slot in (0, 1)]
    events = [event for slot, placed in enumerate(halves)
              for event in partition.cluster_partition(slot, placed, frequency, len(items),
                                                       PARAMS, 20)]
    assert len(events) > len(expected)

    summaries = {e.event.id: partition.summarise(e) for e in events}
    by_term: dict[str, list[tuple[str, int]]] = {}
    for summary in summaries.values():
        for term in summary.signature:
            by_term.setdefault(term, []).append((summary.id, summary.slot))
    pairs = {pair for sharing in by_term.values()
             for pair in partition.sharing_pairs(sorted(sharing), 20)}
    scored = [(partition.centroid_similarity(summaries[a], summaries[b], PARAMS), (a, b))
              for a, b in pairs]
    same_event = [s for s, (a, b) in scored if _gold_of(events, a, gold) == _gold_of(events, b, gold)]
    other_event = [s for s, (a, b) in scored if _gold_of(events, a, gold) != _gold_of(events, b, gold)]
    # The halves of one event look more alike than any two events do.
    assert min(same_event) > max(other_event, default=0.0)

    groups = partition.linked_groups(pair for s, pair in scored if s >= 0.1)
    grouped: dict[str, list[partition.PartitionEvent]] = {}
    for event in events:
        grouped.setdefault(groups.get(event.event.id, event.event.id), []).append(event)
    merged = [live for group in grouped.values()
              for live in partition.merge_group(group, len(items), PARAMS)]
    assert {frozenset(e.members) for e in merged} == expected
    positions = {item.id: p for p, item in enumerate(items)}
    assert all(e.seq == min(positions[m] for m in e.members) for e in merged)


def test_one_partition_is_the_local_rebuild(tmp_path: Path) -> None:
    items, _ = corpus_items(tmp_path / "corpus")
    events = partition.cluster_partition(0, list(enumerate(items)), batch_frequency(items),
                                         len(items), PARAMS, 20)
    local = EventClusterer(**PARAMS).fit_features(items)
    assert {(e.event.id, tuple(e.event.members)) for e in events} == {
        (e.id, tuple(e.members)) for e in local.events_.values()}


def test_partition_keys_bucket_time_and_block_on_the_top_entity() -> None:
    def item(day: int | None, entities: dict[str, float], not_before: int | None = None
             ) -> ArticleFeatures:
        return ArticleFeatures("a", np.zeros(2), {}, entities, day, "en", not_before)

    assert partition.partition_key(item(730, {"E1": 0.2, "E2": 0.9}), 365) == "2|E2"
    assert partition.partition_key(item(None, {}, not_before=400), 365) == "1|lang:en"
    assert partition.partition_key(item(None, {"E1": 0.5, "E0": 0.5}), 365) == "undated|E0"
    assert 0 <= partition.slot_of("2|E2", 8) < 8
    assert partition.slot_of("2|E2", 8) == partition.slot_of("2|E2", 8)


def test_border_pairs_skip_one_partition_and_common_terms() -> None:
    assert partition.sharing_pairs([("a", 0), ("b", 0), ("c", 1)], 5) == [("a", "c"), ("b", "c")]
    assert partition.sharing_pairs([("a", 0), ("b", 1), ("c", 2)], 2) == []
    assert partition.strongest([(0.2, ("a", "b")), (0.9, ("a", "c")), (0.5, ("a", "d"))], 2) == [
        ("a", "c"), ("a", "d")]
    assert partition.linked_groups([("b", "c"), ("c", "d"), ("x", "y")]) == {
        "b": "b", "c": "b", "d": "b", "x": "x", "y": "x"}


def test_ids_stay_unique_across_partitions() -> None:
    events = [LiveEvent("ev-a", 3, ["b"]), LiveEvent("ev-a", 1, ["a"]), LiveEvent("ev-a+", 2, ["c"])]
    assert [e.id for e in partition.unique_ids(events)] == ["ev-a", "ev-a+", "ev-a++"]


def _gold_of(events: list[partition.PartitionEvent], event_id: str, gold: dict[str, str]) -> str:
    members = next(e.event.members for e in events if e.event.id == event_id)
    return gold[members[0]]
