"""The ingest benchmark through the real CLI, and the parallel ingest path against the serial
one on a small corpus written here."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from storyline import pipeline
from storyline.bench.ingest import select_files
from storyline.store import Store
from tests.conftest import shared_data_path

PEOPLE = ["Jonas Hald", "Marta Ruiz", "Ivan Sokolov", "Amina Diallo", "Karl Brenner"]
PLACES = ["Nairobi", "Bogota", "Oslo", "Lima", "Berlin", "Hanoi"]


def write_corpus(root: Path, count: int) -> list[str]:
    """`count` small news texts (one duplicated, one empty) in a Timeline17-like layout."""
    paths = []
    for number in range(count):
        person = PEOPLE[number % len(PEOPLE)]
        place = PLACES[number % len(PLACES)]
        surname = person.split()[1]
        text = (
            f"{person} visits {place}\n\n"
            f"Minister {person} arrived in {place} on Thursday for talks number {number}. "
            f'"We expect an agreement before the end of the month," {surname} told reporters. '
            f"The Kremlin said on Friday it would send an envoy to {PLACES[number % 4]}.\n"
        )
        if number == count - 2:
            text = (root / "0.htm.txt").read_text(encoding="utf-8")  # a duplicate
        if number == count - 1:
            text = ""  # nothing left after cleaning: a failure
        path = root / f"{number}.htm.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    return paths


def stored(store: Store) -> list[dict]:
    articles = []
    for article in store.iter_articles():
        record = article.to_dict()
        record.pop("ingested_at")
        articles.append(record)
    return articles


def test_parallel_ingest_stores_what_serial_ingest_stores(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    paths = write_corpus(corpus, 14)
    results = {}
    for parallel in (False, True):
        with Store(tmp_path / f"parallel-{parallel}.db") as store:
            report = pipeline.ingest(paths, store, cluster=False, parallel=parallel)
            results[parallel] = (report.new, report.duplicate,
                                 [f.source for f in report.failed], stored(store))
    serial, parallel_run = results[False], results[True]
    assert len(serial[0]) == 12 and len(serial[1]) == 1 and len(serial[2]) == 1
    assert serial[3] and serial[3][0]["entities"] and serial[3][0]["quotes"]
    assert parallel_run == serial


def test_select_files_spreads_over_topics(tmp_path: Path) -> None:
    for topic in ("A", "B"):
        for day in range(5):
            folder = tmp_path / topic / "InputDocs" / f"2010-01-0{day + 1}"
            folder.mkdir(parents=True)
            (folder / "1.htm.txt").write_text("x", encoding="utf-8")
    chosen = select_files(tmp_path, 4)
    assert len(chosen) == 4
    assert {Path(path).parts[-4] for path in chosen} == {"A", "B"}
    assert len(select_files(tmp_path, None)) == 10


def test_cli_ingests_twenty_timeline17_articles() -> None:
    data = shared_data_path("timeline17")
    completed = subprocess.run(
        [sys.executable, "-m", "storyline.cli", "bench", "ingest", "--data", str(data),
         "--limit", "20", "--no-cluster", "--json"],
        capture_output=True, text=True, check=True, timeout=300,
    )
    result = json.loads(completed.stdout)
    for key in ("articles", "seconds", "articles_per_second", "stages"):
        assert key in result
    assert result["files"] == 20
    assert 0 < result["articles"] <= 20
    assert result["articles_per_second"] > 0
    assert {"read", "clean", "enrich", "store"} <= set(result["stages"])
