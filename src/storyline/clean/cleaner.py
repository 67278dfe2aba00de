"""The text cleaner: a cascade of line rules → section cuts → header fields → scorer → fallback.

Input is text already flattened from a page, one block per line. Every unit ends either kept (a
paragraph), taken as a field (title, byline, dateline) or removed with a short reason, so what was
dropped is auditable and nothing is invented: paragraphs are input lines, only normalised.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import datetime

from storyline.clean import features, linemodel, patterns, threads
from storyline.clean import outlet as outlets
from storyline.clean.config import CleanerConfig
from storyline.clean.dates import (
    DATE_RE,
    RELATIVE_TIME_RE,
    TIME_RE,
    heading_stamp,
    leading_update_stamp,
)
from storyline.clean.lines import (
    Line,
    dominant_script,
    measure,
    normalize_line,
    script_share,
    split_units,
)
from storyline.clean.stopwords import guess_text_language, stopwords
from storyline.model import Removed

_KEY_WORD_RE = re.compile(r"\w+")
# Each ASCII byte that \w does not match becomes a space.
_ASCII_KEY_BYTES = bytes(
    byte if chr(byte).isascii() and (chr(byte).isalnum() or chr(byte) == "_") else 0x20
    for byte in range(256)
)
# "Q: …", "Tested by: …", "Price: …": a short field name, a colon, a value.
_KEY_VALUE_RE = re.compile(r"^[^\W\d_][\w'’.\- ]{0,20}:\s+\S")
# Words a date line carries besides the date itself ("Updated", "6 years ago", "PM").
_DATE_LINE_FILLER = re.compile(
    r"\b(?:published|updated|posted|last|modified|on|at|am|pm|gmt|utc|cet|est|edt|bst|msk"
    r"|ago|years?|months?|weeks?|days?|hours?|minutes?|mins?|seconds?|today|yesterday"
    r"|publicado|actualizado|el|a\s+las|hace|publié|mis\s+à\s+jour|le|à|il\s+y\s+a"
    r"|veröffentlicht|aktualisiert|am|um|uhr|vor|stand|pubblicato|aggiornato|alle"
    r"|atualizado|às|опубликовано|обновлено|в|назад|نشر|تحديث|monday|tuesday|wednesday"
    r"|thursday|friday|saturday|sunday|lunes|martes|miércoles|jueves|viernes|sábado|domingo"
    r"|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|montag|dienstag|mittwoch"
    r"|donnerstag|freitag|samstag|sonntag)\b",
    re.IGNORECASE,
)
# The stamp a comment thread prints with each comment, in any language: a clock time, then
# pipe-separated actions ("January 29, 2011 at 5:38 pm | Report abuse | Reply …").
# Some threads print only the stamp and a pipe before the comment, the date and time joined
# by "at" ("<Month D , YYYY> at <h:mm> pm | <Name> : <comment>"): a year, an optional time,
# "at" (in several languages), a time, a pipe. News prose does not write a pipe after a time.
# A comment's actions, printed at its foot after its stamp.
_ACTIONS = r"reply|report\s+abuse|responder|répondre|antworten|rispondi|ответить"
# The link that reports a comment to the moderators.
_MODERATION = (
    r"report\s+(?:as\s+)?abus(?:e|ive)|signaler\s+(?:un\s+)?abus|missbrauch\s+melden"
    r"|denunciar\s+abuso|segnala\s+abuso|пожаловаться"
)
# A blog post's footer prints links after its time, not a comment's actions: its count of
# comments in brackets ("Posted by Jane Roe at 10:48 AM | Comments (2) | Permalink").
_POST_LINKS = (
    r"(?!\s*(?:permalink|trackback|[^\W\d_]+\s*(?:\(|-LRB-)\s*\d+\s*(?:\)|-RRB-)))"
)
_COMMENT_STAMP_RE = re.compile(
    rf"(?:{TIME_RE.pattern})\s*(?:[A-Z]{{2,4}}\s*)?\|{_POST_LINKS}\s*(?:[^|\n]{{1,25}}?\s*\||"
    rf"(?:{_ACTIONS})\b)"
    # A comment's signature with no time, its moderation link after a pipe ("Posted by
    # jane_roe | Report as abusive"): prose does not print a pipe before such a link.
    rf"|\|\s*(?:{_MODERATION})\b"
    rf"|\b(?:1[89]|20)\d\d\s*,?\s*(?:(?:{TIME_RE.pattern})\s*)?"
    rf"(?:at|um|à|a\s+las|alle|às|в)\s+(?:{TIME_RE.pattern})\s*(?:[A-Z]{{2,4}}\s*)?\|{_POST_LINKS}"
    # …but not the page's own date line: "Published <Mon D, YYYY> at <h:mm> PM | Updated …".
    r"(?!\s*(?:updated|last\s+updated|modified|actualizado|mis\s+à\s+jour|aktualisiert"
    r"|aggiornato|atualizado|обновлено)\b)",
    re.IGNORECASE,
)
# A footer with a dash for the pipe, a date and time, then the call to report the comment:
# "<Mon D , YYYY> <h:mm> pm EDT -- Report as abuse …" (prose writes "at <h:mm> pm -- reply …").
_DASHED_COMMENT_STAMP_RE = re.compile(
    rf"\b(?:1[89]|20)\d\d\s*,?\s*(?:at\s+)?(?:{TIME_RE.pattern})\s*(?:[A-Z]{{2,4}}\s*)?"
    rf"(?:--?|–|—)\s*(?:{_MODERATION})\b",
    re.IGNORECASE,
)
# A comment's actions after its stamp's pipe; before the stamp, a footer prints at most its
# poster's name ("Posted by jane_roe", "<Name> :").
_ACTION_RE = re.compile(
    rf"\|\s*(?:{_ACTIONS}|{_MODERATION})\b",
    re.IGNORECASE,
)
_FOOTER_NAME_WORDS = 3
_ACTION_REACH = 20  # characters after the stamp's pipe in which its first action is printed
_AGENCY_SUFFIX_RE = re.compile(
    r"\s*[(\[](?:AP|AFP|Reuters|dpa|EFE|ANSA|TASS|Xinhua|UPI|IANS|PTI)[)\]]\s*$", re.IGNORECASE
)


# Provisional reason of a short line in another script; it becomes "language-link" when the
# line stands alone (a link to another edition), and is kept when its neighbours share its
# script (a quoted passage, code, a list of foreign names).
_FOREIGN = "foreign-script"
# Removals by the line model read "model: p(body)=0.12".
_MODEL_REASON = "model:"
# How the line model sees the headline (a field, neither kept nor removed).
_TITLE = "title"


def _settle_foreign_lines(state: _Cleaning) -> None:
    reasons = state.reasons
    foreign = {i for i, reason in enumerate(reasons) if reason == _FOREIGN}
    for i in foreign:
        reasons[i] = None if (i - 1 in foreign or i + 1 in foreign) else "language-link"


@dataclass
class CleanResult:
    """What the cleaner found in one text."""

    paragraphs: list[str]
    removed: list[Removed]
    title: str | None = None
    byline: str | None = None
    dateline: str | None = None
    dateline_agency: str | None = None
    published: str | None = None
    language: str | None = None
    # The outlet the text names (see `storyline.clean.outlet` for the order of evidence).
    outlet: str | None = None

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


class _Cleaning:
    """The state of one run of the cascade over one text."""

    def __init__(self, lines: list[Line], doc_script: str | None, config: CleanerConfig) -> None:
        self.lines = lines
        self.config = config
        self.doc_script = doc_script
        self.reasons: list[str | None] = [None] * len(lines)
        self.fields: set[int] = set()  # units taken as title/byline, neither kept nor removed
        # The headline found as the copy of the page title ("Headline | Site") on line 0, when
        # line 0 is shaped like one (a lead paragraph is not).
        self.headline_copy: int | None = None
        self.body_probability: dict[int, float] = {}  # the line model's p(body) of open lines
        # Whether each line reads as a story paragraph: asked five times per text, fixed per line.
        self.story_shaped = [
            line.is_story_paragraph(
                config.story_min_words,
                config.story_min_chars,
                config.story_min_stopword_ratio,
            )
            for line in lines
        ]

    def open(self) -> list[int]:
        fields = self.fields
        return [i for i, reason in enumerate(self.reasons) if reason is None and i not in fields]

    def story_indices(self) -> list[int]:
        return [i for i in self.open() if self.story_shaped[i]]

    def remove(self, index: int, reason: str) -> None:
        if self.reasons[index] is None and index not in self.fields:
            self.reasons[index] = reason


def _has_comment_stamp(text: str) -> bool:
    if "|" in text:
        return bool(_COMMENT_STAMP_RE.search(text))
    # Footers print their clock time with a colon: most lines are spared the dashed pattern.
    return ":" in text and bool(_DASHED_COMMENT_STAMP_RE.search(text))


def _opens_with_footer(text: str) -> bool:
    """Whether the line opens with a comment's footer: its date and time, then the comment's
    actions after a pipe ("<Month D , YYYY> at <h:mm> pm | Reply …", "Posted by <name> | <date>
    <time> | Report abuse …"), with at most a name before them. Actions print at the foot of
    a comment, so the stamp closes the comment above it; text before the stamp on its line
    (the flattening glues a comment's tail there) may be that whole comment."""
    match = _COMMENT_STAMP_RE.search(text) if "|" in text else None
    return (
        match is not None
        and _ACTION_RE.search(text, match.start(), match.end() + _ACTION_REACH) is not None
        and _leftover_words(text[: match.start()]) <= _FOOTER_NAME_WORDS
    )


def _glued_form(text: str) -> bool:
    """A comment form's field label glued after other text: the thread's last comment, or the
    name signing it, printed right above the form ("Jane Roe -LRB- required , but will not be
    displayed -RRB- …"). It ends the thread as a comment's stamp does."""
    folded = text.casefold()
    field = patterns.FORM_FIELD_RE.search(folded)
    return field is not None and any(char.isalpha() for char in folded[: field.start()])


def _only_css_classes(line: Line) -> bool:
    body = line.body
    # Class names are lower case and joined by "-" or "_": most lines fail this before the split.
    if not (body.islower() and ("-" in body or "_" in body)):
        return False
    tokens = body.split()
    return bool(tokens) and all(patterns.CSS_CLASS_RE.match(token) for token in tokens)


def _is_menu(line: Line) -> bool:
    """Menus and breadcrumbs: "Home  World  Sport" (wide gaps), "News › World", "Site | World"."""
    if line.wide_gaps >= 2:
        return True
    if not patterns.SEPARATOR_CHAR_RE.search(line.body):
        return False
    separators = len(patterns.SEPARATOR_RE.findall(line.body)) + 2 * line.body.count(" | ")
    return separators >= 2 and not (line.date or line.has_time)


def _line_rule(  # noqa: C901 - a flat list of shape tests, each returning its reason; to become a table
    line: Line, doc_script: str | None, extracted: bool, config: CleanerConfig
) -> str | None:
    """Stage 1: what a single line is, when its shape alone says so.

    After an extractor (`extracted`), the looser heuristics (bare links, lines in another
    script) stay off: the extractor already judged those lines to be content.
    """
    if not line.words:
        # A bare date ("21/10/2026 - 19:05") is left to the header, which reads it.
        return None if line.date or line.has_time else "counter"
    if _only_css_classes(line):
        return "css-classes"
    text = line.body
    if "=" in text and patterns.MARKUP_RE.match(text):
        return "code"
    if _has_comment_stamp(text):
        return "comments"
    words = line.n_words
    short = words <= config.short_line_words
    folded = text.casefold()
    if patterns.ADVERT_RE.match(folded):
        return "advert"
    form_sized = words <= config.form_line_words
    # Whether a word of the form, policy, notice or promo patterns is in a line of form size:
    # most hold none, and one search tells (a longer line is searched for the policy only).
    worded = not form_sized or patterns.FORM_SIZED_WORDS(folded)
    if form_sized and worded and patterns.COMMENT_FORM_RE.search(folded):
        return "comment-form"
    if patterns.FORM_FIELD_RE.search(folded):
        return "comments" if _glued_form(text) else "comment-form"
    # The policy may close a long agency trailer: "(Reporting by … ; Editing by …) We welcome …".
    if worded and patterns.COMMENT_POLICY_RE.search(folded) and (
        words <= config.notice_max_words
        or patterns.TRAILER_RE.match(patterns.untokenise_brackets(line.text))
    ):
        return "comment-form"
    if (
        words <= config.notice_max_words
        and "ookie" in folded
        and patterns.CONSENT_RE.search(folded)
    ):
        return "consent"
    if form_sized and worded and patterns.NOTICE_RE.search(folded):
        return "notice"
    if form_sized and worded and patterns.PROMO_RE.search(folded):
        return "promo"
    if patterns.SOCIAL_ONLY_RE.match(folded):
        return "share-widget"
    if short and patterns.SHARE_RE.match(folded) and not line.is_sentence_like():
        return "share-widget"
    if patterns.NAVIGATION_RE.match(folded):
        return "navigation"
    if short and not line.terminal and not line.is_table_row and _is_menu(line):
        return "navigation"
    if words <= 3 * config.short_line_words and patterns.TAGS_RE.match(folded):
        return "tags"
    if short and not line.terminal and patterns.LANGUAGE_LINK_RE.match(folded):
        return "language-link"
    words_only = patterns.strip_links(text) if line.has_link else text
    if not extracted:
        foreign = (
            short
            and not line.terminal
            and doc_script
            and any(char.isalpha() for char in words_only)
            and script_share(words_only, doc_script) < config.foreign_script_share
        )
        if foreign:
            return _FOREIGN
    if (
        words <= config.trailer_max_words
        and patterns.TRAILER_RE.match(text)
        and (not line.terminal or words <= config.short_line_words)
    ):
        return "agency-trailer"
    if words <= config.credit_max_words and patterns.CREDIT_RE.match(folded):
        return "credit"
    if "/" in text and patterns.SLASHED_NAMES_RE.match(text):
        return "credit"
    # The credit closes the caption: searching its tail only keeps long lines cheap.
    tail = text[-config.credit_tail_chars :]
    if (
        words <= config.caption_max_words
        and patterns.may_hold_caption_credit(tail)
        and patterns.CAPTION_CREDIT_RE.search(tail)
    ):
        return "caption"
    if not extracted and line.has_link and len(words_only.split()) <= 2:
        return "link"
    return None


def _is_comment_header(line: Line, config: CleanerConfig) -> bool:
    """"Jane Doe 14 November 2013, 18:00": a name next to a timestamp, no sentence.

    "— Jane Doe (@jane) May 2, 2019" closes an embedded post or quote, not a comment.
    """
    return (
        not line.text.startswith(("—", "–", "-", "―"))
        and not line.is_table_row
        and
        bool(line.date or line.has_time)
        and not line.terminal
        and line.n_words <= config.comment_header_max_words
    )


def _stamped_comments(state: _Cleaning, first_story: int) -> list[int]:
    """Lines from the story's start on that open with a date and time and go on with text
    ("<Month Dth , YYYY> <h:mm> pm ET <comment> …", or glued after the tail of
    the line above: "Read more ... <Month Dth , YYYY> <h:mm> pm ET …"), when there are two or more
    of them in time order and the page prints its comment form or policy: a thread lists its
    comments oldest first; a blog's index of posts and a live blog list theirs newest first,
    and an article's chronology comes with no comment form."""
    if "comment-form" not in state.reasons:
        return []
    heads: list[tuple[int, tuple[int, int, int, int, int]]] = []
    for i in range(first_story, len(state.lines)):
        line = state.lines[i]
        moment = heading_stamp(line.text)
        if moment and line.n_words >= state.config.comment_stamp_min_words:
            heads.append((i, moment))
    moments = [moment for _, moment in heads]
    if len(heads) < 2 or moments != sorted(moments):
        return []
    return [i for i, _ in heads]


def _signed_comments(state: _Cleaning, first_story: int) -> list[int]:
    """Open lines after the story's start that a comment's signature closes ("Posted by Jane
    Roe on April 2 , 2005 11:01 PM ."), when two or more of them stand in time order: a thread
    signs each comment and lists them oldest first; a single one may sign the post itself."""
    # A signature prints a clock time: a line measured without one is passed over.
    signed = [(i, moment) for i in state.open() if i > first_story and state.lines[i].may_hold_time
              and (moment := threads.signature_moment(state.lines[i].text))]
    moments = [moment for _, moment in signed]
    if len(signed) < 2 or moments != sorted(moments):
        return []
    return [i for i, _ in signed]


# A story paragraph, as opposed to a headline or a site's strapline: a thread follows one.
PARAGRAPH_WORDS = 12
_SENTENCE_END = ".!?\"'”’»"


def _is_paragraph(line: Line) -> bool:
    return line.n_words >= PARAGRAPH_WORDS and line.text.rstrip()[-1:] in _SENTENCE_END


def _comment_marker_cut(
    state: _Cleaning, story: list[int], first_story: int, later_signs: list[int]
) -> int | None:
    """Where a comment marker ("Comments (3)", "Leave a reply") opens the thread; markers that
    only label (before the story's first paragraph, or a bare "Comments" subheading within it)
    go alone."""
    for i in state.open():
        line = state.lines[i]
        if line.n_words > 8 or not patterns.COMMENT_MARKER_RE.match(line.text):
            continue
        if i <= first_story or not any(_is_paragraph(state.lines[j]) for j in story if j < i):
            # Above the first paragraph a marker is a menu item (a site's "Comment" section)
            # or a count beside the byline, however story-shaped the title lines above it are.
            state.remove(i, "comments")
            continue
        later_story = [j for j in story if j > i]
        # A bare "Comments" may be a subheading; a count or a call to comment is not.
        if (
            any(j > i for j in later_signs)
            or not later_story
            or patterns.COMMENT_CALL_RE.search(line.text.casefold())
            or any(char.isdigit() for char in line.text)
        ):
            return i
        state.remove(i, "comments")
    return None


def _lines_per_comment(stamps: list[int]) -> int | None:
    """How many lines a comment takes in a stamped thread (None: no stamp). Whether the thread
    prints each stamp above or below its comment, the flattening leaves one comment above the
    first stamp: the first comment's own stamp, or the stamp of a thread printed below each
    comment (on Timeline17's CNN pages "… tail of a comment <Month D , YYYY> at <h:mm> pm |
    Reply Next comment …" cannot be told apart)."""
    if not stamps:
        return None
    gaps = sorted(b - a for a, b in itertools.pairwise(stamps))
    return max(1, gaps[len(gaps) // 2]) if gaps else 1


def _cut_between_forms(
    state: _Cleaning, forms: list[int], first_story: int, language: str | None
) -> None:
    """A notice may head the thread ("Views expressed in the comments are not ours") and a
    form follow it: between two forms after the story, what is not reported prose is the
    thread; failing that, the comments above the lower form, read as for any form."""
    for above, below in itertools.pairwise(forms):
        if all(state.reasons[i] is not None for i in range(above + 1, below)):
            continue  # the form's own lines
        start = threads.thread_start(
            state.lines, state.reasons, below, above, language, headed=True
        ) or threads.thread_start(state.lines, state.reasons, below, first_story, language)
        for i in range(start or below, below):
            state.remove(i, "comments")


def _lead_in(
    state: _Cleaning, end: int, stamps: list[int], first_story: int, language: str | None
) -> int | None:
    """The first line of the comments between the story and the thread's first stamp or form
    (`end`), or None."""
    lines = state.lines
    lead_in = threads.thread_start(
        lines, state.reasons, end, first_story, language, stamped=end in stamps
    )
    per_comment = _lines_per_comment(stamps) if end in stamps else None
    if lead_in is None and per_comment is not None:
        lead_in = threads.thread_start(lines, state.reasons, end, first_story, language,
                                       stamped=True, comment_lines=per_comment)
    if (lead_in is None and end in stamps and _opens_with_footer(lines[end].text)
            and _stamps_at_the_foot(state, stamps[-1])):
        # The first comment's footer opens its line: that comment stands above it.
        lead_in = threads.last_line_above(lines, state.reasons, end, first_story, language)
    return lead_in


def _stamps_at_the_foot(state: _Cleaning, last: int) -> bool:
    """Whether a thread prints each stamp at the foot of its comment: nothing follows its last
    stamp's actions (line `last`) but the comment form, glued on its line or on the next, or
    the end of the text. A thread whose stamps head their comments prints the last comment
    after its stamp."""
    text = state.lines[last].text
    actions = list(_ACTION_RE.finditer(text))
    rest = text[actions[-1].end():].strip(" |") if actions else text
    if rest:
        field = patterns.FORM_FIELD_RE.search(rest.casefold())
        return field is not None and field.start() == 0
    return last + 1 == len(state.lines) or state.reasons[last + 1] == "comment-form"


def _cut_comment_tail(state: _Cleaning, language: str | None) -> None:
    """Stage 2a: a comment marker (or a run of comment headers) after the story opens a tail;
    a stamp or a form after the story ends one, and the comments above it go too."""
    lines, story = state.lines, state.story_indices()
    first_story = story[0] if story else 0
    headers = [i for i in state.open() if i > first_story and _is_comment_header(lines[i], state.config)]
    forms = [i for i, reason in enumerate(state.reasons) if reason == "comment-form"]
    starts = [_comment_marker_cut(state, story, first_story, headers + forms)]
    signed = _signed_comments(state, first_story)
    for i in signed:
        state.remove(i, "comments")
    stamps = [i for i, line in enumerate(lines) if state.reasons[i] == "comments"
              and (i in signed or _has_comment_stamp(line.text) or _glued_form(line.text))]
    if len(stamps) >= 2 or (stamps and stamps[0] > first_story):
        # Each comment carries its stamp: the thread runs from the first one to the end.
        starts.append(stamps[0])
    starts.append(next(iter(_stamped_comments(state, first_story)), None))
    # The first comment of a thread prints its stamp below it, and a form follows the thread:
    # what reads as comments between the story and either goes with the thread.
    ends = [i for i in (*stamps[:1], *forms) if i > first_story]
    if ends:
        end = min(ends)
        for i in range(_lead_in(state, end, stamps, first_story, language) or end, end):
            state.remove(i, "comments")
    _cut_between_forms(state, [i for i in forms if i > first_story], first_story, language)
    cut = min((start for start in starts if start is not None), default=None)
    if cut is None and len(headers) >= 2:
        # A thread alternates header and comment text up to the end; a schedule of dated
        # lines ("Opening concert, 14 June, 18:00") has its headers back to back.
        gaps = [b - a for a, b in itertools.pairwise(headers)]
        after_last = len(lines) - 1 - headers[-1]
        if 2 <= min(gaps) and max(gaps) <= state.config.comment_max_gap and (
            1 <= after_last <= state.config.comment_max_gap
        ):
            cut = headers[0]
    if cut is None:
        return
    for i in range(cut, len(lines)):
        form = patterns.COMMENT_FORM_RE.search(lines[i].text.casefold())
        state.remove(i, "comment-form" if form else "comments")


def _cut_related(state: _Cleaning) -> None:
    """Stage 2b: "Related" / "Lire aussi" markers and the headline list they open.

    Before the story a marker is a menu link: only the marker goes, not the headline after it.
    """
    lines = state.lines
    story = state.story_indices()
    first_story, last_story = (story[0], story[-1]) if story else (-1, -1)
    for i in state.open():
        line = lines[i]
        if state.reasons[i] or line.n_words > state.config.short_line_words or line.terminal:
            continue
        match = patterns.RELATED_MARKER_RE.match(line.text)
        if not match:
            continue
        state.remove(i, "related")
        if match["rest"].strip() or i < first_story:
            continue  # "Read more: <headline>" is one linked line
        for j in range(i + 1, len(lines)):
            if i > last_story:
                state.remove(j, "related")
            elif j in story:
                break
            else:
                state.remove(j, "related")


def _line_key(text: str) -> str:
    """What two copies of a line share: its casefolded words and figures, one space between."""
    if text.isascii():  # the same key, by byte translation: a third of the cost
        return b" ".join(text.lower().encode().translate(_ASCII_KEY_BYTES).split()).decode()
    return " ".join(_KEY_WORD_RE.findall(text.casefold()))


def _mark_repeats(state: _Cleaning) -> None:
    """Stage 2c: a line printed again (caption under a photo and in alt text, a paragraph twice).

    Lines repeated far apart are often structure (the same interview question to each guest,
    "Meal 1 … Meal 2"), so a repeat only counts close to its earlier copy, or when that copy
    was already removed (the same furniture again).
    """
    last_seen: dict[str, int] = {}
    for i, line in enumerate(state.lines):
        key = _line_key(line.text)
        if not key:
            continue
        earlier = last_seen.get(key)
        last_seen[key] = i
        if earlier is None:
            continue
        earlier_reason = state.reasons[earlier]
        if earlier_reason:
            state.remove(i, earlier_reason)
        elif i - earlier <= state.config.repeat_window:
            state.remove(i, "repeated")


def _leftover_words(text: str) -> int:
    """Words of a text that are not its date, time or date-line filler."""
    text = DATE_RE.sub(" ", text)
    text = RELATIVE_TIME_RE.sub(" ", TIME_RE.sub(" ", text))
    text = _DATE_LINE_FILLER.sub(" ", text)
    return len(re.findall(r"[^\W\d_]{2,}", text))


def _headline_like(line: Line, config: CleanerConfig) -> bool:
    return (
        line.n_chars <= config.title_max_chars
        and (line.n_words >= 2 or line.n_chars >= 12)
        and not line.has_link
    )


_NAME_CONNECTORS = frozenset(
    {"and", "y", "et", "und", "e", "и", "&", "de", "del", "der", "den", "van", "von", "da", "di",
     "la", "le", "el", "du", "dos", "das", "ibn", "bin", "al"}
)


def _byline_name(line: Line, config: CleanerConfig) -> str | None:
    """The author in "By Jane Doe" / "Por Lucía Marín" / "Автор: Ирина Белова", if it is one."""
    if line.terminal or line.n_words > config.byline_max_words:
        return None
    match = patterns.BYLINE_RE.match(line.body)
    if not match:
        return None
    name = match["name"].strip(" ,")
    words = re.findall(r"[^\W\d_][\w.'’\-]*", name)
    # Names are capitalised where the script has case (Arabic, CJK… have none).
    if not words or any(w[0].islower() and w.casefold() not in _NAME_CONNECTORS for w in words):
        return None
    return name


@dataclass
class _Header:
    title: str | None = None
    byline: str | None = None
    published: str | None = None


def _is_banner(state: _Cleaning, index: int) -> bool:
    """A masthead or section banner: all capitals ("WORLD", "EL OBSERVADOR"), a name before
    its section ("The Post | World"), or a short all-capitalised name right above a menu
    ("The Morning Ledger" / "Home  World  Sport")."""
    line = state.lines[index]
    if line.text.isupper() or outlets.masthead_name(line.text):
        return True
    after = index + 1
    return (
        line.title_ratio == 1
        and line.n_words <= state.config.title_min_words + 1
        and after < len(state.lines)
        and (state.reasons[after] is not None or _is_label(state.lines[after], state.config))
    )


# What the header reading takes off the lines around the headline (never page furniture).
_HEADER_FIELDS = frozenset({"byline", "dateline-date"})


def _choose_title(state: _Cleaning, candidates: list[int]) -> int:
    """The headline: among the candidates of headline length that are not banners, the first
    one, unless other lines (menus, section labels, promos) stand between it and the next: a
    page prints masthead and menus above its headline, and byline, standfirst and lead right
    under it. Else the first candidate of headline length, else the first one. The byline and
    the printed date read off the header stand between headline and standfirst on many pages
    ("Fire destroys bakery" / "Published: <Month D, YYYY>" / "<standfirst>…"): they do
    not part the two."""
    def real_words(i: int) -> int:  # "Météo : pluie, 12°C" has two, not three
        return state.lines[i].n_words - sum(1 for word in state.lines[i].words if len(word) == 1)

    def next_to(first: int, second: int) -> bool:
        return all(state.reasons[i] in _HEADER_FIELDS for i in range(first + 1, second))

    long_enough = [i for i in candidates if real_words(i) >= state.config.title_min_words]
    headlines = [i for i in long_enough if not _is_banner(state, i)]
    if not headlines:
        return (long_enough or candidates)[0]
    chosen = headlines[0]
    for following in headlines[1:]:
        if next_to(chosen, following):
            break
        chosen = following
    return chosen


def _read_header(state: _Cleaning, given_title: str | None) -> _Header:
    """Stage 3: title, printed date and byline from the lines before the story starts.

    The title is the first headline-shaped line of the header; a menu item ("World News")
    before it loses to a line of headline length when there is one.
    """
    header = _Header()
    story = state.story_indices()
    end = story[0] if story else min(len(state.lines), state.config.header_lines)
    title_key = _line_key(given_title) if given_title else None
    # A flattened page opens with its <title> ("Headline | Site"); the headline proper stands
    # further down, above the story, among menus that must not win.
    anchor = features.headline_copy(state.lines) if given_title is None else None
    if anchor is not None:
        state.reasons[anchor] = None
        state.fields.add(anchor)
        if features.is_page_title(state.lines[0]):
            state.headline_copy = anchor
        header.title = state.lines[anchor].text
        state.remove(0, "page-title")
        end = max(end, anchor + 1)
    candidates: list[int] = []
    for i in [i for i in state.open() if i < end]:
        line = state.lines[i]
        byline = _byline_name(line, state.config)
        if byline:
            header.byline = header.byline or byline
            header.published = header.published or (line.date.iso if line.date else None)
            state.remove(i, "byline")
        elif (line.date or line.has_time) and (
            _leftover_words(line.text) <= state.config.date_line_words
        ):
            header.published = header.published or (line.date.iso if line.date else None)
            state.remove(i, "dateline-date")
        elif title_key is not None:
            if _line_key(line.text) == title_key:
                state.fields.add(i)
                header.title = line.text
                title_key = None
        elif header.title is None and given_title is None and _headline_like(line, state.config):
            candidates.append(i)
    if candidates:
        chosen = _choose_title(state, candidates)
        header.title = state.lines[chosen].body or state.lines[chosen].text
        state.fields.add(chosen)
    return header


def _is_label(line: Line, config: CleanerConfig) -> bool:
    """Menu items, headline links, labels: short, not a sentence, capitalised or linked.

    Lines with figures (dates, scores, prices, listings) are data of the story, not labels.
    """
    if line.is_sentence_like() or line.is_table_row or line.is_numbered_item:
        return False
    if line.text.rstrip().endswith(("?", "!")) or _KEY_VALUE_RE.match(line.text):
        return False  # menus ask no questions and print no "Price: 40 €" fields
    if not line.has_link and any(char.isdigit() for char in line.text):
        return False
    return line.n_words <= config.short_line_words and (
        line.title_ratio >= config.label_title_ratio or line.has_link or line.n_words <= 2
    )


def _introduced_lists(state: _Cleaning) -> set[int]:
    """Lines of a list the story introduces ("Tour dates:"), which belong to the story."""
    members: set[int] = set()
    open_lines = state.open()
    introducing = False
    for position, i in enumerate(open_lines):
        line = state.lines[i]
        contiguous = position > 0 and open_lines[position - 1] == i - 1
        if introducing and contiguous and not line.terminal:
            members.add(i)
            continue
        introducing = line.text.endswith(":")
    return members


def _score(state: _Cleaning, extracted: bool) -> None:  # noqa: C901 - one pass whose exceptions are read in order
    """Stage 4: labels outside the story span go; inside it, only runs of them (link lists)."""
    story = state.story_indices()
    if not story:
        return
    first, last = story[0], story[-1]
    for i in state.open():
        if not state.lines[i].words:  # a bare date or time outside the header
            state.remove(i, "timestamp")
    protected = _introduced_lists(state)
    labels = [i for i in state.open() if i not in protected and _is_label(state.lines[i], state.config)]
    if not extracted:
        for i in labels:
            if i < first or i > last:
                state.remove(i, "navigation")
        # Above the headline, whatever is not a sentence is page furniture (widgets, menus);
        # above the copy of the page's own title, sentences too (tickers of other stories).
        title_index = min(state.fields, default=-1)
        for i in state.open():
            if i < title_index and not state.lines[i].is_sentence_like():
                state.remove(i, "navigation")
            elif state.headline_copy is not None and i < state.headline_copy:
                state.remove(i, "above-headline")
    runs: list[list[int]] = []
    for i in labels:
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    for run in runs:
        if len(run) >= state.config.link_list_min_lines:
            for i in run:
                state.remove(i, "navigation")


def _remove_unlikely_body(state: _Cleaning) -> None:
    """Stage 4a: the line model's verdict on the lines still open (see `linemodel`).

    A short text has no page around it to judge from, and lines the story itself structures
    (tables, numbered items) are left to the rules. A list a line introduces ("Tour dates:")
    goes only when the model is sure (`CLEAN_MODEL_LIST_CUT`): "Related coverage:" and "More
    from us:" introduce teaser lists too.
    """
    lines = state.lines
    # A text in which no rule found any page furniture is an article already cleaned; its own
    # byline and printed date are not furniture.
    furniture = any(reason and reason not in _HEADER_FIELDS for reason in state.reasons)
    if len(lines) < state.config.model_min_lines or not furniture:
        return
    model = linemodel.load_model()
    # As Python floats: a comparison of numpy scalars, once per line, costs ten times as much.
    probabilities = model.body_probabilities(lines, _model_view(state)).tolist()
    listed = _introduced_lists(state)
    # The lead itself is the model's to judge (it reads where the headline stands and knows
    # a dateline opens a lead); a short undated line between the headline and the lead (a
    # kicker, a subtitle) stays with the story: the model cannot tell it from a caption, and
    # dropping a line of the story costs more than keeping a caption. A dated one is a byline
    # or a "Posted on" line. Distance counts only lines still open.
    title_index = min(state.fields, default=-1)
    open_lines = state.open()
    lead = next((i for i in state.story_indices() if i > title_index), None)
    opening = [i for i in open_lines if title_index < i < (lead if lead is not None else -1)]
    protected = {
        i for i in opening if not (lines[i].date or lines[i].has_time)
    } if len(opening) <= state.config.lead_max_distance else set()
    for i in open_lines:
        line, p = lines[i], probabilities[i]
        state.body_probability[i] = p
        cut = state.config.model_list_cut if i in listed else model.threshold
        if p < cut and not (i in protected or line.is_table_row or line.is_numbered_item):
            state.remove(i, f"{_MODEL_REASON} p(body)={p:.2f}")


def _by_model(reason: str | None) -> bool:
    return reason is not None and reason.startswith(_MODEL_REASON)


def _fallback(state: _Cleaning) -> None:
    """Stage 5: if the scorer and the model left nothing, give back what only they took: the
    model's likeliest lines first (giving back all of a page's menus is worse than a doubtful
    story), the scorer's navigation lines only when the model took nothing."""
    if state.open():
        return
    by_model = [i for i, reason in enumerate(state.reasons) if _by_model(reason)]
    if by_model:
        best = max(state.body_probability[i] for i in by_model)
        for i in by_model:
            if state.body_probability[i] >= state.config.fallback_share * best:
                state.reasons[i] = None
        return
    for i, reason in enumerate(state.reasons):
        if reason == "navigation" and state.lines[i].n_words >= 2:
            state.reasons[i] = None


_BRACKETED_RE = re.compile(r"^[(\[]\s*(?P<name>[^()\[\]]+?)\s*[)\]]$")


def _publisher_mark(state: _Cleaning) -> str | None:
    """Stage 6a: the publisher's masthead above the headline (removed as "masthead"), else the
    last copyright footer."""
    kept = state.open()
    title_index = min(state.fields, default=None)
    end = title_index if title_index is not None else min(
        kept[0] if kept else len(state.lines), state.config.header_lines
    )
    # A masthead tops the page; lower down, a short capitalised line is a menu or a teaser.
    for i in range(min(end, state.config.masthead_lines)):
        reason = state.reasons[i]
        if not (reason in (None, "navigation") or _by_model(reason)) or i in state.fields:
            continue
        after = state.reasons[i + 1] if i + 1 < len(state.lines) else None
        name = outlets.masthead_name(
            state.lines[i].text, above_menu=after in ("navigation", "share-widget")
        )
        if name:
            state.reasons[i] = "masthead"
            return name
    for i in reversed(range(len(state.lines))):
        if state.reasons[i] == "notice":
            name = outlets.copyright_name(state.lines[i].text)
            if name:
                return name
    return None


def _trailer_agency(removed: list[Removed]) -> str | None:
    """Stage 6b: the agency an agency trailer names ("Source: X", "Avec X", a final "(AP)")."""
    for item in removed:
        if item.reason != "agency-trailer":
            continue
        bracketed = _BRACKETED_RE.match(item.text)
        name = (
            outlets.normalize_name(bracketed["name"])
            if bracketed
            else outlets.trailer_agency(item.text)
        )
        if name:
            return name
    return None


def _read_dateline(paragraph: str) -> tuple[str, str | None, str | None] | None:
    """"MOSCOW (Reuters) - Text" → (place, agency, date-part) when it opens with a dateline."""
    match = patterns.DATELINE_RE.match(paragraph)
    if not match:
        return None
    place, agency = match["place"].strip(" ,"), match["agency"] or match["tokenised_agency"]
    if not (place.isupper() or agency):
        return None
    if agency and len(agency.split()) > 4:
        return None
    return place, agency.strip() if agency else None, match["when"]


def _detect(
    text: str, language: str | None, extracted: bool, now: datetime | None,
    config: CleanerConfig,
) -> tuple[_Cleaning, str | None, frozenset[str]] | None:
    """Stages 1–2: measure the lines, then the line rules, section cuts and repeats."""
    text = text[: config.max_input_chars]
    units = split_units(text)
    if not units:
        return None
    sample = " ".join(unit for unit, _ in units)[: config.language_sample_chars]
    language = language or guess_text_language(sample)
    stops = stopwords(language) if language else frozenset()
    lines = [measure(unit, i, stops, now, gaps) for i, (unit, gaps) in enumerate(units)]
    state = _Cleaning(lines, dominant_script(sample[: config.script_sample_chars]), config)
    for line in lines:
        reason = _line_rule(line, state.doc_script, extracted, config)
        if reason:
            state.reasons[line.index] = reason
    _settle_foreign_lines(state)
    _cut_comment_tail(state, language)
    _cut_related(state)
    _mark_repeats(state)
    return state, language, stops


def _model_view(state: _Cleaning) -> list[str | None]:
    """What the line model reads of each line: the reason the rules and the header gave it,
    "title" for the headline."""
    return [_TITLE if i in state.fields and reason is None else reason
            for i, reason in enumerate(state.reasons)]


def line_verdicts(
    text: str, language: str | None = None, now: datetime | None = None,
    config: CleanerConfig | None = None,
) -> tuple[list[Line], list[str | None]]:
    """The measured lines of a text and what the detectors and the header reader said of each
    (None: nothing): the line model's inputs exactly as `clean_text` gives them to it, which
    `storyline.clean.train` labels.
    """
    prepared = _detect(text, language, False, now, config or CleanerConfig())
    if prepared is None:
        return [], []
    state = prepared[0]
    _read_header(state, None)
    return state.lines, _model_view(state)


def clean_text(
    text: str,
    language: str | None = None,
    *,
    title: str | None = None,
    extracted: bool = False,
    now: datetime | None = None,
    line_model: bool = True,
    config: CleanerConfig | None = None,
) -> CleanResult:
    """Clean flattened article text into paragraphs, fields and an audit of what was removed.

    `language` (ISO 639-1) picks the stop-word list, guessed from the text when None; `title`
    is a headline the container already knew (its copy in the text is dropped); `extracted`
    says an HTML extractor already cut the page furniture, so the head/tail scorer and the
    bare-link and foreign-script heuristics stay off. `now` bounds printed dates (default: today).
    `line_model=False` leaves the body/boilerplate line model out (the rules alone decide).
    `config`: the cleaner's tunables (default: those of `settings.py`).
    """
    prepared = _detect(text, language, extracted, now, config or CleanerConfig())
    if prepared is None:
        return CleanResult([], [], title=normalize_line(title) if title else None)
    state, language, stops = prepared
    lines = state.lines
    header = _read_header(state, title)
    if line_model and not extracted:
        _remove_unlikely_body(state)
    _score(state, extracted)
    _fallback(state)
    publisher = _publisher_mark(state)

    result = CleanResult(
        paragraphs=[],
        removed=[Removed(lines[i].text, r) for i, r in enumerate(state.reasons) if r],
        title=header.title or (normalize_line(title) if title else None),
        byline=header.byline,
        published=header.published,
        language=language,
    )
    kept = state.open()
    for position, i in enumerate(kept):
        paragraph = lines[i].text
        stamp = leading_update_stamp(paragraph)
        if stamp:
            # A live blog's "(Update 3:53 p.m. …)" dates the entry, it is not its sentence.
            result.removed.append(Removed(stamp.strip(), "update-stamp"))
            paragraph = paragraph[len(stamp):]
        if position == 0:
            # The dateline is read, not cut: it stays the lead's first words, as the page
            # prints them (a reader of the text sees where and from whom the copy came).
            dateline = _read_dateline(paragraph)
            if dateline:
                result.dateline, result.dateline_agency, when = dateline
                found = DATE_RE.search(when) if when else None
                if when and found and not result.published:
                    date_line = measure(when, 0, stops, now)
                    result.published = date_line.date.iso if date_line.date else None
        if position == len(kept) - 1:
            suffix = _AGENCY_SUFFIX_RE.search(paragraph)
            if suffix and suffix.start() > 0:
                result.removed.append(Removed(suffix.group(0).strip(), "agency-trailer"))
                paragraph = paragraph[: suffix.start()]
        result.paragraphs.append(paragraph)
    result.outlet = publisher or result.dateline_agency or _trailer_agency(result.removed)
    return result
