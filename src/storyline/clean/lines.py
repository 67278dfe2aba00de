"""Text units and their features: the cleaner decides on these, never on exact strings."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from storyline.clean import patterns
from storyline.clean.dates import DateMatch, date_and_time

_INVISIBLE_RE = re.compile("[\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u00ad]+")
WORD_RE = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
# WORD_RE for ASCII text, where its letters are these: a class is read from a bitmap, a Unicode
# category is looked up per character (a fifth of measuring a line).
_ASCII_WORD_RE = re.compile(r"[A-Za-z]+(?:['\-][A-Za-z]+)*")
# Sentence end, allowing closing quotes/brackets after it: `said.”`, `(…)?`, Arabic/CJK marks.
_SENTENCE_ENDS = frozenset(".!?…。！？؟۔")
_CLOSERS = "\"'”’»)]"
_WIDE_GAP_RE = re.compile(r"\S(?: {2,}|\t+)(?=\S)")
_NUMBERED_RE = re.compile(r"^\(?\d{1,3}[.)]\s")
# Dates and times are read in lines up to this long: a date in a paragraph is not a stamp.
DATED_MAX_CHARS = 200
_LETTER_SCRIPTS = {
    "latin": re.compile(r"[A-Za-zÀ-ɏ]"),
    "cyrillic": re.compile(r"[Ѐ-ӿ]"),
    "arabic": re.compile(r"[؀-ۿݐ-ݿ]"),
    "greek": re.compile(r"[Ͱ-Ͽ]"),
    "hebrew": re.compile(r"[֐-׿]"),
    "cjk": re.compile(r"[぀-ヿ㐀-鿿가-힯]"),
}
_NON_LATIN_RE = re.compile(
    "|".join(regex.pattern for name, regex in _LETTER_SCRIPTS.items() if name != "latin")
)


def normalize_line(line: str) -> str:
    """One line with invisible characters dropped and runs of spaces collapsed."""
    if not line.isascii():  # str.translate walks every character: the costliest step here
        line = _INVISIBLE_RE.sub("", line)
    return " ".join(line.split())


def is_terminal(text: str) -> bool:
    # Read from the end: a search for a mark that only whitespace and closers follow would try
    # every full stop of a paragraph.
    return text.rstrip().rstrip(_CLOSERS)[-1:] in _SENTENCE_ENDS


def _is_continuation(previous: str, line: str) -> bool:
    """A hard-wrapped paragraph: the previous line stops mid-sentence and this one goes on.

    A lowercase byline under a headline ("di Carla Venturi", "by <Name> — <Month D,
    YYYY>") is not a continuation.
    """
    return (
        len(previous) >= 40
        and not is_terminal(previous)
        and not previous.endswith(":")
        and line[0].islower()
        and not _is_lowercase_byline(line)
    )


def _is_lowercase_byline(line: str) -> bool:
    """A short "by Name", or a capitalised name of a few words, then a date or place after a
    dash."""
    match = patterns.BYLINE_RE.match(line)
    if match is None:
        return False
    name = match["name"].split()
    return len(line.split()) <= 6 or bool(
        match["rest"] and len(name) <= 4 and all(word[:1].isupper() for word in name)
    )


def split_units(text: str) -> list[tuple[str, int]]:
    """Non-empty normalised lines, each with its count of wide gaps (runs of 2+ spaces or a
    tab: flattened inline links of a menu); hard-wrapped lines of a paragraph are joined back."""
    units: list[tuple[str, int]] = []
    after_blank = True
    for raw_line in text.splitlines():
        line = normalize_line(raw_line)
        if not line:
            after_blank = True
            continue
        gaps = len(_WIDE_GAP_RE.findall(raw_line.strip())) if "  " in raw_line or "\t" in raw_line else 0
        if units and not after_blank and _is_continuation(units[-1][0], line):
            units[-1] = (f"{units[-1][0]} {line}", units[-1][1] + gaps)
        else:
            units.append((line, gaps))
        after_blank = False
    return units


def dominant_script(text: str) -> str | None:
    """The writing system most letters of `text` belong to."""
    if not _NON_LATIN_RE.search(text):  # most pages: two searches, not six counts
        return "latin" if _LETTER_SCRIPTS["latin"].search(text) else None
    counts = {name: len(regex.findall(text)) for name, regex in _LETTER_SCRIPTS.items()}
    name, count = max(counts.items(), key=lambda item: item[1])
    return name if count else None


def script_share(text: str, script: str) -> float:
    if script == "latin" and text.isascii():
        return 1.0 if any(char.isalpha() for char in text) else 0.0
    letters = sum(1 for char in text if char.isalpha())
    if not letters:
        return 0.0
    return len(_LETTER_SCRIPTS[script].findall(text)) / letters


@dataclass(slots=True)
class Line:
    """One unit of text and what the cleaner measures on it."""

    text: str
    index: int
    body: str  # the text without a leading bullet
    words: list[str]
    terminal: bool
    stop_ratio: float
    title_ratio: float
    has_link: bool
    date: DateMatch | None
    has_time: bool
    # Words, counting two CJK characters as one (those scripts put no spaces); stored, not a
    # property: the rules and features read it a dozen times per line.
    n_words: int
    wide_gaps: int = 0

    @property
    def n_chars(self) -> int:
        return len(self.text)

    @property
    def may_hold_time(self) -> bool:
        """Whether a clock time may be printed in the line (its time is read only up to
        DATED_MAX_CHARS)."""
        return self.has_time or len(self.text) > DATED_MAX_CHARS

    @property
    def is_table_row(self) -> bool:
        return self.text.startswith("|") and self.text.endswith("|")

    @property
    def is_numbered_item(self) -> bool:
        return bool(_NUMBERED_RE.match(self.text))

    def is_story_paragraph(self, min_words: int, min_chars: int, min_stop: float) -> bool:
        """Prose for sure: a long line that reads as sentences."""
        if self.has_link and self.n_words < 2 * min_words:
            return False
        if self.terminal and (self.n_words >= min_words or self.n_chars >= min_chars):
            return True
        return self.n_words >= 2 * min_words and self.stop_ratio >= min_stop

    def is_sentence_like(self) -> bool:
        """Shaped like a sentence (a short quote, a standfirst), not a label or menu item."""
        if self.has_link and self.n_words <= 3:
            return False
        if self.terminal and self.n_words >= 3 and (self.stop_ratio > 0 or self.n_words >= 5):
            return True
        return self.n_words >= 6 and self.title_ratio < 0.5


def _without_bullet(text: str) -> str:
    first = text[:1]  # most lines open with neither: the substitution is skipped
    if first in patterns.BULLET_STARTS or first.isspace():
        return patterns.BULLET_RE.sub("", text)
    return text


def measure(
    text: str,
    index: int,
    stopwords: frozenset[str],
    now: datetime | None = None,
    wide_gaps: int = 0,
) -> Line:
    """The features of one unit."""
    words = (_ASCII_WORD_RE if text.isascii() else WORD_RE).findall(text)
    stop_hits = sum(map(stopwords.__contains__, map(str.casefold, words)))
    capitalised = sum(1 for word in words if word[0].isupper())
    # Cheap substring checks first: the link patterns are the costliest part of a line.
    has_link = ("/" in text and bool(patterns.URL_RE.search(text))) or (
        "@" in text and bool(patterns.HANDLE_RE.search(text) or patterns.EMAIL_RE.search(text))
    )
    cjk_chars = 0 if text.isascii() else len(_LETTER_SCRIPTS["cjk"].findall(text))
    date, timed = date_and_time(text, now) if len(text) <= DATED_MAX_CHARS else (None, False)
    return Line(
        text=text,
        index=index,
        body=_without_bullet(text),
        words=words,
        terminal=is_terminal(text),
        stop_ratio=stop_hits / len(words) if words else 0.0,
        title_ratio=capitalised / len(words) if words else 0.0,
        has_link=has_link,
        date=date,
        has_time=timed,
        n_words=len(words) + cjk_chars // 2,
        wide_gaps=wide_gaps,
    )
