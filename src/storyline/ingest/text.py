"""Plain-text reader: one file, one article (the seeds' shape: the headline is the first line)."""

from __future__ import annotations

from collections.abc import Iterator

from storyline.ingest.decode import decode_bytes
from storyline.model import RawDocument, ReadFailure


def read(source: str, data: bytes) -> Iterator[RawDocument | ReadFailure]:
    text = decode_bytes(data)
    yield RawDocument(source=source, text=text, format="text", raw=text)
