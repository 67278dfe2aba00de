from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from storyline import views
from storyline.events.dedup import assign_roles
from storyline.events.storylines import link_storylines
from storyline.model import Event, EventMember
from storyline.store import Store
from tests.conftest import PROJECT_ROOT
from tests.events.dedup_corpus import near_copy, unrelated, wire_story


def _run(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "storyline.cli", "--db", str(db), *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=PROJECT_ROOT,
        check=False,
    )


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A store with two events (the bridge story and its copy; a harvest) and one storyline."""
    path = tmp_path / "events.db"
    wire, copy = wire_story(), near_copy()
    harvest = unrelated()[0]
    wire.outlet, copy.outlet, harvest.outlet = "Wire", "Daily", "Farm News"
    wire.language = copy.language = harvest.language = "en"
    with Store(path) as store:
        for item in (wire, copy, harvest):
            store.add_article(item)
        events = [
            Event(
                "ev-bridge",
                wire.title,
                "2024-03-05",
                entities=["place:velmora", "person:carrow"],
                members=[EventMember(wire.id), EventMember(copy.id)],
                outlets=["Wire", "Daily"],
                languages=["en"],
            ),
            Event(
                "ev-bridge-2",
                "Velmora bridge opens",
                "2025-04-01",
                entities=["person:carrow", "place:velmora"],
                members=[],
            ),
            Event(
                "ev-harvest",
                harvest.title,
                "2024-03-05",
                entities=["place:tassin"],
                members=[EventMember(harvest.id)],
                outlets=["Farm News"],
                languages=["en"],
            ),
        ]
        assign_roles(events, {}, store)
        store.save_events(events)
        store.save_storylines(link_storylines(events, {}))
    return path


def test_events_json_lists_every_event_with_its_articles(db: Path) -> None:
    completed = _run(db, "events", "--json")
    assert completed.returncode == 0, completed.stderr
    rows = json.loads(completed.stdout)
    assert [row["id"] for row in rows] == ["ev-bridge-2", "ev-bridge", "ev-harvest"]
    bridge = rows[1]
    assert {"id", "title", "date", "articles", "outlets", "languages"} <= set(bridge)
    with Store(db) as store:  # the CLI prints the same shape as GET /api/events
        assert rows == [views.event_summary(event) for event in store.list_events()]
    assert bridge["articles"] == ["wire", "copy"]
    assert bridge["outlets"] == ["Wire", "Daily"] and bridge["languages"] == ["en"]
    text = _run(db, "events")
    assert text.returncode == 0 and "Velmora bridge to open next spring" in text.stdout


def test_storylines_json_links_the_bridge_events_only(db: Path) -> None:
    completed = _run(db, "storylines", "--json")
    assert completed.returncode == 0, completed.stderr
    rows = json.loads(completed.stdout)
    assert len(rows) == 1
    assert {"id", "title", "events", "entities"} <= set(rows[0])
    with Store(db) as store:  # the CLI prints the same shape as GET /api/storylines
        assert rows == [views.storyline_summary(s) for s in store.list_storylines()]
    assert rows[0]["events"] == ["ev-bridge", "ev-bridge-2"]
    assert set(rows[0]["entities"]) == {"place:velmora", "person:carrow"}
    assert "Velmora" in _run(db, "storylines").stdout


def test_similarity_by_id_prefix(db: Path) -> None:
    completed = _run(db, "similarity", "wir", "cop", "--encoder", "none", "--json")
    assert completed.returncode == 0, completed.stderr
    scores = json.loads(completed.stdout)
    assert set(scores) == {"geography", "entities", "time", "narrative", "overall", "style", "tone"}
    assert scores["narrative"] < 1.5
    text = _run(db, "similarity", "wire", "other0", "--encoder", "none")
    assert text.returncode == 0 and "narrative" in text.stdout


def test_similarity_unknown_id_is_a_one_line_error(db: Path) -> None:
    completed = _run(db, "similarity", "nosuch", "wire", "--encoder", "none")
    assert completed.returncode == 1
    assert completed.stderr.strip() == "storyline: no article with id 'nosuch'"


def test_recluster_prints_counts(db: Path) -> None:
    completed = _run(db, "recluster")
    assert completed.returncode == 0, completed.stderr
    assert "events" in completed.stdout and "storylines" in completed.stdout
    rows = json.loads(_run(db, "events", "--json").stdout)
    assert sorted(a for row in rows for a in row["articles"]) == ["copy", "other0", "wire"]


def test_events_csv_counts_a_copy_with_its_original(db: Path) -> None:
    completed = _run(db, "events", "--format", "csv", "--sort", "outlets")
    assert completed.returncode == 0, completed.stderr
    header, *rows = list(csv.reader(io.StringIO(completed.stdout)))
    assert header[:2] == ["id", "date"] and "independent_outlets" in header
    by_id = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    # The bridge story is carried by two outlets, but one prints a copy of the other.
    assert by_id["ev-bridge"]["outlets"] == "2"
    assert by_id["ev-bridge"]["independent_outlets"] == "1"
    assert by_id["ev-bridge"]["outlet_names"] == "Wire; Daily"
    assert by_id["ev-bridge-2"]["independent_outlets"] == "0"
    # Ties on independent outlets break by date, newest first.
    assert [row[0] for row in rows] == ["ev-bridge", "ev-harvest", "ev-bridge-2"]
    text = _run(db, "events", "--sort", "outlets")
    assert text.stdout.splitlines()[0].startswith("ev-bridge  2024-03-05    2 art.   1 outl.")
    assert _run(db, "events", "--format", "csv", "--json").returncode == 2
