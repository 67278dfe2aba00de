"""HTML pages flattened to text the ways naive scrapers do, for training the line model on more
line shapes than one flattening gives (`storyline.clean.train` labels their lines against the
page's known body).

- `blocks`: one line per innermost block element, inline markup joined (what
  `scrapinghub-aeb-text` holds; reproduces its pages but for the mojibake);
- `text_nodes`: every text node its own line (BeautifulSoup's `get_text("\\n", strip=True)`):
  a paragraph with a link splits into pieces, a menu item is a line;
- `paragraphs`: lines break only at paragraphs, headings, table rows and `<br>`; everything in
  between runs together (a menu or teaser list in `<div>`s becomes one long line);
- `markdown`: blocks with the marks markdown converters add ("# " headings, "* " list items)
  and images as their alt text.

Each starts with the page's `<title>`, as the flattened pages do. Scripts, styles, comments and
other non-text elements are dropped.
"""

from __future__ import annotations

from collections.abc import Callable

import lxml.etree
import lxml.html

_DROPPED = "//script|//style|//noscript|//template|//svg|//iframe|//head"
BLOCK_TAGS = frozenset((
    "address", "article", "aside", "blockquote", "br", "button", "dd", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hr", "label", "li", "main", "nav", "ol", "option", "p", "pre", "section",
    "table", "td", "th", "title", "tr", "ul",
))
PARAGRAPH_TAGS = frozenset((
    "blockquote", "br", "dd", "dt", "figcaption", "h1", "h2", "h3", "h4", "h5", "h6", "p",
    "pre", "tr",
))
_MARKS = {"h1": "# ", "h2": "## ", "h3": "### ", "h4": "#### ", "li": "* "}


def _tree(html: str) -> tuple[str, lxml.html.HtmlElement]:
    """The page's title and its body (or whole tree) with the non-text elements dropped."""
    document = lxml.html.fromstring(html)
    title = " ".join((document.findtext(".//title") or "").split())
    for element in document.xpath(_DROPPED):
        element.drop_tree()
    lxml.etree.strip_elements(document, lxml.etree.Comment, lxml.etree.ProcessingInstruction,
                              with_tail=False)
    body = document.find("body")
    return title, body if body is not None else document


class _Lines:
    """Text gathered into lines: `add` appends to the current line, `end` closes it."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self._parts: list[str] = []
        self.mark = ""

    def add(self, text: str | None) -> None:
        if text:
            self._parts.append(text)

    def end(self) -> None:
        line = " ".join("".join(self._parts).split())
        if line:
            self.lines.append(self.mark + line)
        self._parts.clear()
        self.mark = ""


def _walk(element: lxml.html.HtmlElement, out: _Lines, breaks: frozenset[str],
          marks: bool) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in breaks:
        out.end()
        out.mark = _MARKS.get(tag, "") if marks else ""
    elif tag in BLOCK_TAGS:
        out.add(" ")  # a block that does not break a line still separates its words
    if marks and tag == "img" and (element.get("alt") or "").strip():
        out.end()
        out.lines.append(f"![{' '.join(element.get('alt', '').split())}]")
    out.add(element.text)
    for child in element:
        _walk(child, out, breaks, marks)
        out.add(child.tail)
    if tag in breaks:
        out.end()
    elif tag in BLOCK_TAGS:
        out.add(" ")


def _flatten(html: str, breaks: frozenset[str], marks: bool = False) -> list[str]:
    title, root = _tree(html)
    out = _Lines()
    _walk(root, out, breaks, marks)
    out.end()
    return ([title] if title else []) + out.lines


def blocks(html: str) -> list[str]:
    return _flatten(html, BLOCK_TAGS)


def paragraphs(html: str) -> list[str]:
    return _flatten(html, PARAGRAPH_TAGS)


def markdown(html: str) -> list[str]:
    return _flatten(html, BLOCK_TAGS, marks=True)


def text_nodes(html: str) -> list[str]:
    title, root = _tree(html)
    nodes = (" ".join(text.split()) for text in root.itertext())
    return ([title] if title else []) + [node for node in nodes if node]


FLATTENINGS: dict[str, Callable[[str], list[str]]] = {
    "blocks": blocks, "text_nodes": text_nodes, "paragraphs": paragraphs, "markdown": markdown,
}
