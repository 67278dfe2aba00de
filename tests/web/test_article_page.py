"""An article page links onward (event, storyline, entities, copies) and its long source path
wraps on a phone."""

from __future__ import annotations

import pytest

from storyline.store import Store
from tests.web.conftest import screenshot
from tests.web.newsroom import BIG_EVENT_ID, NO_OUTLET_EVENT_ID

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def stored(newsroom) -> dict:
    with Store(newsroom["db"]) as store:
        return {"ev-001": store.get_event("ev-001"), "big": store.get_event(BIG_EVENT_ID),
                "copied": store.get_event(NO_OUTLET_EVENT_ID)}


def test_article_links_to_event_storyline_and_entities(page, newsroom, stored) -> None:
    event = stored["ev-001"]
    page.goto(f"{newsroom['url']}/articles/{event.article_ids[0]}")
    page.locator("#article-event a").click()
    page.wait_for_url("**/events/ev-001")
    page.go_back()
    storylines = page.locator(".storyline-link a")
    assert storylines.count() >= 1
    with Store(newsroom["db"]) as store:
        expected = {s.title for s in store.list_storylines() if "ev-001" in s.events}
    assert set(storylines.all_inner_texts()) == expected
    chips = page.locator(".onward .chips a").all_inner_texts()
    assert "Tessaly" in chips
    screenshot(page, "article")


def test_copies_link_both_ways(page, newsroom, stored) -> None:
    original, copy = stored["copied"].article_ids
    page.goto(f"{newsroom['url']}/articles/{copy}")
    assert page.locator("#copy-of a").get_attribute("href") == f"/articles/{original}"
    page.goto(f"{newsroom['url']}/articles/{original}")
    assert page.locator("#copied-by a").get_attribute("href") == f"/articles/{copy}"
    assert page.locator("#copy-of").count() == 0


def test_long_source_path_is_shortened_and_fits_a_phone(browser, newsroom, stored) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    article_id = stored["big"].article_ids[0]
    page.goto(f"{newsroom['url']}/articles/{article_id}")
    path = page.locator(".source-path span")
    with Store(newsroom["db"]) as store:
        source = store.get_article(article_id).source
    assert path.get_attribute("title") == source
    shown = path.inner_text()
    assert "…" in shown and shown.endswith("full-text-version.txt") and len(shown) < len(source)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "article-phone")
    context.close()
