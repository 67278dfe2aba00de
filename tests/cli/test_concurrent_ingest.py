"""Two `storyline ingest` processes on one store at once: every article stored once, no errors."""

from __future__ import annotations

import subprocess
from pathlib import Path

from storyline.store import Store
from tests.cli.helpers import storyline_command, write_stories


def test_two_concurrent_ingests_store_each_article_once(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write_stories(corpus, 6)
    db = tmp_path / "store.db"
    runs = [subprocess.Popen(storyline_command(db, "ingest", str(corpus)), text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    counts = [dict(part.split() for part in out.strip().split(", ")) for out, _ in outputs]
    assert sum(int(c["new"]) for c in counts) == 6
    assert all(c["failed"] == "0" for c in counts)
    store = Store(db)
    try:
        assert store.count_articles() == 6
        members = [a for event in store.list_events() for a in event.article_ids]
        assert sorted(members) == sorted(set(members)), "an article in two events"
    finally:
        store.close()
