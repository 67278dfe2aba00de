"""Benchmark 'comments': reader-comment lines left in Timeline17's CNN pages after cleaning.

Data: Timeline17's `EgyptianProtest_cnn` and `LibyaWar_cnn` folders (`--topics`), whose pages
keep CNN's reader comments. A **comment line** is a line of an input file inside its page's
thread: every line carrying a comment stamp ("January 29 , 2011 at 5:38 pm | Report abuse |",
"... <hh:mm> pm at <h:mm> pm |", or a blog's "<Month Dth , YYYY> <h:mm> pm ET" heading), and every
line from the thread's first line up to the page's comment form ("(required, but will not be
displayed)", a notice that comments post unscreened, the site's conduct notice; what follows the form
is other furniture, not counted). The thread's first line is the hand label in
`gold/timeline17_threads.json` when the page has comments above its first stamp or form (the
hard case: nothing marks them), else the first stamped line. A page with a blind held-out label
only is counted from that label here too: started at its first stamp, the comment above the
stamp counted as a story line cut (5 of the 9 cut on main 87ba9bb). Pages with neither a stamp
nor a label are not checked.

`--held-out` scores the blind labels instead (`held_out` in the same file: written before any
detector ran on those pages, Washington Post blog pages among them): every listed page is
checked, and on a page labelled as having no thread every line removed as comments is a story
line cut.

A comment line is **left** when its text is in the cleaned article (lines of 4 words or more
as a substring, shorter ones as a whole paragraph); a comment line repeating a story line (a
reader quoting the story) is not counted. **Story lines cut** are lines above the
thread's first line that the cleaner removed as comments and that are nowhere in the text.

The pages are cleaned here as `storyline clean` does, then, as an ingest of their folders does,
the first comment that the folder's other pages show is removed (`storyline.clean.reprints`:
every page of a listed page's folder is cleaned for its lines); `--store DB` reads the articles
of a store instead (`storyline --db DB ingest <the two InputDocs folders>`: templates learned at
the end of an ingest re-clean pages too).
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from storyline.clean import build_article
from storyline.clean.reprints import cut_unprinted_comments
from storyline.clean.templates import page_fingerprints
from storyline.ingest import read_bytes
from storyline.model import Article, RawDocument

HELP = "reader-comment lines left in Timeline17's CNN pages (hand-labelled threads)"
TOPICS = ("EgyptianProtest_cnn", "LibyaWar_cnn")
_STAMP_RE = re.compile(r"\d{1,2}:\d{2}\s*[ap]m\s*\||report abuse", re.IGNORECASE)
_HEADING_STAMP_RE = re.compile(r"^[A-Z][a-z]+ \d{1,2}(?:st|nd|rd|th)? , \d{4} \d{1,2}:\d{2} [ap]m ET ")
_FORM_RE = re.compile(
    r"will not be displayed|comments are not pre-screened|welcomes a lively"
    r"|rules governing commentaries|user reviews and comments that include",
    re.IGNORECASE,
)
_SUBSTRING_MIN_WORDS = 4


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--store", type=Path, default=None, metavar="DB",
                        help="read the cleaned articles from this store instead of cleaning here")
    parser.add_argument("--list", action="store_true",
                        help="list the pages with comment lines left (line numbers)")
    parser.add_argument("--held-out", action="store_true",
                        help="score the blind held-out labels (CNN and Washington Post pages)")


def _gold() -> dict:
    text = resources.files("storyline").joinpath("bench", "gold", "timeline17_threads.json")
    return json.loads(text.read_text("utf-8"))


def thread_starts() -> dict[str, tuple[int, bool]]:
    labels = _gold()["start"]
    return {page: (int(start), bool(bound)) for page, (start, bound) in labels.items()}


def tuning_starts() -> dict[str, tuple[int, bool]]:
    """The labels the tuning count reads: the tuning labels, and the blind start of a page
    labelled only among the held-out pages (its thread, not the first stamp, is the truth)."""
    blind = {page: (start, False) for page, start in held_out_starts().items()
             if start is not None}
    return {**blind, **thread_starts()}


def held_out_starts() -> dict[str, int | None]:
    """The blind labels: a page's thread start, or None when the page has no thread."""
    return {page: None if start is None else int(start)
            for page, start in _gold()["held_out"].items()}


def _normal(text: str) -> str:
    return " ".join(text.split())


def _thread(lines: list[str], label: tuple[int, bool] | None,
            no_thread: bool) -> tuple[set[int], int | None]:
    """The page's stamped lines and its thread's first line (None: not checked)."""
    if no_thread:  # the story runs to the comment form (an empty thread) or the end
        return set(), next((i for i, line in enumerate(lines) if _FORM_RE.search(line)),
                           len(lines))
    stamped = {i for i, line in enumerate(lines)
               if _STAMP_RE.search(line) or _HEADING_STAMP_RE.match(line)}
    return stamped, label[0] if label else min(stamped, default=None)


@dataclass
class Tally:
    pages: int = 0
    thread_lines: int = 0
    left_stamped: int = 0
    left_above_stamp: int = 0
    left_below_stamp: int = 0
    story_lines_cut: int = 0
    lower_bound_pages: int = 0
    left_by_page: dict[str, list[int]] = field(default_factory=dict)

    def add(self, page: str, lines: list[str], article: Article,
            label: tuple[int, bool] | None, no_thread: bool = False) -> None:
        """Score one page against its label; `no_thread`: labelled as having no thread."""
        stamped, start = _thread(lines, label, no_thread)
        first_stamp = min(stamped, default=None)
        if start is None:
            return
        end = next((i for i, line in enumerate(lines) if i >= start and _FORM_RE.search(line)),
                   len(lines))
        text = _normal(article.text)
        paragraphs = {_normal(paragraph) for paragraph in article.text.split("\n\n")}

        def kept(line: str) -> bool:
            if len(line.split()) >= _SUBSTRING_MIN_WORDS:
                return line in text
            return line in paragraphs

        self.pages += 1
        self.lower_bound_pages += bool(label and label[1])
        # A comment quoting the story repeats a story line: that text is the story's.
        story = set(lines[:start])
        left = []
        for i in sorted(set(range(start, end)) | stamped):
            if lines[i] in story:
                continue
            self.thread_lines += 1
            if not kept(lines[i]):
                continue
            left.append(i)
            if i in stamped:
                self.left_stamped += 1
            elif first_stamp is None or i < first_stamp:
                self.left_above_stamp += 1
            else:
                self.left_below_stamp += 1
        if left:
            self.left_by_page[page] = left
        # "comments", "comment-form", and the corpus's "comments: on no other page of …".
        removed = {_normal(item.text) for item in article.removed
                   if item.reason.startswith("comment")}
        self.story_lines_cut += sum(
            1 for line in lines[:start] if line in removed and not kept(line)
        )


def _articles(data: Path, store: Path | None, pages: list[str]) -> dict[str, Article]:
    wanted = set(pages)
    if store is not None:
        from storyline.store import open_store

        articles = open_store(str(store)).iter_articles()
        stored = {Path(a.source).relative_to(Path(a.source).parents[3]).as_posix(): a
                  for a in articles if len(Path(a.source).parents) > 3}
        return {page: article for page, article in stored.items() if page in wanted}
    cleaned: dict[str, Article] = {}
    for folder in sorted({Path(page).parents[-3] for page in pages}):  # "<topic>/InputDocs"
        folder_pages: dict[str, Article] = {}
        for path in sorted((data / folder).glob("*/*.txt")):
            for item in read_bytes(str(path), path.read_bytes(), path.name):
                if isinstance(item, RawDocument):
                    folder_pages[path.relative_to(data).as_posix()] = build_article(item)
        printed = Counter(key for article in folder_pages.values()
                          for key in page_fingerprints(article))
        for page, article in folder_pages.items():
            if page in wanted:
                cut_unprinted_comments(article, printed, folder.as_posix())
                cleaned[page] = article
    return cleaned


def run(data: Path, args: argparse.Namespace) -> dict:
    held_out = held_out_starts() if args.held_out else {}
    labels = ({page: (start, False) for page, start in held_out.items() if start is not None}
              if args.held_out else tuning_starts())
    pages = sorted(held_out) if args.held_out else sorted(
        path.relative_to(data).as_posix()
        for topic in TOPICS for path in (data / topic / "InputDocs").glob("*/*.txt"))
    tally = Tally()
    for page, article in sorted(_articles(data, args.store, pages).items()):
        raw = (data / page).read_text("utf-8", "replace").splitlines()
        tally.add(page, [_normal(line) for line in raw if line.strip()], article, labels.get(page),
                  no_thread=page in held_out and held_out[page] is None)
    left = tally.left_stamped + tally.left_above_stamp + tally.left_below_stamp
    result: dict[str, object] = {
        "pages": tally.pages,
        "thread_lines": tally.thread_lines,
        "comment_lines_left": left,
        "left_stamped": tally.left_stamped,
        "left_above_first_stamp": tally.left_above_stamp,
        "left_below_first_stamp": tally.left_below_stamp,
        "pages_with_comments_left": len(tally.left_by_page),
        "story_lines_cut": tally.story_lines_cut,
        "lower_bound_pages": tally.lower_bound_pages,
    }
    if args.list:
        result["left_by_page"] = tally.left_by_page
    return result


def format_text(result: dict) -> str:
    rows = [
        (f"pages checked       {result['pages']} ({result['thread_lines']} thread lines; "
        f"{result['lower_bound_pages']} pages' threads start at or above their label)"),
        (f"comment lines left  {result['comment_lines_left']} on "
        f"{result['pages_with_comments_left']} pages (stamped {result['left_stamped']}, above "
        f"the first stamp or form {result['left_above_first_stamp']}, below it "
        f"{result['left_below_first_stamp']})"),
        f"story lines cut     {result['story_lines_cut']} (above the thread, removed as comments)",
    ]
    for page, lines in result.get("left_by_page", {}).items():
        rows.append(f"  {page}: lines {', '.join(map(str, lines[:12]))}"
                    + (" …" if len(lines) > 12 else ""))
    return "\n".join(rows)
