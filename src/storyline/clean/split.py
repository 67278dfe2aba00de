"""The snippet set's held-out split and its snippet normalisation, shared by the line model's
training (`storyline.clean.train`, which takes the pages that are not held out) and the benchmark
that scores the held-out half (`storyline bench clean --split`). They live in clean, below both,
so that training does not import the benchmarks.
"""

from __future__ import annotations

import hashlib

from storyline.clean.lines import normalize_line
from storyline.ingest.decode import normalize_text


def is_held_out(file_name: str) -> bool:
    """Whether a page belongs to the held-out half: the parity of its name's SHA-256.

    The training script takes exactly the pages for which this is False.
    """
    return hashlib.sha256(file_name.encode("utf-8")).digest()[0] % 2 == 1


def normalize_snippet(text: str) -> str:
    """Text as the cleaner's output prints it: no control or invisible characters, one space."""
    return normalize_line(normalize_text(text))
