"""`storyline bench briefs` on the fictional newsroom store: every way of reading a brief is
timed cold and warm, on the largest event and a sampled one."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.helpers import run_storyline
from tests.web.newsroom import BIG_EVENT_SIZE, build_newsroom


def test_bench_briefs_times_pages_api_and_command(tmp_path: Path) -> None:
    db = tmp_path / "newsroom.db"
    build_newsroom(db)
    result = run_storyline(db, "bench", "briefs", "--largest", "1", "--sample", "1",
                           "--repeat", "2", "--json")
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    assert figures["largest_event_articles"] == BIG_EVENT_SIZE
    assert figures["events_timed"] == 2 and figures["sizes_timed"][0] == BIG_EVENT_SIZE
    assert set(figures["kinds"]) == {"event_page", "event_api", "cli_event"}
    for states in figures["kinds"].values():
        assert states["cold"]["n"] == 2 and states["warm"]["n"] == 4
        for f in states.values():
            assert 0 < f["p50_ms"] <= f["p95_ms"] <= f["max_ms"] <= figures["worst_ms"]
    # A new process per command: it costs CPU every time, cold or warm.
    assert figures["kinds"]["cli_event"]["warm"]["cpu_ms_per_request"] > 0
    assert figures["met"] == (figures["worst_ms"] <= figures["goal_ms"])


def test_bench_briefs_needs_a_store(tmp_path: Path) -> None:
    result = run_storyline(tmp_path / "absent.db", "bench", "briefs")
    assert result.returncode == 1
    assert result.stderr.strip() == f"storyline: no store at {tmp_path / 'absent.db'} (give one with --db)"
