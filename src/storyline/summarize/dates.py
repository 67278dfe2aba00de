"""Sentence dates for timelines: the product's extractor when present, else a fast fallback.

`resolve_dates` calls `storyline.enrich.time.extract_dates` (the enrich stage) when it exists.
The fallback here is a small multilingual tagger for the expressions timelines need most: full
dates, day + month (year inferred from the reference date), ISO dates, weekday names and
yesterday/today/tomorrow, resolved against the publication date. Month and weekday names come
from dateparser's locale data, so every language dateparser knows works the same way.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from storyline.model import DateMention, Sentence
from storyline.summarize.text import fold

# Languages whose names the fallback knows when the article's language is unknown.
_DEFAULT_LANGUAGES = ("en", "es", "fr", "it", "de", "pt")
_RELATIVE_DAYS = {"1 day ago": -1, "0 day ago": 0, "in 1 day": 1}
# Short weekday forms ('mo', 'lu', 'sat') collide with ordinary words; only longer ones count.
_MIN_WEEKDAY_CHARS = 5
_MONTH_KEYS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)
_WEEKDAY_KEYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

# (text, sentences, language, reference publication day) -> mentions; the enrich contract.
ExtractDates = Callable[[str, list[Sentence], str | None, date | None], list[DateMention]]


@dataclass(frozen=True)
class _Lexicon:
    months: dict[str, int]
    weekdays: dict[str, int]
    relative: dict[str, int]
    day_month: re.Pattern[str]
    month_day: re.Pattern[str]
    month_year: re.Pattern[str]
    iso: re.Pattern[str]
    named_day: re.Pattern[str]


def _alternation(names: Sequence[str]) -> str:
    return "|".join(re.escape(n) for n in sorted(set(names), key=lambda n: (-len(n), n)))


@lru_cache(maxsize=32)
def _lexicon(language: str | None) -> _Lexicon:  # noqa: C901 - one branch per dateparser table read
    from dateparser.languages import default_loader

    languages = (language,) if language else _DEFAULT_LANGUAGES
    months: dict[str, int] = {}
    weekdays: dict[str, int] = {}
    relative: dict[str, int] = {}
    for code in languages:
        try:
            info = default_loader.get_locale(code).info
        except (KeyError, ValueError, AttributeError):
            info = default_loader.get_locale("en").info
        for number, key in enumerate(_MONTH_KEYS, start=1):
            for name in info.get(key, []):
                if len(name) >= 3:
                    months[fold(name)] = number
        for number, key in enumerate(_WEEKDAY_KEYS):
            for name in info.get(key, []):
                if len(name) >= _MIN_WEEKDAY_CHARS:
                    weekdays[fold(name)] = number
        for key, offset in _RELATIVE_DAYS.items():
            for name in info.get("relative-type", {}).get(key, []):
                if " " not in name.strip() and len(name) >= 3:
                    relative[fold(name)] = offset
    month = rf"(?P<month>{_alternation(list(months))})\.?"
    day = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th|er|º|°)?\.?"
    year = r"(?P<year>(?:1[89]|20)\d\d)"
    joiner = r"(?:\s*,?\s*(?:de|del|di|of)?\s*)"
    return _Lexicon(
        months=months,
        weekdays=weekdays,
        relative=relative,
        day_month=re.compile(rf"(?<!\w){day}\s*(?:de\s+|of\s+)?{month}(?:{joiner}{year})?(?!\w)"),
        month_day=re.compile(rf"(?<!\w){month}\s+{day}(?!\d)(?:{joiner}{year})?(?!\w)"),
        month_year=re.compile(rf"(?<!\w){month}{joiner}{year}(?!\w)"),
        iso=re.compile(r"(?<!\d)(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)(?!\d)"),
        named_day=re.compile(
            rf"(?<!\w)(?P<name>{_alternation(list(weekdays) + list(relative))})(?!\w)"
        ),
    )


def _infer_year(month: int, day: int, reference: date) -> date | None:
    """The day/month closest to the reference date (news mostly looks back, ties go back)."""
    candidates = []
    for year in (reference.year - 1, reference.year, reference.year + 1):
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue
    if not candidates:
        return None
    return min(candidates, key=lambda d: (abs((d - reference).days), d > reference))


def _make_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _parse_reference(reference: date | str | None) -> date | None:
    if isinstance(reference, date) or reference is None:
        return reference
    try:
        return date.fromisoformat(reference[:10])
    except ValueError:
        return None


def fallback_extract_dates(
    text: str, sentences: list[Sentence], language: str | None, reference: date | str | None
) -> list[DateMention]:
    """Dates in each sentence; relative expressions need `reference` (publication day)."""
    lexicon = _lexicon(language)
    ref = _parse_reference(reference)
    mentions: list[DateMention] = []
    for index, sentence in enumerate(sentences):
        folded = fold(sentence.text)
        # fold() keeps length for the scripts we handle, except where NFKD expands characters;
        # then offsets fall back to the sentence start.
        same_length = len(folded) == len(sentence.text)
        for (begin, end), value, granularity in _sentence_dates(folded, lexicon, ref):
            surface = sentence.text[begin:end] if same_length else folded[begin:end]
            iso = value.isoformat()[:7] if granularity == "month" else value.isoformat()
            start = sentence.start + (begin if same_length else 0)
            mentions.append(DateMention(surface, iso, granularity, index, start))  # type: ignore[arg-type]
    mentions.sort(key=lambda m: (m.sentence, m.start))
    return mentions


def _sentence_dates(  # noqa: C901 - date patterns tried in order of explicitness
    folded: str, lexicon: _Lexicon, ref: date | None
) -> list[tuple[tuple[int, int], date, str]]:
    """(span, date, granularity) of one folded sentence; earlier, more explicit patterns win."""
    found: list[tuple[tuple[int, int], date, str]] = []

    def add(match: re.Match[str], value: date | None, granularity: str) -> None:
        span = match.span()
        if value and not any(span[0] < e and s < span[1] for (s, e), _, _ in found):
            found.append((span, value, granularity))

    for match in lexicon.iso.finditer(folded):
        add(match, _make_date(int(match["year"]), int(match["month"]), int(match["day"])), "day")
    for pattern in (lexicon.day_month, lexicon.month_day):
        for match in pattern.finditer(folded):
            month, day = lexicon.months[match["month"]], int(match["day"])
            if match["year"]:
                add(match, _make_date(int(match["year"]), month, day), "day")
            elif ref:
                add(match, _infer_year(month, day, ref), "day")
    for match in lexicon.month_year.finditer(folded):
        add(match, date(int(match["year"]), lexicon.months[match["month"]], 1), "month")
    if ref:
        for match in lexicon.named_day.finditer(folded):
            name = match["name"]
            # 'Wednesday, Jan. 26': the explicit date already says which day.
            if any(0 <= s - match.end() <= 3 for (s, _), _, _ in found):
                continue
            if name in lexicon.relative:
                add(match, ref + timedelta(days=lexicon.relative[name]), "day")
            else:
                # 'on Wednesday' in a report means the latest Wednesday up to publication.
                add(match, ref - timedelta(days=(ref.weekday() - lexicon.weekdays[name]) % 7), "day")
    return found


def product_date_extractor() -> ExtractDates:
    """The enrich stage's extractor."""
    from storyline.enrich.time import extract_dates

    return extract_dates


def resolve_dates(
    text: str, sentences: list[Sentence], language: str | None, published: str | None,
    extractor: ExtractDates | None = None,
) -> list[DateMention]:
    """Dates of an article's sentences with the given extractor (default: the enrich stage's)."""
    extract = extractor or product_date_extractor()
    return extract(text, sentences, language, _parse_reference((published or "")[:10] or None))
