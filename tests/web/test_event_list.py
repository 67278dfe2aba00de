"""The home page's event list in Chromium: every filter, the order, paging and honest counts,
checked against the store's events filtered here in plain Python."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest

from storyline.model import Event
from storyline.store import Store
from tests.web.conftest import screenshot
from tests.web.newsroom import BIG_EVENT_ID, NO_OUTLET_EVENT_ID

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def all_events(newsroom) -> list[Event]:
    with Store(newsroom["db"]) as store:
        return store.list_events()


def expected(events: list[Event], query: dict[str, str]) -> set[str]:
    """The events a query must list, decided without SQL."""
    minimum = int(query.get("min_sources", 2))
    chosen = set()
    for event in events:
        if len(event.members) < minimum:
            continue
        if "from" in query and not (event.date and event.date >= query["from"]):
            continue
        if "to" in query and not (event.date and event.date <= query["to"]):
            continue
        if "language" in query and query["language"] not in event.languages:
            continue
        if "outlet" in query and query["outlet"].lower() not in [o.lower() for o in event.outlets]:
            continue
        if "entity" in query and not any(query["entity"].lower() in (e, e.split(":")[1].replace("-", " "))
                                         for e in event.entities):
            continue
        if query.get("dated") == "dated" and not event.date:
            continue
        if query.get("dated") == "undated" and event.date:
            continue
        chosen.add(event.id)
    return chosen


def listed(page, url: str) -> list[str]:
    """Event ids on every page of a listing, following "Next" links."""
    page.goto(url)
    ids = []
    while True:
        ids += [re.sub("^/events/", "", h) for h in
                page.locator(".event-card h2 a").evaluate_all("els => els.map(e => e.getAttribute('href'))")]
        following = page.locator("a[rel=next]")
        if not following.count():
            return ids
        following.click()
        page.wait_for_load_state()


def counts(page) -> str:
    return " ".join(page.locator("#counts").inner_text().split())


def test_default_view_hides_single_reports_and_counts_honestly(page, newsroom, all_events) -> None:
    multi = [e for e in all_events if len(e.members) >= 2]
    single = len(all_events) - len(multi)
    page.goto(newsroom["url"] + "/")
    pages = -(-len(multi) // 20)
    assert counts(page).startswith(
        f"{len(multi)} events from {sum(len(e.members) for e in multi)} articles with at least 2 reports")
    assert counts(page).endswith(f"page 1 of {pages}")
    assert page.locator(".event-card").count() == 20
    assert f"{single} single-report events hidden" in page.locator("#single-toggle").inner_text()
    screenshot(page, "events-home")

    page.get_by_role("link", name="Show them").click()
    page.wait_for_url("**/?min_sources=1")
    everything = sum(len(e.members) for e in all_events)
    assert counts(page).startswith(f"{len(all_events)} events from {everything} articles")
    assert counts(page).endswith(f"page 1 of {-(-len(all_events) // 20)}")
    assert page.get_by_role("link", name="Hide single-report events").count() == 1


def test_paging_lists_every_event_exactly_once(page, newsroom, all_events) -> None:
    ids = listed(page, newsroom["url"] + "/?min_sources=1")
    assert len(ids) == len(all_events) == len(set(ids))
    assert set(ids) == {e.id for e in all_events}
    pages = -(-len(all_events) // 20)
    assert counts(page).endswith(f"page {pages} of {pages}")
    assert page.locator("a[rel=prev]").count() == 1


@pytest.mark.parametrize("query", [
    {"from": "2026-01-10", "to": "2026-01-20"},
    {"from": "2026-02-01", "min_sources": "1"},
    {"to": "2026-01-05"},
    {"language": "fr"},
    {"language": "de", "min_sources": "1"},
    {"outlet": "Le Phare"},
    {"outlet": "le phare", "min_sources": "1"},
    {"entity": "Tessaly"},
    {"entity": "place:tessaly", "min_sources": "1"},
    {"min_sources": "4"},
    {"dated": "undated", "min_sources": "1"},
    {"dated": "undated"},
    {"dated": "dated", "language": "en"},
])
def test_each_filter_lists_exactly_the_matching_events(page, newsroom, all_events, query) -> None:
    ids = listed(page, newsroom["url"] + "/?" + urlencode(query))
    wanted = expected(all_events, query)
    assert wanted, "a filter case that matches nothing proves little"
    assert sorted(ids) == sorted(wanted)
    page.goto(newsroom["url"] + "/?" + urlencode(query))
    assert counts(page).startswith(f"{len(wanted)} event")
    for name, value in query.items():
        field = page.locator(f".filters [name={name}]")
        assert field.input_value().lower() == value.lower(), name


def test_the_filter_form_writes_the_url(page, newsroom, all_events) -> None:
    page.goto(newsroom["url"] + "/")
    page.fill(".filters input[name=from]", "2026-01-05")
    page.fill(".filters input[name=to]", "2026-02-15")
    page.select_option(".filters select[name=language]", "de")
    page.fill(".filters input[name=min_sources]", "1")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url(re.compile(r".*language=de.*"))
    query = {"from": "2026-01-05", "to": "2026-02-15", "language": "de", "min_sources": "1"}
    for name, value in query.items():
        assert f"{name}={value}" in page.url
    assert sorted(listed(page, page.url)) == sorted(expected(all_events, query))


@pytest.mark.parametrize("order", ["size", "outlets"])
def test_orders_put_the_big_event_first(page, newsroom, order) -> None:
    page.goto(newsroom["url"] + f"/?sort={order}")
    assert page.locator(".event-card h2 a").first.get_attribute("href") == f"/events/{BIG_EVENT_ID}"


def test_newest_first_with_undated_last(page, newsroom, all_events) -> None:
    ids = listed(page, newsroom["url"] + "/?min_sources=1")
    dates = {e.id: e.date for e in all_events}
    shown = [dates[i] for i in ids]
    dated = [d for d in shown if d]
    assert dated == sorted(dated, reverse=True)
    assert shown[len(dated):] == [None] * (len(shown) - len(dated))


def test_unreadable_parameters_are_ignored_and_said(page, newsroom) -> None:
    response = page.goto(newsroom["url"] + "/?page=abc&from=yesterday&sort=nope&language=")
    assert response.status == 200
    notice = page.locator(".notice").inner_text()
    assert "page=abc" in notice and "from=yesterday" in notice and "sort=nope" in notice
    assert page.locator(".event-card").count() == 20


def test_phone_layout_does_not_scroll_sideways(browser, newsroom) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(newsroom["url"] + "/?min_sources=1&page=2")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "events-home-phone")
    context.close()


def test_most_independent_outlets_first(page, newsroom, all_events) -> None:
    """A copy counts for the report it copies: the two-report event whose second report copies
    the first has one independent outlet, and sits among the one-outlet events."""
    with Store(newsroom["db"]) as store:
        outlet = {a.id: a.outlet for a in store.iter_articles()}
    independent = {}
    for event in all_events:
        sources = {m.copy_of if m.role == "copy" and m.copy_of else m.article_id
                   for m in event.members}
        independent[event.id] = len({("outlet", outlet[s].lower()) if outlet.get(s) else s
                                     for s in sources})
    dates = {e.id: e.date for e in all_events}
    ids = listed(page, newsroom["url"] + "/?min_sources=1&sort=outlets")
    # Stable sorts, least significant key first: id, newest first, undated last, outlets.
    wanted = sorted(ids)
    wanted.sort(key=lambda i: dates[i] or "", reverse=True)
    wanted.sort(key=lambda i: dates[i] is None)
    wanted.sort(key=lambda i: -independent[i])
    assert ids == wanted
    assert independent[NO_OUTLET_EVENT_ID] == 1
    page.goto(newsroom["url"] + "/?min_sources=1&sort=outlets")
    assert page.locator("select[name=sort] option:checked").inner_text() == (
        "most independent outlets first")
