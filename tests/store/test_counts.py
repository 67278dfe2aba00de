"""Entity and outlet counts kept on write agree with counting every stored mention."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storyline.model import Article, Entity
from storyline.store import Store
from storyline.store.safety import check
from storyline.store.sqlite import _ENTITY_COUNT_TRIGGERS, MIGRATIONS

ENTITY_IDS = ["person:ada", "person:bo", "place:lisk", "org:tassin"]


def article(number: int, language: str | None, outlet: str | None, picks: list[int]) -> Article:
    entities = [Entity(id=ENTITY_IDS[p], name=ENTITY_IDS[p].split(":")[1].title(),
                       type=ENTITY_IDS[p].split(":")[0], aliases=[f"A{p}", f"B{p % 2}"],
                       salience=0.5, mentions=p + 1) for p in sorted(set(picks))]
    return Article(id=f"a{number}", source=f"{number}.txt", title=f"T{number}",
                   text=f"Text {number}.", language=language, outlet=outlet,
                   published=f"2020-01-{number % 28 + 1:02d}", entities=entities)


def counted(articles: dict[str, Article], language: str | None = None) -> list[dict]:
    """The listing, computed from the articles themselves."""
    rows: dict[str, dict] = {}
    aliases: dict[str, Counter[str]] = defaultdict(Counter)
    for a in articles.values():
        if language and a.language != language:
            continue
        for e in a.entities:
            row = rows.setdefault(e.id, {"id": e.id, "name": e.name, "type": e.type,
                                         "mentions": 0, "articles": 0})
            row["mentions"] += e.mentions
            row["articles"] += 1
    for a in articles.values():
        for e in a.entities:
            aliases[e.id].update(e.aliases)
    for entity_id, row in rows.items():
        row["aliases"] = sorted(aliases[entity_id], key=lambda x: (-aliases[entity_id][x], x))
    return sorted(rows.values(), key=lambda r: (-r["articles"], -r["mentions"], r["id"]))


languages = st.sampled_from([None, "en", "de"])
outlets = st.sampled_from([None, "Ledger", "Courier"])
picks = st.lists(st.integers(0, 3), max_size=3)


@given(st.lists(st.tuples(languages, outlets, picks), min_size=1, max_size=8),
       st.lists(st.tuples(st.integers(0, 7), languages, outlets, picks), max_size=5),
       st.booleans(), st.lists(st.tuples(st.integers(0, 12), picks), max_size=3))
def test_counts_kept_on_write_match_a_full_count(tmp_path_factory, added, updates, grouped,
                                                 undone) -> None:
    """Articles added and updated one transaction each, or all in one (counted as it
    commits), with writes undone in between (a savepoint rolled back: not counted)."""
    steps = [("add", number, *item) for number, item in enumerate(added)] + [
        ("update", *item) for item in updates]
    for at, chosen in undone:  # a new article, or an update of a0, each undone
        steps.insert(min(at, len(steps)), ("undone", 99, "en", "Ledger", chosen))
        steps.insert(min(at, len(steps)), ("undone", 0, "de", None, chosen))
    articles: dict[str, Article] = {}
    with Store(tmp_path_factory.mktemp("counts") / "s.db") as store:
        with store.transaction() if grouped else contextlib.nullcontext():
            for step, number, language, outlet, chosen in steps:
                written = article(number, language, outlet, chosen)
                if step == "undone" and (number == 99 or "a0" in articles):
                    with pytest.raises(RuntimeError), store.transaction():
                        (store.add_article if number == 99 else store.update_article)(written)
                        raise RuntimeError("undone")
                elif step == "add" or (step == "update" and f"a{number}" in articles):
                    articles[f"a{number}"] = written
                    (store.add_article if step == "add" else store.update_article)(written)
        assert store.list_entities() == counted(articles)
        assert check(store) == []
        assert store.list_entities(language="en") == counted(articles, "en")
        assert store.count_entities() == len(counted(articles))
        listed = counted(articles)
        assert store.entity_types() == sorted({row["type"] for row in listed})
        for kind in ("person", "place", "org"):
            assert store.count_entities(type=kind) == sum(r["type"] == kind for r in listed)
        for language in ("en", "de"):
            assert store.count_entities(language=language) == len(counted(articles, language))
        outlets_listed, total = store.list_outlets()
        by_outlet = Counter(a.outlet for a in articles.values())
        assert total == len(by_outlet)
        assert {o["outlet"]: o["articles"] for o in outlets_listed} == dict(by_outlet)
        for o in outlets_listed:
            mine = [a for a in articles.values() if a.outlet == o["outlet"]]
            assert o["languages"] == sorted({a.language for a in mine if a.language})
            assert (o["first"], o["last"]) == (min(a.published for a in mine),
                                               max(a.published for a in mine))
        if articles["a0"].entities:
            entity = articles["a0"].entities[0]
            assert entity.id in {e["id"] for e in store.find_entities(entity.aliases[0].upper())}


def test_an_older_store_gets_its_counts_when_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with Store(path) as store:
        for number in range(4):
            store.add_article(article(number, "en" if number % 2 else None, "Ledger", [0, number]))
        expected = store.list_entities()
    conn = sqlite3.connect(path)
    for table in ("entities", "entity_languages", "entity_aliases", "outlet_languages"):
        conn.execute(f"DROP TABLE {table}")
    for trigger in ("article_entities_counted", "article_entities_uncounted",
                    "articles_outlet_counted", "articles_outlet_uncounted", "articles_outlet_moved"):
        conn.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    conn.execute("DROP INDEX articles_outlet")
    counts_migration = next(i for i, sql in enumerate(MIGRATIONS) if "CREATE TABLE entities" in sql)
    conn.execute(f"PRAGMA user_version={counts_migration}")
    conn.commit()
    conn.close()
    with Store(path) as store:
        assert store.list_entities() == expected
        assert json.dumps(store.list_outlets()[0])


def test_a_store_laid_out_before_migration_13_keeps_its_rows_and_counts(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with Store(path) as store:
        articles = {f"a{n}": article(n, "en", "Ledger", [0, n % 4]) for n in range(4)}
        for item in articles.values():
            store.add_article(item)
        store.put_rows("cluster_articles", {"a0": json.dumps({"terms": {"pier": 1.0}})})
    conn = sqlite3.connect(path, isolation_level=None)
    conn.executescript("""
        CREATE TABLE old_rows (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
        INSERT INTO old_rows SELECT key, value FROM cluster_articles;
        DROP TABLE cluster_articles;
        ALTER TABLE old_rows RENAME TO cluster_articles;
        CREATE TABLE old_entities (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            entity_id TEXT NOT NULL, name TEXT NOT NULL, type TEXT NOT NULL,
            aliases TEXT NOT NULL, salience REAL NOT NULL, mentions INTEGER NOT NULL,
            PRIMARY KEY (article_id, entity_id));
        INSERT INTO old_entities SELECT article_id, entity_id, name, type, aliases, salience,
            mentions FROM article_entities;
        DROP TABLE article_entities;
        ALTER TABLE old_entities RENAME TO article_entities;
        CREATE INDEX article_entities_entity ON article_entities(entity_id);
    """)
    conn.executescript(_ENTITY_COUNT_TRIGGERS)  # dropped with the table
    conn.execute("PRAGMA user_version=12")
    conn.close()
    with Store(path) as store:
        assert store.list_entities() == counted(articles)
        assert json.loads(store.get_rows("cluster_articles", ["a0"])["a0"]) == {
            "terms": {"pier": 1.0}}
        # The uncounting trigger came back with the entities' table; the store counts.
        articles["a9"] = article(9, "en", "Ledger", [1, 2])
        store.add_article(articles["a9"])
        assert store.list_entities() == counted(articles)
        layout = dict(store.conn.execute("SELECT name, sql FROM sqlite_master WHERE type='table'"))
    assert "WITHOUT ROWID" in layout["article_entities"]
    assert "WITHOUT ROWID" not in layout["cluster_articles"]


def test_entity_totals_read_the_counts_kept_not_every_entity(store: Store) -> None:
    from tests.store.test_event_listing import query_plans

    for number in range(30):
        store.add_article(article(number, "en", "Ledger", [number % 4]))
    for ask in (store.count_entities, lambda: store.count_entities(type="person"),
                lambda: store.count_entities(language="en"), store.entity_types):
        assert [plan.split()[:2] for plan in query_plans(store, ask)] == [
            ["SEARCH", "entity_kind_counts"]]
