"""The event page of a 16-report event in Chromium: counts, the best claims first and the rest
collapsed, quotes by speaker, sources reachable from the top, and a height bound, which holds
for a 500-report event too."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from storyline.cli.serve import free_port, start_server, stop_process
from storyline.model import Event, EventMember
from storyline.store import Store
from storyline.summarize.brief import build_brief
from storyline.summarize.stored import brief_key
from storyline.web.pages import SHOWN_ON_EVENT_PAGE
from tests.web.conftest import screenshot
from tests.web.newsroom import BIG_EVENT_ID, BIG_EVENT_SIZE, big_story

pytestmark = pytest.mark.browser

SCREEN = {"width": 1366, "height": 900}
# The largest event issue 11's latency goal names.
HUGE_EVENT_SIZE = 500


@pytest.fixture(scope="module")
def brief(newsroom) -> dict:
    return httpx.get(f"{newsroom['url']}/api/events/{BIG_EVENT_ID}", timeout=120).json()


@pytest.fixture
def big(browser, newsroom):
    context = browser.new_context(viewport=SCREEN)
    page = context.new_page()
    page.goto(f"{newsroom['url']}/events/{BIG_EVENT_ID}")
    yield page
    context.close()


def test_page_stays_within_four_screens(big, brief) -> None:
    assert len(brief["corroborated"]) > 10 and len(brief["single_source"]) > 5
    height = big.evaluate("document.documentElement.scrollHeight")
    assert height <= 4 * SCREEN["height"], f"{height}px"
    screenshot(big, "event-big")


def test_counts_and_the_best_claims_first(big, brief) -> None:
    corroborated = brief["corroborated"]
    assert big.locator("#corr-h .count").inner_text() == str(len(corroborated))
    assert big.locator("#single-h .count").inner_text() == str(len(brief["single_source"]))
    shown = big.locator("#corroborated > li")
    assert shown.count() == 10
    best = max(c["sources"] for c in corroborated)
    assert shown.first.inner_text().startswith(
        next(c["text"] for c in corroborated if c["sources"] == best))
    rest = big.locator("section:has(#corr-h) > details.more")
    assert f"Show all {len(corroborated)}" in rest.locator("> summary").inner_text()
    assert not rest.locator("ul.claims").is_visible()
    rest.locator("> summary").click()
    assert rest.locator("ul.claims > li").count() == len(corroborated) - 10
    assert big.locator("#single-source > li").count() == 5


def test_quotes_are_grouped_by_speaker(big, brief) -> None:
    speakers = {q["speaker"] for q in brief["quotes"]}
    groups = big.locator("li.speaker")
    assert groups.count() == len(speakers)
    names = [g.locator("strong").text_content() for g in groups.all()]
    assert sorted(names) == sorted(speakers)
    quoted = sum(int(g.locator(".meta").first.text_content().strip("()").split()[0])
                 for g in groups.all())
    assert quoted == len(brief["quotes"])


def test_sources_are_one_click_from_the_top(big) -> None:
    link = big.locator(".toc a[href='#sources-h']")
    assert link.bounding_box()["y"] < SCREEN["height"], "the jump link is on the first screen"
    assert f"({BIG_EVENT_SIZE})" in link.inner_text()
    link.click()
    big.wait_for_url("**#sources-h")
    top = big.evaluate("document.getElementById('sources-h').getBoundingClientRect().top")
    assert big.evaluate("scrollY") > 0 and 0 <= top < SCREEN["height"] / 2
    cards = big.locator(".sources .source")
    assert cards.count() == BIG_EVENT_SIZE
    assert big.locator(".sources .badge", has_text="published first").count() == 1


def test_source_cards_open_to_the_full_text(big, newsroom) -> None:
    card = big.locator(".sources .source").first
    article_id = card.get_attribute("id").removeprefix("source-")
    with Store(newsroom["db"]) as store:
        article = store.get_article(article_id)
    full = card.locator("details.fulltext")
    last_words = article.text.split()[-4:]
    assert not full.locator("p").first.is_visible()
    full.locator("summary").click()
    assert " ".join(last_words) in " ".join(full.inner_text().split())


def test_phone_height_and_no_sideways_scroll(browser, newsroom) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{newsroom['url']}/events/{BIG_EVENT_ID}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "event-big-phone")
    context.close()


def test_claim_outlet_matrix_shows_carriers_and_the_conflict(big, brief) -> None:
    matrix = big.locator("#claim-matrix")
    assert matrix.bounding_box()["y"] < 2 * SCREEN["height"], "the matrix is near the top"
    columns = matrix.locator("thead th.publisher")
    assert 2 <= columns.count() <= 13
    rows = matrix.locator("tbody tr")
    claims = [r for r in rows.all() if r.get_attribute("class") != "conflict"]
    assert len(claims) == min(8, len(brief["corroborated"]))
    # The best claim's row marks as many publishers as the brief says carry it (some may sit in
    # the "more" column).
    best = max(brief["corroborated"], key=lambda c: c["sources"])
    first = claims[0]
    assert best["text"].startswith(first.locator("th").inner_text().rstrip("…"))
    others = first.locator("td.others").inner_text() if first.locator("td.others").count() else ""
    assert first.locator("td.carried").count() + int(others or 0) == best["sources"]
    conflict = matrix.locator("tbody tr.conflict")
    assert conflict.count() == len(brief["conflicts"]) == 1
    figures = sorted(conflict.locator("td.figure").all_inner_texts())
    assert figures == ["1400", "900"]
    colour = conflict.locator("td.figure").first.evaluate("e => getComputedStyle(e).backgroundColor")
    assert colour != big.locator("#claim-matrix td.carried").first.evaluate(
        "e => getComputedStyle(e).backgroundColor"), "conflicting figures stand out"
    assert "figures differ" in conflict.locator("th").inner_text()


@pytest.fixture(scope="module")
def huge(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server over one event of HUGE_EVENT_SIZE newsroom reports, its brief stored."""
    db = tmp_path_factory.mktemp("huge") / "huge.db"
    articles = [big_story(n) for n in range(HUGE_EVENT_SIZE)]
    event = Event(id="ev-huge", title="Harbour strike stops Port Alvane docks", date="2026-02-10",
                  members=[EventMember(a.id, "origin" if n == 0 else "independent")
                           for n, a in enumerate(articles)],
                  outlets=sorted(a.outlet for a in articles if a.outlet), languages=["en"])
    with Store(db) as store:
        for article in articles:
            store.add_article(article)
        store.save_events([event])
        store.save_briefs({event.id: (brief_key(event), build_brief(event, articles).to_dict())})
    port = free_port()
    process = start_server(str(db), port)
    yield f"http://127.0.0.1:{port}/events/ev-huge"
    stop_process(process)


def test_a_500_report_event_stays_within_four_screens(browser, huge) -> None:
    context = browser.new_context(viewport=SCREEN)
    page = context.new_page()
    page.goto(huge, timeout=120_000)
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= 4 * SCREEN["height"], f"{height}px"
    # Every report is listed; only the first cards carry their text (the rest link to it).
    assert page.locator(".sources .source").count() == HUGE_EVENT_SIZE
    assert page.locator(".sources details.fulltext").count() == SHOWN_ON_EVENT_PAGE["sources"]
    # A quote carried by hundreds of outlets names a few of them, not all.
    carried = page.locator("li.speaker > .meta", has_text="carried by").all_inner_texts()
    assert carried and all(len(text) < 120 and text.endswith("more") for text in carried)
    screenshot(page, "event-500")
    context.close()
