"""What a list page shows, read from its URL: filters, order and page, so a view can be bookmarked.

Browsers send empty form fields (`?from=&language=`) and people edit URLs by hand, so a value
that does not parse is dropped (the page says so) rather than answered with a JSON 422.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from storyline import settings
from storyline.store import EventFilter

EVENTS_PER_PAGE = 20
# Single-report events are most of a fresh store and read as noise; one click shows them.
DEFAULT_MIN_SOURCES = 2
EVENT_ORDERS = {"date": "newest first", "size": "most reports first",
                "outlets": "most independent outlets first"}
DATED_CHOICES = {"": "dated and undated", "dated": "dated only", "undated": "undated only"}
MAX_PAGE = 100_000
# The REST API's bounds for the same controls.
MAX_TIMELINE_DATES = 100
MAX_TIMELINE_SENTENCES = 20
# URL parameter of each EventListing field (`from` is a Python keyword).
EVENT_LIST_PARAMS = {"date_from": "from", "date_to": "to", "language": "language",
                     "outlet": "outlet", "entity": "entity", "min_sources": "min_sources",
                     "dated": "dated", "sort": "sort", "page": "page"}
TIMELINE_PARAMS = {"date_from": "from", "date_to": "to", "dates": "dates",
                   "sentences": "sentences"}


@dataclass(frozen=True)
class Paging:
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


@dataclass(frozen=True)
class EventListing:
    """The home page's event list, as its query string says."""

    date_from: str = ""
    date_to: str = ""
    language: str = ""
    outlet: str = ""
    entity: str = ""
    min_sources: int = DEFAULT_MIN_SOURCES
    dated: str = ""
    sort: str = "date"
    page: int = 1
    ignored: tuple[str, ...] = field(default=(), compare=False)

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> EventListing:
        values: dict[str, Any] = {}
        ignored: list[str] = []
        for name, param in EVENT_LIST_PARAMS.items():
            raw = (query.get(param) or "").strip()[:200]
            if not raw:
                continue
            value = _parse(name, raw)
            if value is None:
                ignored.append(f"{param}={raw}")
            else:
                values[name] = value
        return cls(**values, ignored=tuple(ignored))

    @property
    def filtered(self) -> bool:
        """Whether anything beyond the default view narrows the list."""
        return any(getattr(self, name) for name in
                   ("date_from", "date_to", "language", "outlet", "entity", "dated"))

    def where(self) -> EventFilter:
        return EventFilter(
            date_from=self.date_from or None, date_to=self.date_to or None,
            language=self.language or None, outlet=self.outlet or None,
            min_articles=self.min_sources,
            dated={"dated": True, "undated": False}.get(self.dated),
        )

    def url(self, **changes: Any) -> str:
        """This view's URL with `changes`; any change but the page goes back to page 1."""
        params = self.query(**{"page": 1, **changes})
        return "/" + ("?" + urlencode(params) if params else "")

    def query(self, **changes: Any) -> dict[str, Any]:
        """The URL parameters of this view with `changes` (those left at their default out)."""
        view = dataclasses.replace(self, **changes)
        default = EventListing()
        return {param: getattr(view, name) for name, param in EVENT_LIST_PARAMS.items()
                if getattr(view, name) != getattr(default, name)}


def _parse(name: str, raw: str) -> Any:
    """The field's value from its URL text, or None when it does not parse."""
    if name in ("date_from", "date_to"):
        return _parse_date(raw)
    if name in ("min_sources", "page"):
        if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE:
            return None
        return int(raw)
    if name == "sort":
        return raw if raw in EVENT_ORDERS else None
    if name == "dated":
        return raw if raw in DATED_CHOICES else None
    return raw


def page_number(raw: str | None) -> int:
    """A 1-based page number from the URL; anything else is page 1."""
    value = _parse("page", (raw or "").strip())
    return value if isinstance(value, int) else 1


@dataclass(frozen=True)
class TimelineControls:
    """A timeline's range and size, as its query string says (defaults: the library's)."""

    date_from: str = ""
    date_to: str = ""
    dates: int = settings.TIMELINE_DEFAULT_DATES
    sentences: int = settings.TIMELINE_DEFAULT_SENTENCES
    ignored: tuple[str, ...] = field(default=(), compare=False)

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> TimelineControls:
        values: dict[str, Any] = {}
        ignored: list[str] = []
        for name, param in TIMELINE_PARAMS.items():
            parse = _TIMELINE_PARSERS[name]
            raw = (query.get(param) or "").strip()[:200]
            if raw:
                value = parse(raw)
                if value is None:
                    ignored.append(f"{param}={raw}")
                else:
                    values[name] = value
        return cls(**values, ignored=tuple(ignored))

    def query(self) -> dict[str, Any]:
        """The URL parameters of these controls (those left at their default out)."""
        default = TimelineControls()
        return {param: getattr(self, name) for name, param in TIMELINE_PARAMS.items()
                if getattr(self, name) != getattr(default, name)}


def _parse_date(raw: str) -> str | None:
    try:
        return dt.date.fromisoformat(raw).isoformat()
    except ValueError:
        return None


def _bounded(highest: int) -> Callable[[str], int | None]:
    def parse(raw: str) -> int | None:
        return int(raw) if raw.isdigit() and 1 <= int(raw) <= highest else None

    return parse


_TIMELINE_PARSERS = {"date_from": _parse_date, "date_to": _parse_date,
                     "dates": _bounded(MAX_TIMELINE_DATES),
                     "sentences": _bounded(MAX_TIMELINE_SENTENCES)}
