"""Readers: turn files, folders and stdin into `RawDocument`s (or `ReadFailure`s).

One module per format, all with the same interface `read(source, data: bytes)` yielding
documents or failures: `text` (plain text), `page` (HTML, via `ingest.html`), `records` (JSON and
JSON Lines), `warc`, `feed` (RSS/Atom). `read_path` picks the reader from the content first (gzip
magic bytes, WARC header, an HTML or feed root element) and then from the file extension.

Files larger than `[ingest] max_file_bytes` (50 MB; gzip content counts decompressed) are refused
with a reason, without being read. Nothing here raises on bad input: an empty, binary,
undecodable, truncated, oversized, missing or unreadable file yields one `ReadFailure` with a
one-line reason, and the caller goes on with the next file.
"""

from __future__ import annotations

import functools
import os
import stat
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import BinaryIO

from storyline.ingest import feed, page, records, text, warc
from storyline.ingest.config import IngestConfig
from storyline.ingest.decode import UnreadableInput, normalize_text, one_line, printable_name
from storyline.ingest.detect import (
    GZIP_MAGIC,
    detect_format,
    gunzip_bounded,
    is_sqlite_file,
    looks_binary,
)
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


def iter_sources(
    paths: Iterable[str], allowed_roots: Sequence[str] | None = None
) -> Iterator[str]:
    """Expand folders recursively (sorted, so runs are reproducible); '-' means stdin.

    Hidden files and folders are skipped, and so are SQLite databases (a store kept in the
    folder, with its -wal and -shm files): they are never input. Symbolic links to files and
    folders are followed, each real folder walked once (so a link loop ends). With
    `allowed_roots` (absolute, resolved folders), a folder whose real path is outside them is
    not listed but yielded itself, and `read_path` with the same `allowed_roots` refuses it, as
    it refuses a link to a file outside. A folder that cannot be listed is yielded itself too, so
    `read_path` reports it instead of it vanishing silently.
    """
    for path in paths:
        if path == STDIN or not os.path.isdir(path):
            yield path
            continue
        yield from _walk(path, allowed_roots)


def _walk(folder: str, allowed_roots: Sequence[str] | None) -> Iterator[str]:
    walked: set[str] = set()
    # Depth-first, each folder's files before its subfolders, as the user will see the paths.
    pending = [folder]
    while pending:
        shown = pending.pop()
        real = os.path.realpath(shown)
        if real in walked:
            continue
        walked.add(real)
        # Not even listed: file names outside the allowed folders are not ours to report.
        if allowed_roots is not None and not is_inside(real, allowed_roots):
            yield shown
            continue
        try:
            with os.scandir(shown) as listing:
                entries = sorted((e for e in listing if not e.name.startswith(".")),
                                 key=lambda e: e.name)
        except OSError:
            yield shown
            continue
        subfolders = []
        for entry in entries:
            if _is_folder(entry):
                subfolders.append(entry.path)
            # Not sniffed through a link: that could open a file outside `allowed_roots`.
            elif entry.is_symlink() or not is_sqlite_file(entry.path):
                yield entry.path
        pending.extend(reversed(subfolders))


def _is_folder(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def is_inside(real_path: str, roots: Sequence[str]) -> bool:
    """Whether `real_path` is one of `roots` or under one (all absolute and resolved)."""
    return any(os.path.commonpath([real_path, root]) == root for root in roots)


def read_path(
    source: str, allowed_roots: Sequence[str] | None = None, max_records: int | None = None,
    config: IngestConfig | None = None,
) -> Iterator[RawDocument | ReadFailure]:
    """Read one file, a folder (recursively) or '-' (stdin) into documents and failures.

    With `allowed_roots`, nothing whose real path is outside them is read, links included.
    `max_records`: records read from one file (default `config.max_records_per_file`);
    `config`: the configuration's `[ingest]` section (default: settings.py's bounds).
    """
    config = config or IngestConfig()
    if source != STDIN and os.path.isdir(source):
        for path in iter_sources([source], allowed_roots):
            yield from _read_one(path, allowed_roots, max_records, config)
    else:
        yield from _read_one(source, allowed_roots, max_records, config)


def read_bytes(source: str, data: bytes, name: str = "", max_records: int | None = None,
               config: IngestConfig | None = None) -> Iterator[RawDocument | ReadFailure]:
    """Read `data` (named `name`, for its extension) as whatever format it turns out to be.
    Documents and failures name it `source`, escaped by `printable_name`; at most
    `max_records` records (default `config.max_records_per_file`)."""
    config = config or IngestConfig()
    source = printable_name(source)
    try:
        if data.startswith(GZIP_MAGIC):
            data = gunzip_bounded(data, config.max_file_bytes)
        if not data.strip():
            raise UnreadableInput("empty file")
        file_format = detect_format(name or source, data)
        # WARC records carry images and other binary payloads; the WARC reader skips them.
        if file_format != "warc" and looks_binary(data):
            raise UnreadableInput("binary file (NUL bytes), not text")
        yield from _capped(source, _reader(file_format, config)(source, data),
                           max_records or config.max_records_per_file, config)
    except UnreadableInput as problem:
        yield ReadFailure(source, one_line(str(problem)))
    except Exception as error:  # noqa: BLE001 - a reader bug must cost one file, not the run
        yield ReadFailure(source, one_line(f"reader error: {type(error).__name__}: {error}"))


def _reader(file_format: str, config: IngestConfig) -> Reader:
    """The reader of a format, given the configuration when it has tunables of its own."""
    if file_format == "html":
        return functools.partial(page.read, config=config)
    if file_format == "warc":
        return functools.partial(warc.read, config=config)
    return READERS[file_format]


def _capped(
    source: str, items: Iterator[RawDocument | ReadFailure], limit: int, config: IngestConfig
) -> Iterator[RawDocument | ReadFailure]:
    """The first `limit` records (documents or failures), finished; the rest are counted into
    one failure that says how to let them in, not dropped silently."""
    skipped = 0
    for number, item in enumerate(items, start=1):
        if number > limit:
            skipped += 1
        else:
            yield item if isinstance(item, ReadFailure) else _finished(item, config)
    if skipped:
        yield ReadFailure(source, f"{skipped} records after the first {limit} not read: a file "
                          f"may hold at most {limit} ([ingest] max_records_per_file; storyline "
                          "ingest --max-records N raises it)")


def _read_one(
    source: str, allowed_roots: Sequence[str] | None, max_records: int | None,
    config: IngestConfig,
) -> Iterator[RawDocument | ReadFailure]:
    try:
        if source == STDIN:
            data = _read_bounded(sys.stdin.buffer, config.max_file_bytes)
            yield from read_bytes(STDIN_SOURCE, data, max_records=max_records, config=config)
        else:
            data = _read_file(source, allowed_roots, config.max_file_bytes)
            yield from read_bytes(source, data, name=source, max_records=max_records,
                                  config=config)
    except UnreadableInput as problem:
        label = STDIN_SOURCE if source == STDIN else printable_name(source)
        yield ReadFailure(label, one_line(str(problem)))


def _read_file(path: str, allowed_roots: Sequence[str] | None, limit: int) -> bytes:
    """The file's bytes; refused before reading when it is too big, not a regular file or
    really outside `allowed_roots`."""
    try:
        if allowed_roots is not None:
            _refuse_outside(os.path.realpath(path), allowed_roots)
        info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):
            os.listdir(path)  # raises the real reason (permissions) when it cannot be listed
            raise UnreadableInput("is a directory")
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableInput("not a regular file")
        if info.st_size > limit:
            raise UnreadableInput(_too_big(info.st_size, limit))
        with open(path, "rb") as handle:
            if allowed_roots is not None:
                # The file opened is the one checked, even if a link was swapped in meanwhile.
                _refuse_outside(_opened_path(handle, path), allowed_roots)
            return _read_bounded(handle, limit)
    except OSError as error:
        raise UnreadableInput(f"cannot read: {error.strerror or error}") from None


def _refuse_outside(real_path: str, allowed_roots: Sequence[str]) -> None:
    if not is_inside(real_path, allowed_roots):
        raise UnreadableInput("refused: a link that leads outside the allowed folder")


def _opened_path(handle: BinaryIO, path: str) -> str:
    """The real path of an open file: from /proc on Linux, else resolved again by name."""
    try:
        return os.readlink(f"/proc/self/fd/{handle.fileno()}")
    except OSError:
        return os.path.realpath(path)


def _read_bounded(handle: BinaryIO, limit: int) -> bytes:
    """Read at most `limit` bytes; a stream (stdin, a growing file) that has more is refused."""
    data = handle.read(limit + 1)
    if len(data) > limit:
        raise UnreadableInput(_too_big(len(data), limit, at_least=True))
    return data


def _too_big(size: int, limit: int, at_least: bool = False) -> str:
    shown = f"{'over ' if at_least else ''}{size / 2**20:.1f} MB"
    return f"file too large: {shown}, limit {limit / 2**20:.0f} MB ([ingest] max_file_bytes)"


def _finished(document: RawDocument, config: IngestConfig) -> RawDocument | ReadFailure:
    """Bound and sanitise what every reader delivers; a document without text is a failure."""
    text = normalize_text(document.text)
    # A plain-text reader's raw copy is its text: normalised once.
    raw = text if document.raw is document.text else normalize_text(document.raw)
    document.text = text[: config.max_article_chars]
    if not document.text.strip():
        return ReadFailure(document.source, f"no text in this {document.format} document")
    document.raw = raw[: config.max_raw_chars]
    for name in _METADATA_FIELDS:
        value = getattr(document, name)
        if value is not None:
            setattr(document, name, one_line(str(value), _MAX_METADATA_CHARS) or None)
    return document
