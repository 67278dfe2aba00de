"""The ECB+ clustering benchmark: metrics on hand-made labels, and a quick run on two topics."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

import pytest

from storyline.bench.cluster import (
    GRID,
    ari,
    bcubed,
    format_text,
    pair_counts,
    run,
    to_raw_document,
)
from tests.conftest import shared_data_path


def test_bcubed_on_a_hand_computed_example() -> None:
    # gold {a,b,c} {d}; predicted {a,b} {c,d}
    scores = bcubed(["x", "x", "y", "y"], ["g", "g", "g", "h"])
    # precision per item: 1, 1, 1/2, 1/2 -> 0.75; recall: 2/3, 2/3, 1/3, 1 -> 0.6667
    assert scores["precision"] == pytest.approx(0.75)
    assert scores["recall"] == pytest.approx(0.6667, abs=1e-4)
    assert pair_counts(["x", "x", "y", "y"], ["g", "g", "g", "h"]) == (1, 2, 3)
    assert ari(["x", "x", "y"], ["g", "g", "h"]) == 1.0


def test_url_line_becomes_metadata() -> None:
    raw = to_raw_document({"id": "1_1", "text": "http://example.org/a\nTitle here\nBody.\n"})
    assert raw.url == "http://example.org/a"
    assert raw.text == "Title here\nBody."


def test_benchmark_on_two_topics_reports_every_figure(tmp_path, monkeypatch) -> None:
    data = shared_data_path("ecbplus")
    # Two grid points keep the cross-validation (2 + 5 folds) within seconds.
    monkeypatch.setattr("storyline.bench.cluster.GRID", GRID[:2])
    args = argparse.Namespace(encoder="tfidf", limit_topics=2, tune_all=False, cache=tmp_path)
    first = run(data, args)
    assert first["stages_from_cache"] is False
    args.five_fold = True
    result = run(data, args)  # articles and vectors now come from the cache
    json.dumps(result)
    assert result["stages_from_cache"] is True
    assert result["bcubed"] == first["bcubed"]
    assert 0.5 < result["five_fold"]["bcubed"]["f1"] <= 1.0
    assert "5-fold over topics" in format_text(result)
    assert {"documents", "events_found", "bcubed", "pairwise", "ari", "articles_per_second",
            "baselines", "bcubed_topic_mean_f1", "stage_seconds"} <= set(result)
    assert set(result["bcubed"]) == {"precision", "recall", "f1"}
    assert 0.5 < result["bcubed"]["f1"] <= 1.0
    assert len(result["baselines"]) == 4
    assert all({"name", "bcubed", "ari"} <= set(b) for b in result["baselines"])
    assert "storyline online clusterer" in format_text(result)
    # recluster's rebuild, scored by the same held-out protocol, stays close to the stream
    assert 0.5 < result["rebuild_bcubed"]["f1"] <= 1.0
    assert result["online_minus_rebuild_f1"] == pytest.approx(
        result["bcubed"]["f1"] - result["rebuild_bcubed"]["f1"], abs=1e-4)
    assert "rebuilt by recluster" in format_text(result)


def test_cli_refuses_missing_data(tmp_path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "storyline.cli", "bench", "cluster", "--data",
         str(tmp_path / "absent")], capture_output=True, text=True, check=False,
    )
    assert completed.returncode == 1
    assert "not found" in completed.stderr
