"""The five seed articles end to end: ingest → clean → enrich → cluster → date → link."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.pipeline import ingest
from storyline.store import Store
from tests.conftest import shared_data_path


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Store:
    seeds = shared_data_path("seeds")
    store = Store(tmp_path_factory.mktemp("seeds") / "seeds.db")
    report = ingest([str(seeds)], store)
    assert report.ok and len(report.new) == 5
    yield store
    store.close()


def seed_number(source: str) -> str:
    return Path(source).name[:3]


def test_two_events_with_their_dates(seeded: Store) -> None:
    numbers = {a.id: seed_number(a.source) for a in seeded.iter_articles()}
    events = {frozenset(numbers[i] for i in e.article_ids): e for e in seeded.list_events()}
    assert set(events) == {frozenset({"000", "001", "002"}), frozenset({"003", "004"})}
    assert events[frozenset({"000", "001", "002"})].date == "2013-11-14"
    assert events[frozenset({"003", "004"})].date == "2018-05-17"


def test_undated_seeds_get_inferred_dates(seeded: Store) -> None:
    articles = {seed_number(a.source): a for a in seeded.iter_articles()}
    assert (articles["000"].published, articles["000"].published_source) == (
        "2013-11-14", "inferred")
    for number in ("001", "002"):
        assert (articles[number].published, articles[number].published_source) == (
            "2013-11-14", "text")
    for number in ("003", "004"):
        assert (articles[number].published, articles[number].published_source) == (
            "2018-05-17", "inferred")
    # Once dated, the Sochi report's "December 11" is the earlier Hmeimim meeting.
    assert "2017-12-11" in {d.value for d in articles["003"].dates}
    assert "2017-11-20" in {d.value for d in articles["004"].dates}


def test_one_storyline_holds_both_events(seeded: Store) -> None:
    events = {e.id for e in seeded.list_events()}
    storylines = seeded.list_storylines()
    assert len(storylines) == 1 and set(storylines[0].events) == events
    assert "person:asad" in storylines[0].entities


def test_brief_of_the_2013_call(seeded: Store) -> None:
    from storyline.summarize.brief import build_brief

    [event] = [e for e in seeded.list_events() if e.date == "2013-11-14"]
    brief = build_brief(event, seeded.get_articles(event.article_ids)).to_dict()
    assert 3 <= len(brief["summary"]) <= 5
    from storyline.summarize.text import stands_alone

    for item in brief["summary"]:
        assert stands_alone(item["text"]) and item["text"][-1] in ".!?”\"", item["text"]
    assert not any("few details" in item["text"] for item in brief["summary"])
    assert all(item["article"] in event.article_ids for item in brief["summary"])
    corroborated = " ".join(item["text"] for item in brief["corroborated"])
    assert "Geneva" in corroborated and "readiness" in corroborated
    assert "chemical" in corroborated
    single = [item["text"] for item in brief["single_source"]]
    assert any("OPCW" in text for text in single)
    assert any("Ibrahimi" in text for text in single)
    assert not any("OPCW" in item["text"] for item in brief["corroborated"])
    # Three independent publishers: Reuters and two reports no outlet name can be read from.
    assert len(brief["publishers"]) == 3
    assert max(item["sources"] for item in brief["corroborated"]) == 3
    assert not any("unnamed" in o for item in brief["corroborated"] for o in item["outlets"])
    # Reuters' own analysis is Reuters' alone.
    analysis = next(item for item in brief["single_source"] if "appeared intended" in item["text"])
    assert analysis["outlets"] == ["Reuters"]
    assert any(q["speaker"] == "Kremlin" and "constructive approach" in q["text"]
               for q in brief["quotes"])
    # 001 and 002 carry the Kremlin statement word for word.
    numbers = {a.id: seed_number(a.source) for a in seeded.iter_articles()}
    assert any("constructive approach" in p["text"]
               and {"001", "002"} <= {numbers[a] for a in p["articles"]}
               for p in brief["shared_passages"])


def test_sentences_are_encoded_once_at_ingest_and_read_by_briefs(seeded: Store) -> None:
    from storyline.summarize import vectors

    claims = vectors.ClaimEncoding()
    articles = list(seeded.iter_articles())
    stored = seeded.get_sentence_vectors(claims.encoder, [a.id for a in articles])
    for article in articles:
        expected = claims.encoded_sentences(article)
        assert sorted(stored[article.id]) == [index for index, _ in expected]
    # A new process (empty cache) reads them: nothing of the members is left to encode.
    vectors._CACHE.clear()
    claims.remember_stored(seeded, articles)
    texts = [text for article in articles for _, text in claims.encoded_sentences(article)]
    assert all((claims.encoder, text) in vectors._CACHE for text in texts)


def test_brief_of_the_sochi_meeting(seeded: Store) -> None:
    from storyline.summarize.brief import build_brief

    [event] = [e for e in seeded.list_events() if e.date == "2018-05-17"]
    brief = build_brief(event, seeded.get_articles(event.article_ids)).to_dict()
    assert len(brief["publishers"]) == 2
    # No dateline ("Sochi, Russia") before the lead, no "In turn, …".
    assert brief["summary"][0]["text"].startswith("Russian President Vladimir Putin")
    assert not any(item["text"].startswith("In turn") for item in brief["summary"])
    numbers = {a.id: seed_number(a.source) for a in seeded.iter_articles()}
    for item in brief["corroborated"]:
        carriers = {numbers[item["article"]], *(numbers[v["article"]] for v in item["versions"])}
        assert carriers == {"003", "004"}, item["text"]
    corroborated = " ".join(item["text"] for item in brief["corroborated"])
    assert "Constitutional Committee" in corroborated
    # Told by 004 alone (003 reports neither).
    for only_in_004 in ("congratulated Putin on the start of a new presidential term",
                        "Ministry of Defense and the General Staff"):
        assert only_in_004 not in corroborated
    # Assad congratulates Putin, then "he said": the quote is Assad's.
    election = next(q for q in brief["quotes"] if "success in the elections" in q["text"])
    assert election["speaker_id"] == "person:asad"


def test_assad_timeline_runs_from_the_call_to_sochi(seeded: Store) -> None:
    from storyline.summarize.timeline import build_timeline

    timeline = build_timeline(seeded, "Assad").to_dict()
    dates = {entry["date"] for entry in timeline["entries"]}
    assert {"2013-11-14", "2017-11-20", "2017-12-11", "2018-05-17"} <= dates
    by_date = {entry["date"]: entry["sentences"] for entry in timeline["entries"]}
    assert any("Hmeimim" in s["text"] for s in by_date["2017-12-11"])
    assert any("Sochi" in s["text"] for s in by_date["2018-05-17"])
    assert all(s["article"] for entry in timeline["entries"] for s in entry["sentences"])


def test_seed_entities(seeded: Store) -> None:
    entities = {e.id: e for a in seeded.iter_articles() for e in a.entities}
    for found in ("organization:opcw", "organization:al-watan", "place:hmeimim", "place:geneva"):
        assert found in entities, found
    people = {e.name for e in entities.values() if e.type == "person"}
    assert not people & {"Mostly Orthodox Christian", "Orthodox Christian", "General Staff"}
    assert not any("Koren" in alias for alias in entities["place:russia"].aliases)
