"""/storylines, /entities and /outlets in Chromium: HTML pages with counts, filters and paging."""

from __future__ import annotations

from urllib.parse import unquote

import httpx
import pytest

from storyline.store import Store
from tests.web.conftest import screenshot
from tests.web.newsroom import OUTLETS, STORYLINES

pytestmark = pytest.mark.browser


def walk(page, url: str, selector: str) -> list[str]:
    """Link targets matched by `selector` on every page, following "Next"."""
    page.goto(url)
    found = []
    while True:
        found += page.locator(selector).evaluate_all(
            "els => els.map(e => e.getAttribute('href'))")
        following = page.locator("a[rel=next]")
        if not following.count():
            return found
        following.click()
        page.wait_for_load_state()


def test_storylines_page_lists_every_storyline_with_counts(page, newsroom) -> None:
    response = page.goto(newsroom["url"] + "/storylines")
    assert response.status == 200 and response.headers["content-type"].startswith("text/html")
    assert page.locator("#counts").inner_text().startswith(f"{STORYLINES} storylines")
    cards = page.locator(".storyline-card")
    assert cards.count() == STORYLINES
    assert "2 events" in cards.first.inner_text()
    assert "2026-01-0" in cards.first.inner_text(), "a storyline shows the dates it spans"
    screenshot(page, "storylines")
    cards.first.locator("h2 a").click()
    page.wait_for_url("**/storylines/st-*")
    assert page.locator(".event-card").count() == 2


def test_entities_page_pages_through_every_entity(page, newsroom) -> None:
    with Store(newsroom["db"]) as store:
        every = {e["id"] for e in store.list_entities(limit=10_000)}
    assert len(every) > 50, "the newsroom must hold more than one page of entities"
    links = walk(page, newsroom["url"] + "/entities", ".browse td a")
    assert sorted(unquote(link) for link in links) == sorted(f"/entities/{i}" for i in every)
    assert page.locator("#counts").inner_text().startswith(f"{len(every)} entities")
    assert page.locator("#counts").inner_text().endswith(f"page 2 of {-(-len(every) // 50)}")


def test_entities_filter_by_type_language_and_name(page, newsroom) -> None:
    page.goto(newsroom["url"] + "/entities")
    page.select_option(".filters select[name=type]", "place")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**/entities?*type=place*")
    types = page.locator(".browse tbody td:nth-child(2)").all_inner_texts()
    assert types and set(types) == {"place"}
    assert page.locator("#counts").inner_text().startswith(f"{len(types)} entities")
    screenshot(page, "entities")

    page.goto(newsroom["url"] + "/entities?q=number1&type=person")
    names = page.locator(".browse tbody td:first-child").all_inner_texts()
    assert names and all("Number1" in n for n in names)
    assert len(names) == 11  # Number1 and Number10..Number19

    api = httpx.get(newsroom["url"] + "/api/entities", params={"language": "de", "type": "place"},
                    timeout=60)
    page.goto(newsroom["url"] + "/entities?language=de&type=place")
    assert page.locator(".browse tbody tr").count() == int(api.headers["x-total-count"]) > 0
    with Store(newsroom["db"]) as store:
        german_towns = {e.place for e in store.list_events() if "de" in e.languages}
    shown = set(page.locator(".browse tbody td:first-child").all_inner_texts())
    assert shown == german_towns


def test_outlets_page_counts_articles_and_links_to_their_events(page, newsroom) -> None:
    page.goto(newsroom["url"] + "/outlets")
    rows = page.locator(".browse tbody tr")
    names = page.locator(".browse tbody td:first-child").all_inner_texts()
    assert set(OUTLETS) <= set(names)
    assert "unknown outlet" in names
    with Store(newsroom["db"]) as store:
        facets = dict(store.article_facets("outlet"))
    assert rows.count() == len(facets)
    herald = rows.filter(has_text="Harbour Herald")
    assert herald.locator("td.num").inner_text() == str(facets["Harbour Herald"])
    screenshot(page, "outlets")
    herald.locator("a").click()
    page.wait_for_url("**/?outlet=Harbour*")
    assert page.locator(".event-card").count() > 0


def test_browse_pages_fit_a_phone(browser, newsroom) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    for path in ("/storylines", "/entities", "/outlets"):
        page.goto(newsroom["url"] + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
        screenshot(page, "phone-" + path.strip("/"))
    context.close()
