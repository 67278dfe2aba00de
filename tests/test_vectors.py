"""Vectors held as their non-zero entries give the numbers their dense form gives."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.vectors import SparseVector, compact, dense_rows, to_dense


def hashed_vector(seed: int, entries: int = 40, dim: int = 8192) -> np.ndarray:
    """A unit vector shaped like the fast profile's hashed TF-IDF: a few positive entries."""
    rng = np.random.default_rng(seed)
    vector = np.zeros(dim, dtype=np.float32)
    vector[rng.choice(dim, entries, replace=False)] = 1.0 + np.log(rng.integers(1, 6, entries))
    return (vector / np.linalg.norm(vector)).astype(np.float32)


def test_a_mostly_zero_vector_is_held_as_its_entries_and_an_encoder_vector_dense() -> None:
    stored = hashed_vector(1).astype(np.float16)
    held = compact(stored)
    assert isinstance(held, SparseVector)
    assert held.values.dtype == np.float16 and held.values.nbytes + held.indices.nbytes < 300
    assert np.array_equal(to_dense(held), stored.astype(np.float32))
    encoder = np.random.default_rng(2).standard_normal(512).astype(np.float32)
    assert compact(encoder) is encoder
    assert compact(held) is held


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(0, 10_000), min_size=1, max_size=12),
       st.lists(st.booleans(), min_size=12, max_size=12))
def test_products_of_held_rows_are_bit_identical_to_those_of_dense_rows(
        seeds: list[int], as_float16: list[bool]) -> None:
    """The clusterer's dense signal is a matrix product of rows: made from the entries it must
    be the very product the dense vectors gave (float16 rows as stored, float32 as encoded)."""
    vectors = [hashed_vector(seed).astype(np.float16 if half else np.float32)
               for seed, half in zip(seeds, as_float16, strict=False)]
    dense = np.vstack(vectors).astype(np.float32, copy=False)
    held = dense_rows([compact(v) for v in vectors])
    assert held.dtype == np.float32 and np.array_equal(held, dense)
    assert np.array_equal(held @ held.T, dense @ dense.T)
