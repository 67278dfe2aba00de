"""Background work yields the CPU to the server on the same machine.

`storyline ingest`, `watch`, `recluster`, `reclean` and `enrich` write in bulk for seconds to hours
and nobody waits on any one of their steps; `storyline serve` answers visitors who wait on every
request. On a machine with few cores the two compete for the CPU, and at equal priority the
kernel shares it out by runnable task: an ingest with its worker processes took most of two cores
and the server's answers queued behind it for seconds (docs/benchmarks.md, graceful overload).
So the bulk commands lower their own scheduling priority (a nice value, inherited by the worker
processes they fork): when nothing else wants the CPU they run as fast as before; when the
server does, it gets the CPU first.
"""

from __future__ import annotations

import os

# The nice value the bulk commands run at by default: at 10 against a server's 0, Linux weighs
# the server about ten times heavier when both want a core.
BACKGROUND_NICENESS = 10
HIGHEST_NICENESS = 19
# Overrides BACKGROUND_NICENESS as the default of the commands' `--nice` (the test suite sets 0:
# its child commands must not queue behind the rest of a busy machine).
NICE_VARIABLE = "STORYLINE_NICE"


def lower_priority(niceness: int) -> int:
    """Run this process (and the processes it starts from now on) at nice value `niceness`
    at least; never raises its priority (that needs privileges, and whoever started it nicer
    meant it). Returns the nice value now in force; a no-op where there is no `os.nice`."""
    if not hasattr(os, "nice"):
        return 0
    current = os.nice(0)
    wanted = min(max(niceness, 0), HIGHEST_NICENESS)
    if wanted > current:
        current = os.nice(wanted - current)
    return current


def background_niceness() -> int:
    """The nice value background work runs at unless told otherwise: $STORYLINE_NICE when it
    is a whole number, else BACKGROUND_NICENESS."""
    value = os.environ.get(NICE_VARIABLE, "").strip()
    return min(int(value), HIGHEST_NICENESS) if value.isdigit() else BACKGROUND_NICENESS
