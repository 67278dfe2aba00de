"""Benchmark 'ingest': articles per second end to end, and where the time goes.

Data: Timeline17 (`<topic>/InputDocs/<date>/<n>.htm.txt`, read as the text files they are). N
files spread over every topic go through `pipeline.ingest` into a fresh temporary SQLite store:
read, clean, enrich, store, exactly as `storyline ingest` runs them. Clustering
(`pipeline.update_events`) is timed afterwards as a stage of its own, and left out of
`articles_per_second`, so the figure says what reading and understanding articles costs.

Stage seconds are CPU seconds (on a shared machine wall time mostly measures the neighbours):
read and store in the main process, clean and enrich (and its steps, enrich.<step>) in whichever
process ran them, summed over the workers. `seconds` and `articles_per_second` are wall time;
`cpu_seconds` is the CPU of the main process and its workers together. warm_up (loading the
models) and cluster are wall seconds outside the rate.
"""

from __future__ import annotations

import argparse
import dataclasses
import resource
import tempfile
import time
from pathlib import Path

from storyline import enrich, pipeline
from storyline.bench import pipeline_config
from storyline.config import ComponentConfig, PipelineConfig
from storyline.store import Store
from storyline.timing import STAGE_SECONDS

HELP = "end-to-end ingest speed on Timeline17 (articles per second, seconds per stage)"
DEFAULT_LIMIT = 1000


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--limit", type=int, default=DEFAULT_LIMIT, metavar="N",
                        help=f"ingest N files spread over all topics (default {DEFAULT_LIMIT})")
    parser.add_argument("--ner", choices=("spacy", "rules"), default=None,
                        help="entity backend for this run (default: the configuration's)")
    parser.add_argument("--serial", action="store_true",
                        help="clean and enrich in this process only (no worker processes)")
    parser.add_argument("--no-cluster", action="store_true",
                        help="do not time event clustering after the ingest")


def select_files(data: Path, limit: int | None) -> list[str]:
    """Every k-th file in sorted order, so a short run still sees every topic and period."""
    files = sorted(data.glob("*/InputDocs/*/*.txt"))
    if limit is not None and limit > 0:
        files = files[:: max(1, len(files) // limit)][:limit]
    return [str(path) for path in files]


def run(data: Path, args: argparse.Namespace) -> dict:
    files = select_files(data, getattr(args, "limit", DEFAULT_LIMIT))
    config = pipeline_config(args)
    if getattr(args, "ner", None):  # the recognizer of this run
        config = dataclasses.replace(config, ner=ComponentConfig(args.ner))
    parallel = False if getattr(args, "serial", False) else None
    cluster = not getattr(args, "no_cluster", False)
    with (
        tempfile.TemporaryDirectory(prefix="storyline-bench-") as folder,
        Store(Path(folder) / "bench.db") as store,
    ):
        return _measure(files, store, parallel, config, cluster)


def _measure(files: list[str], store: Store, parallel: bool | None, config: PipelineConfig,
             cluster: bool) -> dict:
    # Models load once per run (and before the fork, so workers share them): timed apart.
    started = time.perf_counter()
    enrich.warm_up(config.recognizer())
    warm_up = time.perf_counter() - started
    before = dict(STAGE_SECONDS)
    cpu_before = _cpu_seconds()
    started = time.perf_counter()
    report = pipeline.ingest(files, store, cluster=False, parallel=parallel,
                             embed=cluster, config=config)
    seconds = time.perf_counter() - started
    # The workers have exited by now, so their CPU time is in RUSAGE_CHILDREN.
    cpu_seconds = _cpu_seconds() - cpu_before
    stages = {stage: round(total - before.get(stage, 0.0), 3)
              for stage, total in sorted(STAGE_SECONDS.items())}
    stages["warm_up"] = round(warm_up, 3)
    stored = store.count_articles()
    result = {
        "files": len(files),
        "articles": stored,
        "failed": len(report.failed),
        "seconds": round(seconds, 3),
        "articles_per_second": round(stored / seconds, 1) if seconds else 0.0,
        # On a shared machine wall time depends on the neighbours; CPU time does not.
        "cpu_seconds": round(cpu_seconds, 3),
        "articles_per_cpu_second": round(stored / cpu_seconds, 1) if cpu_seconds else 0.0,
        "ner_backend": config.ner.name,
        "workers": 1 if parallel is False else pipeline.PARALLEL_WORKERS,
        "stages": stages,
    }
    if cluster:
        seconds_or_error = _time_clustering(store, config)
        if isinstance(seconds_or_error, float):
            stages["cluster"] = round(seconds_or_error, 3)
        else:
            result["cluster_error"] = seconds_or_error
    return result


def _cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _time_clustering(store: Store, config: PipelineConfig) -> float | str:
    """Seconds for `update_events` over the stored articles, or why it could not run."""
    started = time.perf_counter()
    try:
        pipeline.update_events(store, config=config)
    except Exception as error:  # noqa: BLE001 - another stage's failure is reported, not raised
        return f"{type(error).__name__}: {error}"
    return time.perf_counter() - started


def format_text(result: dict) -> str:
    lines = [
        f"files                {result['files']} ({result['failed']} failed)",
        f"articles stored      {result['articles']}",
        f"ner backend          {result['ner_backend']} on {result['workers']} worker(s)",
        f"seconds (wall)       {result['seconds']}",
        f"articles per second  {result['articles_per_second']}",
        (f"CPU seconds          {result['cpu_seconds']} "
         f"({result['articles_per_cpu_second']} articles per CPU second)"),
        "stage CPU seconds    " + ", ".join(f"{stage} {value}"
                                            for stage, value in result["stages"].items()),
    ]
    if "cluster" in result["stages"]:
        lines.append("(cluster is timed after the ingest and is not in the rate above)")
    if "cluster_error" in result:
        lines.append(f"cluster              not timed: {result['cluster_error']}")
    return "\n".join(lines)
