"""An analyst's path through the UI in a real browser: home → event → source → timeline."""

from __future__ import annotations

import pytest

from tests.web.conftest import screenshot

pytestmark = pytest.mark.browser


def test_home_event_source_timeline(page, served) -> None:
    page.goto(served["url"] + "/")
    assert page.title().endswith("storyline")
    cards = page.locator(".event-card h2 a")
    assert cards.count() == 1, "the single-report reopening is hidden by default"
    page.get_by_role("link", name="Show them").click()
    assert cards.count() == 2
    screenshot(page, "home")

    page.get_by_role("link", name="Bridge closed in Port Alvane after cracks found").click()
    page.wait_for_url("**/events/ev-bridge")
    assert page.locator(".source").count() == 3
    assert page.get_by_text("published first").count() == 1
    screenshot(page, "event")

    page.locator(".source h3 a").first.click()
    page.wait_for_url("**/articles/**")
    assert page.locator("h1").inner_text()
    screenshot(page, "source")

    page.goto(served["url"] + "/entities/person:orlanda-vesk")
    page.get_by_role("link", name="Timeline for Orlanda Vesk").click()
    page.wait_for_url("**/timeline?q=*")
    assert page.locator(".timeline > li").count() >= 1
    assert page.locator("svg.chart rect").count() >= 1
    screenshot(page, "timeline")
    assert page.console_errors == []


def test_keyboard_slash_focuses_search_and_phone_layout(browser, served) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 740})
    page = context.new_page()
    page.goto(served["url"] + "/")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.type("ferries")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=ferries")
    assert page.locator(".results .hit").count() == 1
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, "page must not scroll sideways on a phone"
    screenshot(page, "phone-search")
    context.close()
