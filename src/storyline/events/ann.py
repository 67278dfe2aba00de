"""Approximate nearest neighbours over article vectors: where the clusterer finds candidates.

usearch (HNSW) was chosen over hnswlib and faiss-cpu: on PyPI here hnswlib 0.8.0 is a source
archive only (it needs a C++ toolchain at install time, which CI and users may lack), faiss-cpu
is an 18 MB wheel whose HNSW index cannot remove vectors and keeps float32 unless wrapped in a
scalar quantiser, while usearch is a 2.3 MB wheel whose index stores the vectors themselves in
int8 (or float16), adds and removes one vector at a time, serialises to bytes, and, added to with
one thread, is deterministic (a rebuild finds the same neighbours). Search costs about
log(size): 0.25 ms per query at 20k vectors of 512 dimensions (docs/clustering.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from usearch.index import Index

# int8 keeps 512 dimensions in 512 bytes (float32: 2 KB); the candidates it finds are then
# scored on the full vectors, so quantisation only costs recall of the search itself.
INDEX_DTYPE = "i8"
CONNECTIVITY = 16
EXPANSION_ADD = 64
EXPANSION_SEARCH = 64


class VectorIndex:
    """Article ids → unit vectors, searchable by inner product; keys are insertion numbers."""

    def __init__(self) -> None:
        self._index: Index | None = None
        self.ids: list[str] = []
        self._key_of: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self.ids)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._key_of

    def add(self, article_ids: list[str], vectors: np.ndarray) -> None:
        fresh = [(i, v) for i, v in zip(article_ids, vectors, strict=True)
                 if i not in self._key_of]
        if not fresh:
            return
        matrix = np.vstack([v for _, v in fresh]).astype(np.float32)
        if self._index is None:
            self._index = _new_index(matrix.shape[1])
        keys = np.arange(len(self.ids), len(self.ids) + len(fresh), dtype=np.uint64)
        for (article_id, _), key in zip(fresh, keys, strict=True):
            self._key_of[article_id] = int(key)
            self.ids.append(article_id)
        # One thread: HNSW insertion order must not depend on scheduling (deterministic rebuild).
        self._index.add(keys, matrix, threads=1)

    def remove(self, article_id: str) -> None:
        """Drop an article's vector (its key is not reused; adding the id again gives a new
        key)."""
        key = self._key_of.pop(article_id, None)
        if key is not None and self._index is not None:
            self._index.remove(key)

    def search(self, vector: np.ndarray, count: int) -> list[str]:
        """Ids of the (approximately) `count` nearest vectors, nearest first."""
        if self._index is None or not self.ids:
            return []
        found = self._index.search(np.asarray(vector, dtype=np.float32), min(count, len(self.ids)),
                                   threads=1)
        return [self.ids[int(key)] for key in found.keys]

    def to_bytes(self) -> bytes:
        saved = self._index.save() if self._index is not None else None
        return bytes(saved) if saved is not None else b""

    @classmethod
    def from_bytes(cls, data: bytes, article_ids: list[str]) -> VectorIndex:
        """The index saved by `to_bytes`, holding `article_ids` in insertion order."""
        from usearch.index import Index

        index = cls()
        if data:
            index._index = Index.restore(bytearray(data))
        index.ids = list(article_ids)
        # An id added again after `remove` holds its latest key.
        index._key_of = {article_id: key for key, article_id in enumerate(index.ids)}
        return index


def _new_index(dimensions: int) -> Index:
    from usearch.index import Index

    return Index(ndim=dimensions, metric="ip", dtype=INDEX_DTYPE, connectivity=CONNECTIVITY,
                 expansion_add=EXPANSION_ADD, expansion_search=EXPANSION_SEARCH)
