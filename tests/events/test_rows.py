"""State kept row by row: read once, written back only where it changed."""

from __future__ import annotations

import pytest

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


def test_only_row_tables_are_reachable(store) -> None:
    with pytest.raises(ValueError):
        store.get_rows("articles", ["x"])
