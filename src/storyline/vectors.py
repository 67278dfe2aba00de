"""Article vectors as they are held in memory: dense, or as their non-zero entries.

The fast profile's hashed TF-IDF vectors have 8,192 dimensions and about 40 non-zero entries
each: dense they take 16 KB an article as float16, as entries a few hundred bytes. Every
computation still sees the same numbers: a score matrix is made of the dense rows (`to_dense`
gives the very values the dense vector held, float32), only holding them costs less.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:  # numpy is imported where a vector is made: the store imports this module
    import numpy as np


@dataclass(frozen=True, eq=False)
class SparseVector:
    """A vector of `dim` dimensions as its non-zero entries: ascending positions (int32) and
    their values (float16 or float32, as the dense vector held them)."""

    dim: int
    indices: np.ndarray
    values: np.ndarray

    def __len__(self) -> int:
        return self.dim

    def to_dense(self) -> np.ndarray:
        import numpy as np

        vector = np.zeros(self.dim, dtype=np.float32)
        vector[self.indices] = self.values
        return vector


# A dense vector, or a SparseVector (a string: numpy is not imported here at run time).
Vector: TypeAlias = "np.ndarray | SparseVector"


def compact(vector: Vector) -> Vector:
    """`vector` in the form that takes less memory: its non-zero entries when they take under
    half of the dense bytes (hashed TF-IDF), else dense as it is (encoder vectors, every entry
    non-zero). No value changes: float16 stays float16, anything else becomes float32."""
    import numpy as np

    if isinstance(vector, SparseVector):
        return vector
    dense = vector if vector.dtype in (np.float16, np.float32) else vector.astype(np.float32)
    indices = np.flatnonzero(dense)
    # Each entry costs its value and a 4-byte position.
    if len(indices) * (4 + dense.itemsize) * 2 >= dense.nbytes:
        return dense
    return SparseVector(len(dense), indices.astype(np.int32), dense[indices])


def to_dense(vector: Vector) -> np.ndarray:
    """`vector` as float32 dense entries."""
    if isinstance(vector, SparseVector):
        return vector.to_dense()
    return vector.astype("float32", copy=False)


def dense_rows(vectors: list[Vector]) -> np.ndarray:
    """The vectors as the float32 rows of one matrix."""
    import numpy as np

    if not vectors:
        return np.zeros((0, 0), dtype=np.float32)
    matrix = np.zeros((len(vectors), len(vectors[0])), dtype=np.float32)
    for row, vector in zip(matrix, vectors, strict=True):
        if isinstance(vector, SparseVector):
            row[vector.indices] = vector.values
        else:
            row[:] = vector
    return matrix
