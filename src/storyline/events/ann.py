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

import os
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from usearch.index import Index

    from storyline.store import Store

# int8 keeps 512 dimensions in 512 bytes (float32: 2 KB); the candidates it finds are then
# scored on the full vectors, so quantisation only costs recall of the search itself.
INDEX_DTYPE = "i8"
# Wider vectors are folded to this many dimensions for the index (blocks summed, normalised
# again): the fast profile's hashed TF-IDF vectors (8,192 dimensions, 8 KB each as int8) are
# then exactly hashed TF-IDF over 1,024 buckets, 1 KB each. Candidates found are scored on the
# full vectors, so folding only costs recall of the search (ECB+: docs/benchmarks.md).
INDEX_MAX_DIMENSIONS = 1024
CONNECTIVITY = 16
EXPANSION_ADD = 64
EXPANSION_SEARCH = 64


def indexed_form(vectors: np.ndarray) -> np.ndarray:
    """Vectors (rows, or one vector) as the index holds them: float32, folded to
    INDEX_MAX_DIMENSIONS when wider by a whole multiple of it."""
    matrix = np.asarray(vectors, dtype=np.float32)
    width = matrix.shape[-1]
    if width <= INDEX_MAX_DIMENSIONS or width % INDEX_MAX_DIMENSIONS:
        return matrix
    folded = matrix.reshape(*matrix.shape[:-1], -1, INDEX_MAX_DIMENSIONS).sum(axis=-2)
    return folded / np.maximum(np.linalg.norm(folded, axis=-1, keepdims=True), 1e-12)


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
        matrix = indexed_form(np.vstack([v for _, v in fresh]))
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
        found = self._index.search(indexed_form(vector), min(count, len(self.ids)), threads=1)
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


# Additions go to a tail segment of at most SEGMENT_KEYS vectors; FANOUT segments of one level
# merge into one of the next (sizes SEGMENT_KEYS x FANOUT^level). An article's vector is thus
# written about log_FANOUT(N / SEGMENT_KEYS) + 1 times in all, and a search asks at most
# (FANOUT - 1) segments per level: 10 or fewer at 100k articles.
SEGMENT_KEYS = 1024
FANOUT = 4
# Vectors read from the merged segments and added to the merged one at a time (4 MB as float32
# at INDEX_MAX_DIMENSIONS).
MERGE_BLOCK_KEYS = 1024
# Files no manifest names are deleted once this old (a concurrent writer's files, written before
# its commit, are younger).
STALE_FILE_SECONDS = 120


@dataclass
class _Segment:
    level: int
    first: int  # keys first..last (contiguous; removed ones stay in the file, flagged in the store)
    last: int
    index: Any  # usearch Index
    name: str | None = None  # its file; None until written
    # Memory-mapped from its file (read-only): a sealed segment costs no copy to open.
    view: bool = False
    # Held while searching a view shared by the threads of a process (`_OpenViews`): usearch
    # gives every search with threads=1 the same per-thread scratch space.
    lock: threading.Lock | None = None

    def __len__(self) -> int:
        return self.last - self.first + 1


class StoredVectorIndex:
    """The vector index of a store, kept as segment files beside the database, so that an update
    writes what it added (the tail segment, and now and then a merge), never the whole index.

    Keys are global insertion numbers (`ann_keys` rows: key -> article id, removed flag); the
    manifest of segment files (`ann_segments`) is written in the same transaction as the rest
    of the clusterer's rows. A segment file is written under a new unique name and synced before
    that transaction commits, and never changed after, so a kill at any point leaves the last
    committed manifest naming complete files. A segment whose file is missing or unreadable is
    rebuilt from the stored vectors of its keys (`vectors_of`), as is every segment of a store
    without a folder (':memory:') and one of another width (written before `indexed_form`)."""

    def __init__(self, store: Store, vectors_of: Callable[[list[str]], np.ndarray],
                 read_only: bool = False) -> None:
        """`read_only`: for searches only (every segment memory-mapped, none copied)."""
        self.store = store
        self.read_only = read_only
        self.directory = store.ann_directory()
        self._vectors_of = vectors_of
        self._segments: list[_Segment] = []
        self._new: dict[int, str] = {}  # unsaved additions: key -> article id
        self._new_key_of: dict[str, int] = {}
        self._dead: set[int] = set()  # keys removed since the last save
        self._next_key = store.ann_next_key()
        self._dirty = False
        self._superseded: set[str] = set()
        manifest = store.ann_segments()
        for row in manifest:
            self._segments.append(self._open(row["name"], row["level"], row["first_key"],
                                             row["last_key"]))
        if read_only and self.directory:
            _OPEN_VIEWS.keep_only(self.directory, {row["name"] for row in manifest})

    def _open(self, name: str, level: int, first: int, last: int) -> _Segment:
        from usearch.index import Index

        path = self.directory / name if self.directory else None
        if self.read_only and path is not None:
            index, lock = _OPEN_VIEWS.view(
                path, last - first + 1,
                lambda: self._rebuilt(_Segment(level, first, last, None)).index)
            return _Segment(level, first, last, index, name, view=True, lock=lock)
        sealed = self.read_only or last - first + 1 >= SEGMENT_KEYS
        try:
            if path is None or not path.is_file():
                raise ValueError(f"missing segment {name}")
            index = _checked(Index.restore(str(path), view=sealed), path, last - first + 1)
            return _Segment(level, first, last, index, name, view=sealed)
        except ValueError:
            return self._rebuilt(_Segment(level, first, last, None))

    def _rebuilt(self, segment: _Segment) -> _Segment:
        """`segment` rebuilt from the stored vectors of its live keys, to be written again at
        the next save."""
        self._dirty = True
        keys = self.store.ann_live_keys(segment.first, segment.last)
        index = None
        if keys:
            index = _new_index_for(self._vectors_of([article_id for _, article_id in keys]),
                                   [key for key, _ in keys])
        return _Segment(segment.level, segment.first, segment.last, index)

    def _fit_width(self, width: int) -> None:
        """Rebuild the segments whose vectors are not `width` wide (an index written before
        vectors were folded)."""
        self._segments = [
            self._rebuilt(s) if s.index is not None and s.index.ndim != width else s
            for s in self._segments
        ]

    def __len__(self) -> int:
        return self._next_key

    def add(self, article_ids: list[str], vectors: np.ndarray) -> None:
        indexed = self._key_of(article_ids)
        vectors = indexed_form(vectors)
        self._fit_width(vectors.shape[-1])
        fresh = [(i, v) for i, v in zip(article_ids, vectors, strict=True) if i not in indexed]
        for article_id, vector in fresh:
            key = self._next_key
            self._next_key += 1
            tail = self._segments[-1] if self._segments else None
            if tail is None or tail.view or len(tail) >= SEGMENT_KEYS:
                tail = _Segment(0, key, key - 1, None)
                self._segments.append(tail)
            if tail.index is None:
                tail.index = _new_index(len(vector))
            tail.index.add(np.uint64(key), vector, threads=1)
            tail.last, tail.name = key, None
            self._new[key] = article_id
            self._new_key_of[article_id] = key
            indexed[article_id] = key
        self._dirty = self._dirty or bool(fresh)

    def remove(self, article_id: str) -> None:
        key = self._key_of([article_id]).get(article_id)
        if key is None:
            return
        self._dead.add(key)
        if self._new.pop(key, None) is not None:
            del self._new_key_of[article_id]
        self._dirty = True

    def _key_of(self, article_ids: list[str]) -> dict[str, int]:
        """Live keys of these articles (saved or added since)."""
        found = {a: k for a, k in self.store.ann_keys_of(article_ids).items()
                 if k not in self._dead}
        found.update((a, self._new_key_of[a]) for a in article_ids if a in self._new_key_of)
        return found

    def search(self, vector: np.ndarray, count: int) -> list[str]:
        """Ids of the (approximately) `count` nearest vectors, nearest first."""
        query = indexed_form(vector)
        self._fit_width(len(query))
        found: list[tuple[float, int]] = []
        for segment in self._segments:
            if segment.index is None or segment.index.size == 0:
                continue
            with segment.lock or nullcontext():
                matches = segment.index.search(query, min(count, segment.index.size), threads=1)
            found += zip(matches.distances.tolist(), matches.keys.tolist(), strict=True)
        found.sort()
        keys = [k for _, k in found if k not in self._dead]
        # Ids of the nearest keys only, a chunk at a time: most keys found are never needed,
        # and a removed one (skipped) is rare.
        ids: list[str] = []
        for start in range(0, len(keys), count):
            chunk = keys[start : start + count]
            saved = self.store.ann_ids_of([k for k in chunk if k not in self._new])
            ids = list(dict.fromkeys(
                [*ids, *(i for i in (self._new.get(k) or saved.get(k) for k in chunk) if i)]))
            if len(ids) >= count:
                break
        return ids[:count]

    def save(self) -> None:
        """Write the new segments and the manifest (inside the caller's transaction)."""
        if not self._dirty:
            return
        before = {row["name"] for row in self.store.ann_segments()}
        self._merge()
        for segment in self._segments:
            if segment.name is None and segment.index is not None and self.directory:
                segment.name = _write_segment(self.directory, segment)
        self._superseded = before - {s.name for s in self._segments}
        self.store.put_ann_keys(sorted(self._new.items()), removed=sorted(self._dead))
        self.store.put_ann_segments([(s.name or "", s.level, s.first, s.last)
                                     for s in self._segments])
        self._new, self._new_key_of, self._dead, self._dirty = {}, {}, set(), False
        if self.directory:
            _delete_stale_files(self.directory, {s.name for s in self._segments})

    def delete_superseded(self) -> None:
        """Delete the files the last `save` replaced (a rewritten tail, merged segments): call
        it once that save is committed. A reader that opened the old manifest just before then
        finds a file missing and rebuilds that segment from the stored vectors."""
        if self.directory:
            for name in self._superseded:
                (self.directory / name).unlink(missing_ok=True)
        self._superseded = set()

    def _merge(self) -> None:
        """FANOUT sealed segments of one level become one of the next, until no level holds
        FANOUT (removed keys are left out of the merged file)."""
        while True:
            sealed = [s for s in self._segments if len(s) >= SEGMENT_KEYS * FANOUT ** s.level]
            levels = Counter(s.level for s in sealed)
            level = min((lv for lv, n in levels.items() if n >= FANOUT), default=None)
            if level is None:
                return
            group = [s for s in sealed if s.level == level][:FANOUT]
            merged = _Segment(level + 1, group[0].first, group[-1].last, None)
            for segment in group:
                live = [k for k, _ in self.store.ann_live_keys(segment.first, segment.last)
                        if k not in self._dead] + [k for k in self._new
                                                   if segment.first <= k <= segment.last]
                if not live or segment.index is None:
                    continue
                if merged.index is None:
                    merged.index = _new_index(segment.index.ndim)
                # A block of vectors at a time, in key order: the same graph as adding them all
                # at once (one thread), without every vector of the merge held as float32 at
                # once (65,536 of 1,024 dimensions, 256 MB, twice over for the stacked copy, at
                # the merge a store of 65k articles makes).
                for start in range(0, len(live), MERGE_BLOCK_KEYS):
                    block = np.array(live[start : start + MERGE_BLOCK_KEYS], dtype=np.uint64)
                    merged.index.add(block, np.vstack(segment.index.get(block, dtype=np.float32)),
                                     threads=1)
            position = self._segments.index(group[0])
            self._segments = [s for s in self._segments if s not in group]
            self._segments.insert(position, merged)

    @classmethod
    def replace_all(cls, store: Store, index: VectorIndex,
                    vectors_of: Callable[[list[str]], np.ndarray]) -> StoredVectorIndex:
        """Store an index built in memory (a full rebuild) as one segment, replacing every
        stored one."""
        live = {key for key in index._key_of.values()}
        store.put_ann_keys([(k, i) for k, i in enumerate(index.ids)],
                           removed=[k for k in range(len(index.ids)) if k not in live],
                           replace_all=True)
        store.put_ann_segments([])
        stored = cls(store, vectors_of)
        if index.ids:
            level = 0
            while SEGMENT_KEYS * FANOUT ** (level + 1) <= len(index.ids):
                level += 1
            stored._segments = [_Segment(level, 0, len(index.ids) - 1, index._index)]
            stored._dirty = True
            stored.save()
        return stored


def _checked(index: Index | None, path: Path, keys: int) -> Index:
    if index is None or index.size > keys:
        raise ValueError(f"unreadable segment {path.name}")
    return index


class _OpenViews:
    """The segment files a process has memory-mapped for searches, kept open from one search
    to the next: opening every segment of a 100k store cost a search more than searching it.

    A view is reused while its file is the same file: same path, inode, size and modification
    time (a segment file is written once under a new name and never changed, so another
    process's update shows as new names in the manifest; the identity check covers a store
    replaced wholesale by a copy). Views of files a manifest no longer names are let go."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._views: dict[Path, tuple[tuple[int, int, int] | None, Index | None,
                                      threading.Lock]] = {}

    def view(self, path: Path, keys: int, rebuild: Callable[[], Index | None]
             ) -> tuple[Index | None, threading.Lock]:
        """The segment file at `path` (of `keys` keys) memory-mapped; `rebuild()` stands in
        for a missing or unreadable file (kept too: until an update writes the segment again,
        every search would rebuild it)."""
        from usearch.index import Index

        try:
            status = path.stat()
            identity: tuple[int, int, int] | None = (status.st_ino, status.st_size,
                                                     status.st_mtime_ns)
        except OSError:
            identity = None
        with self._lock:
            held = self._views.get(path)
            if held is not None and held[0] == identity:
                return held[1], held[2]
        try:
            if identity is None:
                raise ValueError(f"missing segment {path.name}")
            index: Index | None = _checked(Index.restore(str(path), view=True), path, keys)
        except ValueError:
            index = rebuild()
        lock = threading.Lock()
        with self._lock:
            self._views[path] = (identity, index, lock)
        return index, lock

    def keep_only(self, directory: Path, names: set[str]) -> None:
        with self._lock:
            for path in [p for p in self._views if p.parent == directory and p.name not in names]:
                del self._views[path]


_OPEN_VIEWS = _OpenViews()


def _new_index_for(vectors: np.ndarray, keys: list[int]):  # type: ignore[no-untyped-def]
    vectors = indexed_form(vectors)
    index = _new_index(vectors.shape[1])
    index.add(np.array(keys, dtype=np.uint64), vectors, threads=1)
    return index


def _write_segment(directory: Path, segment: _Segment) -> str:
    """Write a segment under a new name, synced, then renamed into place (a reader never sees
    a partial file under a name a manifest may hold)."""
    directory.mkdir(parents=True, exist_ok=True)
    name = f"{segment.level}-{segment.first}-{segment.last}-{uuid.uuid4().hex[:12]}.usearch"
    partial = directory / (name + ".partial")
    segment.index.save(str(partial))
    with open(partial, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(partial, directory / name)
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    return name


def _delete_stale_files(directory: Path, keep: set[str | None]) -> None:
    now = time.time()
    for path in directory.iterdir():
        if path.name not in keep and now - path.stat().st_mtime > STALE_FILE_SECONDS:
            path.unlink(missing_ok=True)
