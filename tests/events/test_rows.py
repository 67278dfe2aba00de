"""State kept row by row: read once, written back only where it changed."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from storyline.events.rows import StoredRows, write_all


def test_rows_are_read_on_demand_and_only_changes_are_written(store) -> None:
    write_all(store, "cluster_terms", {"alpha": 3, "beta": 1})
    terms = StoredRows(store, "cluster_terms")
    assert terms["alpha"] == 3 and terms.get("gamma", 0) == 0 and "beta" in terms
    terms["gamma"] = 1
    del terms["beta"]
    with pytest.raises(KeyError):
        terms["beta"]
    assert store.get_rows("cluster_terms", ["alpha", "beta", "gamma"]) == {
        "alpha": "3", "beta": "1"}  # nothing written before flush
    with store.transaction():
        terms.flush()
    assert store.get_rows("cluster_terms", ["alpha", "beta", "gamma"]) == {
        "alpha": "3", "gamma": "1"}
    with pytest.raises(TypeError):  # a whole-table read is refused, not done silently
        list(terms)


def test_long_rows_are_stored_compressed(store) -> None:
    long_value = '{"terms":{' + ",".join(f'"w{i}":1.6931471805599454' for i in range(50)) + "}}"
    store.put_rows("cluster_articles", {"a": long_value, "b": "3"})
    stored = dict(store.conn.execute("SELECT key, value FROM cluster_articles").fetchall())
    assert isinstance(stored["a"], bytes) and len(stored["a"]) < len(long_value) / 4
    assert stored["b"] == "3"
    assert store.get_rows("cluster_articles", ["a", "b"]) == {"a": long_value, "b": "3"}
    assert dict(store.iter_rows("cluster_articles")) == {"a": long_value, "b": "3"}


@given(st.lists(st.dictionaries(
    st.text(max_size=6), st.one_of(st.integers(-5, 5), st.floats(allow_nan=False),
                                   st.sampled_from([1.0, 1.6931471805599454, -0.0])),
    max_size=6), min_size=1, max_size=5))
@hypothesis_settings(max_examples=60, deadline=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_rows_read_together_are_the_rows_and_share_their_keys_and_numbers(
        store, values: list[dict[str, float]]) -> None:
    """Rows read in one go are decoded as one document (each distinct key and number made
    once, shared by the rows: a feature row's terms took 32 KB decoded alone, 11 together):
    the values are those of each row decoded alone."""
    rows = {f"r{i}": {"terms": value} for i, value in enumerate(values)}
    write_all(store, "cluster_articles", rows)
    read = StoredRows(store, "cluster_articles")
    read.prefetch(list(rows))
    for key, value in rows.items():
        decoded = read[key]["terms"]
        assert decoded == value["terms"]
        assert [type(v) for v in decoded.values()] == [type(v) for v in value["terms"].values()]
        assert [math.copysign(1, v) for v in decoded.values()] == [
            math.copysign(1, v) for v in value["terms"].values()]
    first, *others = [read[key]["terms"] for key in rows]
    for other in others:
        for term, weight in other.items():
            if term in first and isinstance(weight, float) and repr(first[term]) == repr(weight):
                assert next(k for k in first if k == term) is next(k for k in other if k == term)
                assert first[term] is weight


def test_only_row_tables_are_reachable(store) -> None:
    with pytest.raises(ValueError):
        store.get_rows("articles", ["x"])


def test_article_rows_keep_no_vector_of_their_own(store) -> None:
    """Each article's vector is stored once, in the store's vectors table: the clusterer's row
    refers to it (older rows holding their vector still read)."""
    import json

    import numpy as np

    from storyline.events import FeatureRows
    from storyline.events.cluster import features_to_json
    from storyline.events.features import ArticleFeatures

    vector = np.zeros(8, dtype=np.float32)
    vector[[1, 5]] = [0.625, 0.75]  # exact in float16, as vectors are stored
    store.put_vectors("tfidf", {"a": vector, "b": vector[::-1].copy()})
    rows = FeatureRows(store, "tfidf")
    rows["a"] = ArticleFeatures(id="a", dense=vector, terms={"quake": 1.0}, entities={},
                                day=None, language="en")
    with store.transaction():
        rows.flush()
    stored = json.loads(store.get_rows("cluster_articles", ["a"])["a"])
    assert "dense" not in stored and stored["terms"] == {"quake": 1.0}
    with store.transaction():
        store.put_rows("cluster_articles", {"b": json.dumps(features_to_json(ArticleFeatures(
            id="b", dense=np.ones(8, dtype=np.float32), terms={}, entities={}, day=None,
            language=None)))})
    fresh = FeatureRows(store, "tfidf")
    assert fresh["a"].dense.tolist() == vector.tolist()
    assert fresh["b"].dense.tolist() == [1.0] * 8  # its own, not the vectors table's


def test_a_bounded_mapping_forgets_unchanged_rows_least_recently_asked_for(store) -> None:
    write_all(store, "cluster_terms", {f"t{n}": n for n in range(10)})
    terms = StoredRows(store, "cluster_terms", capacity=4)
    terms.prefetch(["t0", "t1", "t2"])
    terms["new"] = 99  # changed: held until written, whatever the capacity
    terms.prefetch(["t0"])  # asked for again: now the most recent
    terms.prefetch(["t3", "t4"])
    assert set(terms._cache) == {"new", "t0", "t3", "t4"}
    # A request larger than the capacity keeps all it asked for, then trims on the next one.
    terms.prefetch([f"t{n}" for n in range(10)])
    assert len(terms._cache) == 11
    assert terms["t1"] == 1 and terms["new"] == 99  # a forgotten row is read again
    with store.transaction():
        terms.flush()
    assert store.get_rows("cluster_terms", ["new"]) == {"new": "99"}
    terms.prefetch(["t9"])  # written, "new" may go too; the latest asked for stay
    assert list(terms._cache) == ["t6", "t7", "t8", "t9"]


def test_released_rows_are_forgotten_unless_changed(store) -> None:
    write_all(store, "cluster_terms", {"alpha": 3, "beta": 1})
    terms = StoredRows(store, "cluster_terms")
    terms.prefetch(["alpha", "beta"])
    terms["beta"] = 2
    terms.release(["alpha", "beta", "never-read"])
    assert set(terms._cache) == {"beta"}  # the change waits for flush
    assert terms["alpha"] == 3 and terms["beta"] == 2  # a released row is read again
    terms.get("gamma")  # an absent row read
    terms.release_read()
    assert set(terms._cache) == {"beta"}
    with store.transaction():
        terms.flush()
    assert store.get_rows("cluster_terms", ["alpha", "beta"]) == {"alpha": "3", "beta": "2"}
