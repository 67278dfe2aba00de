"""`storyline watch`: a long-running ingester of watched folders and RSS/Atom feeds.

One loop, one thread, one writer:

- Folders are scanned every `scan_seconds`: a file whose size or modification time changed, and
  that stayed so for one more scan (a file still being written is not read half-way), is read
  again when its content hash changed. Files go through the ingest's own readers
  (`ingest.read_path`, links out of the folder refused).
- Feeds are polled every `feed_seconds` with conditional GET (`ingest.fetch`); a failing feed
  waits twice as long after each failure. Each new entry becomes an item; the item's page is
  fetched and read by the HTML reader (an entry without a link is read from its own content by
  the feed reader). Every request waits its host's turn (`HostPacer`).
- Each item is cleaned, enriched and stored by `pipeline.ingest_reads`, the ingest's own path.
  A failing item is retried after doubling delays and parked after `max_attempts` failures,
  with every reason logged; nothing an item does stops the loop.
- Events are updated once `event_batch` articles wait, or once the first of them has waited
  `event_seconds`; each update runs in a forked child beside the items handled next
  (`pipeline.EventUpdates`), the one before it waited for first. The children are forked from
  a small process of their own (`forked.Zygote`), not from the watcher, which holds the
  ingest's models.

Everything the loop knows lives in the store (`store.watch`): a watcher stopped by SIGTERM
finishes the item at hand and exits; one killed outright loses nothing either, as an item is
only marked done after its articles are committed, and storing them again is a no-op (an
article's id is its content's hash).
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import sqlite3
import stat
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from storyline import pipeline, settings, testhooks
from storyline.config import PipelineConfig
from storyline.ingest import feed, iter_sources, read_bytes, read_path
from storyline.ingest.decode import UnreadableInput, one_line
from storyline.ingest.fetch import FetchError, HostPacer, fetch, is_private_host, is_web_url
from storyline.model import RawDocument, ReadFailure
from storyline.store import Store
from storyline.store.watch import WatchItem, WatchState

# Items handled between two looks at the feeds and folders.
ITEMS_PER_STEP = 8
# The loop never sleeps longer than this (it wakes at once on stop).
MAX_IDLE_SECONDS = 1.0
_HASH_CHUNK = 1 << 20
_METADATA = ("title", "published", "outlet", "byline", "language")


@dataclass(frozen=True)
class WatchConfig:
    """The watcher's tunables (section `[watch]` of a pipeline configuration)."""

    scan_seconds: float = settings.WATCH_SCAN_SECONDS
    feed_seconds: float = settings.WATCH_FEED_SECONDS
    host_delay: float = settings.WATCH_HOST_DELAY_SECONDS
    retry_seconds: float = settings.WATCH_RETRY_SECONDS
    retry_max_seconds: float = settings.WATCH_RETRY_MAX_SECONDS
    max_attempts: int = settings.WATCH_MAX_ATTEMPTS
    event_batch: int = settings.WATCH_EVENT_BATCH
    event_seconds: float = settings.WATCH_EVENT_SECONDS
    fetch_seconds: float = settings.WATCH_FETCH_SECONDS
    max_fetch_bytes: int = settings.WATCH_MAX_FETCH_BYTES
    # Items read from one feed document (as records from one file at ingest).
    max_feed_items: int = settings.MAX_RECORDS_PER_FILE

    def __post_init__(self) -> None:
        for name in ("scan_seconds", "feed_seconds", "host_delay", "retry_seconds",
                     "retry_max_seconds", "event_seconds"):
            if not 0 <= getattr(self, name) < float("inf"):
                raise ValueError(f"{name} must be a number of seconds from 0 up")
        for name in ("max_attempts", "event_batch", "max_feed_items", "max_fetch_bytes"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1")
        if not 0 < self.fetch_seconds < float("inf"):
            raise ValueError("fetch_seconds must be above 0")


@dataclass
class WatchOptions:
    folders: list[str] = field(default_factory=list)
    feeds: list[str] = field(default_factory=list)
    # Update events as articles arrive (else only store them), and encode them as they go.
    events: bool = True
    config: WatchConfig = field(default_factory=WatchConfig)
    # The components and tunables of the pipeline the items go through.
    pipeline_config: PipelineConfig = field(default_factory=PipelineConfig)


@dataclass
class WatchCounters:
    """What this watcher did since it started (`/api/status` shows them)."""

    polls: int = 0
    not_modified: int = 0
    poll_failures: int = 0
    items_found: int = 0
    files_changed: int = 0
    items_done: int = 0
    articles_new: int = 0
    articles_duplicate: int = 0
    item_failures: int = 0
    parked: int = 0
    event_updates: int = 0


class ItemFailure(Exception):
    """An item that yielded no article this time; the message is the one-line reason."""


class FeedListError(ValueError):
    pass


def read_feed_list(path: str) -> list[str]:
    """The feed URLs of a feed list: one per line; blank lines and '#' comments are skipped."""
    try:
        with open(path, encoding="utf-8") as handle:
            lines = handle.read().splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise FeedListError(f"cannot read the feed list {path}: {error}") from None
    urls: list[str] = []
    for number, line in enumerate(lines, start=1):
        url = line.strip()
        if not url or url.startswith("#"):
            continue
        if not is_web_url(url):
            raise FeedListError(f"{path}:{number}: not an http(s) URL: {one_line(url, 200)}")
        if url not in urls:
            urls.append(url)
    return urls


def retry_delay(base: float, failures: int, most: float) -> float:
    """Seconds to wait after the `failures`-th failure in a row: base, 2 x base, 4 x base..."""
    return min(most, base * 2 ** max(0, min(failures - 1, 30)))


class Watcher:
    """The watch loop over one store; `stop` (set from a signal handler) ends it cleanly."""

    def __init__(
        self, store: Store, options: WatchOptions, stop: threading.Event | None = None,
        log: Callable[[str], None] = lambda _line: None,
    ) -> None:
        self.store = store
        self.options = options
        self.config = options.config
        self.state = WatchState(store)
        self.stop = stop or threading.Event()
        self.log = log
        self.counters = WatchCounters()
        self.pacer = HostPacer(options.config.host_delay, self.stop.wait)
        self.folders = [os.path.abspath(folder) for folder in options.folders]
        self._roots = [os.path.realpath(folder) for folder in options.folders]
        self._next_poll = dict.fromkeys(options.feeds, 0.0)
        self._next_scan = 0.0
        # path -> (size, mtime) seen by the last scan, for files not yet read since they changed.
        self._settling: dict[str, tuple[int, int]] = {}
        self._unnamed: set[str] = set()  # paths SQLite cannot hold, reported once
        self._waiting = 0  # articles stored and not yet in an event update
        self._waiting_since: float | None = None
        # Updates forked from a zygote: not from this process, which holds the ingest's models.
        self.updates = pipeline.EventUpdates(store, options.pipeline_config, zygote=True)
        self._updating: tuple[str, float] | None = None  # why, CPU seconds before it

    # -- the loop ---------------------------------------------------------------------------
    def run(self, once: bool = False) -> WatchCounters:
        """Watch until `stop` is set; with `once`, scan and poll once, try every due item
        once, update events and return."""
        try:
            self._loop(once)
        finally:
            self.updates.close()
        self.state.put_heartbeat({**asdict(self.counters), "stopped": True})
        return self.counters

    def _loop(self, once: bool) -> None:
        if self.options.events and self.store.count_articles():
            self._update_events("catching up")  # a killed run may have left articles waiting
        tried: set[str] = set()
        first = True
        while not self.stop.is_set():
            try:
                handled = self._step(once, first, tried)
            except sqlite3.OperationalError as error:  # locked or full: wait, then go on
                self.log(f"store busy or failing, waiting: {error}")
                self.stop.wait(self.config.retry_seconds)
                continue
            first = False
            if once and not handled:
                break
            if not handled:
                self.stop.wait(self._idle_seconds())
        self._maybe_update_events(force=True)
        self._finish_update()

    def _step(self, once: bool, first: bool, tried: set[str]) -> int:
        """Scan and poll what is due, handle due items, update events when due; returns how
        many items were handled."""
        if (first if once else time.time() >= self._next_scan):
            self._scan_folders(settle=not once)
            self._next_scan = time.time() + self.config.scan_seconds
        for url, due in list(self._next_poll.items()):
            if (first if once else due <= time.time()) and not self.stop.is_set():
                self._poll(url)
        handled = self._work(once, tried)
        self._maybe_update_events()  # the first article may have waited long enough
        self.state.put_heartbeat(asdict(self.counters))
        return handled

    def _idle_seconds(self) -> float:
        due = [self._next_scan, *self._next_poll.values()]
        next_item = self.state.next_due()
        if next_item is not None:
            due.append(next_item)
        if self._waiting_since is not None:
            waited = time.monotonic() - self._waiting_since
            due.append(time.time() + self.config.event_seconds - waited)
        return max(0.0, min(MAX_IDLE_SECONDS, min(due) - time.time()))

    def _work(self, once: bool, tried: set[str]) -> int:
        """Handle up to ITEMS_PER_STEP due items; returns how many were handled."""
        items = self.state.due_items(time.time(), ITEMS_PER_STEP, skip=tried if once else set())
        for item in items:
            if self.stop.is_set():
                break
            if once:  # a run that goes on would hold every key it ever handled
                tried.add(item.key)
            self._handle(item)
            self._maybe_update_events()
        return len(items)

    # -- items ------------------------------------------------------------------------------
    def _handle(self, item: WatchItem) -> None:
        try:
            stored = self._ingest(item)
        except ItemFailure as failure:
            self._failed(item, str(failure))
            return
        except sqlite3.OperationalError:  # locked or full store: no item would fare better
            raise
        except Exception as error:  # noqa: BLE001 - one item's bug must not stop the watcher
            self._failed(item, one_line(f"internal error: {type(error).__name__}: {error}"))
            return
        self.state.item_done(item.key, stored)
        self.counters.items_done += 1

    def _ingest(self, item: WatchItem) -> list[str]:
        """Store an item's articles; returns their ids (new or already stored)."""
        if item.kind == "file":
            reads: pipeline.Read = (item.location, item.origin,
                                    read_path(item.location, self._roots))
        elif item.location:
            reads = (item.location, "", self._fetch_page(item))
        else:
            reads = (item.key, "", [RawDocument(**item.meta["document"])])
        # `updates`: pages re-cleaned for a learned template wait for the running update.
        report = pipeline.ingest_reads([reads], self.store, cluster=False, parallel=False,
                                       embed=self.options.events,
                                       config=self.options.pipeline_config, updates=self.updates)
        testhooks.reached("watch.stored")
        stored = report.new + report.duplicate
        self.counters.articles_new += len(report.new)
        self.counters.articles_duplicate += len(report.duplicate)
        if report.new:
            self._waiting += len(report.new)
            self._waiting_since = self._waiting_since or time.monotonic()
            self.log(f"stored {item.location or item.key}: {len(report.new)} new")
        if not stored:
            reasons = [failure.reason for failure in report.failed] or ["no article"]
            raise ItemFailure(reasons[0])
        return stored

    def _fetch_page(self, item: WatchItem) -> Iterator[RawDocument | ReadFailure]:
        if not self.pacer.wait(item.location):
            raise ItemFailure("stopped before the page was fetched")
        try:
            page = fetch(item.location, private=item.meta.get("private", False),
                         max_bytes=self.config.max_fetch_bytes,
                         seconds=self.config.fetch_seconds)
        except FetchError as error:
            raise ItemFailure(str(error)) from None
        testhooks.reached("watch.fetched")
        for document in read_bytes(item.location, page.body, _page_name(page.content_type,
                                                                         page.url)):
            if isinstance(document, RawDocument):
                # The address the page was found at, unless it names its own (canonical);
                # what the feed said fills what the page does not say itself.
                if document.url in (None, item.location):
                    document.url = page.url
                for name in _METADATA:
                    if not getattr(document, name) and item.meta.get(name):
                        setattr(document, name, item.meta[name])
            yield document

    def _failed(self, item: WatchItem, reason: str) -> None:
        attempts = item.attempts + 1
        self.counters.item_failures += 1
        label = item.location or item.key
        if attempts >= self.config.max_attempts:
            self.state.item_failed(item.key, reason, None)
            self.counters.parked += 1
            self.log(f"PARKED {label} after {attempts} attempts: {reason}")
            return
        delay = retry_delay(self.config.retry_seconds, attempts, self.config.retry_max_seconds)
        self.state.item_failed(item.key, reason, time.time() + delay)
        self.log(f"FAILED {label} (attempt {attempts} of {self.config.max_attempts}, "
                 f"again in {delay:g} s): {reason}")

    # -- feeds ------------------------------------------------------------------------------
    def _poll(self, url: str) -> None:
        if not self.pacer.wait(url):
            return
        known = self.state.feed(url)
        self.counters.polls += 1
        try:
            answer = fetch(url, known.etag, known.last_modified, private=True,
                           max_bytes=self.config.max_fetch_bytes,
                           seconds=self.config.fetch_seconds)
            if answer.status == 304:
                self.counters.not_modified += 1
                self.state.feed_polled(url, answer.etag or known.etag,
                                       answer.last_modified or known.last_modified, [])
                self._next_poll[url] = time.time() + self.config.feed_seconds
                return
            parsed = feed.parse(answer.body)
        except (FetchError, UnreadableInput) as error:
            failures = self.state.feed_failed(url, one_line(str(error)))
            self.counters.poll_failures += 1
            delay = retry_delay(self.config.feed_seconds, failures, self.config.retry_max_seconds)
            self._next_poll[url] = time.time() + delay
            self.log(f"FAILED feed {url} ({failures} in a row, again in {delay:g} s): {error}")
            return
        items = list(self._feed_items(url, parsed))
        new = self.state.feed_polled(url, answer.etag, answer.last_modified, items)
        self.counters.items_found += new
        self._next_poll[url] = time.time() + self.config.feed_seconds
        if new:
            self.log(f"feed {url}: {new} new items")

    def _feed_items(self, url: str, parsed: Any) -> Iterator[WatchItem]:
        outlet = parsed.feed.get("title") or None
        language = parsed.feed.get("language") or None
        # A feed's items may reach local addresses only when the feed itself is local.
        private = is_private_host(urllib.parse.urlsplit(url).hostname or "")
        for entry in parsed.entries[: self.config.max_feed_items]:
            # feedparser takes a guid for the link when there is none, URL or not.
            link = entry.get("link") or ""
            link = link if is_web_url(link) else ""
            identity = entry.get("id") or link or _digest(
                f"{entry.get('title', '')}\n{entry.get('summary', '')}".encode())
            key = f"{url}\n{identity}"
            document = None if link else feed.entry_document(key, entry, outlet, language)
            if isinstance(document, ReadFailure):
                continue  # no link and no content: nothing to read, ever
            meta = {
                "title": entry.get("title") or None,
                "published": feed.entry_date(entry),
                "outlet": outlet,
                "byline": entry.get("author") or None,
                "language": entry.get("language") or language,
                "private": private,
                "document": asdict(document) if document else None,
            }
            yield WatchItem(key, "feed", url, link, {k: v for k, v in meta.items()
                                                      if v is not None})

    # -- folders ----------------------------------------------------------------------------
    def _scan_folders(self, settle: bool) -> None:
        seen: set[str] = set()
        for folder in self.folders:
            stamps = self.state.file_stamps(folder)
            for path in iter_sources([folder], self._roots):
                seen.add(path)
                self._scan_file(folder, path, stamps.get(path), settle)
        for path in set(self._settling) - seen:  # deleted while settling
            del self._settling[path]

    def _scan_file(self, folder: str, path: str, known: Any, settle: bool) -> None:
        try:
            info = os.stat(path)
        except OSError:
            return
        if not stat.S_ISREG(info.st_mode):
            return
        stamp = (info.st_size, info.st_mtime_ns)
        if known is not None and (known.size, known.mtime_ns) == stamp:
            return
        if settle and self._settling.get(path) != stamp:
            self._settling[path] = stamp  # read it once the next scan sees it unchanged
            return
        self._settling.pop(path, None)
        try:
            path.encode("utf-8")
        except UnicodeEncodeError:
            if path not in self._unnamed:
                self._unnamed.add(path)
                self.log(f"SKIPPED {path!r}: its name is not valid UTF-8")
            return
        try:
            digest = _file_digest(path)
        except OSError as error:
            self.log(f"SKIPPED {path}: cannot read: {error.strerror or error}")
            return
        changed = known is None or known.digest != digest
        self.state.file_seen(folder, path, *stamp, digest, changed)
        if changed:
            self.counters.files_changed += 1

    # -- events -----------------------------------------------------------------------------
    def _maybe_update_events(self, force: bool = False) -> None:
        if not self.options.events or not self._waiting:
            return
        waited = time.monotonic() - (self._waiting_since or time.monotonic())
        if force or self._waiting >= self.config.event_batch or \
                waited >= self.config.event_seconds:
            self._update_events(f"{self._waiting} new articles")

    def _update_events(self, why: str) -> None:
        """Start an update of the articles stored so far, once the one before it is done."""
        self._finish_update()
        self._updating = (why, self.updates.cpu_seconds)
        self.updates.start()
        self._waiting, self._waiting_since = 0, None

    def _finish_update(self) -> None:
        if self._updating is None:
            return
        (why, cpu_before), self._updating = self._updating, None
        self.updates.wait()
        self.counters.event_updates += 1
        self.log(f"events updated ({why}; {self.updates.cpu_seconds - cpu_before:.1f} CPU s)")


def _page_name(content_type: str, url: str) -> str:
    """A file name for the reader's format guess when the content does not decide it."""
    kind = content_type.split(";")[0].strip().lower()
    if kind in ("text/html", "application/xhtml+xml"):
        return "page.html"
    if kind == "text/plain":
        return "page.txt"
    return posixpath.basename(urllib.parse.urlsplit(url).path) or "page.html"


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _file_digest(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def folders_missing(folders: Iterable[str]) -> list[str]:
    return [folder for folder in folders if not os.path.isdir(folder)]
