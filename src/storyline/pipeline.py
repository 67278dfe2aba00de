"""The pipeline: ingest → clean → enrich → store → (embed, dedup, cluster, link).

One function per run shape; the CLI, REST API and Spark jobs all call these, never the stages
directly, so the order of stages lives in exactly one place.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from storyline.clean import build_article
from storyline.enrich import enrich_articles
from storyline.ingest import iter_sources, read_path
from storyline.ingest.decode import one_line
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


def clean_path(source: str) -> tuple[list[Article], list[ReadFailure]]:
    """Read and clean one file, folder or '-' (stdin) without enriching or storing it."""
    failures: list[ReadFailure] = []
    documents: list[RawDocument] = []
    for item in read_path(source):
        if isinstance(item, ReadFailure):
            failures.append(item)
        else:
            documents.append(item)
    articles = _clean_each(documents, lambda src, why: failures.append(ReadFailure(src, why)))
    return articles, failures


def _clean_each(
    documents: Iterable[RawDocument], fail: Callable[[str, str], None]
) -> list[Article]:
    """Clean documents one by one; a document that breaks the cleaner or has no text left fails."""
    articles: list[Article] = []
    for doc in documents:
        try:
            article = build_article(doc)
        except Exception as error:  # noqa: BLE001 - reported per document, run goes on
            fail(doc.source, one_line(f"cleaning failed: {type(error).__name__}: {error}"))
            continue
        if article.text.strip():
            articles.append(article)
        else:
            fail(doc.source, "no article text left after cleaning")
    return articles


def _enrich_each(articles: list[Article], fail: Callable[[str, str], None]) -> list[Article]:
    """Enrich as one batch; if the batch breaks, retry one by one so one bad article costs one."""
    if not articles:
        return []
    try:
        return enrich_articles(articles)
    except Exception:  # noqa: BLE001 - narrowed down below
        enriched: list[Article] = []
        for article in articles:
            try:
                enriched.extend(enrich_articles([article]))
            except Exception as error:  # noqa: BLE001 - reported per article, run goes on
                reason = f"enrichment failed: {type(error).__name__}: {error}"
                fail(article.source, one_line(reason))
        return enriched


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

    def fail(source: str, reason: str) -> None:
        report.failed.append(ReadFailure(source, reason))
        store.log_failure(source, reason)

    def keep(article: Article) -> None:
        try:
            added = store.add_article(article)
        except sqlite3.OperationalError:  # locked or full database: no later file would fare better
            raise
        except Exception as error:  # noqa: BLE001 - e.g. text SQLite refuses; this article only
            fail(article.source, one_line(f"store rejected the article: {error}"))
            return
        (report.new if added else report.duplicate).append(article.id)

    def flush() -> None:
        documents = [doc for _, docs in batch for doc in docs]
        fresh: list[Article] = []
        for article in _clean_each(documents, fail):
            # Already stored (a re-run, or a resumed killed run): skip the costly enrichment.
            if store.has_article(article.id):
                keep(article)
            else:
                fresh.append(article)
        for article in _enrich_each(fresh, fail):
            keep(article)
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
