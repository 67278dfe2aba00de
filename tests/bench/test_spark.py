"""Parts of `storyline bench spark` that need neither Spark nor shared data."""

from __future__ import annotations

import subprocess
import sys

import numpy as np

from storyline.bench.spark import CYCLE_DAYS, process_tree_cpu_seconds, repeated
from storyline.events.features import ArticleFeatures


def test_repeated_stream_moves_each_copy_past_the_window() -> None:
    items = [ArticleFeatures("a", np.zeros(2), {"x": 1.0}, {}, 10, "en"),
             ArticleFeatures("b", np.zeros(2), {"y": 1.0}, {}, None, "en", not_before=5)]
    stream = repeated(items, 5)
    assert len(stream) == 5
    assert len({item.id for item in stream}) == 5
    assert [item.day for item in stream if item.day is not None] == [
        10, 10 + CYCLE_DAYS, 10 + 2 * CYCLE_DAYS]
    assert sorted(item.not_before for item in stream if item.day is None) == [5, 5 + CYCLE_DAYS]


def test_cpu_of_the_process_tree_counts_a_running_child() -> None:
    before = process_tree_cpu_seconds()
    # A child that burns CPU, then waits to be read: its seconds count while it is alive.
    child = subprocess.Popen(
        [sys.executable, "-c",
         ("import time, sys\nend = time.process_time() + 1.0\n"
         "while time.process_time() < end: pass\nprint('done', flush=True)\nsys.stdin.read()")],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None and child.stdout.readline() == "done\n"
        assert process_tree_cpu_seconds() - before >= 0.9
    finally:
        child.communicate("")
