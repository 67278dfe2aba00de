"""Dates for undated reports, from the event they belong to.

An article that prints no date of its own inherits its event's date (the day the dated member
reports point to); when no member is dated, the members' evidence is pooled
(`infer_event_published`). Either way the article's temporal expressions are then resolved again
against the new reference, so "on Thursday" and "December 11" get their days.
"""

from __future__ import annotations

import datetime as dt

from storyline.enrich.pubdate import infer_event_published
from storyline.enrich.time import DateConfig, extract_dates
from storyline.events.config import EventsConfig
from storyline.model import Article, Event

# Marks a date this module gave, so a rebuild can take it back and decide afresh.
EVENT_REASON_PREFIX = "from its event"


def is_event_dated(article: Article) -> bool:
    return (article.published_source == "inferred"
            and (article.published_reason or "").startswith(EVENT_REASON_PREFIX))


def forget_event_dates(articles: list[Article]) -> list[Article]:
    """Undo dates given by events (before reclustering); returns the articles changed.

    The temporal expressions go back to what enrichment resolved without a reference too: left
    resolved against the old event's day, they would carry the previous clustering into the
    next one (an undated report's latest mentioned day bounds which events it may join)."""
    changed = []
    for article in articles:
        if is_event_dated(article):
            article.published = article.published_source = article.published_reason = None
            article.published_confidence = None
            article.dates = extract_dates(article.text, article.sentences, article.language, None)
            changed.append(article)
    return changed


def date_events(events: list[Event], articles: dict[str, Article],
                inherit_confidence: float = EventsConfig.date_inherit_confidence,
                dates: DateConfig | None = None) -> list[Article]:
    """Give undated members their event's date (with `inherit_confidence` when the event's
    dated reports give it); returns the articles that changed. `dates`: the enrich stage's
    `[enrich.dates]`, with which the members' dates are inferred and resolved again."""
    changed: list[Article] = []
    for event in events:
        members = [articles[i] for i in event.article_ids if i in articles]
        undated = [a for a in members if not a.published or is_event_dated(a)]
        if not undated:
            continue
        if event.date and len(undated) < len(members):
            day, confidence = event.date, inherit_confidence
            reason = f"{EVENT_REASON_PREFIX} {event.id}: the date its dated reports give"
        else:
            guess = infer_event_published(undated, dates)
            if not guess.value:
                continue
            day, confidence = guess.value, guess.confidence
            reason = f"{EVENT_REASON_PREFIX} {event.id}: {guess.reason}"
            event.date = day
        for article in undated:
            if article.published == day and article.published_reason == reason:
                continue
            article.published, article.published_source = day, "inferred"
            article.published_confidence, article.published_reason = confidence, reason
            article.dates = extract_dates(article.text, article.sentences, article.language,
                                          dt.date.fromisoformat(day), dates)
            changed.append(article)
    return changed
