from __future__ import annotations

import random
import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.events import dedup
from storyline.events.dedup import (
    CopyIndex,
    _normal,
    _PassageText,
    assign_roles,
    find_duplicate_groups,
    normalized_words,
    originality,
    passage_seeds,
    shared_passages,
    shingles,
)
from storyline.model import Article, Event, EventMember
from storyline.summarize.brief import BriefConfig
from tests.events.dedup_corpus import (
    WIRE_TEXT,
    article,
    near_copy,
    trimmed_copy,
    unrelated,
    wire_story,
)

# The bounds a brief finds verbatim passages with.
PASSAGES = {"min_words": BriefConfig.passage_min_words,
            "max_candidates": BriefConfig.passage_max_candidates}


def _contains(words: list[str], passage_words: list[str]) -> bool:
    size = len(passage_words)
    return any(words[i : i + size] == passage_words for i in range(len(words) - size + 1))


def test_near_copy_with_new_headline_and_extra_paragraph_is_grouped_with_its_origin() -> None:
    groups = find_duplicate_groups([near_copy(), *unrelated(), wire_story()])
    assert len(groups) == 1
    assert groups[0].origin == "wire"
    assert groups[0].copies == ["copy"]
    assert 0.8 < groups[0].similarity["copy"] < 1.0


def test_trimmed_copy_is_found_by_containment_and_groups_transitively() -> None:
    groups = find_duplicate_groups([trimmed_copy(), near_copy(), wire_story(), *unrelated()])
    assert [(g.origin, g.copies) for g in groups] == [("wire", ["copy", "trim"])]


def test_exact_copy_ties_are_broken_by_input_position_then_id() -> None:
    first = article("b", WIRE_TEXT, published="2024-01-01")
    second = article("a", WIRE_TEXT, published="2024-01-01")
    assert find_duplicate_groups([first, second])[0].origin == "b"
    undated = article("c", WIRE_TEXT)
    assert find_duplicate_groups([undated, first])[0].origin == "b"  # dated before undated


def test_unrelated_and_empty_articles_form_no_group() -> None:
    empty = [article("e1", ""), article("e2", "   ")]
    assert find_duplicate_groups([*unrelated(), *empty, wire_story()]) == []


def test_originality_of_copy_is_low_and_of_origin_is_full() -> None:
    pool = [wire_story(), near_copy(), *unrelated()]
    assert originality(wire_story(), pool) == 1.0
    copy_score = originality(near_copy(), pool)
    assert 0.0 < copy_score < 0.3  # only the added paragraph is its own
    assert originality(unrelated()[0], pool) == 1.0


def test_shared_passages_find_the_quote_across_punctuation_and_case() -> None:
    quote = "we promised the people of the valley a crossing that would last a century"
    other = article(
        "o",
        "A rival paper wrote: «We Promised the people of the valley — a crossing "
        "that would last a CENTURY», the minister said.",
    )
    passages = shared_passages(wire_story(), other, **PASSAGES)
    assert len(passages) == 1
    assert normalized_words(passages[0]) == quote.split()
    assert passages[0] in WIRE_TEXT  # returned as written in the first article


def test_shared_passages_respect_min_words() -> None:
    one = article("x", "alpha beta gamma delta epsilon and then something else entirely")
    two = article("y", "we saw alpha beta gamma delta epsilon yesterday")
    assert shared_passages(one, two, min_words=6, max_candidates=PASSAGES["max_candidates"]) == []
    assert shared_passages(one, two, min_words=5, max_candidates=PASSAGES["max_candidates"]) == ["alpha beta gamma delta epsilon"]


def test_assign_roles_marks_origin_copy_and_independent_across_events(store) -> None:
    wire, copy, other = wire_story(), near_copy(), unrelated()[0]
    for item in (wire, copy, other):
        store.add_article(item)
    index = CopyIndex({}, {})
    # The copy was clustered into a different event from its origin, which came earlier.
    saved = Event("ev-old", "bridge", members=[EventMember("wire")])
    assert assign_roles([saved], [wire], store, index) == set()
    assert (saved.members[0].role, saved.members[0].copy_of) == ("independent", None)
    fresh = Event("ev-new", "crossing", members=[EventMember("copy"), EventMember("other0")])
    # Only the new articles are hashed; the origin is found through the index, and its event
    # is named as one whose roles changed.
    assert assign_roles([fresh], {copy.id: copy}, store, index) == {"wire", "copy"}
    roles = {m.article_id: (m.role, m.copy_of) for m in fresh.members}
    assert roles == {"copy": ("copy", "wire"), "other0": ("independent", None)}
    assert fresh.members[0].scores["originality"] < 0.3
    assert fresh.members[1].scores["originality"] == 1.0

    assert assign_roles([saved], [wire], store, index) == set()
    assert (saved.members[0].role, saved.members[0].copy_of) == ("origin", None)


def test_a_story_retold_in_many_stored_articles_gets_the_same_roles_with_little_held(
        store, monkeypatch) -> None:
    """Articles read from the store and shingle sets are held a bounded number at a time (a
    story retold across a big store made every retelling a candidate and a group member of
    the next, all held): roles and originality are those found holding everything."""
    paragraphs = WIRE_TEXT.split("\n\n")
    retold = [article(f"r{i}", "\n\n".join(paragraphs[: len(paragraphs) - i % 2] + [f"Day {i}."]),
                      "Bridge", f"2024-03-{10 + i:02d}T09:00:00+00:00") for i in range(8)]
    for item in [wire_story(), *retold, *unrelated()]:
        store.add_article(item)

    def roles(held: int) -> list[tuple[str, str, str | None, float]]:
        monkeypatch.setattr(dedup, "SHINGLE_SETS_HELD", held)
        monkeypatch.setattr(dedup, "ARTICLES_HELD", held)
        index = CopyIndex({}, {})
        assign_roles([Event("ev-0", "bridge", members=[EventMember("wire")])], [wire_story()],
                     store, index)
        found = []
        for start in range(0, len(retold), 3):  # later updates, each an event of its own
            event = Event(f"ev-{start}", "bridge", members=[
                EventMember(a.id) for a in retold[start : start + 3]] + [EventMember("other0")])
            assign_roles([event], retold[start : start + 3], store, index)
            found += [(m.article_id, m.role, m.copy_of, m.scores["originality"])
                      for m in event.members]
        return found

    everything = roles(10_000)
    assert everything == roles(1)
    assert {role for _, role, _, _ in everything} == {"copy", "independent"}


def test_copy_index_finds_the_groups_of_find_duplicate_groups() -> None:
    articles = [trimmed_copy(), near_copy(), wire_story(), *unrelated()]
    index = CopyIndex({}, {})
    for item in articles:  # one at a time, as a stream adds them
        index.add([item], lambda ids: [a for a in articles if a.id in ids])
    expected = {frozenset(g.members) for g in find_duplicate_groups(articles)}
    assert {frozenset(index.group(a.id)) for a in articles} - {
        frozenset({a.id}) for a in articles} == expected


def test_seed_wires_share_the_kremlin_passage(seeds_dir: Path) -> None:
    seeds = {
        path.name[:3]: Article(id=path.name[:3], source=path.name, title="", text=path.read_text())
        for path in sorted(seeds_dir.glob("*.txt"))
    }
    passages = shared_passages(seeds["001"], seeds["002"], **PASSAGES)
    assert any("Geneva" in p and "delegation" in p for p in passages)
    assert any("constructive approach" in p for p in passages)
    # Quoting one statement does not make either report a copy of the other.
    assert find_duplicate_groups(seeds.values()) == []


_words = st.sampled_from(
    ["the", "a", "river", "bridge", "minister", "said", "on", "tuesday", "crossing", "valley"]
)
_texts = st.lists(_words, max_size=60).map(" ".join) | st.text(max_size=300)


@settings(max_examples=150, deadline=None)
@given(_texts, _texts, st.integers(min_value=-2, max_value=10))
def test_shared_passages_never_raise_and_are_in_both_texts(
    text_a: str, text_b: str, min_words: int
) -> None:
    first, second = article("a", text_a), article("b", text_b)
    for passage in shared_passages(first, second, min_words, PASSAGES["max_candidates"]):
        assert passage in text_a
        words = normalized_words(passage)
        assert len(words) >= max(1, min_words)
        assert _contains(normalized_words(text_a), words)
        assert _contains(normalized_words(text_b), words)


_paragraphs = st.sampled_from(
    WIRE_TEXT.split("\n\n")
    + [
        "An entirely different sentence about the weather in the mountains this week.",
        "Another note on the price of bread and milk in the capital's markets today.",
    ]
)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.lists(_paragraphs, min_size=1, max_size=5), min_size=1, max_size=6),
    st.randoms(use_true_random=False),
)
def test_duplicate_groups_are_symmetric_and_independent_of_input_order(
    bodies: list[list[str]], rng: random.Random
) -> None:
    articles = [
        article(f"n{i}", "\n\n".join(body), published=f"2024-01-{i + 1:02d}")
        for i, body in enumerate(bodies)
    ]
    groups = find_duplicate_groups(articles)
    shuffled = articles[:]
    rng.shuffle(shuffled)
    assert find_duplicate_groups(shuffled) == groups
    assert find_duplicate_groups(articles) == groups  # deterministic
    seen: set[str] = set()
    for group in groups:
        assert not seen & set(group.members)  # every article in at most one group
        seen |= set(group.members)
        assert group.origin == min(group.members, key=lambda aid: int(aid[1:]))


@given(st.one_of(st.text(st.characters(codec="ascii"), max_size=60),
                 st.text(st.characters(min_codepoint=32, max_codepoint=0x2FFF), max_size=60)))
def test_passage_words_and_spans_are_those_of_normalising_word_by_word(text: str) -> None:
    """Words from one casefold of an ASCII text, spans from summed split lengths: the same as
    normalising each word found and taking its match's span."""
    passage_text = _PassageText(text, 3)
    matches = list(re.finditer(r"\w+", text))
    assert passage_text.words == [_normal(m.group()) for m in matches]
    assert passage_text.spans() == [m.span() for m in matches]


@given(st.lists(st.sampled_from(["a", "b", "c", "d"]), max_size=40), st.integers(1, 4),
       st.integers(1, 3))
def test_passage_run_starts_are_each_runs_first_positions(words: list[str], size: int,
                                                           most: int) -> None:
    runs = [tuple(words[i : i + size]) for i in range(len(words) - size + 1)]
    expected: dict[tuple[str, ...], list[int]] = {}
    for position, run in enumerate(runs):
        if len(expected.setdefault(run, [])) < most:
            expected[run].append(position)
    starts = _PassageText(" ".join(words), size).starts(most)
    assert {run: list(positions) for run, positions in starts.items()} == expected


@given(st.lists(st.sampled_from(["a", "b", "c"]), max_size=9), st.integers(-1, 5))
def test_shingles_and_passage_seeds_are_every_run_of_words(words: list[str], size: int) -> None:
    text = " ".join(words)
    runs = [tuple(words[i : i + size]) for i in range(len(words) - size + 1)]
    assert passage_seeds(article("a", text), size) == set(runs)
    if size >= 1 and len(words) >= size:
        assert shingles(text, size) == {" ".join(run) for run in runs}


def test_bucket_keys_written_in_hex_by_an_older_release_still_find_copies(tmp_path: Path
                                                                          ) -> None:
    """Migration 21: a store of schema 20 keyed its LSH buckets "band:hex"; opened, they are
    "band.base64" (shorter), and a near copy added later still finds its origin through them."""
    import base64
    import sqlite3

    from storyline.events.rows import StoredRows
    from storyline.store import Store

    db = tmp_path / "old.db"
    wire = wire_story()
    with Store(db) as store:
        index = CopyIndex(StoredRows(store, "dedup_buckets"), StoredRows(store, "dedup_copies"))
        index.add([wire], lambda ids: [])
        with store.transaction():
            index.buckets.flush()  # type: ignore[attr-defined]
            index.copies.flush()  # type: ignore[attr-defined]
        written = dict(store.conn.execute("SELECT key, value FROM dedup_buckets").fetchall())
    conn = sqlite3.connect(db)
    with conn:
        for key in written:
            band, values = key.split(".", 1)
            conn.execute("UPDATE dedup_buckets SET key = ? WHERE key = ?",
                         (f"{band}:{base64.b64decode(values).hex()}", key))
        conn.execute("PRAGMA user_version = 20")
    conn.close()
    with Store(db) as store:
        assert dict(store.conn.execute("SELECT key, value FROM dedup_buckets").fetchall()
                    ) == written
        index = CopyIndex(StoredRows(store, "dedup_buckets"), StoredRows(store, "dedup_copies"))
        copy = near_copy()
        assert index.add([copy], lambda ids: [wire] if wire.id in ids else []) == {
            wire.id, copy.id}
