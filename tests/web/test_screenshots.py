"""Every page at the two sizes the issue measures (1366x900 desktop, 390x844 phone): a first-screen
screenshot of exactly that size in test-artifacts/screenshots/, and no page scrolls sideways."""

from __future__ import annotations

import struct

import httpx
import pytest

from tests.web.conftest import SCREENSHOTS
from tests.web.newsroom import BIG_EVENT_ID

pytestmark = pytest.mark.browser

SIZES = {"desktop": (1366, 900), "phone": (390, 844)}
PAGES = {
    "home": "/",
    "home-filtered": "/?language=fr&min_sources=1&sort=outlets",
    "event": f"/events/{BIG_EVENT_ID}",
    "article": "/articles/{article}",
    "storylines": "/storylines",
    "storyline": "/storylines/st-01",
    "storyline-timeline": "/storylines/st-01/timeline",
    "entities": "/entities",
    "entity": "/entities/place:port-alvane",
    "outlets": "/outlets",
    "timeline": "/timeline?q=council",
    "search": "/search?q=harbour",
    "search-empty": "/search?q=zzqxv",
    "docs": "/docs",
    "not-found": "/nosuchpage",
}


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@pytest.fixture(scope="module")
def article_id(newsroom) -> str:
    return httpx.get(f"{newsroom['url']}/api/articles?limit=1", timeout=60).json()[0]["id"]


@pytest.mark.parametrize("size", SIZES)
def test_each_page_at_exact_size(browser, newsroom, article_id, size) -> None:
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    wide = []
    for name, path in PAGES.items():
        response = page.goto(newsroom["url"] + path.format(article=article_id), timeout=120_000)
        assert response.status == (404 if name == "not-found" else 200), name
        if name == "docs":
            page.wait_for_selector(".opblock", timeout=60_000)
        target = SCREENSHOTS / f"{name}-{width}x{height}.png"
        target.write_bytes(page.screenshot())
        assert png_size(target.read_bytes()) == (width, height), name
        if page.evaluate("document.documentElement.scrollWidth") > width:
            wide.append(name)
    context.close()
    assert not wide, f"pages wider than {width}px: {wide}"
