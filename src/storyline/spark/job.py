"""The Spark ingest job: executors read, clean, enrich and encode; the driver stores.

Executors receive file paths (local paths, read with `read_path`, the CLI's reader) or
`binaryFiles` content (URIs such as hdfs:// or s3a://, read with `read_bytes`) and send back plain
records: `{"article": Article.to_dict(), "vector": its encoder vector}` or
`{"failed": {"source", "reason"}}`. Models load once per Python worker (Spark reuses workers), and
each worker cleans, enriches and encodes `SparkConfig.batch_files` files at a time, so its
memory is bounded whatever the partition size. Events are clustered by `spark.events`.
"""

from __future__ import annotations

import glob
import json
import os
import posixpath
import shutil
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain, islice
from typing import TYPE_CHECKING, Any

from storyline import pipeline
from storyline.clean.templates import apply_templates, ingest_folder, page_fingerprints, source_of
from storyline.config import PipelineConfig
from storyline.embed import embed_articles, get_encoder
from storyline.enrich import EnrichConfig
from storyline.ingest import STDIN, iter_sources, read_bytes, read_path
from storyline.ingest.config import IngestConfig
from storyline.model import Article, RawDocument, ReadFailure
from storyline.pipeline import IngestReport
from storyline.spark.config import SparkConfig
from storyline.store import Store

if TYPE_CHECKING:
    from pyspark import RDD
    from pyspark.sql import SparkSession

_Record = dict[str, Any]
# Source -> its learned template lines (fingerprint -> pages), as `Store.templates` gives them.
Templates = dict[str, dict[int, int]]
_ARTICLES_FOLDER = "articles"
_FAILURES_FOLDER = "failures"


@dataclass(frozen=True)
class _Work:
    """What executors need besides the files: their batch size and the pipeline's components."""

    batch_files: int
    pipeline: PipelineConfig


class SparkUnavailable(Exception):
    """pyspark is not installed or no Java runtime is found; the message says which."""


def start_session(master: str | None = None, app_name: str = "storyline",
                  config: SparkConfig | None = None) -> SparkSession:
    """A SparkSession whose Python workers run this interpreter (so they import storyline);
    `master` overrides the configuration's."""
    config = config or SparkConfig()
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise SparkUnavailable(
            "pyspark is not installed (pip install 'storyline[spark]')"
        ) from None
    if _java() is None:
        raise SparkUnavailable("no Java runtime found (java on PATH or $JAVA_HOME); Spark needs 17+")
    # Local-mode workers take their interpreter from the environment, not from the config.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    session = (
        SparkSession.builder.master(master or config.master)
        .appName(app_name)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.memory", config.driver_memory)
        .config("spark.pyspark.python", sys.executable)
        .config("spark.pyspark.driver.python", sys.executable)
        # binaryFiles reads folders recursively, as iter_sources does for local folders.
        .config("spark.hadoop.mapreduce.input.fileinputformat.input.dir.recursive", "true")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    return session


def _java() -> str | None:
    home = os.environ.get("JAVA_HOME")
    if home and os.access(os.path.join(home, "bin", "java"), os.X_OK):
        return os.path.join(home, "bin", "java")
    return shutil.which("java")


def prepared_records(
    spark: SparkSession, paths: Iterable[str], partitions: int | None = None,
    templates: Templates | None = None, config: SparkConfig | None = None,
    pipeline_config: PipelineConfig | None = None,
) -> RDD:
    """An RDD of article and failure records for every file under `paths` (not yet computed).

    Local paths are listed on the driver (sorted, hidden files skipped, as `storyline ingest`)
    and made absolute, so executors find them wherever their working folder is; paths with a
    scheme (`hdfs://…`, `s3a://…`, `file://…`) are read by Spark's `binaryFiles`.
    """
    config = config or SparkConfig()
    # Pickled to the executors with each task: the cleaner, recognizer and encoder they run.
    work = _Work(config.batch_files, pipeline_config or PipelineConfig())
    context = spark.sparkContext
    known = context.broadcast(templates or {})
    paths = list(paths)
    if STDIN in paths:
        raise ValueError("Spark cannot read stdin ('-'); give files or folders")
    uris = [path for path in paths if "://" in path]
    local = [os.path.abspath(path) for path in paths if "://" not in path]
    sources = [(source, ingest_folder(source, root))
               for root in local for source in iter_sources([root])]
    slots = partitions or context.defaultParallelism * config.partitions_per_core
    parts: list[RDD] = []
    if sources:
        count = max(1, min(slots, len(sources)))
        parts.append(context.parallelize(sources, count).mapPartitions(
            lambda part: prepare_sources(part, known.value, work)))
    if uris:
        blobs = context.binaryFiles(",".join(uris), minPartitions=slots)
        parts.append(blobs.mapPartitions(
            lambda part: prepare_blobs(part, known.value, work)))
    if not parts:
        return context.emptyRDD()
    return parts[0] if len(parts) == 1 else context.union(parts)


def prepare_sources(sources: Iterable[tuple[str, str]], templates: Templates, work: _Work
                    ) -> Iterator[_Record]:
    """Executor side: read, clean and enrich local files (each a path every executor sees),
    given with the folder they count as ingested from (`templates.ingest_folder`)."""
    reading = work.pipeline.section(IngestConfig)
    return _prepare(((read_path(source, config=reading), folder) for source, folder in sources),
                    templates, work)


def prepare_blobs(blobs: Iterable[tuple[str, bytes]], templates: Templates, work: _Work
                  ) -> Iterator[_Record]:
    """Executor side: read, clean and enrich `binaryFiles` (uri, content) pairs; a file counts
    as ingested from its own folder."""
    reading = work.pipeline.section(IngestConfig)
    return _prepare(((_read_blob(uri, data, reading), posixpath.dirname(uri))
                     for uri, data in blobs), templates, work)


def _read_blob(uri: str, data: bytes, config: IngestConfig) -> Iterator[RawDocument | ReadFailure]:
    # binaryFiles has already loaded the file; the limit still keeps the rest of ingest bounded.
    if len(data) > config.max_file_bytes:
        limit_mb = config.max_file_bytes / 2**20
        yield ReadFailure(
            uri,
            f"file too large: {len(data) / 2**20:.1f} MB, limit {limit_mb:.0f} MB "
            "([ingest] max_file_bytes)",
        )
        return
    yield from read_bytes(uri, data, name=uri, config=config)


def _prepare(files: Iterable[tuple[Iterable[RawDocument | ReadFailure], str]],
             templates: Templates, work: _Work) -> Iterator[_Record]:
    files = iter(files)
    while batch := list(islice(files, work.batch_files)):
        yield from _prepare_batch(batch, templates, work.pipeline)


def _prepare_batch(files: list[tuple[Iterable[RawDocument | ReadFailure], str]],
                   templates: Templates, config: PipelineConfig) -> list[_Record]:
    """Failures first, then the articles, as `pipeline.ingest` logs and stores them. Known
    templates of each page's source go before enrichment, as in `pipeline.ingest`."""
    failures: list[_Record] = []

    def fail(source: str, reason: str) -> None:
        failures.append({"failed": {"source": source, "reason": reason}})

    documents: list[RawDocument] = []
    page_source: dict[str, str] = {}
    for items, folder in files:
        for item in items:
            if isinstance(item, ReadFailure):
                fail(item.source, item.reason)
            else:
                documents.append(item)
                page_source[item.source] = source_of(item.url, item.outlet, folder)

    def remove_templates(article: Article) -> None:
        source = page_source[article.source]
        apply_templates(article, templates.get(source, {}), source)

    articles = pipeline.prepare_each(documents, fail, remove_templates, config.recognizer(),
                                     config.article_cleaner(), config.section(EnrichConfig),
                                     config.section(IngestConfig).min_article_letters)
    # Encoded here, as `storyline ingest` encodes on its workers: the driver only stores them.
    vectors = embed_articles(None, articles, get_encoder(config.encoder.name))
    return failures + [
        {"article": article.to_dict(), "vector": vectors[article.id],
         "page_source": page_source[article.source]}
        for article in articles]


def ingest(
    paths: Iterable[str],
    store: Store,
    spark: SparkSession,
    partitions: int | None = None,
    cluster: bool = True,
    events_on_spark: bool = True,
    config: SparkConfig | None = None,
    pipeline_config: PipelineConfig | None = None,
) -> IngestReport:
    """Read, clean, enrich and encode every file under `paths` on Spark, then store them as
    `pipeline.ingest` does (each article whole or not at all, idempotent) and update events.

    Every partition is computed in parallel and kept on the executors (memory, spilling to disk);
    the driver then pulls one partition at a time, so it never holds more than one.
    `events_on_spark`: rebuild every event with the clustering on Spark
    (`spark.events.recluster_on_spark`), else update them online on the driver (cheaper when a
    few files join a big store).
    """
    from pyspark import StorageLevel

    known = {source: lines for source in store.page_source_names()
             if (lines := store.templates(source))}
    pipeline_config = pipeline_config or PipelineConfig()
    records = prepared_records(spark, paths, partitions, known, config, pipeline_config).persist(
        StorageLevel.MEMORY_AND_DISK)
    try:
        records.count()  # computes every partition at once; toLocalIterator alone runs one by one
        report = _store_records(records.toLocalIterator(), store, pipeline_config.encoder.name)
    finally:
        records.unpersist()
    if cluster and events_on_spark:
        from storyline.spark.events import recluster_on_spark

        recluster_on_spark(store, spark, partitions, config, pipeline_config)
    elif cluster:
        pipeline.update_events(store, config=pipeline_config)
    return report


def _store_records(records: Iterable[_Record], store: Store, encoder: str) -> IngestReport:
    report = IngestReport()
    for record in records:
        if "failed" in record:
            report.record_failure(store, record["failed"]["source"], record["failed"]["reason"])
        else:
            article = Article.from_dict(record["article"])
            # One commit per article with its vector and page lines (`pipeline.ingest` commits
            # groups of them).
            with store.transaction():
                if report.store_article(store, article) and "vector" in record:
                    store.put_vectors(encoder, {article.id: record["vector"]})
                    store.put_page_lines(article.id, record["page_source"],
                                         page_fingerprints(article))
    return report


def write_articles(
    paths: Iterable[str], output: str, spark: SparkSession, partitions: int | None = None,
    config: SparkConfig | None = None, pipeline_config: PipelineConfig | None = None,
) -> None:
    """For runs too big for one driver: write records as JSON Lines part files under `output`
    (`articles/` and `failures/`, any Hadoop path), for `load_articles` to store later."""
    records = prepared_records(spark, paths, partitions, config=config,
                               pipeline_config=pipeline_config)
    _write_lines(records, "article", f"{output}/{_ARTICLES_FOLDER}")
    _write_lines(records, "failed", f"{output}/{_FAILURES_FOLDER}")


def _write_lines(records: RDD, key: str, folder: str) -> None:
    records.filter(lambda record: key in record).map(
        lambda record: json.dumps(record[key], ensure_ascii=False)
    ).saveAsTextFile(folder)


def load_articles(output: str, store: Store, cluster: bool = True,
                  pipeline_config: PipelineConfig | None = None) -> IngestReport:
    """Store what `write_articles` wrote into a local folder, as `ingest` would have (with
    the configuration `write_articles` was given)."""
    pipeline_config = pipeline_config or PipelineConfig()

    def lines(kind: str, folder: str) -> Iterator[_Record]:
        for part in sorted(glob.glob(os.path.join(output, folder, "part-*"))):
            with open(part, encoding="utf-8") as handle:
                yield from ({kind: json.loads(line)} for line in handle if line.strip())

    report = _store_records(
        chain(lines("failed", _FAILURES_FOLDER), lines("article", _ARTICLES_FOLDER)), store,
        pipeline_config.encoder.name,
    )
    if cluster:
        pipeline.update_events(store, config=pipeline_config)
    return report
