"""A killed ingest (SIGKILL at random points) resumes and stores every article exactly once."""

from __future__ import annotations

import random
import sqlite3
import subprocess
import time
from pathlib import Path

from tests.cli.helpers import run_storyline, storyline_command, write_stories

FILES = 40
KILLS = 3


def stored_count(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=5) as connection:
            return connection.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    except sqlite3.OperationalError:  # not created yet
        return 0


def test_sigkill_at_random_points_then_resume(tmp_path: Path) -> None:
    headlines = write_stories(tmp_path / "corpus", FILES)
    db = tmp_path / "store.db"
    chooser = random.Random(20260303)
    counts_after_kills = []
    for _ in range(KILLS):
        process = subprocess.Popen(
            storyline_command(db, "ingest", "--no-events", str(tmp_path / "corpus")),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        # Wait for this run's first new article, then kill at a random moment of its writes.
        before = stored_count(db)
        deadline = time.monotonic() + 300  # a loaded 2-core machine starts slowly
        while stored_count(db) == before and process.poll() is None:
            assert time.monotonic() < deadline, "ingest stored nothing within five minutes"
            time.sleep(0.001)
        time.sleep(chooser.uniform(0, 0.03))
        process.kill()
        process.wait()
        counts_after_kills.append(stored_count(db))
    assert any(0 < count < FILES for count in counts_after_kills), counts_after_kills
    final = run_storyline(db, "ingest", "--no-events", str(tmp_path / "corpus"))
    assert final.returncode == 0, final.stderr
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        titles = [row[0] for row in connection.execute("SELECT title FROM articles")]
        sources = [row[0] for row in connection.execute("SELECT source FROM articles")]
    assert sorted(titles) == sorted(headlines.values())
    assert sorted(Path(source).name for source in sources) == sorted(headlines)
