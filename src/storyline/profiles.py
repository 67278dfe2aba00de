"""Named sets of settings: `default`, and `fast`, the firehose profile (`storyline ingest --fast`).

`fast` swaps the two costliest models for cheap stand-ins: rule-based entity recognition instead
of spaCy, and hashed TF-IDF features instead of the Universal Sentence Encoder. What that costs in
accuracy on ECB+ and Timeline17, and what it gains in speed, is in docs/benchmarks.md.

A store's events keep the encoder they were first built with (it is part of the clusterer's
state), so `--fast` on a store clustered with USE still encodes with USE for its events.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from storyline import settings

FAST = {"ENRICH_NER_BACKEND": "rules", "DEFAULT_ENCODER": "tfidf"}
PROFILES = {"default": {name: getattr(settings, name) for name in FAST}, "fast": FAST}


def use(name: str) -> None:
    """Apply a profile to `storyline.settings` for the rest of this process."""
    for setting, value in PROFILES[name].items():
        setattr(settings, setting, value)


@contextmanager
def active(name: str) -> Iterator[None]:
    """Apply a profile for the duration of a block (benchmarks compare profiles in one run)."""
    saved = {setting: getattr(settings, setting) for setting in FAST}
    use(name)
    try:
        yield
    finally:
        for setting, value in saved.items():
            setattr(settings, setting, value)
