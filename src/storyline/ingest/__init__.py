"""Readers: turn files, folders and stdin into `RawDocument`s (or `ReadFailure`s).

One module per format, all with the same interface `read(source, data: bytes)` yielding
documents or failures: `text` (plain text), `page` (HTML, via `ingest.html`), `records` (JSON and
JSON Lines), `warc`, `feed` (RSS/Atom). `read_path` picks the reader from the content first (gzip
magic bytes, WARC header, an HTML or feed root element) and then from the file extension.

Files larger than `settings.MAX_FILE_BYTES` (50 MB; gzip content counts decompressed) are refused
with a reason, without being read. Nothing here raises on bad input: an empty, binary,
undecodable, truncated, oversized, missing or unreadable file yields one `ReadFailure` with a
one-line reason, and the caller goes on with the next file.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import BinaryIO

from storyline import settings
from storyline.ingest import feed, page, records, text, warc
from storyline.ingest.decode import UnreadableInput, normalize_text, one_line
from storyline.ingest.detect import GZIP_MAGIC, detect_format, gunzip_bounded, looks_binary
from storyline.model import RawDocument, ReadFailure

Reader = Callable[[str, bytes], Iterator[RawDocument | ReadFailure]]

READERS: dict[str, Reader] = {
    "text": text.read,
    "html": page.read,
    "json": records.read,
    "warc": warc.read,
    "feed": feed.read,
}
STDIN = "-"
STDIN_SOURCE = "stdin"
_METADATA_FIELDS = ("title", "url", "published", "outlet", "byline", "language")
_MAX_METADATA_CHARS = 1000


def iter_sources(paths: Iterable[str]) -> Iterator[str]:
    """Expand folders recursively (sorted, so runs are reproducible); '-' means stdin.

    Hidden files and folders are skipped. A folder that cannot be listed is yielded itself, so
    `read_path` reports it as a failure instead of it vanishing silently.
    """
    for path in paths:
        if path == STDIN or not os.path.isdir(path):
            yield path
            continue
        yield from _walk(path)


def _walk(folder: str) -> Iterator[str]:
    unlistable: list[str] = []
    for root, dirs, files in os.walk(folder, onerror=lambda e: unlistable.append(e.filename)):
        yield from unlistable
        unlistable.clear()
        dirs[:] = sorted(name for name in dirs if not name.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield os.path.join(root, name)
    yield from unlistable


def read_path(source: str) -> Iterator[RawDocument | ReadFailure]:
    """Read one file, a folder (recursively) or '-' (stdin) into documents and failures."""
    if source != STDIN and os.path.isdir(source):
        for path in iter_sources([source]):
            yield from _read_one(path)
    else:
        yield from _read_one(source)


def read_bytes(source: str, data: bytes, name: str = "") -> Iterator[RawDocument | ReadFailure]:
    """Read `data` (named `name`, for its extension) as whatever format it turns out to be."""
    try:
        if data.startswith(GZIP_MAGIC):
            data = gunzip_bounded(data)
        if not data.strip():
            raise UnreadableInput("empty file")
        file_format = detect_format(name or source, data)
        # WARC records carry images and other binary payloads; the WARC reader skips them.
        if file_format != "warc" and looks_binary(data):
            raise UnreadableInput("binary file (NUL bytes), not text")
        for item in READERS[file_format](source, data):
            yield item if isinstance(item, ReadFailure) else _finished(item)
    except UnreadableInput as problem:
        yield ReadFailure(source, one_line(str(problem)))
    except Exception as error:  # noqa: BLE001 - a reader bug must cost one file, not the run
        yield ReadFailure(source, one_line(f"reader error: {type(error).__name__}: {error}"))


def _read_one(source: str) -> Iterator[RawDocument | ReadFailure]:
    try:
        if source == STDIN:
            data = _read_bounded(sys.stdin.buffer)
            yield from read_bytes(STDIN_SOURCE, data)
        else:
            data = _read_file(source)
            yield from read_bytes(source, data, name=source)
    except UnreadableInput as problem:
        yield ReadFailure(STDIN_SOURCE if source == STDIN else source, one_line(str(problem)))


def _read_file(path: str) -> bytes:
    """The file's bytes; refused before reading when it is too big or not a regular file."""
    try:
        info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):
            os.listdir(path)  # raises the real reason (permissions) when it cannot be listed
            raise UnreadableInput("is a directory")
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableInput("not a regular file")
        if info.st_size > settings.MAX_FILE_BYTES:
            raise UnreadableInput(_too_big(info.st_size))
        with open(path, "rb") as handle:
            return _read_bounded(handle)
    except OSError as error:
        raise UnreadableInput(f"cannot read: {error.strerror or error}") from None


def _read_bounded(handle: BinaryIO) -> bytes:
    """Read at most MAX_FILE_BYTES; a stream (stdin, a growing file) that has more is refused."""
    data = handle.read(settings.MAX_FILE_BYTES + 1)
    if len(data) > settings.MAX_FILE_BYTES:
        raise UnreadableInput(_too_big(len(data), at_least=True))
    return data


def _too_big(size: int, at_least: bool = False) -> str:
    limit_mb = settings.MAX_FILE_BYTES / 2**20
    shown = f"{'over ' if at_least else ''}{size / 2**20:.1f} MB"
    return f"file too large: {shown}, limit {limit_mb:.0f} MB (settings.MAX_FILE_BYTES)"


def _finished(document: RawDocument) -> RawDocument | ReadFailure:
    """Bound and sanitise what every reader delivers; a document without text is a failure."""
    document.text = normalize_text(document.text)[: settings.MAX_ARTICLE_CHARS]
    if not document.text.strip():
        return ReadFailure(document.source, f"no text in this {document.format} document")
    document.raw = normalize_text(document.raw)[: settings.MAX_RAW_CHARS]
    for name in _METADATA_FIELDS:
        value = getattr(document, name)
        if value is not None:
            setattr(document, name, one_line(str(value), _MAX_METADATA_CHARS) or None)
    return document
