"""`--db` works before or after the command, as the README promises."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from storyline.cli import build_parser
from storyline.model import Event
from storyline.store import Store


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--db", "before.db", "events"], "before.db"),
        (["events", "--db", "after.db"], "after.db"),
        (["events", "--db", "after.db", "--json"], "after.db"),
        (["--db", "before.db", "events", "--db", "after.db"], "after.db"),
        (["timeline", "Vesk", "--db", "after.db"], "after.db"),
        (["events"], None),
    ],
)
def test_db_is_taken_before_or_after_the_command(argv: list[str], expected: str | None) -> None:
    assert build_parser().parse_args(argv).db == expected


def test_events_lists_the_store_named_after_the_command(tmp_path: Path) -> None:
    db = tmp_path / "after.db"
    with Store(db) as store:
        store.save_events([Event(id="ev-after", title="Ferry resumes", date="2026-01-02")])
    result = subprocess.run(
        [sys.executable, "-m", "storyline.cli", "events", "--db", str(db), "--json"],
        capture_output=True, text=True, timeout=120, check=False, cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert [e["id"] for e in json.loads(result.stdout)] == ["ev-after"]
    assert not (tmp_path / "storyline.db").exists()
