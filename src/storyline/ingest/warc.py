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

from storyline.ingest import page
from storyline.ingest.config import IngestConfig
from storyline.ingest.decode import UnreadableInput
from storyline.model import RawDocument, ReadFailure

_DRAIN_CHUNK = 1 << 16


def read(source: str, data: bytes, config: IngestConfig | None = None
         ) -> Iterator[RawDocument | ReadFailure]:
    config = config or IngestConfig()
    html_responses = 0
    for number, record in enumerate(_records(source, data), start=1):
        if isinstance(record, ReadFailure):
            yield record
            return
        is_html = _is_html_response(record)
        html_responses += is_html
        payload = record.content_stream().read(config.max_file_bytes) if is_html else b""
        missing = _missing_bytes(record)
        if missing:
            # A cut-off page would be stored as whatever its first bytes hold ("<").
            yield _truncated(source, number, f"{record.length - missing} of {record.length} bytes")
            return
        if is_html:
            yield from _documents(f"{source}#{number}", payload, record, config)
    if not html_responses:
        yield ReadFailure(source, "WARC file holds no HTML responses")


def _records(source: str, data: bytes) -> Iterator[ArcWarcRecord | ReadFailure]:
    """The archive's records; a record that cannot be parsed ends them with a failure (or, as
    the first record, makes the whole file unreadable), so the records before it still count."""
    records = ArchiveIterator(io.BytesIO(data))
    number = 0
    while True:
        number += 1
        try:
            record = next(records)
        except StopIteration:
            # warcio also ends quietly at some cut-off records; what it left unread says so.
            unread = len(data[records.offset :].strip())
            if unread:
                yield _truncated(source, number, f"the last {unread} bytes are incomplete")
            return
        # warcio parses headers cut off mid-line into an AttributeError.
        except (ArchiveLoadFailed, AttributeError) as error:
            if number == 1:
                raise UnreadableInput(f"not a valid WARC file: {error}") from None
            yield _truncated(source, number, "its headers cannot be parsed")
            return
        declared = record.rec_headers.get_header("Content-Length") or ""
        # Headers cut off between two lines, or inside the length itself ("Content-Length: 5"
        # of 56): the headers must end where the data still goes on.
        if record.length is None or not declared.strip() or _ends_inside_headers(data, records):
            yield _truncated(source, number, "its headers are incomplete")
            return
        yield record


def _ends_inside_headers(data: bytes, records: ArchiveIterator) -> bool:
    """Whether the archive ends before the blank line that closes the current record's
    headers (warcio reads a cut-off last header line as complete)."""
    return data.find(b"\r\n\r\n", records.offset) < 0 and data.find(b"\n\n", records.offset) < 0


def _truncated(source: str, number: int, detail: str) -> ReadFailure:
    return ReadFailure(f"{source}#{number}", f"truncated WARC record: {detail}; the archive ends "
                       "there (incomplete download or copy?)")


def _documents(
    source: str, payload: bytes, record: ArcWarcRecord, config: IngestConfig
) -> Iterator[RawDocument | ReadFailure]:
    target = record.rec_headers.get_header("WARC-Target-URI")
    for item in page.read(source, payload, config):
        if isinstance(item, RawDocument):
            item.url = item.url or target
        yield item


def _missing_bytes(record: ArcWarcRecord) -> int:
    """Bytes the record's Content-Length announces that the archive does not hold."""
    stream = record.raw_stream
    while stream.read(_DRAIN_CHUNK):
        pass
    # Only a record with a Content-Length gets a length-limited stream.
    return getattr(stream, "limit", 0)


def _is_html_response(record: ArcWarcRecord) -> bool:
    if record.rec_type != "response" or record.http_headers is None:
        return False
    headers = record.http_headers
    status = headers.get_statuscode() or ""
    content_type = headers.get_header("Content-Type") or ""
    return status.startswith("2") and "html" in content_type.lower()
