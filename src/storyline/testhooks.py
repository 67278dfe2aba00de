"""Crash points for tests only: `STORYLINE_TEST_KILL_AT=<point>[:<n>]` makes the process kill
itself with SIGKILL the n-th time (default: the first) it reaches `<point>`.

Kill tests use it to stop a run at a chosen moment, not after a random sleep, and then check
that nothing was lost or stored twice. Never set it outside tests. Points:

- `ingest.stored`: a group of articles was committed by the ingest (`pipeline.ingest_reads`);
- `ingest.vectors`: a group's articles are written, their vectors not yet, nothing committed;
- `watch.fetched`: `storyline watch` fetched a feed item's page, before storing it;
- `watch.stored`: the watcher stored an item's articles, before marking the item done;
- `events.saving`: the event update (or `recluster`) is inside its saving transaction, half
  written.
"""

from __future__ import annotations

import os
import signal
from collections import Counter

KILL_VARIABLE = "STORYLINE_TEST_KILL_AT"
POINTS = frozenset({"ingest.stored", "ingest.vectors", "watch.fetched", "watch.stored",
                    "events.saving"})
_reached: Counter[str] = Counter()


def reached(point: str) -> None:
    """Kill this process here when $STORYLINE_TEST_KILL_AT names this point (and count)."""
    wanted = os.environ.get(KILL_VARIABLE)
    if not wanted:
        return
    name, _, count = wanted.partition(":")
    if name not in POINTS:  # a typo would otherwise never kill, and the test prove nothing
        raise ValueError(f"${KILL_VARIABLE}: no crash point {name!r}; points: {sorted(POINTS)}")
    if name != point:
        return
    _reached[point] += 1
    if _reached[point] >= int(count or 1):
        os.kill(os.getpid(), signal.SIGKILL)


def reached_counts() -> dict[str, int]:
    """How many times each crash point was reached in this process (a forked child sends its
    counts back: `storyline.forked`)."""
    return dict(_reached)


def add_reached(counts: dict[str, int]) -> None:
    """Count crash points a forked child reached as reached here."""
    _reached.update(counts)
