"""The summarize stage's component interfaces (built-ins and how to register others:
`storyline.registry`, docs/architecture.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from storyline.model import Article, Event

if TYPE_CHECKING:
    from storyline.store import Store
    from storyline.summarize.brief import Brief
    from storyline.summarize.timeline import Timeline, TimelineConfig
    from storyline.summarize.vectors import ClaimEncoding


class Summarizer(Protocol):
    """An event and its member articles → the event's brief. `timings` (when a dict) receives
    CPU seconds per step; `encoding` is the configuration's claim matching (`[claims]`), which
    a summarizer that matches no claims ignores."""

    def __call__(self, event: Event, articles: list[Article], timings: Any = None,
                 encoding: ClaimEncoding | None = None) -> Brief: ...


class TimelineBuilder(Protocol):
    """A query (entity or keywords) over the store → a dated, cited timeline."""

    def __call__(self, store: Store, query: str, start: str | None = None,
                 end: str | None = None, dates: int | None = None,
                 sentences: int | None = None, config: TimelineConfig | None = None
                 ) -> Timeline: ...


if TYPE_CHECKING:  # mypy checks here that the built-in components satisfy the Protocols
    from storyline.summarize.brief import BriefSummarizer, build_brief
    from storyline.summarize.timeline import build_timeline

    _SUMMARIZER: Summarizer = build_brief
    _COMPONENT: Summarizer = BriefSummarizer()
    _TIMELINE: TimelineBuilder = build_timeline
