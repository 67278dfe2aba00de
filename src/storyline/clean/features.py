"""Line features for the body/boilerplate model: shape, language-relative prose signals, context.

Nothing here names a word of any language: stop-word density comes from the document's own
language list (jusText's) and is also given relative to the document's prose lines, so an
English-trained model reads a German page on the same scale. The rest is shape (length,
punctuation, sentence ends, digits, capitals, links, list separators), position, the verdict of
the structural detectors (`cleaner._line_rule` and the section cuts), the neighbouring lines,
where the page's densest run of prose lies (the body is one mostly contiguous region), how
many lines nearby share the line's coarse shape (teaser lists and menus repeat one shape), where
the line stands from the headline the header reader chose (the lead is the first prose line
under it), and whether it opens with a wire dateline ("MOSCOW (Reuters) - ": only a lead does).
The verdicts are those `clean_text` gives the model, header fields included
(`cleaner.line_verdicts` gives training the same).

`stage_one` features describe a line and its neighbours; `stage_two` adds the first model's
body probabilities of the neighbours and of the most probable contiguous region, and the line's
probability against the page's highest and the region's mean.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import cache

import numpy as np

from storyline.clean import patterns
from storyline.clean.lines import WORD_RE, Line

# Detector verdicts, grouped by what they say about a line.
REASON_GROUPS: dict[str, str] = {
    "navigation": "navigation", "link": "navigation", "language-link": "navigation",
    "foreign-script": "navigation", "tags": "navigation",
    "share-widget": "widget", "advert": "widget", "notice": "widget", "promo": "widget",
    "consent": "widget",
    "comments": "comments", "comment-form": "comments",
    "related": "related",
    "credit": "credit", "caption": "credit", "agency-trailer": "credit",
    "css-classes": "code", "code": "code", "counter": "code",
    "repeated": "repeated",
    "byline": "header", "dateline-date": "header", "page-title": "header",
    "title": "title",
}
_GROUPS = (
    "navigation", "widget", "comments", "related", "credit", "code", "repeated", "header", "title",
)

# Character classes counted per line (`_character_classes`).
_DIGIT, _UPPER, _PUNCT, _COMMA, _QUOTE, _LOWER = 1, 2, 4, 8, 16, 32
_GLUED = 64  # not a character class: counted over pairs (`_class_counts`)
_COMMAS = ",;،，、"
_QUOTES = "\"“”«»„"
_BMP = 0x10000
# A sentence end inside a line: ". The", "? ¿Qué", "! «Il".
_INNER_END_RE = re.compile(r"[.!?…。！？](?:[\"'”’»)\]]*)\s+[\"'“‘«(¿¡]*[^\W\d_]")
_SEPARATOR_RE = re.compile(r"\s[|›»·•/]\s")
# Its separators alone: a pattern that opens with a class of six characters skips ahead from
# one to the next, one that opens with \s tries every space of a line.
_SEPARATOR_CHAR_RE = re.compile(r"[|›»·•/]")

_OWN = (
    "log_words", "log_chars", "terminal", "stop_ratio", "stop_relative", "title_ratio",
    "has_link", "digit_share", "punct_share", "upper_share", "inner_sentences", "comma_rate",
    "mean_word_length", "has_date", "has_time", "starts_lower", "ends_colon", "has_quote",
    "separators", "wide_gaps", "is_prose", "copies",
    *(f"rule_{group}" for group in _GROUPS), "rule_any",
    "position", "char_position", "log_lines",
    "in_prose_region", "region_distance", "before_region", "after_region",
    "prose_run", "after_headline", "headline_distance", "same_shape_near", "same_shape_at_2",
    "dateline_lead", "glued_words", "after_title", "open_since_title", "prose_since_title",
)
# The columns of _OWN computed line by line; the others are computed per page.
_PER_LINE = (
    "terminal", "stop_ratio", "title_ratio", "has_link", "inner_sentences", "mean_word_length",
    "has_date", "has_time", "starts_lower", "ends_colon", "separators", "wide_gaps", "is_prose",
    "copies", "dateline_lead",
)
_CAPPED_COLUMNS = [_PER_LINE.index(name)
                   for name in ("inner_sentences", "separators", "wide_gaps", "copies")]
_RULE_NAMES = (*(f"rule_{group}" for group in _GROUPS), "rule_any")
_NEIGHBOUR = (
    "log_words", "terminal", "stop_relative", "has_link", "rule_any", "is_prose", "title_ratio",
)
_OFFSETS = (-2, -1, 1, 2)
_WINDOWED = ("is_prose", "rule_any", "terminal", "log_words", "has_link", "title_ratio",
             "same_shape_near", "glued_words")
_WINDOWS = (3, 8)
STAGE_ONE_NAMES: tuple[str, ...] = (
    *_OWN,
    *(f"{name}@{offset:+d}" for offset in _OFFSETS for name in _NEIGHBOUR),
    *(f"{name}~{window}" for window in _WINDOWS for name in _WINDOWED),
)
STAGE_TWO_NAMES: tuple[str, ...] = (
    *STAGE_ONE_NAMES,
    "p", *(f"p@{offset:+d}" for offset in _OFFSETS), *(f"p~{window}" for window in _WINDOWS),
    "in_p_region", "p_region_distance", "p_of_best", "p_minus_region",
)
PROSE_MIN_WORDS = 8
# A headline copy is made of the page title's words, but for a few (a copy reworded
# at its start); three in four is the share.
HEADLINE_COPY_SHARE = 0.75
_CLOSERS = " \"'”’»)]"
# A first line of more words is a paragraph, not a page title with a site name to split off.
PAGE_TITLE_MAX_WORDS = 25
HEADLINE_SEARCH_LINES = 150
# What parts a page title's headline from its site: "Headline | Site", "Headline - Site".
_TITLE_SEPARATOR_RE = re.compile(r"\s(?:[|–—·•»:/]|-{1,2}|::)\s")


def _reference_stop_ratio(lines: Sequence[Line]) -> float:
    """The stop-word density of the document's prose: the upper quartile over its long lines."""
    ratios = sorted(line.stop_ratio for line in lines if line.n_words >= PROSE_MIN_WORDS)
    if not ratios:
        return 0.0
    return ratios[(3 * len(ratios)) // 4]


def best_region(scores: np.ndarray) -> tuple[int, int]:
    """The contiguous run of lines with the largest total score (Kadane), as [start, end]."""
    best, best_span = -np.inf, (0, -1)
    running, start = 0.0, 0
    for i, score in enumerate(scores.tolist()):
        if running <= 0:
            running, start = score, i
        else:
            running += score
        if running > best:
            best, best_span = running, (start, i)
    return best_span


def _region_columns(scores: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Inside the best region, lines from its nearest edge (scaled), before it, after it."""
    count = len(scores)
    start, end = best_region(scores)
    index = np.arange(count)
    inside = (index >= start) & (index <= end)
    distance = np.where(index < start, start - index, np.where(index > end, index - end, 0))
    scale = max(1, end - start + 1)
    return (
        inside.astype(np.float32),
        np.minimum(distance / scale, 4.0).astype(np.float32),
        (index < start).astype(np.float32),
        (index > end).astype(np.float32),
    )


def _shifted(columns: np.ndarray, offset: int) -> np.ndarray:
    """columns[i + offset] (a column or lines × columns), -1 beyond the page's edges."""
    out = np.full_like(columns, -1.0)
    if offset > 0:
        out[:-offset] = columns[offset:]
    elif offset < 0:
        out[-offset:] = columns[:offset]
    else:
        out[:] = columns
    return out


def _window_mean(columns: np.ndarray, radius: int) -> np.ndarray:
    """The mean of each column over the lines within `radius` (fewer at the page's edges)."""
    count = len(columns)
    sums = np.cumsum(columns, axis=0, dtype=np.float64)
    padded = np.concatenate([np.zeros((1, *columns.shape[1:])), sums])
    index = np.arange(count)
    low = np.maximum(0, index - radius)
    high = np.minimum(count, index + radius + 1)
    width = (high - low).reshape(-1, *([1] * (columns.ndim - 1)))
    return ((padded[high] - padded[low]) / width).astype(np.float32)


@cache
def _character_classes() -> np.ndarray:
    """Bit flags of every character of the Basic Multilingual Plane (the rest reads as 0):
    what `_DIGIT`, `_UPPER`, `_PUNCT`, `_COMMA`, `_QUOTE` and `_LOWER` mark, as the regexes
    `\\d`, `[^\\w\\s]` and `str.isupper` define them. Counting with one table lookup over the
    page's code points costs a fraction of a regex scan per line and feature."""
    table = np.zeros(_BMP, dtype=np.uint8)
    for code in range(_BMP):
        char = chr(code)
        table[code] = (
            _DIGIT * char.isdecimal()
            | _UPPER * char.isupper()
            | _PUNCT * (not (char.isalnum() or char == "_" or char.isspace()))
            | _COMMA * (char in _COMMAS)
            | _QUOTE * (char in _QUOTES)
            | _LOWER * char.islower()
        )
    return table


def _class_counts(texts: list[str]) -> dict[int, np.ndarray]:
    """Per text, how many of its characters carry each flag, and (`_GLUED`) how many times a
    lower-case letter runs into a capital: a teaser's headline glued to its blurb
    ("…Harbour RegattaA 24-year-old sailor"), links flattened without spaces."""
    codes = np.frombuffer("\n".join(texts).encode("utf-32-le"), dtype=np.uint32)
    flags = _character_classes()[np.minimum(codes, _BMP - 1)]
    lengths = np.fromiter((len(text) + 1 for text in texts), dtype=np.intp, count=len(texts))
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    counts = {
        flag: np.add.reduceat((flags & flag).astype(np.int32) // flag, starts)
        for flag in (_DIGIT, _UPPER, _PUNCT, _COMMA, _QUOTE)
    }
    # The "\n" between texts is neither: no pair spans two of them.
    glued = np.zeros(len(flags), dtype=np.int32)
    glued[1:] = ((flags[:-1] & _LOWER) > 0) & ((flags[1:] & _UPPER) > 0)
    counts[_GLUED] = np.add.reduceat(glued, starts)
    return counts


def stage_one(lines: Sequence[Line], reasons: Sequence[str | None]) -> np.ndarray:
    """The feature matrix (lines × STAGE_ONE_NAMES) of one document."""
    count = len(lines)
    reference = _reference_stop_ratio(lines)
    texts = [line.text for line in lines]
    copies = Counter(texts)
    classes = _class_counts(texts)
    chars = np.maximum(1, np.fromiter(map(len, texts), dtype=np.float32, count=count))
    words = np.fromiter((line.n_words for line in lines), dtype=np.float32, count=count)
    rows = []
    for line, reason in zip(lines, reasons, strict=True):
        text = line.text
        rows.append((
            line.terminal,
            line.stop_ratio,
            line.title_ratio,
            line.has_link,
            len(_INNER_END_RE.findall(text)),
            sum(map(len, line.words)) / (len(line.words) or 1),
            line.date is not None,
            line.has_time,
            text[:1].islower(),
            text.endswith(":"),
            len(_SEPARATOR_RE.findall(text)) if _SEPARATOR_CHAR_RE.search(text) else 0,
            line.wide_gaps,
            _is_prose(line, reason),
            copies[text] - 1,
            line.n_words >= PROSE_MIN_WORDS and _opens_with_dateline(text),
        ))
    per_line = np.array(rows, dtype=np.float32).reshape(count, len(_PER_LINE))
    # Counts are capped at 10, a column at a time.
    per_line[:, _CAPPED_COLUMNS] = np.minimum(per_line[:, _CAPPED_COLUMNS], 10)
    own = np.zeros((count, len(_OWN)), dtype=np.float32)
    own[:, [_OWN.index(name) for name in _PER_LINE]] = per_line
    rule_rows = np.fromiter((_RULE_ROWS.get(reason, _OTHER_RULE) for reason in reasons),
                            dtype=np.intp, count=count)
    own[:, [_OWN.index(name) for name in _RULE_NAMES]] = _RULE_TABLE[rule_rows]
    stop_ratio = per_line[:, _PER_LINE.index("stop_ratio")]
    chars_before = np.concatenate([[0.0], np.cumsum(chars)[:-1]])
    for name, values in (
        ("log_words", np.log1p(words)),
        ("log_chars", np.log1p(chars)),
        ("stop_relative", stop_ratio / reference if reference > 0 else 0.0),
        ("digit_share", classes[_DIGIT] / chars),
        ("punct_share", classes[_PUNCT] / chars),
        ("upper_share", classes[_UPPER] / chars),  # 0 in scripts without case
        ("comma_rate", classes[_COMMA] / np.maximum(1, words)),
        ("has_quote", classes[_QUOTE] > 0),
        ("glued_words", np.minimum(classes[_GLUED], 5)),
        ("position", np.arange(count) / max(1, count - 1)),
        ("char_position", chars_before / max(1.0, float(chars.sum()))),
        ("log_lines", np.log1p(count)),
    ):
        own[:, _OWN.index(name)] = values
    prose = own[:, _OWN.index("is_prose")]
    # Prose lines pull the region in by their length, anything else pushes it out: a list of
    # teasers (headline, one-sentence blurb, labels) does not add up to a region of its own.
    scores = np.where(prose > 0, np.array([line.n_words for line in lines]), -PROSE_MIN_WORDS)
    columns = _region_columns(scores.astype(np.float64))
    first_region_column = _OWN.index("in_prose_region")
    own[:, first_region_column : first_region_column + len(columns)] = np.column_stack(columns)
    own[:, _OWN.index("prose_run")] = _run_lengths(prose)
    anchor = headline_copy(lines)
    if anchor is not None:
        index = np.arange(count)
        own[:, _OWN.index("after_headline")] = index > anchor
        own[:, _OWN.index("headline_distance")] = np.minimum(np.abs(index - anchor), 50) / 50
    first_after_title = _title_columns(reasons, prose)
    at = _OWN.index("after_title")
    own[:, at : at + len(first_after_title)] = np.column_stack(first_after_title)
    shapes = _shape_keys(lines)
    own[:, _OWN.index("same_shape_near")] = _same_shape_near(shapes)
    own[:, _OWN.index("same_shape_at_2")] = _same_shape_at_two(shapes)
    # A block of columns at a time: a page costs a few dozen numpy calls, not hundreds.
    neighbours = own[:, [_OWN.index(name) for name in _NEIGHBOUR]]
    windowed = own[:, [_OWN.index(name) for name in _WINDOWED]]
    return np.column_stack([
        own,
        *(_shifted(neighbours, offset) for offset in _OFFSETS),
        *(_window_mean(windowed, window) for window in _WINDOWS),
    ]).astype(np.float32)


def _opens_with_dateline(text: str) -> bool:
    """"MOSCOW (Reuters) - …", "KESTREL BAY — …": a place in capitals or an agency before a dash
    opens a wire lead, in any language written in a cased script. (Asked of paragraph-length
    lines only; a line with no dash before a space is not searched.)"""
    if not (text[:1].isupper() and ("- " in text or "— " in text or "– " in text)):
        return False
    match = patterns.DATELINE_RE.match(text)
    return match is not None and bool(match["place"].isupper() or match["agency"]
                                or match["tokenised_agency"])


def _title_columns(
    reasons: Sequence[str | None], prose: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Where a line stands from the headline the header reader chose: after it or not; how many
    lines no rule removed stand between (scaled); how many prose lines (capped at 5; -1 when not
    after it). The lead is the first prose line under the headline, whatever its shape; teasers
    and standfirsts stand elsewhere."""
    count = len(reasons)
    title = next((i for i, reason in enumerate(reasons) if reason == "title"), None)
    if title is None:
        minus = np.full(count, -1.0, dtype=np.float32)
        return np.zeros(count, dtype=np.float32), minus, minus
    index = np.arange(count)
    after = index > title
    still_open = np.array([reason is None for reason in reasons], dtype=np.float32)
    open_before = np.concatenate([[0.0], np.cumsum(still_open)[:-1]])
    prose_before = np.concatenate([[0.0], np.cumsum(prose > 0)[:-1]])
    open_between = open_before - open_before[title + 1] if title + 1 < count else open_before
    prose_between = prose_before - prose_before[title + 1] if title + 1 < count else prose_before
    return (
        after.astype(np.float32),
        np.where(after, np.minimum(open_between, 20) / 20, -1.0).astype(np.float32),
        np.where(after, np.minimum(prose_between, 5), -1.0).astype(np.float32),
    )


def _rule_columns(reason: str | None) -> tuple[bool, ...]:
    """The rule_<group> columns and rule_any of a line the detectors gave `reason`."""
    group = REASON_GROUPS.get(reason or "", "navigation" if reason else None)
    return (*(group == name for name in _GROUPS), reason is not None)


# Looked up, not computed per line: the detectors give a few dozen reasons (one row per reason,
# and a last row for a reason of no group).
_RULE_ROWS = {reason: row for row, reason in enumerate((None, *REASON_GROUPS))}
_OTHER_RULE = len(_RULE_ROWS)
_RULE_TABLE = np.array([*(_rule_columns(reason) for reason in _RULE_ROWS), _rule_columns("other")],
                       dtype=np.float32)


SHAPE_RADIUS = 4


def _shape_keys(lines: Sequence[Line]) -> np.ndarray:
    """A coarse shape per line (length band, sentence end, link, capitalised words) as one
    integer: teaser lists, menus and headline + blurb pairs repeat one shape, a story's
    paragraphs vary."""
    return np.fromiter((
        min(line.n_words // 4, 7) * 8 + line.terminal * 4 + line.has_link * 2
        + (line.title_ratio >= 0.5)
        for line in lines
    ), dtype=np.int32, count=len(lines))


def _same_shape_near(shapes: np.ndarray) -> np.ndarray:
    """The share of the lines within SHAPE_RADIUS (either side) shaped like this one."""
    count = len(shapes)
    same = np.zeros(count, dtype=np.float32)
    for offset in range(1, min(SHAPE_RADIUS, count - 1) + 1):
        equal = shapes[offset:] == shapes[:-offset]
        same[offset:] += equal
        same[:-offset] += equal
    return same / (2 * SHAPE_RADIUS)


def _same_shape_at_two(shapes: np.ndarray) -> np.ndarray:
    """Whether the line two above or two below has this shape while the next one differs: the
    alternation of a list of headline + blurb pairs."""
    out = np.zeros(len(shapes), dtype=np.float32)
    if len(shapes) < 3:
        return out
    pair = (shapes[2:] == shapes[:-2]) & (shapes[1:-1] != shapes[:-2])
    out[2:] = pair
    out[:-2] = np.maximum(out[:-2], pair)
    return out


def _run_lengths(flags: np.ndarray) -> np.ndarray:
    """For each line, the length of the run of flagged lines it belongs to (a one-line gap,
    a caption or a subheading, does not break a run); 0 for unflagged lines."""
    out = np.zeros(len(flags), dtype=np.float32)
    start = None
    flagged = flags > 0
    for i in range(len(flags) + 1):
        inside = i < len(flags) and (flagged[i] or (i + 1 < len(flags) and flagged[i + 1]
                                                   and i > 0 and flagged[i - 1]))
        if inside and start is None:
            start = i
        elif not inside and start is not None:
            out[start:i] = np.where(flagged[start:i], min(i - start, 30), 0)
            start = None
    return out


def headline_copy(lines: Sequence[Line]) -> int | None:
    """Where the headline stands when the first line is the page title ("Headline | Site"):
    the later line made of the first line's words (at least HEADLINE_COPY_SHARE of its own)
    that covers most of them: more than half, or, when the first line is title-sized, most of
    its part before the first separator (a short headline beside a long site name: "<teaser
    headline> - <long site tagline>"). None when there is none. Below the first
    HEADLINE_SEARCH_LINES lines (menus of hundreds of lines stand above some headlines) only an
    exact copy of the title or of its headline part counts."""
    head = {word.casefold() for word in lines[0].words} if lines else set()
    if len(head) < 3:
        return None
    named = _TITLE_SEPARATOR_RE.split(lines[0].text, maxsplit=1)
    first_part = {word.casefold() for word in WORD_RE.findall(named[0])}
    if len(named) == 1 or len(first_part) < 3 or not is_page_title(lines[0]):
        first_part = set()
    best, best_shared = None, 0
    # A line of no more words than half the title's, or than the best share so far, cannot
    # win: most lines of a page go before their words are casefolded.
    least = min(len(head) / 2, HEADLINE_COPY_SHARE * len(first_part) if first_part else len(head))
    for line in lines[1:]:
        if len(line.words) < max(least, best_shared + 1) or _ends_with_full_stop(line.text):
            continue
        words = {word.casefold() for word in line.words}
        shared = len(words & head)
        if len(words) < 3 or shared < HEADLINE_COPY_SHARE * len(words) or shared <= best_shared:
            continue
        if line.index > HEADLINE_SEARCH_LINES and words != head and words != first_part:
            continue  # a reader quoting the headline, far down a comment page
        if shared > len(head) / 2 or (
            first_part and len(words & first_part) >= HEADLINE_COPY_SHARE * len(first_part)
        ):
            best, best_shared = line.index, shared
    return best


def is_page_title(line: Line) -> bool:
    """Shaped like a page's <title>: no more than PAGE_TITLE_MAX_WORDS words, no full stop at
    its end (a flattened article may open with its lead paragraph instead)."""
    return len(line.words) <= PAGE_TITLE_MAX_WORDS and not _ends_with_full_stop(line.text)


def _ends_with_full_stop(text: str) -> bool:
    """A sentence's full stop at the end, closing quotes and brackets after it allowed
    ("… said the mayor . ''"): a headline ends with no stop, or a question."""
    return text.rstrip(_CLOSERS).endswith((".", "。"))


def _is_prose(line: Line, reason: str | None) -> bool:
    """Shaped like a paragraph of the story: long, sentence-ended, no detector against it."""
    return reason is None and line.n_words >= PROSE_MIN_WORDS and line.terminal


def stage_two(first: np.ndarray, probabilities: np.ndarray) -> np.ndarray:
    """Stage-one features plus the first model's body probabilities around each line."""
    p = probabilities.astype(np.float32)
    log_words = first[:, 0]
    inside, distance, _, _ = _region_columns((p - 0.5) * (1.0 + log_words))
    best = float(p.max()) if len(p) else 1.0
    region_mean = float(p[inside > 0].mean()) if (inside > 0).any() else best
    return np.column_stack([
        first, p,
        *(_shifted(p, offset) for offset in _OFFSETS),
        *(_window_mean(p, window) for window in _WINDOWS),
        inside, distance, p / max(best, 1e-6), p - region_mean,
    ]).astype(np.float32)
