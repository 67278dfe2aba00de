"""The clusterer's vector index: nearest neighbours, bytes round trip, deterministic rebuild."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from storyline.events import ann
from storyline.events.ann import StoredVectorIndex, VectorIndex
from storyline.store import Store


def unit_vectors(count: int, seed: int = 7) -> np.ndarray:
    matrix = np.random.default_rng(seed).standard_normal((count, 64)).astype(np.float32)
    return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)


def test_nearest_neighbours_and_a_round_trip() -> None:
    vectors = unit_vectors(300)
    ids = [f"a{i}" for i in range(300)]
    index = VectorIndex()
    index.add(ids[:150], vectors[:150])
    index.add(ids[100:], vectors[100:])  # already indexed ids are skipped
    assert len(index) == 300 and "a299" in index and "b" not in index
    query = vectors[42] + 0.05 * unit_vectors(1, seed=1)[0]
    assert index.search(query, 5)[0] == "a42"
    restored = VectorIndex.from_bytes(index.to_bytes(), index.ids)
    assert restored.search(query, 5) == index.search(query, 5)
    assert VectorIndex().search(query, 5) == []


def test_the_same_additions_give_the_same_neighbours() -> None:
    vectors = unit_vectors(500)
    ids = [f"a{i}" for i in range(500)]
    first, second = VectorIndex(), VectorIndex()
    for index in (first, second):
        for start in range(0, 500, 32):
            index.add(ids[start : start + 32], vectors[start : start + 32])
    queries = unit_vectors(20, seed=3)
    assert [first.search(q, 10) for q in queries] == [second.search(q, 10) for q in queries]


@pytest.fixture
def small_segments(monkeypatch):
    """Segments of 8 vectors merging 2 by 2, so a few dozen vectors exercise every level."""
    monkeypatch.setattr(ann, "SEGMENT_KEYS", 8)
    monkeypatch.setattr(ann, "FANOUT", 2)


def stored_index(store: Store, vectors: dict[str, np.ndarray]) -> StoredVectorIndex:
    return StoredVectorIndex(store, lambda ids: np.vstack([vectors[i] for i in ids]))


def saved(store: Store, index: StoredVectorIndex) -> None:
    with store.transaction():
        index.save()
    index.delete_superseded()


def test_the_stored_index_finds_what_one_index_finds_across_saves(store, small_segments) -> None:
    matrix = unit_vectors(100)
    vectors = {f"a{i}": v for i, v in enumerate(matrix)}
    ids = list(vectors)
    for start in range(0, 100, 10):  # ten updates, each opening the index from the store
        index = stored_index(store, vectors)
        index.add(ids[start : start + 10], matrix[start : start + 10])
        index.add(ids[start : start + 2], matrix[start : start + 2])  # already indexed
        saved(store, index)
    index = stored_index(store, vectors)
    assert len(index) == 100
    # Segments of 8, 16, 32 and 64 vectors (merged two by two) and one tail.
    assert len(store.ann_segments()) <= 5
    files = {path.name for path in store.ann_directory().iterdir()}
    # Only the files the manifest names are left: rewritten tails and merged segments are gone.
    assert {row["name"] for row in store.ann_segments()} == files
    for i in (0, 42, 99):
        query = matrix[i] + 0.05 * unit_vectors(1, seed=i)[0]
        assert index.search(query, 5)[0] == f"a{i}"


def test_removed_vectors_are_not_found_and_can_come_back(store, small_segments) -> None:
    matrix = unit_vectors(40)
    vectors = {f"a{i}": v for i, v in enumerate(matrix)}
    index = stored_index(store, vectors)
    index.add(list(vectors), matrix)
    saved(store, index)
    index = stored_index(store, vectors)
    index.remove("a7")
    assert "a7" not in index.search(matrix[7], 5)
    saved(store, index)
    index = stored_index(store, vectors)
    assert "a7" not in index.search(matrix[7], 5)
    index.add(["a7"], matrix[7:8])
    saved(store, index)
    assert stored_index(store, vectors).search(matrix[7], 5)[0] == "a7"


def test_a_kill_mid_save_keeps_the_last_saved_index(store, small_segments) -> None:
    matrix = unit_vectors(30)
    vectors = {f"a{i}": v for i, v in enumerate(matrix)}
    index = stored_index(store, vectors)
    index.add(list(vectors)[:20], matrix[:20])
    saved(store, index)
    before = store.ann_segments()
    index = stored_index(store, vectors)
    index.add(list(vectors)[20:], matrix[20:])
    with pytest.raises(RuntimeError), store.transaction():
        index.save()  # the new segment files are written ...
        raise RuntimeError("killed before the commit")  # ... and the manifest never commits
    assert [dict(r) for r in store.ann_segments()] == [dict(r) for r in before]
    index = stored_index(store, vectors)
    assert len(index) == 20 and index.search(matrix[5], 3)[0] == "a5"
    assert index.search(matrix[25], 3)[0] != "a25"


def test_a_merge_added_block_by_block_writes_the_index_of_one_addition(store, monkeypatch
                                                                       ) -> None:
    monkeypatch.setattr(ann, "SEGMENT_KEYS", 48)
    monkeypatch.setattr(ann, "FANOUT", 2)
    monkeypatch.setattr(ann, "MERGE_BLOCK_KEYS", 10)  # blocks that straddle no segment border
    matrix = unit_vectors(96)
    vectors = {f"a{i}": v for i, v in enumerate(matrix)}
    index = stored_index(store, vectors)
    index.add(list(vectors)[:48], matrix[:48])
    saved(store, index)
    index = stored_index(store, vectors)
    index.remove("a5")  # removed keys are left out of the merged segment
    index.add(list(vectors)[48:], matrix[48:])  # a second sealed segment: the save merges both
    live = [key for key in range(96) if key != 5]
    quantised = np.vstack([segment.index.get(np.array([k for k in live if segment.first <= k
                                                        <= segment.last], dtype=np.uint64),
                                             dtype=np.float32) for segment in index._segments])
    expected = bytes(ann._new_index_for(quantised, live).save())
    saved(store, index)
    [merged] = store.ann_segments()
    assert (merged["level"], merged["first_key"], merged["last_key"]) == (1, 0, 95)
    assert (store.ann_directory() / merged["name"]).read_bytes() == expected


@pytest.mark.parametrize("damage", ["delete", "truncate"])
def test_a_lost_or_damaged_segment_is_rebuilt_from_stored_vectors(store, small_segments,
                                                                  damage) -> None:
    matrix = unit_vectors(30)
    vectors = {f"a{i}": v for i, v in enumerate(matrix)}
    index = stored_index(store, vectors)
    index.add(list(vectors), matrix)
    saved(store, index)
    for row in store.ann_segments():
        path = store.ann_directory() / row["name"]
        if damage == "delete":
            path.unlink()
        else:
            path.write_bytes(path.read_bytes()[:50])
    index = stored_index(store, vectors)
    assert [index.search(matrix[i], 3)[0] for i in (0, 15, 29)] == ["a0", "a15", "a29"]
    saved(store, index)  # the rebuilt segments are written again
    for row in store.ann_segments():
        assert (store.ann_directory() / row["name"]).stat().st_size > 50


def test_search_by_meaning_goes_through_the_stored_index(store, monkeypatch) -> None:
    from storyline.events import nearest_articles
    from storyline.pipeline import update_events
    from tests.events.test_cluster import BANK, QUAKE

    assert nearest_articles(store, "interest rates", 3) == []  # no events yet
    for article in BANK + QUAKE:
        store.add_article(article)
    update_events(store)
    monkeypatch.setattr(StoredVectorIndex, "search",
                        lambda self, vector, count, search=StoredVectorIndex.search:
                        searched.append(count) or search(self, vector, count))
    searched: list[int] = []
    found = nearest_articles(store, "The central bank raised its key interest rate", 3)
    assert searched == [3] and len(found) == 3
    assert found[0][0] in {"bank-1", "bank-2"} and found[0][1] > found[-1][1]


def sparse_wide_vectors(count: int, width: int = 8192, seed: int = 5) -> np.ndarray:
    """Mostly-zero non-negative unit vectors, as the fast profile's hashed TF-IDF."""
    rng = np.random.default_rng(seed)
    matrix = np.zeros((count, width), dtype=np.float32)
    for row in matrix:
        row[rng.choice(width, 40, replace=False)] = rng.random(40) + 0.1
    return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)


def test_wide_vectors_are_folded_for_the_index_and_still_found(store, small_segments) -> None:
    matrix = sparse_wide_vectors(60)
    folded = ann.indexed_form(matrix)
    assert folded.shape == (60, ann.INDEX_MAX_DIMENSIONS)
    assert np.allclose(np.linalg.norm(folded, axis=1), 1.0, atol=1e-5)
    # Folding sums blocks: a hashed feature keeps its bucket modulo the folded width.
    assert np.array_equal(folded[0] > 0, (matrix[0].reshape(-1, ann.INDEX_MAX_DIMENSIONS) > 0)
                          .any(axis=0))
    vectors = {f"a{i}": v for i, v in enumerate(matrix)}
    index = stored_index(store, vectors)
    index.add(list(vectors), matrix)
    saved(store, index)
    reopened = stored_index(store, vectors)
    for i in (0, 31, 59):
        assert reopened.search(matrix[i], 3)[0] == f"a{i}"


def test_segments_written_at_full_width_are_rebuilt_folded(store, monkeypatch) -> None:
    matrix = sparse_wide_vectors(20)
    vectors = {f"a{i}": v for i, v in enumerate(matrix)}
    monkeypatch.setattr(ann, "INDEX_MAX_DIMENSIONS", 8192)  # as written before folding
    index = stored_index(store, vectors)
    index.add(list(vectors), matrix)
    saved(store, index)
    monkeypatch.setattr(ann, "INDEX_MAX_DIMENSIONS", 1024)
    reopened = stored_index(store, vectors)
    assert reopened.search(matrix[7], 3)[0] == "a7"
    reopened.add(["b"], sparse_wide_vectors(1, seed=9))
    saved(store, reopened)
    assert [s.index.ndim for s in stored_index(store, vectors)._segments] == [1024]


def test_searches_keep_segment_files_open_until_the_manifest_or_a_file_changes(
        store, small_segments, monkeypatch) -> None:
    from usearch.index import Index

    restore = Index.restore
    opened: list[str] = []
    monkeypatch.setattr(Index, "restore", staticmethod(
        lambda path, view=False: opened.append(path) or restore(path, view=view)))
    matrix = unit_vectors(60)
    vectors = {f"a{i}": v for i, v in enumerate(matrix)}
    ids = list(vectors)
    index = stored_index(store, vectors)
    index.add(ids[:40], matrix[:40])
    saved(store, index)

    def search(vector: np.ndarray) -> list[str]:
        return StoredVectorIndex(store, lambda ids: np.vstack([vectors[a] for a in ids]),
                                 read_only=True).search(vector, 3)

    assert search(matrix[3])[0] == "a3"
    assert len(opened) == len(store.ann_segments())
    opened.clear()
    assert search(matrix[30])[0] == "a30"
    assert opened == []  # the second search opens nothing
    # Another writer (its own connection, as another process) adds vectors: the next search
    # opens the files its manifest names anew, and finds what it added.
    with Store(store.path) as writer:
        index = stored_index(writer, vectors)
        index.add(ids[40:], matrix[40:])
        saved(writer, index)
    opened.clear()
    assert search(matrix[55])[0] == "a55"
    new = {row["name"] for row in store.ann_segments()}
    assert opened and {Path(p).name for p in opened} <= new
    # A file replaced under its name (a store copied over this one) is a new file: reopened.
    opened.clear()
    row = store.ann_segments()[0]
    path = store.ann_directory() / row["name"]
    keys = list(range(row["first_key"], row["last_key"] + 1))
    stand_in = ann._new_index_for(np.vstack([matrix[59]] * len(keys)), keys)
    stand_in.save(str(path) + ".copy")
    os.replace(str(path) + ".copy", path)
    # (every vector of the stand-in is a59's: its keys now come first, a stale view would not)
    assert search(matrix[59])[0] in {f"a{key}" for key in keys}
    assert [Path(p).name for p in opened] == [row["name"]]


def test_a_search_rebuilds_a_lost_segment_once_until_an_update_writes_it(store,
                                                                         small_segments,
                                                                         monkeypatch) -> None:
    matrix = unit_vectors(20)
    vectors = {f"a{i}": v for i, v in enumerate(matrix)}
    index = stored_index(store, vectors)
    index.add(list(vectors), matrix)
    saved(store, index)
    for row in store.ann_segments():
        (store.ann_directory() / row["name"]).unlink()
    rebuilt: list[int] = []
    build = ann._new_index_for
    monkeypatch.setattr(ann, "_new_index_for",
                        lambda vectors, keys: rebuilt.append(len(keys)) or build(vectors, keys))

    def search(i: int) -> str:
        return StoredVectorIndex(store, lambda ids: np.vstack([vectors[a] for a in ids]),
                                 read_only=True).search(matrix[i], 3)[0]

    assert [search(i) for i in (0, 9, 19)] == ["a0", "a9", "a19"]
    assert sum(rebuilt) == 20  # each lost segment rebuilt by the first search only
