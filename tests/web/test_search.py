"""Search in Chromium: full-text hits with scores and <mark>ed words, grouped by event and paged;
semantic hits only above the relevance floor and labelled; an empty state that appears."""

from __future__ import annotations

import re
from urllib.parse import quote, unquote

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import escape

from storyline import settings
from storyline.store import Store
from storyline.web.pages import HIGHLIGHT, highlight
from tests.web.conftest import screenshot
from tests.web.newsroom import BIG_EVENT_ID

pytestmark = pytest.mark.browser


def article_links(page) -> list[str]:
    return [unquote(h).removeprefix("/articles/") for h in page.locator(".hit h3 a").evaluate_all(
        "els => els.map(e => e.getAttribute('href'))")]


def test_hits_are_scored_marked_and_grouped_by_event(page, newsroom) -> None:
    with Store(newsroom["db"]) as store:
        matching = store.search_ids("harbour strike")
        members = set(store.get_event(BIG_EVENT_ID).article_ids)
    page.goto(newsroom["url"] + "/search?q=harbour+strike")
    assert page.locator("#counts").inner_text().startswith(f"{len(matching)} articles")
    assert sorted(article_links(page)) == sorted(matching)
    group = page.locator(".result-group", has=page.locator(f'h2 a[href="/events/{BIG_EVENT_ID}"]'))
    assert group.count() == 1
    assert {re.sub("^/articles/", "", h) for h in group.locator(".hit h3 a").evaluate_all(
        "els => els.map(e => e.getAttribute('href'))")} == members & set(matching)
    scores = page.locator(".hit .score").all_inner_texts()
    assert scores and all(re.fullmatch(r"full text BM25 \d+(\.\d+)?", s) for s in scores)
    marked = {m.lower() for m in page.locator(".snippet mark").all_inner_texts()}
    assert marked and marked <= {"harbour", "strike"}
    assert "[" not in " ".join(page.locator(".snippet").all_inner_texts())
    assert page.locator("#related-h").count() == 0, "every close article already matched"
    screenshot(page, "search")


@pytest.mark.parametrize("query", ["xqzvw blorft", "Kessel", "qqq zzz www"])
def test_nonsense_shows_the_empty_state(page, newsroom, query) -> None:
    page.goto(newsroom["url"] + "/search?q=" + quote(query))
    assert page.locator("#no-results").is_visible()
    assert page.locator(".hit").count() == 0


def test_semantic_hits_only_above_the_floor_and_labelled(page, newsroom) -> None:
    page.goto(newsroom["url"] + "/search?q=port+labour+dispute")
    assert page.locator("#related-h").is_visible()
    scores = page.locator(".hit.semantic .score").all_inner_texts()
    assert scores and len(scores) == page.locator(".hit").count()
    values = [float(s.rsplit(" ", 1)[1]) for s in scores]
    assert all(v >= settings.SEARCH_SEMANTIC_FLOOR for v in values)
    assert values == sorted(values, reverse=True)
    screenshot(page, "search-semantic")


def test_paging_shows_every_hit_once(page, newsroom) -> None:
    with Store(newsroom["db"]) as store:
        matching = store.search_ids("council works plan")
    assert len(matching) > 40
    page.goto(newsroom["url"] + "/search?q=council+works+plan")
    seen = []
    while True:
        seen += article_links(page)
        following = page.locator("a[rel=next]")
        if not following.count():
            break
        following.click()
        page.wait_for_load_state()
    semantic = page.locator(".hit.semantic").count()
    assert semantic == 0
    assert len(seen) == len(set(seen)) == len(matching)
    pages = -(-len(matching) // 20)
    assert page.locator("#counts").inner_text().endswith(f"page {pages} of {pages}, grouped by event")


text_with_markers = st.lists(st.one_of(st.text(max_size=12), st.sampled_from(HIGHLIGHT)),
                             max_size=12).map("".join)


@given(text_with_markers)
def test_highlight_escapes_everything_and_balances_marks(snippet: str) -> None:
    html = str(highlight(snippet))
    plain = snippet.replace(HIGHLIGHT[0], "").replace(HIGHLIGHT[1], "")
    assert html.replace("<mark>", "").replace("</mark>", "") == str(escape(plain))
    assert html.count("<mark>") == html.count("</mark>")
    assert re.sub("</?mark>", "", html).count("<") == 0


def test_the_api_search_by_meaning_answers_listing_rows_best_first(newsroom) -> None:
    hits = httpx.get(newsroom["url"] + "/api/search",
                     params={"q": "port labour dispute", "mode": "semantic"}, timeout=60).json()
    assert hits and all(hit["match"] == "semantic" for hit in hits)
    with Store(newsroom["db"]) as store:
        listed = store.article_rows(hit["id"] for hit in hits)
    assert [{key: hit[key] for key in listed[0]} for hit in hits] == listed
    scores = [hit["score"] for hit in hits]
    assert scores == sorted(scores, reverse=True)
    assert min(scores) >= settings.SEARCH_SEMANTIC_FLOOR
