"""Publication date when none is printed in the metadata: inferred from what the text says.

Evidence, strongest first:
- a date stamped like a publication line: next to a clock time ("Aug 12 , 2011 3:55 pm"),
  a weekday ("Thursday , 24 June 2010"), "updated"/"published"/"posted", or a "|" dateline;
- reader-comment timestamps (blocks the cleaner removed): an upper bound, the first comment
  comes after the article;
- the latest fully specified date (a lower bound: news reports what already happened), raised by
  day-month mentions without a year (read nearest to that date: "on the night of May 10");
- weekday mentions ("on Thursday"): news names the weekday of events of the last few days, so
  they fall on or after the lower bound and the publication day is the latest of them.
A day is answered only when these pin it down; otherwise the value stays None and the reason
says what is known (e.g. the window), never a silent guess.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from dataclasses import dataclass

from storyline.enrich.time import (
    DateConfig,
    TemporalExpression,
    find_expressions,
    most_recent_weekday,
)
from storyline.model import Article

# Words around a date that make it the article's own stamp rather than an event in the story.
_STAMP_CUES = re.compile(
    r"updated|published|posted|publié|mis à jour|actualizado|publicado|aktualisiert|"
    r"veröffentlicht|обновлено|опубликовано|نشر|تحديث|\|",
    re.IGNORECASE,
)
# After the date: "<Month D , YYYY> | By <Name>", "<D Month YYYY> Last updated at <hh:mm>".
_STAMP_CUES_AFTER = re.compile(r"^\W{0,3}(?:\||last updated|updated|by\s+[A-Z])", re.IGNORECASE)
_CLOCK = re.compile(r"^\W{0,4}\d{1,2}[:.]\d\d\b|^\W{0,4}\d{1,2}\s*[ap]\.?m\b", re.IGNORECASE)
# Words that put a date in the future of the article ("talks will be held on December 12").
_FUTURE_CUES = re.compile(
    r"\b(?:will|would|shall|to be held|scheduled|planned|due|expected|next|upcoming|until|"
    r"deadline|from|starting|se celebrará|prochain|nächste|будет|سوف|سي)\b",
    re.IGNORECASE,
)


@dataclass
class PublicationGuess:
    value: str | None
    confidence: float
    reason: str
    # What is known even when no day is answered: the window the date lies in.
    earliest: str | None = None
    latest: str | None = None


# CPU seconds spent in infer_published over the life of the process (CPU, like the enrich
# step timings): the dates benchmark reports it apart from the "dates" step, which includes it.
SECONDS_SPENT = [0.0]


def infer_published(article: Article, config: DateConfig | None = None) -> PublicationGuess:
    """Infer an article's publication day from its title, text and removed comment blocks."""
    started = time.process_time()
    try:
        return _infer(article, config or DateConfig())
    finally:
        SECONDS_SPENT[0] += time.process_time() - started


def _infer(article: Article, config: DateConfig) -> PublicationGuess:
    body = f"{article.title}\n{article.text}"[: config.max_text_chars]
    expressions = find_expressions(body, article.language, config.max_text_chars)
    stamped = _stamped_date(body, expressions, config)
    if stamped is not None:
        return stamped
    upper = _comment_upper_bound(article, config.max_text_chars)
    context = config.future_context
    full_days = [(e, _day(e)) for e in expressions if e.day and e.month and e.year]
    past_days = [day for e, day in full_days if day and not _future_context(body, e, context)
                 and (upper is None or day <= upper)]
    lower = max(past_days) if past_days else None
    if lower is not None:
        # Day-months without a year belong to the months around the latest full date.
        for expression in expressions:
            if expression.day and expression.month and not expression.year \
                    and not _future_context(body, expression, context):
                day = _nearest_occurrence(expression.month, expression.day, lower)
                if day is not None and day > lower and (upper is None or day <= upper):
                    lower = day
    # "next Thursday" and "last Thursday" are not the days around publication.
    weekdays = sorted({e.weekday for e in expressions if e.kind == "weekday"
                       and e.weekday is not None and e.direction == "on_or_before"
                       and not _future_context(body, e, context)})
    guess = _decide(lower, upper, weekdays, config)
    if guess.value is not None and guess.confidence < config.min_confidence:
        guess.reason = f"not confident enough ({guess.confidence:.2f}): {guess.reason}"
        guess.value = None
    return guess


def _decide(lower: dt.date | None, upper: dt.date | None, weekdays: list[int],
            config: DateConfig) -> PublicationGuess:
    names = ", ".join(_WEEKDAY_NAMES[w] for w in weekdays)
    if upper is not None and weekdays:
        # The weekday events lie in the days before the first comment.
        latest = max(most_recent_weekday(upper, w) for w in weekdays)
        if lower is None or latest >= lower:
            return PublicationGuess(
                latest.isoformat(), config.confidence_comments_weekday,
                f"weekday ({names}) on or before the first reader comment ({upper})",
                earliest=(lower or latest).isoformat(), latest=upper.isoformat())
    if lower is not None and weekdays:
        latest = max(lower + dt.timedelta(days=(w - lower.weekday()) % 7) for w in weekdays)
        if upper is None or latest <= upper:
            return PublicationGuess(
                latest.isoformat(), config.confidence_weekday_after_date,
                f"latest weekday mentioned ({names}) on or after the latest date ({lower})",
                earliest=lower.isoformat(), latest=(upper or latest).isoformat())
    if lower is not None or upper is not None:
        window = f"{lower or '?'} .. {upper or '?'}"
        return PublicationGuess(
            None, config.confidence_bound_only,
            f"only bounded ({window}); no weekday pins the day",
            earliest=lower.isoformat() if lower else None,
            latest=upper.isoformat() if upper else None)
    return PublicationGuess(None, 0.0, "no anchor in the text (no full date, no comment stamp)")


_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _stamped_date(body: str, expressions: list[TemporalExpression], config: DateConfig
                  ) -> PublicationGuess | None:
    """A full date written the way pages stamp their own publication, near the top."""
    for expression in expressions:
        if expression.start > config.stamp_max_offset:
            break
        day = _day(expression)
        if day is None:
            continue
        end = expression.start + len(expression.text)
        before = body[max(0, expression.start - config.stamp_context): expression.start]
        after = body[end: end + config.stamp_context]
        cue = ("clock time" if _CLOCK.search(after) else
               "publication word" if _STAMP_CUES.search(before)
               or _STAMP_CUES_AFTER.search(after) else
               "weekday" if _weekday_before(before, expressions, expression.start) else None)
        if cue:
            return PublicationGuess(day.isoformat(), config.confidence_stamp,
                                    f"date stamped near the top ({cue}): {expression.text!r}",
                                    earliest=day.isoformat(), latest=day.isoformat())
    return None


def _weekday_before(before: str, expressions: list[TemporalExpression], start: int) -> bool:
    """"Thursday , 24 June 2010", "Fri Aug 12 , 2011": a weekday right before the date."""
    if re.search(r"\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\w*\.?\s*,?\s*$", before):
        return True
    return any(e.kind == "weekday" and 0 <= start - (e.start + len(e.text)) <= 3
               for e in expressions)


def _day(expression: TemporalExpression) -> dt.date | None:
    if not (expression.year and expression.month and expression.day):
        return None
    try:
        return dt.date(expression.year, expression.month, expression.day)
    except ValueError:
        return None


def _nearest_occurrence(month: int, day: int, anchor: dt.date) -> dt.date | None:
    candidates = []
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            candidates.append(dt.date(year, month, day))
        except ValueError:
            continue
    return min(candidates, key=lambda d: abs((d - anchor).days)) if candidates else None


def _future_context(body: str, expression: TemporalExpression, context: int) -> bool:
    before = body[max(0, expression.start - context): expression.start]
    return bool(_FUTURE_CUES.search(before.rsplit(".", 1)[-1]))


def _comment_upper_bound(article: Article, max_chars: int) -> dt.date | None:
    """The earliest timestamp of removed reader comments: the article existed before it."""
    stamps: list[dt.date] = []
    for removed in article.removed:
        if "comment" not in removed.reason.lower():
            continue
        text = removed.text[:max_chars]
        stamps.extend(day for e in find_expressions(text, article.language, max_chars)
                      if (day := _day(e)) is not None)
    return min(stamps) if stamps else None


def infer_event_published(articles: list[Article], config: DateConfig | None = None
                          ) -> PublicationGuess:
    """A publication day for articles of one event that print none, pooling their evidence.

    Each report alone may only bound its date: one names a past day ("on the night of May 10"),
    another only says "on Thursday". Together the event happened on the first such weekday
    after the latest day the reports name as past: a weekday written on its own, beside a date
    written as a date, names a different day than that date.
    """
    config = config or DateConfig()
    if not articles:
        return PublicationGuess(None, 0.0, "no articles")
    guesses = [infer_published(article, config) for article in articles]
    answered = sorted({g.value for g in guesses if g.value})
    if len(answered) == 1:
        return PublicationGuess(answered[0], min(g.confidence for g in guesses if g.value),
                                "the one day a member report pins down",
                                earliest=answered[0], latest=answered[0])
    lowers = [dt.date.fromisoformat(g.earliest) for g in guesses if g.earliest]
    uppers = [dt.date.fromisoformat(g.latest) for g in guesses if g.latest]
    lower, upper = (max(lowers) if lowers else None), (min(uppers) if uppers else None)
    weekdays = sorted({w for article in articles for w in _past_weekdays(article, config)})
    if lower is None or not weekdays:
        return PublicationGuess(None, 0.0, "member reports share no date and weekday to combine",
                                earliest=lower.isoformat() if lower else None,
                                latest=upper.isoformat() if upper else None)
    day = max(lower + dt.timedelta(days=(w - lower.weekday() - 1) % 7 + 1) for w in weekdays)
    if upper is not None and day > upper:
        return PublicationGuess(None, 0.0, f"no {_names(weekdays)} between {lower} and {upper}",
                                earliest=lower.isoformat(), latest=upper.isoformat())
    return PublicationGuess(
        day.isoformat(), config.confidence_event_weekday,
        f"event reports: {_names(weekdays)} after the latest past day named ({lower})",
        earliest=lower.isoformat(), latest=(upper or day).isoformat())


def _past_weekdays(article: Article, config: DateConfig) -> set[int]:
    body = f"{article.title}\n{article.text}"[: config.max_text_chars]
    return {e.weekday for e in find_expressions(body, article.language, config.max_text_chars)
            if e.kind == "weekday" and e.weekday is not None and e.direction == "on_or_before"
            and not _future_context(body, e, config.future_context)}


def _names(weekdays: list[int]) -> str:
    return ", ".join(_WEEKDAY_NAMES[w] for w in weekdays)
