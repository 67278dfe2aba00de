from __future__ import annotations

import json
import sqlite3
import zlib
from dataclasses import asdict, replace

import numpy as np
import pytest

from storyline.model import Article, Entity, Event, EventMember, content_id
from storyline.store import SCHEMA_VERSION, Store, StoreError
from storyline.store.safety import check
from storyline.store.sqlite import MIGRATIONS, _split_sql, pack_vector
from storyline.vectors import SparseVector


def make_article(text: str = "Body text of the story.", title: str = "A title") -> Article:
    return Article(
        id=content_id(text, title),
        source="x.txt",
        title=title,
        text=text,
        published="2020-01-02",
        entities=[Entity(id="person:ada-lovelace", name="Ada Lovelace", type="person",
                         aliases=["Lovelace", "Ada Lovelace"], salience=0.5, mentions=2)],
    )


def test_add_is_idempotent_and_round_trips(store: Store) -> None:
    article = make_article()
    assert store.add_article(article) is True
    assert store.add_article(make_article()) is False
    assert store.count_articles() == 1
    loaded = store.get_article(article.id)
    assert loaded is not None
    assert loaded.entities[0].aliases == ["Lovelace", "Ada Lovelace"]
    assert loaded.published == "2020-01-02"


def test_article_rows_are_the_listing_rows_of_the_ids_asked_in_their_order(store: Store) -> None:
    first, second = make_article("One story."), make_article("Another story.", "Other")
    for article in (first, second):
        store.add_article(article)
    listed = {row["id"]: row for row in store.list_articles()}
    assert store.article_rows([second.id, "missing", first.id, second.id]) == [
        listed[second.id], listed[first.id]]


def test_full_text_search_survives_fts_syntax(store: Store) -> None:
    store.add_article(make_article("The harbour bridge opened in Valmora.", "Bridge opens"))
    assert [r["title"] for r in store.search("harbour")] == ["Bridge opens"]
    assert store.search('"unbalanced AND ( OR') == []
    assert store.search("") == []


def test_update_reindexes_text(store: Store) -> None:
    article = make_article("Old words here.")
    store.add_article(article)
    article.text = "Completely different vocabulary."
    store.update_article(article)
    assert store.search("vocabulary")
    assert not store.search("Old")


def test_dates_an_event_gives_are_stored_and_the_rest_of_the_article_stays(store: Store
                                                                           ) -> None:
    article = make_article("The harbour ferry sailed again on Thursday.")
    article.published, article.raw = None, "raw input of the page"
    store.add_article(article)
    article.published, article.published_source = "2020-03-05", "inferred"
    article.published_confidence, article.published_reason = 0.8, "from its event e1: its day"
    store.update_article_dates([article])
    assert store.get_article(article.id) == article
    assert [a.id for a in store.get_articles([article.id])] == [article.id]
    assert [r["title"] for r in store.search("ferry")] == ["A title"]
    [entity] = store.find_entities("lovelace")
    assert entity["articles"] == 1 and entity["mentions"] == 2
    with pytest.raises(KeyError):
        store.update_article_dates([make_article("Never stored.")])


def test_entities_aggregate_across_articles(store: Store) -> None:
    store.add_article(make_article("one"))
    store.add_article(make_article("two"))
    [entity] = store.find_entities("lovelace")
    assert entity["articles"] == 2 and entity["mentions"] == 4


def test_sentence_vectors_round_trip_as_int8_and_go_with_the_article_vectors(store: Store
                                                                              ) -> None:
    rng = np.random.default_rng(3)
    matrix = rng.normal(size=(3, 512)).astype(np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    store.put_sentence_vectors("use", {"a": ([0, 2, 5], matrix)})
    found = store.get_sentence_vectors("use", ["a", "b"])
    assert list(found) == ["a"] and sorted(found["a"]) == [0, 2, 5]
    # A byte a value plus a scale a row; each cosine within 1e-3 of the float32 one.
    assert len(store.conn.execute("SELECT vectors FROM sentence_vectors").fetchone()[0]) == 3 * 516
    for row, index in enumerate([0, 2, 5]):
        assert abs(float(found["a"][index] @ matrix[row]) - 1.0) < 1e-3
    assert store.get_sentence_vectors("e5", ["a"]) == {}
    store.delete_vectors(["a"])  # the text changed: its sentences are encoded again
    assert store.get_sentence_vectors("use", ["a"]) == {}


def test_vectors_and_events_round_trip(store: Store) -> None:
    store.put_vectors("enc", {"a": np.arange(4, dtype=np.float32)})
    assert store.get_vectors("enc", ["a", "b"])["a"].tolist() == [0, 1, 2, 3]
    # Stored as float16 (2 bytes a value), read back as float32; float32 rows of older stores
    # still read.
    assert len(store.conn.execute("SELECT vector FROM vectors").fetchone()[0]) == 8
    unit = np.full(512, 512 ** -0.5, dtype=np.float32)
    store.put_vectors("wide", {"u": unit})
    assert store.get_vectors("wide", ["u"])["u"].dtype == np.float32
    assert abs(float(store.get_vectors("wide", ["u"])["u"] @ unit) - 1.0) < 1e-3
    store.conn.execute("UPDATE vectors SET vector=? WHERE article_id='u'", (unit.tobytes(),))
    assert store.get_vectors("wide", ["u"])["u"].tolist() == unit.tolist()
    # A mostly-zero vector (hashed TF-IDF) is stored as its entries (2-byte position, float16
    # value), reads back the same, and is held as its entries.
    sparse = np.zeros(8192, dtype=np.float32)
    sparse[[3, 700, 5000]] = [0.5, 0.5, 0.70703125]
    store.put_vectors("tfidf", {"s": sparse})
    assert len(store.conn.execute("SELECT vector FROM vectors WHERE encoder='tfidf'"
                                  ).fetchone()[0]) == 3 * 4
    assert store.get_vectors("tfidf", ["s"])["s"].tolist() == sparse.tolist()
    held = store.get_vectors("tfidf", ["s"], held=True)["s"]
    assert isinstance(held, SparseVector) and held.indices.tolist() == [3, 700, 5000]
    assert store.get_vectors("wide", ["u"], held=True)["u"].dtype == np.float16
    event = Event(id="e1", title="T", date="2020-01-02", members=[EventMember("a", "origin")])
    store.save_events([event])
    assert store.get_event("e1").members[0].role == "origin"


def test_vectors_stored_compressed_by_an_older_release_are_rewritten_as_their_entries(
        tmp_path) -> None:
    """Migration 16: a store of schema 15 kept hashed TF-IDF vectors zlib-compressed and had no
    `sparse` column; opened, those become their entries with the same values, and encoder
    vectors stay as they were."""
    db = tmp_path / "old.db"
    tfidf = {f"t{n}": np.zeros(8192, dtype=np.float32) for n in range(3)}
    for n, vector in enumerate(tfidf.values()):
        vector[[n, 100 + n, 8191 - n]] = [0.25, 0.5, 0.8125]
    dense = np.linspace(-1, 1, 512, dtype=np.float32)
    with Store(db) as store:
        store.put_vectors("use", {"d": dense})
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("DELETE FROM vectors")
        conn.execute("ALTER TABLE vectors DROP COLUMN sparse")
        conn.executemany("INSERT INTO vectors VALUES (?,?,?,?)",
                         [(key, "tfidf", 8192, pack_vector(v)) for key, v in tfidf.items()]
                         + [("d", "use", 512, pack_vector(dense))])
        conn.execute("PRAGMA user_version = 15")
    conn.close()
    with Store(db) as store:
        rows = dict(store.conn.execute("SELECT article_id, sparse FROM vectors").fetchall())
        assert rows == {"t0": 1, "t1": 1, "t2": 1, "d": 0}
        found = store.get_vectors("tfidf", list(tfidf))
        assert all(found[key].tolist() == vector.tolist() for key, vector in tfidf.items())
        assert store.get_vectors("use", ["d"])["d"].tolist() == (
            dense.astype(np.float16).astype(np.float32).tolist())


def test_texts_stored_plain_by_an_older_release_are_compressed_and_still_searched(
        tmp_path) -> None:
    """Migration 17: a store of schema 16 held each text plain under a full-text index of the
    articles table; opened, the texts are compressed, every article reads back as it was, and
    search finds and quotes them as before, then follows deletes and updates."""
    db = tmp_path / "old.db"
    harbour = make_article("The harbour bridge opened in Valmora after a decade.", "Bridge opens")
    flood = make_article("Floods closed the old harbour road on Tuesday.", "Floods")
    with Store(db) as store:
        store.add_article(harbour)
        store.add_article(flood)
        before = store.search("harbour")
    conn = sqlite3.connect(db)
    with conn:
        for statement in ("DROP TRIGGER articles_ai", "DROP TRIGGER articles_ad",
                          "DROP TRIGGER articles_au", "DROP TABLE articles_fts",
                          "DROP VIEW articles_plain"):
            conn.execute(statement)
        for article in (harbour, flood):
            conn.execute("UPDATE articles SET text = ? WHERE id = ?", (article.text, article.id))
        for statement in _split_sql(MIGRATIONS[0]):  # the index and triggers of schema 1-16
            if "articles_fts" in statement:
                conn.execute(statement)
        conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')")
        conn.execute("PRAGMA user_version = 16")
    conn.close()
    with Store(db) as store:
        assert {type(text) for (text,) in store.conn.execute("SELECT text FROM articles")} == {
            bytes}
        assert store.get_article(harbour.id).text == harbour.text
        assert store.search("harbour") == before and before[0]["snippet"]
        assert check(store) == []
        with store.transaction() as conn:
            conn.execute("DELETE FROM articles WHERE id = ?", (flood.id,))
        harbour.text = "A ferry now crosses to Valmora."
        store.update_article(harbour)
        assert store.search("harbour") == [] and store.search_ids("ferry") == [harbour.id]
        assert check(store) == []


def test_entities_kept_in_the_json_by_an_older_release_move_to_their_rows_in_order(
        tmp_path) -> None:
    """Migration 18: a store of schema 17 kept each article's entities in its JSON as well as
    in `article_entities`; opened, they are rows only, read back in the order the article gave
    them (not the rows' key order), and so are the entities of articles written after."""
    db = tmp_path / "old.db"
    article = make_article("Ada met Charles in London.")
    article.entities = [
        Entity(id="place:london", name="London", type="place", aliases=["London"],
               salience=0.75, mentions=1),
        Entity(id="person:ada-lovelace", name="Ada Lovelace", type="person",
               aliases=["Ada", "Ada Lovelace"], salience=0.123456789, mentions=3),
    ]
    with Store(db) as store:
        store.add_article(article)
        data = store.conn.execute("SELECT data FROM articles").fetchone()[0]
    conn = sqlite3.connect(db)
    with conn:
        old_json = {**json.loads(zlib.decompress(data)),
                    "entities": [asdict(e) for e in article.entities]}
        conn.execute("UPDATE articles SET data = ?",
                     (zlib.compress(json.dumps(old_json).encode("utf-8")),))
        conn.execute("ALTER TABLE article_entities DROP COLUMN position")
        conn.execute("PRAGMA user_version = 17")
    conn.close()
    with Store(db) as store:
        stored = json.loads(zlib.decompress(store.conn.execute("SELECT data FROM articles"
                                                               ).fetchone()[0]))
        assert "entities" not in stored
        assert store.get_article(article.id).entities == article.entities
        assert [a.entities for a in store.iter_articles()] == [article.entities]
        later = make_article("Charles wrote to Ada.", "Letters")
        later.entities = article.entities[::-1]
        store.add_article(later)
        assert store.get_articles([later.id])[0].entities == later.entities


def test_page_lines_named_by_source_text_in_an_older_release_keep_every_answer(
        tmp_path) -> None:
    """Migration 19: a store of schema 18 named each page line's template source by its text;
    opened, lines name it by number, and every question about them answers as before, also
    for a source of pages written after."""
    db = tmp_path / "old.db"
    pages = [make_article(f"Story number {n} text.", f"Title {n}") for n in range(4)]
    lines = {0: {7: True, 8: True}, 1: {7: True, 8: False}, 2: {7: False, 9: True}, 3: {7: True}}
    with Store(db) as store:
        for n, page in enumerate(pages):
            store.add_article(page)
            store.put_page_lines(page.id, "gazette.example" if n < 3 else "herald.example",
                                 lines[n])
    conn = sqlite3.connect(db)
    with conn:
        conn.executescript("""
            CREATE TABLE old_lines (source TEXT NOT NULL, fingerprint INTEGER NOT NULL,
                article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
                kept INTEGER NOT NULL, PRIMARY KEY (source, fingerprint, article_id))
                WITHOUT ROWID;
            INSERT INTO old_lines SELECT n.source, p.fingerprint, p.article_id, p.kept
                FROM page_lines p JOIN page_source_numbers n ON n.number = p.source_number;
            DROP TABLE page_lines;
            DROP TABLE page_source_numbers;
            ALTER TABLE old_lines RENAME TO page_lines;
            CREATE INDEX page_lines_article ON page_lines(article_id);
            PRAGMA user_version = 18;
        """)
    conn.close()
    with Store(db) as store:
        assert store.line_page_counts("gazette.example", [7, 8, 9]) == {7: 3, 8: 2, 9: 1}
        assert store.frequent_lines("gazette.example", 2) == {7: 3, 8: 2}
        assert store.line_pages("gazette.example", 7) == [p.id for p in pages[:3]]
        assert store.pages_keeping("gazette.example", [7]) == [p.id for p in pages[:2]]
        assert store.line_pages("herald.example", 7) == [pages[3].id]
        assert store.kept_lines([pages[2].id]) == {pages[2].id: {9}}
        later = make_article("A later story.", "Later")
        store.add_article(later)
        store.put_page_lines(later.id, "courier.example", {7: True})
        assert store.line_pages("courier.example", 7) == [later.id]
        assert store.line_page_counts("gazette.example", [7]) == {7: 3}
        assert check(store) == []


def test_schema_is_versioned_and_newer_schema_refused(tmp_path) -> None:
    path = tmp_path / "s.db"
    Store(path).close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreError):
        Store(path)


def test_checkpoint_moves_the_wal_into_the_database_file(tmp_path) -> None:
    path = tmp_path / "s.db"
    with Store(path) as store:
        article = make_article("A story written to the WAL first.")
        store.add_article(article)
        wal = tmp_path / "s.db-wal"
        assert wal.stat().st_size > 0
        reader = sqlite3.connect(path, isolation_level=None)
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM articles").fetchone()  # holds its snapshot
        store.add_article(make_article("Another story."))
        assert not store.checkpoint()  # the WAL holds what that reader still reads
        reader.execute("COMMIT")
        reader.close()
        assert store.checkpoint()
        assert wal.stat().st_size == 0
        assert store.get_article(article.id) == article
    with Store(path) as reopened:
        assert reopened.count_articles() == 2


def test_failed_transaction_leaves_no_trace(store: Store) -> None:
    with pytest.raises(RuntimeError), store.transaction():
        store.add_article(make_article("inside"))
        raise RuntimeError("boom")
    assert store.count_articles() == 0


def test_a_write_failing_inside_a_transaction_leaves_nothing_of_itself(store: Store) -> None:
    first = make_article("Stored first.")
    refused = make_article("Refused after its row went in.", "Refused")
    # An entity name SQLite cannot take (a lone surrogate): the article's row is written,
    # then its entities fail.
    refused.entities[0].name = "Ada \ud800"
    with store.transaction():
        store.add_article(first)
        with pytest.raises(UnicodeEncodeError):
            store.add_article(refused)
    assert store.has_article(first.id)
    assert not store.has_article(refused.id)
    assert store.get_entity("person:ada-lovelace")["articles"] == 1
    assert check(store) == []


def test_article_fields_are_stored_once_and_round_trip(store: Store) -> None:
    from storyline.enrich.sentences import split_sentences

    text = "The council met on Monday. It voted to rebuild the pier.\n\nWork starts in May."
    raw = "MENU | Home | Sport\n" + text + "\nShare this story\n" * 40
    article = make_article(text)
    article.raw, article.sentences = raw, split_sentences(text)
    article.removed = []
    store.add_article(article)
    loaded = store.get_article(article.id)
    assert loaded == article
    assert store.get_articles([article.id]) == [article] == list(store.iter_articles())
    row = store.conn.execute("SELECT data, raw FROM articles").fetchone()
    data = zlib.decompress(row["data"]).decode("utf-8")  # the JSON is compressed too
    assert text not in data and "Share this story" not in data
    assert '"sentences":[[0,26],' in data
    assert len(row["raw"]) < len(raw) / 4  # compressed: boilerplate repeats
    # Pages and timelines load reports without their raw input; everything else is the same.
    assert store.get_articles([article.id], raw=False) == [replace(article, raw="")]
    article.raw = ""
    store.update_article(article)
    assert store.get_article(article.id).raw == ""


def test_rows_written_before_the_slim_format_still_read(store: Store) -> None:
    import json

    article = make_article("An older row keeps every field in its JSON.")
    article.raw = "raw input"
    store.add_article(article)
    old_json = json.dumps(article.to_dict())  # what schema 2 stored in `data`
    store.conn.execute("UPDATE articles SET data=?, raw=NULL", (old_json,))
    assert store.get_article(article.id) == article


def test_the_raw_input_is_packed_against_the_text_it_repeats(store: Store) -> None:
    import json
    import random

    rng = random.Random(3)
    words = ["harbour", "council", "vote", "ferry", "storm", "mayor", "pier", "budget", "rail"]
    text = "\n\n".join(" ".join(rng.choice(words) + str(rng.randrange(99)) for _ in range(60))
                       for _ in range(8))
    article = make_article(text)
    article.raw = json.dumps({"title": article.title, "text": text, "outlet": "Ledger"})
    store.add_article(article)
    packed = store.conn.execute("SELECT raw FROM articles").fetchone()["raw"]
    # A feed record repeats its text: packed against it, it costs what the text does not hold.
    assert len(packed) < len(zlib.compress(article.raw.encode("utf-8"))) / 5
    assert store.get_article(article.id) == article
    # Re-cleaning changes the text the raw input is packed against: it is packed again.
    article.text = text[: len(text) // 2]
    store.update_article(article)
    assert store.get_article(article.id).raw == article.raw
    # Rows written before kept plain zlib, which still reads.
    store.conn.execute("UPDATE articles SET raw=?", (zlib.compress(article.raw.encode("utf-8")),))
    assert store.get_article(article.id).raw == article.raw


def test_page_lines_count_pages_and_find_the_pages_still_keeping_a_line(store: Store) -> None:
    pages = [make_article(f"Story number {n} text.", f"Title {n}") for n in range(3)]
    for page in pages:
        store.add_article(page)
    for n, page in enumerate(pages):
        store.put_page_lines(page.id, "gazette.example", {7: True, 8: n == 0, 100 + n: True})
    assert store.line_page_counts("gazette.example", [7, 8, 9]) == {7: 3, 8: 3}
    assert store.frequent_lines("gazette.example", 3) == {7: 3, 8: 3}
    assert store.line_pages("gazette.example", 7) == [p.id for p in pages]
    assert store.pages_keeping("gazette.example", [8]) == [pages[0].id]
    assert store.kept_lines([pages[1].id]) == {pages[1].id: {7, 101}}
    assert store.page_sources([pages[2].id]) == {pages[2].id: "gazette.example"}
    store.put_page_lines(pages[0].id, "gazette.example", {7: False})  # replaced, not added
    assert store.pages_keeping("gazette.example", [7, 8]) == [p.id for p in pages[1:]]
    assert store.line_page_counts("gazette.example", [8, 100]) == {8: 2}
    # Asked for more lines than one query takes, a page keeping lines of two queries is one page.
    store.put_page_lines(pages[0].id, "gazette.example", {n: True for n in range(1000, 2000)})
    assert store.pages_keeping("gazette.example", range(1000, 2000)) == [pages[0].id]

    store.put_templates("gazette.example", {7: (3, "Subscribe to the Gazette")})
    store.put_templates("gazette.example", {7: (4, "")})  # a new count keeps the example line
    assert store.templates("gazette.example") == {7: 4}
    assert store.templates("other.example") == {}
