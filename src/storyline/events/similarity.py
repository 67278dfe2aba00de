"""Pair similarity on the SemEval-2022 Task 8 dimensions (1 = very similar ... 4 = very dissimilar).

Each dimension comes from one plain signal turned into a similarity s in [0, 1] and reported as
4 - 3s:

- geography: salience-weighted overlap of the two articles' place entities;
- entities: the same over people, organisations and other entities (capitalised words when the
  articles carry no entities);
- time: distance in days between publication dates, and between the dates the texts mention most
  (the smaller of the two, since a later report of the same event is still the same event);
- narrative: dense cosine of headline + lead from an encoder when one is given, else TF-IDF
  cosine of the whole pair;
- overall: weighted mean of the four above (weights in settings; unknown ones left out);
- style: ratios of surface features (sentence length, word length, quote density, length);
- tone: a small English polarity lexicon plus exclamation/question density. This is a heuristic,
  not a sentiment model: it sees words, not negation or irony, and other languages only through
  punctuation.

A dimension with no signal (no places in either article, no dates) is reported as 2.5, the middle of
the scale, and left out of `overall`.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, fields
from datetime import date

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

from storyline import settings
from storyline.config import check_fields
from storyline.embed import Encoder
from storyline.enrich.lexicon import word_lists
from storyline.model import Article, Entity, parse_day

DIMENSIONS = ("geography", "entities", "time", "narrative", "overall", "style", "tone")
UNKNOWN_SCORE = 2.5

_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"[.!?]+(?:\s+|$)|\n+")
# A capitalised word that does not open a sentence: a cheap proper-noun guess.
_PROPER = re.compile(r"(?<![.!?\n]\s)(?<!^)\b([A-Z][\w'-]+)")
_QUOTE_MARKS = re.compile('["“”«»„]')

# The polarity lexicon of the tone dimension (data: enrich/lexicon/tone.toml).
_TONE_WORDS = word_lists("tone.toml")
_POSITIVE = _TONE_WORDS["positive"]
_NEGATIVE = _TONE_WORDS["negative"]


@dataclass(frozen=True)
class OverallWeights:
    """Weights of the dimensions that make up `overall` (a dimension without a score is left
    out). Fields in the order they are summed."""

    narrative: float = settings.SIMILARITY_OVERALL_WEIGHTS["narrative"]
    entities: float = settings.SIMILARITY_OVERALL_WEIGHTS["entities"]
    geography: float = settings.SIMILARITY_OVERALL_WEIGHTS["geography"]
    time: float = settings.SIMILARITY_OVERALL_WEIGHTS["time"]

    def __post_init__(self) -> None:
        check_fields(self, shares=tuple(f.name for f in fields(self)))


@dataclass(frozen=True)
class SimilarityConfig:
    """Pair similarity's tunables (section `[similarity]`, sub-table `[similarity.weights]`;
    settings.py says why each default)."""

    time_half_days: float = settings.SIMILARITY_TIME_HALF_DAYS
    dense_floor: float = settings.SIMILARITY_DENSE_FLOOR
    weights: OverallWeights = field(default_factory=OverallWeights)

    def __post_init__(self) -> None:
        check_fields(self, shares=("dense_floor",))
        if self.dense_floor >= 1 or self.time_half_days <= 0:
            raise ValueError("dense_floor must be below 1 and time_half_days above 0")


def pair_similarity(a: Article, b: Article, encoder: Encoder | None = None,
                    config: SimilarityConfig | None = None) -> dict[str, float]:
    """Scores on the seven SemEval-2022 Task 8 dimensions, each a float in [1, 4]."""
    config = config or SimilarityConfig()
    similarities: dict[str, float | None] = {
        "geography": _weighted_overlap(
            _entity_weights(a, places=True), _entity_weights(b, places=True)
        ),
        "entities": _entity_similarity(a, b),
        "time": _time_similarity(a, b, config.time_half_days),
        "narrative": _narrative_similarity(a, b, encoder, config.dense_floor),
    }
    known = [(value, weight) for name, weight in asdict(config.weights).items()
             if (value := similarities.get(name)) is not None]
    total = sum(weight for _, weight in known)
    similarities["overall"] = (
        sum(value * weight for value, weight in known) / total if total else None
    )
    similarities["style"] = _ratio_similarity(_style_features(a), _style_features(b))
    similarities["tone"] = _tone_similarity(a, b)
    return {name: _to_scale(similarities[name]) for name in DIMENSIONS}


def _to_scale(similarity: float | None) -> float:
    if similarity is None:
        return UNKNOWN_SCORE
    return round(4.0 - 3.0 * min(1.0, max(0.0, similarity)), 3)


def _entity_weights(article: Article, places: bool) -> dict[str, float]:
    """Salience per canonical entity id, restricted to places or to everything else."""
    weights: defaultdict[str, float] = defaultdict(float)
    for entity in article.entities:
        if (entity.type == "place") == places:
            weights[entity.id] += _weight(entity)
    return dict(weights)


def _weight(entity: Entity) -> float:
    # Salience may be unset (0) by a simple tagger; then mentions stand in.
    return entity.salience or 0.1 * max(entity.mentions, 1)


def _weighted_overlap(first: dict[str, float], second: dict[str, float]) -> float | None:
    """Shared salience mass of two normalised bags (weighted Dice); None when either is empty.

    Two reports of one event name partly different places and people; the shared mass (not a
    Jaccard, which a long tail of one-off names drags down) is what a reader compares."""
    if not first or not second:
        return None
    first, second = _normalised(first), _normalised(second)
    # Both bags sum to 1, so the Dice coefficient is the summed minimum.
    return sum(min(weight, second[key]) for key, weight in first.items() if key in second)


def _normalised(weights: dict[str, float]) -> dict[str, float]:
    total = sum(weights.values()) or 1.0
    return {key: value / total for key, value in weights.items()}


def _entity_similarity(a: Article, b: Article) -> float | None:
    if a.entities or b.entities:
        return _weighted_overlap(_entity_weights(a, places=False), _entity_weights(b, places=False))
    return _weighted_overlap(_proper_words(a), _proper_words(b))


def _proper_words(article: Article) -> dict[str, float]:
    return dict(Counter(match.casefold() for match in _PROPER.findall(article.text)))


def _time_similarity(a: Article, b: Article, half_days: float) -> float | None:
    distances = [
        abs((first - second).days)
        for first, second in (
            (parse_day(a.published), parse_day(b.published)),
            (_main_mentioned_day(a), _main_mentioned_day(b)),
        )
        if first is not None and second is not None
    ]
    if not distances:
        return None
    return 1.0 / (1.0 + min(distances) / half_days)


def _main_mentioned_day(article: Article) -> date | None:
    """The day-granularity date the text mentions most (earliest on ties)."""
    days = Counter(d.value[:10] for d in article.dates if d.granularity == "day")
    if not days:
        return None
    value = min(days, key=lambda day: (-days[day], day))
    return parse_day(value)


def _narrative_similarity(a: Article, b: Article, encoder: Encoder | None, floor: float
                          ) -> float | None:
    if encoder is not None:
        from storyline.embed import article_text  # what the clusterer embeds: headline + lead

        vectors = np.asarray(encoder.encode([article_text(a), article_text(b)]), dtype=np.float64)
        norms = np.linalg.norm(vectors, axis=1)
        if not norms.all():
            return None
        cosine = float(vectors[0] @ vectors[1] / (norms[0] * norms[1]))
        return (cosine - floor) / (1.0 - floor)
    texts = [f"{a.title}\n{a.text}", f"{b.title}\n{b.text}"]
    try:
        matrix = TfidfVectorizer(sublinear_tf=True, stop_words=sorted(ENGLISH_STOP_WORDS))
        vectors = matrix.fit_transform(texts)
    except ValueError:  # no words left in either text
        return None
    return float((vectors[0] @ vectors[1].T).toarray()[0, 0])


def _sentences(article: Article) -> list[str]:
    if article.sentences:
        return [s.text for s in article.sentences]
    return [s for s in _SENTENCE_END.split(article.text) if s.strip()]


def _style_features(article: Article) -> list[float]:
    words = _WORD.findall(article.text)
    sentences = _sentences(article)
    word_count = max(len(words), 1)
    return [
        word_count / max(len(sentences), 1),  # words per sentence
        sum(len(w) for w in words) / word_count,  # word length
        # quote marks per 100 words, +1 so two quote-free texts agree fully
        1.0 + 100.0 * len(_QUOTE_MARKS.findall(article.text)) / word_count,
        math.log1p(word_count),  # length, on a log scale: 400 vs 800 words is a small change
    ]


def _ratio_similarity(first: Iterable[float], second: Iterable[float]) -> float:
    """Mean of min/max ratios: 1 for equal features, towards 0 as they diverge."""
    ratios = [
        min(x, y) / max(x, y) if max(x, y) > 0 else 1.0 for x, y in zip(first, second, strict=True)
    ]
    return sum(ratios) / len(ratios)


def _tone_similarity(a: Article, b: Article) -> float:
    polarity_a, intensity_a = _tone(a)
    polarity_b, intensity_b = _tone(b)
    polarity_agreement = 1.0 - abs(polarity_a - polarity_b) / 2.0
    return 0.7 * polarity_agreement + 0.3 * _ratio_similarity([intensity_a], [intensity_b])


def _tone(article: Article) -> tuple[float, float]:
    """(polarity in [-1, 1], 1 + exclamation/question marks per sentence)."""
    words = [w.casefold() for w in _WORD.findall(f"{article.title}\n{article.text}")]
    positive = sum(w in _POSITIVE for w in words)
    negative = sum(w in _NEGATIVE for w in words)
    polarity = (positive - negative) / (positive + negative) if positive + negative else 0.0
    marks = article.text.count("!") + article.text.count("?")
    return polarity, 1.0 + marks / max(len(_sentences(article)), 1)
