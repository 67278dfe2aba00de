"""`storyline bench requests`: a store grown by copies, every read route asked at each size."""

from __future__ import annotations

import json
from pathlib import Path

from storyline.store import Store
from tests.cli.helpers import run_storyline
from tests.web.newsroom import build_newsroom

ROUTES = {"event_page", "article_page", "home", "events_by_outlets", "events_by_entity",
          "events_by_language", "entities", "entities_by_name", "api_search_names",
          "api_search_common", "api_search_semantic", "search_page", "timeline_page"}


def test_bench_requests_grows_the_store_and_times_every_route(tmp_path: Path) -> None:
    base = tmp_path / "newsroom.db"
    build_newsroom(base)
    with Store(base) as store:
        articles, events = store.count_articles(), store.count_events()
    work = tmp_path / "grown.db"
    result = run_storyline(base, "bench", "requests", "--base", str(base), "--work", str(work),
                           "--articles", f"{articles},{2 * articles + 3}", "--requests", "1",
                           "--json")
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    assert [p["articles"] for p in figures["points"]] == [articles, 2 * articles + 3]
    # Two copies (the second of three articles): the first copies every event, the second
    # only those made of the copied three.
    assert events * 2 <= figures["points"][1]["events"] < events * 3
    for point in figures["points"]:
        assert set(point["routes"]) == ROUTES
        assert all(r["cpu_ms"] > 0 and r["p50"] <= r["p95"] for r in point["routes"].values())
    assert set(figures["exponents"]) == ROUTES
    with Store(work) as grown, Store(base) as original:
        for event in original.list_events():
            copy = grown.get_event(event.id + "-c1")
            assert copy is not None
            assert copy.article_ids == [a + "-c1" for a in event.article_ids]
            for article_id in event.article_ids:
                article, twin = original.get_article(article_id), grown.get_article(
                    article_id + "-c1")
                assert twin is not None and article is not None
                assert (twin.text, twin.entities) == (article.text, article.entities)
        # The copies are counted and indexed as stored articles are.
        assert grown.count_articles() == 2 * articles + 3
        word = original.get_article(event.article_ids[0]).title.split()[0]
        assert {a + "-c1" for a in original.search_ids(word)} <= set(grown.search_ids(word))
