"""Named sets of settings: `default`, and `fast`, the firehose profile (`storyline ingest --fast`).

`fast` swaps the costliest models for cheap stand-ins: rule-based entity recognition instead
of spaCy, hashed TF-IDF features instead of the Universal Sentence Encoder, and briefs that match
claims by their words only (no encoder: briefs are built as events change, and encoding their
sentences was 80 % of a fast event update; claims in two languages are then not matched). What that costs in
accuracy on ECB+ and Timeline17, and what it gains in speed, is in docs/benchmarks.md.

A store's events keep the encoder they were first built with (it is part of the clusterer's
state), so `--fast` on a store clustered with USE still encodes with USE for its events.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from storyline import settings

FAST: dict[str, str | None] = {
    "ENRICH_NER_BACKEND": "rules", "DEFAULT_ENCODER": "tfidf", "CLAIM_ENCODER": None,
}
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
