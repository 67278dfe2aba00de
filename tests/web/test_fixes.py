"""/docs renders offline, unknown paths get the HTML 404 page (JSON under /api/), and an event
whose reports name no outlet says so instead of "0 outlets"."""

from __future__ import annotations

import json

import httpx
import pytest

from storyline.api.openapi30 import as_openapi_30
from storyline.server import create_app
from tests.web.conftest import screenshot
from tests.web.newsroom import NO_OUTLET_EVENT_ID

pytestmark = pytest.mark.browser


def test_docs_show_the_operations_in_swagger_ui(page, newsroom) -> None:
    page.goto(newsroom["url"] + "/docs")
    operation = page.locator(".opblock-summary-path", has_text="/api/events").first
    operation.wait_for(timeout=30_000)
    assert page.locator(".opblock").count() >= 10
    assert "Unable to render" not in page.inner_text("body")
    screenshot(page, "docs")


def test_the_docs_spec_is_openapi_30_without_null_types(tmp_path) -> None:
    spec = as_openapi_30(create_app(tmp_path / "spec.db").openapi())
    text = json.dumps(spec)
    assert spec["openapi"] == "3.0.3"
    assert '"type": "null"' not in text and "contentMediaType" not in text
    date_from = next(p for p in spec["paths"]["/api/events"]["get"]["parameters"]
                     if p["name"] == "from")
    assert date_from["schema"] == {"type": "string", "format": "date", "title": "From",
                                   "nullable": True}


def test_unknown_page_is_the_html_404_for_browsers(page, newsroom) -> None:
    response = page.goto(newsroom["url"] + "/nosuchpage")
    assert response.status == 404
    assert response.headers["content-type"].startswith("text/html")
    assert page.locator("h1").inner_text() == "Not found"
    assert page.get_by_role("link", name="Back to the latest events").count() == 1
    screenshot(page, "not-found")


@pytest.mark.parametrize(
    ("path", "accept"),
    [("/api/nosuch", "text/html"), ("/api/nosuch", "application/json"),
     ("/nosuchpage", "application/json")],
)
def test_unknown_path_is_json_for_api_clients(newsroom, path: str, accept: str) -> None:
    response = httpx.get(newsroom["url"] + path, headers={"accept": accept}, timeout=60)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_no_outlet_is_said_not_counted(page, newsroom) -> None:
    page.goto(newsroom["url"] + f"/events/{NO_OUTLET_EVENT_ID}")
    meta = page.locator("main .meta").first.inner_text()
    assert "unknown outlet" in meta
    assert "· ·" not in " ".join(meta.split())
    page.goto(newsroom["url"] + "/")
    card = page.locator(".event-card", has=page.locator(f'a[href="/events/{NO_OUTLET_EVENT_ID}"]'))
    text = " ".join(card.inner_text().split())
    assert "unknown outlet" in text
    assert "0 outlets" not in text and "· ·" not in text
