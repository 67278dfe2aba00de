"""Learned state kept row by row in the store, read on first use and written back when changed.

`StoredRows` is a mutable mapping over one of the store's key → JSON row tables: a lookup reads
its row (once), an assignment or deletion is remembered, and `flush` writes only the rows that
changed. The clusterer uses these mappings as its `features_`, `events_`, `assignment_`,
`document_frequency_` and `postings_`, so an update costs the rows it touches, not the store.
With a `capacity`, rows read and not changed are forgotten, least recently asked for first, once
more than that many are held (a forgotten row is read again when asked for): an update's memory
then stays bounded however many rows it reads.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping
from itertools import islice
from typing import Any, Generic, TypeVar

from storyline.store import Store

_Value = TypeVar("_Value")
_MISSING = object()


class StoredRows(MutableMapping[str, _Value], Generic[_Value]):
    def __init__(
        self, store: Store, table: str,
        encode: Callable[[_Value], Any] = lambda value: value,
        decode: Callable[[Any], _Value] = lambda raw: raw,
        capacity: int | None = None,
    ) -> None:
        self.store = store
        self.table = table
        self._encode = encode
        self._decode = decode
        self.capacity = capacity
        self._cache: dict[str, Any] = {}  # key -> value, or _MISSING when the row is absent
        self._dirty: dict[str, None] = {}

    def prefetch(self, keys: Iterable[str]) -> None:
        """Read the rows of many keys in one query (those not read yet)."""
        asked = list(dict.fromkeys(keys))
        wanted = [k for k in asked if k not in self._cache]
        if self.capacity is not None:
            # Rows asked for again are the latest read: the last to be forgotten.
            for key in asked:
                if key in self._cache:
                    self._cache[key] = self._cache.pop(key)
        if wanted:
            found = self.store.get_rows(self.table, wanted)
            # One document of every row read, each distinct number in it made once: the decoder
            # makes each distinct object key once per document, so rows share their terms and
            # weights (a feature row's ~280 terms, words most rows hold and weights 1 + log(n),
            # took 32 KB decoded row by row, 11 KB so; and decoding took no longer).
            raws = json.loads("[" + ",".join(found.values()) + "]",
                              parse_float=functools.lru_cache(maxsize=None)(float)
                              ) if found else []
            decoded = self._decode_rows(dict(zip(found, raws, strict=True)))
            for key in wanted:
                self._cache[key] = decoded.get(key, _MISSING)
        if self.capacity is not None and len(self._cache) > self.capacity:
            self._forget_read(len(self._cache) - self.capacity, set(asked))

    def release(self, keys: Iterable[str]) -> None:
        """Forget the rows of `keys` read and not changed (read again if asked for): rows read
        for one use, as every member of an event for its record, need not wait for the
        capacity to push them out."""
        for key in keys:
            if key not in self._dirty:
                self._cache.pop(key, None)

    def release_read(self) -> None:
        """Forget every row read and not changed (`release` of them all)."""
        self.release(list(self._cache))

    def _forget_read(self, count: int, keep: set[str]) -> None:
        """Drop the `count` oldest rows read and not changed, except `keep` (just asked for);
        changed rows stay until `flush` writes them."""
        unchanged = (k for k in self._cache if k not in self._dirty and k not in keep)
        for key in list(islice(unchanged, count)):
            del self._cache[key]

    def _decode_rows(self, raws: dict[str, Any]) -> dict[str, _Value]:
        """Values of rows read together (a subclass may read what they refer to at once)."""
        return {key: self._decode(raw) for key, raw in raws.items()}

    def __getitem__(self, key: str) -> _Value:
        if key not in self._cache:
            self.prefetch([key])
        value = self._cache[key]
        if value is _MISSING:
            raise KeyError(key)
        return value

    def get(self, key: str, default: Any = None) -> Any:
        # Without raising and catching KeyError for each absent row (MutableMapping's `get`):
        # the clusterer looks up many absent terms.
        if key not in self._cache:
            self.prefetch([key])
        value = self._cache[key]
        return default if value is _MISSING else value

    def get_many(self, keys: list[str], default: Any = None) -> list[Any]:
        """`get` of each of `keys`, read in one query (the clusterer's idf looks up every term
        of a score matrix)."""
        self.prefetch(keys)
        cache = self._cache
        return [default if (value := cache[key]) is _MISSING else value for key in keys]

    def __contains__(self, key: object) -> bool:
        return self.get(key, _MISSING) is not _MISSING  # type: ignore[arg-type]

    def __setitem__(self, key: str, value: _Value) -> None:
        self._cache[key] = value
        self._dirty[key] = None

    def __delitem__(self, key: str) -> None:
        self[key]  # KeyError for an absent row, as a dict does
        self._cache[key] = _MISSING
        self._dirty[key] = None

    def __iter__(self) -> Iterator[str]:
        raise TypeError(f"{self.table} is read row by row; iterating it would read the store")

    def __len__(self) -> int:
        raise TypeError(f"{self.table} is read row by row; its size would read the store")

    def flush(self) -> None:
        """Write the changed rows (inside the caller's transaction)."""
        rows = {}
        for key in self._dirty:
            value = self._cache[key]
            rows[key] = None if value is _MISSING else json.dumps(
                self._encode(value), ensure_ascii=False, separators=(",", ":"))
        self.store.put_rows(self.table, rows)
        self._dirty = {}


def write_all(store: Store, table: str, rows: Mapping[str, Any]) -> None:
    """Replace a whole row table (a full rebuild)."""
    store.put_rows(
        table,
        {key: json.dumps(value, ensure_ascii=False, separators=(",", ":"))
         for key, value in rows.items()},
        replace_all=True,
    )
