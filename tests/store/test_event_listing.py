"""Event lists and the entity name filter read what they need by index: the answers equal those
computed from every stored event or name, and the query plans read no whole table."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from storyline.model import Article, Entity, Event, EventMember
from storyline.store import EventFilter, Store
from storyline.store.safety import check

LANGUAGES = ["en", "de", "fr"]
OUTLETS = ["Ledger", "courier", "COURIER", "Daily Pier"]
ENTITIES = ["person:ada", "person:bo", "place:lisk", "org:tassin"]


def event(number: int, size: int, day: int | None, languages: list[str], outlets: list[str],
          entities: list[str]) -> Event:
    return Event(id=f"ev-{number}", title=f"Event {number}",
                 date=None if day is None else f"2021-03-{day:02d}",
                 members=[EventMember(article_id=f"a{number}-{m}") for m in range(size)],
                 languages=languages, outlets=outlets, entities=entities)


events_drawn = st.builds(
    event, st.integers(0, 30), st.integers(1, 4), st.one_of(st.none(), st.integers(1, 28)),
    st.lists(st.sampled_from(LANGUAGES), max_size=2, unique=True),
    st.lists(st.sampled_from(OUTLETS), max_size=2, unique=True),
    st.lists(st.sampled_from(ENTITIES), max_size=3),
)
filters = st.builds(
    EventFilter,
    date_from=st.sampled_from([None, "2021-03-05"]),
    date_to=st.sampled_from([None, "2021-03-20"]),
    language=st.sampled_from([None, *LANGUAGES]),
    outlet=st.sampled_from([None, "courier", "Ledger", "nowhere"]),
    entity_ids=st.sampled_from([None, frozenset(), frozenset({"person:ada"}),
                                frozenset({"person:bo", "place:lisk"})]),
    min_articles=st.integers(1, 3),
    dated=st.sampled_from([None, True, False]),
)


def matches(e: Event, where: EventFilter) -> bool:
    """The filter's meaning, from the event record alone."""
    return ((where.date_from is None or (e.date is not None and e.date >= where.date_from))
            and (where.date_to is None or (e.date is not None and e.date[:10] <= where.date_to))
            and (where.dated is None or (e.date is not None) == where.dated)
            and (where.language is None or where.language in e.languages)
            and (where.outlet is None
                 or where.outlet.lower() in {o.lower() for o in e.outlets})
            and (where.entity_ids is None or bool(where.entity_ids & set(e.entities)))
            and len(e.members) >= where.min_articles)


ORDERS: dict[str, Callable[[Event], Any]] = {
    "date": lambda e: (e.date is None, "" if e.date is None else
                       "".join(chr(0x10FFFF - ord(c)) for c in e.date), e.id),
    "size": lambda e: (-len(e.members), e.date is None, "" if e.date is None else
                       "".join(chr(0x10FFFF - ord(c)) for c in e.date), e.id),
}


@given(st.lists(st.lists(events_drawn, max_size=8), min_size=1, max_size=4),
       st.lists(st.integers(0, 30), max_size=4), st.lists(filters, min_size=1, max_size=6),
       st.integers(0, 3))
def test_filtered_event_lists_and_their_totals_equal_a_reading_of_every_event(
        tmp_path_factory, batches, removed, wheres, offset) -> None:
    stored: dict[str, Event] = {}
    with Store(tmp_path_factory.mktemp("events") / "s.db") as store:
        for batch in batches:  # written, rewritten (same ids) and removed as updates do
            gone = sorted({f"ev-{n}" for n in removed} & stored.keys())
            store.save_events(batch, removed=gone)
            for e in gone:
                stored.pop(e)
            stored.update((e.id, e) for e in batch)
        assert store.count_events() == len(stored)
        # The rows triggers keep agree with a count of every event (the members are not
        # stored articles here: those problems are not this test's).
        kept = ("event_facets:", "event_counts:", "events:", "entity_kind_counts:")
        assert [problem for problem in check(store) if problem.startswith(kept)] == []
        for where in wheres:
            chosen = [e for e in stored.values() if matches(e, where)]
            for order, key in ORDERS.items():
                page, total, articles = store.find_events(where, order, limit=3, offset=offset)
                assert (total, articles) == (len(chosen), sum(len(e.members) for e in chosen))
                assert [e.id for e in page] == [e.id for e in sorted(chosen, key=key)][
                    offset:offset + 3]
            # No member is stored, so each counts as an outlet of its own.
            page, _, _ = store.find_events(where, "outlets", limit=3, offset=offset)
            assert [e.id for e in page] == [e.id for e in sorted(chosen, key=ORDERS["size"])][
                offset:offset + 3]


def query_plans(store: Store, ask: Callable[[], object]) -> list[str]:
    """The query plan lines of every statement `ask` runs on the store's connection (not those
    SQLite runs inside a virtual table, traced as comments)."""
    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    try:
        ask()
    finally:
        store.conn.set_trace_callback(None)
    reader = sqlite3.connect(store.path)
    reader.create_function("plain_text", 1, lambda value: value)
    try:
        return [row[3] for sql in statements if not sql.startswith("--")
                for row in reader.execute("EXPLAIN QUERY PLAN " + sql)]
    finally:
        reader.close()


def test_a_filtered_event_list_reads_no_whole_table(store: Store) -> None:
    store.save_events([event(n, 1 + n % 3, 1 + n % 28, ["en"], ["Ledger"],
                             ["person:ada"] if n % 50 == 0 else ["person:bo"])
                       for n in range(400)])
    for where, order in ((EventFilter(entity_ids=frozenset({"person:ada"})), "date"),
                         (EventFilter(entity_ids=frozenset({"person:ada"}), min_articles=2),
                          "outlets"),
                         (EventFilter(), "date"), (EventFilter(min_articles=2, dated=True), "date"),
                         (EventFilter(), "outlets")):
        plans = query_plans(store, lambda: store.find_events(where, order, limit=20))  # noqa: B023
        assert not [p for p in plans if p.startswith("SCAN events")
                    and "INDEX events_listing" not in p and "INDEX events_by_outlets" not in p
                    ], plans
        assert not [p for p in plans if "json_each" in p], plans
        assert store.find_events(where, limit=20)[1] == sum(
            1 for n in range(400) if (n % 50 == 0) >= bool(where.entity_ids)
            and 1 + n % 3 >= where.min_articles)
    # Unfiltered, the page is read along the order's index and its totals from the counts.
    plans = query_plans(store, lambda: store.find_events(EventFilter(), limit=20))
    assert not [p for p in plans if "SCAN events" in p and "INDEX" not in p], plans
    assert query_plans(store, store.count_events) == [
        "SEARCH event_counts USING PRIMARY KEY (facet=?)"]


def named(number: int, name: str) -> Article:
    return Article(id=f"n{number}", source=f"{number}.txt", title=f"T{number}", text="Text.",
                   entities=[Entity(id=f"e:{number}", name=name, type="person", aliases=[],
                                    salience=0.5, mentions=1)])


def ascii_lower(text: str) -> str:
    """SQLite's lower(): ASCII letters only."""
    return "".join(c.lower() if c.isascii() else c for c in text)


name_text = st.text(st.sampled_from("abcAB éÉßʼ'\"%_\\-"), min_size=1, max_size=8)


@given(st.lists(name_text, min_size=1, max_size=8), st.lists(name_text, min_size=1, max_size=5))
def test_the_entity_name_filter_finds_what_reading_every_name_finds(
        tmp_path_factory, names, pieces) -> None:
    with Store(tmp_path_factory.mktemp("names") / "s.db") as store:
        for number, name in enumerate(names):
            store.add_article(named(number, name))
        for piece in pieces:
            expected = {f"e:{n}" for n, name in enumerate(names)
                        if piece.casefold() in ascii_lower(name)}
            assert {e["id"] for e in store.list_entities(name=piece)} == expected
            assert store.count_entities(name=piece) == len(expected)


def test_the_entity_name_filter_seeks_names_by_trigram(store: Store) -> None:
    for number in range(60):
        store.add_article(named(number, f"Person {number} Obama" if number == 7 else
                                f"Person {number}"))
    plans = query_plans(store, lambda: store.list_entities(name="bam"))
    # (the virtual table's MATCH is a search of its index, though SQLite calls it a scan)
    assert not [p for p in plans if p.split()[:2] in (["SCAN", "e"], ["SCAN", "c"])], plans
    assert [e["name"] for e in store.list_entities(name="bAM")] == ["Person 7 Obama"]
    # An entity renamed (its only article re-enriched) leaves the name index under its old name.
    store.update_article(named(7, "Person 7"))
    assert store.list_entities(name="bam") == []
    assert [e["id"] for e in store.list_entities(name="son 7")] == ["e:7"]
