"""The ingest stage's component interface (built-ins and how to register others:
`storyline.registry`, docs/architecture.md)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Protocol

from storyline.model import RawDocument, ReadFailure


class Reader(Protocol):
    """Bytes of one input (named `source` in documents and failures; `name` for its extension)
    → the documents in it, or why one could not be read."""

    def __call__(self, source: str, data: bytes, name: str = ""
                 ) -> Iterator[RawDocument | ReadFailure]: ...


if TYPE_CHECKING:  # mypy checks here that the built-in reader satisfies the Protocol
    from storyline.ingest import read_bytes

    _READER: Reader = read_bytes
