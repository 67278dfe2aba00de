"""RawDocument → Article: cleaned text plus title, outlet, byline, dateline and date provenance."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from storyline.clean.cleaner import clean_text
from storyline.clean.config import CleanerConfig
from storyline.clean.dates import validate_iso
from storyline.clean.outlet import outlet_from_url, readable_domain, wire_agency
from storyline.clean.patterns import LEAD_DATELINE_RE, untokenise_brackets
from storyline.model import Article, PublishedSource, RawDocument, content_id

# A sentence ends at a stop before a capital or a figure, but not after an initial or a single
# figure ("W. Mark Felt", "John W. Henry", a tokenised "5. 9"): a title cut there reads "W.".
_SENTENCE_END_RE = re.compile(r"(?<=[.!?])(?<!\b\w[.])\s+(?=[\"“‘'(]?[A-Z0-9À-Þ])")


def lead_title(text: str, limit: int = 14) -> str:
    """A headline-like title from the lead, for pages without a headline: its first sentence
    without the dateline in front ("CAIRO , Egypt | Tue Feb 1 , 2011" is never a title), cut
    to `limit` words."""
    # A place in capitals before "-LRB-" would end at its hyphen ("TRIPOLI -LRB- Reuters -RRB-
    # - …" → "Reuters -RRB- - …"): tokenised brackets are read as brackets.
    text = untokenise_brackets(text.strip())
    lead = LEAD_DATELINE_RE.sub("", text, count=1).strip() or text
    sentence = _SENTENCE_END_RE.split(lead, maxsplit=1)[0].strip()
    words = sentence.split()
    return " ".join(words[:limit]) + (" …" if len(words) > limit else "")


def build_article(doc: RawDocument, now: datetime | None = None,
                  config: CleanerConfig | None = None) -> Article:
    """Clean one document into an Article; the same content always gets the same id.
    `config`: the cleaner's tunables (default: those of `settings.py`)."""
    config = config or CleanerConfig()
    result = clean_text(
        doc.text or "",
        doc.language,
        title=doc.title,
        extracted=doc.extracted,
        now=now,
        config=config,
    )
    text = result.text[: config.max_article_chars]
    title = result.title or (lead_title(result.paragraphs[0]) if result.paragraphs else "")
    published = validate_iso(doc.published, now)
    published_source: PublishedSource | None = "metadata" if published else None
    if not published and result.published:
        published, published_source = result.published, "text"
    domain = outlet_from_url(doc.url)
    outlet = doc.outlet or (readable_domain(domain, result.outlet) if domain else result.outlet)
    # A dateline the cleaner keeps inside the text still names the agency of the copy.
    outlet = outlet or wire_agency(doc.text or "")
    return Article(
        id=content_id(text, title),
        source=doc.source,
        url=doc.url,
        title=title,
        text=text,
        outlet=outlet,
        byline=doc.byline or result.byline,
        dateline=result.dateline,
        published=published,
        published_source=published_source,
        language=doc.language,
        removed=result.removed,
        raw=(doc.raw or doc.text or "")[: config.max_raw_chars],
    )


@dataclass(frozen=True)
class ArticleCleaner(CleanerConfig):
    """The built-in cleaner component (`rules+model`): `build_article` with these tunables, so
    a pipeline configuration's `[cleaner]` table sets them and the ingest workers get them."""

    def __call__(self, doc: RawDocument, now: datetime | None = None) -> Article:
        return build_article(doc, now, self)
