"""JSON and JSON Lines reader: one article per record.

Accepted shapes: JSON Lines (one object per line), a JSON array of objects, a JSON object holding
such an array under "articles", "items", "records" or "data", or a single JSON object.

Default field mapping (`DEFAULT_FIELD_MAP`; the first key present in a record wins):

    RawDocument field   record keys
    text                text, content, body, articleBody, article
    title               title, headline
    url                 url, link
    published           published, date, datePublished, published_at, pubDate
    outlet              outlet, source, publisher, site_name   (an object's "name" is used)
    byline              author, byline, authors                (lists are joined with ", ")
    language            language, lang

Pass `field_map={"text": "story", "outlet": ["paper", "site"]}` to override fields; the fields
you do not name keep their defaults. Text that contains HTML tags is flattened to paragraphs.

A malformed line is reported as `file.jsonl:LINE` with its reason and the other lines go in;
a record is `file.jsonl#LINE` (or `file.json#INDEX`, counting from 1).
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from storyline.ingest.decode import UnreadableInput, decode_bytes, one_line
from storyline.ingest.page import html_to_text, looks_like_markup
from storyline.model import RawDocument, ReadFailure

DEFAULT_FIELD_MAP: dict[str, tuple[str, ...]] = {
    "text": ("text", "content", "body", "articleBody", "article"),
    "title": ("title", "headline"),
    "url": ("url", "link"),
    "published": ("published", "date", "datePublished", "published_at", "pubDate"),
    "outlet": ("outlet", "source", "publisher", "site_name"),
    "byline": ("author", "byline", "authors"),
    "language": ("language", "lang"),
}
_ARRAY_KEYS = ("articles", "items", "records", "data")
# json raises RecursionError, not JSONDecodeError, on absurdly deep nesting.
_PARSE_ERRORS = (ValueError, RecursionError)
# Lines looked at to tell JSON Lines from a broken JSON document.
_JSON_LINES_PROBE = 10


def read(
    source: str, data: bytes, field_map: Mapping[str, str | Sequence[str]] | None = None
) -> Iterator[RawDocument | ReadFailure]:
    mapping = resolve_field_map(field_map)
    content = decode_bytes(data)
    try:
        whole = json.loads(content)
    except _PARSE_ERRORS as error:
        if not _first_line_is_json(content):
            raise UnreadableInput(f"invalid JSON: {error}") from None
        yield from _read_lines(source, content, mapping)
        return
    records = _records_of(whole)
    if not records:
        raise UnreadableInput("JSON holds no records")
    for index, record in enumerate(records, start=1):
        raw = json.dumps(record, ensure_ascii=False)
        yield _document(f"{source}#{index}", record, mapping, raw)


def resolve_field_map(
    overrides: Mapping[str, str | Sequence[str]] | None,
) -> dict[str, tuple[str, ...]]:
    mapping = dict(DEFAULT_FIELD_MAP)
    for field_name, keys in (overrides or {}).items():
        if field_name not in DEFAULT_FIELD_MAP:
            raise ValueError(f"unknown field {field_name!r}; known: {', '.join(DEFAULT_FIELD_MAP)}")
        mapping[field_name] = (keys,) if isinstance(keys, str) else tuple(keys)
    return mapping


def _first_line_is_json(content: str) -> bool:
    """Whether the text is JSON Lines: its first line is JSON, or one of its first lines is a
    JSON object (the first record may be the broken one: absurdly deep, or cut off)."""
    lines = (line for line in content.splitlines() if line.strip())
    for number, line in enumerate(itertools.islice(lines, _JSON_LINES_PROBE)):
        try:
            record = json.loads(line)
        except _PARSE_ERRORS:
            continue
        if number == 0 or isinstance(record, dict):
            return True
    return False


def _read_lines(
    source: str, content: str, mapping: dict[str, tuple[str, ...]]
) -> Iterator[RawDocument | ReadFailure]:
    for number, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except _PARSE_ERRORS as error:
            yield ReadFailure(f"{source}:{number}", f"invalid JSON: {error}")
            continue
        yield _document(f"{source}#{number}", record, mapping, line)


def _records_of(whole: Any) -> list[Any]:
    if isinstance(whole, dict):
        for key in _ARRAY_KEYS:
            if isinstance(whole.get(key), list):
                return whole[key]
        return [whole]
    if isinstance(whole, list):
        return whole
    return [whole]


def _document(
    source: str, record: Any, mapping: dict[str, tuple[str, ...]], raw: str
) -> RawDocument | ReadFailure:
    if not isinstance(record, dict):
        return ReadFailure(source, f"record is a JSON {type(record).__name__}, not an object")
    values = {name: _first_value(record, keys) for name, keys in mapping.items()}
    text = values.pop("text")
    if not text:
        return ReadFailure(source, f"record has no text (looked for {', '.join(mapping['text'])})")
    if looks_like_markup(text):
        text = html_to_text(text)
    field = {name: one_line(value) if value else None for name, value in values.items()}
    return RawDocument(source=source, text=text, format="json", raw=raw, title=field["title"],
                       url=field["url"], published=field["published"], outlet=field["outlet"],
                       byline=field["byline"], language=field["language"])


def _first_value(record: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        value = _as_text(record.get(key))
        if value:
            return value
    return None


def _as_text(value: Any) -> str | None:
    """Strings as they are; an object's name; a list of those joined; numbers as digits."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, dict):
        return _as_text(value.get("name"))
    if isinstance(value, list):
        parts = [part for part in (_as_text(item) for item in value) if part]
        return ", ".join(parts) or None
    return None
