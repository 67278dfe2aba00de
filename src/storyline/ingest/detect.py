"""Format sniffing: the content decides first (a .txt that is really HTML), then the extension."""

from __future__ import annotations

import codecs
import os
import re
import stat
import zlib

from storyline.ingest.decode import SNIFF_BYTES, UnreadableInput, decode_utf16_without_bom

GZIP_MAGIC = b"\x1f\x8b"
SQLITE_MAGIC = b"SQLite format 3\x00"
# Files SQLite keeps beside a database "X": "X-wal", "X-shm", "X-journal".
SQLITE_COMPANION_SUFFIXES = ("-wal", "-shm", "-journal")

EXTENSION_FORMATS = {
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".json": "json",
    ".jsonl": "json",
    ".ndjson": "json",
    ".warc": "warc",
    ".rss": "feed",
    ".atom": "feed",
    ".xml": "feed",
}

_HTML_START = ("<!doctype html", "<html", "<head", "<body")
_FEED_ROOTS = ("<rss", "<feed", "<rdf:rdf")
_HTML_CLOSING_TAG = re.compile(r"</(p|div|body|article|span|a|li|h[1-6])\s*>")


def gunzip_bounded(data: bytes, limit: int) -> bytes:
    """Decompress (possibly multi-member) gzip without ever holding more than `limit` bytes."""
    output = bytearray()
    rest = data
    while rest.startswith(GZIP_MAGIC):
        decompressor = zlib.decompressobj(wbits=31)
        try:
            output += decompressor.decompress(rest, limit + 1 - len(output))
        except zlib.error as error:
            raise UnreadableInput(f"corrupt gzip data: {error}") from None
        if len(output) > limit or decompressor.unconsumed_tail:
            raise UnreadableInput(
                f"gzip content is above the {limit // 2**20} MB limit ([ingest] max_file_bytes)"
            )
        if not decompressor.eof:
            raise UnreadableInput("truncated gzip file")
        rest = decompressor.unused_data
    return bytes(output)


def is_sqlite_file(path: str) -> bool:
    """Whether `path` is a SQLite database (by its header) or a file SQLite keeps beside one.

    A store kept inside the folder being ingested (its -wal and -shm change while we read) is
    not input; nor is any other SQLite file there.
    """
    name = path
    for suffix in SQLITE_COMPANION_SUFFIXES:
        if path.endswith(suffix):
            name = path.removesuffix(suffix)
            break
    try:
        # A regular file only: opening a FIFO would block.
        if not stat.S_ISREG(os.stat(name).st_mode):
            return False
        with open(name, "rb") as handle:
            return handle.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    except OSError:
        return False


def looks_binary(data: bytes) -> bool:
    """NUL bytes in the first bytes mean binary, unless the text is UTF-16 (with or without a
    byte-order mark)."""
    sample = data[: SNIFF_BYTES]
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    return b"\x00" in sample and decode_utf16_without_bom(data) is None


def detect_format(name: str, data: bytes) -> str:
    """One of 'text', 'html', 'json', 'warc', 'feed' for (already decompressed) `data`."""
    head = data[: SNIFF_BYTES]
    if head.startswith(b"WARC/"):
        return "warc"
    text_head = head.decode("utf-8", "ignore").lstrip("\ufeff \t\r\n")
    if text_head.startswith("<"):
        text_head = text_head.lower()  # only markup is matched by name
        if any(root in text_head for root in _FEED_ROOTS) and "<html" not in text_head:
            return "feed"
        if text_head.startswith(_HTML_START) or "<html" in text_head:
            return "html"
        if _HTML_CLOSING_TAG.search(text_head):
            return "html"
    lower = name.lower()
    lower = lower.removesuffix(".gz")
    extension = os.path.splitext(lower)[1]
    if extension in EXTENSION_FORMATS:
        return EXTENSION_FORMATS[extension]
    if text_head.startswith(("{", "[")):
        return "json"
    return "text"
