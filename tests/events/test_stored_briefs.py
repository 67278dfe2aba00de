"""Briefs are built when their event changes and stored; pages serve the stored brief."""

from __future__ import annotations

import subprocess
import sys

import pytest

from storyline import forked
from storyline.pipeline import update_events
from storyline.service.context import ServerContext
from storyline.store import Store
from storyline.summarize import brief as brief_module
from storyline.summarize.brief import build_brief
from storyline.summarize.stored import brief_key
from tests.events.test_cluster import BANK, QUAKE


def test_an_update_stores_the_briefs_of_the_events_it_changed(store: Store, monkeypatch) -> None:
    for article in QUAKE + BANK[:1]:
        store.add_article(article)
    update_events(store)
    for event in store.list_events():
        stored = store.get_brief(event.id, brief_key(event))
        assert stored == build_brief(event, store.get_articles(event.article_ids)).to_dict()

    built: list[str] = []
    original = brief_module.build_brief
    monkeypatch.setattr(brief_module, "build_brief",
                        lambda event, articles, **options: built.append(event.id)
                        or original(event, articles, **options))
    # In this process, where `built` is (a forked update would append to its own copy).
    monkeypatch.setattr(forked, "can_fork", lambda: False)
    store.add_article(BANK[1])
    update_events(store)
    assert built == ["ev-bank-1"]  # the quake event did not change
    bank = store.get_event("ev-bank-1")
    assert store.get_brief(bank.id, brief_key(bank))["articles"] == sorted(bank.article_ids)
    # The brief of the event before bank-2 joined is not served for the event as it is now.
    assert store.get_brief(bank.id, "stale") is None


def test_the_server_serves_the_stored_brief_without_building_one(store: Store,
                                                                 monkeypatch) -> None:
    for article in BANK:
        store.add_article(article)
    update_events(store)
    event = store.get_event("ev-bank-1")
    expected = store.get_brief(event.id, brief_key(event))
    monkeypatch.setattr(brief_module, "build_brief",
                        lambda *a: pytest.fail("a stored brief was built again"))
    assert ServerContext(store=store, version=lambda: 0).brief(event) == expected


def test_a_store_without_stored_briefs_still_gets_them_built(tmp_path) -> None:
    with Store(tmp_path / "old.db") as store:
        for article in BANK:
            store.add_article(article)
        update_events(store)
        store.conn.execute("DELETE FROM event_briefs")
        event = store.get_event("ev-bank-1")
        brief = ServerContext(store=store, version=lambda: 0).brief(event)
        assert brief == build_brief(event, store.get_articles(event.article_ids)).to_dict()


def test_serving_a_stored_brief_loads_no_text_analysis(tmp_path) -> None:
    """The brief builder loads scikit-learn (most of a second): a server whose briefs are
    stored must not pay it on its first event page."""
    db = tmp_path / "stored.db"
    with Store(db) as store:
        for article in BANK:
            store.add_article(article)
        update_events(store)
    probe = ("import sys; from storyline.service.context import ServerContext;"
             "from storyline.store import Store; store = Store(sys.argv[1]);"
             "context = ServerContext(store=store, version=lambda: 0);"
             "assert context.brief(store.get_event('ev-bank-1'))['articles'];"
             "print('sklearn' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", probe, str(db)], capture_output=True,
                            text=True, timeout=120, check=True)
    assert result.stdout.strip() == "False"
