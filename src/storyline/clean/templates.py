"""Corpus-level template learning: a line printed on many pages of one source is site chrome.

The per-page cleaner judges each page alone; a footer, a promo, a comment-form notice or a
"most popular" teaser that reads like a sentence survives it. Across pages of one *source* such
lines give themselves away by repeating. What this module decides (the store keeps the counts,
`storyline.pipeline` runs the steps):

- A page's **source** is the site of its URL when it has one ("cnn.com"), else the outlet its
  container named (a feed, a JSON record, page metadata), else the folder it was ingested from
  (the path given to `ingest`, or the file's folder when a single file was given).
- A line's **fingerprint** hashes the line normalised for layout: case, punctuation, spacing and
  the value of numbers do not count ("© 2011 CNN" and "(c) 2012 cnn" are one line).
- A line becomes a **template** of its source when it is on `min_pages` pages of that source
  that tell at least `min_pages` different stories. Updates of one wire story and near copies
  repeat real body sentences; they are one story, because they share more than
  `same_story_share` of their other kept lines. Chrome recurs on pages about anything.
- Template lines are removed from every page of the source (title included: a repeated line is
  never the headline), with the reason "repeated on N pages of <source>"; a page that would
  lose every paragraph keeps them.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from storyline import settings
from storyline.clean.article import lead_title
from storyline.clean.outlet import outlet_from_url
from storyline.model import Article, Removed

_DIGITS_RE = re.compile(r"\d+")
_NOT_WORD_RE = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class TemplateRule:
    """When a repeated line counts as a template (defaults in `storyline.settings`)."""

    min_pages: int = settings.TEMPLATE_MIN_PAGES
    same_story_share: float = settings.TEMPLATE_SAME_STORY_SHARE


def normalize_line(line: str) -> str:
    """The line as a template sees it: NFKC, case-folded, every number as 0, words only."""
    text = unicodedata.normalize("NFKC", line).casefold()
    text = _DIGITS_RE.sub("0", text)
    return " ".join(_NOT_WORD_RE.sub(" ", text).split())


def fingerprint(line: str) -> int | None:
    """A signed 64-bit hash of the normalised line (SQLite's INTEGER), None for a line
    without a letter (counters, bare dates): those say nothing about a template."""
    normal = normalize_line(line)
    if not any(char.isalpha() for char in normal):
        return None
    digest = hashlib.blake2b(normal.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def page_fingerprints(article: Article) -> dict[int, bool]:
    """Every line of a cleaned page (title, paragraphs, removed lines) → whether it is kept."""
    lines: dict[int, bool] = {}
    for text in (r.text for r in article.removed):
        key = fingerprint(text)
        if key is not None:
            lines.setdefault(key, False)
    for text in [article.title, *article.paragraphs]:
        key = fingerprint(text)
        if key is not None:
            lines[key] = True
    return lines


def line_text(article: Article, key: int) -> str:
    """The text of the article's line with this fingerprint ('' if it has none)."""
    lines = [article.title, *article.paragraphs, *(r.text for r in article.removed)]
    return next((line for line in lines if fingerprint(line) == key), "")


def source_of(url: str | None, outlet: str | None, folder: str) -> str:
    """The source whose pages share templates (see the module docstring for the order).

    `outlet` is the one the container named (feed, JSON record, page metadata), never the one
    the cleaner read in the text: that varies between pages of one site (an agency dateline
    names Reuters on some pages only), which would split the site in two."""
    return outlet_from_url(url) or outlet or folder


def ingest_folder(path: str, root: str) -> str:
    """The folder a file counts as ingested from: `root` when it is a folder, else the
    file's own folder ('-' for stdin)."""
    if root == "-":
        return "-"
    folder = root if os.path.isdir(root) else os.path.dirname(path) or "."
    return os.path.abspath(folder)


PageKey = TypeVar("PageKey", int, str)  # a page: stored article id, or a test's number


def template_reason(pages: int, source: str) -> str:
    return f"repeated on {pages} pages of {source}"


def count_stories(
    candidate: int, carriers: Iterable[PageKey], kept_lines: Mapping[PageKey, set[int]],
    rule: TemplateRule, ignore: set[int] | frozenset[int] = frozenset(),
) -> int:
    """How many different stories the `carriers` of a line tell, counting up to
    `rule.min_pages` (enough to decide). Two pages are one story when they share more than
    `rule.same_story_share` of the smaller page's kept lines, not counting the line itself and
    the lines in `ignore` (known templates, which any two pages of a source share)."""
    representatives: list[set[int]] = []
    for page in carriers:
        lines = kept_lines.get(page, set()) - ignore - {candidate}
        if not any(_same_story(lines, other, rule.same_story_share) for other in representatives):
            representatives.append(lines)
            if len(representatives) >= rule.min_pages:
                break
    return len(representatives)


def _same_story(lines: set[int], other: set[int], share: float) -> bool:
    smaller = min(len(lines), len(other))
    return smaller > 0 and len(lines & other) > share * smaller


def apply_templates(article: Article, templates: Mapping[int, int], source: str) -> bool:
    """Remove the article's template lines (fingerprint → pages) in place; True if any went.

    Only kept text is looked at, so applying the same templates again changes nothing."""
    if not templates:
        return False

    def pages_of(line: str) -> int | None:
        key = fingerprint(line)
        return None if key is None else templates.get(key)

    kept: list[str] = []
    removed: list[Removed] = []
    for paragraph in article.paragraphs:
        pages = pages_of(paragraph)
        if pages:
            removed.append(Removed(paragraph, template_reason(pages, source)))
        else:
            kept.append(paragraph)
    if not kept:  # a page of nothing but chrome keeps its text: better than an empty article
        return False
    # A title made from a template paragraph's first words goes with the paragraph.
    title_pages = pages_of(article.title) or next(
        (pages_of(r.text) for r in removed if lead_title(r.text) == article.title), None
    )
    if title_pages:
        removed.insert(0, Removed(article.title, template_reason(title_pages, source)))
        article.title = lead_title(kept[0])
    if not removed:
        return False
    article.text = "\n\n".join(kept)
    article.removed.extend(removed)
    return True
