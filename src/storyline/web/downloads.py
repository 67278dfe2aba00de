"""Download links of the web UI: the files `storyline event|timeline|events --format F` print.

Each route takes the same query string as the page it is linked from, so a download holds
what the page shows (the event list: every matching event, not one page of them).
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import FastAPI, Query, Request, Response

from storyline import views
from storyline.export import (
    EVENT_FORMATS,
    EVENT_LIST_FORMATS,
    TIMELINE_FORMATS,
    Format,
    attachment,
)
from storyline.service.context import NotFound, ServerContext
from storyline.web.listing import EventListing, TimelineControls
from storyline.web.timelines import storyline_timeline as build_storyline_timeline

# An event list download is every matching event, up to this many.
MAX_EVENTS_DOWNLOADED = 50_000
TITLE_CHARS_IN_NAMES = 60


def _pattern(formats: dict[str, Format]) -> str:
    return "^(" + "|".join(formats) + ")$"


EventFormat = Annotated[str, Query(pattern=_pattern(EVENT_FORMATS))]
TimelineFormat = Annotated[str, Query(pattern=_pattern(TIMELINE_FORMATS))]
EventListFormat = Annotated[str, Query(pattern=_pattern(EVENT_LIST_FORMATS))]


def download_links(path: str, formats: dict[str, Format], query: dict[str, Any]) -> dict[str, str]:
    """Format name -> the link downloading the page at `path` (with its `query`) as that file."""
    return {name: f"/download{path}?{urlencode({**query, 'format': name})}" for name in formats}


def _file(formats: dict[str, Format], format: str, content: Any, *name: str) -> Response:
    chosen = formats[format]
    return Response(
        chosen.render(content), media_type=chosen.media_type,
        headers={"Content-Disposition": attachment(*name, extension=chosen.extension)},
    )


def _ctx(request: Request) -> ServerContext:
    return request.app.state.ctx


def install_downloads(app: FastAPI) -> None:
    @app.get("/download/events", include_in_schema=False)
    def event_list(request: Request, format: EventListFormat = "csv") -> Response:
        context = _ctx(request)
        listing = EventListing.from_query(request.query_params)
        events, _, _ = context.events(listing.where(), listing.sort, MAX_EVENTS_DOWNLOADED, 0,
                                      entity=listing.entity or None)
        rows = views.event_rows(events, context.store.independent_outlets(e.id for e in events))
        return _file(EVENT_LIST_FORMATS, format, rows, "storyline-events")

    @app.get("/download/events/{event_id}", include_in_schema=False)
    def event(request: Request, event_id: str, format: EventFormat = "md") -> Response:
        context = _ctx(request)
        found = context.event(event_id)
        return _file(EVENT_FORMATS, format, context.brief(found),
                     "event", found.title[:TITLE_CHARS_IN_NAMES], found.id)

    @app.get("/download/timeline", include_in_schema=False)
    def timeline(
        request: Request, q: Annotated[str, Query(min_length=1, max_length=500)],
        format: TimelineFormat = "csv",
    ) -> Response:
        controls = TimelineControls.from_query(request.query_params)
        # The page's own timeline (cached per store version), so the file is what it shows.
        result = _ctx(request).timeline(
            q.strip(), start=controls.date_from or None, end=controls.date_to or None,
            dates=controls.dates, sentences=controls.sentences,
        )
        return _file(TIMELINE_FORMATS, format, result, "timeline", q[:TITLE_CHARS_IN_NAMES])

    @app.get("/download/storylines/{storyline_id}/timeline", include_in_schema=False)
    def storyline_timeline(
        request: Request, storyline_id: str, format: TimelineFormat = "csv",
    ) -> Response:
        context = _ctx(request)
        storyline = context.store.get_storyline(storyline_id)
        if storyline is None:
            raise NotFound("storyline", storyline_id)
        controls = TimelineControls.from_query(request.query_params)
        result = build_storyline_timeline(context, storyline, controls)
        return _file(TIMELINE_FORMATS, format, result, "timeline",
                     storyline.title[:TITLE_CHARS_IN_NAMES])
