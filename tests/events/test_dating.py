"""Undated reports get their date from their event: inherited, or pooled from the members."""

from __future__ import annotations

from storyline.enrich import enrich_articles
from storyline.events.dating import date_events, forget_event_dates, is_event_dated
from storyline.model import Article, Event, EventMember, content_id


def article(title: str, text: str, published: str | None = None) -> Article:
    return Article(id=content_id(text, title), source="t.txt", title=title, text=text,
                   published=published, published_source="text" if published else None)


def event_of(*articles: Article, date: str | None = None) -> Event:
    return Event(id="ev-test", title=articles[0].title, date=date,
                 members=[EventMember(a.id) for a in articles])


def test_undated_report_inherits_the_date_of_its_dated_fellows() -> None:
    dated = article("Dam opens", "The Kervel dam opened on Monday after six years of work.",
                    "2022-06-08")
    undated = article("Kervel dam opens", "Engineers opened the Kervel dam on Monday, the "
                      "region's water agency said.")
    enrich_articles([dated, undated])
    event = event_of(dated, undated, date="2022-06-08")
    changed = date_events([event], {a.id: a for a in (dated, undated)})
    assert changed == [undated]
    assert undated.published == "2022-06-08" and is_event_dated(undated)
    assert ("Monday", "2022-06-06") in {(d.text, d.value) for d in undated.dates}


def test_members_evidence_is_pooled_when_no_report_is_dated() -> None:
    bound = article("Talks resume", "The envoys had last met on 2 February 2021. Shelling on "
                    "the night of March 3 delayed the new round.")
    weekday = article("Envoys meet again", "The two envoys met on Tuesday in Lemberg and "
                      "agreed to meet again.")
    enrich_articles([bound, weekday])
    assert bound.published is None and weekday.published is None
    event = event_of(bound, weekday)
    changed = date_events([event], {a.id: a for a in (bound, weekday)})
    # 3 March 2021 was a Wednesday: the first Tuesday after it is 9 March.
    assert event.date == "2021-03-09"
    assert {a.published for a in changed} == {"2021-03-09"}
    assert all(a.published_source == "inferred" and a.published_reason for a in changed)


def test_no_guess_without_evidence_and_event_dates_can_be_forgotten() -> None:
    vague = article("Talks", "The envoys met and talked for a long time.")
    other = article("More talks", "Officials said the talks were useful.")
    enrich_articles([vague, other])
    event = event_of(vague, other)
    assert date_events([event], {a.id: a for a in (vague, other)}) == []
    assert event.date is None and vague.published is None

    dated = article("Dam", "The dam opened.", "2022-06-08")
    inherited = article("Dam opens", "The Kervel dam opened.")
    date_events([event_of(dated, inherited, date="2022-06-08")],
                {a.id: a for a in (dated, inherited)})
    assert forget_event_dates([dated, inherited]) == [inherited]
    assert inherited.published is None and dated.published == "2022-06-08"


def test_forgetting_an_event_date_also_forgets_the_dates_resolved_against_it() -> None:
    dated = article("Dam opens", "The Kervel dam opened on Monday after six years of work.",
                    "2022-06-08")
    undated = article("Kervel dam opens", "Engineers opened the Kervel dam on Monday, the "
                      "region's water agency said.")
    enrich_articles([dated, undated])
    fresh = list(undated.dates)
    date_events([event_of(dated, undated, date="2022-06-08")],
                {a.id: a for a in (dated, undated)})
    assert undated.dates != fresh
    forget_event_dates([dated, undated])
    # Otherwise "Monday" would stay 2022-06-06 and steer the next clustering.
    assert undated.dates == fresh
