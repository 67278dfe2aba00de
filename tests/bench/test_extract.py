"""The Scrapinghub metric on hand-computed cases, and `storyline bench extract` end to end."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from storyline.bench.extract import format_text, match_counts, scores, shingles
from tests.conftest import PROJECT_ROOT, shared_data_path


def test_shingles_are_four_word_runs_and_short_texts_one_shingle() -> None:
    assert shingles("Alpha beta, gamma delta epsilon!") == {
        ("Alpha", "beta", "gamma", "delta"): 1,
        ("beta", "gamma", "delta", "epsilon"): 1,
    }
    assert shingles("two words") == {("two", "words"): 1}
    assert shingles("") == {}


def test_match_counts_normalised_per_page() -> None:
    assert match_counts("a b c d e", "a b c d e") == (1.0, 0.0, 0.0)
    # shingles true {abcd, bcde}, predicted {abcd, bcdx}: one of each kind
    assert match_counts("a b c d e", "a b c d x") == pytest.approx((1 / 3, 1 / 3, 1 / 3))
    # word order inside a shingle counts: same words reversed share nothing
    assert match_counts("a b c d", "d c b a") == (0.0, 0.5, 0.5)
    assert match_counts("a b c d e", "") == (0.0, 0.0, 1.0)
    assert match_counts("", "") == (0.0, 0.0, 0.0)
    # repeated shingles are counted as a bag, not a set
    assert match_counts("a b c d", "a b c d. a b c d") == pytest.approx((1 / 5, 4 / 5, 0.0))


def test_scores_average_per_page_and_skip_empty_predictions_for_precision() -> None:
    counts = [
        match_counts("a b c d e", "a b c d e"),  # P 1, R 1
        match_counts("a b c d e", "a b c d x"),  # P 0.5, R 0.5
        match_counts("a b c d e", ""),  # nothing predicted: R 0, no precision
    ]
    figures = scores(counts)
    assert figures["precision"] == pytest.approx(0.75)
    assert figures["recall"] == pytest.approx(0.5)
    assert figures["f1"] == pytest.approx(round(2 * 0.75 * 0.5 / 1.25, 4))
    assert scores([]) == {"precision": 0.0, "recall": 0.0, "f1": 0.0}


def test_format_text_is_a_table() -> None:
    figures = {"precision": 0.9, "recall": 0.8, "f1": 0.847, "pages_per_second": 12.5}
    text = format_text({"items": 3, **figures, "baseline": {"name": "base", **figures}})
    assert text.splitlines()[0].split() == [
        "extractor", "items", "precision", "recall", "F1", "pages/s"
    ]
    assert len(text.splitlines()) == 3


def test_bench_extract_cli_on_ten_pages() -> None:
    data = shared_data_path("scrapinghub-aeb")
    completed = subprocess.run(
        [sys.executable, "-m", "storyline.cli", "bench", "extract", "--data", str(data),
         "--limit", "10", "--json"],
        capture_output=True, text=True, timeout=300, cwd=PROJECT_ROOT, check=False,
    )
    assert completed.returncode == 0, completed.stderr
    result = json.loads(completed.stdout)
    assert set(result) == {"items", "precision", "recall", "f1", "pages_per_second", "baseline"}
    assert set(result["baseline"]) == {"name", "precision", "recall", "f1", "pages_per_second"}
    assert result["items"] == 10
    assert result["baseline"]["name"] == "trafilatura.extract"
    for figures in (result, result["baseline"]):
        assert 0.5 < figures["f1"] <= 1.0
        assert figures["pages_per_second"] > 0
