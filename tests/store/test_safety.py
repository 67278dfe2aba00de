"""`storyline backup` during a running ingest, `storyline check` on broken stores, migrations
from older stores (a committed store file of this release, and one built at schema version 2)."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import time
from pathlib import Path

from storyline.store import Store
from storyline.store.sqlite import MIGRATIONS, SCHEMA_VERSION, _split_sql
from tests.api.conftest import build_store
from tests.cli.helpers import run_storyline, storyline_command, write_stories

# Made by `build_store` (tests/api/conftest.py) at schema version 5, the release before
# migration 6; later releases must keep opening it.
RELEASED_STORE = Path(__file__).parent / "data" / "store-v5.db"


def article_count(db: Path) -> int:
    if not db.exists():  # the ingest has not started yet
        return 0
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
    try:
        return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.OperationalError:  # the ingest has not created the schema yet
        return 0
    finally:
        conn.close()


def test_backup_during_a_running_ingest_is_a_sound_copy(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write_stories(corpus, 40)
    db = tmp_path / "live.db"
    ingest = subprocess.Popen(storyline_command(db, "ingest", str(corpus)), text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 300
        while article_count(db) == 0 and ingest.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        copies = []
        while ingest.poll() is None and len(copies) < 3:
            copy = tmp_path / f"copy-{len(copies)}.db"
            result = run_storyline(db, "backup", str(copy))
            assert result.returncode == 0, result.stderr
            assert "integrity ok" in result.stdout
            copies.append(copy)
    finally:
        _, err = ingest.communicate(timeout=600)
    assert ingest.returncode == 0, err
    assert copies, "the ingest ended before a backup could run beside it"
    for copy in copies:
        assert not copy.with_name(copy.name + ".partial").exists()
        assert not Path(f"{copy}-wal").exists()
        checked = run_storyline(copy, "check")
        assert checked.returncode == 0, checked.stdout + checked.stderr
        assert 1 <= article_count(copy) <= 40
    assert article_count(db) == 40


def test_backup_never_overwrites(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    build_store(db)
    existing = tmp_path / "existing.db"
    existing.write_bytes(b"keep me")
    result = run_storyline(db, "backup", str(existing))
    assert result.returncode == 1 and "exists" in result.stderr
    assert existing.read_bytes() == b"keep me"
    assert len(result.stderr.strip().splitlines()) == 1


def test_check_passes_a_sound_store(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    build_store(db)
    result = run_storyline(db, "check")
    assert result.returncode == 0, result.stdout
    assert result.stdout.strip().endswith(": ok")


def test_check_reports_each_problem_on_a_line(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    ids = build_store(db)
    conn = sqlite3.connect(db)
    with conn:
        # An event naming an article that is not stored and one already in ev-bridge.
        ghost = {"id": "ev-ghost", "title": "Ghost", "members": [
            {"article_id": "missing-article", "role": "member"},
            {"article_id": ids["bridge"][1], "role": "member"},
        ]}
        conn.execute("INSERT INTO events(id, date, size, data) VALUES ('ev-ghost', NULL, 2, ?)",
                     (json.dumps(ghost),))
        # The full-text index loses the reopening article behind the table's back.
        seq, title, text = conn.execute("SELECT seq, title, text FROM articles WHERE id=?",
                                        (ids["reopening"][0],)).fetchone()
        conn.execute("INSERT INTO articles_fts(articles_fts, rowid, title, text) "
                     "VALUES ('delete', ?, ?, ?)", (seq, title, text))
        # A count kept on write that drifted from what it counts.
        conn.execute("UPDATE event_counts SET events = events + 1 WHERE facet = ''")
        # An entity counted once too often.
        conn.execute("UPDATE entities SET articles = articles + 1"
                     " WHERE id = (SELECT MIN(id) FROM entities)")
    conn.close()
    result = run_storyline(db, "check")
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    assert any("member missing-article is not a stored article" in line for line in lines)
    assert any(f"article {ids['bridge'][1]} is in two events" in line for line in lines)
    assert any("full-text index" in line for line in lines)
    assert any("event_members says" in line and "missing-article" in line for line in lines)
    assert any(line.startswith("event_counts:") for line in lines)
    assert any(line.startswith("entities:") for line in lines)
    assert len(lines) == 6, lines
    assert "Traceback" not in result.stderr


def test_the_released_store_opens_reads_and_checks_clean(tmp_path: Path) -> None:
    db = tmp_path / "released.db"
    shutil.copyfile(RELEASED_STORE, db)
    store = Store(db)
    try:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert store.count_articles() == 4
        event = store.get_event("ev-bridge")
        assert event is not None and len(event.members) == 3
        assert store.get_articles(event.article_ids)[0].text.startswith("Mayor Orlanda Vesk")
        assert store.search_ids("Tamsin")
    finally:
        store.close()
    assert run_storyline(db, "check").returncode == 0


def test_a_version_2_store_migrates_with_its_events_members(tmp_path: Path) -> None:
    """Before migration 3 every field lived in the row's JSON; before migration 5 an event's
    members only in its JSON."""
    db = tmp_path / "v2.db"
    conn = sqlite3.connect(db, isolation_level=None)
    for script in MIGRATIONS[:2]:
        for statement in _split_sql(script):
            conn.execute(statement)
    conn.execute("PRAGMA user_version=2")
    article = {"id": "a1", "source": "a.txt", "url": None, "title": "Lock gates repaired",
               "outlet": "Canal Post", "published": "2023-05-02", "language": "en",
               "text": "The lock gates at Fennmouth were repaired.", "raw": "",
               "sentences": [[0, 42]]}
    conn.execute(
        "INSERT INTO articles(id, source, url, title, outlet, published, language, text, data,"
        " ingested_at) VALUES ('a1', 'a.txt', NULL, ?, 'Canal Post', '2023-05-02', 'en', ?, ?,"
        " '2023-05-02T10:00:00+00:00')", (article["title"], article["text"], json.dumps(article)))
    event = {"id": "ev1", "title": "Lock gates repaired", "date": "2023-05-02",
             "members": [{"article_id": "a1", "role": "origin"}]}
    conn.execute("INSERT INTO events(id, date, data) VALUES ('ev1', '2023-05-02', ?)",
                 (json.dumps(event),))
    conn.close()

    store = Store(db)
    try:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert store.get_article("a1").text == article["text"]
        assert store.event_ids_of_articles(["a1"]) == {"a1": "ev1"}
        assert store.search_ids("Fennmouth") == ["a1"]
    finally:
        store.close()
    result = run_storyline(db, "check")
    assert result.returncode == 0, result.stdout
