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
    for _ in range(KILLS):
        process = subprocess.Popen(
            storyline_command(db, "ingest", "--no-events", str(tmp_path / "corpus")),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        # Half the kills land at a random moment after start (often during start-up or reading),
        # half shortly after the first article of this run was committed (during the writes).
        before = stored_count(db)
        deadline = time.monotonic() + 20
        if chooser.random() < 0.5:
            time.sleep(chooser.uniform(0.05, 1.5))
        else:
            while stored_count(db) == before and process.poll() is None:
                if time.monotonic() > deadline:
                    break
                time.sleep(0.005)
            time.sleep(chooser.uniform(0, 0.05))
        process.kill()
        process.wait()
    final = run_storyline(db, "ingest", "--no-events", str(tmp_path / "corpus"))
    assert final.returncode == 0, final.stderr
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        titles = [row[0] for row in connection.execute("SELECT title FROM articles")]
        sources = [row[0] for row in connection.execute("SELECT source FROM articles")]
    assert sorted(titles) == sorted(headlines.values())
    assert sorted(Path(source).name for source in sources) == sorted(headlines)
