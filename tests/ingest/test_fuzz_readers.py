"""Structure-aware fuzzers: hypothesis builds well-formed-ish RSS/Atom feeds, WARC archives,
HTML pages, JSON Lines files and text files, then damages them (cut anywhere, wrong encoding
declared, markup, entities and control characters in every field). Whatever comes out, the
reader yields documents or failures with a reason and never crashes, and every document goes
through the cleaner (`build_article`) without raising.

`tests/ingest/test_properties.py` fuzzes raw bytes and text; these go deeper into each format.
Each test is bounded by its number of examples (`$STORYLINE_FUZZ_EXAMPLES`, default below), so
`make test` stays bounded in time; raise it for a longer fuzzing session.
"""

from __future__ import annotations

import gzip
import json
import os
from html import escape

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyline.clean import build_article
from storyline.ingest import read_bytes
from storyline.model import RawDocument
from tests.ingest.test_properties import check_items

EXAMPLES = int(os.environ.get("STORYLINE_FUZZ_EXAMPLES", "60"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Field text that exercises every escape: markup, entities (defined or not), CDATA ends,
# control characters, bidi overrides, non-BMP letters, very long words. Not NUL: that makes a
# whole file binary, which test_properties covers.
HOSTILE_PIECES = [
    "<b>bold</b>", "<script>alert(1)</script>", "&amp;", "&nbsp;", "&unknown;", "&#0;",
    "&#x110000;", "]]>", "<![CDATA[", "\x1b[31m", "\u202e", "\ufeff", "𝔘𝔫𝔦", "\r\n",
    "\r", "é", "Straße", "东京", "مرحبا", "x" * 300, "<!--", "-->", "<?xml?>", "%",
]
field_text = st.lists(
    st.one_of(st.sampled_from(HOSTILE_PIECES), st.text(max_size=30)), max_size=8
).map("".join)
sentences = st.lists(
    st.sampled_from([
        "The harbour of Velmora reopened on Monday after the storm, officials said.",
        "Ferries to Osterholm will run twice a day until the new quay is finished.",
        "The council approved 40,000 crowns for repairs to the old tram depot.",
        "Fishermen said the catch was the smallest in a decade.",
    ]) | field_text, min_size=1, max_size=6,
).map(" ".join)


def mostly(usual: object, *damaged: object) -> st.SearchStrategy:
    """`usual` three times in four, else one of `damaged`: most examples get deep enough into
    a format to yield documents, the rest probe its failure paths."""
    return st.sampled_from([usual, usual, usual, *damaged] if len(damaged) < 2
                           else [usual] * (3 * len(damaged)) + list(damaged))


def cut(data: bytes, draw: st.DrawFn) -> bytes:
    """The data whole, or (one time in four) cut at any byte."""
    if draw(mostly(False, True)) is False:
        return data
    return data[: draw(st.integers(0, len(data)))]


def check_and_clean(name: str, data: bytes) -> None:
    items = list(read_bytes(name, data, name))
    check_items(items)
    for item in items:
        if isinstance(item, RawDocument):
            article = build_article(item)
            assert article.id and isinstance(article.text, str)


@st.composite
def feeds(draw: st.DrawFn) -> bytes:
    atom = draw(st.booleans())
    entries = []
    for number in range(draw(mostly(1, 0, 3))):
        title, body, link = draw(field_text), draw(sentences), draw(field_text)
        wrap = draw(mostly("escaped", "cdata", "raw"))
        content = {"escaped": escape(body), "cdata": f"<![CDATA[{body}]]>", "raw": body}[wrap]
        date = draw(st.sampled_from(["Mon, 06 Jan 2025 10:00:00 GMT", "2025-01-06T10:00:00Z",
                                     "yesterday", "", "Fri, 31 Feb 99999 25:61:61 XYZ"]))
        if atom:
            entries.append(f"<entry><id>e{number}</id><title>{escape(title)}</title>"
                           f"<link href='{escape(link)}'/><updated>{date}</updated>"
                           f"<content type='html'>{content}</content></entry>")
        else:
            entries.append(f"<item><title>{escape(title)}</title><link>{escape(link)}</link>"
                           f"<pubDate>{date}</pubDate><description>{content}</description></item>")
    declared = draw(mostly("utf-8", "iso-8859-1", "utf-16", "klingon", ""))
    head = f"<?xml version='1.0' encoding='{declared}'?>" if declared else ""
    title = escape(draw(field_text))
    if atom:
        text = (f"{head}<feed xmlns='http://www.w3.org/2005/Atom'><title>{title}</title>"
                f"{''.join(entries)}</feed>")
    else:
        text = (f"{head}<rss version='2.0'><channel><title>{title}</title>{''.join(entries)}"
                "</channel></rss>")
    encoding = draw(mostly("utf-8", "utf-16", "latin-1"))
    return cut(text.encode(encoding, "replace"), draw)


@FUZZ
@given(data=feeds(), name=st.sampled_from(["feed.rss", "feed.xml", "feed.atom", "feed"]))
def test_feeds(data: bytes, name: str) -> None:
    check_and_clean(name, data)


@st.composite
def pages(draw: st.DrawFn) -> str:
    """An HTML page of random nested blocks, inline markup, scripts, comments and text."""
    def block(depth: int) -> str:
        tag = draw(st.sampled_from(["div", "p", "article", "section", "ul", "li", "table",
                                    "td", "span", "a", "script", "style", "nav", "h1"]))
        inner = []
        for _ in range(draw(st.integers(0, 3 if depth < 4 else 0))):
            inner.append(block(depth + 1) if draw(st.booleans()) else escape(draw(sentences)))
        attrs = draw(st.sampled_from(["", " class='story'", " id=main", " onclick='x()'",
                                      " style='display:none'", " class=\"a'b"]))
        close = "" if draw(st.integers(0, 5)) == 0 else f"</{tag}>"  # unclosed tags
        return f"<{tag}{attrs}>{''.join(inner)}{close}"

    charset = draw(st.sampled_from(["utf-8", "windows-1252", "shift_jis", "x-klingon", ""]))
    meta = f"<meta charset='{charset}'>" if charset else ""
    noise = [block(0) for _ in range(draw(st.integers(1, 3)))]
    if draw(mostly(True, False)):  # most pages hold a story among the noise
        paragraphs = "".join(f"<p>{escape(draw(sentences))} {escape(draw(sentences))}</p>"
                             for _ in range(draw(st.integers(2, 5))))
        noise.insert(draw(st.integers(0, len(noise))), f"<article>{paragraphs}</article>")
    body = "".join(noise)
    comment = draw(st.sampled_from(["", "<!-- note -->", "<!-- unclosed"]))
    return (f"<!doctype html><html><head>{meta}<title>{escape(draw(field_text))}</title></head>"
            f"<body>{comment}{body}</body></html>")


@FUZZ
@given(page=pages(), encoding=st.sampled_from(["utf-8", "utf-16", "cp1252"]), data=st.data())
def test_html_pages(page: str, encoding: str, data: st.DataObject) -> None:
    raw = page.encode(encoding, "replace")
    raw = data.draw(st.builds(lambda whole, at: whole if at is None else whole[:at],
                              st.just(raw), st.none() | st.integers(0, len(raw))))
    compress = data.draw(st.booleans())
    check_and_clean("page.html", gzip.compress(raw) if compress else raw)


def warc_record(kind: str, uri: str, payload: bytes, declared: int | None) -> bytes:
    length = len(payload) if declared is None else declared
    return (f"WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\n"
            f"WARC-Record-ID: <urn:uuid:{abs(hash(uri)) % 10**12:012d}>\r\n"
            f"Content-Type: application/http; msgtype={kind}\r\n"
            f"Content-Length: {length}\r\n\r\n").encode() + payload + b"\r\n\r\n"


@st.composite
def warcs(draw: st.DrawFn) -> bytes:
    records = []
    for number in range(draw(st.integers(1, 3))):
        status = draw(mostly("200 OK", "404 Not Found", "301 Moved", "garbage"))
        content_type = draw(mostly("text/html", "text/html; charset=latin-1", "image/png", ""))
        html = draw(pages()).encode("utf-8")
        payload = (f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\n\r\n"
                   ).encode() + html
        kind = draw(mostly("response", "request", "metadata", "resource"))
        declared = draw(mostly(None, 0, len(payload) - 1, len(payload) + 50))
        records.append(warc_record(kind, f"http://example.org/{number}", payload, declared))
    return cut(b"".join(records), draw)


@FUZZ
@given(data=warcs(), compress=st.booleans())
def test_warc_archives(data: bytes, compress: bool) -> None:
    check_and_clean("crawl.warc", gzip.compress(data) if compress else data)


json_scalars = st.none() | st.booleans() | st.integers() | st.floats() | field_text | sentences


@st.composite
def json_lines(draw: st.DrawFn) -> bytes:
    lines = []
    for _ in range(draw(st.integers(1, 5))):
        record = draw(st.dictionaries(
            st.sampled_from(["text", "content", "body", "title", "url", "published", "source",
                             "author", "authors", "language", "publisher"]),
            json_scalars | st.lists(json_scalars, max_size=3)
            | st.dictionaries(st.sampled_from(["name", "x"]), json_scalars, max_size=2),
            max_size=6))
        # Most records carry their story under a key the reader looks for.
        if draw(mostly(True, False)):
            record[draw(st.sampled_from(["text", "content", "body"]))] = draw(sentences)
        line = json.dumps(record, ensure_ascii=draw(st.booleans()))
        lines.append(draw(mostly(line, line[: len(line) // 2], "", "[" * 50, "null")))
    separator = draw(st.sampled_from(["\n", "\r\n", "\n\n"]))
    return cut(separator.join(lines).encode("utf-8", "surrogatepass"), draw)


@FUZZ
@given(data=json_lines(), name=st.sampled_from(["items.jsonl", "items.json", "items.ndjson"]))
def test_json_lines(data: bytes, name: str) -> None:
    check_and_clean(name, data)


@FUZZ
@given(text=st.lists(sentences | field_text, max_size=12).map("\n".join),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252", "koi8-r"]),
       ending=st.sampled_from(["\n", "\r\n", "\r"]))
def test_text_files(text: str, encoding: str, ending: str) -> None:
    data = text.replace("\n", ending).encode(encoding, "replace")
    check_and_clean("story.txt", data)
