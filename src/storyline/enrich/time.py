"""Temporal expressions: find them with fast regexes, normalise them against the publication date.

Candidate spans come from per-language regexes built out of dateparser's own locale tables
(month and weekday names, "yesterday"/"la semana pasada"/"в прошлом году", the "ago" words), so
every language dateparser knows gets the same treatment. Calendar arithmetic that is unambiguous
(a day and month with or without a year, a weekday, "N units ago") is done here; dateparser only
parses the fixed relative phrases, with the language and `RELATIVE_BASE`, and its answers are
cached. dateparser is never run over whole sentences: that is slow and finds dates in "at 10".
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import Literal

from storyline import settings
from storyline.config import check_fields
from storyline.model import DateMention, Granularity, Sentence


@dataclass(frozen=True)
class DateConfig:
    """The dates step's tunables: temporal expressions (this module) and the inferred
    publication date (`storyline.enrich.pubdate`). Section `[enrich.dates]` of a pipeline
    configuration; settings.py says why each default (read once, here)."""

    # Characters of a text searched for expressions (untrusted input).
    max_text_chars: int = settings.TIME_MAX_TEXT_CHARS
    # A year-less date may lie this many days ahead of the reference; relative amounts beyond
    # max_relative_amount are not resolved; years outside min_year .. reference + max_future_years
    # are not plausible.
    future_window_days: int = settings.TIME_FUTURE_WINDOW_DAYS
    max_relative_amount: int = settings.TIME_MAX_RELATIVE_AMOUNT
    min_year: int = settings.TIME_MIN_YEAR
    max_future_years: int = settings.TIME_MAX_FUTURE_YEARS
    # Publication dates: where a page stamps its own date, the context read around it, and the
    # confidence of each kind of evidence (guesses below min_confidence stay unanswered).
    stamp_max_offset: int = settings.PUBDATE_STAMP_MAX_OFFSET
    stamp_context: int = settings.PUBDATE_STAMP_CONTEXT
    future_context: int = settings.PUBDATE_FUTURE_CONTEXT
    confidence_stamp: float = settings.PUBDATE_CONFIDENCE_STAMP
    confidence_comments_weekday: float = settings.PUBDATE_CONFIDENCE_COMMENTS_WEEKDAY
    confidence_weekday_after_date: float = settings.PUBDATE_CONFIDENCE_WEEKDAY_AFTER_DATE
    confidence_bound_only: float = settings.PUBDATE_CONFIDENCE_BOUND_ONLY
    min_confidence: float = settings.PUBDATE_MIN_CONFIDENCE
    confidence_event_weekday: float = settings.PUBDATE_CONFIDENCE_EVENT_WEEKDAY

    def __post_init__(self) -> None:
        check_fields(self, shares=tuple(f for f in self.__dataclass_fields__
                                        if f.startswith("confidence_") or f == "min_confidence"))

ExpressionKind = Literal["absolute", "weekday", "relative", "ago"]

_UNIT_KEYS = ("day", "week", "month", "year")
# English abbreviations ("Dec. 11", "Fri Aug 12 , 2011") are only trusted next to a day or a
# year, never alone after "in"; other languages' abbreviations ("mar", "sem") are common words.
_EN_ABBREVIATIONS = {
    f"{name}{dot}": number for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)
    if name for dot in ("", ".")
} | {"sept.": 9, "sept": 9}
# Word numerals for "two years ago" and friends; dateparser misses several of them.
_NUMBER_WORDS: dict[str, dict[str, int]] = {
    "en": {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
           "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12},
    "es": {"un": 1, "una": 1, "uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6,
           "siete": 7, "ocho": 8, "nueve": 9, "diez": 10},
    "fr": {"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6,
           "sept": 7, "huit": 8, "neuf": 9, "dix": 10},
    "de": {"ein": 1, "einem": 1, "einer": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5,
           "sechs": 6, "sieben": 7, "acht": 8, "neun": 9, "zehn": 10},
    "ru": {"один": 1, "одну": 1, "два": 2, "две": 2, "три": 3, "четыре": 4, "пять": 5,
           "шесть": 6, "семь": 7, "восемь": 8, "девять": 9, "десять": 10},
    "ar": {"واحد": 1, "اثنين": 2, "ثلاثة": 3, "ثلاث": 3, "أربعة": 4, "أربع": 4, "خمسة": 5,
           "خمس": 5, "ستة": 6, "سبعة": 7, "ثمانية": 8, "تسعة": 9, "عشرة": 10},
}
# Arabic duals carry their number: "منذ عامين" is "two years ago".
_ARABIC_DUALS = {"عامين": "year", "سنتين": "year", "شهرين": "month", "أسبوعين": "week",
                 "يومين": "day"}
_ARABIC_UNITS = {"عام": "year", "أعوام": "year", "سنوات": "year", "شهور": "month",
                 "أشهر": "month", "أسابيع": "week"}
# Words before a bare month or year that make it a date ("in May", "since 2011", "в 2011 году").
_PREPOSITIONS: dict[str, tuple[str, ...]] = {
    "en": ("in", "since", "by", "until", "till", "from", "of", "during", "before", "after",
           "early", "late", "mid", "last", "next", "this", "through", "throughout"),
    "es": ("en", "desde", "hasta", "de", "del", "durante", "antes de", "después de"),
    "fr": ("en", "depuis", "de", "dès", "jusqu'en", "avant", "après", "fin", "début", "mi"),
    "de": ("im", "in", "seit", "bis", "von", "ab", "vor", "nach", "Ende", "Anfang", "Mitte"),
    "ru": ("в", "во", "с", "со", "до", "после", "к", "начале", "конце", "середине"),
    "ar": ("في", "منذ", "حتى", "عام", "قبل", "بعد", "خلال", "شهر"),
}
_YEAR = r"(?:1[89]\d\d|20\d\d)"
# Characters before a bare month/year or an "ago" searched for its preposition or quantity.
_PRECEDING_WINDOW = 30
# A year-looking number glued to units or money is a quantity, not a year.
_NOT_A_QUANTITY = r"(?!\s*(?:%|percent|per cent|people|km|kg|tonnes|troops|\$))"


@dataclass(frozen=True)
class TemporalExpression:
    """A span found in the text, before resolution (parts may be missing, e.g. the year)."""

    text: str
    start: int
    kind: ExpressionKind
    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    # "ago": how many units back; "relative": the phrase dateparser resolves.
    amount: int = 0
    unit: str = ""
    direction: Literal["past", "next", "upcoming", "on_or_before"] = "on_or_before"


@dataclass(frozen=True)
class _Pattern:
    plain: re.Pattern[str]
    # Used on the original text when lower-casing would shift offsets ("İ" -> "i̇").
    ignore_case: re.Pattern[str]
    kind: str
    on_cased_text: bool
    # Must match at the end of the few characters before the match (a preposition, a quantity).
    preceded_by: re.Pattern[str] | None = None
    # Whether that preceding part belongs to the expression's span.
    extends_span: bool = False


@dataclass(frozen=True)
class _LanguageTables:
    months: dict[str, int]
    weekdays: dict[str, int]
    patterns: tuple[_Pattern, ...]
    relative_units: dict[str, str]
    number_words: dict[str, int]


def _russian_prepositional(months: dict[str, int]) -> dict[str, int]:
    """"в сентябре", "в мае": dateparser lists the nominative and genitive forms only."""
    nominatives = {name: number for name, number in months.items() if name[-1] in "ьйт"}
    return {(name[:-1] if name[-1] in "ьй" else name) + "е": number
            for name, number in nominatives.items()}


def _alternation(words: list[str]) -> str:
    # Some dateparser locales list empty names; an empty alternative would match everywhere.
    alternatives = sorted({w for w in words if w.strip()}, key=len, reverse=True)
    return "|".join(re.escape(w) for w in alternatives) or r"(?!x)x"


def _full_names(names: list[str]) -> list[str]:
    """Drop abbreviations of a longer name of the same month ("mär" of "märz", "juil" of
    "juillet") but keep short full forms next to their inflections ("март", "марта")."""
    lowered = [n.lower() for n in names]
    return [n for n in lowered if len(n) >= 3 and "." not in n
            and not any(other.startswith(n) and (len(n) <= 3 or len(other) - len(n) >= 3)
                        for other in lowered if other != n)]


@functools.lru_cache(maxsize=32)
def _tables(language: str) -> _LanguageTables:
    from dateparser.languages.loader import default_loader

    try:
        info = default_loader.get_locale(language).info
    except (KeyError, ValueError):
        info = default_loader.get_locale("en").info
        language = "en"
    months = {name: index + 1 for index, key in enumerate(
        ("january", "february", "march", "april", "may", "june", "july", "august",
         "september", "october", "november", "december")) for name in _full_names(info[key])}
    if language == "ru":
        months.update(_russian_prepositional(months))
    weekdays = {name.lower(): index for index, key in enumerate(
        ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))
        for name in info[key] if len(name) >= 5}
    relative_units = {word.lower(): unit for unit in _UNIT_KEYS for word in info.get(unit, [])
                      if len(word) >= 3}
    if language == "ar":
        relative_units.update(_ARABIC_UNITS)
    number_words = _NUMBER_WORDS.get(language, {})
    english = language == "en"
    month_words = list(months) + (list(_EN_ABBREVIATIONS) if english else [])
    months.update(_EN_ABBREVIATIONS if english else {})
    # English capitalises month and weekday names, which keeps "may" (the verb) and "march"
    # out: those patterns run on the text as written. Everything else runs on the lower-cased
    # text (cheaper than re.IGNORECASE, which defeats the regex engine's first-letter skip).
    cased = english

    def words(items: list[str] | dict[str, int]) -> str:
        return _alternation([w.capitalize() if cased else w for w in items])

    month = rf"(?P<month>{words(month_words)})"
    full_month = rf"(?P<month>{words(months if not english else list(months)[:12])})"
    prepositions = list(_PREPOSITIONS.get(language, _PREPOSITIONS["en"]))
    preposition = _alternation(prepositions + [p.capitalize() for p in prepositions] if cased
                               else [p.lower() for p in prepositions])
    day_first = (rf"(?P<day>\d\d?)(?:st|nd|rd|th|er|º|°|\.)?\s*(?:de\s+|of\s+the\s+|of\s+)?"
                 rf"{month}(?![\w])(?:\s*,?\s*(?:de\s+|del\s+)?(?P<year>{_YEAR})(?!\d))?")
    month_first = (rf"{month}\s+(?:the\s+)?(?P<day>\d\d?)(?:st|nd|rd|th)?(?![\d:%])"
                   rf"(?:\s*,?\s*(?P<year>{_YEAR})(?!\d))?")
    month_year = rf"{month}(?:\s+de|\s+of)?\s*,?\s+(?P<year>{_YEAR})(?!\d)"
    # A bare month or year counts only after a preposition ("in May", "since 2011"). The
    # preposition is checked on the few characters before each month or year found, because
    # scanning the whole text for "in"/"of" first is several times slower.
    after_preposition = (rf"(?<![\w])(?:{preposition})\s+(?:(?:early|late|mid)-?\s*)?$",
                         False)
    month_alone = rf"{full_month}(?![\w])"
    year_alone = rf"(?P<year>{_YEAR})(?![\d\w]){_NOT_A_QUANTITY}"
    ago_words = [w.lower() for w in info.get("ago", []) if len(w) >= 3]
    units = _alternation(list(relative_units))
    numbers = _alternation(list(number_words)) if number_words else r"(?!x)x"
    quantity = rf"(?P<amount>\d{{1,3}}|{numbers})\s+(?P<unit>{units})"
    # Postfix "ago" ("two years ago", "два года назад"): find the rare word, then read the
    # quantity just before it (the span grows back to it).
    postfix_ago = _ago_is_postfix(info)
    ago = (rf"(?:{_alternation(ago_words)})(?![\w])" if postfix_ago
           else rf"(?:{_alternation(ago_words)})\s+{quantity}(?![\w])")
    before_ago = (rf"(?<![\w]){quantity}\s+$", True) if postfix_ago else None
    phrases = [p.lower() for key, values in info.get("relative-type", {}).items()
               if _relative_unit(key) for p in values if len(p) >= 3 and p.count(" ") <= 3]
    patterns: list[tuple[str, str, bool, tuple[str, bool] | None]] = [
        (day_first, "absolute", cased, None),
        (month_first, "absolute", cased, None),
        (month_year, "absolute", cased, None),
        (month_alone, "absolute", cased, after_preposition),
        (year_alone, "absolute", cased, after_preposition),
        (rf"(?P<year>{_YEAR})-(?P<nmonth>\d\d)-(?P<day>\d\d)(?![\d\w])", "absolute", False, None),
        (rf"(?P<first>\d\d?)([./])(?P<second>\d\d?)\2(?P<year>{_YEAR})(?![\d\w])", "numeric",
         False, None),
        (rf"(?P<weekday>{words(weekdays)})(?![\w])", "weekday", cased, None),
        (ago, "ago", False, before_ago),
    ]
    if phrases:
        patterns.append((rf"(?:{_alternation(phrases)})(?![\w])", "relative", False, None))
    if language == "ar":
        patterns.append((rf"(?:منذ|قبل)\s+(?P<dual>{_alternation(list(_ARABIC_DUALS))})", "ago",
                         False, None))
    compiled = tuple(
        _Pattern(re.compile(source), re.compile(source, re.IGNORECASE), kind, on_cased,
                 re.compile(before[0]) if before else None, bool(before and before[1]))
        for source, kind, on_cased, before in patterns)
    months_lower = {name.lower(): number for name, number in months.items()}
    return _LanguageTables(months_lower, weekdays, compiled, relative_units, number_words)


def _ago_is_postfix(info: dict) -> bool:
    examples = info.get("relative-type-regex", {}).get("\\1 day ago", [])
    return bool(examples) and examples[0].startswith("(")


def _relative_unit(key: str) -> str | None:
    """'1 week ago' -> 'week'; 'last monday' and hour/minute phrases are not day-level dates."""
    for unit in _UNIT_KEYS:
        if re.fullmatch(rf"(?:in )?\d+ {unit}(?: ago)?", key):
            return unit
    return None


def find_expressions(text: str, language: str | None,
                     max_chars: int = DateConfig.max_text_chars) -> list[TemporalExpression]:
    """Every temporal expression in the first `max_chars` of `text`, unresolved, in text order,
    without overlaps."""
    return list(_find_expressions(text[:max_chars], language or "en"))


# The enrich stage reads the same article twice (its dates, then its publication date).
@functools.lru_cache(maxsize=64)
def _find_expressions(text: str, language: str) -> tuple[TemporalExpression, ...]:
    tables = _tables(language)
    found: list[TemporalExpression] = []
    lowered = text.lower()
    same_offsets = len(lowered) == len(text)
    for pattern in tables.patterns:
        searched = text if pattern.on_cased_text or not same_offsets else lowered
        regex = pattern.plain if pattern.on_cased_text or same_offsets else pattern.ignore_case
        kind = pattern.kind
        for match in regex.finditer(searched):
            groups = match.groupdict()
            start, end = match.span()
            if pattern.preceded_by is not None:
                window_start = max(0, start - _PRECEDING_WINDOW)
                before = pattern.preceded_by.search(searched, window_start, start)
                if before is None:
                    continue
                groups.update({k: v for k, v in before.groupdict().items() if v})
                if pattern.extends_span:
                    start = before.start()
            if not _left_boundary(text, start, "./" if kind == "numeric" else ""):
                continue
            expression = _expression(groups, kind, tables, language, text, start, end)
            if expression is not None:
                found.append(expression)
    # Longest span wins where matches overlap ("Thursday, November 14, 2013" is one date).
    found.sort(key=lambda e: (-len(e.text), e.start))
    taken: list[tuple[int, int]] = []
    kept: list[TemporalExpression] = []
    for expression in found:
        end = expression.start + len(expression.text)
        if any(expression.start < t_end and t_start < end for t_start, t_end in taken):
            continue
        taken.append((expression.start, end))
        kept.append(expression)
    return tuple(sorted(kept, key=lambda e: e.start))


def _left_boundary(text: str, start: int, also_forbidden: str) -> bool:
    """The match does not continue a word or number. Checked here rather than with a leading
    lookbehind in the patterns: that would stop `re` from skipping ahead by the first letter,
    which makes the scan several times slower."""
    if start == 0:
        return True
    previous = text[start - 1]
    return not (previous.isalnum() or previous == "_" or previous in also_forbidden)


def _required(groups: dict[str, str | None], name: str) -> str:
    """A group the matched pattern always fills (None here would be a pattern bug)."""
    value = groups[name]
    if value is None:
        raise ValueError(f"date pattern matched without its {name!r} group")
    return value


def _optional_int(groups: dict[str, str | None], name: str) -> int | None:
    value = groups.get(name)
    return int(value) if value else None


def _expression(groups: dict[str, str | None], kind: str, tables: _LanguageTables,
                language: str, source: str, start: int, end: int) -> TemporalExpression | None:
    text = source[start:end]
    if kind == "numeric":
        first, second = int(_required(groups, "first")), int(_required(groups, "second"))
        year = int(_required(groups, "year"))
        month_first = _date_order(language).startswith("M")
        month, day = (first, second) if month_first else (second, first)
        if month > 12 and day <= 12:
            month, day = day, month
        return _checked(TemporalExpression(text, start, "absolute", year, month, day))
    if kind == "absolute":
        month_name = groups.get("month")
        month_number = (tables.months.get(month_name.lower()) if month_name
                        else _optional_int(groups, "nmonth"))
        return _checked(TemporalExpression(text, start, "absolute", _optional_int(groups, "year"),
                                           month_number, _optional_int(groups, "day")))
    if kind == "weekday":
        return TemporalExpression(text, start, "weekday",
                                  weekday=tables.weekdays[_required(groups, "weekday").lower()],
                                  direction=_weekday_direction(source, start, start + len(text)))
    if kind == "ago":
        dual = groups.get("dual")
        if dual:
            return TemporalExpression(text, start, "ago", amount=2, unit=_ARABIC_DUALS[dual])
        raw_amount = _required(groups, "amount").lower()
        amount = int(raw_amount) if raw_amount.isdigit() else tables.number_words[raw_amount]
        return TemporalExpression(text, start, "ago", amount=amount,
                                  unit=tables.relative_units[_required(groups, "unit").lower()])
    return TemporalExpression(text, start, "relative")


# "next Thursday", "jeudi prochain", "am kommenden Donnerstag"; "last Thursday", "jeudi dernier".
_NEXT_BEFORE = re.compile(r"(?:next|coming|nächsten|kommenden|próximo|следующий)\s+$",
                          re.IGNORECASE)
_NEXT_AFTER = re.compile(r"^\s+(?:prochain|próximo|que viene)\b", re.IGNORECASE)
_LAST_BEFORE = re.compile(r"(?:last|letzten|vergangenen|прошлый|прошлую)\s+$", re.IGNORECASE)
_LAST_AFTER = re.compile(r"^\s+(?:dernier|pasado)\b", re.IGNORECASE)


# A future verb earlier in the same clause: "said it would send engineers on Wednesday",
# "the minister must meet Friday with", "el ministro viajará el viernes", "der Minister wird am Montag".
_FUTURE_CLAUSE = re.compile(
    r"\b(?:will|would|shall|must|is to|are to|plans? to|planned to|is due to|expected to|"
    r"scheduled to|set to|going to|va a|van a|será|serán|irá|va|vont|sera|seront|doit|doivent|"
    r"wird|werden|soll|sollen|будет|будут|должен|должна|سوف)\b|\w+(?:rá|rán)\b",
    re.IGNORECASE,
)
_CLAUSE_WINDOW = 60


def _weekday_direction(source: str, start: int, end: int) -> Literal[
        "past", "next", "upcoming", "on_or_before"]:
    before, after = source[max(0, start - 12): start], source[end: end + 12]
    if _NEXT_BEFORE.search(before) or _NEXT_AFTER.search(after):
        return "next"
    if _LAST_BEFORE.search(before) or _LAST_AFTER.search(after):
        return "past"
    clause = re.split(r"[.;:!?,]", source[max(0, start - _CLAUSE_WINDOW): start])[-1]
    if _FUTURE_CLAUSE.search(clause):
        return "upcoming"
    return "on_or_before"


def _checked(expression: TemporalExpression) -> TemporalExpression | None:
    """Drop impossible dates ("February 30", month 13) instead of guessing."""
    if expression.month is None and expression.year is None:
        return None
    if expression.month is not None and not 1 <= expression.month <= 12:
        return None
    if expression.day is not None and expression.day < 1:
        return None
    if expression.day is not None and expression.month is not None:
        longest = calendar.monthrange(expression.year or 2000, expression.month)[1]
        if expression.day > longest:
            return None
    return expression


@functools.lru_cache(maxsize=32)
def _date_order(language: str) -> str:
    from dateparser.languages.loader import default_loader

    try:
        return str(default_loader.get_locale(language).info.get("date_order", "DMY"))
    except (KeyError, ValueError):
        return "DMY"


def resolve(expression: TemporalExpression, reference: dt.date | None,
            language: str | None = None, config: DateConfig | None = None
            ) -> tuple[str, Granularity] | None:
    """(ISO value, granularity) of an expression read on `reference`, or None if unresolvable."""
    config = config or DateConfig()
    if expression.kind == "absolute":
        return _resolve_absolute(expression, reference, config.future_window_days)
    if reference is None:
        return None
    if expression.kind == "weekday":
        assert expression.weekday is not None
        return _weekday_date(reference, expression.weekday, expression.direction).isoformat(), \
            "day"
    if expression.kind == "ago":
        return _shift(reference, -expression.amount, expression.unit, config.max_relative_amount)
    shift = _phrase_shift(expression.text.lower(), language or "en")
    return _shift(reference, *shift, config.max_relative_amount) if shift else None


def _weekday_date(reference: dt.date, weekday: int, direction: str) -> dt.date:
    if direction == "next":
        return reference + dt.timedelta(days=(weekday - reference.weekday() - 1) % 7 + 1)
    if direction == "past":
        return reference - dt.timedelta(days=(reference.weekday() - weekday - 1) % 7 + 1)
    if direction == "upcoming":
        return reference + dt.timedelta(days=(weekday - reference.weekday()) % 7)
    return most_recent_weekday(reference, weekday)


def most_recent_weekday(reference: dt.date, weekday: int) -> dt.date:
    """The given weekday on or before `reference` (news reports what has happened)."""
    return reference - dt.timedelta(days=(reference.weekday() - weekday) % 7)


def infer_year(month: int, day: int | None, reference: dt.date,
               future_window_days: int = DateConfig.future_window_days) -> int:
    """Year of a month (and day) written without one: the nearest occurrence to `reference`,
    but a future one only within `future_window_days` (news mostly reports the past)."""
    past_year = reference.year if (month, day or 1) <= (reference.month, reference.day) \
        else reference.year - 1
    future_year = past_year + 1
    future = _safe_date(future_year, month, day or 1)
    if future is not None and (future - reference).days <= future_window_days:
        return future_year
    return past_year


def _resolve_absolute(expression: TemporalExpression, reference: dt.date | None,
                      future_window_days: int) -> tuple[str, Granularity] | None:
    year, month, day = expression.year, expression.month, expression.day
    if month is None:
        return (f"{year:04d}", "year") if year else None
    if year is None:
        if reference is None:
            return None
        year = infer_year(month, day, reference, future_window_days)
    if day is None:
        return f"{year:04d}-{month:02d}", "month"
    resolved = _safe_date(year, month, day)
    return (resolved.isoformat(), "day") if resolved else None


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _shift(reference: dt.date, amount: int, unit: str, max_amount: int
           ) -> tuple[str, Granularity] | None:
    if abs(amount) > max_amount:
        return None
    if unit in ("day", "week"):
        days = amount * (7 if unit == "week" else 1)
        return (reference + dt.timedelta(days=days)).isoformat(), "day"
    if unit == "month":
        index = reference.year * 12 + reference.month - 1 + amount
        return f"{index // 12:04d}-{index % 12 + 1:02d}", "month"
    return f"{reference.year + amount:04d}", "year"


@functools.lru_cache(maxsize=32)
def _phrase_shifts(language: str) -> dict[str, tuple[int, str]]:
    """Relative phrases of a language ("last week", "gestern") as (signed amount, unit), read off
    the keys of dateparser's own table ("1 week ago", "in 1 day"). Resolving them is calendar
    arithmetic on the publication date, so dateparser itself (25 ms a call, and no cache could
    help: every article has its own base date) never runs at ingest."""
    from dateparser.languages.loader import default_loader

    info = default_loader.get_locale(language).info
    shifts = {}
    for key, values in info.get("relative-type", {}).items():
        match = re.fullmatch(rf"(in )?(\d+) ({'|'.join(_UNIT_KEYS)})( ago)?", key)
        if match:
            amount = int(match.group(2)) * (1 if match.group(1) else -1)
            shifts.update({phrase.lower(): (amount, match.group(3)) for phrase in values})
    return shifts


def _phrase_shift(phrase: str, language: str) -> tuple[int, str] | None:
    try:
        return _phrase_shifts(language).get(phrase)
    except (KeyError, ValueError):
        return None


def extract_dates(text: str, sentences: list[Sentence], language: str | None,
                  reference: dt.date | None, config: DateConfig | None = None
                  ) -> list[DateMention]:
    """Every temporal expression of `text`, resolved against `reference` (publication date).

    Without a reference only absolute dates (with their year) resolve. Values are ISO
    ("YYYY-MM-DD", "YYYY-MM" or "YYYY") with their granularity and sentence index.
    """
    config = config or DateConfig()
    starts = [s.start for s in sentences]
    mentions: list[DateMention] = []
    for expression in find_expressions(text, language, config.max_text_chars):
        resolved = resolve(expression, reference, language, config)
        if resolved is None or not _plausible(resolved[0], reference, config):
            continue
        value, granularity = resolved
        sentence = max(0, bisect.bisect_right(starts, expression.start) - 1) if starts else 0
        mentions.append(DateMention(expression.text, value, granularity, sentence,
                                    expression.start))
    return mentions


def _plausible(value: str, reference: dt.date | None, config: DateConfig) -> bool:
    year = int(value[:4])
    latest = (reference or dt.date.today()).year + config.max_future_years
    return config.min_year <= year <= latest
