"""A killed ingest (SIGKILL at chosen points, through storyline.testhooks) resumes and stores
every article exactly once; one killed inside the event update heals on the next run."""

from __future__ import annotations

import signal
import sqlite3
from pathlib import Path

from storyline.testhooks import KILL_VARIABLE
from tests.cli.helpers import run_storyline, write_stories

FILES = 40
# The CLI stores each batch of 32 files (`pipeline.ENRICH_BATCH_FILES`) as one group of
# articles (`pipeline.STORE_GROUP_ARTICLES`), so this corpus is two groups. Each run is killed
# at a point of its n-th group (already stored articles make a group too, as a rerun passes them
# again): right after the first group committed; then with the second group written but not
# committed (none of it may stay); then with the same group committed.
KILL_POINTS = ("ingest.stored:1", "ingest.vectors:2", "ingest.stored:2")


def stored_count(db: Path) -> int:
    with sqlite3.connect(db, timeout=30) as connection:
        return connection.execute("SELECT COUNT(*) FROM articles").fetchone()[0]


def check_store(db: Path, headlines: dict[str, str]) -> None:
    with sqlite3.connect(db) as connection:
        titles = [row[0] for row in connection.execute("SELECT title FROM articles")]
        sources = [row[0] for row in connection.execute("SELECT source FROM articles")]
    assert sorted(titles) == sorted(headlines.values())
    assert sorted(Path(source).name for source in sources) == sorted(headlines)
    check = run_storyline(db, "check")
    assert check.returncode == 0, check.stdout + check.stderr


def test_sigkill_at_chosen_points_then_resume(tmp_path: Path) -> None:
    headlines = write_stories(tmp_path / "corpus", FILES)
    db = tmp_path / "store.db"
    counts_after_kills = []
    for point in KILL_POINTS:
        killed = run_storyline(db, "ingest", "--no-events", str(tmp_path / "corpus"),
                               env={KILL_VARIABLE: point})
        assert killed.returncode == -signal.SIGKILL, killed.stderr
        counts_after_kills.append(stored_count(db))
    # Killed after a group committed: it is stored whole; killed inside one: none of it is.
    assert counts_after_kills == [32, 32, 40]
    final = run_storyline(db, "ingest", "--no-events", str(tmp_path / "corpus"))
    assert final.returncode == 0, final.stderr
    check_store(db, headlines)


def test_sigkill_inside_the_event_update_heals_on_the_next_run(tmp_path: Path) -> None:
    headlines = write_stories(tmp_path / "corpus", 8)
    db = tmp_path / "store.db"
    args = ("ingest", "--fast", str(tmp_path / "corpus"))
    killed = run_storyline(db, *args, env={KILL_VARIABLE: "events.saving"})
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    with sqlite3.connect(db) as connection:
        # The saving transaction died with the process: no half-written events.
        assert connection.execute("SELECT COUNT(*) FROM events").fetchone()[0] == 0
    again = run_storyline(db, *args)
    assert again.returncode == 0, again.stderr
    check_store(db, headlines)
    with sqlite3.connect(db) as connection:
        members = connection.execute("SELECT COUNT(*) FROM event_members").fetchone()[0]
    assert members == len(headlines)


def vector_count(db: Path) -> int:
    with sqlite3.connect(db) as connection:
        return connection.execute("SELECT COUNT(*) FROM vectors").fetchone()[0]


def test_sigkill_between_articles_and_their_vectors_stores_neither(tmp_path: Path) -> None:
    headlines = write_stories(tmp_path / "corpus", 8)
    db = tmp_path / "store.db"
    args = ("ingest", "--fast", str(tmp_path / "corpus"))
    killed = run_storyline(db, *args, env={KILL_VARIABLE: "ingest.vectors"})
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    # The group's articles were written, their vectors not yet: the transaction died with
    # the process, so no article is stored without its vector.
    assert stored_count(db) == 0
    assert vector_count(db) == 0
    again = run_storyline(db, *args)
    assert again.returncode == 0, again.stderr
    check_store(db, headlines)
    assert vector_count(db) == len(headlines)
    with sqlite3.connect(db) as connection:
        members = connection.execute("SELECT COUNT(*) FROM event_members").fetchone()[0]
    assert members == len(headlines)


def test_sigkill_inside_recluster_keeps_the_old_events(tmp_path: Path) -> None:
    headlines = write_stories(tmp_path / "corpus", 8)
    db = tmp_path / "store.db"
    assert run_storyline(db, "ingest", "--fast", str(tmp_path / "corpus")).returncode == 0

    def events() -> list[tuple[str, str]]:
        with sqlite3.connect(db) as connection:
            return connection.execute(
                "SELECT article_id, event_id FROM event_members ORDER BY article_id").fetchall()

    before = events()
    # The fast profile's components, as `ingest --fast` used (recluster has no --fast).
    fast = tmp_path / "fast.toml"
    fast.write_text('[ner]\nname = "rules"\n[encoder]\nname = "tfidf"\n[claims]\nencoder = ""\n')
    killed = run_storyline(db, "--config", str(fast), "recluster",
                           env={KILL_VARIABLE: "events.saving"})
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    # The rebuild's transaction died with it: the events are those it was rebuilding.
    assert events() == before
    check_store(db, headlines)
    again = run_storyline(db, "--config", str(fast), "recluster")
    assert again.returncode == 0, again.stderr
    check_store(db, headlines)
    assert len(events()) == len(headlines)
