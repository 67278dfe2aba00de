"""Timelines over hand-built articles and over a real SQLite store."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from storyline.model import Sentence
from storyline.store import Store
from storyline.summarize.dates import fallback_extract_dates
from storyline.summarize.render import timeline_html, timeline_markdown
from storyline.summarize.timeline import build_timeline, summarize_timeline
from tests.summarize.builders import make_article, timeline_articles


def _all_sentences(timeline):  # type: ignore[no-untyped-def]
    return [s for entry in timeline.entries for s in entry.sentences]


def test_most_mentioned_dates_are_picked_in_order() -> None:
    timeline = summarize_timeline(timeline_articles(), "Varga", n_dates=2, k_sentences=2)
    assert [e.date for e in timeline.entries] == ["2024-03-01", "2024-03-10"]
    assert timeline.to_dict()["query"] == "Varga"


def test_sentences_are_cited_and_never_repeated() -> None:
    articles = timeline_articles()
    by_id = {a.id: a for a in articles}
    timeline = summarize_timeline(articles, "Varga", n_dates=3, k_sentences=2)
    sentences = _all_sentences(timeline)
    assert sentences
    for sentence in sentences:
        assert sentence.text in by_id[sentence.article].text
        assert sentence.outlet == by_id[sentence.article].outlet
    texts = [s.text for s in sentences]
    assert len(texts) == len(set(texts))


def test_sentences_dated_to_the_day_come_first() -> None:
    timeline = summarize_timeline(timeline_articles(), "Varga", n_dates=2, k_sentences=2)
    march_10 = next(e for e in timeline.entries if e.date == "2024-03-10")
    first = march_10.sentences[0]
    assert first.article in {"t3", "t4", "t5"}
    assert "10" in first.text or "today" in first.text


def test_date_filters_restrict_the_entries() -> None:
    timeline = summarize_timeline(
        timeline_articles(), "Varga", n_dates=5, k_sentences=1, start="2024-03-05"
    )
    assert timeline.entries
    assert all(e.date >= "2024-03-05" for e in timeline.entries)
    timeline = summarize_timeline(
        timeline_articles(), "Varga", n_dates=5, k_sentences=1, end=date(2024, 3, 4)
    )
    assert [e.date for e in timeline.entries] == ["2024-03-01", "2024-03-02"][: len(timeline.entries)]
    assert all(e.date <= "2024-03-04" for e in timeline.entries)


def test_query_relevance_decides_which_dates_matter() -> None:
    # Without relevance weighting the voted-on day (three reports) beats the two weather reports.
    varga = summarize_timeline(timeline_articles(), "Varga", n_dates=1, k_sentences=1)
    assert [e.date for e in varga.entries] == ["2024-03-10"]
    follow_up = make_article(
        "t7", "Weather Desk", "en", "2024-03-07",
        ["The rain that hit the southern valleys on 5 March flooded two roads."],
        dates=[(0, "2024-03-05")],
    )
    weather = summarize_timeline(
        [*timeline_articles(), follow_up], "rain valleys", n_dates=1, k_sentences=1
    )
    assert [e.date for e in weather.entries] == ["2024-03-05"]


def test_store_timeline_finds_the_entity_by_any_alias(store: Store) -> None:
    for article in timeline_articles():
        store.add_article(article)
    timeline = build_timeline(store, "L. Varga", dates=2, sentences=1)
    assert timeline.query == "L. Varga"
    assert [e.date for e in timeline.entries] == ["2024-03-01", "2024-03-10"]
    keywords = build_timeline(store, "harbour reform", dates=1, sentences=1)
    assert keywords.entries and keywords.entries[0].sentences[0].article.startswith("t")


def test_store_timeline_dates_unenriched_articles_on_the_fly(store: Store) -> None:
    article = make_article(
        "raw", "Le Quotidien", "fr", "2024-04-03",
        ["Le maire a inauguré le nouveau pont du village le 2 avril 2024 devant la foule."],
    )
    article.sentences, article.dates = [], []
    store.add_article(article)
    timeline = build_timeline(store, "pont", dates=1, sentences=1)
    assert [e.date for e in timeline.entries] == ["2024-04-02"]


def test_renderings_escape_untrusted_text() -> None:
    articles = timeline_articles()
    articles[0].sentences[0].text = "Varga said <img src=x onerror=alert(1)> was nonsense today."
    timeline = summarize_timeline(articles, "Varga", n_dates=2, k_sentences=2)
    assert "<img" not in timeline_html(timeline)
    assert "<img" not in timeline_markdown(timeline)


def test_fallback_dates_in_several_languages() -> None:
    texts = [
        "Protesters returned on Wednesday, Jan. 26, 2011 to the square.",
        "El 25 de enero de 2011 hubo protestas, y ayer también.",
        "Le 3 mars 2012, le ministre a parlé.",
        "In March 2011 things changed; 2011-02-11 was decisive.",
    ]
    sentences, offset = [], 0
    for text in texts:
        sentences.append(Sentence(text, offset, offset + len(text)))
        offset += len(text) + 1
    found = {
        (m.sentence, m.value, m.granularity)
        for m in fallback_extract_dates(" ".join(texts), sentences, None, date(2011, 2, 2))
    }
    assert (0, "2011-01-26", "day") in found
    assert (0, "2011-02-02", "day") not in found  # the weekday names the explicit date
    assert {(1, "2011-01-25", "day"), (1, "2011-02-01", "day")} <= found
    assert (2, "2012-03-03", "day") in found
    assert {(3, "2011-03", "month"), (3, "2011-02-11", "day")} <= found


@hypothesis_settings(max_examples=30, deadline=None)
@given(st.text(max_size=200), st.sampled_from(["en", "es", "fr", "it", "de", None, "xx"]))
def test_fallback_dates_never_crash(text: str, language: str | None) -> None:
    sentence = Sentence(text, 0, len(text))
    for mention in fallback_extract_dates(text, [sentence], language, date(2020, 1, 1)):
        assert mention.sentence == 0
        assert mention.granularity in ("day", "month")
        date.fromisoformat(mention.value if mention.granularity == "day" else mention.value + "-01")


def _sources_on_one_day(texts: dict[str, str], outlets: dict[str, str]) -> int:
    """The independent sources the timeline counts for the one day every report dates."""
    day = "2025-06-02"
    articles = [make_article(key, outlets[key], "en", day, [text], dates=[(0, day)])
                for key, text in texts.items()]
    entry = summarize_timeline(articles, "harbour crane", n_dates=1, k_sentences=1).entries[0]
    assert entry.date == day
    assert len(entry.sentences) == 1
    return entry.sources


def test_a_day_counts_its_independent_outlets_not_its_reports() -> None:
    texts = {
        "w1": "The harbour crane collapsed on June 2, 2025 during the night shift at the port.",
        "w2": "An update: the harbour crane collapsed on June 2, 2025 and two workers were hurt.",
        "p1": "Port officials said the harbour crane collapsed on June 2, 2025 after a storm.",
    }
    outlets = {"w1": "Coastal Wire", "w2": "coastal wire ", "p1": "Port Gazette"}
    # Two versions under one masthead count once; the cited sentence alone would say 1.
    assert _sources_on_one_day(texts, outlets) == 2


def test_reprints_of_one_agency_count_once_on_their_day() -> None:
    texts = {
        "a1": "PORTVILLE (Reuters) - The harbour crane collapsed on June 2, 2025 during the night.",
        "a2": "PORTVILLE (Reuters) - The harbour crane collapsed on June 2, 2025, officials said.",
        "p1": "Port officials said the harbour crane collapsed on June 2, 2025 after a storm.",
    }
    outlets = {"a1": "Daily Ledger", "a2": "Evening Post", "p1": "Port Gazette"}
    # Two mastheads print one agency's copy: Reuters and the Port Gazette are the sources.
    assert _sources_on_one_day(texts, outlets) == 2
