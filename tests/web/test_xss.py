"""Untrusted article text must never run in the browser: escaped markup plus a strict CSP."""

from __future__ import annotations

import pytest

from tests.web.conftest import screenshot

pytestmark = pytest.mark.browser


def assert_nothing_ran(page) -> None:
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.dialogs == []
    assert page.locator("img[src=x]").count() == 0
    assert page.locator("script:not([src])").count() == 0


def test_payloads_render_as_text_on_every_page(page, served) -> None:
    hostile_id = served["ids"]["bridge"][2]
    for path in ("/", "/events/ev-bridge", f"/articles/{hostile_id}",
                 "/search?q=script", "/timeline?q=<script>alert(1)</script>",
                 "/search?q=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E"):
        page.goto(served["url"] + path)
        assert_nothing_ran(page)
    page.goto(served["url"] + f"/articles/{hostile_id}")
    assert "<script>window.__pwned=1</script>" in page.inner_text("h1")
    screenshot(page, "xss-article")


def test_highlighted_search_snippets_stay_text(page, served) -> None:
    page.goto(served["url"] + "/search?q=script+pwned")
    snippets = page.locator(".snippet")
    assert snippets.count() >= 1
    assert page.locator(".snippet mark").count() >= 2
    assert page.locator(".snippet script, .snippet img").count() == 0
    assert "<script>" in snippets.first.inner_text()
    assert_nothing_ran(page)
