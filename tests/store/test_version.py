"""The store's version grows with every commit, by any connection, and only then: caches of
pages, timelines and searches are keyed on it."""

from __future__ import annotations

from pathlib import Path

from storyline.store import Store, StoreVersion
from tests.store.titled import titled_article


def test_version_grows_with_every_writers_commits_and_not_with_reads(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    with Store(db) as first, Store(db) as second:
        version = StoreVersion(db)
        start = version()
        first.count_articles()
        first.search("anything")
        assert version() == start

        first.add_article(titled_article("Harbour opens"))
        after_first = version()
        assert after_first > start
        assert version() == after_first

        second.add_article(titled_article("Ferry delayed"))
        assert version() > after_first
        version.close()
