"""Dates printed in article text: "November 14, 2013", "14.11.2013", "14 de noviembre de 2013"…

A small hand-written parser rather than dateparser: the cleaner runs on every line of thousands of
articles per second, and only needs full dates (day, month, year) in a few shapes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

# Printed dates before this year are not publication dates (a rule of date reading, like the
# patterns below; the enrich stage's own floor for dates in a text is [enrich.dates] min_year).
CLEAN_MIN_YEAR = 1900

_MONTH_NAMES: dict[int, tuple[str, ...]] = {
    1: ("january", "jan", "enero", "ene", "janvier", "janv", "januar", "jänner", "gennaio",
        "janeiro", "января", "январь", "янв"),
    2: ("february", "feb", "febrero", "février", "fevrier", "févr", "februar", "febbraio",
        "fevereiro", "fev", "февраля", "февраль", "фев"),
    3: ("march", "mar", "marzo", "mars", "märz", "marz", "março", "марта", "март"),
    4: ("april", "apr", "abril", "abr", "avril", "avr", "aprile", "апреля", "апрель", "апр"),
    5: ("may", "mayo", "mai", "maggio", "maio", "мая", "май"),
    6: ("june", "jun", "junio", "juin", "juni", "giugno", "junho", "июня", "июнь", "июн"),
    7: ("july", "jul", "julio", "juillet", "juil", "juli", "luglio", "julho", "июля", "июль",
        "июл"),
    8: ("august", "aug", "agosto", "ago", "août", "aout", "agosto", "августа", "август", "авг"),
    9: ("september", "sep", "sept", "septiembre", "setiembre", "septembre", "settembre",
        "setembro", "set", "сентября", "сентябрь", "сен"),
    10: ("october", "oct", "octubre", "octobre", "oktober", "okt", "ottobre", "outubro", "out",
         "октября", "октябрь", "окт"),
    11: ("november", "nov", "noviembre", "novembre", "novembro", "ноября", "ноябрь", "ноя"),
    12: ("december", "dec", "diciembre", "dic", "décembre", "decembre", "déc", "dezember", "dez",
         "dicembre", "dezembro", "декабря", "декабрь", "дек"),
}
MONTHS = {name: number for number, names in _MONTH_NAMES.items() for name in names}
_MONTH = "|".join(sorted(map(re.escape, MONTHS), key=len, reverse=True))

_ISO = r"(?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2})"
_NUMERIC = r"(?P<nd>\d{1,2})[./](?P<nm>\d{1,2})[./](?P<ny>\d{4})"
_MONTH_FIRST = rf"(?P<am>{_MONTH})\.?\s+(?P<ad>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<ay>\d{{4}})"
_DAY_FIRST = (
    rf"(?P<bd>\d{{1,2}})(?:st|nd|rd|th|er|º|\.)?\s+(?:de\s+|of\s+)?(?P<bm>{_MONTH})\.?,?\s+"
    rf"(?:de\s+|del\s+)?(?P<by>\d{{4}})"
)
DATE_RE = re.compile(
    rf"(?<![\w.]){_ISO}|(?<![\w.]){_NUMERIC}(?![\d])|\b{_MONTH_FIRST}\b|(?<!\w){_DAY_FIRST}\b",
    re.IGNORECASE,
)
_YEAR_RE = re.compile(r"\d{4}")
TIME_RE = re.compile(
    r"\b\d{1,2}[:h]\d{2}(?::\d{2})?\s*(?:[ap]\.?\s?m\.?|uhr|h|ч)?(?![\w])"
    r"|\b\d{1,2}\.\d{2}\s*(?:[ap]\.?\s?m\.?|uhr|h|ч)(?![\w])"  # "14.30 Uhr", not "12.99"
    r"|\b\d{1,2}\s*[ap]\.?m\.?(?!\w)",
    re.IGNORECASE,
)
# "6 years ago", "hace 2 horas", "il y a 3 jours", "vor 2 Stunden", "2 часа назад", "منذ ساعتين"
RELATIVE_TIME_RE = re.compile(
    r"\b\d{1,4}\s+\w{1,15}\s+ago\b|\bhace\s+\d{1,4}|\bil y a\s+\d{1,4}|\bvor\s+\d{1,4}\s+\w{1,15}"
    r"|(?<!\d)\d{1,4}\s+\w{1,15}\s+назад|منذ",
    re.IGNORECASE,
)
_DIGIT_RE = re.compile(r"\d")
# The stamp a comment opens with: a full date, then a clock time ("January 30th , 2011 12:47 pm
# ET …", "30 January 2011 at 12:47 …"); tokenised copy spaces its commas ("30th , 2011").
_LEADING_STAMP_RE = re.compile(
    rf"\W*(?:(?P<am>{_MONTH})\.?\s+(?P<ad>\d{{1,2}})(?:st|nd|rd|th)?"
    rf"|(?P<bd>\d{{1,2}})(?:st|nd|rd|th|er|º|\.)?\s+(?:de\s+|of\s+)?(?P<bm>{_MONTH})\.?)"
    r"\s*,?\s*(?:de\s+)?(?P<year>\d{4})\s*,?\s*(?:at|um|à|a\s+las|alle|às|в)?\s*"
    r"(?P<hour>\d{1,2})[:h.](?P<minute>\d{2})(?!\d)\s*(?:(?P<half>[ap])\.?\s?m\b\.?)?",
    re.IGNORECASE,
)


# A word each form of RELATIVE_TIME_RE prints, under the same flags: a line holding none (most
# lines with a figure) is spared the pattern, which tries every figure of the line.
_RELATIVE_WORD_RE = re.compile(r"ago|hace|il y a|vor|назад|منذ", re.IGNORECASE)


def date_and_time(text: str, now: datetime | None = None) -> tuple[DateMatch | None, bool]:
    """The first plausible date printed in `text` (`find_date`), and whether it prints a clock
    time or a relative time ("6 years ago"). All of them print a figure, except Arabic "منذ":
    one scan for a figure spares most lines the slow alternations."""
    if not _DIGIT_RE.search(text):
        return None, "منذ" in text
    timed = bool(TIME_RE.search(text) or (
        _RELATIVE_WORD_RE.search(text) and RELATIVE_TIME_RE.search(text)))
    return find_date(text, now), timed


# A comment's heading stamp that the flattening glued after the tail of the line above ("…
# <comment tail> <Month Dth , YYYY> <h:mm> am ET <next comment> …"): the date, the clock time and its
# zone, then the comment (prose puts "at" before a time).
_GLUED_STAMP_RE = re.compile(
    rf"\s(?=(?:{_MONTH})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\s*,?\s*\d{{4}}\s*,?\s*\d{{1,2}}:\d{{2}}"
    r"\s*(?:[ap]\.?\s?m\b\.?)?\s*(?-i:ET|EST|EDT|CT|PT|GMT|UTC|CET|BST)\s+\S)",
    re.IGNORECASE,
)


# Its clock time and zone, looked for first: few lines hold one.
_ZONED_TIME_RE = re.compile(
    r"\d:\d\d\s*(?i:[ap]\.?\s?m\b\.?)?\s*(?:ET|EST|EDT|CT|PT|GMT|UTC|CET|BST)\s+\S"
)
# …but a wire story's dateline prints its place, a pipe and the weekday before the date
# ("<CITY> | <Ddd Mon D , YYYY> <h:mm> pm EDT <CITY> (Reuters) - …").
_DATELINE_HEAD_RE = re.compile(
    r"\|[^|]{0,12}$|\b(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?\s*,?\s*$", re.IGNORECASE
)


def heading_stamp(text: str) -> tuple[int, int, int, int, int] | None:
    """When the comment heading `text` was posted: its leading stamp, or a stamp with a time
    zone glued after the line's start (None: neither)."""
    moment = leading_stamp(text)
    if moment or not _ZONED_TIME_RE.search(text) or not (glued := _GLUED_STAMP_RE.search(text)):
        return moment
    if _DATELINE_HEAD_RE.search(text[: glued.start()]):
        return None
    return leading_stamp(text[glued.end():])


def leading_stamp(text: str) -> tuple[int, int, int, int, int] | None:
    """(year, month, day, hour, minute) of a date and time that open `text`, or None."""
    match = _LEADING_STAMP_RE.match(text)
    if not match:
        return None
    month = MONTHS[(match["am"] or match["bm"]).lower()]
    hour = int(match["hour"]) % 12 if match["half"] else int(match["hour"])
    if (match["half"] or "").lower() == "p":
        hour += 12
    day = int(match["ad"] or match["bd"])
    return int(match["year"]), month, day, hour, int(match["minute"])


@dataclass(frozen=True, slots=True)
class DateMatch:
    iso: str
    start: int
    end: int


def _valid(year: int, month: int, day: int, now: datetime | None) -> str | None:
    try:
        value = date(year, month, day)
    except ValueError:
        return None
    latest = (now or datetime.now()).date()
    if value.year < CLEAN_MIN_YEAR or value > latest:
        return None
    return value.isoformat()


def find_date(text: str, now: datetime | None = None) -> DateMatch | None:
    """The first plausible full date printed in `text` (never after `now`, never before 1900)."""
    if not _YEAR_RE.search(text):  # cheap pre-check: every full date carries a 4-digit year
        return None
    for match in DATE_RE.finditer(text):
        groups = match.groupdict()
        if groups["iy"]:
            parts = (groups["iy"], groups["im"], groups["id"])
        elif groups["ny"]:
            day, month = int(groups["nd"]), int(groups["nm"])
            if month > 12 >= day:  # only "11/14/2013" is unambiguous month-first
                day, month = month, day
            parts = (groups["ny"], str(month), str(day))
        elif groups["ay"]:
            parts = (groups["ay"], str(MONTHS[groups["am"].lower()]), groups["ad"])
        else:
            parts = (groups["by"], str(MONTHS[groups["bm"].lower()]), groups["bd"])
        iso = _valid(int(parts[0]), int(parts[1]), int(parts[2]), now)
        if iso:
            return DateMatch(iso, match.start(), match.end())
    return None


def validate_iso(value: str | None, now: datetime | None = None) -> str | None:
    """A container's date string reduced to "YYYY-MM-DD" when plausible, else None."""
    if not value:
        return None
    match = re.match(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})", value)
    if match:
        return _valid(int(match[1]), int(match[2]), int(match[3]), now)
    found = find_date(value, now)
    return found.iso if found else None


# A live blog opens each entry with its stamp in brackets: "(Update <h:mm> p.m. <City>, <h:mm> a.m.
# ET)", "[Updated 10:15]", "-LRB- Posted <h:mm> a.m. -RRB-" (Penn Treebank brackets), with one
# bracket nested at most ("(Updated <h:mm> p.m. (<hhmm> in <Country>))"). The entry's sentence follows.
_OPEN = r"(?:-LRB-|-LSB-|[(\[])"
_CLOSE = r"(?:-RRB-|-RSB-|[)\]])"
_INSIDE = rf"(?:(?!{_OPEN}|{_CLOSE})[^\n])"
_UPDATE_STAMP_RE = re.compile(
    # A dash may lead the entry: "-- (Update <h:mm> a.m. <City>, <h:mm> p.m. ET) <sentence> …".
    rf"(?:(?:--?|–|—)\s+)?{_OPEN}\s*(?P<inside>{_INSIDE}{{1,80}}?)"
    # The nested bracket's outer close is sometimes missing: "(Updated <h:mm> a.m. ET (<hhmm> in <Country>)".
    rf"(?:{_OPEN}{_INSIDE}{{1,40}}{_CLOSE}\s*{_CLOSE}?|{_CLOSE})\s*(?:--?\s+|:\s+)?"
)
_UPDATE_WORD_RE = re.compile(
    r"^\W*(?:update[ds]?|posted|actualizad[oa]|actualización|mis\s+à\s+jour|mise\s+à\s+jour"
    r"|aktualisiert|aggiornat[oa]|atualizad[oa]|обновлено)\b",
    re.IGNORECASE,
)
_UPDATE_STAMP_MAX_WORDS = 14


def leading_update_stamp(text: str) -> str | None:
    """The bracketed update stamp a live-blog entry opens with, if `text` opens with one: it
    holds a clock time and either an update word or nothing but the time and places."""
    if not text.startswith(("(", "[", "-", "–", "—")):
        return None
    match = _UPDATE_STAMP_RE.match(text)
    if not match or match.end() >= len(text):
        return None
    inside = match["inside"]
    if len(inside.split()) > _UPDATE_STAMP_MAX_WORDS or not TIME_RE.search(inside):
        return None
    if not _UPDATE_WORD_RE.match(inside) and not TIME_RE.match(inside.lstrip("([ ")):
        return None
    return match.group(0)
