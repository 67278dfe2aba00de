"""CPU seconds per pipeline stage over the life of the process (the ingest benchmark prints them).

Stages: read, clean, enrich (and enrich.<step>), embed, sentences (each report's sentences
encoded for claim matching, on the workers), store, templates (learning them), reclean (earlier
pages cleaned, enriched and encoded again for what was learned), briefs. CPU, not wall,
time: on a shared machine the wall time measures the neighbours. In a parallel run clean, enrich
and embed add up every worker. A module of its own so any stage can add to it without importing
`storyline.pipeline`, which imports the stages."""

from __future__ import annotations

import resource
from collections import defaultdict

STAGE_SECONDS: dict[str, float] = defaultdict(float)
# CPU seconds of descendants that a child of this process waited for, that child not yet
# waited for itself (a `forked.Zygote` and the children it forks): the kernel adds them to
# this process's children's usage only when the zygote is waited for.
_DESCENDANTS = {"cpu_seconds": 0.0}


def cpu_seconds() -> float:
    """CPU seconds of this process and of its descendants (the ingest's workers, a forked
    event update, a zygote and the updates it forks: `storyline.forked`)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
            + _DESCENDANTS["cpu_seconds"])


def count_descendants(seconds: float) -> None:
    """Count `seconds` of CPU spent by descendants not yet in this process's children's usage
    (negative once their usage is in it: the zygote was waited for)."""
    _DESCENDANTS["cpu_seconds"] += seconds
