"""Backups and consistency checks of a store file, safe while a server or an ingest uses it."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

from storyline.store.sqlite import Store, with_functions


class BackupError(Exception):
    pass


def backup(store: Store, target: str | Path) -> int:
    """Copy the store to `target` with SQLite's online backup; returns the copy's size in bytes.

    One step (all pages at once) reads one consistent snapshot: in WAL mode writers go on
    meanwhile, whereas a copy in several steps restarts whenever another connection writes and
    could never end under a steady ingest. The copy is written next to `target`, checked, and
    only then renamed into place, so `target` is either a whole good copy or absent.
    """
    target = Path(target)
    if target.exists():
        raise BackupError(f"{target} exists; choose a new file name")
    if target.resolve() == store.path.resolve():
        raise BackupError("the backup must not overwrite the store")
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    copy = with_functions(sqlite3.connect(str(partial)))
    try:
        store.backup_into(copy)
        result = copy.execute("PRAGMA integrity_check").fetchone()[0]
        if result != "ok":
            raise BackupError(f"the copy failed its integrity check: {result}")
        # A single file that opens anywhere: no -wal beside it to lose on the way.
        copy.execute("PRAGMA journal_mode=DELETE")
    except BaseException:
        copy.close()
        partial.unlink(missing_ok=True)
        raise
    copy.close()
    os.replace(partial, target)
    return target.stat().st_size


def check(store: Store) -> list[str]:
    """Every problem found, one line each; empty when the store is sound.

    SQLite's integrity check, then what SQLite cannot know: every event member is a stored
    article, no article is in two events, the member table agrees with the events, the
    full-text index holds exactly the articles, and the rows triggers keep (event facets and
    counts, independent outlets, entity counts, totals and names) agree with what they count.
    """
    conn = store.conn
    problems = [f"integrity: {row[0]}" for row in conn.execute("PRAGMA integrity_check")
                if row[0] != "ok"]
    if problems:  # the other checks read a damaged file and would only add noise
        return problems
    problems += _event_problems(conn)
    problems += _full_text_problems(conn)
    problems += _kept_row_problems(conn)
    return problems


def _event_problems(conn: sqlite3.Connection) -> list[str]:
    problems: list[str] = []
    article_ids = {row[0] for row in conn.execute("SELECT id FROM articles")}
    holder: dict[str, str] = {}
    for event_id, data in conn.execute("SELECT id, data FROM events ORDER BY id"):
        for member in json.loads(data).get("members", []):
            article_id = member["article_id"]
            if article_id not in article_ids:
                problems.append(f"event {event_id}: member {article_id} is not a stored article")
            if article_id in holder:
                problems.append(f"article {article_id} is in two events: {holder[article_id]} "
                                f"and {event_id}")
            else:
                holder[article_id] = event_id
    listed = dict(conn.execute("SELECT article_id, event_id FROM event_members").fetchall())
    for article_id in sorted(set(holder) | set(listed)):
        if holder.get(article_id) != listed.get(article_id):
            problems.append(f"article {article_id}: event_members says "
                            f"{listed.get(article_id)}, the events say {holder.get(article_id)}")
    return problems


def _full_text_problems(conn: sqlite3.Connection) -> list[str]:
    try:
        # With rank 1, FTS5 compares its index with the content of the articles table.
        conn.execute("INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1)")
    except sqlite3.DatabaseError as error:
        return [f"full-text index disagrees with the articles table: {error}"]
    return []


def _kept_row_problems(conn: sqlite3.Connection) -> list[str]:
    from storyline.store.sqlite import (
        _INDEPENDENT_OUTLETS,
        EVERY_EVENT_COUNT,
        EVERY_EVENT_FACET,
    )

    problems = []
    for table, kept, counted in (
            ("event_facets", "SELECT facet, value, event_id FROM event_facets",
             EVERY_EVENT_FACET),
            ("event_counts", "SELECT facet, value, dated, size, events FROM event_counts",
             EVERY_EVENT_COUNT),
            ("entity_kind_counts", "SELECT kind, value, entities FROM entity_kind_counts",
             ("SELECT 'type', type, COUNT(*) FROM entities GROUP BY type UNION ALL"
              " SELECT 'language', language, COUNT(*) FROM entity_languages"
              " GROUP BY language")),
            ("entities", "SELECT id, articles, mentions FROM entities",
             "SELECT entity_id, COUNT(*), SUM(mentions) FROM article_entities GROUP BY 1"),
            ("entity_aliases", "SELECT entity_id, alias, articles FROM entity_aliases",
             ("SELECT e.entity_id, alias.value, COUNT(*) FROM article_entities e,"
              " json_each(e.aliases) AS alias GROUP BY 1, 2"))):
        differing = conn.execute(
            f"SELECT COUNT(*) FROM (SELECT * FROM ({kept}) EXCEPT SELECT * FROM ({counted}))"
        ).fetchone()[0] + conn.execute(
            f"SELECT COUNT(*) FROM (SELECT * FROM ({counted}) EXCEPT SELECT * FROM ({kept}))"
        ).fetchone()[0]
        if differing:
            problems.append(f"{table}: {differing} rows disagree with a count from the rows "
                            "they count")
    stale = conn.execute(
        f"SELECT COUNT(*) FROM events WHERE independent != {_INDEPENDENT_OUTLETS}").fetchone()[0]
    if stale:
        problems.append(f"events: {stale} independent outlet counts disagree with their members")
    try:
        conn.execute("INSERT INTO entity_names(entity_names, rank) VALUES ('integrity-check', 1)")
    except sqlite3.DatabaseError as error:
        problems.append(f"entity name index disagrees with the entities table: {error}")
    return problems
