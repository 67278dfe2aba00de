"""The pipeline: ingest → clean → enrich → store → (embed, dedup, cluster, link).

One function per run shape; the CLI, REST API and Spark jobs all call these, never the stages
directly, so the order of stages lives in exactly one place.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from storyline.clean import build_article
from storyline.enrich import enrich_articles
from storyline.ingest import iter_sources, read_path
from storyline.model import Article, RawDocument, ReadFailure
from storyline.store import Store

# Files read before one enrichment batch; each article is still committed on its own.
ENRICH_BATCH_FILES = 32


@dataclass
class IngestReport:
    new: list[str] = field(default_factory=list)
    duplicate: list[str] = field(default_factory=list)
    failed: list[ReadFailure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed


def prepare(documents: Iterable[RawDocument]) -> list[Article]:
    """Clean and enrich documents into articles, without storing them."""
    return enrich_articles([build_article(doc) for doc in documents])


def ingest(
    paths: Iterable[str],
    store: Store,
    on_file: Callable[[str], None] | None = None,
    cluster: bool = True,
) -> IngestReport:
    """Read, clean, enrich and store every file under `paths`, then update events.

    Idempotent: an article whose content is already stored is counted as a duplicate. A killed
    run loses at most the current batch, which the next run redoes.
    """
    report = IngestReport()
    batch: list[tuple[str, list[RawDocument]]] = []

    def flush() -> None:
        documents = [doc for _, docs in batch for doc in docs]
        try:
            articles = prepare(documents)
        except Exception:  # one bad document must not sink the batch: retry one by one
            articles = []
            for doc in documents:
                try:
                    articles.extend(prepare([doc]))
                except Exception as error:  # noqa: BLE001 - reported per file, run goes on
                    report.failed.append(ReadFailure(doc.source, f"processing failed: {error}"))
        for article in articles:
            if store.add_article(article):
                report.new.append(article.id)
            else:
                report.duplicate.append(article.id)
        batch.clear()

    for source in iter_sources(paths):
        documents: list[RawDocument] = []
        for item in read_path(source):
            if isinstance(item, ReadFailure):
                report.failed.append(item)
                store.log_failure(item.source, item.reason)
            else:
                documents.append(item)
        batch.append((source, documents))
        if on_file:
            on_file(source)
        if len(batch) >= ENRICH_BATCH_FILES:
            flush()
    flush()
    if cluster:
        update_events(store)
    return report


def update_events(store: Store) -> None:
    """Cluster every stored article not yet in an event, then refresh storylines."""
    from storyline.events import update_events as cluster_new_articles

    cluster_new_articles(store)
