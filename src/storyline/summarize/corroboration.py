"""Which claims of an event several independent outlets report, and which only one does.

A sentence's claim is reported by every independent voice that has a sentence saying the same. Similarity is
cross-lingual tolerant: TF-IDF word cosine (same language), shared anchors - canonical entity ids
and numbers, which are the same in every language - and, when an encoder is installed, the
multilingual sentence-embedding cosine. Independence: a copy and the article it copies are one
voice, and so are two articles of the same outlet.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from storyline import settings
from storyline.model import Article, Event
from storyline.summarize.text import fold, stop_words_for, tfidf_matrix

_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


@dataclass
class EventSentence:
    """One candidate sentence of an event, with where it comes from."""

    text: str
    article: str
    outlet: str | None
    language: str | None
    index: int
    anchors: frozenset[str] = frozenset()


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, key: str) -> str:
        self.parent.setdefault(key, key)
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def union(self, a: str, b: str) -> None:
        root_a, root_b = self.find(a), self.find(b)
        if root_a != root_b:
            # The smaller key wins, so the representative does not depend on call order.
            low, high = sorted((root_a, root_b))
            self.parent[high] = low


def independent_voices(event: Event, articles: Sequence[Article]) -> dict[str, str]:
    """Article id -> voice key; copies of one another and one outlet's articles share a key."""
    groups = _UnionFind()
    by_id = {a.id: a for a in articles}
    for member in event.members:
        groups.find(member.article_id)
        if member.role == "copy" and member.copy_of and member.copy_of in by_id:
            groups.union(member.article_id, member.copy_of)
    for article in articles:
        groups.find(article.id)
        if article.outlet:
            groups.union(article.id, "outlet:" + fold(article.outlet))
    return {a.id: groups.find(a.id) for a in articles}


def entity_anchors(articles: Sequence[Article]) -> list[tuple[re.Pattern[str], str]]:
    """(pattern of a name or alias, canonical entity id) for every entity of the articles."""
    names: dict[str, str] = {}
    for article in articles:
        for entity in article.entities:
            for name in [entity.name, *entity.aliases]:
                folded = fold(name).strip()
                if len(folded) >= 2:
                    names.setdefault(folded, entity.id)
    return [
        (re.compile(r"(?<!\w)" + re.escape(name) + r"(?!\w)"), entity_id)
        for name, entity_id in sorted(names.items())
    ]


def sentence_anchors(text: str, anchors: list[tuple[re.Pattern[str], str]]) -> frozenset[str]:
    folded = fold(text)
    found = {"entity:" + entity_id for pattern, entity_id in anchors if pattern.search(folded)}
    found |= {"number:" + n.replace(",", ".") for n in _NUMBER.findall(folded)}
    return frozenset(found)


def _dense_similarity(texts: list[str]) -> np.ndarray | None:
    """Encoder cosine matrix, or None when no encoder is configured or installed."""
    if not settings.CLAIM_ENCODER or not texts:
        return None
    try:
        from storyline.embed import get_encoder

        vectors = get_encoder(settings.CLAIM_ENCODER).encode(texts)
    except Exception:  # noqa: BLE001 - any encoder failure means: fall back to lexical matching
        return None
    return np.asarray(vectors @ vectors.T, dtype=float)


def similarity_matrices(sentences: Sequence[EventSentence]) -> tuple[np.ndarray, np.ndarray]:
    """(similarity used for redundancy, boolean same-claim matrix)."""
    texts = [s.text for s in sentences]
    matrix = tfidf_matrix(
        texts, stop_words_for(s.language for s in sentences), settings.CLAIM_STEM_CHARS
    )
    lexical = np.asarray((matrix @ matrix.T).todense(), dtype=float)
    n = len(sentences)
    anchor = np.zeros((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            shared = len(sentences[i].anchors & sentences[j].anchors)
            if shared >= settings.CLAIM_MIN_SHARED_ANCHORS:
                union = len(sentences[i].anchors | sentences[j].anchors)
                anchor[i, j] = anchor[j, i] = shared / union
    lexical = np.maximum(lexical, anchor)
    same = lexical >= settings.CLAIM_LEXICAL_SIMILARITY
    dense = _dense_similarity(texts)
    if dense is not None:
        # Paraphrases ('expressed satisfaction with' / 'praised') share few words: a fairly
        # close embedding counts when some words agree too; a very close one counts alone.
        same |= dense >= settings.CLAIM_DENSE_SIMILARITY
        same |= (dense >= settings.CLAIM_DENSE_SUPPORTED) & (
            lexical >= settings.CLAIM_LEXICAL_SUPPORT
        )
        lexical = np.maximum(lexical, dense)
    return lexical, same


def claim_voices(
    sentences: Sequence[EventSentence], same: np.ndarray, voices: dict[str, str]
) -> list[list[str]]:
    """Per sentence: the independent voices reporting its claim (its own first).

    Pairwise, not clustered: a long lead sentence that touches many claims cannot swallow the
    sentences of other claims, and support never travels through a chain of partial matches.
    """
    own = [voices[s.article] for s in sentences]
    reported: list[list[str]] = []
    for row in range(len(sentences)):
        found = [own[row]]
        for other in np.nonzero(same[row])[0]:
            if own[other] not in found:
                found.append(own[other])
        reported.append(found)
    return reported


def distinct_rows(order: Sequence[int], similarity: np.ndarray, limit: int | None = None) -> list[int]:
    """Rows in `order`, leaving out any that repeats (CLAIM_REPEAT_SIMILARITY) one kept before."""
    kept: list[int] = []
    for row in order:
        if limit is not None and len(kept) >= limit:
            break
        if all(similarity[row, k] < settings.CLAIM_REPEAT_SIMILARITY for k in kept):
            kept.append(row)
    return kept
