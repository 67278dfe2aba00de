"""The pipeline: ingest → clean → enrich → store → (embed, dedup, cluster, link).

One function per run shape; the CLI, REST API and Spark jobs all call these, never the stages
directly, so the order of stages lives in exactly one place.
"""

from __future__ import annotations

import ctypes
import gc
import itertools
import math
import multiprocessing
import os
import signal
import sqlite3
import sys
import threading
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from time import perf_counter, process_time, sleep
from typing import TYPE_CHECKING, Self, TypeVar

from storyline import enrich, forked, testhooks
from storyline.clean import build_article
from storyline.clean.interfaces import Cleaner
from storyline.clean.reprints import cut_unprinted_comments, holds_thread
from storyline.clean.templates import (
    TemplateRule,
    apply_templates,
    count_stories,
    fingerprint,
    ingest_folder,
    line_text,
    page_fingerprints,
    source_of,
)
from storyline.config import PipelineConfig
from storyline.enrich import EnrichConfig, enrich_articles, forget_inferred_date
from storyline.enrich.interfaces import EntityRecognizer
from storyline.ingest import iter_sources, read_path
from storyline.ingest.config import IngestConfig
from storyline.ingest.decode import one_line
from storyline.model import Article, Event, RawDocument, ReadFailure
from storyline.store import Store
from storyline.timing import STAGE_SECONDS

if TYPE_CHECKING:
    import numpy as np

    from storyline.events import Fit
    from storyline.summarize.event_briefs import EventBriefs
    from storyline.summarize.vectors import ClaimEncoding

# Files read before one enrichment batch; each article is still committed on its own.
ENRICH_BATCH_FILES = 32
# Cleaning and enrichment run on this many forked worker processes (one per core) when a batch
# holds at least PARALLEL_MIN_DOCUMENTS documents; smaller batches (a few files from the CLI,
# tests) stay in-process, where starting workers would cost more than it saves.
PARALLEL_WORKERS = min(2, os.cpu_count() or 1)
PARALLEL_MIN_DOCUMENTS = 64
# Files per batch when workers may be used: big enough to keep both busy between the barriers.
PARALLEL_BATCH_FILES = 256
# Documents per task sent to a worker: small enough to balance, big enough for spaCy's `pipe`.
PARALLEL_CHUNK_MAX = 32
# Articles stored in one transaction, with their vectors and page lines: a commit writes out
# every page it dirtied (the full-text index's, the entity counts' and their indexes'), so one
# commit a group writes the pages the group's articles share once, not once an article; and a
# group holds the write lock for a few milliseconds (the event update's child and other
# ingests wait for it).
STORE_GROUP_ARTICLES = 32
# Stored pages re-cleaned (and enriched again) per batch when a template is learned.
RECLEAN_BATCH = 32
# While an update's child runs beside the ingest (`EventUpdates`), the ingest's writes wait this
# long for the child's saving transaction before "database is locked": it holds the write lock
# for the events, storylines and briefs of a whole batch (seconds in a big store, several times
# that on a loaded machine), longer than the store's busy timeout is meant for.
UPDATE_SAVE_WAIT_SECONDS = 600.0

# A worker whose parent died exits within this many seconds where prctl cannot kill it at once.
WORKER_PARENT_POLL_SECONDS = 1.0
# From <linux/prctl.h>: deliver a signal to this process when its parent dies.
_PR_SET_PDEATHSIG = 1

_Item = TypeVar("_Item")


@dataclass
class _ChunkResult:
    """What a worker sends back for one chunk."""

    articles: list[Article]
    failures: list[tuple[str, str]]  # (source, reason)
    seconds: dict[str, float]  # CPU seconds per stage
    # The event clusterer's vectors of `articles` (article id -> vector), encoded on the worker
    # right after enrichment, so embedding runs on every core instead of after the ingest.
    vectors: dict[str, np.ndarray] = field(default_factory=dict)
    # The claim encoder's vectors of their leading sentences (`summarize.vectors`), for briefs.
    sentence_vectors: dict[str, tuple[list[int], np.ndarray]] = field(default_factory=dict)


@dataclass
class IngestReport:
    new: list[str] = field(default_factory=list)
    duplicate: list[str] = field(default_factory=list)
    failed: list[ReadFailure] = field(default_factory=list)
    # Templates learned during the run, and the earlier pages re-cleaned because of them.
    templates_learned: int = 0
    recleaned: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed

    def record_failure(self, store: Store, source: str, reason: str) -> None:
        self.failed.append(ReadFailure(source, reason))
        store.log_failure(source, reason)

    def store_article(self, store: Store, article: Article) -> bool:
        """Store one article (all of it or, failing, nothing of it), counting it as new,
        duplicate or failed; True if new."""
        try:
            added = store.add_article(article)
        except sqlite3.OperationalError:  # locked or full database: no later file would fare better
            raise
        except Exception as error:  # noqa: BLE001 - e.g. text SQLite refuses; this article only
            self.record_failure(store, article.source,
                                one_line(f"store rejected the article: {error}"))
            return False
        (self.new if added else self.duplicate).append(article.id)
        return added


def prepare(documents: Iterable[RawDocument], config: PipelineConfig | None = None
            ) -> list[Article]:
    """Clean and enrich documents into articles, without storing them, with the
    configuration's cleaner, recognizer and `[enrich]` tunables (default: the defaults)."""
    config = config or PipelineConfig()
    return enrich_articles([config.article_cleaner()(doc) for doc in documents],
                           config.recognizer(), config.section(EnrichConfig))


def prepare_each(
    documents: Iterable[RawDocument], fail: Callable[[str, str], None],
    before_enrich: Callable[[Article], object] | None = None,
    recognizer: EntityRecognizer | None = None,
    cleaner: Cleaner = build_article,
    enrichment: EnrichConfig | None = None,
    min_letters: int = IngestConfig.min_article_letters,
) -> list[Article]:
    """Clean and enrich documents as `ingest` does, without storing them: a document that
    breaks cleaning or enrichment is reported through `fail(source, reason)` and costs only
    itself. `before_enrich(article)` runs on each cleaned article (Spark executors remove the
    templates the store knows there, as `ingest` does). Spark executors call this on their
    share of the files."""
    articles = _clean_each(documents, fail, cleaner, min_letters)
    if before_enrich is not None:
        for article in articles:
            before_enrich(article)
    return _enrich_each(articles, fail, recognizer, enrichment)


def clean_path(source: str, cleaner: Cleaner = build_article, config: IngestConfig | None = None
               ) -> tuple[list[Article], list[ReadFailure]]:
    """Read and clean one file, folder or '-' (stdin) without enriching or storing it."""
    config = config or IngestConfig()
    failures: list[ReadFailure] = []
    documents: list[RawDocument] = []
    for item in read_path(source, config=config):
        if isinstance(item, ReadFailure):
            failures.append(item)
        else:
            documents.append(item)
    articles = _clean_each(documents, lambda src, why: failures.append(ReadFailure(src, why)),
                           cleaner, config.min_article_letters)
    return articles, failures


def _clean_each(
    documents: Iterable[RawDocument], fail: Callable[[str, str], None], cleaner: Cleaner,
    min_letters: int,
) -> list[Article]:
    """Clean documents one by one; a document that breaks the cleaner or has fewer than
    `min_letters` letters or digits left fails."""
    articles: list[Article] = []
    for doc in documents:
        try:
            article = cleaner(doc)
        except Exception as error:  # noqa: BLE001 - reported per document, run goes on
            fail(doc.source, one_line(f"cleaning failed: {type(error).__name__}: {error}"))
            continue
        letters = sum(map(str.isalnum, article.text))  # no generator frame per character
        if letters >= min_letters:
            articles.append(article)
        elif not article.text.strip():
            fail(doc.source, "no article text left after cleaning")
        else:
            fail(doc.source, f"article text too short after cleaning: {letters} letters or digits,"
                 f" fewer than [ingest] min_article_letters ({min_letters})")
    return articles


def _enrich_each(articles: list[Article], fail: Callable[[str, str], None],
                 recognizer: EntityRecognizer | None = None,
                 enrichment: EnrichConfig | None = None) -> list[Article]:
    """Enrich as one batch; if the batch breaks, retry one by one so one bad article costs one."""
    if not articles:
        return []
    try:
        return enrich_articles(articles, recognizer, enrichment)
    except Exception:  # noqa: BLE001 - narrowed down below
        enriched: list[Article] = []
        for article in articles:
            try:
                enriched.extend(enrich_articles([article], recognizer, enrichment))
            except Exception as error:  # noqa: BLE001 - reported per article, run goes on
                reason = f"enrichment failed: {type(error).__name__}: {error}"
                fail(article.source, one_line(reason))
        return enriched


def _clean_chunk(documents: list[RawDocument], cleaner: Cleaner, min_letters: int
                 ) -> _ChunkResult:
    failures: list[tuple[str, str]] = []
    started = process_time()
    articles = _clean_each(documents, lambda source, why: failures.append((source, why)), cleaner,
                           min_letters)
    return _ChunkResult(articles, failures, {"clean": process_time() - started})


def _enrich_chunk(articles: list[Article], embed: bool, recognizer: EntityRecognizer,
                  enrichment: EnrichConfig, encoder: str, claims: ClaimEncoding) -> _ChunkResult:
    from storyline.embed import embed_articles, get_encoder

    failures: list[tuple[str, str]] = []
    steps_before = dict(enrich.STEP_SECONDS)
    started = process_time()
    enriched = _enrich_each(articles, lambda source, why: failures.append((source, why)),
                            recognizer, enrichment)
    seconds = {"enrich": process_time() - started}
    for step, total in enrich.STEP_SECONDS.items():
        seconds[f"enrich.{step}"] = total - steps_before.get(step, 0.0)
    if not embed:
        return _ChunkResult(enriched, failures, seconds)
    started = process_time()
    vectors = embed_articles(None, enriched, get_encoder(encoder))
    seconds["embed"] = process_time() - started
    started = process_time()
    sentence_vectors = claims.encode(enriched)
    seconds["sentences"] = process_time() - started
    return _ChunkResult(enriched, failures, seconds, vectors, sentence_vectors)


class _Workers:
    """Runs chunk functions in this process, or on a pool of forked workers (started on first
    use, with the models loaded before the fork so every worker shares them)."""

    def __init__(self, parallel: bool | None, recognizer: EntityRecognizer, encoder: str
                 ) -> None:
        # The models loaded before the fork.
        self.recognizer = recognizer
        self.encoder = encoder
        can_fork = "fork" in multiprocessing.get_all_start_methods()
        self.count = PARALLEL_WORKERS if parallel is not False and can_fork else 1
        self.forced = parallel is True and can_fork
        self.batch_files = PARALLEL_BATCH_FILES if self.count > 1 else ENRICH_BATCH_FILES
        self._pool: ProcessPoolExecutor | None = None

    def chunks(self, items: list[_Item]) -> tuple[list[list[_Item]], bool]:
        """`items` cut into the chunks one task gets, and whether the tasks go to the workers
        (batches below PARALLEL_MIN_DOCUMENTS stay in process, unless workers are forced)."""
        if self.count < 2 or (not self.forced and len(items) < PARALLEL_MIN_DOCUMENTS):
            return [items], False
        size = max(1, min(PARALLEL_CHUNK_MAX, math.ceil(len(items) / (4 * self.count))))
        return [items[first : first + size] for first in range(0, len(items), size)], True

    def start(
        self, function: Callable[[list[_Item]], _ChunkResult], items: list[_Item], pooled: bool
    ) -> Future[_ChunkResult]:
        if pooled:
            return self._start().submit(function, items)
        done: Future[_ChunkResult] = Future()
        done.set_result(function(items))
        return done

    def _start(self) -> ProcessPoolExecutor:
        if self._pool is None:
            enrich.warm_up(self.recognizer)
            from storyline.embed import get_encoder

            get_encoder(self.encoder).encode(["warm up"])  # loads the weights
            # Keep the collector off the loaded models, so the forked workers' pages stay shared.
            gc.freeze()
            self._pool = ProcessPoolExecutor(
                self.count, multiprocessing.get_context("fork"),
                initializer=_follow_parent, initargs=(os.getpid(),),
            )
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None
            # Frozen objects are never collected: left frozen, whatever cyclic garbage existed
            # at the fork (the last event update's clusterer, whose rows and vectors refer to
            # each other) stayed in memory for good, and a process ingesting again and again
            # (`bench scale`, `storyline watch`) grew by each update's working set (1.4 GB at
            # 3,500 articles in 500-article ingests).
            gc.unfreeze()


def _follow_parent(parent_pid: int) -> None:
    """Worker initializer: end this worker when its parent ends, however it ends.

    A parent killed by a signal runs no cleanup, and its workers wait on their task queue
    forever (each holds its own end of the pipe), hundreds of MB each. Linux kills them the
    moment the parent dies (PR_SET_PDEATHSIG); elsewhere, and should prctl fail, a watchdog
    thread notices the worker was re-parented within WORKER_PARENT_POLL_SECONDS.
    """
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    threading.Thread(target=_exit_when_orphaned, args=(parent_pid,), daemon=True).start()


def _exit_when_orphaned(parent_pid: int) -> None:
    # Checked once before the first wait: the parent may have died before prctl took effect.
    while os.getppid() == parent_pid:
        sleep(WORKER_PARENT_POLL_SECONDS)
    os._exit(1)


def _add_seconds(seconds: dict[str, float]) -> None:
    for stage, value in seconds.items():
        STAGE_SECONDS[stage] += value


class _TemplateLearner:
    """Corpus-level template learning over the pages of a store (`storyline.clean.templates`).

    Known templates are removed from fresh pages before enrichment; each stored page's line
    fingerprints are recorded; after each batch the lines those pages carry are checked against
    the rule, so the work grows with the new pages, never with the store. `learned` remembers
    what this run learned, whose earlier pages `reclean_pages` then cleans again; `threaded`
    the pages recorded with a comment thread, whose first comment the lines of the source's
    other pages may show (`storyline.clean.reprints`) once the run's pages are all recorded."""

    def __init__(self, store: Store, rule: TemplateRule) -> None:
        self.store = store
        self.rule = rule
        self.learned: dict[str, set[int]] = defaultdict(set)
        self.threaded: dict[str, list[str]] = defaultdict(list)
        self._known: dict[str, dict[int, int]] = {}
        self._pending: dict[str, set[int]] = defaultdict(set)

    def known(self, source: str) -> dict[int, int]:
        if source not in self._known:
            self._known[source] = self.store.templates(source)
        return self._known[source]

    def apply(self, article: Article, source: str) -> None:
        apply_templates(article, self.known(source), source)

    def record(self, article: Article, source: str) -> None:
        """Record a page just stored (its lines then count toward templates)."""
        lines = page_fingerprints(article)
        self.store.put_page_lines(article.id, source, lines)
        self._pending[source].update(lines)
        if holds_thread(article):
            self.threaded[source].append(article.id)

    def reclean(self, article: Article, source: str) -> bool:
        """Remove the source's templates from a stored page, then the first comment of its
        thread that the source's other pages show; True if any line went."""
        changed = apply_templates(article, self.known(source), source)
        if not holds_thread(article):
            return changed
        printed = self.store.line_page_counts(
            source, (key for p in article.paragraphs if (key := fingerprint(p)) is not None))
        return cut_unprinted_comments(article, printed, source) or changed

    def learn(self, sources: Iterable[str] | None = None) -> int:
        """Decide the lines recorded since the last call (or, given `sources`, every line of
        those sources); returns how many templates were learned."""
        if sources is None:
            counts = {s: self.store.line_page_counts(s, lines) for s, lines in self._pending.items()}
        else:
            counts = {s: self.store.frequent_lines(s, self.rule.min_pages) for s in sources}
        self._pending.clear()
        learned = 0
        for source, pages_of in counts.items():
            known = self.known(source)
            found: dict[int, tuple[int, str]] = {}
            for line, pages in sorted(pages_of.items()):
                if pages < self.rule.min_pages:
                    continue
                if line in known:
                    if pages != known[line]:
                        found[line] = (pages, "")  # a known template: only its count moves
                    continue
                carriers = self.store.line_pages(source, line)
                kept = self.store.kept_lines(carriers)
                if count_stories(line, carriers, kept, self.rule, set(known)) >= self.rule.min_pages:
                    example = self.store.get_article(carriers[-1])
                    found[line] = (pages, line_text(example, line) if example else "")
                    self.learned[source].add(line)
                    learned += 1
            if found:
                self.store.put_templates(source, found)
                known.update({line: pages for line, (pages, _) in found.items()})
        return learned

    def pages_to_reclean(self) -> dict[str, list[str]]:
        """Per source, the stored pages this run's learning concerns, each once: those keeping
        a template it learned, then its pages holding a thread (whose first comment the run's
        other pages may print)."""
        return {source: list(dict.fromkeys([
                    *self.store.pages_keeping(source, self.learned.get(source, ())),
                    *self.threaded.get(source, ())]))
                for source in dict.fromkeys([*self.threaded, *self.learned])}


@dataclass
class RecleanReport:
    """What `reclean` did: pages recorded (stored before schema 4), templates learned, pages
    re-cleaned, lines they lost."""

    pages_recorded: int = 0
    templates_learned: int = 0
    recleaned: list[str] = field(default_factory=list)
    lines_removed: int = 0
    failed: list[ReadFailure] = field(default_factory=list)


def _reclean_pages(
    store: Store,
    learner: _TemplateLearner,
    pages: dict[str, list[str]],
    report: RecleanReport,
    on_page: Callable[[int], None] | None = None,
    embed: bool = True,
    config: PipelineConfig | None = None,
) -> None:
    """Clean the stored `pages` of each source again (`_TemplateLearner.reclean`), enrich the
    changed pages again and encode them afresh (`embed`, else their vectors are dropped).
    Events are updated by the caller."""
    from storyline.embed import embed_articles, get_encoder
    from storyline.summarize.vectors import ClaimEncoding

    config = config or PipelineConfig()
    recognizer = config.recognizer()
    enrichment = config.section(EnrichConfig)
    claims = config.section(ClaimEncoding)
    for source, page_ids in pages.items():
        for first in range(0, len(page_ids), RECLEAN_BATCH):
            chunk = page_ids[first : first + RECLEAN_BATCH]
            changed = []
            for article in store.get_articles(chunk):
                before = len(article.removed)
                if learner.reclean(article, source):
                    report.lines_removed += len(article.removed) - before
                    changed.append(forget_inferred_date(article))
            enriched = _enrich_each(
                changed, lambda src, why: report.failed.append(ReadFailure(src, why)), recognizer,
                enrichment,
            )
            vectors = (embed_articles(None, enriched, get_encoder(config.encoder.name))
                       if embed else {})
            sentence_vectors = claims.encode(enriched) if embed else {}
            with store.transaction():
                for article in enriched:
                    store.update_article(article)
                    store.put_page_lines(article.id, source, page_fingerprints(article))
                # Without encoding, the old vectors go: events re-encode the new text later.
                store.delete_vectors(article.id for article in enriched)
                store.put_vectors(config.encoder.name, vectors)
                claims.store(store, sentence_vectors)
            report.recleaned.extend(article.id for article in enriched)
            if on_page:
                on_page(len(chunk))


def reclean(
    store: Store,
    source: str | None = None,
    on_page: Callable[[int], None] | None = None,
    on_total: Callable[[int], None] | None = None,
    cluster: bool = True,
    rule: TemplateRule | None = None,
    embed: bool = True,
    config: PipelineConfig | None = None,
) -> RecleanReport:
    """Learn templates from every recorded page of `source` (default: all sources), remove them
    from the stored pages that still keep them, and the first comment of a thread that the
    source's other pages show (`storyline.clean.reprints`) from the pages keeping a line
    another page prints, then update those pages' events. Idempotent.

    Pages stored before their lines were recorded (stores older than schema 4) are recorded
    first, with their URL's site or else their file's folder as source (the folder given to
    that ingest is not known any more)."""
    learner = _TemplateLearner(store, rule or TemplateRule())
    report = RecleanReport()
    unrecorded = store.unrecorded_page_ids()
    for first in range(0, len(unrecorded), RECLEAN_BATCH):
        for article in store.get_articles(unrecorded[first : first + RECLEAN_BATCH]):
            folder = os.path.dirname(os.path.abspath(article.source))
            learner.record(article, source_of(article.url, None, folder))
            report.pages_recorded += 1
    sources = [source] if source else store.page_source_names()
    report.templates_learned = learner.learn(sources)
    # Every template is on two pages or more: these pages keep the templates too.
    pages = {s: store.pages_keeping(s, store.frequent_lines(s, 2)) for s in sources}
    if on_total:
        on_total(sum(map(len, pages.values())))
    _reclean_pages(store, learner, pages, report, on_page, embed, config)
    if cluster and report.recleaned:
        update_events(store, refreshed=report.recleaned, config=config)
    return report


def ingest(
    paths: Iterable[str],
    store: Store,
    on_file: Callable[[str], None] | None = None,
    cluster: bool = True,
    parallel: bool | None = None,
    allowed_roots: Sequence[str] | None = None,
    rule: TemplateRule | None = None,
    embed: bool = True,
    config: PipelineConfig | None = None,
    max_records: int | None = None,
    updates: EventUpdates | None = None,
) -> IngestReport:
    """Read, clean, enrich and store every file under `paths`, then update events.

    Idempotent: an article whose content is already stored is counted as a duplicate. A killed
    run loses at most the current batch, which the next run redoes. `parallel`: None cleans
    and enriches big batches on one worker per core, True always uses the workers, False never.
    `allowed_roots` (resolved folders): read nothing whose real path is outside them.
    `embed`: encode the articles for the event clusterer on the workers, right after
    enrichment, and store their vectors (else the event update encodes what it needs).
    Articles are stored in input order, from this process only, in groups of at most
    STORE_GROUP_ARTICLES, one commit each: a group's articles with their entities, page lines
    and vectors are stored all together or not at all.

    `max_records`: records read from one file (default: `[ingest] max_records_per_file`).
    `config`: the components of the configurable stages and their tunables (default: those of
    `settings.py`; see `storyline.config`).

    Template learning (`storyline.clean.templates`): known templates of a page's source are
    removed before enrichment; templates learned during the run are then removed from the pages
    stored before (in this run or earlier ones), and their events updated.

    `updates`: the event update is started there and runs beside what the caller does next
    (the next ingest: `EventUpdates`), instead of being waited for here; re-cleaning stored
    pages waits for the update running there first.
    """
    reading = (config or PipelineConfig()).section(IngestConfig)
    reads = ((source, ingest_folder(source, root),
              read_path(source, allowed_roots, max_records, reading))
             for root in paths for source in iter_sources([root], allowed_roots))
    return ingest_reads(reads, store, on_file, cluster, parallel, rule, embed, config, updates)


# One input as `ingest_reads` takes it: (its name, the folder it counts as ingested from for
# template learning, what its reader yields).
Read = tuple[str, str, Iterable[RawDocument | ReadFailure]]


def ingest_reads(  # noqa: C901 - the ingest loop with its progress, failure and template steps
    reads: Iterable[Read],
    store: Store,
    on_file: Callable[[str], None] | None = None,
    cluster: bool = True,
    parallel: bool | None = None,
    rule: TemplateRule | None = None,
    embed: bool = True,
    config: PipelineConfig | None = None,
    updates: EventUpdates | None = None,
) -> IngestReport:
    """`ingest` over inputs already opened: files, or pages `storyline watch` fetched."""
    from storyline.summarize.vectors import ClaimEncoding

    config = config or PipelineConfig()
    # The cleaner and the recognizer go to the workers with each chunk (frozen dataclasses
    # pickle small).
    clean_chunk = partial(_clean_chunk, cleaner=config.article_cleaner(),
                          min_letters=config.section(IngestConfig).min_article_letters)
    recognizer = config.recognizer()
    encoder = config.encoder.name
    claims = config.section(ClaimEncoding)
    enrich_chunk = partial(_enrich_chunk, embed=embed, recognizer=recognizer,
                           enrichment=config.section(EnrichConfig), encoder=encoder,
                           claims=claims)
    report = IngestReport()
    batch: list[tuple[str, list[RawDocument]]] = []
    sources: dict[str, str] = {}  # document → template source, decided when it is read
    workers = _Workers(parallel, recognizer, encoder)
    learner = _TemplateLearner(store, rule or TemplateRule())

    def fail(source: str, reason: str) -> None:
        report.record_failure(store, source, reason)

    def keep(articles: list[Article], vectors: dict[str, np.ndarray],
             sentence_vectors: dict[str, tuple[list[int], np.ndarray]]) -> None:
        """Store articles, at most STORE_GROUP_ARTICLES in each transaction with their page
        lines and vectors: a kill leaves a group stored whole or not at all (its articles
        then go through again on the rerun), and an article the store refuses leaves
        nothing of itself (its write is a savepoint) while the rest of its group is stored."""
        for first in range(0, len(articles), STORE_GROUP_ARTICLES):
            started = process_time()
            with store.transaction():
                stored_before = len(report.new)
                for article in articles[first : first + STORE_GROUP_ARTICLES]:
                    if report.store_article(store, article):
                        learner.record(article, sources[article.source])
                testhooks.reached("ingest.vectors")
                new = report.new[stored_before:]
                if found := {i: vectors[i] for i in new if i in vectors}:
                    store.put_vectors(encoder, found)
                claims.store(store, {i: sentence_vectors[i] for i in new
                                     if i in sentence_vectors})
            testhooks.reached("ingest.stored")
            STAGE_SECONDS["store"] += process_time() - started

    def store_enriched(chunk: _ChunkResult) -> None:
        _add_seconds(chunk.seconds)
        for source, reason in chunk.failures:
            fail(source, reason)
        keep(chunk.articles, chunk.vectors, chunk.sentence_vectors)

    def flush() -> None:
        """Clean, enrich, embed and store the batch. The stages stream: a chunk is enriched as
        soon as its cleaning is back (and checked against the store, here, so a re-run skips
        the costly enrichment), while later chunks are still being cleaned; so the workers
        never wait at a barrier between stages. Articles are stored in input order."""
        documents = [doc for _, docs in batch for doc in docs]
        batch.clear()
        chunks, pooled = workers.chunks(documents)
        waiting = iter(chunks)
        # A few cleanings queued ahead: enough to keep every worker busy, few enough that an
        # enrichment submitted now is not queued behind the whole batch's cleaning.
        cleaning = deque(workers.start(clean_chunk, chunk, pooled)
                         for chunk in itertools.islice(waiting, 2 * workers.count))
        enriching: deque[Future[_ChunkResult]] = deque()
        while cleaning:
            cleaned = cleaning.popleft().result()
            if (chunk := next(waiting, None)) is not None:
                cleaning.append(workers.start(clean_chunk, chunk, pooled))
            _add_seconds(cleaned.seconds)
            for source, reason in cleaned.failures:
                fail(source, reason)
            fresh: list[Article] = []
            stored: list[Article] = []
            for article in cleaned.articles:
                # Already stored (a re-run, or a resumed killed run): skip the costly enrichment.
                if store.has_article(article.id):
                    stored.append(article)
                else:
                    learner.apply(article, sources[article.source])
                    fresh.append(article)
            keep(stored, {}, {})  # counted as duplicates
            if fresh:
                enriching.append(workers.start(enrich_chunk, fresh, pooled))
            while enriching and enriching[0].done():
                store_enriched(enriching.popleft().result())
        while enriching:
            store_enriched(enriching.popleft().result())
        started = process_time()
        report.templates_learned += learner.learn()
        STAGE_SECONDS["templates"] += process_time() - started

    try:
        for source, folder, items in reads:
            started = process_time()
            documents: list[RawDocument] = []
            for item in items:
                if isinstance(item, ReadFailure):
                    report.failed.append(item)
                    store.log_failure(item.source, item.reason)
                else:
                    sources[item.source] = source_of(item.url, item.outlet, folder)
                    documents.append(item)
            batch.append((source, documents))
            STAGE_SECONDS["read"] += process_time() - started
            if on_file:
                on_file(source)
            if len(batch) >= workers.batch_files:
                flush()
        flush()
    finally:
        workers.close()
    if learner.learned and updates is not None:
        # Re-cleaning rewrites stored articles, which a running update may be rewriting too
        # (the dates it gives them): the one running goes first.
        updates.wait()
    started = process_time()
    recleaning = RecleanReport()
    _reclean_pages(store, learner, learner.pages_to_reclean(), recleaning, embed=embed,
                   config=config)
    report.recleaned = recleaning.recleaned
    report.failed.extend(recleaning.failed)
    STAGE_SECONDS["reclean"] += process_time() - started
    if cluster and updates is not None:
        updates.start(refreshed=report.recleaned)
    elif cluster:
        update_events(store, refreshed=report.recleaned, config=config)
    return report


def update_events(store: Store, refreshed: Iterable[str] = (),
                  config: PipelineConfig | None = None) -> list[Event]:
    """Cluster every stored article not yet in an event (after reading the `refreshed` ones,
    whose text changed, into their events again), then refresh storylines and the briefs of
    the events that changed; returns those events.

    A store in a file is updated by a forked child where this process may fork
    (`storyline.forked`: the update's working set then leaves with the child instead of
    fragmenting this process's heap, which grew by each update)."""
    updates = EventUpdates(store, config)
    updates.start(refreshed)
    return updates.wait()


class EventUpdates:
    """Event updates of one store, each running beside the ingest of the next batch: while a
    forked child clusters batch k, this process cleans, enriches, encodes and stores batch
    k+1 (a pipeline of depth two; the update is most of an article's CPU, and alone it kept
    every other core idle).

    `start` begins an update and returns at once; `wait` waits for it (its changed events, or
    its exception raised). One runs at a time: `start` waits for the one running first.

    What each side writes: the child the events, storylines, briefs, the clusterer's rows and
    the dates it gives articles; this process new articles, a transaction a group of them.
    SQLite's WAL lets them take turns (a writer waits up to the store's busy timeout for the
    other) while readers see committed snapshots. The child clusters only the articles stored
    when `start` was called (`events.update_events(upto=)`), never part of the batch stored
    meanwhile, which waits for the next update. An ingest that rewrites stored articles
    (re-cleaning them for a learned template) waits for the running update first
    (`ingest(updates=)`).

    A failed update's transaction never commits: its articles stay waiting, and the next
    update (this run's next `start`, or the next ingest's) clusters them with the later ones.
    Where this process may not fork (`forked.can_fork`, or a store in memory) `start` runs the
    update here and returns when it is done.

    `zygote`: fork each update from a small process of its own (`forked.Zygote`, started on
    the first update, holding only what an update loads: `_load_update`) rather than from this
    one, whose pages a forked child counts in its resident set: for a long-running ingest
    (`storyline watch`, the scale bench) that holds the ingest's models (the language model,
    spaCy, the gazetteer), none of which an update uses. `close` ends the zygote."""

    def __init__(self, store: Store, config: PipelineConfig | None = None,
                 zygote: bool = False) -> None:
        self.store = store
        self.config = config
        self.zygote = forked.Zygote(partial(_load_update, config)) if zygote else None
        self._running: forked.Child[list[Event]] | None = None
        self._done: list[Event] = []
        # CPU seconds of the updates waited for (the forked child's, or this process's), and
        # the wall seconds this process stood waiting for them (all of an update run here).
        self.cpu_seconds = 0.0
        self.waited_seconds = 0.0

    def start(self, refreshed: Iterable[str] = ()) -> None:
        """Wait for the running update (raising its failure), then start one of every article
        stored by now (and the `refreshed` ones: re-cleaned, clustered again)."""
        self.wait()
        refreshed = list(refreshed)
        if str(self.store.path) != ":memory:" and forked.can_fork():
            # An absolute path: a zygote's child works in the folder the zygote started in.
            self._running = forked.start(partial(
                _update_events_in, Path(self.store.path).absolute(), self.store.busy_timeout,
                refreshed, self.config, self.store.last_article_seq()), kind="events",
                zygote=self.zygote)
            self.store.wait_for_writers(max(self.store.busy_timeout, UPDATE_SAVE_WAIT_SECONDS))
            return
        started, waiting = process_time(), perf_counter()
        try:
            self._done = _update_events(self.store, refreshed, self.config)
        finally:
            self.cpu_seconds += process_time() - started
            self.waited_seconds += perf_counter() - waiting

    def wait(self) -> list[Event]:
        """The events the last update changed, once it is done ([] when none was started)."""
        running, self._running = self._running, None
        if running is not None:
            waiting = perf_counter()
            try:
                self._done = running.result()
            except Exception as error:
                error.add_note("the event update failed: its articles wait for the next one")
                raise
            finally:
                self.store.wait_for_writers(self.store.busy_timeout)
                self.cpu_seconds += running.cpu_seconds
                self.waited_seconds += perf_counter() - waiting
        done, self._done = self._done, []
        return done

    def __enter__(self) -> Self:
        return self

    def close(self) -> None:
        """End the zygote, if any (the next `start` would start another)."""
        if self.zygote is not None:
            self.zygote.close()

    def __exit__(self, exc_type: object, *rest: object) -> None:
        try:
            if exc_type is None:
                self.wait()
            elif self._running is not None:  # the caller failed: stop the update, nothing lost
                self._running.cancel()
                self._running = None
                self.store.wait_for_writers(self.store.busy_timeout)
        finally:
            self.close()


def _update_events_in(path: Path, busy_timeout: float, refreshed: list[str],
                      config: PipelineConfig | None, upto: int | None = None) -> list[Event]:
    with Store(path, busy_timeout=busy_timeout) as store:
        return _update_events(store, refreshed, config, upto)


def _load_update(config: PipelineConfig | None) -> None:
    """Load what every event update loads (its modules, the configuration's encoder: its
    vectors are read from the store, but the update makes the encoder to read them), in a
    `forked.Zygote` that forks the updates: each would otherwise load them again (about 1 CPU
    second; 2 more for USE)."""
    import dateparser.languages  # noqa: F401 - event dating's lexicons
    import usearch.index  # noqa: F401 - the clusterer's vector index

    import storyline.events.relink
    import storyline.events.similarity
    import storyline.events.storylines
    import storyline.memory  # noqa: F401
    from storyline.embed import get_encoder

    get_encoder((config or PipelineConfig()).encoder.name)
    brief_writer(config)


def _update_events(store: Store, refreshed: list[str], config: PipelineConfig | None,
                   upto: int | None = None) -> list[Event]:
    from storyline.events import update_events as cluster_new_articles
    from storyline.events.features import forget_term_numbers
    from storyline.memory import release_free_memory

    changed = cluster_new_articles(store, briefs=brief_writer(config), refreshed=refreshed,
                                   config=config, upto=upto)
    forget_term_numbers()  # the update's features are gone: their term strings may go too
    # The update's working set (clusterer rows, vectors, index segments) is freed now, but
    # glibc would keep its pages resident until the next update (see `storyline.memory`): a
    # long-running ingest (`storyline watch`, the scale bench) would start each update there.
    release_free_memory()
    return changed


def recluster(store: Store, config: PipelineConfig | None = None, fit: Fit | None = None
              ) -> list[Event]:
    """Rebuild every event, storyline and brief from scratch (`fit`: how the clusterer places
    the articles, default its own `fit`; the Spark job clusters on executors)."""
    from storyline.events import recluster as rebuild_events

    return rebuild_events(store, briefs=brief_writer(config), config=config, fit=fit)


def brief_writer(config: PipelineConfig | None = None) -> EventBriefs:
    """What writes the briefs of the events an update changes: the configured summarizer with
    the configured claim matching (events know it as an `events.interfaces.BriefWriter`)."""
    from storyline.summarize.event_briefs import EventBriefs
    from storyline.summarize.vectors import ClaimEncoding

    config = config or PipelineConfig()
    return EventBriefs(config.event_summarizer(), config.section(ClaimEncoding))
