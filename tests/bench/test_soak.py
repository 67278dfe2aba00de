"""`storyline bench soak` for two minutes (the real benchmark runs 30): items every second, some
broken, some failing twice first, a SIGKILL half-way. Every good item is stored exactly once,
no broken one is, events are updated, the store checks out, SIGTERM exits cleanly and memory
stays flat."""

from __future__ import annotations

import argparse

from storyline.bench import soak


def test_two_minute_soak_with_a_sigkill() -> None:
    args = argparse.Namespace(minutes=2.0, rate=1.0, broken=0.1, kill_at=0.5, fast=False)
    result = soak.run(None, args)
    # A loaded machine may leave a backlog the drain does not finish: the bench then resumes a
    # third watcher to finish it, which is the behaviour under test, not a failure.
    assert result["watcher_processes"] >= 2 and result["killed_after_published"] > 0
    assert result["published"] >= 100 and result["flaky"] > 0 and result["broken"] > 0
    assert result["parked"] == result["broken"], result
    assert all(result["passed"].values()), soak.format_text(result)
