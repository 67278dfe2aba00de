from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.events.storylines import explain_links, link_storylines
from storyline.model import Article, Entity, Event, EventMember
from tests.events.dedup_corpus import article


def _entity(entity_id: str, salience: float) -> Entity:
    kind, _, name = entity_id.partition(":")
    return Entity(id=entity_id, name=name.title(), type=kind, salience=salience, mentions=2)  # type: ignore[arg-type]


def _event(
    event_id: str, date: str, title: str, lead: str, entities: dict[str, float]
) -> tuple[Event, Article]:
    report = article(
        f"{event_id}-a",
        lead,
        title,
        date,
        entities=[_entity(entity_id, salience) for entity_id, salience in entities.items()],
    )
    return Event(event_id, title, date, members=[EventMember(report.id)]), report


def _corpus() -> tuple[list[Event], dict[str, Article]]:
    pairs = [
        _event(
            "call",
            "2013-11-14",
            "Leaders of Arvenia and Belmora speak by phone about peace talks",
            "President Orlan Vask of Arvenia called President Teodor Malik of Belmora to "
            "discuss peace talks in Lisk, their first conversation in two years.",
            {"person:vask": 0.35, "person:malik": 0.35, "place:lisk": 0.2, "place:belmora": 0.1},
        ),
        _event(
            "summit",
            "2018-05-17",
            "Vask hosts Malik at his seaside residence",
            "President Orlan Vask received President Teodor Malik at his residence in Port Ardo "
            "and discussed reconstruction and the peace process in Belmora.",
            {
                "person:malik": 0.35,
                "person:vask": 0.3,
                "place:port_ardo": 0.2,
                "place:belmora": 0.15,
            },
        ),
        _event(
            "harvest",
            "2015-07-02",
            "Record cherry harvest in the hill farms",
            "Growers in the hill farms of Tassin picked more cherries than ever before.",
            {"place:tassin": 0.6, "org:tassin_growers": 0.4},
        ),
        _event(
            "chess",
            "2016-03-10",
            "Chess club wins national title",
            "The Oberlin Street chess club won the national team championship in Lisk.",
            {"org:oberlin_chess": 0.7, "place:lisk": 0.3},
        ),
    ]
    events = [event for event, _ in pairs]
    return events, {report.id: report for _, report in pairs}


def test_same_actors_years_apart_form_one_storyline_and_unrelated_events_stay_out() -> None:
    events, articles = _corpus()
    storylines = link_storylines(events, articles)
    assert len(storylines) == 1
    story = storylines[0]
    assert story.events == ["call", "summit"]  # date order
    assert set(story.entities[:2]) == {"person:vask", "person:malik"}
    assert "place:lisk" not in story.entities  # not shared by both events
    assert 0.3 <= story.score <= 1.0
    assert "Vask" in story.title and "Malik" in story.title


def test_storylines_are_deterministic_and_ids_stable_as_the_story_grows() -> None:
    events, articles = _corpus()
    first = link_storylines(events, articles)
    shuffled = events[:]
    random.Random(7).shuffle(shuffled)
    assert link_storylines(shuffled, articles) == first

    follow_up, report = _event(
        "visit",
        "2019-02-01",
        "Malik returns to Arvenia for a state visit",
        "President Teodor Malik met President Orlan Vask again, this time in the capital.",
        {"person:malik": 0.4, "person:vask": 0.4, "place:arvenia": 0.2},
    )
    grown = link_storylines([*events, follow_up], {**articles, report.id: report})
    assert grown[0].id == first[0].id
    assert grown[0].events == ["call", "summit", "visit"]


def test_one_shared_entity_is_not_a_storyline() -> None:
    events, articles = _corpus()
    # "call" and "chess" share only the place Lisk.
    linked = {(link.earlier, link.later) for link in explain_links(events, articles)}
    assert ("call", "chess") not in linked


def test_ubiquitous_entities_are_ignored_once_there_are_enough_events() -> None:
    # Every event mentions the same country and its president, but each is about something else.
    events = [
        Event(
            f"e{i}",
            f"unrelated story {i}",
            f"2020-01-{i + 1:02d}",
            entities=["person:vask", "place:arvenia", f"org:topic{i}", f"place:town{i}"],
        )
        for i in range(8)
    ]
    assert link_storylines(events, {}) == []
    # With only two events nothing can be called ubiquitous, so the pair links.
    assert len(link_storylines(events[:2], {})) == 1


def test_events_without_articles_use_their_ranked_entity_list() -> None:
    events = [
        Event("a", "phone call", "2013-11-14", entities=["person:vask", "person:malik"]),
        Event("b", "meeting", "2018-05-17", entities=["person:malik", "person:vask", "place:x"]),
        Event("c", "floods", "2018-06-01", entities=["place:tassin", "org:relief"]),
    ]
    storylines = link_storylines(events)
    assert [s.events for s in storylines] == [["a", "b"]]
    assert storylines[0].title == "Vask, Malik" or storylines[0].title == "Malik, Vask"


def test_no_events_no_storylines() -> None:
    assert link_storylines([], {}) == []
    single, report = _event("only", "2020-01-01", "t", "text", {"person:vask": 1.0})
    assert link_storylines([single], {report.id: report}) == []


_entity_ids = st.sampled_from([f"person:p{i}" for i in range(6)] + ["place:a", "place:b"])


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.lists(_entity_ids, min_size=1, max_size=5, unique=True),
            st.one_of(st.none(), st.dates().map(str)),
        ),
        max_size=12,
    ),
    st.randoms(use_true_random=False),
)
def test_storylines_partition_events_in_date_order_whatever_the_input_order(
    specs: list[tuple[list[str], str | None]], rng: random.Random
) -> None:
    events = [Event(f"e{i}", "t", date, entities=ids) for i, (ids, date) in enumerate(specs)]
    storylines = link_storylines(events)
    shuffled = events[:]
    rng.shuffle(shuffled)
    assert link_storylines(shuffled) == storylines
    by_id = {e.id: e for e in events}
    seen: set[str] = set()
    for story in storylines:
        assert len(story.events) >= 2
        assert not seen & set(story.events)
        seen |= set(story.events)
        dates = [(by_id[e].date is None, by_id[e].date or "") for e in story.events]
        assert dates == sorted(dates)
        assert story.entities and 0.0 < story.score <= 1.0
        assert all(any(e in by_id[x].entities for x in story.events) for e in story.entities)
