"""Server-rendered web UI. Jinja2 autoescapes every value: article text never becomes markup."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import quote as url_quote

from fastapi import FastAPI, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from storyline import views
from storyline.export import EVENT_FORMATS, EVENT_LIST_FORMATS, TIMELINE_FORMATS
from storyline.service.context import NotFound, ServerContext
from storyline.summarize.matrix import claim_matrix, ranked_claims
from storyline.web.chart import timeline_chart
from storyline.web.downloads import download_links, install_downloads
from storyline.web.listing import (
    DATED_CHOICES,
    EVENT_ORDERS,
    EVENTS_PER_PAGE,
    EventListing,
    Paging,
    TimelineControls,
    page_number,
)
from storyline.web.timelines import entity_names, storyline_timeline

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=str(HERE / "templates"))

BROWSE_PER_PAGE = 50
SEARCH_PER_PAGE = 20
ARTICLE_ENTITIES = 16
# Semantic neighbours looked at per search (those under the relevance floor are dropped).
SEMANTIC_SHOWN = 10
# Snippet markers around matched words: private-use characters, replaced by <mark> after escaping.
HIGHLIGHT = ("\ue000", "\ue001")
# How many of each list an event page shows before "show all": the page stays a few screens
# tall however many reports an event has.
SHOWN_ON_EVENT_PAGE = {
    "corroborated": 10, "single_source": 5, "speakers": 4, "passages": 3, "conflicts": 3,
    "sources": 10,
}


def _ctx(request: Request) -> ServerContext:
    return request.app.state.ctx


def render(request: Request, template: str, status: int = 200, **values: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, template, values, status_code=status)


def render_error_page(request: Request, status: int, title: str, message: str) -> HTMLResponse:
    return render(request, "error.html", status=status, title=title, message=message)


def install_pages(app: FastAPI) -> None:  # noqa: C901 - counts each page route it registers
    install_downloads(app)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    @app.get("/events", response_class=HTMLResponse, include_in_schema=False)
    def home(request: Request) -> HTMLResponse:
        context = _ctx(request)
        listing = EventListing.from_query(request.query_params)
        where, entity = listing.where(), listing.entity or None
        paging = Paging(listing.page, EVENTS_PER_PAGE, 0)
        events, total, articles = context.events(
            where, listing.sort, paging.per_page, paging.offset, entity=entity)
        single = 0
        if listing.min_sources > 1:
            _, with_single, _ = context.events(replace(where, min_articles=1), limit=0,
                                               entity=entity)
            single = with_single - total
        names = entity_names(
            context, [e for ev in events for e in [*ev.entities[:8], ev.place] if e]
        )
        return render(
            request, "home.html", title="Events",
            downloads=download_links("/events", EVENT_LIST_FORMATS, listing.query(page=1)),
            independent=context.store.independent_outlets(e.id for e in events),
            events=events, names=names, listing=listing,
            paging=replace(paging, total=total), articles=articles, hidden_single=single,
            store_articles=context.store.count_articles(), orders=EVENT_ORDERS,
            dated_choices=DATED_CHOICES,
            languages=[v for v, _ in context.store.article_facets("language") if v],
            outlets=[v for v, _ in context.store.article_facets("outlet") if v],
        )

    @app.get("/events/{event_id}", response_class=HTMLResponse, include_in_schema=False)
    def event_page(request: Request, event_id: str) -> HTMLResponse:
        context = _ctx(request)
        event = context.event(event_id)
        articles = context.store.get_articles(event.article_ids, raw=False)
        members = {m.article_id: m for m in event.members}
        sources = sorted(
            articles, key=lambda a: (a.published or "9999", members[a.id].role != "origin", a.id)
        )
        brief = context.brief(event)
        reading = request.query_params.get("lang", "")
        if reading not in event.languages:
            reading = ""
        corroborated = ranked_claims(
            [in_language(c, reading) for c in brief.get("corroborated", [])])
        return render(
            request, "event.html", title=event.title, event=event, brief=brief,
            sources=sources, members=members, shown=SHOWN_ON_EVENT_PAGE,
            corroborated=corroborated, matrix=claim_matrix(brief, corroborated),
            single_source=[in_language(c, reading) for c in brief.get("single_source", [])],
            reading=reading,
            speakers=quotes_by_speaker(brief.get("quotes", [])),
            outlets_by_article={a.id: a.outlet for a in articles},
            names=entity_names(context, [*event.entities, *([event.place] if event.place else [])]),
            storylines=context.store.storylines_of_event(event.id),
            downloads=download_links(f"/events/{url_quote(event.id, safe='')}", EVENT_FORMATS, {}),
        )

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(request: Request, article_id: str) -> HTMLResponse:
        store = _ctx(request).store
        article = store.get_article(article_id)
        if article is None:
            raise NotFound("article", article_id)
        found = store.events_of_articles([article.id]).get(article.id)
        event = store.get_event(found[0]) if found else None
        members = {m.article_id: m for m in event.members} if event else {}
        copy_of = members[article.id].copy_of if article.id in members else None
        copies = [a for a, m in members.items() if m.copy_of == article.id]
        related = {a.id: a for a in store.get_articles([*copies, *([copy_of] if copy_of else [])])}
        return render(
            request, "article.html", title=article.title, article=article, event=event,
            storylines=store.storylines_of_event(event.id) if event else [],
            original=related.get(copy_of or ""), copies=[related[a] for a in copies if a in related],
            entities=list({e.id: e for e in article.entities}.values())[:ARTICLE_ENTITIES],
        )

    @app.get("/storylines", response_class=HTMLResponse, include_in_schema=False)
    def storylines_page(request: Request) -> HTMLResponse:
        context = _ctx(request)
        paging = Paging(page_number(request.query_params.get("page")), BROWSE_PER_PAGE, 0)
        storylines, total = context.store.page_storylines(paging.per_page, paging.offset)
        dates = {e.id: e.date for e in context.store.get_events(
            i for s in storylines for i in s.events) if e.date}
        spans = {s.id: sorted(dates[i][:10] for i in s.events if i in dates) for s in storylines}
        return render(
            request, "storylines.html", title="Storylines", storylines=storylines, spans=spans,
            names=entity_names(context, [e for s in storylines for e in s.entities[:6]]),
            paging=replace(paging, total=total),
        )

    @app.get("/entities", response_class=HTMLResponse, include_in_schema=False)
    def entities_page(request: Request) -> HTMLResponse:
        store = _ctx(request).store
        query = {key: (request.query_params.get(key) or "").strip()[:200]
                 for key in ("type", "language", "q")}
        chosen = {"type": query["type"] or None, "language": query["language"] or None,
                  "name": query["q"] or None}
        paging = Paging(page_number(request.query_params.get("page")), BROWSE_PER_PAGE,
                        store.count_entities(**chosen))
        return render(
            request, "entities.html", title="Entities", paging=paging, query=query,
            entities=store.list_entities(paging.per_page, paging.offset, **chosen),
            types=store.entity_types(),
            languages=[v for v, _ in store.article_facets("language") if v],
        )

    @app.get("/outlets", response_class=HTMLResponse, include_in_schema=False)
    def outlets_page(request: Request) -> HTMLResponse:
        store = _ctx(request).store
        paging = Paging(page_number(request.query_params.get("page")), BROWSE_PER_PAGE, 0)
        outlets, total = store.list_outlets(paging.per_page, paging.offset)
        return render(request, "outlets.html", title="Outlets", outlets=outlets,
                      paging=replace(paging, total=total))

    @app.get("/storylines/{storyline_id}", response_class=HTMLResponse, include_in_schema=False)
    def storyline_page(request: Request, storyline_id: str) -> HTMLResponse:
        context = _ctx(request)
        storyline = context.store.get_storyline(storyline_id)
        if storyline is None:
            raise NotFound("storyline", storyline_id)
        events = [e for e in (context.store.get_event(i) for i in storyline.events) if e]
        return render(request, "storyline.html", title=storyline.title, storyline=storyline,
                      events=events, names=entity_names(context, storyline.entities))

    @app.get("/entities/{entity_id}", response_class=HTMLResponse, include_in_schema=False)
    def entity_page(request: Request, entity_id: str) -> HTMLResponse:
        entity = _ctx(request).entity(entity_id)
        return render(request, "entity.html", title=entity["name"], entity=entity)

    @app.get("/timeline", response_class=HTMLResponse, include_in_schema=False)
    def timeline_page(
        request: Request, q: str = Query("", max_length=500),
    ) -> HTMLResponse:
        controls = TimelineControls.from_query(request.query_params)
        entries: list[dict[str, Any]] = []
        if q.strip():
            entries = _ctx(request).timeline(
                q.strip(), start=controls.date_from or None, end=controls.date_to or None,
                dates=controls.dates, sentences=controls.sentences,
            )["entries"]
        return render(request, "timeline.html", title=f"Timeline: {q}" if q else "Timeline",
                      timeline_query=q, entries=entries, chart=timeline_chart(entries),
                      controls=controls, action="/timeline",
                      downloads=download_links("/timeline", TIMELINE_FORMATS,
                                           {"q": q.strip(), **controls.query()})
                      if q.strip() else {})

    @app.get("/storylines/{storyline_id}/timeline", response_class=HTMLResponse,
             include_in_schema=False)
    def storyline_timeline_page(request: Request, storyline_id: str) -> HTMLResponse:
        context = _ctx(request)
        storyline = context.store.get_storyline(storyline_id)
        if storyline is None:
            raise NotFound("storyline", storyline_id)
        controls = TimelineControls.from_query(request.query_params)
        path = f"/storylines/{url_quote(storyline.id, safe='')}/timeline"
        entries = storyline_timeline(context, storyline, controls)["entries"]
        return render(request, "timeline.html", title=f"Timeline: {storyline.title}",
                      heading=f"Timeline of the storyline “{storyline.title}”",
                      timeline_query=storyline.title, entries=entries,
                      chart=timeline_chart(entries), controls=controls, action=path,
                      downloads=download_links(path, TIMELINE_FORMATS, controls.query()))

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(request: Request, q: str = Query("", max_length=500)) -> HTMLResponse:
        context, query = _ctx(request), q.strip()
        paging = Paging(page_number(request.query_params.get("page")), SEARCH_PER_PAGE, 0)
        hits: list[dict[str, Any]] = []
        related: list[dict[str, Any]] = []
        if query:
            matched = context.store.search_ids(query)
            paging = replace(paging, total=len(matched))
            hits = [{**views.article_summary(row), "snippet": highlight(row["snippet"]),
                     "score": round(-row["rank"], 2), "match": "full text"}
                    for row in context.store.search(query, paging.per_page, paging.offset,
                                                    marks=HIGHLIGHT)]
            if paging.page == 1:
                related = _related_by_meaning(context, query, set(matched))
        return render(request, "search.html", title=f"Search: {q}" if q else "Search",
                      query=q, paging=paging, groups=_by_event(context, hits),
                      related=_by_event(context, related),
                      floor=context.config.semantic_floor)


def _related_by_meaning(
    context: ServerContext, query: str, already: set[str]
) -> list[dict[str, Any]]:
    """Semantic hits above the relevance floor that the full-text search did not find."""
    scores = {a: score for a, score in context.semantic(query, SEMANTIC_SHOWN) if a not in already}
    return [{**views.article_summary(row), "snippet": None, "score": round(scores[row["id"]], 2),
             "match": "semantic"} for row in context.store.article_rows(scores)]


def _by_event(context: ServerContext, hits: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Hits grouped by their event, groups in the order of their best hit; articles in no
    event form groups of their own."""
    events = context.store.events_of_articles(h["id"] for h in hits)
    groups: dict[str, dict[str, Any]] = {}
    for hit in hits:
        event = events.get(hit["id"])
        key = event[0] if event else "article:" + hit["id"]
        group = groups.setdefault(key, {"event": event, "hits": []})
        group["hits"].append(hit)
    return list(groups.values())


def highlight(snippet: str | None) -> Markup:
    """The snippet escaped, with the words the search matched inside <mark>. The markers are
    private-use characters: article text can hold any, so they are paired here, never trusted."""
    pieces, inside = [], False
    for part in re.split(f"([{''.join(HIGHLIGHT)}])", snippet or ""):
        if part in HIGHLIGHT:
            opening = part == HIGHLIGHT[0]
            if opening != inside:
                pieces.append("<mark>" if opening else "</mark>")
                inside = opening
        else:
            pieces.append(str(escape(part)))
    if inside:
        pieces.append("</mark>")
    return Markup("".join(pieces))


def in_language(claim: dict[str, Any], language: str) -> dict[str, Any]:
    """The claim shown by its version in the reader's `language` when it has one (the brief's
    choice otherwise); the version it replaces joins the other versions."""
    if not language or claim.get("language") == language:
        return claim
    versions = claim.get("versions") or []
    chosen = next((v for v in versions if v.get("language") == language), None)
    if chosen is None:
        return claim
    shown = {key: claim[key] for key in ("text", "article", "outlet", "language") if key in claim}
    return {**claim, **chosen, "versions": [shown, *(v for v in versions if v is not chosen)]}


def quotes_by_speaker(quotes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Quotes grouped by who said them: the most quoted speaker first, unattributed ones last."""
    groups: dict[str, dict[str, Any]] = {}
    for quote in quotes:
        speaker = quote.get("speaker") or ""
        key = quote.get("speaker_id") or speaker.casefold()
        group = groups.setdefault(key, {"speaker": speaker, "quotes": []})
        group["quotes"].append(quote)
    return sorted(groups.values(), key=lambda g: (not g["speaker"], -len(g["quotes"])))


def distinct_names(entity_ids: list[str], names: dict[str, str], limit: int = 12) -> list[str]:
    """Entity ids whose display names differ: one entity typed two ways shows one chip."""
    seen: set[str] = set()
    chosen = []
    for entity_id in entity_ids:
        name = names.get(entity_id, entity_id).casefold()
        if name not in seen:
            seen.add(name)
            chosen.append(entity_id)
    return chosen[:limit]


def page_url(request: Request, page: int) -> str:
    """This page's path and query with another page number."""
    url = request.url.include_query_params(page=page)
    return f"{url.path}?{url.query}"


def few(names: list[str], limit: int = 3) -> str:
    """'A, B, C and 13 more': a claim carried by many outlets stays one line."""
    if len(names) <= limit + 1:
        return ", ".join(names)
    return f"{', '.join(names[:limit])} and {len(names) - limit} more"


def short_path(path: str, keep: int = 48) -> str:
    """A long source path or URL cut in the middle: its start and its file name stay."""
    if len(path) <= keep:
        return path
    head = keep // 3
    return f"{path[:head]}…{path[-(keep - head - 1):]}"


templates.env.filters["distinct_names"] = distinct_names
templates.env.filters["short_path"] = short_path
templates.env.filters["few"] = few
templates.env.globals["page_url"] = page_url


