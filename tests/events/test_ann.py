"""The clusterer's vector index: nearest neighbours, bytes round trip, deterministic rebuild."""

from __future__ import annotations

import numpy as np

from storyline.events.ann import VectorIndex


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
