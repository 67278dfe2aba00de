"""A store kept inside the folder being ingested (with its -wal/-shm) is never read as input."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from storyline.ingest import iter_sources
from storyline.store import Store
from tests.cli.helpers import run_storyline, write_stories


def test_sqlite_files_in_a_walked_folder_are_skipped(tmp_path: Path) -> None:
    write_stories(tmp_path, 1)
    store = Store(tmp_path / "storyline.db")  # open, so its -wal and -shm exist too
    other = sqlite3.connect(tmp_path / "other.sqlite")
    other.execute("CREATE TABLE t (x)")
    other.commit()
    # Named like a companion file but beside no database: ordinary input.
    (tmp_path / "minutes.txt-wal").write_text("Minutes of the meeting.")
    try:
        assert {p.name for p in tmp_path.iterdir()} >= {"storyline.db-wal", "storyline.db-shm"}
        assert [Path(p).name for p in iter_sources([str(tmp_path)])] == [
            "minutes.txt-wal", "story-000.txt",
        ]
    finally:
        store.close()
        other.close()


def test_ingesting_the_folder_that_holds_the_store(tmp_path: Path) -> None:
    write_stories(tmp_path, 2)
    db = tmp_path / "storyline.db"
    first = run_storyline(db, "ingest", "--no-events", str(tmp_path))
    assert (first.returncode, first.stdout.strip()) == (0, "new 2, duplicate 0, failed 0"), first
    again = run_storyline(db, "ingest", "--no-events", str(tmp_path))
    assert (again.returncode, again.stdout.strip()) == (0, "new 0, duplicate 2, failed 0"), again
