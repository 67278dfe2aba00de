"""Corpus-level comments: a story printed on other pages of its source, its comments on none.

A blog prints each post on the post's own page and again, whole or in part, on its index pages
(and a crawl may hold the post twice, each time under a different thread); the comments under
a post are printed only on the post's page. The first comment of a thread often reads as
plainly as the story and carries no mark of its own (its stamp, when the thread prints one,
comes below it), so the page alone cannot tell where the story ends. The corpus can: on a page
whose cleaner found a thread or its form (`storyline.clean.threads`), when the story above it is
printed on other pages of the source up to a line, the open lines between that line and the
thread that no other page prints are the thread's first comment.

What counts (`PrintedRule`, defaults in `storyline.settings`), each guard read off pages where
the story goes on below the lines printed elsewhere:

- the lines printed elsewhere are at least `min_printed`, and at least `min_share` of the
  open lines from the first of them to the last (a story printed elsewhere nearly whole, not
  a page sharing a quote or a lead with a shorter, older version of its story);
- the lines below them are no more than the printed lines right above them (an index page's
  excerpt covers a post's opening only: a long unprinted run below it is the rest of the post);
- those lines do not read as reported prose (`threads.comment_evidence`: attribution,
  quotation), which a longer version of a story continues with.

`storyline.pipeline` reads the line counts from the store (`templates.page_fingerprints`
records every page's lines) and re-checks stored pages when a page printing their lines
arrives; each line taken is removed with the reason `reason(source)`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from storyline import settings
from storyline.clean import threads
from storyline.clean.lines import measure, split_units
from storyline.clean.stopwords import guess_text_language, stopwords
from storyline.clean.templates import fingerprint
from storyline.model import Article, Removed

# Removals that mark a page's comment thread (the cleaner's reasons).
_THREAD_REASONS = ("comments", "comment-form")


@dataclass(frozen=True)
class PrintedRule:
    """When open lines below a story printed elsewhere are comments (see the module doc)."""

    min_printed: int = settings.PRINTED_STORY_MIN_LINES
    min_share: float = settings.PRINTED_STORY_MIN_SHARE
    # The text above the thread whose stop words tell an unknown page's language, as the
    # cleaner samples a page.
    language_sample_chars: int = settings.CLEAN_LANGUAGE_SAMPLE_CHARS


def reason(source: str) -> str:
    return f"comments: on no other page of {source}, below a story printed on others"


def holds_thread(article: Article) -> bool:
    """Whether the cleaner found a comment thread on the page, or its form (which may follow
    comments it took for the story)."""
    return any(item.reason in _THREAD_REASONS for item in article.removed)


def _kept_units(article: Article) -> tuple[list[str], list[int]] | None:
    """The page's units (as the cleaner split its raw text) and, for each kept paragraph, the
    unit it came from; None when the paragraphs are not the raw text's units in order (an
    HTML page's raw input, a text cut short)."""
    units = [unit for unit, _ in split_units(article.raw)]
    paragraphs = article.paragraphs
    positions: list[int] = []
    for index, unit in enumerate(units):
        if len(positions) == len(paragraphs):
            break
        paragraph = paragraphs[len(positions)]
        # A live blog's update stamp or a final agency's name may have been cut off the unit.
        if unit == paragraph or unit.endswith(paragraph) or unit.startswith(paragraph):
            positions.append(index)
    return (units, positions) if len(positions) == len(paragraphs) else None


def unprinted_comments(
    article: Article, pages_of: Mapping[int, int], rule: PrintedRule | None = None
) -> list[int]:
    """The kept paragraphs (indices into `article.paragraphs`) that are the first comment of
    the page's thread, by the lines other pages of its source print (`pages_of`: fingerprint
    → pages of the source carrying the line, this page included)."""
    rule = rule or PrintedRule()
    if not holds_thread(article):
        return []
    aligned = _kept_units(article)
    if aligned is None or not aligned[1]:
        return []
    units, positions = aligned
    thread = {item.text for item in article.removed if item.reason in _THREAD_REASONS}
    kept = set(positions)
    anchor = next((i for i in range(positions[0], len(units))
                   if i not in kept and units[i] in thread), None)
    if anchor is None:
        return []
    above = [k for k, i in enumerate(positions) if i < anchor]
    paragraphs = article.paragraphs  # fingerprinted as the store records them
    printed = [k for k in above if pages_of.get(fingerprint(paragraphs[k]) or 0, 0) >= 2]
    if len(printed) < rule.min_printed:
        return []
    tail = [k for k in above if k > printed[-1]]
    run = 0  # printed paragraphs right above the tail
    while run < len(printed) and printed[-1 - run] == printed[-1] - run:
        run += 1
    share = len(printed) / (printed[-1] + 1)
    if not tail or len(tail) > run or share < rule.min_share:
        return []
    return tail if _reads_as_comment(units, [positions[k] for k in tail], anchor,
                                     article.language, rule.language_sample_chars) else []


def _reads_as_comment(units: list[str], tail: list[int], anchor: int,
                      language: str | None, sample_chars: int) -> bool:
    """Whether the tail's lines, together, do not read as reported prose."""
    language = language or guess_text_language(" ".join(units[:anchor])[:sample_chars])
    stops = stopwords(language) if language else frozenset()
    lines = [measure(unit, i, stops) for i, unit in enumerate(units[:anchor])]
    quoted = threads.quoted_lines(lines)
    return sum(threads.comment_evidence(lines[i], quoted[i], language) for i in tail) >= 0


def cut_unprinted_comments(
    article: Article, pages_of: Mapping[int, int], source: str, rule: PrintedRule | None = None
) -> bool:
    """Remove the page's unprinted first comment (see `unprinted_comments`) in place; True if
    any line went. Applying it again changes nothing: the lines left are printed elsewhere or
    stand below none that is."""
    taken = set(unprinted_comments(article, pages_of, rule))
    if not taken:
        return False
    paragraphs = article.paragraphs
    article.removed.extend(Removed(paragraphs[k], reason(source)) for k in sorted(taken))
    article.text = "\n\n".join(p for k, p in enumerate(paragraphs) if k not in taken)
    return True
