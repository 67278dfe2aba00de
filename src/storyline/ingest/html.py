"""HTML pages to articles: decoding, a trafilatura cascade, and a boilerplate line filter.

The cascade (as trafilatura's own `core.py` chains its extractor with readability and jusText):

1. trafilatura in precision mode (its own readability/jusText comparison included), comments off;
2. when that leaves only a few hundred characters, the balanced mode as a fallback, kept if it
   is several times longer (precision rules sometimes keep only a teaser of an odd layout);
3. a line filter for what both modes let through: the headline (or a rewording of the page
   title) repeated as the first line, related-link, "read more" and "[VIDEO]" teaser lines,
   newsletter/follow/share calls to action, comment counters, copyright lines, CMS shortcodes,
   and agency credit trailers ("Reporting by …", "Source: …") in the last lines. Rules are on
   line shape and multilingual cue words, never on a site's strings, and only drop short lines.

The filter rules were written from the errors on half of the benchmark pages (ids starting
0-7) and checked on the other half; see `storyline bench extract`.

`storyline bench extract` measures this against bare `trafilatura.extract` on the Scrapinghub
article-extraction benchmark.
"""

from __future__ import annotations

import codecs
import re
import zlib
from dataclasses import dataclass

import trafilatura

from storyline.ingest.config import HtmlConfig, IngestConfig
from storyline.ingest.decode import UnreadableInput, decode_bytes, normalize_text, one_line
from storyline.model import RawDocument

_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.IGNORECASE
)
# The page's declared language (<html lang="pt-BR"> gives "pt"), when trafilatura found none.
_HTML_LANG = re.compile(r"""<html\b[^>]{0,500}?\blang\s*=\s*["']?([A-Za-z]{2,3})\b""", re.IGNORECASE)
_GZIP_MAGIC = b"\x1f\x8b"
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# htmldate options: the original publication date, not the last modification.
_DATE_PARAMS = {"original_date": True, "outputformat": "%Y-%m-%d", "extensive_search": True}

# Lines that open a teaser/link to another page, or label a widget ("Read more: …").
_LINK_LINE = re.compile(
    r"^\W*(related( posts?| stories| articles)?|read more|see more|see also|more|also|"
    r"also on \S+|you may also like|you might also like|don'?t miss|recommended|"
    r"filed under|tags?|topics|lees ook|lire aussi|à lire aussi|leia também|leia mais|"
    r"lee también|mehr zum thema|auch interessant|читайте также|см\. также)\b\s*[:|\-–—]",
    re.IGNORECASE,
)
# A whole line that is only a widget label.
_LABEL_LINE = re.compile(
    r"^\W*(\d+\s+)?(comments?|tags?|share( this)?|print|email|advertisement|"
    r"you may also like|related|more|also|don'?t miss|kommentare|commentaires|comentários|"
    r"comentarios|reklame|werbung|publicité|publicidad|anzeige)\W*$",
    re.IGNORECASE,
)
# Calls to action and page furniture.
_FURNITURE = re.compile(
    r"\bsubscribe\b|\bnewsletters?\b|(delivered|straight) (to|through|into) your (inbox|letterbox)"
    r"|click here|share (it|this) with|like this (story|article)|tell us what you think"
    r"|follow (us|him|her|me|\w+) on (facebook|twitter|instagram)"
    r"|on (facebook|twitter), (twitter|instagram)"
    r"|have a (news )?tip|all rights reserved|^\W*copyright\b|©"
    r"|reading time|tempo de leitura|tiempo de lectura|lesezeit|temps de lecture"
    # CMS shortcodes left in the text: [button link="…"] … [/button]
    r"|\[\w+\s+\w+\s*=[^\]]*\]|\[/\w+\]"
    r"|^\W*updated( at| on)?\s+\d",
    re.IGNORECASE,
)
# Teaser links to videos and other stories: "Storm hits coast [VIDEO]".
_TEASER_TAG = re.compile(
    r"\[(video|watch|photos?|gallery|insight|reaction|analysis|poll|live|pics)\]\W*$", re.IGNORECASE
)
_CLOSING_QUOTES = " \"'”’»)]"
# Agency and newsroom credit lines that close a story.
_CREDIT_TRAILER = re.compile(
    r"^\W*((additional |with )?(reporting|writing|editing) by\b|(source|sources|fonte|fuente|quelle)"
    r"\s*:|[^.]{0,80}\bcontributed (reporting|to this report)\b)",
    re.IGNORECASE,
)

@dataclass
class ExtractedPage:
    """The article found in one HTML page, text as paragraphs separated by blank lines."""

    text: str
    title: str | None = None
    date: str | None = None
    url: str | None = None
    sitename: str | None = None
    author: str | None = None
    language: str | None = None

    @property
    def outlet(self) -> str | None:
        return self.sitename


def read_html(source: str, data: bytes, config: IngestConfig | None = None
              ) -> list[RawDocument]:
    """Read one HTML page (gzipped or not) into a document; ValueError when it has no article."""
    config = config or IngestConfig()
    html = decode_html(data, config.html)
    url = source if source.startswith(("http://", "https://")) else None
    page = html_to_text(html, url=url, config=config.html)
    if page is None:
        raise ValueError("HTML page without an extractable article body")
    document = RawDocument(
        source=source,
        text=page.text[: config.max_article_chars],
        format="html",
        raw=html[: config.max_raw_chars],
        title=_field(page.title),
        url=_field(page.url),
        published=page.date,
        outlet=_field(page.sitename),
        byline=_field(page.author),
        language=page.language,
        extracted=True,
    )
    return [document]


def decode_html(data: bytes, config: HtmlConfig | None = None) -> str:
    """Bytes of a page to text: gunzip if needed, then BOM, <meta charset>, else detection."""
    config = config or HtmlConfig()
    if data.startswith(_GZIP_MAGIC):
        data = _gunzip(data, config.max_bytes)
    if len(data) > config.max_bytes:
        raise ValueError(f"HTML page larger than {config.max_bytes} bytes")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return normalize_text(data[len(bom) :].decode(encoding, "replace"))
    declared = _declared_encoding(data[: config.charset_sniff_bytes])
    if declared is not None:
        try:
            return normalize_text(data.decode(declared))
        except UnicodeDecodeError:
            pass  # the declaration lies (common: "iso-8859-1" on UTF-8 pages): detect instead
    try:
        return normalize_text(decode_bytes(data))
    except UnreadableInput as error:
        raise ValueError(str(error)) from error


def html_to_text(html: str | bytes, url: str | None = None, config: HtmlConfig | None = None
                 ) -> ExtractedPage | None:
    """Extract the article of a page, or None when the page has no article text."""
    config = config or HtmlConfig()
    if isinstance(html, bytes):
        html = decode_html(html, config)
    if not html.strip():
        return None
    document = _extract(html, url, favor_precision=True, with_metadata=True)
    text = document.text if document is not None and document.text else ""
    if len(text) < config.fallback_min_chars:
        balanced = _extract(html, url, favor_precision=False, with_metadata=False)
        if balanced is not None and balanced.text and (
            len(balanced.text) > config.fallback_ratio * len(text)
        ):
            text = balanced.text
            document = document or balanced
    if document is None or not text.strip():
        return None
    title = _field(document.title)
    paragraphs = filter_boilerplate_lines(text.split("\n"), title, config)
    if not paragraphs:
        return None
    return ExtractedPage(
        text="\n\n".join(paragraphs),
        title=title,
        date=document.date or None,
        url=_field(document.url) or url,
        sitename=_field(document.sitename),
        author=_field(document.author),
        language=_field(document.language)
        or _declared_language(html, config.charset_sniff_bytes),
    )


def filter_boilerplate_lines(lines: list[str], title: str | None = None,
                             config: HtmlConfig | None = None) -> list[str]:
    """Drop widget, teaser and call-to-action lines, the headline repeated at the top, and
    credit trailers at the bottom."""
    config = config or HtmlConfig()
    kept = [" ".join(line.split()) for line in lines]
    kept = [line for line in kept if line]
    if kept and title and _repeats_title(kept[0], title, config):
        kept = kept[1:]
    kept = [line for line in kept if not is_boilerplate_line(line, config.boilerplate_max_words)]
    tail = len(kept)
    # only the last lines: "Source: …" or "Reporting by …" mid-story can be story text
    while tail > 0 and len(kept) - tail < config.trailer_lines and (
        _CREDIT_TRAILER.match(kept[tail - 1])
    ):
        tail -= 1
    return kept[:tail]


def is_boilerplate_line(line: str, max_words: int = HtmlConfig.boilerplate_max_words) -> bool:
    """True for a short line (at most `max_words`) that is page furniture, not story text."""
    if len(line.split()) > max_words:
        return False
    return bool(
        _LABEL_LINE.match(line) or _LINK_LINE.match(line) or _FURNITURE.search(line)
        or _TEASER_TAG.search(line)
    )


def _repeats_title(line: str, title: str, config: HtmlConfig) -> bool:
    """A first line that is the page title, or a headline variant of it (no sentence end, most
    of its words in the title): page titles often carry the site name or a different wording."""
    line_words, title_words = _words(line).split(), _words(title).split()
    if not line_words:
        return False
    if line_words == title_words:
        return True
    if not 3 <= len(line_words) <= config.headline_max_words:
        return False
    if line.rstrip(_CLOSING_QUOTES).endswith((".", "!", "?", ":", ";")):
        return False
    in_title = set(title_words)
    shared = sum(1 for word in line_words if word in in_title)
    return shared >= config.headline_title_overlap * len(line_words)


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def _extract(
    html: str, url: str | None, *, favor_precision: bool, with_metadata: bool
) -> trafilatura.settings.Document | None:
    try:
        document = trafilatura.bare_extraction(
            html,
            url=url,
            favor_precision=favor_precision,
            include_comments=False,
            include_tables=True,
            with_metadata=with_metadata,
            date_extraction_params=_DATE_PARAMS,
        )
    except Exception:  # noqa: BLE001 - see below
        # Untrusted markup reaches deep into lxml, trafilatura and htmldate, which raise all
        # sorts on pathological pages (an AssertionError in htmldate for "<svg><p><p>"): such a
        # page has no extractable text, it must not stop the ingest.
        return None
    # A dict only comes back with as_dict=True, which is not asked for here.
    return None if isinstance(document, dict) else document


def _declared_language(html: str, sniff_bytes: int) -> str | None:
    match = _HTML_LANG.search(html, 0, sniff_bytes)
    return match.group(1).casefold() if match else None


def _declared_encoding(head: bytes) -> str | None:
    match = _META_CHARSET.search(head)
    if match is None:
        return None
    try:
        return codecs.lookup(match.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None


def _gunzip(data: bytes, max_bytes: int) -> bytes:
    decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = decompressor.decompress(data, max_bytes + 1)
    except zlib.error as error:
        raise ValueError(f"corrupt gzip data: {error}") from error
    if len(out) > max_bytes:
        raise ValueError(f"gzipped HTML page larger than {max_bytes} bytes")
    if not decompressor.eof:
        raise ValueError("truncated gzip data")
    return out


def _field(value: str | None) -> str | None:
    return one_line(value) if value and value.strip() else None

