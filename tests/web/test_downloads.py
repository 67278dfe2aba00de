"""Download links in Chromium: an event as Markdown, HTML and JSON, a timeline as CSV, JSON and
Markdown, the event list as CSV, each saved under a safe name with what the page shows."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import httpx
import pytest

from storyline.export import EVENT_FORMATS, TIMELINE_FORMATS
from tests.web.newsroom import BIG_EVENT_ID

pytestmark = pytest.mark.browser

SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def download(page, link) -> tuple[str, str]:
    """Click a download link; (the name the browser saves it under, its text)."""
    with page.expect_download() as started:
        link.click()
    saved = started.value
    return saved.suggested_filename, Path(saved.path()).read_text(encoding="utf-8")


def links(page) -> dict[str, object]:
    found = page.locator(".downloads a[download]")
    return {link.get_attribute("data-format"): link for link in found.all()}


@pytest.fixture
def downloading(browser):
    context = browser.new_context(accept_downloads=True, viewport={"width": 1366, "height": 900})
    yield context.new_page()
    context.close()


def test_event_page_downloads_each_format(downloading, newsroom) -> None:
    page = downloading
    page.goto(f"{newsroom['url']}/events/{BIG_EVENT_ID}")
    offered = links(page)
    assert set(offered) == set(EVENT_FORMATS)
    assert offered["md"].bounding_box()["y"] < 900, "the links are on the first screen"
    brief = httpx.get(f"{newsroom['url']}/api/events/{BIG_EVENT_ID}", timeout=120).json()
    saved = {}
    for name, link in offered.items():
        filename, text = download(page, link)
        assert filename == f"event-Harbour-strike-stops-Port-Alvane-docks-{BIG_EVENT_ID}.{name}"
        saved[name] = text
    assert saved["json"] == EVENT_FORMATS["json"].render(brief)
    assert json.loads(saved["json"])["corroborated"] == brief["corroborated"]
    assert saved["md"].startswith("# Harbour strike stops Port Alvane docks\n")
    assert saved["html"].startswith("<!doctype html>") and "<h2>Corroborated</h2>" in saved["html"]


def test_event_list_csv_holds_every_filtered_event(downloading, newsroom) -> None:
    page = downloading
    page.goto(f"{newsroom['url']}/?language=fr&min_sources=1&sort=outlets")
    total = int(page.locator("#counts").inner_text().split()[0])
    filename, text = download(page, links(page)["csv"])
    assert filename == "storyline-events.csv"
    header, *rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == total > 0  # all pages, not only the first
    column = {name: n for n, name in enumerate(header)}
    assert all("fr" in row[column["languages"]].split("; ") for row in rows)
    independent = [int(row[column["independent_outlets"]]) for row in rows]
    assert independent == sorted(independent, reverse=True)


def test_timeline_downloads_keep_the_controls(downloading, newsroom) -> None:
    page = downloading
    page.goto(f"{newsroom['url']}/timeline?q=council&dates=3&sentences=1&from=2026-01-05")
    offered = links(page)
    assert set(offered) == set(TIMELINE_FORMATS)
    filename, text = download(page, offered["csv"])
    assert filename == "timeline-council.csv"
    header, *rows = list(csv.reader(io.StringIO(text)))
    assert header == ["date", "rank", "text", "outlet", "article"]
    shown = page.locator("ol.timeline > li time").all_inner_texts()
    assert sorted({row[0] for row in rows}) == sorted(shown) and len(shown) == 3
    assert all(row[1] == "1" and row[0] >= "2026-01-05" for row in rows)
    _, markdown = download(page, offered["md"])
    assert markdown.startswith("# Timeline: council\n") and f"## {shown[0]}" in markdown
    _, as_json = download(page, offered["json"])
    assert [e["date"] for e in json.loads(as_json)["entries"]] == shown


def test_storyline_timeline_downloads(downloading, newsroom) -> None:
    page = downloading
    page.goto(f"{newsroom['url']}/storylines/st-01/timeline?dates=2")
    filename, text = download(page, links(page)["json"])
    assert SAFE_NAME.fullmatch(filename) and filename.endswith(".json")
    assert len(json.loads(text)["entries"]) == 2


def test_hostile_text_stays_inert_in_downloads(served) -> None:
    base = served["url"]
    html = httpx.get(f"{base}/download/events/ev-bridge?format=html", timeout=120)
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    assert html.headers["content-disposition"] == (
        'attachment; filename="event-Bridge-closed-in-Port-Alvane-after-cracks-found-ev-bridge.html"')
    assert "<script>" not in html.text and "&lt;script&gt;" in html.text
    assert "<b>Outlet</b>" not in html.text
    markdown = httpx.get(f"{base}/download/events/ev-bridge?format=md", timeout=120).text
    assert "<script>" not in markdown and "<img" not in markdown
    hostile_query = '=cmd|"/C calc"!A0 <script>'
    timeline = httpx.get(f"{base}/download/timeline", params={"q": hostile_query, "format": "md"},
                         timeout=120)
    assert timeline.status_code == 200 and "<script>" not in timeline.text
    name = timeline.headers["content-disposition"].split('filename="')[1].rstrip('"')
    assert SAFE_NAME.fullmatch(name), name


def test_bad_downloads_are_refused(served) -> None:
    base = served["url"]
    assert httpx.get(f"{base}/download/events/ev-bridge?format=exe").status_code == 422
    assert httpx.get(f"{base}/download/events/nope?format=md").status_code == 404
    assert httpx.get(f"{base}/download/timeline?format=csv").status_code == 422
    assert httpx.get(f"{base}/download/storylines/nope/timeline").status_code == 404
