"""Benchmark 'spark': event clustering on Spark against the local rebuild, on ECB+.

Quality: the protocol of `storyline bench cluster` (its functions: same shuffle, publication
order, topic halves; each fold's parameters tuned on the other fold with the online path).
With each fold's parameters, all 982 documents are clustered by the local rebuild (`recluster`'s
`fit`) and by the Spark job (`spark.events.cluster_features`: partitions, the clusterer per
partition, border merge), and only the held-out fold is scored. Both B-cubed F1 are printed with
their difference (the target: within 0.01).

Cost: the ECB+ features are repeated into streams of `--sizes` articles (copy k has new ids and
its dates moved k × 400 days, past the clusterer's window, so a copy makes new events; undated
documents stay undated), each clustered locally (`fit`, one process) and on Spark with the
shipped parameters. CPU seconds: the local run's `process_time`; for Spark, this process plus
every process it started (the JVM and its Python workers, read from /proc), so executors count.
Wall seconds are printed too, but on a shared machine they measure the neighbours as well.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import random
import time
from pathlib import Path
from typing import Any

from storyline.bench import cluster as ecb
from storyline.bench import pipeline_config
from storyline.events.cluster import EventClusterer
from storyline.events.features import ArticleFeatures

HELP = "event clustering on Spark vs the local rebuild: ECB+ held-out B3 F1, CPU and wall by size"
CYCLE_DAYS = 400
DEFAULT_SIZES = "1000,2000,4000"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--master", default="local[2]", help="Spark master (default local[2])")
    parser.add_argument("--partitions", type=int, default=8,
                        help="partitions of the clustering job (default 8)")
    parser.add_argument("--sizes", default=DEFAULT_SIZES,
                        help=f"stream sizes for the cost comparison (default {DEFAULT_SIZES}; "
                             "empty: quality only)")
    parser.add_argument("--encoder", default=None,
                        help="dense encoder (default: the configuration's)")
    parser.add_argument("--cache", type=Path, default=None,
                        help="the folder of `bench cluster --cache` (enriched articles, vectors)")


def run(data: Path, args: argparse.Namespace) -> dict[str, Any]:
    from storyline.spark import start_session

    config = pipeline_config(args)
    encoder_name = config.encoder.name
    documents = ecb.load_documents(data)
    random.Random(ecb.ORDER_SEED).shuffle(documents)
    stages: dict[str, float] = {}
    articles, vectors, documents, _ = ecb.stream(documents, config, args.cache, stages)
    items = ecb.stream_features(articles, vectors, stages)
    gold = [d["event"] for d in documents]
    folds = ecb.topic_halves([d["topic"] for d in documents])
    sizes = [int(size) for size in args.sizes.split(",") if size.strip()]

    session = start_session(args.master, app_name="storyline-bench-spark")
    try:
        def on_spark(params: dict[str, Any]) -> list[str]:
            return spark_labels(session, items, params, args.partitions)

        online = ecb.cross_validate(
            folds, gold, ecb.clusterer_tuner(items, gold, ecb.clusterer_grid(encoder_name)),
            lambda p: ecb.run_clusterer(items, p))
        rebuilt = _with_chosen(online, folds, gold, lambda p: ecb.rebuild_clusterer(items, p))
        spark = _with_chosen(online, folds, gold, on_spark)
        costs = [_costs(session, repeated(items, size), encoder_name, args.partitions)
                 for size in sizes]
    finally:
        session.stop()
    return {
        "documents": len(items),
        "master": args.master,
        "partitions": args.partitions,
        "local_rebuild_bcubed": rebuilt["bcubed"],
        "spark_bcubed": spark["bcubed"],
        "spark_minus_local_f1": round(spark["bcubed"]["f1"] - rebuilt["bcubed"]["f1"], 4),
        "events_found": {"local": rebuilt["events_found"], "spark": spark["events_found"]},
        "chosen_parameters": online["chosen"],
        "costs": costs,
    }


def _with_chosen(online: dict[str, Any], folds: list[list[int]], gold: list[str], cluster_all
                 ) -> dict[str, Any]:
    """Held-out scores of `cluster_all` with the parameters each fold chose online."""
    chosen = iter(online["chosen"])
    return ecb.cross_validate(folds, gold, lambda _subset: next(chosen), cluster_all)


def spark_labels(session: Any, items: list[ArticleFeatures], params: dict[str, Any],
                 partitions: int) -> list[str]:
    from storyline.spark.events import cluster_features

    full = EventClusterer(**params).get_params()
    label = {m: e.id for e in cluster_features(session, items, full, partitions)
             for m in e.members}
    return [label[item.id] for item in items]


def repeated(items: list[ArticleFeatures], size: int) -> list[ArticleFeatures]:
    """`size` features: copies of `items`, each copy with new ids and dates moved on."""
    out = []
    for number in range(size):
        copy, item = divmod(number, len(items))
        base = items[item]
        shift = copy * CYCLE_DAYS
        out.append(dataclasses.replace(
            base, id=f"{base.id}~{copy}" if copy else base.id,
            day=None if base.day is None else base.day + shift,
            not_before=None if base.not_before is None else base.not_before + shift))
    return sorted(out, key=lambda i: (i.day is None, i.day or 0))


def _costs(session: Any, items: list[ArticleFeatures], encoder_name: str, partitions: int
           ) -> dict[str, Any]:
    params: dict[str, Any] = {"encoder": encoder_name}
    wall, cpu = time.perf_counter(), time.process_time()
    local = EventClusterer(encoder=encoder_name).fit_features(items)
    local_cpu, local_wall = time.process_time() - cpu, time.perf_counter() - wall
    wall, cpu = time.perf_counter(), process_tree_cpu_seconds()
    labels = spark_labels(session, items, params, partitions)
    spark_cpu, spark_wall = process_tree_cpu_seconds() - cpu, time.perf_counter() - wall
    return {
        "articles": len(items),
        "local": {"cpu_seconds": round(local_cpu, 1), "wall_seconds": round(local_wall, 1),
                  "events": len(local.events_)},
        "spark": {"cpu_seconds": round(spark_cpu, 1), "wall_seconds": round(spark_wall, 1),
                  "events": len(set(labels))},
    }


def process_tree_cpu_seconds() -> float:
    """CPU seconds of this process and of every live descendant, each with its reaped children
    (Linux /proc): a Spark job's executors run in the JVM and its Python workers."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:  # the process ended while we looked
            continue
        parents[int(entry)] = int(fields[1])
        times[int(entry)] = sum(int(value) for value in fields[11:15]) / tick
    tree, frontier = {os.getpid()}, [os.getpid()]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent]
        tree.update(children)
        frontier.extend(children)
    return sum(times.get(pid, 0.0) for pid in tree)


def format_text(result: dict[str, Any]) -> str:
    def line(name: str, b: dict[str, float], events: int) -> str:
        return ecb.bcubed_line(name, b, f"  events {events}", width=34)

    rows = [
        (f"ECB+ {result['documents']} documents, held out over topic halves; Spark "
        f"{result['master']}, {result['partitions']} partitions"),
        line("local rebuild (recluster's fit)", result["local_rebuild_bcubed"],
             result["events_found"]["local"]),
        line("Spark (partitions + border merge)", result["spark_bcubed"],
             result["events_found"]["spark"]),
        f"  Spark - local F1 {result['spark_minus_local_f1']:+.4f}",
    ]
    if result["costs"]:
        rows.append("cost (shipped parameters; CPU s incl. the JVM and Python workers / wall s):")
        for cost in result["costs"]:
            local, spark = cost["local"], cost["spark"]
            rows.append(
                f"  {cost['articles']:>6} articles  local {local['cpu_seconds']:>7.1f} CPU s "
                f"{local['wall_seconds']:>7.1f} wall s ({local['events']} events)   Spark "
                f"{spark['cpu_seconds']:>7.1f} CPU s {spark['wall_seconds']:>7.1f} wall s "
                f"({spark['events']} events)")
    return "\n".join(rows)
