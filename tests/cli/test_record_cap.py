"""One file cannot flood the store: records beyond the per-file cap are reported, not stored,
and the message says how to let them in."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from storyline import settings
from storyline.ingest import read_bytes
from storyline.model import RawDocument, ReadFailure
from tests.cli.helpers import run_storyline


def records(count: int) -> bytes:
    return "".join(
        json.dumps({"title": f"Tide table {number}", "text": f"High water at Skerrow pier on day "
                    f"{number} of the season, the harbour office said."}) + "\n"
        for number in range(count)
    ).encode()


def test_a_file_stops_at_the_default_cap_and_says_how_many_were_skipped() -> None:
    cap = settings.MAX_RECORDS_PER_FILE
    items = list(read_bytes("tides.jsonl", records(cap + 5), "tides.jsonl"))
    documents = [item for item in items if isinstance(item, RawDocument)]
    assert len(documents) == cap
    assert items[-1] == ReadFailure(
        "tides.jsonl", f"5 records after the first {cap} not read: a file may hold at most {cap} "
        "([ingest] max_records_per_file; storyline ingest --max-records N raises it)",
    )


def test_the_cap_flag_and_a_rerun_let_the_rest_in(tmp_path: Path) -> None:
    path = tmp_path / "tides.jsonl"
    path.write_bytes(records(12))
    db = tmp_path / "store.db"
    capped = run_storyline(db, "ingest", "--no-events", "--max-records", "10", str(path))
    assert capped.returncode == 3, capped.stderr
    assert capped.stdout.splitlines() == [
        "new 10, duplicate 0, failed 1",
        (f"FAILED {path}: 2 records after the first 10 not read: a file may hold at most 10 "
         "([ingest] max_records_per_file; storyline ingest --max-records N raises it)"),
    ]
    raised = run_storyline(db, "ingest", "--no-events", "--max-records", "12", str(path))
    assert raised.returncode == 0, raised.stderr
    assert raised.stdout.strip() == "new 2, duplicate 10, failed 0"
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 12


def test_a_cap_below_one_is_a_usage_error(tmp_path: Path) -> None:
    result = run_storyline(tmp_path / "store.db", "ingest", "--max-records", "0", str(tmp_path))
    assert result.returncode == 2
    assert "expected a whole number from 1 up, got '0'" in result.stderr
