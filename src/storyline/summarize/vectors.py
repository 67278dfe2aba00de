"""Sentence vectors for claim matching: each report's sentences encoded once, when it is stored.

Encoding is most of a brief's cost, and an event's brief is rebuilt whenever the event changes,
so the leading candidate sentences of every article (settings.BRIEF_ENCODED_SENTENCES) are
encoded at ingest, on the workers, and stored with the article (`Store.put_sentence_vectors`).
A brief then reads its members' vectors (`ClaimEncoding.remember_stored`) and encodes only what no stored
row holds (articles stored before, or by a path that does not encode). Vectors are kept in a
bounded least-recently-used cache keyed by encoder and sentence text, always in their stored
form (int8 rows), so a brief built from stored vectors and one built from fresh ones agree.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from storyline import settings
from storyline.config import check_fields
from storyline.model import Article
from storyline.store import Store
from storyline.store.sqlite import pack_rows, unpack_rows
from storyline.summarize.text import SentenceBounds

# Sentence vectors kept in this process's cache for briefs, about 2 KB each with the USE encoder
# (one cache shared by every configuration and thread: its bound is the process's memory, not a
# run's tunable).
_CACHE_SIZE = 20_000
_CACHE: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
_LOCK = threading.Lock()

# Per article: the indexes of its encoded sentences and their vectors (one row each).
ArticleSentenceVectors = tuple[list[int], np.ndarray]


def _as_stored(matrix: np.ndarray) -> np.ndarray:
    return unpack_rows(pack_rows(matrix), len(matrix))


@dataclass(frozen=True)
class ClaimEncoding:
    """How claim matching compares sentences (section `[claims]` of a pipeline configuration):
    the encoder (None: words only; "" is words only in TOML, which has no None), how many
    leading candidate sentences of each report it encodes (the rest are matched by words), and
    the similarities at which two sentences say the same thing (settings.py says why each)."""

    encoder: str | None = settings.CLAIM_ENCODER
    sentences: int = settings.BRIEF_ENCODED_SENTENCES
    lexical_similarity: float = settings.CLAIM_LEXICAL_SIMILARITY
    dense_similarity: float = settings.CLAIM_DENSE_SIMILARITY
    dense_supported: float = settings.CLAIM_DENSE_SUPPORTED
    lexical_support: float = settings.CLAIM_LEXICAL_SUPPORT
    crosslingual_similarity: float = settings.CLAIM_CROSSLINGUAL_SIMILARITY
    crosslingual_supported: float = settings.CLAIM_CROSSLINGUAL_SUPPORTED
    conflict_similarity: float = settings.CLAIM_CONFLICT_SIMILARITY
    merge_similarity: float = settings.CLAIM_MERGE_SIMILARITY
    repeat_similarity: float = settings.CLAIM_REPEAT_SIMILARITY
    stem_chars: int = settings.CLAIM_STEM_CHARS

    def __post_init__(self) -> None:
        check_fields(self, shares=(
            "lexical_similarity", "dense_similarity", "dense_supported", "lexical_support",
            "crosslingual_similarity", "crosslingual_supported", "conflict_similarity",
            "merge_similarity", "repeat_similarity"))

    def encoded_sentences(self, article: Article) -> list[tuple[int, str]]:
        """The (index, text) of the sentences of `article` compared by vector."""
        return SentenceBounds().candidates(article)[: self.sentences]

    def encode(self, articles: Iterable[Article]) -> dict[str, ArticleSentenceVectors]:
        """The vectors of each article's encoded sentences (one encoder call for all, each
        distinct text once), as `Store.put_sentence_vectors` takes them; {} without an
        encoder."""
        if not self.encoder:
            return {}
        chosen = {article.id: self.encoded_sentences(article) for article in articles}
        texts = list(dict.fromkeys(text for pairs in chosen.values() for _, text in pairs))
        rows = dict(zip(texts, sentence_vectors(self.encoder, texts), strict=True))
        return {
            article_id: ([index for index, _ in pairs],
                         np.vstack([rows[text] for _, text in pairs]))
            for article_id, pairs in chosen.items() if pairs
        }

    def store(self, store: Store, vectors: dict[str, ArticleSentenceVectors]) -> None:
        if self.encoder and vectors:
            store.put_sentence_vectors(self.encoder, vectors)

    def remember_stored(self, store: Store, articles: Iterable[Article]) -> None:
        """Put the stored vectors of the articles' encoded sentences that the cache lacks into
        it (a brief then encodes only sentences no stored row holds)."""
        if not self.encoder:
            return
        encoder = self.encoder
        wanted = {article.id: [(i, t) for i, t in self.encoded_sentences(article)
                               if not _cached(encoder, t)] for article in articles}
        stored = store.get_sentence_vectors(encoder, [a for a, pairs in wanted.items() if pairs])
        with _LOCK:
            for article_id, by_index in stored.items():
                for index, text in wanted[article_id]:
                    if index in by_index:
                        _CACHE[(encoder, text)] = by_index[index]
            _trim()


def _cached(encoder_name: str, text: str) -> bool:
    with _LOCK:
        return (encoder_name, text) in _CACHE


def _trim() -> None:
    while len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)


def sentence_vectors(encoder_name: str, texts: list[str]) -> np.ndarray:
    """L2-normalised vectors of `texts` (one row each, in stored form), encoding only texts not
    seen before."""
    from storyline.embed import get_encoder

    with _LOCK:
        missing = list(dict.fromkeys(t for t in texts if (encoder_name, t) not in _CACHE))
    if missing:
        encoded = _as_stored(get_encoder(encoder_name).encode(missing))
        with _LOCK:
            for text, vector in zip(missing, encoded, strict=True):
                _CACHE[(encoder_name, text)] = vector
    with _LOCK:
        rows = []
        for text in texts:
            vector = _CACHE.get((encoder_name, text))
            if vector is None:  # evicted by a concurrent caller meanwhile: encode it alone
                vector = _as_stored(get_encoder(encoder_name).encode([text]))[0]
            else:
                _CACHE.move_to_end((encoder_name, text))
            rows.append(vector)
        _trim()
    if not rows:
        return np.zeros((0, 0), dtype=np.float32)
    return np.vstack(rows)
