"""The JSON shapes shared by the CLI (`--json`), the REST API and the web UI.

One function per shape, so `storyline events --json` and `GET /api/events` can never drift apart.
"""

from __future__ import annotations

from typing import Any

from storyline.model import Article, Event, Storyline

ARTICLE_SUMMARY_KEYS = ("id", "title", "outlet", "published", "language", "source", "url")


def article_summary(article: Article | dict[str, Any]) -> dict[str, Any]:
    data = article.to_dict() if isinstance(article, Article) else article
    return {key: data.get(key) for key in ARTICLE_SUMMARY_KEYS}


def article_detail(article: Article, include_raw: bool = False) -> dict[str, Any]:
    data = article.to_dict()
    if not include_raw:
        data.pop("raw", None)
    return data


def event_summary(event: Event) -> dict[str, Any]:
    return {
        "id": event.id,
        "title": event.title,
        "date": event.date,
        "place": event.place,
        "entities": event.entities,
        "articles": event.article_ids,
        "outlets": event.outlets,
        "languages": event.languages,
    }


def event_rows(events: list[Event], independent_outlets: dict[str, int]) -> list[dict[str, Any]]:
    """Event summaries with how many independent outlets report each: an event list download."""
    return [{**event_summary(e), "independent_outlets": independent_outlets.get(e.id, 0)}
            for e in events]


def storyline_summary(storyline: Storyline) -> dict[str, Any]:
    return {
        "id": storyline.id,
        "title": storyline.title,
        "events": storyline.events,
        "entities": storyline.entities,
        "score": storyline.score,
    }
