"""Event clustering as a Spark batch job: `storyline recluster` with the clustering on executors.

1. Executors build each article's features (`events.features.build_features`) and count the
   batch's document frequencies (`reduceByKey`).
2. Articles are keyed by time bucket and blocking key (`partition.partition_key`) onto the job's
   partitions; each partition gets the batch-wide frequencies of its terms (a join) and is
   clustered by `EventClusterer`, as `fit` clusters the whole batch (`partition.cluster_partition`).
3. Border merge: events of different partitions sharing a heavy term are scored on their
   centroids; each keeps its strongest links, the driver joins linked events into groups
   (union-find over the links only), and executors consolidate each group with the clusterer's
   own pass (`partition.merge_group`).
4. The driver takes the events over (`EventClusterer.adopt`) and `pipeline.recluster` writes them,
   with roles, dates and storylines, through the store, exactly as after a local rebuild.

See docs/spark.md for what runs where, the measured cost and the limits.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from operator import add
from typing import TYPE_CHECKING, Any

from storyline.config import PipelineConfig
from storyline.events.cluster import EventClusterer, LiveEvent
from storyline.events.features import ArticleFeatures, FeatureConfig, build_features
from storyline.model import Article, Event
from storyline.pipeline import recluster
from storyline.spark import partition
from storyline.spark.config import SparkConfig
from storyline.store import Store

if TYPE_CHECKING:
    from pyspark import RDD
    from pyspark.sql import SparkSession

    from storyline.vectors import Vector


def recluster_on_spark(store: Store, spark: SparkSession, partitions: int | None = None,
                       config: SparkConfig | None = None,
                       pipeline_config: PipelineConfig | None = None) -> list[Event]:
    """Rebuild every event of `store` with the clustering on Spark; the store is written on the
    driver, as `storyline recluster` writes it."""
    config = config or SparkConfig()
    slots = partitions or spark.sparkContext.defaultParallelism * config.partitions_per_core

    def fit(model: EventClusterer, articles: list[Article], vectors: dict[str, Vector]
            ) -> None:
        placed = spark.sparkContext.parallelize(
            [(position, article.to_dict(), vectors[article.id])
             for position, article in enumerate(articles)], slots,
        ).map(functools.partial(_features, model.feature_config))
        model.adopt(*cluster_placed(placed, model.get_params(), slots, config))

    return recluster(store, pipeline_config, fit=fit)


def _features(config: FeatureConfig, record: tuple[int, dict[str, Any], Vector]
              ) -> tuple[int, ArticleFeatures]:
    position, article, vector = record
    return position, build_features(Article.from_dict(article), vector, config)


def cluster_features(spark: SparkSession, items: list[ArticleFeatures], params: dict[str, Any],
                     partitions: int, config: SparkConfig | None = None) -> list[LiveEvent]:
    """Cluster features already built (in stream order) on Spark; the events, ids unique."""
    placed = spark.sparkContext.parallelize(list(enumerate(items)), partitions)
    return cluster_placed(placed, params, partitions, config or SparkConfig())[1]


def cluster_placed(placed: RDD, params: dict[str, Any], partitions: int, config: SparkConfig
                   ) -> tuple[list[ArticleFeatures], list[LiveEvent]]:
    """Cluster an RDD of (stream position, features): every item in stream order and the events
    (ids unique, seq = earliest member's position)."""
    placed = placed.persist()
    try:
        documents = placed.count()
        if not documents:
            return [], []
        events = _partition_events(placed, params, partitions, documents,
                                   config.border_terms).persist()
        try:
            merged = _merge_borders(events, params, documents, config)
        finally:
            events.unpersist()
        items = [item for _, item in sorted(placed.collect(), key=lambda pair: pair[0])]
    finally:
        placed.unpersist()
    return items, partition.unique_ids(merged)


def _partition_events(placed: RDD, params: dict[str, Any], partitions: int, documents: int,
                      border_terms: int) -> RDD:
    """Step 2: an RDD of `PartitionEvent`s, every partition clustered on an executor."""
    frequency = placed.flatMap(lambda pair: ((t, 1) for t in pair[1].terms)).reduceByKey(add)
    bucket_days = params["window_days"]
    keyed = placed.map(lambda pair: (
        partition.slot_of(partition.partition_key(pair[1], bucket_days), partitions), pair))
    slot_frequency = (
        keyed.flatMap(lambda slotted: ((t, slotted[0]) for t in slotted[1][1].terms))
        .distinct()
        .join(frequency)
        .map(lambda joined: (joined[1][0], (joined[0], joined[1][1])))
    )

    def cluster(grouped: tuple[int, tuple[Iterable[Any], Iterable[tuple[str, int]]]]
                ) -> list[partition.PartitionEvent]:
        slot, (members, counts) = grouped
        return partition.cluster_partition(slot, members, dict(counts), documents, params,
                                           border_terms)

    return keyed.cogroup(slot_frequency, numPartitions=partitions).flatMap(cluster)


def _merge_borders(events: RDD, params: dict[str, Any], documents: int, config: SparkConfig
                   ) -> list[LiveEvent]:
    """Step 3: link events across partition borders, consolidate each linked group; all events."""
    summaries = events.map(lambda event: (event.event.id, partition.summarise(event))).persist()
    # Plain values: the lambdas below are pickled to the executors.
    max_events = config.border_max_events
    threshold = config.border_similarity
    links = config.border_links
    try:
        candidates = (
            summaries.flatMap(lambda kv: ((t, (kv[0], kv[1].slot)) for t in kv[1].signature))
            .groupByKey()
            .flatMap(lambda kv: partition.sharing_pairs(sorted(kv[1]), max_events))
            .distinct()
        )
        scored = (
            candidates.join(summaries)
            .map(lambda kv: (kv[1][0], (kv[0], kv[1][1])))
            .join(summaries)
            .map(lambda kv: (
                partition.centroid_similarity(kv[1][0][1], kv[1][1], params),
                (kv[1][0][0], kv[0]),
            ))
            .filter(lambda scored_pair: scored_pair[0] >= threshold)
        )
        pairs = (
            scored.flatMap(lambda s: ((s[1][0], s), (s[1][1], s)))
            .groupByKey()
            .flatMap(lambda kv: partition.strongest(kv[1], links))
            .distinct()
            .collect()
        )
    finally:
        summaries.unpersist()
    groups = partition.linked_groups(sorted(pairs))
    context = events.context
    group_of = context.parallelize(sorted(groups.items()), max(1, events.getNumPartitions()))
    by_id = events.map(lambda event: (event.event.id, event))
    merged = (
        by_id.join(group_of)
        .map(lambda kv: (kv[1][1], kv[1][0]))
        .groupByKey()
        .flatMap(lambda kv: partition.merge_group(
            sorted(kv[1], key=lambda e: e.event.seq), documents, params))
    )
    alone = by_id.subtractByKey(group_of).map(lambda kv: kv[1].event)
    return merged.union(alone).collect()
