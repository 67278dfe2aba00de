"""Plain-text reader: one file, one article (the seeds' shape: the headline is the first line).

Scraped text dumps often carry UTF-8 that some earlier step read as Latin-1 ("Thereâ\x80\x99s");
it is repaired here, before the control characters it contains are stripped for good.
"""

from __future__ import annotations

from collections.abc import Iterator

from storyline.ingest.decode import decode_bytes, repair_mojibake
from storyline.model import RawDocument, ReadFailure


def read(source: str, data: bytes) -> Iterator[RawDocument | ReadFailure]:
    text = repair_mojibake(decode_bytes(data))
    yield RawDocument(source=source, text=text, format="text", raw=text)
