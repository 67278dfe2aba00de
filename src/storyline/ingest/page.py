"""HTML pages, as the dispatcher sees them: delegate to `storyline.ingest.html`, plus a small
flattener for HTML fragments found inside feeds and JSON records (they carry no page
boilerplate, so a full extractor would only risk dropping text)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree
from lxml import html as lxml_html

from storyline.ingest.config import IngestConfig
from storyline.ingest.decode import one_line
from storyline.model import RawDocument, ReadFailure

_BLOCK_TAGS = frozenset(
    {
        "p", "div", "section", "article", "header", "footer", "blockquote", "pre", "ul", "ol",
        "li", "dl", "dt", "dd", "table", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "figure",
        "figcaption", "aside", "nav", "main", "hr", "address",
    }
)
_DROPPED_TAGS = ("script", "style", "noscript", "template", "iframe", "object", "svg")
_MARKUP_HINT = re.compile(r"<(p|br|div|span|a|em|strong|b|i|li|h[1-6])[\s/>]", re.IGNORECASE)


def read(source: str, data: bytes, config: IngestConfig | None = None
         ) -> Iterator[RawDocument | ReadFailure]:
    """Extract the article from a page through `storyline.ingest.html.read_html`."""
    from storyline.ingest.html import read_html  # here: trafilatura costs every CLI start

    try:
        documents = read_html(source, data, config)
    except ValueError as error:  # its documented way of saying "no article in this page"
        yield ReadFailure(source, one_line(str(error)))
        return
    if not documents:
        yield ReadFailure(source, "no article text found in the HTML page")
    yield from documents


def looks_like_markup(text: str) -> bool:
    return _MARKUP_HINT.search(text) is not None


def html_to_text(markup: str) -> str:  # noqa: C901 - one tree walk, one branch per tag kind
    """Flatten an HTML fragment to paragraphs separated by blank lines."""
    if not markup.strip():
        return ""
    parser = lxml_html.HTMLParser(encoding="utf-8")
    try:
        root = lxml_html.fromstring(markup.encode("utf-8"), parser=parser)
    except (etree.ParserError, ValueError):
        return markup
    for element in list(root.iter(*_DROPPED_TAGS)):
        element.text = ""
        for child in list(element):
            element.remove(child)
    for element in root.iter():
        if not isinstance(element.tag, str):  # comments, processing instructions
            continue
        tag = element.tag.lower()
        if tag in _BLOCK_TAGS:
            element.tail = "\n\n" + (element.tail or "")
            element.text = "\n\n" + (element.text or "")
        elif tag == "br":
            element.tail = "\n" + (element.tail or "")
    for comment in root.iter(etree.Comment):
        comment.text = ""
    paragraphs = []
    for block in root.text_content().split("\n\n"):
        lines = [" ".join(line.split()) for line in block.split("\n")]
        paragraph = "\n".join(line for line in lines if line)
        if paragraph:
            paragraphs.append(paragraph)
    return "\n\n".join(paragraphs)
