"""The event list counts independent publishers as briefs do: one definition
(`clean.outlet.publisher_key`, stored per article) for the store's SQL and the briefs' Python."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from storyline.model import Article, Event, EventMember
from storyline.store import Store
from storyline.summarize.corroboration import publishers

STORY = "The harbour board agreed on Tuesday to reopen the northern pier after repairs ."


def report(number: int, text: str, outlet: str | None = None) -> Article:
    return Article(id=f"a{number}", source=f"pages/{number}.txt", title=f"Pier {number}",
                   text=text, outlet=outlet)


def stored_event(path: Path) -> tuple[Event, list[Article]]:
    articles = [
        # One agency's copy under two mastheads: one publisher.
        report(0, f"NORDHAVEN (Northern Wire) - {STORY}", "Daily Post"),
        report(1, f"NORDHAVEN (Northern Wire) - {STORY} More.", "Morning Ledger"),
        # An outlet's own report counts for the outlet.
        report(2, f"{STORY} Ours.", "Harbour Weekly"),
        # A report that names no publisher, and an unnamed copy of it: one unidentified one.
        report(3, f"{STORY} Unnamed."),
        report(4, f"{STORY} Unnamed copy."),
        # An unnamed report whose copy prints the agency's caveat: both count for the agency.
        report(5, f"{STORY} Footage."),
        report(6, f"{STORY} Footage that could not be independently verified by Reuters ."),
        # A copy of the Daily Post's reprint counts for its origin, whatever masthead it has.
        report(7, f"{STORY} Reprinted.", "Harbour Courier"),
    ]
    event = Event(id="ev-pier", title="Pier reopens", members=[
        EventMember("a0", "origin"), EventMember("a1", "independent"),
        EventMember("a2", "independent"), EventMember("a3", "origin"),
        EventMember("a4", "copy", "a3"), EventMember("a5", "origin"),
        EventMember("a6", "copy", "a5"), EventMember("a7", "copy", "a0"),
    ])
    with Store(path) as store:
        for article in articles:
            store.add_article(article)
        store.save_events([event])
    return event, articles


def test_the_event_list_and_the_brief_count_the_same_publishers(tmp_path: Path) -> None:
    event, articles = stored_event(tmp_path / "s.db")
    by_article = publishers(event, articles)
    groups = {frozenset(a for a, p in by_article.items() if p.key == key)
              for key in {p.key for p in by_article.values()}}
    assert groups == {frozenset({"a0", "a1", "a7"}), frozenset({"a2"}), frozenset({"a3", "a4"}),
                      frozenset({"a5", "a6"})}
    assert by_article["a5"].name == "Reuters" and by_article["a3"].name is None
    with Store(tmp_path / "s.db") as store:
        assert store.independent_outlets([event.id]) == {event.id: 4}


def test_an_older_store_gets_its_publishers_when_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    event, _ = stored_event(path)
    conn = sqlite3.connect(path)
    for trigger in ("events_outlets_counted", "articles_outlets_recounted",
                    "articles_outlets_counted"):  # migration 24's, which read publishers
        conn.execute(f"DROP TRIGGER {trigger}")
    conn.execute("ALTER TABLE articles DROP COLUMN publisher")
    conn.execute("PRAGMA user_version=14")
    conn.commit()
    conn.close()
    with Store(path) as store:
        assert store.independent_outlets([event.id]) == {event.id: 4}
        stored = dict(store.conn.execute("SELECT id, publisher FROM articles").fetchall())
    assert stored["a0"] == stored["a1"] == "source:northern wire"
    assert stored["a6"] == "source:reuters" and stored["a3"] is None


def test_the_count_kept_follows_members_stored_after_their_event_and_read_again(
        tmp_path: Path) -> None:
    event, articles = stored_event(tmp_path / "first.db")
    with Store(tmp_path / "s.db") as store:
        store.save_events([event])  # before its members: each report (a copy for its origin)
        assert store.independent_outlets([event.id]) == {event.id: 5}  # counts alone
        for article in articles:
            store.add_article(article)
        assert store.independent_outlets([event.id]) == {event.id: 4}
        # The outlet's own report, re-cleaned, turns out to be the agency's copy.
        store.update_article(report(2, f"NORDHAVEN (Northern Wire) - {STORY} Ours.",
                                    "Harbour Weekly"))
        assert store.independent_outlets([event.id]) == {event.id: 3}
