"""`storyline bench clean`: the gold-snippet metric on a page we wrote, and the split."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from storyline.bench.clean import Counts, format_text, is_held_out, normalize_snippet, run
from tests.conftest import PROJECT_ROOT, shared_data_path

_PAGE = """Home
World
Harbour cranes stop as dockers strike for a second day
By Ana Ruiz
Dockers at the northern harbour stopped work on Tuesday for a second day running.
The union said talks with the port authority had broken down over night shifts.
Related stories
Ferry fares to rise in spring
© 2026 The Harbour Times. All rights reserved.
"""
_GOLD = {
    "page.txt": {
        "url": "https://example.org/strike",
        "with": [
            "Dockers at the northern harbour stopped work on Tuesday for a second day running.",
            "The union said talks with the port authority had broken down over night shifts.",
        ],
        "without": ["Related stories", "Ferry fares to rise in spring",
                    "\u00a9 2026 The Harbour Times. All rights reserved."],
    }
}


def test_snippets_count_as_found_missing_or_leaked() -> None:
    counts = Counts()
    haystack = normalize_snippet("Title  kept\u200b here. Body one. Menu")
    counts.add(haystack, ["Title kept here.", "Body one.", "Body two."], ["Menu", "Footer"])
    assert (counts.true_positives, counts.false_negatives, counts.false_positives) == (2, 1, 1)
    assert counts.figures() == {"precision": 0.6667, "recall": 0.6667, "f1": 0.6667}
    assert Counts().figures() == {"precision": 0.0, "recall": 0.0, "f1": 0.0}


def test_normalisation_is_the_readers_and_the_cleaners() -> None:
    assert normalize_snippet("Don\u00e2\u0080\u0099t \u00a0 stop\u00ad\n now") == "Don\u00e2t stop now"


def test_split_is_fixed_and_splits_in_two() -> None:
    names = [f"aeb{n:03d}.txt" for n in range(1, 171)]
    held_out = [name for name in names if is_held_out(name)]
    assert 0.35 < len(held_out) / len(names) < 0.65
    # Fixed forever: the line model was trained on the complement of exactly this half.
    assert [is_held_out(name) for name in names[:6]] == [False, True, True, True, True, False]


def test_run_on_a_page_we_wrote(tmp_path: Path) -> None:
    (tmp_path / "page.txt").write_text(_PAGE, encoding="utf-8")
    (tmp_path / "gold.json").write_text(json.dumps(_GOLD), encoding="utf-8")
    result = run(tmp_path, argparse.Namespace(split=False, limit=None))
    assert result["pages"] == 1
    assert result["recall"] == 1.0
    assert result["precision"] == 1.0
    # Nothing removed: both body sentences and all three furniture lines are found.
    assert (result["raw_precision"], result["raw_recall"]) == (0.4, 1.0)
    assert result["pages_per_second"] > 0
    # The page is cleaned once untimed first (the process's setup goes there), scored once.
    assert result["warm_up_cpu_seconds"] > 0
    assert "storyline clean" in format_text(result)
    assert "warm-up" in format_text(result)


def test_bench_clean_cli_on_the_held_out_half() -> None:
    data = shared_data_path("scrapinghub-aeb-text")
    completed = subprocess.run(
        [sys.executable, "-m", "storyline.cli", "bench", "clean", "--data", str(data),
         "--split", "--limit", "20", "--json"],
        capture_output=True, text=True, timeout=300, cwd=PROJECT_ROOT, check=False,
    )
    assert completed.returncode == 0, completed.stderr
    result = json.loads(completed.stdout)
    assert {"pages", "precision", "recall", "f1", "pages_per_second", "raw_f1"} <= set(result)
    assert result["pages"] == 20
    assert result["f1"] > result["raw_f1"]
