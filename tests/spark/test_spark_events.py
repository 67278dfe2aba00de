"""Event clustering on Spark (local[2]) finds the events the local rebuild finds.

One session for the module (starting a JVM costs seconds); the ECB+ check skips without the
shared data. The ingest path (executors encode, events on Spark) is in test_spark_ingest.py.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from storyline import pipeline, settings
from storyline.config import ComponentConfig, PipelineConfig
from storyline.events.cluster import EventClusterer
from storyline.events.features import build_features
from storyline.spark import partition as partitioning
from storyline.spark.events import cluster_features, recluster_on_spark
from storyline.store import Store
from tests.conftest import shared_data_path
from tests.spark.events_corpus import EVENTS, write_events_corpus

PARTITIONS = 4


def event_sets(store: Store) -> set[frozenset[str]]:
    sources = {a.id: Path(a.source).name for a in store.iter_articles()}
    return {frozenset(sources[m.article_id] for m in e.members) for e in store.list_events()}


def test_spark_clustering_finds_the_local_events(spark: Any, tmp_path: Path) -> None:
    gold = write_events_corpus(tmp_path / "corpus")
    *_, late_report = sorted(p for p, event in gold.items() if event == "dam")
    files = sorted(p for p in gold if p != late_report)

    with Store(tmp_path / "local.db") as local:
        pipeline.ingest(files, local)
        expected = event_sets(local)
        items = [build_features(a, v) for a, v in _stream(local)]
    # Each invented event is found, so equal results are the right ones, not a shared mistake.
    assert {s for s in expected if len(s) > 1} == {
        frozenset(Path(p).name for p in files if gold[p] == event) for event in EVENTS}
    # The partitioning splits events, so the border merge is what joins them again.
    slots = {item.id: partitioning.slot_of(partitioning.partition_key(item, 365), PARTITIONS)
             for item in items}
    assert len(set(slots.values())) > 1

    params = EventClusterer().get_params()
    events = cluster_features(spark, items, params, PARTITIONS)
    local_model = EventClusterer().fit_features(items)
    assert {frozenset(e.members) for e in local_model.events_.values()} == {
        frozenset(e.members) for e in events}

    with Store(tmp_path / "spark.db") as store:
        pipeline.ingest(files, store, cluster=False)
        recluster_on_spark(store, spark, PARTITIONS)
        assert event_sets(store) == expected
        # The adopted state carries on online: a late report joins its event.
        pipeline.ingest([late_report], store)
        dam = {s for s in event_sets(store) if Path(late_report).name in s}
        assert dam == {frozenset(Path(p).name for p in gold if gold[p] == "dam")}
        assert len(store.list_events()) == len(expected)


def test_spark_matches_the_local_rebuild_on_ecbplus(spark: Any) -> None:
    from storyline.bench import cluster as bench

    documents = bench.load_documents(shared_data_path("ecbplus"), limit_topics=6)
    random.Random(bench.ORDER_SEED).shuffle(documents)
    use = PipelineConfig(encoder=ComponentConfig("use"))
    articles, vectors, documents, _ = bench.stream(documents, use, None, {})
    items = bench.stream_features(articles, vectors, {})
    gold = [document["event"] for document in documents]
    params = EventClusterer().get_params()
    local = bench.rebuild_clusterer(items, params)
    events = cluster_features(spark, items, params, PARTITIONS)
    label = {m: e.id for e in events for m in e.members}
    on_spark = [label[item.id] for item in items]

    local_f1 = bench.bcubed(local, gold)["f1"]
    assert local_f1 > 0.8
    assert abs(bench.bcubed(on_spark, gold)["f1"] - local_f1) <= 0.01


def _stream(store: Store) -> list[tuple[Any, Any]]:
    """Stored articles and vectors in the order `recluster` feeds them."""
    articles = sorted(store.iter_articles(order="ingest"),
                      key=lambda a: (a.published is None, a.published or ""))
    vectors = store.get_vectors(settings.DEFAULT_ENCODER, [a.id for a in articles])
    return [(a, vectors[a.id]) for a in articles]
