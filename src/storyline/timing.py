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


def cpu_seconds() -> float:
    """CPU seconds of this process and of its children waited for (the ingest's workers, a
    forked event update: `storyline.forked`)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
