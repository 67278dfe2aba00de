"""Cleaning: boilerplate removal and title/outlet/date detection (placeholder)."""

from __future__ import annotations

from storyline.model import Article, RawDocument, content_id


def build_article(doc: RawDocument) -> Article:
    lines = [line.strip() for line in doc.text.splitlines() if line.strip()]
    title = doc.title or (lines[0] if lines else "")
    text = "\n\n".join(lines[1:] if not doc.title else lines)
    return Article(id=content_id(text, title), source=doc.source, title=title, text=text, raw=doc.raw)
