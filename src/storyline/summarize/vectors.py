"""Sentence vectors for claim matching, each sentence encoded once per process.

Encoding is most of a brief's cost, and the sentences of an event hardly change between two
briefs of it (a new report adds its own sentences; the others are the same), so vectors are
kept in a bounded least-recently-used cache keyed by encoder and sentence text.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np

from storyline import settings

_CACHE: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
_LOCK = threading.Lock()


def sentence_vectors(encoder_name: str, texts: list[str]) -> np.ndarray:
    """L2-normalised vectors of `texts` (one row each), encoding only texts not seen before."""
    from storyline.embed import get_encoder

    with _LOCK:
        missing = list(dict.fromkeys(t for t in texts if (encoder_name, t) not in _CACHE))
    if missing:
        encoded = get_encoder(encoder_name).encode(missing)
        with _LOCK:
            for text, vector in zip(missing, encoded, strict=True):
                _CACHE[(encoder_name, text)] = vector
    with _LOCK:
        rows = []
        for text in texts:
            vector = _CACHE.get((encoder_name, text))
            if vector is None:  # evicted by a concurrent caller meanwhile: encode it alone
                vector = get_encoder(encoder_name).encode([text])[0]
            else:
                _CACHE.move_to_end((encoder_name, text))
            rows.append(vector)
        while len(_CACHE) > settings.BRIEF_VECTOR_CACHE_SIZE:
            _CACHE.popitem(last=False)
    if not rows:
        return np.zeros((0, 0), dtype=np.float32)
    return np.vstack(rows)
