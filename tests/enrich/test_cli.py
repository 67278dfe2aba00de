"""`storyline enrich` and `storyline entities` as a user runs them (real subprocess, real store)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from storyline.model import Article
from storyline.store import Store


def storyline(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "storyline.cli", "--db", str(db), *args],
        capture_output=True, text=True, timeout=300, check=False,
    )


def test_enrich_then_list_entities(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    with Store(db) as store:
        store.add_article(Article(id="a1", source="t", title="Talks in Oslo",
                                  text="Minister Jonas Hald met envoys in Oslo. Hald was pleased."))
        store.add_article(Article(id="a2", source="t", title="",
                                  text="Jonas Hald left Oslo for Geneva on Friday."))
    done = storyline(db, "enrich", "--json", "--ner", "rules")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["articles"] == 2

    listed = storyline(db, "entities", "--json")
    assert listed.returncode == 0, listed.stderr
    entities = {row["id"]: row for row in json.loads(listed.stdout)}
    assert entities["person:hald"]["articles"] == 2
    assert entities["person:hald"]["mentions"] == 3
    assert set(entities["person:hald"]["aliases"]) == {"Jonas Hald", "Hald"}
    assert entities["place:oslo"]["type"] == "place"

    text = storyline(db, "entities", "--limit", "1")
    assert text.returncode == 0
    assert len(text.stdout.strip().splitlines()) == 1

    with Store(db) as store:
        stored = store.get_article("a1")
    assert stored is not None and stored.language == "en" and stored.sentences
