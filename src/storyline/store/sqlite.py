"""SQLite storage: the only module that writes SQL.

WAL journal so readers (the web server) never block the ingest writer; a versioned schema applied
by ordered migrations; FTS5 over title and text. An article is its columns (those queries
filter on, the text, the compressed raw input) plus a JSON of every other dataclass field, so
every field round-trips and none is stored twice.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import threading
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from storyline import settings
from storyline.model import Article, Event, Storyline, plain
from storyline.vectors import SparseVector, compact

# Seconds a write waits for another connection's write (settings.py says why), read once.
DEFAULT_BUSY_TIMEOUT = settings.STORE_BUSY_TIMEOUT_SECONDS

if TYPE_CHECKING:
    import numpy as np

    from storyline.vectors import Vector

# The triggers that kept the entity, entity-per-language and alias counts as articles' entities
# are written (migration 11; migration 13 rebuilds their table and creates them again). Since
# migration 27 rows written are counted by the store (`_EntityCounts`) and only the trigger
# uncounting removed rows is kept.
_ENTITY_COUNT_TRIGGERS = """
    CREATE TRIGGER article_entities_counted AFTER INSERT ON article_entities BEGIN
        INSERT INTO entities(id, name, type, articles, mentions)
            VALUES (new.entity_id, new.name, new.type, 1, new.mentions)
            ON CONFLICT(id) DO UPDATE SET articles = articles + 1,
                mentions = mentions + excluded.mentions, name = max(name, excluded.name),
                type = max(type, excluded.type);
        INSERT INTO entity_languages(language, entity_id, articles, mentions)
            SELECT COALESCE(language, ''), new.entity_id, 1, new.mentions FROM articles
            WHERE id = new.article_id
            ON CONFLICT(language, entity_id) DO UPDATE SET articles = articles + 1,
                mentions = mentions + excluded.mentions;
        INSERT INTO entity_aliases(entity_id, alias, articles)
            SELECT new.entity_id, value, 1 FROM json_each(new.aliases) WHERE true
            ON CONFLICT(entity_id, alias) DO UPDATE SET articles = articles + 1;
    END;
    CREATE TRIGGER article_entities_uncounted AFTER DELETE ON article_entities BEGIN
        UPDATE entities SET articles = articles - 1, mentions = mentions - old.mentions
            WHERE id = old.entity_id;
        DELETE FROM entities WHERE id = old.entity_id AND articles <= 0;
        UPDATE entity_languages SET articles = articles - 1, mentions = mentions - old.mentions
            WHERE entity_id = old.entity_id
            AND language = (SELECT COALESCE(language, '') FROM articles WHERE id = old.article_id);
        DELETE FROM entity_languages WHERE entity_id = old.entity_id AND articles <= 0;
        UPDATE entity_aliases SET articles = articles - 1
            WHERE entity_id = old.entity_id AND alias IN (SELECT value FROM json_each(old.aliases));
        DELETE FROM entity_aliases WHERE entity_id = old.entity_id AND articles <= 0;
    END;
"""

# Each event's languages, outlets (lower-cased, as the outlet filter compares) and entities
# (migration 22), as rows of `event_facets`.
_EVENT_FACETS_OF = """
    SELECT 'language', value, {row}.id FROM json_each({row}.data, '$.languages')
        WHERE value IS NOT NULL
    UNION ALL SELECT 'outlet', lower(value), {row}.id FROM json_each({row}.data, '$.outlets')
        WHERE value IS NOT NULL
    UNION ALL SELECT 'entity', value, {row}.id FROM json_each({row}.data, '$.entities')
        WHERE value IS NOT NULL"""
# The facets of every event, and the counts of `event_counts` (also what `storyline check`
# compares the kept rows with).
EVERY_EVENT_FACET = _EVENT_FACETS_OF.format(row="events").replace("FROM json_each",
                                                                  "FROM events, json_each")
EVERY_EVENT_COUNT = """
    SELECT '', '', date IS NOT NULL, size, COUNT(*) FROM events GROUP BY 3, 4
    UNION ALL SELECT f.facet, f.value, e.date IS NOT NULL, e.size, COUNT(*)
    FROM event_facets f JOIN events e ON e.id = f.event_id GROUP BY 1, 2, 3, 4"""
# An event counted in `event_counts` (migration 22): under '' (all events) and under each of its
# facets, for its datedness and size; `{sign}` 1 counts it, -1 uncounts it.
_EVENT_COUNTED = """
    INSERT INTO event_counts(facet, value, dated, size, events)
        SELECT '', '', {row}.date IS NOT NULL, {row}.size, {sign}
        UNION ALL SELECT facet, value, {row}.date IS NOT NULL, {row}.size, {sign}
        FROM event_facets WHERE event_id = {row}.id
        ON CONFLICT(facet, value, dated, size) DO UPDATE SET events = events + excluded.events;"""
_EVENT_FACETED = ("INSERT OR IGNORE INTO event_facets(facet, value, event_id)"
                  + _EVENT_FACETS_OF.format(row="new") + ";"
                  + _EVENT_COUNTED.format(row="new", sign=1))
_EVENT_UNFACETED = _EVENT_COUNTED.format(row="old", sign=-1) + """
    DELETE FROM event_counts WHERE facet = '' AND value = '' AND dated = (old.date IS NOT NULL)
        AND size = old.size AND events <= 0;
    DELETE FROM event_counts WHERE dated = (old.date IS NOT NULL) AND size = old.size
        AND (facet, value) IN (SELECT facet, value FROM event_facets WHERE event_id = old.id)
        AND events <= 0;
    DELETE FROM event_facets WHERE event_id = old.id;"""
_EVENT_FACETS = f"""
    CREATE TABLE IF NOT EXISTS event_facets (
        facet TEXT NOT NULL,
        value TEXT NOT NULL,
        event_id TEXT NOT NULL,
        PRIMARY KEY (facet, value, event_id)
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS event_facets_event ON event_facets(event_id);
    CREATE TABLE IF NOT EXISTS event_counts (
        facet TEXT NOT NULL,
        value TEXT NOT NULL,
        dated INTEGER NOT NULL,
        size INTEGER NOT NULL,
        events INTEGER NOT NULL,
        PRIMARY KEY (facet, value, dated, size)
    ) WITHOUT ROWID;
    INSERT OR IGNORE INTO event_facets(facet, value, event_id) {EVERY_EVENT_FACET};
    DELETE FROM event_counts;
    INSERT INTO event_counts(facet, value, dated, size, events) {EVERY_EVENT_COUNT};
    DROP TRIGGER IF EXISTS events_faceted;
    DROP TRIGGER IF EXISTS events_unfaceted;
    DROP TRIGGER IF EXISTS events_refaceted;
    CREATE TRIGGER events_faceted AFTER INSERT ON events BEGIN
        {_EVENT_FACETED}
    END;
    CREATE TRIGGER events_unfaceted AFTER DELETE ON events BEGIN
        {_EVENT_UNFACETED}
    END;
    CREATE TRIGGER events_refaceted AFTER UPDATE OF date, size, data ON events BEGIN
        {_EVENT_UNFACETED}
        {_EVENT_FACETED}
    END;
"""


# Entities per type and per language (migration 25): `kind` 'type' or 'language'.
_ENTITY_KIND_COUNTED = """
    INSERT INTO entity_kind_counts(kind, value, entities) VALUES ('{kind}', {value}, {sign})
        ON CONFLICT(kind, value) DO UPDATE SET entities = entities + excluded.entities;"""
_ENTITY_KIND_UNCOUNTED = _ENTITY_KIND_COUNTED + """
    DELETE FROM entity_kind_counts WHERE kind = '{kind}' AND value = {value} AND entities <= 0;"""
_ENTITY_KIND_COUNTS = f"""
    CREATE TABLE IF NOT EXISTS entity_kind_counts (
        kind TEXT NOT NULL,
        value TEXT NOT NULL,
        entities INTEGER NOT NULL,
        PRIMARY KEY (kind, value)
    ) WITHOUT ROWID;
    DELETE FROM entity_kind_counts;
    INSERT INTO entity_kind_counts(kind, value, entities)
        SELECT 'type', type, COUNT(*) FROM entities GROUP BY type
        UNION ALL SELECT 'language', language, COUNT(*) FROM entity_languages GROUP BY language;
    DROP TRIGGER IF EXISTS entities_type_counted;
    DROP TRIGGER IF EXISTS entities_type_uncounted;
    DROP TRIGGER IF EXISTS entities_type_moved;
    DROP TRIGGER IF EXISTS entity_languages_counted;
    DROP TRIGGER IF EXISTS entity_languages_uncounted;
    CREATE TRIGGER entities_type_counted AFTER INSERT ON entities BEGIN
        {_ENTITY_KIND_COUNTED.format(kind="type", value="new.type", sign=1)}
    END;
    CREATE TRIGGER entities_type_uncounted AFTER DELETE ON entities BEGIN
        {_ENTITY_KIND_UNCOUNTED.format(kind="type", value="old.type", sign=-1)}
    END;
    CREATE TRIGGER entities_type_moved AFTER UPDATE OF type ON entities
        WHEN old.type IS NOT new.type BEGIN
        {_ENTITY_KIND_UNCOUNTED.format(kind="type", value="old.type", sign=-1)}
        {_ENTITY_KIND_COUNTED.format(kind="type", value="new.type", sign=1)}
    END;
    CREATE TRIGGER entity_languages_counted AFTER INSERT ON entity_languages BEGIN
        {_ENTITY_KIND_COUNTED.format(kind="language", value="new.language", sign=1)}
    END;
    CREATE TRIGGER entity_languages_uncounted AFTER DELETE ON entity_languages BEGIN
        {_ENTITY_KIND_UNCOUNTED.format(kind="language", value="old.language", sign=-1)}
    END;
"""

MIGRATIONS: list[str | Callable[[sqlite3.Connection], None]] = [
    # 1: articles, full-text index, ingest log
    """
    CREATE TABLE articles (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        source TEXT NOT NULL,
        url TEXT,
        title TEXT NOT NULL,
        outlet TEXT,
        published TEXT,
        language TEXT,
        text TEXT NOT NULL,
        data TEXT NOT NULL,
        ingested_at TEXT NOT NULL
    );
    CREATE INDEX articles_published ON articles(published);
    CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, text, content='articles', content_rowid='seq', tokenize='unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
    END;
    CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.seq, old.title, old.text);
    END;
    CREATE TRIGGER articles_au AFTER UPDATE OF title, text ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.seq, old.title, old.text);
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
    END;
    CREATE TABLE ingest_log (
        source TEXT NOT NULL,
        article_id TEXT,
        status TEXT NOT NULL,
        reason TEXT,
        at TEXT NOT NULL
    );
    """,
    # 2: entities per article, vectors, events, storylines, learned state
    """
    CREATE TABLE article_entities (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        entity_id TEXT NOT NULL,
        name TEXT NOT NULL,
        type TEXT NOT NULL,
        aliases TEXT NOT NULL,
        salience REAL NOT NULL,
        mentions INTEGER NOT NULL,
        PRIMARY KEY (article_id, entity_id)
    );
    CREATE INDEX article_entities_entity ON article_entities(entity_id);
    CREATE TABLE vectors (
        article_id TEXT NOT NULL,
        encoder TEXT NOT NULL,
        dim INTEGER NOT NULL,
        vector BLOB NOT NULL,
        PRIMARY KEY (article_id, encoder)
    );
    CREATE TABLE events (
        id TEXT PRIMARY KEY,
        date TEXT,
        data TEXT NOT NULL
    );
    CREATE INDEX events_date ON events(date);
    CREATE TABLE storylines (
        id TEXT PRIMARY KEY,
        data TEXT NOT NULL
    );
    CREATE TABLE state (
        name TEXT PRIMARY KEY,
        data BLOB NOT NULL
    );
    """,
    # 3: the raw input in a column of its own, compressed (rows written from now on keep it,
    # and the fields that have columns, out of their JSON; older rows are read as they are)
    """
    ALTER TABLE articles ADD COLUMN raw BLOB;
    """,
    # 4: line fingerprints per page and source, and the templates learned from them
    """
    CREATE TABLE page_sources (
        article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        source TEXT NOT NULL
    );
    CREATE TABLE page_lines (
        source TEXT NOT NULL,
        fingerprint INTEGER NOT NULL,
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        kept INTEGER NOT NULL,
        PRIMARY KEY (source, fingerprint, article_id)
    ) WITHOUT ROWID;
    CREATE INDEX page_lines_article ON page_lines(article_id);
    CREATE INDEX page_lines_kept ON page_lines(source, fingerprint) WHERE kept = 1;
    CREATE TABLE templates (
        source TEXT NOT NULL,
        fingerprint INTEGER NOT NULL,
        pages INTEGER NOT NULL,
        line TEXT NOT NULL,
        learned_at TEXT NOT NULL,
        PRIMARY KEY (source, fingerprint)
    ) WITHOUT ROWID;
    """,
    # 5: event members by article; the event clusterer's learned state and the copy index as
    # one row per article, event, term and LSH bucket (ROW_TABLES), so an update reads and
    # writes only what it touches
    """
    CREATE TABLE event_members (
        article_id TEXT PRIMARY KEY,
        event_id TEXT NOT NULL,
        position INTEGER NOT NULL
    );
    CREATE INDEX event_members_event ON event_members(event_id, position);
    ALTER TABLE events ADD COLUMN size INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE cluster_articles (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
    CREATE TABLE cluster_events (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
    CREATE TABLE cluster_assignment (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
    CREATE TABLE cluster_terms (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
    CREATE TABLE cluster_postings (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
    CREATE TABLE dedup_buckets (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
    CREATE TABLE dedup_copies (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
    DELETE FROM state WHERE name = 'event_clusterer';
    """,
    # 6: member rows and sizes for events written before migration 5, which created the member
    # table empty (pages and `storyline check` read membership from it)
    """
    INSERT OR IGNORE INTO event_members(article_id, event_id, position)
        SELECT json_extract(member.value, '$.article_id'), events.id, member.key
        FROM events, json_each(events.data, '$.members') AS member
        WHERE NOT EXISTS (SELECT 1 FROM event_members WHERE event_members.event_id = events.id);
    UPDATE events SET size = json_array_length(data, '$.members') WHERE size = 0;
    """,
    # 7: what storyline linking needs of each event (its profile, its entities by date) and the
    # storyline of each event, so an update relinks only the storylines its events touch
    """
    CREATE TABLE event_profiles (
        event_id TEXT PRIMARY KEY,
        data TEXT NOT NULL
    );
    CREATE TABLE event_entities (
        entity_id TEXT NOT NULL,
        event_id TEXT NOT NULL,
        sort_date TEXT NOT NULL,
        PRIMARY KEY (entity_id, event_id)
    ) WITHOUT ROWID;
    CREATE INDEX event_entities_date ON event_entities(entity_id, sort_date);
    CREATE INDEX event_entities_event ON event_entities(event_id);
    CREATE TABLE storyline_events (
        event_id TEXT PRIMARY KEY,
        storyline_id TEXT NOT NULL
    );
    CREATE INDEX storyline_events_storyline ON storyline_events(storyline_id);
    INSERT OR IGNORE INTO storyline_events(event_id, storyline_id)
        SELECT event.value, storylines.id FROM storylines, json_each(storylines.data, '$.events')
        AS event;
    """,
    # 8: each event's brief, built when the event changes (`key`: the event record it was built
    # from, so a stale brief is never served)
    """
    CREATE TABLE event_briefs (
        event_id TEXT PRIMARY KEY,
        key TEXT NOT NULL,
        data TEXT NOT NULL
    );
    """,
    # 9: `storyline watch` state (storyline.store.watch): each feed's conditional-GET validators
    # and health, each feed item and watched file with its progress, so a stopped or killed
    # watcher resumes where it was
    """
    CREATE TABLE watch_feeds (
        url TEXT PRIMARY KEY,
        etag TEXT,
        last_modified TEXT,
        last_poll TEXT,
        last_success TEXT,
        last_error TEXT,
        errors INTEGER NOT NULL DEFAULT 0,
        failures_in_row INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE watch_items (
        key TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        origin TEXT NOT NULL,
        location TEXT NOT NULL,
        meta TEXT NOT NULL,
        status TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt REAL NOT NULL DEFAULT 0,
        last_error TEXT,
        article_ids TEXT,
        size INTEGER,
        mtime_ns INTEGER,
        digest TEXT,
        added_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX watch_items_due ON watch_items(status, next_attempt);
    """,
    # 10: the clusterer's vector index as segment files beside the database (storyline.events.ann):
    # its keys and manifest are rows; the one-blob index is dropped, so the next update rebuilds.
    # (Landed after 9 but merged in before it for a few minutes: IF NOT EXISTS lets a store
    # written then, which applied it as 9, take this step again.)
    """
    CREATE TABLE IF NOT EXISTS ann_keys (
        key INTEGER PRIMARY KEY,
        article_id TEXT NOT NULL,
        removed INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX IF NOT EXISTS ann_keys_article ON ann_keys(article_id) WHERE removed = 0;
    CREATE TABLE IF NOT EXISTS ann_segments (
        name TEXT PRIMARY KEY,
        level INTEGER NOT NULL,
        first_key INTEGER NOT NULL,
        last_key INTEGER NOT NULL
    );
    DELETE FROM state WHERE name IN ('event_clusterer', 'event_clusterer_index',
                                     'event_clusterer_index_ids');
    """,    # 11: entity, entity-per-language, alias and outlet-per-language counts, kept by triggers as
    # articles and their entities are written, so listings read counts instead of grouping every
    # mention; '' stands for no language or outlet (key columns cannot hold NULL)
    """
    CREATE TABLE entities (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        type TEXT NOT NULL,
        articles INTEGER NOT NULL,
        mentions INTEGER NOT NULL
    );
    CREATE INDEX entities_rank ON entities(articles DESC, mentions DESC, id);
    CREATE INDEX entities_type_rank ON entities(type, articles DESC, mentions DESC, id);
    CREATE INDEX entities_folded_name ON entities(lower(name));
    CREATE TABLE entity_languages (
        language TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        articles INTEGER NOT NULL,
        mentions INTEGER NOT NULL,
        PRIMARY KEY (language, entity_id)
    ) WITHOUT ROWID;
    CREATE INDEX entity_languages_rank
        ON entity_languages(language, articles DESC, mentions DESC, entity_id);
    CREATE TABLE entity_aliases (
        entity_id TEXT NOT NULL,
        alias TEXT NOT NULL,
        articles INTEGER NOT NULL,
        PRIMARY KEY (entity_id, alias)
    ) WITHOUT ROWID;
    CREATE INDEX entity_aliases_folded ON entity_aliases(lower(alias));
    CREATE TABLE outlet_languages (
        outlet TEXT NOT NULL,
        language TEXT NOT NULL,
        articles INTEGER NOT NULL,
        PRIMARY KEY (outlet, language)
    ) WITHOUT ROWID;
    CREATE INDEX articles_outlet ON articles(outlet, published);
    INSERT INTO entities(id, name, type, articles, mentions)
        SELECT entity_id, MAX(name), MAX(type), COUNT(*), SUM(mentions) FROM article_entities
        GROUP BY entity_id;
    INSERT INTO entity_languages(language, entity_id, articles, mentions)
        SELECT COALESCE(a.language, ''), e.entity_id, COUNT(*), SUM(e.mentions)
        FROM article_entities e JOIN articles a ON a.id = e.article_id
        GROUP BY COALESCE(a.language, ''), e.entity_id;
    INSERT INTO entity_aliases(entity_id, alias, articles)
        SELECT e.entity_id, alias.value, COUNT(*) FROM article_entities e, json_each(e.aliases) AS alias
        GROUP BY e.entity_id, alias.value;
    INSERT INTO outlet_languages(outlet, language, articles)
        SELECT COALESCE(outlet, ''), COALESCE(language, ''), COUNT(*) FROM articles
        GROUP BY COALESCE(outlet, ''), COALESCE(language, '');
    """ + _ENTITY_COUNT_TRIGGERS + """
    CREATE TRIGGER articles_outlet_counted AFTER INSERT ON articles BEGIN
        INSERT INTO outlet_languages(outlet, language, articles)
            VALUES (COALESCE(new.outlet, ''), COALESCE(new.language, ''), 1)
            ON CONFLICT(outlet, language) DO UPDATE SET articles = articles + 1;
    END;
    CREATE TRIGGER articles_outlet_uncounted AFTER DELETE ON articles BEGIN
        UPDATE outlet_languages SET articles = articles - 1
            WHERE outlet = COALESCE(old.outlet, '') AND language = COALESCE(old.language, '');
        DELETE FROM outlet_languages WHERE articles <= 0;
    END;
    CREATE TRIGGER articles_outlet_moved AFTER UPDATE OF outlet, language ON articles BEGIN
        UPDATE outlet_languages SET articles = articles - 1
            WHERE outlet = COALESCE(old.outlet, '') AND language = COALESCE(old.language, '');
        DELETE FROM outlet_languages WHERE articles <= 0;
        INSERT INTO outlet_languages(outlet, language, articles)
            VALUES (COALESCE(new.outlet, ''), COALESCE(new.language, ''), 1)
            ON CONFLICT(outlet, language) DO UPDATE SET articles = articles + 1;
    END;
    """,
    # 12: the claim encoder's vectors of each article's leading candidate sentences, encoded once
    # at ingest (on the workers) so a brief reads them instead of encoding its members again;
    # `sentences` = JSON list of sentence indexes, `vectors` = `pack_rows` of their vectors
    """
    CREATE TABLE IF NOT EXISTS sentence_vectors (
        article_id TEXT NOT NULL,
        encoder TEXT NOT NULL,
        sentences TEXT NOT NULL,
        vectors BLOB NOT NULL,
        PRIMARY KEY (article_id, encoder)
    );
    """,
    # 13: tables laid out for their rows' size. The clusterer's article rows (1-4 KB) in a rowid
    # table: in a WITHOUT ROWID table a row over about 1 KB spills to an overflow page of its
    # own, left mostly empty (2.9 KB of pages for 1.3 KB of rows per article). The entities of
    # each article WITHOUT ROWID: their rows are small, and the rowid table kept a second copy
    # of every key in its primary-key index (0.5 KB per article).
    """
    CREATE TABLE cluster_articles_sized (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    INSERT INTO cluster_articles_sized(key, value) SELECT key, value FROM cluster_articles;
    DROP TABLE cluster_articles;
    ALTER TABLE cluster_articles_sized RENAME TO cluster_articles;
    DROP TRIGGER article_entities_counted;
    DROP TRIGGER article_entities_uncounted;
    CREATE TABLE article_entities_sized (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        entity_id TEXT NOT NULL,
        name TEXT NOT NULL,
        type TEXT NOT NULL,
        aliases TEXT NOT NULL,
        salience REAL NOT NULL,
        mentions INTEGER NOT NULL,
        PRIMARY KEY (article_id, entity_id)
    ) WITHOUT ROWID;
    INSERT INTO article_entities_sized SELECT article_id, entity_id, name, type, aliases,
        salience, mentions FROM article_entities
        WHERE article_id IN (SELECT id FROM articles);
    DROP TABLE article_entities;
    ALTER TABLE article_entities_sized RENAME TO article_entities;
    CREATE INDEX article_entities_entity ON article_entities(entity_id);
    """ + _ENTITY_COUNT_TRIGGERS,
    # 14: no index of kept page lines: the queries that filter on `kept` search the primary key
    # (source, fingerprint) or the article index and read `kept` from the row; the partial index
    # was never chosen and cost 0.7 KB per article
    """
    DROP INDEX IF EXISTS page_lines_kept;
    """,
    # 15: each article's publisher (`clean.outlet.publisher_key`: the agency whose copy it
    # carries, else its outlet, …), which event lists count independent outlets by as briefs
    # do, read from the text of every stored article.
    lambda conn: _add_publishers(conn),  # defined below
    # 16: vectors that are mostly zeros (the fast profile's hashed TF-IDF: about 40 non-zero
    # entries of 8,192) stored as their entries (`sparse` = 1), those stored compressed before
    # rewritten so
    lambda conn: _sparse_vectors(conn),  # defined below
    # 17: article texts stored compressed (4.1 -> 1.9 KB an article of the scale stream); the
    # full-text index reads them through a view that decompresses (`plain_text`), and is
    # rebuilt over it
    lambda conn: _compress_texts(conn),  # defined below
    # 18: an article's entities only in `article_entities` (with their order), no longer also in
    # the article's JSON (0.6 KB an article of the scale stream, compressed)
    lambda conn: _entities_once(conn),  # defined below
    # 19: page lines name their template source by number (`page_source_numbers`), not by its
    # text in every line's row and in the article index (0.6 KB an article of the scale stream)
    lambda conn: _number_page_sources(conn),  # defined below
    # 20: event lists read in their order from an index that also holds their sizes (the newest
    # page and its totals without sorting the events or reading their records); an entity's
    # articles by salience from an index
    """
    CREATE INDEX IF NOT EXISTS events_listing ON events(date IS NULL, date DESC, id, size);
    CREATE INDEX IF NOT EXISTS events_by_size ON events(size DESC, date IS NULL, date DESC, id);
    CREATE INDEX IF NOT EXISTS article_entities_salience
        ON article_entities(entity_id, salience DESC);
    DROP INDEX IF EXISTS article_entities_entity;
    """,
    # 21: LSH bucket keys "band:hex" written "band.base64" (`events.dedup.bucket_key`: 8
    # characters fewer in each of an article's 35 bucket rows)
    lambda conn: _base64_bucket_keys(conn),  # defined below
    # 22: what event lists filter and count by, kept by triggers as events are written: each
    # event's languages, outlets and entities as rows (`event_facets`), so a filtered list seeks
    # its events by index instead of reading the JSON of every event; and how many events there
    # are of each facet value, datedness and size (`event_counts`; facet '' counts every event),
    # so a list's totals sum a few counts instead of counting its events
    _EVENT_FACETS,
    # 23: entities numbered (`number`: rowids that VACUUM keeps) and their names in a trigram
    # full-text index (`entity_names`), so the entity list's name filter (a piece of a name
    # anywhere in it) seeks the names holding its trigrams instead of reading every name
    lambda conn: _numbered_entities(conn),  # defined below
    # 24: how many independent outlets report each event (`_INDEPENDENT_OUTLETS`) in a column
    # of its own, set by a trigger when the event is written, with an index in that order: the
    # 'outlets' order computed it for every event of a list to sort them
    lambda conn: _independent_outlets_column(conn),  # defined below
    # 25: how many entities there are of each type and seen in each language, kept by triggers
    # as entities come and go: the entity list's total and its type choices counted every
    # entity (an index entry each) on every request
    _ENTITY_KIND_COUNTS,
    # 26: each event's storyline link (the earlier event it joined or NULL, the score, the
    # shared entities with their names, and the store size at which to decide it again), so an
    # update re-decides only the links its events can change and rebuilds only the storylines
    # whose links changed; and the events whose theme names each term, so the theme weights it
    # scores with are a full relink's. Filled by the next update's full relink (`events.relink`)
    """
    CREATE TABLE IF NOT EXISTS storyline_links (
        event_id TEXT PRIMARY KEY,
        earlier TEXT,
        score REAL,
        shared TEXT NOT NULL,
        recheck INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS storyline_links_earlier ON storyline_links(earlier);
    CREATE INDEX IF NOT EXISTS storyline_links_recheck ON storyline_links(recheck);
    CREATE TABLE IF NOT EXISTS storyline_theme_terms (
        term TEXT PRIMARY KEY,
        events INTEGER NOT NULL
    ) WITHOUT ROWID;
    """,
    # 27: the entity rows of articles counted by the store when the transaction writing them
    # commits, summed over its articles (`_EntityCounts`), instead of by a trigger row by row:
    # an entity named in several articles of an ingest's group is counted in one write, and its
    # indexed counts rewritten once (the trigger was half of storing an article). The trigger
    # uncounting removed rows stays.
    "DROP TRIGGER IF EXISTS article_entities_counted;",
]
# Key -> JSON text tables holding learned state row by row (see `Store.get_rows`).
ROW_TABLES = frozenset({"cluster_articles", "cluster_events", "cluster_assignment",
                        "cluster_terms", "cluster_postings", "dedup_buckets", "dedup_copies"})

SCHEMA_VERSION = len(MIGRATIONS)

# How many independent publishers report an event, counted as a brief counts them
# (`summarize.corroboration.publishers`): a copy counts for the report it copies, every other
# report for its stored publisher (an agency's updates and reprints once); a report that names
# none takes the publisher its copies name (the smallest), else counts alone.
_MEMBER_ORIGIN = ("coalesce(json_extract(member.value, '$.copy_of'),"
                  " json_extract(member.value, '$.article_id'))")
_INDEPENDENT_OUTLETS = f"""(
    SELECT COUNT(DISTINCT coalesce(origin.publisher, (
            SELECT min(copy.publisher) FROM json_each(events.data, '$.members') AS sibling
            JOIN articles AS copy ON copy.id = json_extract(sibling.value, '$.article_id')
            WHERE json_extract(sibling.value, '$.copy_of') = {_MEMBER_ORIGIN}),
        'article:' || {_MEMBER_ORIGIN}))
    FROM json_each(events.data, '$.members') AS member
    LEFT JOIN articles AS origin ON origin.id = {_MEMBER_ORIGIN})"""

# Full-text search ranks the matches among this many most recently stored articles.
RANKED_MATCHES = 1000

# The orders `find_events` knows, by name.
_EVENT_ORDER_BY = {
    "date": "date IS NULL, date DESC, id",
    "size": "size DESC, date IS NULL, date DESC, id",
    "outlets": "independent DESC, date IS NULL, date DESC, id",
}
EVENT_ORDERS = tuple(_EVENT_ORDER_BY)
# The index each order reads events in.
_EVENT_ORDER_INDEX = {"date": "events_listing", "size": "events_by_size",
                      "outlets": "events_by_outlets"}
# An event with one of these values of a facet (`event_facets`, migration 22).
_HAS_FACET = ("id IN (SELECT event_id FROM event_facets WHERE facet = '{facet}'"
              " AND value IN ({values}))")


# Bytes the WAL file is cut back to after a checkpoint.
WAL_SIZE_LIMIT = 8 * 1024 * 1024
# Idle read connections a store keeps for its next snapshots (one is in use per thread reading
# in a snapshot; the server runs a handful of such threads at once).
READERS_KEPT = 8


class StoreError(Exception):
    pass


@dataclass(frozen=True)
class EventFilter:
    """Which events a listing shows; None (or 1 for `min_articles`) means no condition."""

    date_from: str | None = None
    date_to: str | None = None
    language: str | None = None
    outlet: str | None = None
    # Any of these entity ids (a name may resolve to several); an empty set matches nothing.
    entity_ids: frozenset[str] | None = None
    min_articles: int = 1
    dated: bool | None = None

    def sql(self) -> tuple[list[str], list[Any]]:
        conditions: list[str] = []
        params: list[Any] = []
        if self.date_from:
            conditions.append("date >= ?")
            params.append(self.date_from)
        if self.date_to:
            # A bare day bound includes events dated later that day with a time.
            conditions.append("date <= ?")
            params.append(self.date_to + "\uffff")
        if self.dated is not None:
            conditions.append("date IS NOT NULL" if self.dated else "date IS NULL")
        if self.language:
            conditions.append(_HAS_FACET.format(facet="language", values="?"))
            params.append(self.language)
        if self.outlet:
            conditions.append(_HAS_FACET.format(facet="outlet", values="lower(?)"))
            params.append(self.outlet)
        if self.entity_ids is not None:
            marks = ",".join("?" * len(self.entity_ids)) or "NULL"
            conditions.append(_HAS_FACET.format(facet="entity", values=marks))
            params.extend(sorted(self.entity_ids))
        if self.min_articles > 1:
            conditions.append("size >= ?")
            params.append(self.min_articles)
        return conditions, params

    def facets(self) -> list[tuple[str, str, list[str]]]:
        """(facet, SQL of the values matched, their parameters) of each facet condition."""
        facets = []
        if self.language:
            facets.append(("language", "?", [self.language]))
        if self.outlet:
            facets.append(("outlet", "lower(?)", [self.outlet]))
        if self.entity_ids is not None:
            facets.append(("entity", ",".join("?" * len(self.entity_ids)) or "NULL",
                           sorted(self.entity_ids)))
        return facets

    def counted(self) -> tuple[str, list[Any]] | None:
        """WHERE clause and parameters over `event_counts` that count the events matching this
        filter, or None when the counts kept cannot (a date range; two facets, or one entity
        name that stands for several ids: an event may have more than one)."""
        facets = self.facets()
        if self.date_from or self.date_to or len(facets) > 1:
            return None
        facet, value, params = facets[0] if facets else ("", "?", [""])
        if len(params) != 1:
            return None
        clause = f"facet = ? AND value = {value} AND size >= ?"
        counted: list[Any] = [facet, *params, self.min_articles]
        if self.dated is not None:
            clause += " AND dated = ?"
            counted.append(int(self.dated))
        return clause, counted


# Article fields with a column of their own: the JSON in `data` leaves them out, so no field is
# stored twice. The raw input (what `reclean` re-cleans) is zlib-compressed in `raw` against the
# title and text (`_packed_raw`); a sentence is stored as its [start, end] offsets into the text.
_COLUMN_FIELDS = ("id", "source", "url", "title", "outlet", "published", "language", "text",
                  "ingested_at")
# The article's fields its `data` JSON holds, in the article's order: not those with a column,
# the raw input (a column too) or the entities (rows of their own, `article_entities`).
_DATA_FIELDS = tuple(f.name for f in fields(Article)
                     if f.name not in (*_COLUMN_FIELDS, "raw", "entities"))
# zlib's window, and the FDICT bit of its header (RFC 1950): set when a stream was compressed
# against a preset dictionary.
_ZLIB_WINDOW = 32768
_ZLIB_PRESET_DICTIONARY = 0x20
# The number page lines store for a template source (bound as a parameter).
_SOURCE_NUMBER = "(SELECT number FROM page_source_numbers WHERE source=?)"
_ARTICLE_SELECT = f"SELECT {', '.join(_COLUMN_FIELDS)}, raw, data FROM articles"
# Articles built from rows at a time (one query for their entities): what a long read holds
# of them at once.
_ARTICLES_READ = 500


def _article_columns(article: Article) -> tuple[str | bytes | None, ...]:
    """The article's columns and its JSON, in the order both INSERT and UPDATE name them
    (source, url, title, outlet, published, language, text, raw, data, publisher)."""
    # Here, not at the top: the cleaner's package costs seconds to import, and commands that
    # only read the store never write an article.
    from storyline.clean.outlet import publisher_key

    return (
        article.source,
        article.url,
        article.title,
        article.outlet,
        article.published,
        article.language,
        _packed_text(article.text),
        _packed_raw(article),
        _article_data(article),
        publisher_key(article),
    )


def _article_data(article: Article) -> bytes:
    """The `data` column: the article's fields that have no column of their own, as JSON,
    compressed (entities and sentence offsets repeat their keys: 4.7 -> 1.6 KB a Timeline17
    article); older rows hold the JSON text, which still reads."""
    data = {}
    for name in _DATA_FIELDS:
        if name == "sentences":  # offsets into the text, unless a sentence is not its slice
            data[name] = [[s.start, s.end] if article.text[s.start : s.end] == s.text
                          else asdict(s) for s in article.sentences]
        else:
            data[name] = plain(getattr(article, name))
    return _packed_json(data)


def _add_publishers(conn: sqlite3.Connection) -> None:
    """Migration 15: the `publisher` column (unless a store replaying its migrations has it),
    filled for every stored article from its text."""
    from storyline.clean.outlet import publisher_key

    if "publisher" not in {row[1] for row in conn.execute("PRAGMA table_info(articles)")}:
        conn.execute("ALTER TABLE articles ADD COLUMN publisher TEXT")
    conn.executemany(
        "UPDATE articles SET publisher=? WHERE id=?",
        [(publisher_key(_article_from_row(row)), row["id"])
         for row in conn.execute(_ARTICLE_SELECT).fetchall()],
    )


def _sparse_vectors(conn: sqlite3.Connection) -> None:
    """Migration 16: the `sparse` column of `vectors` (unless a store replaying its migrations
    has it), and every compressed vector that is sparse enough rewritten as its entries (the
    same values: both forms are float16)."""
    if "sparse" not in {row[1] for row in conn.execute("PRAGMA table_info(vectors)")}:
        conn.execute("ALTER TABLE vectors ADD COLUMN sparse INTEGER NOT NULL DEFAULT 0")
    last = 0
    while rows := conn.execute(
        # Compressed rows only (float16 already; float32 rows of old stores keep their values)
        "SELECT rowid, dim, vector FROM vectors WHERE rowid > ? AND sparse = 0"
        " AND length(vector) NOT IN (2 * dim, 4 * dim) ORDER BY rowid LIMIT 1000", (last,)
    ).fetchall():
        last = rows[-1][0]
        rewritten = [(*_packed(_stored_vector(bytes(vector), dim, 0, held=True)), rowid)
                     for rowid, dim, vector in rows]
        conn.executemany("UPDATE vectors SET vector = ?, sparse = ? WHERE rowid = ?",
                         [row for row in rewritten if row[1]])


# The full-text index over the articles' plain texts (migration 17): its content is a view,
# since the `text` column holds them compressed.
_FULL_TEXT_OVER_PLAIN = """
    CREATE VIEW articles_plain(seq, title, text) AS
        SELECT seq, title, plain_text(text) FROM articles;
    CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, text, content='articles_plain', content_rowid='seq',
        tokenize='unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, text)
        VALUES (new.seq, new.title, plain_text(new.text));
    END;
    CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.seq, old.title, plain_text(old.text));
    END;
    CREATE TRIGGER articles_au AFTER UPDATE OF title, text ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.seq, old.title, plain_text(old.text));
        INSERT INTO articles_fts(rowid, title, text)
        VALUES (new.seq, new.title, plain_text(new.text));
    END;
    INSERT INTO articles_fts(articles_fts) VALUES ('rebuild');
"""


def _compress_texts(conn: sqlite3.Connection) -> None:
    """Migration 17: every article's text compressed, and the full-text index made again over
    the view of the plain texts (its triggers first: they would index the compressed bytes)."""
    for statement in ("DROP TRIGGER IF EXISTS articles_ai", "DROP TRIGGER IF EXISTS articles_ad",
                      "DROP TRIGGER IF EXISTS articles_au", "DROP TABLE IF EXISTS articles_fts",
                      "DROP VIEW IF EXISTS articles_plain"):
        conn.execute(statement)
    last = 0
    while rows := conn.execute(
        "SELECT seq, text FROM articles WHERE seq > ? ORDER BY seq LIMIT 1000", (last,)
    ).fetchall():
        last = rows[-1][0]
        conn.executemany("UPDATE articles SET text = ? WHERE seq = ?",
                         [(_packed_text(text), seq) for seq, text in rows
                          if isinstance(text, str)])
    for statement in _split_sql(_FULL_TEXT_OVER_PLAIN):
        conn.execute(statement)


def _entities_once(conn: sqlite3.Connection) -> None:
    """Migration 18: the `position` of each entity row (its place in the article's list, as
    the article's JSON held it), then the JSON without its entities."""
    if "position" not in {row[1] for row in conn.execute("PRAGMA table_info(article_entities)")}:
        conn.execute("ALTER TABLE article_entities ADD COLUMN position INTEGER NOT NULL DEFAULT 0")
    last = 0
    while rows := conn.execute(
        "SELECT seq, id, data FROM articles WHERE seq > ? ORDER BY seq LIMIT 500", (last,)
    ).fetchall():
        last = rows[-1][0]
        for _, article_id, packed in rows:
            data = _unpacked_json(packed)
            entities = data.pop("entities", None)
            if entities is None:
                continue
            conn.executemany(
                "UPDATE article_entities SET position = ? WHERE article_id = ? AND entity_id = ?",
                [(position, article_id, entity["id"]) for position, entity in enumerate(entities)])
            conn.execute("UPDATE articles SET data = ? WHERE id = ?",
                         (_packed_json(data), article_id))


_NUMBERED_PAGE_LINES = """
    CREATE TABLE page_source_numbers (
        number INTEGER PRIMARY KEY,
        source TEXT NOT NULL UNIQUE
    );
    INSERT INTO page_source_numbers(source) SELECT DISTINCT source FROM page_lines ORDER BY source;
    CREATE TABLE page_lines_numbered (
        source_number INTEGER NOT NULL,
        fingerprint INTEGER NOT NULL,
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        kept INTEGER NOT NULL,
        PRIMARY KEY (source_number, fingerprint, article_id)
    ) WITHOUT ROWID;
    INSERT INTO page_lines_numbered(source_number, fingerprint, article_id, kept)
        SELECT n.number, p.fingerprint, p.article_id, p.kept
        FROM page_lines p JOIN page_source_numbers n ON n.source = p.source;
    DROP TABLE page_lines;
    ALTER TABLE page_lines_numbered RENAME TO page_lines;
    CREATE INDEX page_lines_article ON page_lines(article_id);
"""


def _number_page_sources(conn: sqlite3.Connection) -> None:
    """Migration 19 (unless a store replaying its migrations has numbered lines already)."""
    if "source" in {row[1] for row in conn.execute("PRAGMA table_info(page_lines)")}:
        for statement in _split_sql(_NUMBERED_PAGE_LINES):
            conn.execute(statement)


def _base64_bucket_keys(conn: sqlite3.Connection) -> None:
    """Migration 21: every "band:hex" key of `dedup_buckets` as "band.base64" (the same bytes;
    keys written so already, with no colon, are left as they are)."""
    import base64

    def rewritten(key: str) -> str:
        band, values = key.split(":", 1)
        return f"{band}.{base64.b64encode(bytes.fromhex(values)).decode('ascii')}"

    conn.create_function("base64_bucket_key", 1, rewritten, deterministic=True)
    conn.execute("UPDATE dedup_buckets SET key = base64_bucket_key(key) WHERE key LIKE '%:%'")


_NUMBERED_ENTITIES = """
    CREATE TABLE entities_numbered (
        number INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        type TEXT NOT NULL,
        articles INTEGER NOT NULL,
        mentions INTEGER NOT NULL
    );
    INSERT INTO entities_numbered(id, name, type, articles, mentions)
        SELECT id, name, type, articles, mentions FROM entities ORDER BY id;
    DROP TABLE entities;
    ALTER TABLE entities_numbered RENAME TO entities;
    DROP TABLE IF EXISTS entity_names;
    CREATE INDEX entities_rank ON entities(articles DESC, mentions DESC, id);
    CREATE INDEX entities_type_rank ON entities(type, articles DESC, mentions DESC, id);
    CREATE INDEX entities_folded_name ON entities(lower(name));
    CREATE VIRTUAL TABLE entity_names USING fts5(
        name, content='entities', content_rowid='number', tokenize='trigram'
    );
    INSERT INTO entity_names(entity_names) VALUES ('rebuild');
    CREATE TRIGGER entities_named AFTER INSERT ON entities BEGIN
        INSERT INTO entity_names(rowid, name) VALUES (new.number, new.name);
    END;
    CREATE TRIGGER entities_unnamed AFTER DELETE ON entities BEGIN
        INSERT INTO entity_names(entity_names, rowid, name) VALUES ('delete', old.number, old.name);
    END;
    CREATE TRIGGER entities_renamed AFTER UPDATE OF name ON entities
        WHEN old.name IS NOT new.name BEGIN
        INSERT INTO entity_names(entity_names, rowid, name) VALUES ('delete', old.number, old.name);
        INSERT INTO entity_names(rowid, name) VALUES (new.number, new.name);
    END;
"""


def _numbered_entities(conn: sqlite3.Connection) -> None:
    """Migration 23: the entity table made again with an integer key (the rowid a full-text
    index refers to; VACUUM may renumber the rowids of a table without one), its name index
    built. The count triggers go first and come back after: renaming a table checks every
    trigger naming it."""
    conn.execute("DROP TRIGGER IF EXISTS article_entities_counted")
    conn.execute("DROP TRIGGER IF EXISTS article_entities_uncounted")
    conn.execute("DROP TABLE IF EXISTS entities_numbered")
    for statement in _split_sql(_NUMBERED_ENTITIES + _ENTITY_COUNT_TRIGGERS):
        conn.execute(statement)


def _independent_outlets_column(conn: sqlite3.Connection) -> None:
    """Migration 24: the `independent` column of `events` (unless a store replaying its
    migrations has it), filled, its index, and the triggers that set it as events and their
    members' publishers are written."""
    if "independent" not in {row[1] for row in conn.execute("PRAGMA table_info(events)")}:
        conn.execute("ALTER TABLE events ADD COLUMN independent INTEGER NOT NULL DEFAULT 0")
    conn.execute(f"UPDATE events SET independent = {_INDEPENDENT_OUTLETS}")
    conn.execute("CREATE INDEX IF NOT EXISTS events_by_outlets"
                 " ON events(independent DESC, date IS NULL, date DESC, id)")
    recount = f"UPDATE events SET independent = {_INDEPENDENT_OUTLETS} WHERE id = "
    holder = "(SELECT event_id FROM event_members WHERE article_id = new.id)"
    for name, when, which in (
            ("events_outlets_counted", "AFTER INSERT ON events", "new.id"),
            # A member's publisher read again (re-cleaned), or stored after its event.
            ("articles_outlets_recounted", "AFTER UPDATE OF publisher ON articles", holder),
            ("articles_outlets_counted", "AFTER INSERT ON articles", holder)):
        conn.execute(f"DROP TRIGGER IF EXISTS {name}")
        conn.execute(f"CREATE TRIGGER {name} {when} BEGIN {recount}{which}; END")


def _packed_text(text: str) -> bytes:
    return zlib.compress(text.encode("utf-8"))


def plain_text(value: str | bytes) -> str:
    """An article's `text` column as text: rows written before migration 17 hold it plain."""
    return zlib.decompress(value).decode("utf-8") if isinstance(value, bytes) else value


def with_functions(conn: sqlite3.Connection) -> sqlite3.Connection:
    """`conn` with the SQL functions the schema uses (`plain_text`, in the view the full-text
    index reads and in its triggers): every connection to a store needs them."""
    conn.create_function("plain_text", 1, plain_text, deterministic=True)
    return conn


def _article_from_row(row: sqlite3.Row, entities: list[dict[str, Any]] | None = None,
                      raw: bool = True) -> Article:
    """Rebuild an article from its columns, its JSON and its `entities` rows (rows written
    before migration 3 carry every field in their JSON, which then wins; before migration 18,
    the entities too); without `raw`, its raw input is left empty."""
    data = _unpacked_json(row["data"])
    data.setdefault("entities", entities or [])
    for name in _COLUMN_FIELDS:
        data.setdefault(name, row[name])
    text = data["text"] = plain_text(data["text"])
    if "raw" not in data:
        data["raw"] = _unpacked_raw(row["raw"], data["title"], text) if raw else ""
    data["sentences"] = [
        {"text": text[item[0] : item[1]], "start": item[0], "end": item[1]}
        if isinstance(item, list) else item
        for item in data.get("sentences", [])
    ]
    return Article.from_dict(data)


def _raw_dictionary(title: str, text: str) -> bytes:
    # zlib looks back at most 32 KB: the end of the text is what it can use.
    return (title + "\n" + text).encode("utf-8")[-_ZLIB_WINDOW:]


def _packed_raw(article: Article) -> bytes | None:
    """The raw input compressed with the article's title and cleaned text as zlib's preset
    dictionary: a feed record or page repeats most of the text the `text` column already holds,
    so the raw input costs little more than what cleaning removed (2.5 KB -> 0.2 KB a feed
    record of the scale stream)."""
    if not article.raw:
        return None
    packer = zlib.compressobj(zdict=_raw_dictionary(article.title, article.text))
    return packer.compress(article.raw.encode("utf-8")) + packer.flush()


def _unpacked_raw(packed: bytes | None, title: str, text: str) -> str:
    if not packed:
        return ""
    if not packed[1] & _ZLIB_PRESET_DICTIONARY:  # written before raw inputs were packed so
        return zlib.decompress(packed).decode("utf-8")
    unpacker = zlib.decompressobj(zdict=_raw_dictionary(title, text))
    return (unpacker.decompress(packed) + unpacker.flush()).decode("utf-8")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Store:
    """An embedded article/event store in one SQLite file."""

    def __init__(self, path: str | Path = "storyline.db",
                 busy_timeout: float = DEFAULT_BUSY_TIMEOUT) -> None:
        """`busy_timeout`: seconds a write waits for another connection's write before
        sqlite3.OperationalError "database is locked" (default `DEFAULT_BUSY_TIMEOUT`, from
        settings.STORE_BUSY_TIMEOUT_SECONDS)."""
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self.busy_timeout = busy_timeout
        # Read connections of `snapshot()`, idle ones kept for the next (see there).
        self._readers: list[sqlite3.Connection] = []
        self._readers_lock = threading.Lock()
        # Entity rows this connection wrote in its open transaction, counted as it commits.
        self._uncounted = _EntityCounts()
        self._writer = with_functions(sqlite3.connect(
            str(path), check_same_thread=False, isolation_level=None, timeout=self.busy_timeout
        ))
        self._writer.row_factory = sqlite3.Row
        self._writer.execute("PRAGMA journal_mode=WAL")
        self._writer.execute("PRAGMA synchronous=NORMAL")
        # The WAL is reused, not shrunk, after a checkpoint: one large event update would
        # otherwise leave a file the size of its transaction beside the store for good.
        self._writer.execute(f"PRAGMA journal_size_limit={WAL_SIZE_LIMIT}")
        self._writer.execute("PRAGMA foreign_keys=ON")
        self._migrate()

    @property
    def conn(self) -> sqlite3.Connection:
        """The connection this store's queries go through: inside `snapshot()`, the snapshot's
        read connection; else the store's one read-write connection."""
        snapshot = _SNAPSHOT.get()
        if snapshot is not None and snapshot.store is self:
            return snapshot.connection()
        return self._writer

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Every read of this store inside the block sees it as it was at the first one, on a
        read connection of its own: a page built from several queries never shows half of a
        write, and readers never wait for the writer, for each other or for a shared
        connection (WAL mode). Writes inside the block fail (the connection is query-only).

        The block is a context (`contextvars`), not a thread: a request of the server opens it
        in its event loop task, and the worker thread running the request's handler (which
        runs in a copy of that context) reads through it. The read connection is taken at the
        first read and kept for the next snapshot (at most READERS_KEPT idle). Nested blocks
        join the outer one; an in-memory store has no second connection and reads directly."""
        outer = _SNAPSHOT.get()
        if (outer is not None and outer.store is self) or str(self.path) == ":memory:":
            yield
            return
        snapshot = _Snapshot(self)
        token = _SNAPSHOT.set(snapshot)
        try:
            yield
        finally:
            _SNAPSHOT.reset(token)
            snapshot.close()

    def _take_reader(self) -> sqlite3.Connection:
        with self._readers_lock:
            if self._readers:
                return self._readers.pop()
        reader = with_functions(sqlite3.connect(
            str(self.path), check_same_thread=False, isolation_level=None,
            timeout=self.busy_timeout))
        reader.row_factory = sqlite3.Row
        reader.execute("PRAGMA query_only=ON")
        return reader

    def _give_back(self, reader: sqlite3.Connection) -> None:
        with self._readers_lock:
            if len(self._readers) < READERS_KEPT:
                self._readers.append(reader)
                return
        reader.close()

    # -- schema -----------------------------------------------------------------------------
    def _migrate(self) -> None:
        with self._lock:
            version = self.conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"{self.path} has schema version {version}, newer than this storyline "
                    f"({SCHEMA_VERSION}); upgrade storyline"
                )
            for number in range(version, SCHEMA_VERSION):
                self.conn.execute("BEGIN IMMEDIATE")
                try:
                    # Two processes opening a new store both read version 0: the one that
                    # waited for the write lock finds the step already applied.
                    if self.conn.execute("PRAGMA user_version").fetchone()[0] > number:
                        self.conn.execute("COMMIT")
                        continue
                    step = MIGRATIONS[number]
                    # A step SQL cannot express (reading article text) is a function.
                    if callable(step):
                        step(self.conn)
                    else:
                        for statement in _split_sql(step):
                            self.conn.execute(statement)
                    self.conn.execute(f"PRAGMA user_version={number + 1}")
                    self.conn.execute("COMMIT")
                except BaseException:
                    self.conn.execute("ROLLBACK")
                    raise

    def close(self) -> None:
        with self._readers_lock:
            readers, self._readers = self._readers, []
        for reader in readers:
            reader.close()
        self._writer.close()

    def wait_for_writers(self, seconds: float) -> None:
        """Let this store's writes wait up to `seconds` for another connection's write before
        "database is locked" (`busy_timeout` keeps what the store was opened with)."""
        with self._lock:
            self._writer.execute(f"PRAGMA busy_timeout={round(seconds * 1000)}")

    def checkpoint(self) -> bool:
        """Copy every page of the WAL into the database file and cut the WAL to nothing
        (what SQLite does on its own, in steps, as the WAL grows, and when the last connection
        closes); whether it completed (False while a reader holds an older snapshot)."""
        with self._lock:
            busy, _, _ = self._writer.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        return not busy

    def backup_into(self, copy: sqlite3.Connection) -> None:
        """SQLite's online backup of the whole store into `copy`, in one step (see
        `store.safety.backup`)."""
        with self._lock:
            self.conn.backup(copy)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def transaction(self) -> _Transaction:
        return _Transaction(self)

    # -- articles ---------------------------------------------------------------------------
    def has_article(self, article_id: str) -> bool:
        row = self.conn.execute("SELECT 1 FROM articles WHERE id=?", (article_id,)).fetchone()
        return row is not None

    def add_article(self, article: Article) -> bool:
        """Insert an article; returns False (and changes nothing) when its id is already stored."""
        with self.transaction():
            if self.has_article(article.id):
                self._log(article.source, article.id, "duplicate", None)
                return False
            article.ingested_at = article.ingested_at or _now()
            self.conn.execute(
                "INSERT INTO articles(id, source, url, title, outlet, published, language, text,"
                " raw, data, publisher, ingested_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (article.id, *_article_columns(article), article.ingested_at),
            )
            self._write_entities(article)
            self._log(article.source, article.id, "new", None)
            return True

    def copy_articles(self, article_ids: Iterable[str], suffix: str) -> None:
        """Store copies of these articles under the ids `id + suffix`: their rows, entities,
        vectors and sentence vectors, copied in SQL (the counts and the full-text index kept by
        their triggers). What `bench requests` grows a store with: a copy is a real row in every
        table a read request reads, at a fraction of what storing an article costs."""
        article_ids = list(article_ids)
        columns = ("source, url, title, outlet, published, language, text, raw, data,"
                   " publisher, ingested_at")
        copies = {
            "articles": f"INSERT INTO articles(id, {columns}) SELECT id || ?, {columns}"
                        " FROM articles WHERE id IN ({})",
            "article_entities": "INSERT INTO article_entities(article_id, entity_id, name, type,"
                                " aliases, salience, mentions, position) SELECT article_id || ?,"
                                " entity_id, name, type, aliases, salience, mentions, position"
                                " FROM article_entities WHERE article_id IN ({})",
            "vectors": "INSERT INTO vectors(article_id, encoder, dim, vector, sparse)"
                       " SELECT article_id || ?, encoder, dim, vector, sparse FROM vectors"
                       " WHERE article_id IN ({})",
            "sentence_vectors": "INSERT INTO sentence_vectors(article_id, encoder, sentences,"
                                " vectors) SELECT article_id || ?, encoder, sentences, vectors"
                                " FROM sentence_vectors WHERE article_id IN ({})",
        }
        with self.transaction():
            for sql in copies.values():
                self._rows_in(sql, article_ids, suffix)
            for row in self._rows_in(
                    "SELECT a.language, e.entity_id, e.name, e.type, e.mentions, e.aliases"
                    " FROM article_entities e JOIN articles a ON a.id = e.article_id"
                    " WHERE e.article_id IN ({}) ORDER BY e.article_id, e.position",
                    [article_id + suffix for article_id in article_ids]):
                self._uncounted.add(row[0], [(*row[1:5], json.loads(row[5]))])

    def update_article(self, article: Article) -> None:
        """Replace a stored article's fields (after re-running enrichment)."""
        with self.transaction():
            # What this transaction wrote is counted before rows are uncounted (as written).
            self._uncounted.write(self.conn)
            # Entities leave first: the trigger uncounting them reads the article's old language.
            self.conn.execute("DELETE FROM article_entities WHERE article_id=?", (article.id,))
            cursor = self.conn.execute(
                "UPDATE articles SET source=?, url=?, title=?, outlet=?, published=?, language=?,"
                " text=?, raw=?, data=?, publisher=? WHERE id=?",
                (*_article_columns(article), article.id),
            )
            if cursor.rowcount == 0:
                raise KeyError(article.id)
            self._write_entities(article)

    def update_article_dates(self, articles: Iterable[Article]) -> None:
        """Store the dates an event update gave articles: `published` and the fields beside it
        in `data` (its source, confidence, reason, the resolved temporal expressions). Nothing
        else of them changed, so the text, raw input and entity rows are not written again,
        nor the full-text row `update_article`'s trigger deletes and rebuilds."""
        with self.transaction():
            for article in articles:
                cursor = self.conn.execute(
                    "UPDATE articles SET published=?, data=? WHERE id=?",
                    (article.published, _article_data(article), article.id))
                if cursor.rowcount == 0:
                    raise KeyError(article.id)

    def _write_entities(self, article: Article) -> None:
        self._uncounted.add(article.language, [
            (e.id, e.name, e.type, e.mentions, e.aliases) for e in article.entities])
        self.conn.executemany(
            "INSERT OR REPLACE INTO article_entities(article_id, entity_id, name, type, aliases,"
            " salience, mentions, position) VALUES (?,?,?,?,?,?,?,?)",
            [
                (
                    article.id,
                    e.id,
                    e.name,
                    e.type,
                    json.dumps(e.aliases, ensure_ascii=False),
                    e.salience,
                    e.mentions,
                    position,
                )
                for position, e in enumerate(article.entities)
            ],
        )

    def log_failure(self, source: str, reason: str) -> None:
        with self.transaction():
            self._log(source, None, "failed", reason)

    def _log(self, source: str, article_id: str | None, status: str, reason: str | None) -> None:
        self.conn.execute(
            "INSERT INTO ingest_log(source, article_id, status, reason, at) VALUES (?,?,?,?,?)",
            (source, article_id, status, reason, _now()),
        )

    def get_article(self, article_id: str) -> Article | None:
        row = self.conn.execute(f"{_ARTICLE_SELECT} WHERE id=?", (article_id,)).fetchone()
        return self._articles([row])[0] if row else None

    def get_articles(self, article_ids: Iterable[str], raw: bool = True) -> list[Article]:
        """Articles in the order of the ids given; unknown ids are skipped. Without `raw`,
        their raw inputs are left empty: unpacking them was a third of what loading a
        timeline's 2,000 reports cost, and pages and timelines never show them."""
        ids = list(dict.fromkeys(article_ids))
        found = {
            article.id: article
            for article in self._articles(
                self._rows_in(f"{_ARTICLE_SELECT} WHERE id IN ({{}})", ids), raw)
        }
        return [found[i] for i in ids if i in found]

    def _articles(self, rows: list[sqlite3.Row], raw: bool = True) -> list[Article]:
        """The articles of `_ARTICLE_SELECT` rows, with their entities (one query); without
        `raw`, their raw inputs are left empty."""
        entities: dict[str, list[dict[str, Any]]] = {}
        for entity in self._rows_in(
            "SELECT article_id, entity_id, name, type, aliases, salience, mentions"
            " FROM article_entities WHERE article_id IN ({}) ORDER BY article_id, position",
            [row["id"] for row in rows],
        ):
            entities.setdefault(entity["article_id"], []).append({
                "id": entity["entity_id"], "name": entity["name"], "type": entity["type"],
                "aliases": json.loads(entity["aliases"]), "salience": entity["salience"],
                "mentions": entity["mentions"]})
        return [_article_from_row(row, entities.get(row["id"]), raw) for row in rows]

    def find_article_ids(self, prefix: str) -> list[str]:
        """Ids starting with `prefix`, so users can type a short id as with git."""
        escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        rows = self.conn.execute(
            "SELECT id FROM articles WHERE id LIKE ? ESCAPE '\\' LIMIT 2", (escaped + "%",)
        )
        return [r["id"] for r in rows]

    def iter_articles(self, order: str = "ingest") -> Iterator[Article]:
        """All articles; `order` is 'ingest' or 'published' (undated last, then ingest order)."""
        order_by = {
            "ingest": "seq",
            "published": "published IS NULL, published, seq",
        }[order]
        rows = self.conn.execute(f"{_ARTICLE_SELECT} ORDER BY {order_by}").fetchall()
        for start in range(0, len(rows), _ARTICLES_READ):
            yield from self._articles(rows[start : start + _ARTICLES_READ])

    def iter_articles_after(self, seq: int, upto: int | None = None
                            ) -> Iterator[tuple[int, Article]]:
        """(seq, article) of every article stored after `seq` (and up to `upto`), in ingest
        order: what an incremental step has not seen yet, read through the primary key alone."""
        rows = self.conn.execute(
            f"SELECT seq, {_ARTICLE_SELECT.removeprefix('SELECT ')} WHERE seq > ? AND seq <= ?"
            " ORDER BY seq", (seq, sys.maxsize if upto is None else upto)).fetchall()
        for start in range(0, len(rows), _ARTICLES_READ):
            chunk = rows[start : start + _ARTICLES_READ]
            yield from zip((row["seq"] for row in chunk), self._articles(chunk), strict=True)

    def last_article_seq(self) -> int:
        return self.conn.execute("SELECT COALESCE(MAX(seq), 0) FROM articles").fetchone()[0]

    def list_articles(
        self, limit: int = 100, offset: int = 0, language: str | None = None,
        outlet: str | None = None,
    ) -> list[dict[str, Any]]:
        """Summary rows (no text) for listings."""
        where, params = _filters(language=language, outlet=outlet)
        rows = self.conn.execute(
            "SELECT id, title, outlet, published, language, source, url FROM articles"
            f"{where} ORDER BY published IS NULL, published DESC, seq DESC LIMIT ? OFFSET ?",
            (*params, limit, offset),
        )
        return [dict(r) for r in rows]

    def article_rows(self, article_ids: Iterable[str]) -> list[dict[str, Any]]:
        """Summary rows (as `list_articles` gives) of these articles, in the order given;
        unknown ids are skipped. No text is read or unpacked."""
        ids = list(dict.fromkeys(article_ids))
        found = {row["id"]: dict(row) for row in self._rows_in(
            "SELECT id, title, outlet, published, language, source, url FROM articles"
            " WHERE id IN ({})", ids)}
        return [found[i] for i in ids if i in found]

    def count_articles(self) -> int:
        """From the per-outlet counts kept on write: COUNT(*) reads an index of every article."""
        return self.conn.execute(
            "SELECT COALESCE(SUM(articles), 0) FROM outlet_languages").fetchone()[0]

    def search(
        self, query: str, limit: int = 20, offset: int = 0, marks: tuple[str, str] = ("[", "]")
    ) -> list[dict[str, Any]]:
        """Full-text search (FTS5, BM25 ranking) among the `RANKED_MATCHES` (or `limit + offset`
        when more) most recently stored articles that match: all of them in a store with fewer
        matches. The query is treated as plain words. Matched words in the snippet are wrapped
        in `marks`."""
        match = _fts_query(query)
        if not match:
            return []
        rows = self.conn.execute(
            "SELECT a.id, a.title, a.outlet, a.published, a.language, a.source, a.url,"
            " snippet(articles_fts, 1, ?, ?, ' … ', 16) AS snippet,"
            " bm25(articles_fts) AS rank"
            " FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid"
            " WHERE articles_fts MATCH ? AND articles_fts.rowid >= ?"
            " ORDER BY rank LIMIT ? OFFSET ?",
            (*marks, match, self._ranked_floor(match, max(RANKED_MATCHES, limit + offset)),
             limit, offset),
        )
        return [dict(r) for r in rows]

    def _ranked_floor(self, match: str, ranked: int) -> int:
        """The smallest rowid among the `ranked` newest matches of `match`: ranking scores
        every match it is given, so a common word would otherwise cost the whole store."""
        row = self.conn.execute(
            "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?"
            " ORDER BY rowid DESC LIMIT 1 OFFSET ?", (match, ranked - 1),
        ).fetchone()
        return row[0] if row else 0

    def search_ids(self, query: str) -> list[str]:
        """Ids of the articles `search` ranks (for counts and de-duplication), newest first."""
        match = _fts_query(query)
        if not match:
            return []
        rows = self.conn.execute(
            "SELECT a.id FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid"
            " WHERE articles_fts MATCH ? ORDER BY articles_fts.rowid DESC LIMIT ?",
            (match, RANKED_MATCHES),
        )
        return [r["id"] for r in rows]

    def events_of_articles(self, article_ids: Iterable[str]) -> dict[str, tuple[str, str]]:
        """{article id: (event id, event title)} for the given articles that are in an event."""
        rows = self._rows_in(
            "SELECT m.article_id AS article, events.id AS event,"
            " json_extract(events.data, '$.title') AS title"
            " FROM event_members m JOIN events ON events.id = m.event_id"
            " WHERE m.article_id IN ({})", article_ids,
        )
        return {row["article"]: (row["event"], row["title"]) for row in rows}

    # -- entities ---------------------------------------------------------------------------
    def list_entities(
        self, limit: int = 1000, offset: int = 0, type: str | None = None,
        language: str | None = None, name: str | None = None,
    ) -> list[dict[str, Any]]:
        """Canonical entities across the store with mention and article counts, most articles
        first; optionally of one type, seen in articles of one language, or whose name
        contains `name`. Read from the counts kept on write (one page of rows)."""
        source, where, params = _entity_listing(type, language, name)
        rows = self.conn.execute(
            f"SELECT e.id, e.name, e.type, c.articles, c.mentions FROM {source}{where}"
            " ORDER BY c.articles DESC, c.mentions DESC, e.id LIMIT ? OFFSET ?",
            (*params, limit, offset),
        ).fetchall()
        return self._with_aliases(rows)

    def count_entities(
        self, type: str | None = None, language: str | None = None, name: str | None = None
    ) -> int:
        if not name and not (type and language):
            # From the counts kept on write (`entity_kind_counts`), not one row per entity.
            kind, value = ("language", language) if language else ("type", type)
            return self.conn.execute(
                "SELECT COALESCE(SUM(entities), 0) FROM entity_kind_counts WHERE kind = ?"
                + (" AND value = ?" if value else ""), (kind, value) if value else (kind,),
            ).fetchone()[0]
        source, where, params = _entity_listing(type, language, name)
        return self.conn.execute(f"SELECT COUNT(*) FROM {source}{where}", params).fetchone()[0]

    def entity_types(self) -> list[str]:
        rows = self.conn.execute(
            "SELECT value FROM entity_kind_counts WHERE kind = 'type' ORDER BY value")
        return [r["value"] for r in rows]

    def list_outlets(self, limit: int = 50, offset: int = 0) -> tuple[list[dict[str, Any]], int]:
        """Outlets (None: articles naming none) with their articles, languages and first and
        last publication dates, most articles first; and how many outlets there are. Counts
        are kept on write; the dates of the page's outlets come from an index."""
        rows = self.conn.execute(
            "SELECT outlet, SUM(articles) AS articles, json_group_array(language) AS languages"
            " FROM outlet_languages GROUP BY outlet"
            " ORDER BY articles DESC, outlet = '', outlet LIMIT ? OFFSET ?",
            (limit, offset),
        ).fetchall()
        total = self.conn.execute(
            "SELECT COUNT(DISTINCT outlet) FROM outlet_languages").fetchone()[0]
        outlets = []
        for row in rows:
            outlet = row["outlet"] or None
            first, last = self.conn.execute(
                "SELECT MIN(published), MAX(published) FROM articles WHERE outlet IS ?",
                (outlet,)).fetchone()
            outlets.append({"outlet": outlet, "articles": row["articles"],
                            "languages": sorted(v for v in json.loads(row["languages"]) if v),
                            "first": first, "last": last})
        return outlets, total

    def get_entity(self, entity_id: str) -> dict[str, Any] | None:
        row = self.conn.execute(
            "SELECT id, name, type, articles, mentions FROM entities WHERE id=?", (entity_id,)
        ).fetchone()
        return self._with_aliases([row])[0] if row else None

    def _with_aliases(self, rows: list[sqlite3.Row]) -> list[dict[str, Any]]:
        """Entity rows as dicts with their aliases (most used first)."""
        aliases: dict[str, list[str]] = {}
        for entity_id, alias in self._rows_in(
            "SELECT entity_id, alias FROM entity_aliases WHERE entity_id IN ({})"
            " ORDER BY articles DESC, alias", [r["id"] for r in rows],
        ):
            aliases.setdefault(entity_id, []).append(alias)
        return [{"id": r["id"], "name": r["name"], "type": r["type"],
                 "aliases": aliases.get(r["id"], []), "mentions": r["mentions"],
                 "articles": r["articles"]} for r in rows]

    def article_ids_for_entity(self, entity_id: str, limit: int | None = None) -> list[str]:
        """The articles naming an entity, most salient first (the first `limit`), by index."""
        rows = self.conn.execute(
            "SELECT article_id FROM article_entities WHERE entity_id=?"
            " ORDER BY salience DESC, article_id LIMIT ?",
            (entity_id, -1 if limit is None else limit),
        )
        return [r["article_id"] for r in rows]

    def find_entities(self, name: str) -> list[dict[str, Any]]:
        """Entities whose name or any alias equals `name` (case-insensitive), by index."""
        needle = name.strip().casefold()
        rows = self.conn.execute(
            "SELECT entity_id FROM entity_aliases WHERE lower(alias)=?"
            " UNION SELECT id FROM entities WHERE lower(name)=? ORDER BY 1",
            (needle, needle),
        )
        result = [self.get_entity(r[0]) for r in rows]
        return [e for e in result if e]

    # -- vectors ----------------------------------------------------------------------------
    def put_vectors(self, encoder: str, vectors: Mapping[str, Vector]) -> None:
        """Vectors stored as float16: dense, or as their entries when mostly zeros."""
        import numpy as np

        with self.transaction():
            self.conn.executemany(
                "INSERT OR REPLACE INTO vectors(article_id, encoder, dim, vector, sparse)"
                " VALUES (?,?,?,?,?)",
                [(aid, encoder, len(v), *_packed(
                    compact(v if isinstance(v, SparseVector)
                            else np.asarray(v, dtype=_VECTOR_DTYPE))))
                 for aid, v in vectors.items()],
            )

    def get_vectors(self, encoder: str, article_ids: Iterable[str], held: bool = False
                    ) -> dict[str, Any]:
        """Article id -> its vector: float32 dense, or with `held` as memory holds it (float16,
        `storyline.vectors.compact`: a `SparseVector` when mostly zeros)."""
        rows = self._rows_in(
            "SELECT article_id, dim, vector, sparse FROM vectors"
            " WHERE encoder=? AND article_id IN ({})", article_ids, encoder,
        )
        return {row["article_id"]: _stored_vector(bytes(row["vector"]), row["dim"],
                                                  row["sparse"], held) for row in rows}

    def put_sentence_vectors(
        self, encoder: str, vectors: dict[str, tuple[list[int], np.ndarray]]
    ) -> None:
        """Per article: its sentence indexes and their vectors (one row each), as int8."""
        with self.transaction():
            self.conn.executemany(
                "INSERT OR REPLACE INTO sentence_vectors VALUES (?,?,?,?)",
                [(aid, encoder, json.dumps(indexes), pack_rows(matrix))
                 for aid, (indexes, matrix) in vectors.items()],
            )

    def get_sentence_vectors(
        self, encoder: str, article_ids: Iterable[str]
    ) -> dict[str, dict[int, np.ndarray]]:
        """Article id -> {sentence index: vector} of the articles that have them."""
        rows = self._rows_in(
            "SELECT article_id, sentences, vectors FROM sentence_vectors"
            " WHERE encoder=? AND article_id IN ({})", article_ids, encoder,
        )
        found = {}
        for row in rows:
            indexes = json.loads(row["sentences"])
            found[row["article_id"]] = dict(zip(
                indexes, unpack_rows(bytes(row["vectors"]), len(indexes)), strict=True))
        return found

    # -- events and storylines ----------------------------------------------------------------
    def save_events(
        self, events: Iterable[Event], replace_all: bool = False, removed: Iterable[str] = ()
    ) -> None:
        """Write events (and their member rows); `removed` ids are deleted, `replace_all`
        deletes every event not written."""
        # One row per id (the last written): the rows are inserted, not replaced, since a
        # replaced row would not be uncounted (`event_counts`).
        events = list({e.id: e for e in events}.values())
        with self.transaction():
            if replace_all:
                for table in ("events", "event_members", "event_profiles", "event_entities",
                              "event_briefs"):
                    self.conn.execute(f"DELETE FROM {table}")
            gone = [(event_id,) for event_id in removed] + [(e.id,) for e in events]
            self.conn.executemany("DELETE FROM events WHERE id=?", gone)
            self.conn.executemany("DELETE FROM event_members WHERE event_id=?", gone)
            # The removed events' linking profiles go when storylines are relinked (which reads
            # them to take their theme terms out of the counts).
            self.conn.executemany("DELETE FROM event_briefs WHERE event_id=?",
                                  [(event_id,) for event_id in removed])
            self.conn.executemany(
                "INSERT INTO events(id, date, size, data) VALUES (?,?,?,?)",
                [(e.id, e.date, len(e.members), json.dumps(e.to_dict(), ensure_ascii=False))
                 for e in events],
            )
            self.conn.executemany(
                "INSERT OR REPLACE INTO event_members(article_id, event_id, position)"
                " VALUES (?,?,?)",
                [(m.article_id, e.id, position) for e in events
                 for position, m in enumerate(e.members)],
            )

    def save_briefs(self, briefs: dict[str, tuple[str, dict[str, Any]]]) -> None:
        """Write event briefs: event id -> (key of the event record built from, brief)."""
        with self.transaction():
            self.conn.executemany(
                "INSERT OR REPLACE INTO event_briefs(event_id, key, data) VALUES (?,?,?)",
                [(event_id, key, _packed_json(brief)) for event_id, (key, brief) in briefs.items()],
            )

    def get_brief(self, event_id: str, key: str) -> dict[str, Any] | None:
        """The stored brief of an event if it was built from the record with this key."""
        row = self.conn.execute("SELECT data FROM event_briefs WHERE event_id=? AND key=?",
                                (event_id, key)).fetchone()
        return _unpacked_json(row["data"]) if row else None

    def brief_keys(self, event_ids: Iterable[str]) -> dict[str, str]:
        """event id -> key of its stored brief (events without one are left out)."""
        return dict(self._rows_in(
            "SELECT event_id, key FROM event_briefs WHERE event_id IN ({})", event_ids))

    def event_ids_of_articles(self, article_ids: Iterable[str]) -> dict[str, str]:
        """article id -> id of the event holding it (articles in no event are left out)."""
        return {row[0]: row[1] for row in self._rows_in(
            "SELECT article_id, event_id FROM event_members WHERE article_id IN ({})", article_ids
        )}

    def get_event(self, event_id: str) -> Event | None:
        row = self.conn.execute("SELECT data FROM events WHERE id=?", (event_id,)).fetchone()
        return Event.from_dict(json.loads(row["data"])) if row else None

    def get_events(self, event_ids: Iterable[str]) -> list[Event]:
        """The stored events among `event_ids`, in the order given."""
        ids = list(dict.fromkeys(event_ids))
        found = {
            event.id: event
            for event in (
                Event.from_dict(json.loads(row["data"]))
                for row in self._rows_in("SELECT data FROM events WHERE id IN ({})", ids)
            )
        }
        return [found[i] for i in ids if i in found]

    def list_events(self, limit: int | None = None, offset: int = 0) -> list[Event]:
        """Events, newest first (undated last); a page of them with `limit`."""
        rows = self.conn.execute(
            "SELECT data FROM events ORDER BY date IS NULL, date DESC, id LIMIT ? OFFSET ?",
            (-1 if limit is None else limit, offset),
        ).fetchall()
        return [Event.from_dict(json.loads(r["data"])) for r in rows]

    def find_events(
        self, where: EventFilter, order: str = "date", limit: int = 50, offset: int = 0
    ) -> tuple[list[Event], int, int]:
        """One page of the events matching `where`, with the number of matching events and of
        their member articles. `order`: 'date' (newest first, undated last), 'size' (most
        articles first) or 'outlets' (most independent outlets first); ties by date, then id."""
        conditions, params = where.sql()
        clause = " WHERE " + " AND ".join(conditions) if conditions else ""
        order_by = _EVENT_ORDER_BY[order]
        if (counted := where.counted()) is not None:
            # From the counts kept on write: a few rows, however many events match.
            total, articles = self.conn.execute(
                "SELECT COALESCE(SUM(events), 0), COALESCE(SUM(events * size), 0)"
                f" FROM event_counts WHERE {counted[0]}", counted[1]).fetchone()
        else:
            total, articles = self.conn.execute(
                f"SELECT COUNT(*), SUM(size) FROM events{clause}", params).fetchone()
        facets = where.facets()
        index = _EVENT_ORDER_INDEX.get(order)
        # A filtered page is read either from its matching events (found by the facet index,
        # then sorted) or along the order's index (skipping events that do not match, until
        # the page is full). The first reads `total` events, the second about
        # (offset + limit) x events / total: the fewer, chosen.
        if facets and (index is None or total * total <= (offset + limit) * self.count_events()):
            facet, values, facet_params = facets[0]
            source = ("(SELECT DISTINCT event_id FROM event_facets"
                      f" WHERE facet = '{facet}' AND value IN ({values})) AS matched"
                      " CROSS JOIN events ON events.id = matched.event_id")
            params = [*facet_params, *params]
        else:
            source = f"events INDEXED BY {index}" if facets and index else "events"
        rows = self.conn.execute(
            f"SELECT events.data FROM {source}{clause} ORDER BY {order_by} LIMIT ? OFFSET ?",
            (*params, limit, offset),
        ).fetchall()
        return [Event.from_dict(json.loads(r["data"])) for r in rows], total, articles or 0

    def independent_outlets(self, event_ids: Iterable[str]) -> dict[str, int]:
        """Event id -> how many independent outlets report it (see `_INDEPENDENT_OUTLETS`),
        as counted when the event was written."""
        rows = self._rows_in(
            "SELECT id, independent AS n FROM events WHERE id IN ({})", event_ids)
        return {row["id"]: row["n"] for row in rows}

    def article_facets(self, column: str) -> list[tuple[str | None, int]]:
        """(value, articles) for each outlet or language, most articles first."""
        if column not in ("outlet", "language"):
            raise ValueError(f"no facet {column!r}")
        # From the counts kept on write (one row per outlet and language), not the articles.
        rows = self.conn.execute(
            f"SELECT NULLIF({column}, '') AS value, SUM(articles) AS n FROM outlet_languages"
            f" GROUP BY {column} ORDER BY n DESC, value IS NULL, value"
        )
        return [(r["value"], r["n"]) for r in rows]

    def save_storylines(
        self, storylines: Iterable[Storyline], removed: Iterable[str] | None = None
    ) -> None:
        """Write storylines; with `removed` only those ids are deleted (a relink of the
        storylines an update touched), without it every other storyline is."""
        storylines = list(storylines)
        with self.transaction():
            if removed is None:
                self.conn.execute("DELETE FROM storylines")
                self.conn.execute("DELETE FROM storyline_events")
            else:
                gone = [(i,) for i in removed]
                self.conn.executemany("DELETE FROM storylines WHERE id=?", gone)
                self.conn.executemany("DELETE FROM storyline_events WHERE storyline_id=?", gone)
            self.conn.executemany(
                "INSERT OR REPLACE INTO storylines(id, data) VALUES (?,?)",
                [(s.id, json.dumps(s.to_dict(), ensure_ascii=False)) for s in storylines],
            )
            self.conn.executemany(
                "INSERT OR REPLACE INTO storyline_events(event_id, storyline_id) VALUES (?,?)",
                [(event_id, s.id) for s in storylines for event_id in s.events],
            )

    def storyline_ids_of_events(self, event_ids: Iterable[str]) -> dict[str, str]:
        """event id -> id of the storyline holding it (events in none are left out)."""
        return {row[0]: row[1] for row in self._rows_in(
            "SELECT event_id, storyline_id FROM storyline_events WHERE event_id IN ({})",
            event_ids,
        )}

    def get_storylines(self, storyline_ids: Iterable[str]) -> list[Storyline]:
        """The stored storylines among these ids, by id."""
        rows = self._rows_in("SELECT data FROM storylines WHERE id IN ({}) ORDER BY id",
                             storyline_ids)
        return sorted((Storyline.from_dict(json.loads(r["data"])) for r in rows),
                      key=lambda s: s.id)

    def storylines_of_event(self, event_id: str) -> list[Storyline]:
        """The storyline holding an event (a list: none or one), read through its index."""
        return self.get_storylines(self.storyline_ids_of_events([event_id]).values())

    # -- storyline profiles of events (storyline.events.storylines.EventProfile) -------------
    def save_event_profiles(self, profiles: Iterable[dict[str, Any]],
                            removed: Iterable[str] = ()) -> None:
        """Write the linking profiles of events (dicts with `id`, `date` and `weights` over
        entity ids), replacing their entity rows; delete those of `removed` events."""
        profiles = list(profiles)
        with self.transaction():
            dropped = [(event_id,) for event_id in removed]
            self.conn.executemany("DELETE FROM event_profiles WHERE event_id=?", dropped)
            self.conn.executemany("DELETE FROM event_entities WHERE event_id=?", dropped)
            ids = [(p["id"],) for p in profiles]
            self.conn.executemany("DELETE FROM event_entities WHERE event_id=?", ids)
            self.conn.executemany(
                "INSERT OR REPLACE INTO event_profiles(event_id, data) VALUES (?,?)",
                [(p["id"], _packed_json(p))
                 for p in profiles],
            )
            self.conn.executemany(
                "INSERT INTO event_entities(entity_id, event_id, sort_date) VALUES (?,?,?)",
                [(entity_id, p["id"], _sort_date(p["date"])) for p in profiles
                 for entity_id in p["weights"]],
            )

    def get_event_profiles(self, event_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        return {row["event_id"]: _unpacked_json(row["data"]) for row in self._rows_in(
            "SELECT event_id, data FROM event_profiles WHERE event_id IN ({})", event_ids)}

    def iter_event_profiles(self) -> Iterator[dict[str, Any]]:
        """Every event's profile (a full relink)."""
        for row in self.conn.execute("SELECT data FROM event_profiles ORDER BY event_id"):
            yield _unpacked_json(row["data"])

    def entity_event_counts(self, entity_ids: Iterable[str]) -> dict[str, int]:
        """Events whose profile names each entity (entities in none are left out)."""
        return {row[0]: row[1] for row in self._rows_in(
            "SELECT entity_id, COUNT(*) FROM event_entities WHERE entity_id IN ({})"
            " GROUP BY entity_id", entity_ids,
        )}

    def count_events(self) -> int:
        """From the counts kept on write: COUNT(*) reads an index of every event."""
        return self.conn.execute(
            "SELECT COALESCE(SUM(events), 0) FROM event_counts WHERE facet = ''").fetchone()[0]

    def add_theme_terms(self, delta: Mapping[str, int], replace_all: bool = False) -> None:
        """Add to each term's count of event themes naming it (`replace_all`: the counts are
        `delta`); a count falling to 0 goes."""
        with self.transaction():
            if replace_all:
                self.conn.execute("DELETE FROM storyline_theme_terms")
            self.conn.executemany(
                "INSERT INTO storyline_theme_terms(term, events) VALUES (?,?)"
                " ON CONFLICT(term) DO UPDATE SET events = events + excluded.events",
                [(term, count) for term, count in delta.items() if count])
            self.conn.executemany("DELETE FROM storyline_theme_terms WHERE term=? AND events<=0",
                                  [(term,) for term, count in delta.items() if count < 0])

    def theme_term_counts(self, terms: Iterable[str]) -> dict[str, int]:
        """term -> events whose theme names it (terms in none are left out)."""
        return {row[0]: row[1] for row in self._rows_in(
            "SELECT term, events FROM storyline_theme_terms WHERE term IN ({})", terms)}

    def count_event_profiles(self) -> int:
        return self.conn.execute("SELECT COUNT(*) FROM event_profiles").fetchone()[0]

    def event_ids_after(self, event_id: str, limit: int) -> list[str]:
        """The ids of the `limit` events with a linking profile after `event_id`, by id."""
        return [row[0] for row in self.conn.execute(
            "SELECT event_id FROM event_profiles WHERE event_id > ? ORDER BY event_id LIMIT ?",
            (event_id, limit))]

    def entity_events_around(self, entity_id: str, event: tuple[str | None, str], limit: int,
                             after: bool = False) -> list[str]:
        """Ids of the `limit` events naming `entity_id` nearest before `event` (date, id) in
        linking order (date, undated last, then id), or nearest after it."""
        date, event_id = _sort_date(event[0]), event[1]
        side, order = (">", "") if after else ("<", " DESC")
        return [row[0] for row in self.conn.execute(
            f"SELECT event_id FROM event_entities WHERE entity_id=? AND (sort_date, event_id)"
            f" {side} (?, ?) ORDER BY sort_date{order}, event_id{order} LIMIT ?",
            (entity_id, date, event_id, limit))]

    # -- storyline links (storyline.events.storylines.StorylineLink, by later event) ----------
    def save_storyline_links(self, decisions: Iterable[dict[str, Any]],
                             undecided: Iterable[str] = (), replace_all: bool = False) -> None:
        """Write link decisions (dicts with `later`, `link`: a link's dict with `earlier`,
        `score`, `shared_entities` and `names`, or None, and `recheck`: the number of events at
        which to decide it again); `undecided` events lose theirs, `replace_all` drops every
        decision not written."""
        with self.transaction():
            if replace_all:
                self.conn.execute("DELETE FROM storyline_links")
            self.conn.executemany("DELETE FROM storyline_links WHERE event_id=?",
                                  [(event_id,) for event_id in undecided])
            self.conn.executemany(
                "INSERT OR REPLACE INTO storyline_links(event_id, earlier, score, shared, recheck)"
                " VALUES (?,?,?,?,?)",
                [(d["later"], *_link_row(d["link"]), d["recheck"])
                 for d in decisions],
            )

    def storyline_links(self, event_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """later event id -> its stored link (events that start a storyline are left out)."""
        found = {}
        for row in self._rows_in("SELECT event_id, earlier, score, shared FROM storyline_links"
                                 " WHERE event_id IN ({}) AND earlier IS NOT NULL", event_ids):
            shared = json.loads(row["shared"])
            found[row["event_id"]] = {
                "later": row["event_id"], "earlier": row["earlier"], "score": row["score"],
                "shared_entities": [e for e, _ in shared],
                "names": {e: name for e, name in shared if name}}
        return found

    def events_linked_to(self, event_ids: Iterable[str]) -> dict[str, str]:
        """later event id -> earlier event id, of the links to these events."""
        return {row[0]: row[1] for row in self._rows_in(
            "SELECT event_id, earlier FROM storyline_links WHERE earlier IN ({})", event_ids)}

    def links_due(self, events: int) -> list[str]:
        """Events whose link is to be decided again once the store holds `events` events."""
        return [row[0] for row in self.conn.execute(
            "SELECT event_id FROM storyline_links WHERE recheck <= ?", (events,))]

    def event_stubs(self, event_ids: Iterable[str]) -> dict[str, tuple[str | None, str]]:
        """event id -> (date, title) of the stored events among these ids."""
        return {row[0]: (row[1], row[2]) for row in self._rows_in(
            "SELECT id, date, json_extract(data, '$.title') FROM events WHERE id IN ({})",
            event_ids)}

    def list_storylines(self) -> list[Storyline]:
        rows = self.conn.execute("SELECT data FROM storylines ORDER BY id").fetchall()
        return [Storyline.from_dict(json.loads(r["data"])) for r in rows]

    def page_storylines(self, limit: int = 50, offset: int = 0) -> tuple[list[Storyline], int]:
        """One page of storylines, most events first, and how many there are."""
        rows = self.conn.execute(
            "SELECT data FROM storylines ORDER BY json_array_length(data, '$.events') DESC, id"
            " LIMIT ? OFFSET ?", (limit, offset),
        ).fetchall()
        total = self.conn.execute("SELECT COUNT(*) FROM storylines").fetchone()[0]
        return [Storyline.from_dict(json.loads(r["data"])) for r in rows], total

    def get_storyline(self, storyline_id: str) -> Storyline | None:
        row = self.conn.execute(
            "SELECT data FROM storylines WHERE id=?", (storyline_id,)
        ).fetchone()
        return Storyline.from_dict(json.loads(row["data"])) if row else None

    # -- learned state (clusterer indexes, tuned weights) ---------------------------------------
    def get_rows(self, table: str, keys: Iterable[str]) -> dict[str, str]:
        """Values of the rows of one of ROW_TABLES with these keys (missing keys left out)."""
        _check_row_table(table)
        return {row[0]: _unpacked_row(row[1]) for row in self._rows_in(
            f"SELECT key, value FROM {table} WHERE key IN ({{}})", keys)}

    def iter_rows(self, table: str) -> Iterator[tuple[str, str]]:
        """Every row of one of ROW_TABLES, by key (for full rebuilds and exports only)."""
        _check_row_table(table)
        for row in self.conn.execute(f"SELECT key, value FROM {table} ORDER BY key"):
            yield row["key"], _unpacked_row(row["value"])

    def put_rows(self, table: str, rows: dict[str, str | None], replace_all: bool = False
                 ) -> None:
        """Write rows of one of ROW_TABLES; a None value deletes its row."""
        _check_row_table(table)
        with self.transaction():
            if replace_all:
                self.conn.execute(f"DELETE FROM {table}")
            self.conn.executemany(f"DELETE FROM {table} WHERE key=?",
                                  [(k,) for k, v in rows.items() if v is None])
            self.conn.executemany(f"INSERT OR REPLACE INTO {table}(key, value) VALUES (?,?)",
                                  [(k, _packed_row(v)) for k, v in rows.items() if v is not None])

    def put_state(self, name: str, data: bytes) -> None:
        with self.transaction():
            self.conn.execute("INSERT OR REPLACE INTO state VALUES (?,?)", (name, data))

    def get_state(self, name: str) -> bytes | None:
        row = self.conn.execute("SELECT data FROM state WHERE name=?", (name,)).fetchone()
        return bytes(row["data"]) if row else None

    # -- the clusterer's vector index (storyline.events.ann.StoredVectorIndex) -------------------
    def ann_directory(self) -> Path | None:
        """The folder of the vector index's segment files, beside the database (None for an
        in-memory store)."""
        if str(self.path) == ":memory:":
            return None
        return self.path.with_name(self.path.name + ".ann")

    def put_ann_keys(self, added: list[tuple[int, str]], removed: Iterable[int] = (),
                     replace_all: bool = False) -> None:
        """Record new index keys (key, article id) and flag removed ones."""
        with self.transaction():
            if replace_all:
                self.conn.execute("DELETE FROM ann_keys")
            self.conn.executemany("INSERT INTO ann_keys(key, article_id) VALUES (?,?)", added)
            self.conn.executemany("UPDATE ann_keys SET removed=1 WHERE key=?",
                                  [(k,) for k in removed])

    def ann_keys_of(self, article_ids: Iterable[str]) -> dict[str, int]:
        """article id -> its live index key (articles not indexed are left out)."""
        return dict(self._rows_in(
            "SELECT article_id, key FROM ann_keys WHERE removed=0 AND article_id IN ({})",
            article_ids))

    def ann_ids_of(self, keys: Iterable[int]) -> dict[int, str]:
        """key -> article id of the live keys among these."""
        return dict(self._rows_in(
            "SELECT key, article_id FROM ann_keys WHERE removed=0 AND key IN ({})", keys))

    def ann_live_keys(self, first: int, last: int) -> list[tuple[int, str]]:
        """(key, article id) of the live keys first..last, by key."""
        rows = self.conn.execute(
            "SELECT key, article_id FROM ann_keys WHERE key BETWEEN ? AND ? AND removed=0"
            " ORDER BY key", (first, last))
        return [(r[0], r[1]) for r in rows]

    def ann_next_key(self) -> int:
        return self.conn.execute("SELECT COALESCE(MAX(key), -1) + 1 FROM ann_keys").fetchone()[0]

    def ann_segments(self) -> list[sqlite3.Row]:
        """The manifest: name, level, first_key, last_key of each segment, by first key."""
        return self.conn.execute(
            "SELECT name, level, first_key, last_key FROM ann_segments ORDER BY first_key"
        ).fetchall()

    def put_ann_segments(self, segments: list[tuple[str, int, int, int]]) -> None:
        """Replace the manifest with (name, level, first key, last key) rows."""
        with self.transaction():
            self.conn.execute("DELETE FROM ann_segments")
            self.conn.executemany(
                "INSERT INTO ann_segments(name, level, first_key, last_key) VALUES (?,?,?,?)",
                segments)

    # -- page lines and templates (storyline.clean.templates) -----------------------------------
    def put_page_lines(self, article_id: str, source: str, lines: dict[int, bool]) -> None:
        """Record (or replace) a stored page's source and its line fingerprints → kept."""
        with self.transaction():
            self.conn.execute("DELETE FROM page_lines WHERE article_id=?", (article_id,))
            self.conn.execute(
                "INSERT OR REPLACE INTO page_sources(article_id, source) VALUES (?,?)",
                (article_id, source),
            )
            self.conn.execute(
                "INSERT OR IGNORE INTO page_source_numbers(source) VALUES (?)", (source,))
            number = self.conn.execute(
                "SELECT number FROM page_source_numbers WHERE source=?", (source,)).fetchone()[0]
            self.conn.executemany(
                "INSERT INTO page_lines(source_number, fingerprint, article_id, kept)"
                " VALUES (?,?,?,?)",
                [(number, key, article_id, int(kept)) for key, kept in lines.items()],
            )

    def page_sources(self, article_ids: Iterable[str]) -> dict[str, str]:
        """The template source of each page that has its lines recorded."""
        return {row[0]: row[1] for row in self._rows_in(
            "SELECT article_id, source FROM page_sources WHERE article_id IN ({})", article_ids
        )}

    def line_page_counts(self, source: str, fingerprints: Iterable[int]) -> dict[int, int]:
        """Pages of `source` carrying each fingerprint (fingerprints on no page are left out)."""
        return {row[0]: row[1] for row in self._rows_in(
            f"SELECT fingerprint, COUNT(*) FROM page_lines WHERE source_number={_SOURCE_NUMBER}"
            " AND fingerprint IN ({}) GROUP BY fingerprint", fingerprints, source,
        )}

    def frequent_lines(self, source: str, min_pages: int) -> dict[int, int]:
        """Every fingerprint on at least `min_pages` pages of `source` → its page count."""
        rows = self.conn.execute(
            f"SELECT fingerprint, COUNT(*) FROM page_lines WHERE source_number={_SOURCE_NUMBER}"
            " GROUP BY fingerprint HAVING COUNT(*) >= ?",
            (source, min_pages),
        )
        return {r[0]: r[1] for r in rows}

    def unrecorded_page_ids(self) -> list[str]:
        """Articles whose lines were never recorded (stored before schema 4), in ingest order."""
        rows = self.conn.execute(
            "SELECT a.id FROM articles a LEFT JOIN page_sources p ON p.article_id = a.id"
            " WHERE p.article_id IS NULL ORDER BY a.seq"
        )
        return [r[0] for r in rows]

    def page_source_names(self) -> list[str]:
        """Every source with recorded pages."""
        rows = self.conn.execute("SELECT DISTINCT source FROM page_sources ORDER BY source")
        return [r[0] for r in rows]

    def line_pages(self, source: str, fingerprint: int) -> list[str]:
        """Ids of the pages of `source` carrying a line, in ingest order."""
        rows = self.conn.execute(
            "SELECT p.article_id FROM page_lines p JOIN articles a ON a.id = p.article_id"
            f" WHERE p.source_number={_SOURCE_NUMBER} AND p.fingerprint=? ORDER BY a.seq",
            (source, fingerprint),
        )
        return [r[0] for r in rows]

    def kept_lines(self, article_ids: Iterable[str]) -> dict[str, set[int]]:
        """The fingerprints each page still keeps (title and paragraphs)."""
        kept: dict[str, set[int]] = {}
        for article_id, key in self._rows_in(
            "SELECT article_id, fingerprint FROM page_lines WHERE kept=1 AND article_id IN ({})",
            article_ids,
        ):
            kept.setdefault(article_id, set()).add(key)
        return kept

    def pages_keeping(self, source: str, fingerprints: Iterable[int]) -> list[str]:
        """Ids of the pages of `source` that still keep any of these lines, in ingest order."""
        rows = self._rows_in(
            "SELECT DISTINCT p.article_id, a.seq FROM page_lines p JOIN articles a"
            f" ON a.id = p.article_id WHERE p.source_number={_SOURCE_NUMBER} AND p.kept=1"
            " AND p.fingerprint IN ({})",
            fingerprints, source,
        )
        # A page keeping lines of two chunks of the IN list comes back from both.
        return list(dict.fromkeys(article_id for article_id, _ in sorted(rows, key=lambda row: row[1])))

    def templates(self, source: str) -> dict[int, int]:
        """The templates learned for `source`: fingerprint → pages it was counted on."""
        rows = self.conn.execute(
            "SELECT fingerprint, pages FROM templates WHERE source=?", (source,)
        )
        return {r[0]: r[1] for r in rows}

    def put_templates(self, source: str, templates: dict[int, tuple[int, str]]) -> None:
        """Learn templates (fingerprint → (pages, an example line)), or update their counts."""
        with self.transaction():
            self.conn.executemany(
                "INSERT INTO templates(source, fingerprint, pages, line, learned_at)"
                " VALUES (?,?,?,?,?) ON CONFLICT(source, fingerprint) DO UPDATE SET"
                " pages=excluded.pages",
                [(source, key, pages, line, _now()) for key, (pages, line) in templates.items()],
            )

    def delete_vectors(self, article_ids: Iterable[str]) -> None:
        """Forget the cached vectors of articles whose text changed."""
        article_ids = list(article_ids)
        with self.transaction():
            self._rows_in("DELETE FROM vectors WHERE article_id IN ({})", article_ids)
            self._rows_in("DELETE FROM sentence_vectors WHERE article_id IN ({})", article_ids)

    def _rows_in(
        self, sql: str, values: Iterable[object], *leading: object
    ) -> list[Any]:
        """Run `sql` whose `IN ({})` takes `values`, in chunks SQLite accepts; `leading`
        parameters come before the list. The rows are sqlite3.Row (typed Any, as sqlite3's own
        fetchall is, so `dict(...)` of two-column rows type-checks)."""
        items = list(dict.fromkeys(values))
        rows: list[Any] = []
        for start in range(0, len(items), 500):
            chunk = items[start : start + 500]
            query = sql.format(",".join("?" * len(chunk)))
            rows.extend(self.conn.execute(query, (*leading, *chunk)))
        return rows


class StoreVersion:
    """A number that grows whenever the store changes, whoever writes (a thread of this
    process or another process): what caches of pages, timelines and searches are keyed on.

    It watches `PRAGMA data_version` on a connection of its own that never writes, since the
    pragma moves only for other connections' commits. Cheap (it reads the WAL index, not the
    database), and never waits behind another thread's query on a shared connection."""

    def __init__(self, path: str | Path) -> None:
        self._conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._lock = threading.Lock()
        self._seen: int | None = None
        self._version = 0

    def __call__(self) -> int:
        with self._lock:
            seen = self._conn.execute("PRAGMA data_version").fetchone()[0]
            if seen != self._seen:
                self._version += self._seen is not None
                self._seen = seen
            return self._version

    def close(self) -> None:
        self._conn.close()


class _Snapshot:
    """One read transaction on a read connection of `store`, begun at its first use."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._reader: sqlite3.Connection | None = None

    def connection(self) -> sqlite3.Connection:
        if self._reader is None:
            reader = self.store._take_reader()
            reader.execute("BEGIN")
            self._reader = reader
        return self._reader

    def close(self) -> None:
        if self._reader is not None:
            self._reader.execute("COMMIT")
            self.store._give_back(self._reader)
            self._reader = None


_SNAPSHOT: ContextVar[_Snapshot | None] = ContextVar("storyline_store_snapshot", default=None)


class _Transaction:
    """Re-entrant BEGIN IMMEDIATE ... COMMIT; a nested use is a savepoint of the outer
    transaction: what it wrote is undone if it raises, and committed with the outer one
    otherwise. So a write that fails half-way (an article SQLite refuses after its row went
    in) leaves nothing, also when the caller goes on and commits what else it wrote."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.outer = False
        self.uncounted = (0, 0)  # `_EntityCounts.mark` where this level began

    def __enter__(self) -> sqlite3.Connection:
        self.store._lock.acquire()
        conn = self.store.conn
        self.outer = not conn.in_transaction
        conn.execute("BEGIN IMMEDIATE" if self.outer else "SAVEPOINT nested")
        # Entity rows written from here on are forgotten with what this level undoes.
        self.uncounted = self.store._uncounted.mark()
        return conn

    def __exit__(self, exc_type: object, *rest: object) -> None:
        conn, uncounted = self.store.conn, self.store._uncounted
        try:
            if exc_type:
                uncounted.forget(self.uncounted)
            if self.outer and not exc_type:
                try:
                    uncounted.write(conn)
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
                finally:
                    uncounted.forget((0, 0))
                conn.execute("COMMIT")
            elif self.outer:
                conn.execute("ROLLBACK")
            elif not exc_type:
                conn.execute("RELEASE nested")  # the innermost savepoint of that name
            elif conn.in_transaction:  # an error SQLite rolled the whole transaction back for
                conn.execute("ROLLBACK TO nested")
                conn.execute("RELEASE nested")
        finally:
            self.store._lock.release()


class _EntityCounts:
    """The entity rows (`article_entities`) a transaction wrote and has not counted yet, with
    each article's language, counted into `entities`, `entity_languages` and `entity_aliases`
    by `write` (migration 27): summed over the articles, so an entity named in several of
    them is one upsert. Counting what a trigger counted row by row, the same counts: articles,
    mentions, the largest name and type, each alias given; new entities in the order their
    rows were written (their numbers are the same)."""

    def __init__(self) -> None:
        # (article language, [(entity id, name, type, mentions, aliases)]) per article written
        # in the open transaction, the first `counted` of them counted (`write`) already.
        self.articles: list[tuple[str, list[tuple[str, str, str, int, list[str]]]]] = []
        self.counted = 0

    def add(self, language: str | None,
            rows: list[tuple[str, str, str, int, list[str]]]) -> None:
        if rows:
            self.articles.append((language or "", rows))

    def mark(self) -> tuple[int, int]:
        return len(self.articles), self.counted

    def forget(self, mark: tuple[int, int]) -> None:
        """Back to `mark`, as the transaction or savepoint begun there is undone: the rows
        written since are gone, and so are the counts written since (of rows written before
        the mark too, which are to be counted again)."""
        del self.articles[mark[0]:]
        self.counted = mark[1]

    def write(self, conn: sqlite3.Connection) -> None:
        entities: dict[str, list[Any]] = {}  # id -> [name, type, articles, mentions]
        languages: dict[tuple[str, str], list[int]] = {}
        aliases: dict[tuple[str, str], int] = {}
        for language, rows in self.articles[self.counted:]:
            for entity_id, name, kind, mentions, names in rows:
                if (entity := entities.get(entity_id)) is None:
                    entities[entity_id] = [name, kind, 1, mentions]
                else:
                    entity[0], entity[1] = max(entity[0], name), max(entity[1], kind)
                    entity[2] += 1
                    entity[3] += mentions
                counts = languages.setdefault((language, entity_id), [0, 0])
                counts[0] += 1
                counts[1] += mentions
                for alias in names:
                    aliases[entity_id, alias] = aliases.get((entity_id, alias), 0) + 1
        self.counted = len(self.articles)
        conn.executemany(
            "INSERT INTO entities(id, name, type, articles, mentions) VALUES (?,?,?,?,?)"
            " ON CONFLICT(id) DO UPDATE SET articles = articles + excluded.articles,"
            " mentions = mentions + excluded.mentions, name = max(name, excluded.name),"
            " type = max(type, excluded.type)",
            [(entity_id, *entity) for entity_id, entity in entities.items()])
        conn.executemany(
            "INSERT INTO entity_languages(language, entity_id, articles, mentions)"
            " VALUES (?,?,?,?) ON CONFLICT(language, entity_id) DO UPDATE SET"
            " articles = articles + excluded.articles, mentions = mentions + excluded.mentions",
            [(*key, *counts) for key, counts in languages.items()])
        conn.executemany(
            "INSERT INTO entity_aliases(entity_id, alias, articles) VALUES (?,?,?)"
            " ON CONFLICT(entity_id, alias) DO UPDATE SET articles = articles + excluded.articles",
            [(*key, count) for key, count in aliases.items()])


# Vectors are stored as float16: half of float32, and a cosine moves by under 1e-3 (the
# clusterer's dense signal weighs 0.05; docs/clustering.md measures ECB+ with both).
_VECTOR_DTYPE = "float16"


def pack_vector(vector: np.ndarray) -> bytes:
    """A dense vector as stored: float16, zlib-compressed when that is smaller (encoder vectors
    stay as they are; mostly-zero vectors are stored as their entries, `_packed`)."""
    import numpy as np

    raw = np.asarray(vector, dtype=_VECTOR_DTYPE).tobytes()
    packed = zlib.compress(raw, 1)
    return packed if len(packed) < len(raw) else raw


def unpack_vector(data: bytes, dim: int | None) -> np.ndarray:
    """`pack_vector`'s bytes (or float32 or float16 bytes of older rows) as float32. The length
    tells the form: 4 bytes a dimension float32, 2 float16, anything else compressed; without
    `dim` (rows written before compression) the bytes are float16."""
    import numpy as np

    if dim is None or len(data) == 2 * dim:
        return np.frombuffer(data, dtype=np.float16).astype(np.float32)
    if len(data) == 4 * dim:
        return np.frombuffer(data, dtype=np.float32).copy()
    return np.frombuffer(zlib.decompress(data), dtype=np.float16).astype(np.float32)


def _index_dtype(dim: int) -> str:
    return "<u2" if dim <= 1 << 16 else "<u4"


def _packed(vector: Vector) -> tuple[bytes, int]:
    """A vector as stored and its `sparse` flag: a `SparseVector` as its positions (2 bytes
    each up to 65,536 dimensions) then its float16 values (4 bytes an entry: 160 bytes for the
    hashed TF-IDF vector that took about 300 compressed), any other as `pack_vector`'s."""
    if isinstance(vector, SparseVector):
        return (vector.indices.astype(_index_dtype(vector.dim)).tobytes()
                + vector.values.astype(_VECTOR_DTYPE).tobytes()), 1
    return pack_vector(vector), 0


def _stored_vector(data: bytes, dim: int, sparse: int, held: bool) -> Vector:
    """A stored vector as float32 dense entries, or with `held` as memory holds it
    (`storyline.vectors.compact`): its entries when mostly zeros, else dense float16 (the
    stored values, whatever form older rows used)."""
    import numpy as np

    if sparse:
        index_dtype = np.dtype(_index_dtype(dim))
        count = len(data) // (index_dtype.itemsize + 2)
        vector = SparseVector(
            dim, np.frombuffer(data, dtype=index_dtype, count=count).astype(np.int32),
            np.frombuffer(data, dtype=_VECTOR_DTYPE, offset=count * index_dtype.itemsize))
        return vector if held else vector.to_dense()
    dense = unpack_vector(data, dim)
    return compact(dense.astype(_VECTOR_DTYPE)) if held else dense


def pack_rows(matrix: np.ndarray) -> bytes:
    """Unit vectors (one per row) in a quarter of float32: each row as int8 scaled to its
    largest component, the scales first as float32 (a cosine moves by about 1e-4 at 512
    dimensions)."""
    import numpy as np

    matrix = np.asarray(matrix, dtype=np.float32)
    scales = np.maximum(np.abs(matrix).max(axis=1, initial=0.0), 1e-12) / 127
    rows = np.rint(matrix / scales[:, None]).astype(np.int8)
    return scales.astype(np.float32).tobytes() + rows.tobytes()


def unpack_rows(data: bytes, count: int) -> np.ndarray:
    """`pack_rows`' bytes of `count` rows as a float32 matrix."""
    import numpy as np

    if not count:
        return np.zeros((0, 0), dtype=np.float32)
    scales = np.frombuffer(data, dtype=np.float32, count=count)
    rows = np.frombuffer(data, dtype=np.int8, offset=4 * count).reshape(count, -1)
    return rows.astype(np.float32) * scales[:, None]




def _packed_json(value: dict[str, Any]) -> bytes:
    """JSON, zlib-compressed: briefs and linking profiles repeat their members' sentences and
    leads, which compress about threefold, and are read one event at a time."""
    return zlib.compress(json.dumps(value, ensure_ascii=False, separators=(",", ":")
                                    ).encode("utf-8"))


def _unpacked_json(data: bytes | str) -> Any:
    """`_packed_json`'s bytes, or the plain JSON text rows were written as before."""
    return json.loads(zlib.decompress(data) if isinstance(data, bytes) else data)


# Row values this long are stored zlib-compressed (the clusterer's article rows: term weights
# written in full, 5.1 -> 1.6 KB); shorter ones (counts, ids) would not shrink.
_ROW_COMPRESS_CHARS = 200


def _packed_row(value: str) -> str | bytes:
    """A row table's JSON text as stored: compressed (a BLOB) when long."""
    return zlib.compress(value.encode("utf-8")) if len(value) >= _ROW_COMPRESS_CHARS else value


def _unpacked_row(value: str | bytes) -> str:
    return zlib.decompress(value).decode("utf-8") if isinstance(value, bytes) else value


def _link_row(link: dict[str, Any] | None) -> tuple[str | None, float | None, str]:
    """(earlier, score, shared) columns of a link decision (NULL, NULL, []: no link)."""
    if link is None:
        return None, None, "[]"
    shared = [[e, link["names"].get(e, "")] for e in link["shared_entities"]]
    return link["earlier"], link["score"], json.dumps(shared, ensure_ascii=False)


def _sort_date(day: str | None) -> str:
    """An event date as it sorts in `event_entities`: undated after every date."""
    return day if day is not None else "~"


def _check_row_table(table: str) -> None:
    if table not in ROW_TABLES:  # table names cannot be bound as parameters
        raise ValueError(f"not a row table: {table}")


def _split_sql(script: str) -> list[str]:
    """Split a migration into statements, keeping trigger bodies (which contain ';') whole."""
    statements: list[str] = []
    current = ""
    for line in script.strip().splitlines():
        current += line + "\n"
        if sqlite3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    if current.strip():
        statements.append(current.strip())
    return statements


def _fts_query(query: str) -> str:
    """Turn free text into a safe FTS5 query: each word quoted, all words required."""
    words = [w for w in "".join(c if c.isalnum() else " " for c in query).split() if w]
    return " ".join('"' + w + '"' for w in words[:32])


def _filters(**conditions: str | None) -> tuple[str, list[str]]:
    parts = [f"{name}=?" for name, value in conditions.items() if value is not None]
    params = [value for value in conditions.values() if value is not None]
    return (" WHERE " + " AND ".join(parts) if parts else ""), params


def _entity_listing(
    type: str | None, language: str | None, name: str | None
) -> tuple[str, str, list[str]]:
    """FROM clause (entities `e`, counts `c`), WHERE clause and parameters of an entity
    listing: counts within one language come from `entity_languages`."""
    source = "entities e JOIN entities c ON c.id = e.id"
    conditions, params = [], []
    if language:
        source = "entity_languages c JOIN entities e ON e.id = c.entity_id"
        conditions.append("c.language = ?")
        params.append(language)
    if type:
        conditions.append("e.type = ?")
        params.append(type)
    if name:
        needle = name.casefold()
        if len(needle) >= 3:
            # The names holding the piece's trigrams, by index (a shorter piece has none:
            # it matches by reading every name); LIKE then keeps exactly the names it held.
            conditions.append("e.number IN (SELECT rowid FROM entity_names"
                              " WHERE entity_names MATCH ?)")
            params.append('"' + needle.replace('"', '""') + '"')
        escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        conditions.append("lower(e.name) LIKE ? ESCAPE '\\'")
        params.append(f"%{escaped}%")
    return source, (" WHERE " + " AND ".join(conditions) if conditions else ""), params
