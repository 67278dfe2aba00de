"""Storylines after an update: only the links the changed events can change are decided again,
and the result is what `recluster`'s full linking gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.events.storylines import link_storylines
from storyline.pipeline import ingest, recluster, update_events
from storyline.store import Store
from tests.events.test_storylines import _corpus


def stored_storylines(store: Store) -> list[dict]:
    """Storylines as stored, scores and all: an update scores its links with the whole store's
    entity and theme weights, as a rebuild does."""
    return [s.to_dict() for s in store.list_storylines()]


def test_events_added_one_by_one_link_as_a_rebuild_does(store: Store, monkeypatch) -> None:
    _, articles = _corpus()
    reports = sorted(articles.values(), key=lambda a: a.published or "")
    store.add_article(reports[0])
    update_events(store)
    # From now on an update must not read every event or every profile.
    for name in ("list_events", "iter_event_profiles", "iter_articles"):
        monkeypatch.setattr(store, name, lambda *a, name=name, **k: pytest.fail(f"{name} read"))
    for report in reports[1:]:
        store.add_article(report)
        update_events(store)
    incremental = stored_storylines(store)
    monkeypatch.undo()
    assert [s["events"] for s in incremental] == [["ev-call-a", "ev-summit-a"]]
    recluster(store)
    assert stored_storylines(store) == incremental
    # The same as linking the stored events directly.
    stored = {a.id: a for a in store.iter_articles()}
    assert [s.to_dict() for s in link_storylines(store.list_events(), stored)] == incremental
    assert {s.id for s in store.storylines_of_event("ev-summit-a")} == {incremental[0]["id"]}
    assert store.storylines_of_event("ev-harvest-a") == []


def test_a_removed_event_leaves_its_storyline(store: Store) -> None:
    _, articles = _corpus()
    for report in articles.values():
        store.add_article(report)
    update_events(store)
    [storyline] = store.list_storylines()
    # The summit report is re-cleaned into an unrelated text: its event goes, and with it the
    # storyline (one event is no storyline).
    summit = store.get_article("summit-a")
    summit.text, summit.entities = "Cherry growers met in Tassin to plan the next harvest.", []
    summit.title = "Cherry growers meet"
    store.update_article(summit)
    update_events(store, refreshed=["summit-a"])
    assert store.list_storylines() == []
    assert store.storylines_of_event(storyline.events[0]) == []


def test_seeds_ingested_one_by_one_give_the_rebuilt_storyline(tmp_path: Path,
                                                              seeds_dir: Path) -> None:
    with Store(tmp_path / "seeds.db") as store:
        for path in sorted(seeds_dir.glob("*.txt")):
            assert ingest([str(path)], store).ok
        incremental = stored_storylines(store)
        assert len(store.list_events()) == 2 and len(incremental) == 1
        assert set(incremental[0]["events"]) == {e.id for e in store.list_events()}
        recluster(store)
        assert stored_storylines(store) == incremental


def test_storylines_take_their_tunables_from_the_configuration(tmp_path: Path) -> None:
    """The corpus's one storyline has two events: none with `[events.storylines]` asking for
    three, the same with the defaults spelled out in TOML."""
    from storyline.config import PipelineConfig

    _, articles = _corpus()
    found = []
    for table in ("", "[events.storylines]\nmin_events = 2\n",
                  "[events.storylines]\nmin_events = 3\n"):
        config_file = tmp_path / f"{len(found)}.toml"
        config_file.write_text(table, encoding="utf-8")
        with Store(tmp_path / f"{len(found)}.db") as store:
            for report in articles.values():
                store.add_article(report)
            update_events(store, config=PipelineConfig.from_toml(config_file))
            found.append([s.events for s in store.list_storylines()])
    assert found == [[["ev-call-a", "ev-summit-a"]]] * 2 + [[]]
