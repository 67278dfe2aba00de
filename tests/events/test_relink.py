"""Storylines kept from stored link decisions (`storyline.events.relink`): a store fed events by
batch, with events changing and going, holds after its updates the storylines a full relink of
its events gives, and an update reads neither every profile nor every storyline."""

from __future__ import annotations

import random

import pytest

from storyline.events import relink
from storyline.events.config import StorylineConfig
from storyline.events.storylines import EventProfile, link_profiles, theme_terms
from storyline.model import Event
from storyline.store import Store

_TOPICS = {
    "port": (["person:vask", "person:malik", "place:port_ardo", "org:harbour_board"],
             "harbour strike dockers wages ships cargo port"),
    "flood": (["place:tassin", "org:relief_corps", "person:orla", "place:river_lis"],
              "flood river rain levees evacuation relief water"),
    "trial": (["person:brand", "org:high_court", "person:judge_amos", "place:lisk"],
              "trial court verdict jury testimony appeal judge"),
    "mine": (["org:deepcut_mining", "place:kerrow", "person:ines", "org:miners_union"],
             "mine collapse miners rescue shaft tunnel safety"),
    "vote": (["person:selma", "org:green_party", "place:belmora", "person:tovar"],
             "election vote ballot campaign polls parliament coalition"),
    "virus": (["org:health_office", "person:dr_keel", "place:marn", "org:vaccine_lab"],
              "virus outbreak cases vaccine hospital infections clinics"),
}
_NOISE = ["today", "officials", "said", "reported", "later", "week", "city", "people", "local",
          "plan"]


def _profile(rng: random.Random, number: int) -> EventProfile:
    topic = rng.choice(sorted(_TOPICS))
    entities, words = _TOPICS[topic]
    chosen = rng.sample(entities, rng.randint(2, 4)) + [f"place:town{rng.randint(0, 30)}"]
    raw = {e: rng.uniform(0.2, 1.0) for e in chosen}
    total = sum(raw.values())
    theme = " ".join(rng.choices(words.split(), k=8) + rng.choices(_NOISE, k=rng.randint(2, 8)))
    date = (None if rng.random() < 0.2
            else f"20{rng.randint(10, 19)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}")
    return EventProfile(f"ev{number:03d}", date, f"{topic} {number}",
                        {e: w / total for e, w in raw.items()},
                        {e: e.split(":")[1].title() for e in chosen}, theme_terms(theme))


def _save(store: Store, profiles: list[EventProfile], removed: list[str] = ()) -> None:
    store.save_events([Event(p.id, p.title, p.date) for p in profiles], removed=removed)
    relink.save_profiles(store, profiles, list(removed))


def _pairs(storylines: list[list[str]]) -> set[tuple[str, str]]:
    return {(a, b) for events in storylines for a in events for b in events if a < b}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_store_fed_in_batches_holds_a_full_relinks_storylines(store: Store, seed: int,
                                                                monkeypatch) -> None:
    rng = random.Random(seed)
    config = StorylineConfig()
    stored: dict[str, EventProfile] = {}
    first = [_profile(rng, n) for n in range(12)]
    _save(store, first)
    relink.relink_all(store, config)
    stored.update((p.id, p) for p in first)
    # From now on an update must not read every profile.
    monkeypatch.setattr(store, "iter_event_profiles", lambda: pytest.fail("every profile read"))
    number = len(first)
    agreed = []
    for _ in range(14):
        batch = [_profile(rng, n) for n in range(number, number + 10)]
        number += 10
        # An event gains a member (its profile changes), another merges away.
        grown = rng.choice(sorted(stored))
        batch.append(_profile(rng, number) if rng.random() < 0.5 else stored[grown])
        batch[-1].id = grown
        gone = [rng.choice(sorted(set(stored) - {grown}))]
        _save(store, batch, gone)
        relink.relink_changed(store, batch, gone, config)
        stored.update((p.id, p) for p in batch)
        for event_id in gone:
            del stored[event_id]
        kept = [s.events for s in store.list_storylines()]
        full = [s.events for s in link_profiles(list(stored.values()), config)[0]]
        agreed.append((_pairs(kept), _pairs(full)))
    monkeypatch.undo()
    kept, full = agreed[-1]
    assert len(full) > 1000, "the corpus makes long storylines"
    assert kept == full
    # Between full relinks' decisions a stored one can lag by an update when entity weights
    # moved it across the threshold: pairs of events in one storyline, over every update.
    both = sum(len(kept & full) for kept, full in agreed)
    assert both / sum(len(kept) for kept, _ in agreed) >= 0.995
    assert both / sum(len(full) for _, full in agreed) >= 0.995


def test_an_update_rewrites_only_the_storylines_it_touches(store: Store, monkeypatch) -> None:
    rng = random.Random(5)
    config = StorylineConfig()
    profiles = [_profile(rng, n) for n in range(60)]
    _save(store, profiles)
    relink.relink_all(store, config)
    before = {s.id: s for s in store.list_storylines()}
    links_before = store.storyline_links(p.id for p in profiles)
    assert len(before) >= 4
    written: list[str] = []
    save = store.save_storylines

    def recorded(storylines, removed=None):  # type: ignore[no-untyped-def]
        storylines = list(storylines)
        written.extend(s.id for s in storylines)
        save(storylines, removed=removed)

    monkeypatch.setattr(store, "save_storylines", recorded)
    # A new event of the longest story, undated (so after all of it).
    story = max(before.values(), key=lambda s: len(s.events))
    last = next(p for p in profiles if p.id == story.events[-1])
    follow_up = EventProfile("ev999", None, "follow-up", dict(last.weights),
                             dict(last.names), dict(last.terms))
    _save(store, [follow_up])
    relink.relink_changed(store, [follow_up], [], config)
    after = {s.id: s for s in store.list_storylines()}
    assert after[story.id].events == [*story.events, "ev999"]
    # Rewritten: the follow-up's storyline, and any whose links the grown weights moved.
    moved = {"ev999"} | {e for e, link in store.storyline_links(p.id for p in profiles).items()
                         if link != links_before.get(e)}
    assert story.id in written and len(written) < len(before)
    assert all(moved & set(after[i].events) for i in written)
    assert {i: s for i, s in after.items() if i not in written} == {
        i: s for i, s in before.items() if i not in written}


def test_a_profile_stored_with_its_theme_text_reads_as_its_term_counts(store: Store) -> None:
    """Profiles written before the term counts were kept hold the theme's text: read, it gives
    the counts; replaced, its terms leave the store's counts."""
    old = {"id": "ev001", "date": "2015-03-01", "title": "strike", "weights": {"person:vask": 1.0},
           "names": {"person:vask": "Vask"}, "theme": "Harbour strike\nThe harbour reopens, a"}
    store.save_event_profiles([old])
    store.add_theme_terms({"harbour": 1, "strike": 1, "the": 1, "reopens": 1})
    profile = EventProfile.from_dict(store.get_event_profiles(["ev001"])["ev001"])
    assert profile.terms == {"harbour": 2, "strike": 1, "the": 1, "reopens": 1}
    assert "theme" not in profile.to_dict()
    profile.terms = {"harbour": 1, "ships": 3}
    relink.save_profiles(store, [profile], [])
    assert store.theme_term_counts(["harbour", "strike", "the", "reopens", "ships"]) == {
        "harbour": 1, "ships": 1}
    assert store.get_event_profiles(["ev001"])["ev001"]["terms"] == {"harbour": 1, "ships": 3}


def test_a_change_relinks_a_later_event_many_events_after_it(store: Store) -> None:
    """A later event that a changed event now outscores is relinked however many events
    naming their shared entities lie between them (up to `recent_events_per_entity`), as a
    full relink would: a fed topic's entities name hundreds of its events."""
    config = StorylineConfig()

    def profile(event_id: str, date: str, weights: dict[str, float], theme: str) -> EventProfile:
        return EventProfile(event_id, date, event_id, weights,
                            {e: e.split(":")[1].title() for e in weights}, theme_terms(theme))

    lead = {"person:vask": 0.45, "org:harbour_board": 0.45, "place:port_ardo": 0.1}
    changing = profile("ev-c", "2015-01-01", {"place:lisk": 0.5, "org:high_court": 0.5},
                       "court verdict")
    between = [profile(f"ev-a{n:02d}", f"2015-02-{n + 1:02d}",
                       {"person:vask": 0.5, f"place:town{n}": 0.5}, "dockers wages")
               for n in range(25)] + [
        profile(f"ev-b{n:02d}", f"2015-03-{n + 1:02d}",
                {"org:harbour_board": 0.5, f"place:village{n}": 0.5}, "cargo ships")
        for n in range(25)]
    earlier = profile("ev-m", "2015-04-01", {"person:vask": 0.5, "org:harbour_board": 0.5},
                      "harbour strike talks")
    later = profile("ev-l", "2015-05-01", lead, "harbour strike ends with a deal")
    others = [profile(f"ev-f{n:02d}", "2014-06-01", {f"org:club{n}": 0.5, f"place:farm{n}": 0.5},
                      "football") for n in range(30)]
    _save(store, [changing, *between, earlier, later, *others])
    relink.relink_all(store, config)
    assert store.storyline_links(["ev-l"])["ev-l"]["earlier"] == "ev-m"
    # The event before all of them changes into the later one's story.
    changed = profile("ev-c", "2015-01-01", dict(lead), "harbour strike ends with a deal")
    _save(store, [changed])
    relink.relink_changed(store, [changed], [], config)
    assert store.storyline_links(["ev-l"])["ev-l"]["earlier"] == "ev-c"
    every = [changed, *between, earlier, later, *others]
    assert [s.events for s in store.list_storylines()] == [
        s.events for s in link_profiles(every, config)[0]]
