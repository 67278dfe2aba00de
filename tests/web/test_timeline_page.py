"""The timeline page in Chromium: range and size controls, an axis with ticks and labels, bars
that never overlap (adjacent days stay apart), bars that jump to their entry, a phone layout,
and a storyline's own timeline."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from tests.web.conftest import screenshot

pytestmark = pytest.mark.browser


def boxes(page, selector: str) -> list[dict]:
    return [e.bounding_box() for e in page.locator(selector).all()]


def assert_apart(rects: list[dict]) -> None:
    ordered = sorted(rects, key=lambda r: r["x"])
    for left, right in itertools.pairwise(ordered):
        assert left["x"] + left["width"] <= right["x"], (left, right)


def entry_dates(page) -> list[str]:
    return page.locator("ol.timeline > li time").all_inner_texts()


def test_controls_set_the_range_and_size(page, newsroom) -> None:
    page.goto(newsroom["url"] + "/timeline?q=council")
    assert len(entry_dates(page)) == 10
    page.fill("input[name=from]", "2026-01-10")
    page.fill("input[name=to]", "2026-01-31")
    page.fill("input[name=dates]", "4")
    page.fill("input[name=sentences]", "1")
    page.get_by_role("button", name="Build timeline").click()
    page.wait_for_url("**dates=4**")
    dates = entry_dates(page)
    assert len(dates) == 4
    assert all("2026-01-10" <= d[:10] <= "2026-01-31" for d in dates)
    for entry in page.locator("ol.timeline > li").all():
        assert entry.locator("ul > li").count() == 1
    assert page.locator("svg.chart rect").count() == 4
    assert page.locator("input[name=dates]").input_value() == "4"


def test_axis_ticks_labels_and_adjacent_days(page, newsroom) -> None:
    page.goto(newsroom["url"] + "/timeline?q=council&dates=40&sentences=1")
    dates = sorted(d[:10] for d in entry_dates(page))
    days = [dt.date.fromisoformat(d) for d in dates]
    assert any((b - a).days == 1 for a, b in itertools.pairwise(days)), \
        "the case must hold adjacent days"
    bars = boxes(page, "svg.chart rect")
    assert len(bars) == len(dates)
    assert_apart(bars)
    assert_apart(boxes(page, "svg.chart text.day"))
    assert page.locator("svg.chart text.day").count() == len(dates)
    ticks = page.locator("svg.chart .tick").all_text_contents()
    assert ticks[0] == "0" and len(ticks) >= 2
    assert page.locator("svg.chart text.year").all_text_contents() == ["2026"]
    assert page.locator("svg.chart .break").count() == sum(
        1 for a, b in itertools.pairwise(days) if (b - a).days > 1)
    screenshot(page, "timeline-axis")


def test_bars_spread_over_the_width(page, newsroom) -> None:
    page.goto(newsroom["url"] + "/timeline?q=council")
    chart = page.locator("svg.chart").bounding_box()
    xs = sorted(b["x"] for b in boxes(page, "svg.chart rect"))
    assert xs[-1] - xs[0] > 0.7 * chart["width"], "no crowding at one edge"


def test_a_bar_jumps_to_its_entry(page, newsroom) -> None:
    page.goto(newsroom["url"] + "/timeline?q=council")
    page.locator("svg.chart a.bar").nth(3).click()
    page.wait_for_url("**#d2026*")
    anchor = page.url.split("#")[1]
    top = page.evaluate(f"document.getElementById('{anchor}').getBoundingClientRect().top")
    assert 0 <= top < 300


def test_phone_labels_readable_and_page_fits(browser, newsroom) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(newsroom["url"] + "/timeline?q=council")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    labels = boxes(page, "svg.chart text.day")
    assert len(labels) == 10
    assert min(b["height"] for b in labels) >= 11, "labels keep their size on a phone"
    assert_apart(labels)
    screenshot(page, "timeline-phone")
    context.close()


def test_storyline_timeline(page, newsroom) -> None:
    page.goto(newsroom["url"] + "/storylines/st-01")
    page.get_by_role("link", name="Timeline of this storyline").click()
    page.wait_for_url("**/storylines/st-01/timeline")
    dates = entry_dates(page)
    assert dates == ["2026-01-02", "2026-01-08"]
    assert page.locator("svg.chart rect").count() == 2
    page.fill("input[name=to]", "2026-01-05")
    page.get_by_role("button", name="Build timeline").click()
    page.wait_for_url("**/storylines/st-01/timeline?**")
    assert entry_dates(page) == ["2026-01-02"]
