"""Every file of our hostile corpus (hostile_corpus.py) is read, cleaned and, for feeds, parsed
as the watcher parses a polled feed: documents or one-line failures, never a crash, never an
expanded entity, always bounded text."""

from __future__ import annotations

import pytest

from storyline import settings
from storyline.clean import build_article
from storyline.ingest import feed, read_bytes
from storyline.ingest.decode import UnreadableInput
from storyline.model import RawDocument, ReadFailure
from tests.ingest.hostile_corpus import HOSTILE
from tests.ingest.test_properties import check_items

# Files whose story must survive the damage (the rest may fail, with a reason).
READABLE = {
    "utf16le-no-bom.txt", "utf16be-bom.txt", "invalid-utf8.txt", "cp1252-declared-utf8.html",
    "unknown-charset.html", "mixed-encodings.txt", "control-characters.txt", "truncated.html",
    "truncated.jsonl", "deep-object.jsonl", "many-records.jsonl", "huge-line.txt",
    "huge-line.html", "huge-attribute.html", "huge-jsonl-line.jsonl", "cr-only-lines.txt",
    "truncated-utf8-sequence.txt", "utf16-feed.rss", "billion-laughs.html",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_file_is_read_or_refused_with_a_reason(name: str) -> None:
    data = HOSTILE[name]()
    items = list(read_bytes(name, data, name))
    check_items(items)
    documents = [item for item in items if isinstance(item, RawDocument)]
    for item in items:
        shown = item.text if isinstance(item, RawDocument) else item.reason
        assert "lol" * 20 not in shown and "x" * 100_000 not in shown, "an entity expanded"
        assert "root:" not in shown, "an external entity was read"
    for document in documents:
        article = build_article(document)
        assert len(article.text) <= settings.MAX_ARTICLE_CHARS
    if name in READABLE:
        assert documents, [item.reason for item in items if isinstance(item, ReadFailure)]
        assert any("Velmora" in document.text for document in documents)


@pytest.mark.parametrize("name", sorted(n for n in HOSTILE if n.endswith((".rss", ".atom"))))
def test_hostile_feed_polled_by_the_watcher(name: str) -> None:
    """The watcher parses what it polls with `feed.parse`: entries, or UnreadableInput."""
    try:
        parsed = feed.parse(HOSTILE[name]())
    except UnreadableInput as problem:
        assert str(problem) and "\n" not in str(problem)
        return
    for entry in parsed.entries:
        document = feed.entry_document("x", entry, None, None)
        if isinstance(document, RawDocument):
            # An entity left unexpanded stays as its reference ("&big;"): that is fine.
            assert "x" * 1000 not in document.text and "lol" * 20 not in document.text
