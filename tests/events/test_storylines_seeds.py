"""The seed stories: a 2013 phone call and a 2018 meeting of the same two leaders form one storyline."""

from __future__ import annotations

from pathlib import Path

from storyline.events.storylines import link_storylines
from storyline.ingest import read_path
from storyline.model import Event, EventMember
from storyline.pipeline import prepare
from tests.events.dedup_corpus import unrelated, wire_story


def test_seed_events_form_one_storyline_and_an_unrelated_event_stays_out(
    seeds_dir: Path,
) -> None:
    documents = [doc for path in sorted(seeds_dir.glob("*.txt")) for doc in read_path(str(path))]
    seeds = prepare(documents)
    assert len(seeds) == 5
    bridge, harvest = wire_story(), unrelated()[0]
    articles = {a.id: a for a in [*seeds, bridge, harvest]}
    events = [
        Event("call", "phone call", "2013-11-14", members=[EventMember(a.id) for a in seeds[:3]]),
        Event("meeting", "meeting", "2018-05-17", members=[EventMember(a.id) for a in seeds[3:]]),
        Event(
            "bridge",
            bridge.title,
            "2024-03-05",
            members=[EventMember(bridge.id)],
            entities=["place:velmora", "person:ilse-carrow"],
        ),
        Event(
            "harvest",
            harvest.title,
            "2018-06-01",
            members=[EventMember(harvest.id)],
            entities=["place:tassin", "place:syria"],
        ),
    ]
    storylines = link_storylines(events, articles)
    assert [s.events for s in storylines] == [["call", "meeting"]]
    shared = storylines[0].entities
    assert any("putin" in e for e in shared) and any("assad" in e or "asad" in e for e in shared)
