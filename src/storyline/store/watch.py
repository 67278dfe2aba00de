"""What `storyline watch` remembers between runs (tables of migration 9).

Feeds keep their conditional-GET validators (ETag, Last-Modified) and health; every feed item
and every watched file is one row of `watch_items` that moves from 'pending' to 'done' (its
articles stored) or, after too many failed attempts, to 'parked'. A watcher that is stopped or
killed starts again from these rows: nothing seen is fetched twice once it is done, and nothing
pending is forgotten.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any

from storyline.store.sqlite import Store, _now

PENDING = "pending"
DONE = "done"
PARKED = "parked"
# The watcher's heartbeat and counters, in the `state` table.
STATUS_STATE = "watch_status"


@dataclass
class WatchItem:
    """A feed item (kind 'feed', location = its link) or a watched file (kind 'file')."""

    key: str
    kind: str
    origin: str  # the feed's URL or the watched folder
    location: str
    meta: dict[str, Any]
    status: str = PENDING
    attempts: int = 0
    last_error: str | None = None
    digest: str | None = None


@dataclass
class FeedState:
    url: str
    etag: str | None = None
    last_modified: str | None = None
    last_success: str | None = None
    failures_in_row: int = 0


@dataclass(frozen=True)
class FileStamp:
    size: int
    mtime_ns: int
    digest: str | None


class WatchState:
    """The watcher's rows in one store; every write is one short transaction."""

    def __init__(self, store: Store) -> None:
        self.store = store

    @property
    def conn(self) -> sqlite3.Connection:
        # Looked up at each use: a server request's snapshot reads (see `Store.snapshot`).
        return self.store.conn

    # -- feeds ------------------------------------------------------------------------------
    def feed(self, url: str) -> FeedState:
        row = self.conn.execute(
            "SELECT url, etag, last_modified, last_success, failures_in_row FROM watch_feeds"
            " WHERE url=?", (url,)).fetchone()
        return FeedState(**dict(row)) if row else FeedState(url)

    def feed_polled(self, url: str, etag: str | None, last_modified: str | None,
                    items: list[WatchItem]) -> int:
        """Record a successful poll and the items it found; returns how many were new."""
        now = _now()
        with self.store.transaction():
            self.conn.execute(
                "INSERT INTO watch_feeds(url, etag, last_modified, last_poll, last_success,"
                " failures_in_row) VALUES (?,?,?,?,?,0) ON CONFLICT(url) DO UPDATE SET"
                " etag=excluded.etag, last_modified=excluded.last_modified,"
                " last_poll=excluded.last_poll, last_success=excluded.last_success,"
                " failures_in_row=0",
                (url, etag, last_modified, now, now),
            )
            before = self.conn.total_changes
            self.conn.executemany(
                "INSERT OR IGNORE INTO watch_items(key, kind, origin, location, meta, status,"
                " added_at, updated_at) VALUES (?,?,?,?,?,?,?,?)",
                [(item.key, item.kind, item.origin, item.location, json.dumps(item.meta),
                  PENDING, now, now) for item in items],
            )
            return self.conn.total_changes - before

    def feed_failed(self, url: str, reason: str) -> int:
        """Record a failed poll; returns the failures in a row so far."""
        now = _now()
        with self.store.transaction():
            self.conn.execute(
                "INSERT INTO watch_feeds(url, last_poll, last_error, errors, failures_in_row)"
                " VALUES (?,?,?,1,1) ON CONFLICT(url) DO UPDATE SET last_poll=excluded.last_poll,"
                " last_error=excluded.last_error, errors=errors+1,"
                " failures_in_row=failures_in_row+1",
                (url, now, reason),
            )
            return self.conn.execute("SELECT failures_in_row FROM watch_feeds WHERE url=?",
                                     (url,)).fetchone()[0]

    # -- files ------------------------------------------------------------------------------
    def file_stamps(self, folder: str) -> dict[str, FileStamp]:
        """path -> what was last seen of each file under a watched folder."""
        rows = self.conn.execute(
            "SELECT location, size, mtime_ns, digest FROM watch_items WHERE kind='file'"
            " AND origin=?", (folder,))
        return {r["location"]: FileStamp(r["size"], r["mtime_ns"], r["digest"]) for r in rows}

    def file_seen(self, folder: str, path: str, size: int, mtime_ns: int, digest: str,
                  changed: bool) -> None:
        """Remember a file's stamp; a `changed` file (new content) is pending again."""
        now = _now()
        with self.store.transaction():
            if changed:
                self.conn.execute(
                    "INSERT INTO watch_items(key, kind, origin, location, meta, status, size,"
                    " mtime_ns, digest, added_at, updated_at) VALUES (?,'file',?,?,'{}',?,?,?,?,?,?)"
                    " ON CONFLICT(key) DO UPDATE SET status=excluded.status, attempts=0,"
                    " next_attempt=0, last_error=NULL, size=excluded.size,"
                    " mtime_ns=excluded.mtime_ns, digest=excluded.digest,"
                    " updated_at=excluded.updated_at",
                    (_file_key(path), folder, path, PENDING, size, mtime_ns, digest, now, now),
                )
            else:
                self.conn.execute(
                    "UPDATE watch_items SET size=?, mtime_ns=? WHERE key=?",
                    (size, mtime_ns, _file_key(path)),
                )

    # -- items ------------------------------------------------------------------------------
    def due_items(
        self, now: float, limit: int, skip: AbstractSet[str] = frozenset()
    ) -> list[WatchItem]:
        """Pending items whose next attempt is due, oldest first (`skip`: keys not wanted)."""
        rows = self.conn.execute(
            "SELECT key, kind, origin, location, meta, status, attempts, last_error, digest"
            " FROM watch_items WHERE status=? AND next_attempt<=? ORDER BY added_at, rowid"
            " LIMIT ?", (PENDING, now, limit + len(skip)),
        ).fetchall()
        items = [WatchItem(**{**dict(r), "meta": json.loads(r["meta"])}) for r in rows]
        return [item for item in items if item.key not in skip][:limit]

    def next_due(self) -> float | None:
        """When the next pending item is due (unix seconds), None when nothing is pending."""
        return self.conn.execute("SELECT MIN(next_attempt) FROM watch_items WHERE status=?",
                                 (PENDING,)).fetchone()[0]

    def item_done(self, key: str, article_ids: list[str]) -> None:
        with self.store.transaction():
            self.conn.execute(
                "UPDATE watch_items SET status=?, article_ids=?, last_error=NULL, updated_at=?"
                " WHERE key=?", (DONE, json.dumps(article_ids), _now(), key))

    def item_failed(self, key: str, reason: str, retry_at: float | None) -> None:
        """Count a failed attempt: retried at `retry_at`, or parked when that is None."""
        with self.store.transaction():
            self.conn.execute(
                "UPDATE watch_items SET attempts=attempts+1, last_error=?, status=?,"
                " next_attempt=?, updated_at=? WHERE key=?",
                (reason, PARKED if retry_at is None else PENDING, retry_at or 0, _now(), key))
            self.store.log_failure(self.conn.execute(
                "SELECT location FROM watch_items WHERE key=?", (key,)).fetchone()[0], reason)

    def unpark(self) -> int:
        """Give every parked item a fresh set of attempts; returns how many."""
        with self.store.transaction():
            return self.conn.execute(
                "UPDATE watch_items SET status=?, attempts=0, next_attempt=0 WHERE status=?",
                (PENDING, PARKED)).rowcount

    # -- status -----------------------------------------------------------------------------
    def put_heartbeat(self, counters: dict[str, Any]) -> None:
        data = {"pid": os.getpid(), "heartbeat": time.time(), **counters}
        self.store.put_state(STATUS_STATE, json.dumps(data).encode("utf-8"))

    def status(self, stale_after: float) -> dict[str, Any]:
        """Queue depth, last success and errors per feed, error counts, and whether a watcher
        wrote its heartbeat within `stale_after` seconds (what `/api/status` shows)."""
        raw = self.store.get_state(STATUS_STATE)
        beat = json.loads(raw) if raw else {}
        counts = {status: 0 for status in (PENDING, DONE, PARKED)}
        counts.update(self.conn.execute(
            "SELECT status, COUNT(*) FROM watch_items GROUP BY status").fetchall())
        failed_attempts = self.conn.execute(
            "SELECT COALESCE(SUM(attempts), 0) FROM watch_items").fetchone()[0]
        feeds = [dict(r) for r in self.conn.execute(
            "SELECT f.url, f.last_success, f.last_poll, f.last_error, f.errors,"
            " f.failures_in_row, (SELECT COUNT(*) FROM watch_items i WHERE i.origin = f.url)"
            " AS items FROM watch_feeds f ORDER BY f.url")]
        heartbeat: float | None = beat.get("heartbeat")
        return {
            "watching": heartbeat is not None and not beat.get("stopped")
                        and time.time() - heartbeat < stale_after,
            "heartbeat": heartbeat,
            "pid": beat.get("pid"),
            "queue_depth": counts[PENDING],
            "items": counts,
            "errors": {
                "feed_polls": sum(feed["errors"] for feed in feeds),
                "item_attempts": failed_attempts,
                "parked": counts[PARKED],
            },
            "feeds": feeds,
            "since_start": {k: v for k, v in beat.items()
                            if k not in ("pid", "heartbeat", "stopped")},
        }


def _file_key(path: str) -> str:
    return f"file:{path}"
