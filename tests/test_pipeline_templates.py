"""Template learning through the real pipeline: ingest into a real SQLite file, learn lines
repeated across a source's pages, re-clean the pages stored before, update their events."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from storyline import pipeline, settings
from storyline.clean.templates import TemplateRule
from storyline.store import Store
from tests.template_pages import (
    FOOTER,
    PROMO,
    SHARED_QUOTE,
    WIRE_QUOTE,
    site_headline,
    site_records,
    write_site_pages,
    write_wire_updates,
)


def _texts(store: Store) -> dict[str, str]:
    return {a.id: a.text for a in store.iter_articles()}


def _reasons(store: Store, article_id: str) -> dict[str, str]:
    article = store.get_article(article_id)
    assert article is not None
    return {removed.text: removed.reason for removed in article.removed}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, Path, list, list]:
    """Three pages ingested, then three more: the promo and the footer become templates.
    Returns the store, the folder, both reports and the events after the first ingest."""
    folder = tmp_path_factory.mktemp("templates")
    corpus = folder / "gazette"
    store = Store(folder / "store.db")
    write_site_pages(corpus, range(3))
    first = pipeline.ingest([str(corpus)], store, parallel=False)
    events_before = store.list_events()
    write_site_pages(corpus, range(3, 6))
    second = pipeline.ingest([str(corpus)], store, parallel=False)
    return store, corpus, [first, second], events_before


def test_pages_below_the_threshold_keep_their_lines(site) -> None:
    _store, _corpus, (first, _), _ = site
    assert len(first.new) == 3 and first.templates_learned == 0 and first.recleaned == []


def test_footer_and_promo_removed_from_every_page_including_earlier_ones(site) -> None:
    store, corpus, (first, second), _ = site
    assert second.templates_learned >= 2
    assert set(first.new) <= set(second.recleaned)
    reason = f"repeated on 6 pages of {corpus.resolve()}"
    for article in store.iter_articles():
        assert PROMO not in article.text and FOOTER not in article.text
        assert article.title != PROMO and not article.title.startswith(PROMO[:30])
        reasons = _reasons(store, article.id)
        assert reasons[PROMO] == reason and reasons[FOOTER] == reason
    assert {a.title for a in store.iter_articles()} >= {site_headline(n) for n in range(6)}


def test_a_quote_shared_by_two_pages_is_kept(site) -> None:
    store, *_ = site
    carrying = [a for a in store.iter_articles() if SHARED_QUOTE in a.text]
    assert len(carrying) == 2


def test_events_follow_the_recleaned_text(site) -> None:
    """Before templates were known the promo and footer glued the first three stories into
    one event titled by the promo; re-cleaned, only the two stories sharing a quote stay
    together and every event is titled by a headline."""
    store, _corpus, (first, _), events_before = site
    assert [sorted(e.article_ids) for e in events_before] == [sorted(first.new)]
    events = store.list_events()
    assert sorted(len(e.members) for e in events) == [1, 1, 1, 1, 2]
    quoting = {a.id for a in store.iter_articles() if SHARED_QUOTE in a.text}
    assert quoting in [set(e.article_ids) for e in events]
    assert {e.title for e in events} <= {site_headline(n) for n in range(6)}


def test_a_page_ingested_after_learning_is_cleaned_at_ingest(site) -> None:
    store, corpus, *_ = site
    write_site_pages(corpus, [6])
    report = pipeline.ingest([str(corpus)], store, parallel=False)
    assert len(report.new) == 1 and report.recleaned == []
    reasons = _reasons(store, report.new[0])
    assert reasons[FOOTER] == f"repeated on 6 pages of {corpus.resolve()}"


def test_reclean_is_idempotent(site) -> None:
    store, *_ = site
    before = _texts(store)
    report = pipeline.reclean(store)
    assert (report.templates_learned, report.recleaned, report.lines_removed) == (0, [], 0)
    assert _texts(store) == before


def test_reclean_learns_what_ingest_did_not(tmp_path: Path) -> None:
    """Pages stored under a stricter rule are cleaned by `reclean` with the default one,
    found through the fingerprint table; a second run changes nothing."""
    corpus = tmp_path / "gazette"
    write_site_pages(corpus, range(6))
    with Store(tmp_path / "store.db") as store:
        report = pipeline.ingest([str(corpus)], store, parallel=False, cluster=False,
                                 rule=TemplateRule(min_pages=50))
        assert report.templates_learned == 0
        assert all(PROMO in a.text for a in store.iter_articles())
        vectors_before = store.get_vectors(settings.DEFAULT_ENCODER, report.new)
        first = pipeline.reclean(store, source=str(corpus.resolve()), cluster=False)
        assert first.templates_learned >= 2 and len(first.recleaned) == 6
        assert first.lines_removed >= 12
        assert not any(FOOTER in a.text for a in store.iter_articles())
        vectors_after = store.get_vectors(settings.DEFAULT_ENCODER, report.new)
        assert all(not np.allclose(vectors_before[i], vectors_after[i]) for i in report.new)
        again = pipeline.reclean(store, cluster=False)
        assert (again.templates_learned, again.recleaned) == (0, [])


def test_wire_updates_keep_their_repeated_body(tmp_path: Path) -> None:
    """Six updates of one story repeat a quote and their headline on six pages: one story,
    so nothing is a template."""
    corpus = tmp_path / "wire"
    write_wire_updates(corpus, 6)
    with Store(tmp_path / "store.db") as store:
        report = pipeline.ingest([str(corpus)], store, parallel=False, cluster=False)
        assert len(report.new) == 6 and report.templates_learned == 0
        assert all(WIRE_QUOTE in a.text for a in store.iter_articles())


def test_records_with_urls_learn_per_site(tmp_path: Path) -> None:
    """One JSON Lines file, two sites: the site of each record's URL is its source, so the
    six-page site learns its footer and the three-page site keeps its own."""
    big, small = "Printed by the Gazette press.", "Printed by the Courier press."
    records = site_records("gazette.example", big, range(6)) + site_records(
        "courier.example", small, range(3))
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    with Store(tmp_path / "store.db") as store:
        report = pipeline.ingest([str(feed)], store, parallel=False, cluster=False)
        assert len(report.new) == 9 and report.templates_learned == 1
        for article in store.iter_articles():
            if "gazette" in (article.url or ""):
                assert _reasons(store, article.id)[big] == "repeated on 6 pages of gazette.example"
            else:
                assert small in article.text


def test_reclean_records_pages_stored_before_template_learning(tmp_path: Path) -> None:
    """A store from before schema 4 has articles but no page lines: `reclean` records them
    (by their file's folder) and then learns and removes the templates."""
    corpus = tmp_path / "gazette"
    write_site_pages(corpus, range(6))
    with Store(tmp_path / "store.db") as store:
        pipeline.ingest([str(corpus)], store, parallel=False, cluster=False,
                        rule=TemplateRule(min_pages=50))
        with store.transaction() as conn:  # what an older store holds: no page lines at all
            conn.execute("DELETE FROM page_lines")
            conn.execute("DELETE FROM page_sources")
        report = pipeline.reclean(store, cluster=False)
        assert report.pages_recorded == 6 and len(report.recleaned) == 6
        assert not any(PROMO in a.text for a in store.iter_articles())
        assert pipeline.reclean(store, cluster=False).pages_recorded == 0
