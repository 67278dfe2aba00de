"""Benchmark 'online': what adding articles costs as the event store grows (Timeline17).

The first articles of Timeline17 (topics taken in turn, each topic's files in date order, as a
feed would bring them) are cleaned, enriched and embedded once (`--cache` keeps them). They are
then streamed into an empty clusterer: at each checkpoint N the CPU seconds of adding the next
`--step` articles are measured twice, on the in-memory clusterer (`partial_fit` in micro-batches,
the periodic consolidation included: the default step is one consolidation period) and, with
`--store`, through the product path (`storyline.pipeline.update_events` on a real SQLite store:
load, cluster, date, roles, storylines, save). The cost exponent is the slope of log(cost) over
log(N): 0 means the cost of an article does not grow with the store, 1 that it grows with it.
CPU seconds (time.process_time), not wall time: the machine is shared.
"""

from __future__ import annotations

import argparse
import hashlib
import math
import pickle
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from storyline.bench import pipeline_config
from storyline.config import PipelineConfig

HELP = "incremental clustering cost on Timeline17: CPU s per step as the store grows, exponent"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--checkpoints", default="1000,2000,4000",
                        help="store sizes at which a step is measured (comma separated)")
    parser.add_argument("--step", type=int, default=None,
                        help="articles added at each checkpoint (default: the clusterer's "
                        "consolidate_every)")
    parser.add_argument("--store", action="store_true",
                        help="also measure update_events on a real SQLite store (slower)")
    parser.add_argument("--articles", type=int, default=0,
                        help="Timeline17 files to prepare (default: last checkpoint + step)")
    parser.add_argument("--cache", type=Path, default=None,
                        help="folder caching the enriched articles and vectors")
    parser.add_argument("--encoder", default=None,
                        help="dense encoder (default: the configuration's, 'tfidf' with --fast)")


def feed_paths(data: Path, count: int) -> list[Path]:
    """`count` Timeline17 files: one from each topic in turn, each topic in date order."""
    topics = [sorted((topic / "InputDocs").rglob("*.txt")) for topic in sorted(data.iterdir())
              if (topic / "InputDocs").is_dir()]
    paths: list[Path] = []
    for position in range(max((len(t) for t in topics), default=0)):
        paths += [t[position] for t in topics if position < len(t)]
    return paths[:count]


def prepare(paths: list[Path], config: PipelineConfig, cache: Path | None
            ) -> tuple[list, dict]:
    from storyline.embed import embed_articles, get_encoder
    from storyline.ingest import read_path
    from storyline.model import RawDocument
    from storyline.pipeline import prepare as clean_and_enrich

    encoder_name = config.encoder.name
    key = hashlib.sha256(("\n".join(map(str, paths)) + encoder_name).encode()).hexdigest()[:16]
    cache_file = cache / f"online-{len(paths)}-{key}.pickle" if cache else None
    if cache_file is not None and cache_file.exists():
        with cache_file.open("rb") as handle:
            return pickle.load(handle)  # our own file, written below
    documents = [d for p in paths for d in read_path(str(p)) if isinstance(d, RawDocument)]
    articles = clean_and_enrich(documents, config)
    vectors = embed_articles(None, articles, get_encoder(encoder_name))
    if cache_file is not None:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        with cache_file.open("wb") as handle:
            pickle.dump((articles, vectors), handle)
    return articles, vectors


def exponent(sizes: list[int], costs: list[float]) -> float | None:
    """Least-squares slope of log(cost) over log(size)."""
    points = [(math.log(n), math.log(c)) for n, c in zip(sizes, costs, strict=True) if c > 0]
    if len(points) < 2:
        return None
    x, y = np.array(points).T
    return round(float(np.polyfit(x, y, 1)[0]), 2)


def _in_memory(articles: list, vectors: dict, checkpoints: list[int], step: int,
               encoder_name: str) -> list[float]:
    from storyline.events.cluster import EventClusterer
    from storyline.events.config import EventsConfig
    from storyline.events.features import build_features

    items = [build_features(a, vectors[a.id]) for a in articles]
    model = EventClusterer(encoder=encoder_name)
    batch = EventsConfig().update_batch  # as `update_events` feeds it by default
    costs, done = [], 0

    def feed(upto: int) -> None:
        nonlocal done
        for start in range(done, upto, batch):
            model.partial_fit_features(items[start : min(upto, start + batch)])
        done = upto

    for size in checkpoints:
        feed(size)
        started = time.process_time()
        feed(size + step)
        costs.append(time.process_time() - started)
    return costs


def _through_store(articles: list, vectors: dict, checkpoints: list[int], step: int,
                   config: PipelineConfig) -> list[float]:
    from storyline.pipeline import update_events
    from storyline.store import Store

    costs, done = [], 0
    with tempfile.TemporaryDirectory() as folder, Store(Path(folder) / "online.db") as store:
        def add(upto: int) -> None:
            nonlocal done
            chunk = articles[done:upto]
            for article in chunk:
                store.add_article(article)
            store.put_vectors(config.encoder.name, {a.id: vectors[a.id] for a in chunk})
            done = upto

        for size in checkpoints:
            while done < size:  # catch up in ingest-sized steps, as a feed would
                add(min(size, done + 1000))
                update_events(store, config=config)
            add(size + step)
            started = time.process_time()
            update_events(store, config=config)
            costs.append(time.process_time() - started)
    return costs


def run(data: Path, args: argparse.Namespace) -> dict[str, Any]:
    checkpoints = sorted(int(n) for n in str(args.checkpoints).split(","))
    from storyline.events.cluster import EventClusterer

    step = int(args.step or EventClusterer().consolidate_every)
    config = pipeline_config(args)
    encoder_name = config.encoder.name
    started = time.process_time()
    count = getattr(args, "articles", 0) or checkpoints[-1] + step
    articles, vectors = prepare(feed_paths(data, count), config, getattr(args, "cache", None))
    prepare_seconds = time.process_time() - started
    checkpoints = [n for n in checkpoints if n + step <= len(articles)]
    report: dict[str, Any] = {"articles": len(articles), "checkpoints": checkpoints,
                              "step": step, "prepare_cpu_seconds": round(prepare_seconds, 1)}
    costs = _in_memory(articles, vectors, checkpoints, step, encoder_name)
    report["partial_fit_cpu_seconds"] = [round(c, 2) for c in costs]
    report["partial_fit_exponent"] = exponent(checkpoints, costs)
    if getattr(args, "store", False):
        costs = _through_store(articles, vectors, checkpoints, step, config)
        report["update_events_cpu_seconds"] = [round(c, 2) for c in costs]
        report["update_events_exponent"] = exponent(checkpoints, costs)
    return report


def format_text(result: dict[str, Any]) -> str:
    rows = [(f"Timeline17 feed, {result['articles']} articles prepared; CPU seconds to add "
             f"{result['step']} articles at each store size")]
    for name in ("partial_fit", "update_events"):
        if f"{name}_cpu_seconds" in result:
            pairs = ", ".join(f"{n}: {c}" for n, c in zip(
                result["checkpoints"], result[f"{name}_cpu_seconds"], strict=True))
            rows.append(f"  {name:<14} {pairs}  (exponent {result[f'{name}_exponent']})")
    return "\n".join(rows)
