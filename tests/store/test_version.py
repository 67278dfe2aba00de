"""The store's version grows with every write, by this connection or another, and only then:
caches of timelines and searches are keyed on it."""

from __future__ import annotations

from pathlib import Path

from storyline.model import Article, content_id
from storyline.store import Store


def article(title: str) -> Article:
    text = f"{title}. A second sentence about it."
    return Article(id=content_id(text, title), source=f"{title}.txt", title=title, text=text)


def test_version_grows_with_own_and_other_connections_writes_only(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    with Store(db) as reader, Store(db) as writer:
        start = reader.version()
        reader.count_articles()
        reader.search("anything")
        assert reader.version() == start

        writer.add_article(article("Harbour opens"))
        after_other = reader.version()
        assert after_other > start

        reader.add_article(article("Ferry delayed"))
        after_own = reader.version()
        assert after_own > after_other
        assert reader.version() == after_own

        # A write that stores nothing new (a duplicate) still commits a log row: the version
        # may move, but never back.
        writer.add_article(article("Harbour opens"))
        assert reader.version() >= after_own
