"""WARC reader (warcio): every HTML response in the archive goes through the HTML reader.

Records are named `file.warc#N` (N counts WARC records from 1); the response's target URI becomes
the document's url. Other record types (requests, metadata, images) are skipped.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord

from storyline import settings
from storyline.ingest import page
from storyline.ingest.decode import UnreadableInput
from storyline.model import RawDocument, ReadFailure


def read(source: str, data: bytes) -> Iterator[RawDocument | ReadFailure]:
    html_responses = 0
    try:
        for number, record in enumerate(ArchiveIterator(io.BytesIO(data)), start=1):
            if not _is_html_response(record):
                continue
            html_responses += 1
            payload = record.content_stream().read(settings.MAX_FILE_BYTES)
            target = record.rec_headers.get_header("WARC-Target-URI")
            for item in page.read(f"{source}#{number}", payload):
                if isinstance(item, RawDocument):
                    item.url = item.url or target
                yield item
    except ArchiveLoadFailed as error:
        raise UnreadableInput(f"not a valid WARC file: {error}") from None
    if not html_responses:
        yield ReadFailure(source, "WARC file holds no HTML responses")


def _is_html_response(record: ArcWarcRecord) -> bool:
    if record.rec_type != "response" or record.http_headers is None:
        return False
    headers = record.http_headers
    status = headers.get_statuscode() or ""
    content_type = headers.get_header("Content-Type") or ""
    return status.startswith("2") and "html" in content_type.lower()
