"""RSS and Atom feed reader (feedparser): one article per entry, full content preferred.

An entry's `content:encoded` / Atom `content` is used when present (the longest one), else its
summary; its HTML is flattened to paragraphs. The entry's title, link, date and author, and the
feed's title (as outlet) and language, become the document's metadata.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import feedparser

from storyline.ingest.decode import UnreadableInput, one_line
from storyline.ingest.page import html_to_text
from storyline.model import RawDocument, ReadFailure


def read(source: str, data: bytes) -> Iterator[RawDocument | ReadFailure]:
    parsed = parse(data)
    outlet = parsed.feed.get("title") or None
    language = parsed.feed.get("language") or None
    for number, entry in enumerate(parsed.entries, start=1):
        yield entry_document(f"{source}#{number}", entry, outlet, language)


# Numeric character references; feedparser's lenient parser (used for any feed that is not
# well-formed XML) raises on one beyond Unicode ("&#x110000;") and loses the whole feed.
_CHARACTER_REFERENCE = re.compile(rb"&#(?:[xX]([0-9a-fA-F]{1,16})|([0-9]{1,20}));")
_REPLACEMENT_REFERENCE = b"&#xFFFD;"


def _valid_reference(match: re.Match[bytes]) -> bytes:
    code = int(match[1], 16) if match[1] else int(match[2])
    valid = 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF
    return match[0] if valid else _REPLACEMENT_REFERENCE


def parse(data: bytes) -> Any:
    """The parsed feed (feedparser's result); UnreadableInput when it holds no entry."""
    # Bytes, never a string: feedparser fetches a string that looks like a URL over the network.
    try:
        parsed = feedparser.parse(_CHARACTER_REFERENCE.sub(_valid_reference, data))
    except ValueError as error:  # its lenient parser's own bugs, on what the above cannot fix
        raise UnreadableInput(f"not a readable feed: {one_line(str(error))}") from None
    if not parsed.entries:
        problem = parsed.get("bozo_exception")
        raise UnreadableInput(
            f"not a readable feed: {one_line(str(problem))}" if problem else "feed has no entries"
        )
    return parsed


def entry_document(
    source: str, entry: Any, outlet: str | None, language: str | None
) -> RawDocument | ReadFailure:
    """One feed entry as a document, from its own content (not its linked page)."""
    markup, content_type = _entry_content(entry)
    text = markup if content_type == "text/plain" else html_to_text(markup)
    if not text.strip():
        return ReadFailure(source, "feed entry has no content")
    return RawDocument(
        source=source,
        text=text,
        format="feed",
        raw=markup,
        title=entry.get("title") or None,
        url=entry.get("link") or None,
        published=entry_date(entry),
        outlet=outlet,
        byline=entry.get("author") or None,
        language=entry.get("language") or language,
        extracted=True,
    )


def _entry_content(entry: Any) -> tuple[str, str]:
    contents = [c for c in entry.get("content", []) if c.get("value", "").strip()]
    if contents:
        best = max(contents, key=lambda c: len(c["value"]))
        return best["value"], best.get("type", "text/html")
    detail = entry.get("summary_detail") or {}
    return entry.get("summary", ""), detail.get("type", "text/html")


def entry_date(entry: Any) -> str | None:
    """ISO 8601 (UTC) when feedparser understood the date, else the date as printed."""
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if parsed:
        try:
            stamp = calendar.timegm(parsed)
            return datetime.fromtimestamp(stamp, tz=UTC).isoformat()
        except (OverflowError, ValueError, OSError):
            pass
    return entry.get("published") or entry.get("updated") or None
