"""What the event clusterer compares: per-article features and the pairwise scores between them.

An article becomes an `ArticleFeatures` (dense vector, sparse term counts, entity weights, date,
language). `pair_scores` scores many articles against many at once (matrices); the clusterer
aggregates those over an event's members, so the online decision, the merge/split pass and the
"why is this article here" export all use the same numbers.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Literal

import numpy as np
from scipy import sparse

from storyline import settings
from storyline.clean.stopwords import guess_language, stopwords
from storyline.config import check_fields
from storyline.model import Article
from storyline.vectors import compact, dense_rows

if TYPE_CHECKING:
    from storyline.vectors import Vector

_WORD = re.compile(r"\w+", re.UNICODE)
_SENTENCE_END = re.compile(r"[.!?。؟]\s+|\n+")
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")

# Sparse term prefixes: lower-cased words, names (capitalised mid-sentence), numbers, entities.
NAME_PREFIX = "N:"
NUMBER_PREFIX = "D:"
ENTITY_PREFIX = "E:"
# Total of a pair outside the time window: below any real score, it vetoes the pair.
OUTSIDE_WINDOW = -1.0
# Square matrices over many articles are filled a block of rows at a time, each block about
# this many entries: its intermediates (a dozen arrays) stay a few MB whatever the size.
PAIR_BLOCK_ENTRIES = 1 << 15
# Dense vectors made float32 rows for one product: at most about this many bytes at once.
DENSE_BLOCK_BYTES = 8 << 20


@dataclass(frozen=True)
class FeatureConfig:
    """What an article's features read (the clusterer's parameters `title_repeat`,
    `sparse_chars` and `min_entity_salience`; defaults from settings.py, read once)."""

    # The headline counted this many times, the text read up to this many characters.
    title_repeat: int = settings.CLUSTER_TITLE_REPEAT
    sparse_chars: int = settings.CLUSTER_SPARSE_CHARS
    # Entities without a salience score count with this weight.
    min_entity_salience: float = settings.CLUSTER_MIN_ENTITY_SALIENCE

    def __post_init__(self) -> None:
        check_fields(self, shares=("min_entity_salience",))


@dataclass
class ArticleFeatures:
    id: str
    # The encoder's vector (the dense signal, vs the sparse terms), held as `compact` makes it:
    # the fast profile's hashed TF-IDF as its few non-zero entries.
    dense: Vector
    terms: dict[str, float]
    entities: dict[str, float]
    day: int | None
    language: str | None
    # Undated articles: the latest day or month their text mentions (a report is not older
    # than what it recounts), so an undated 2018 story cannot join a 2013 event.
    not_before: int | None = None
    # `terms` and `entities` as arrays of term numbers and weights (`_TermNumbers`), made
    # the first time a score matrix takes them; never stored or sent (see __getstate__).
    numbered: dict[str, tuple[object, np.ndarray, np.ndarray]] = field(
        default_factory=dict, repr=False, compare=False)

    def __getstate__(self) -> dict[str, object]:
        # Numbers are those of this process's table: a Spark executor numbers afresh.
        return {**self.__dict__, "numbered": {}}


def article_day(article: Article) -> int | None:
    """Publication day as a day number, or None (undated articles are time-neutral)."""
    match = _DATE.match(article.published or "")
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3])).toordinal()
    except ValueError:
        return None


def latest_mentioned_day(article: Article) -> int | None:
    """First day of the latest day- or month-precise date the text mentions (years are skipped:
    "by 2030" is often a plan, not a past event)."""
    latest = None
    for mention in article.dates:
        if mention.granularity not in ("day", "month"):
            continue
        match = re.match(r"(\d{4})-(\d{2})(?:-(\d{2}))?", mention.value or "")
        if not match:
            continue
        try:
            day = date(int(match[1]), int(match[2]), int(match[3] or 1)).toordinal()
        except ValueError:
            continue
        latest = day if latest is None else max(latest, day)
    return latest


def day_string(day: int | None) -> str | None:
    return date.fromordinal(day).isoformat() if day is not None else None


def sparse_terms(article: Article, config: FeatureConfig | None = None) -> dict[str, float]:
    """Sublinear term counts over words, mid-sentence capitalised names, numbers and entity ids.

    Names and numbers get their own prefixed terms on top of the plain word because they are what
    tells two similar events apart (the place, the death toll, the year); entity ids are canonical
    across articles and languages, so they also match a Russian report to an English one."""
    config = config or FeatureConfig()
    counts: Counter = Counter()
    text = (article.title + "\n") * config.title_repeat + article.text
    text = text[: config.sparse_chars]
    language = article.language or guess_language(_WORD.findall(text[:2000]))
    stop = stopwords(language) if language else frozenset()
    for piece in _SENTENCE_END.split(text):
        for position, word in enumerate(_WORD.findall(piece)):
            lower = word.casefold()
            if lower in stop or (len(lower) < 3 and not lower.isdigit()):
                continue
            counts[lower] += 1
            if word.isdigit():
                counts[NUMBER_PREFIX + lower] += 1
            elif position > 0 and word[0].isupper():
                counts[NAME_PREFIX + lower] += 1
    for entity in article.entities:
        counts[ENTITY_PREFIX + entity.id] += max(entity.mentions, 1)
    return {term: 1.0 + math.log(count) for term, count in counts.items()}


def entity_weights(article: Article, min_salience: float = FeatureConfig.min_entity_salience
                   ) -> dict[str, float]:
    return {e.id: max(e.salience, min_salience) for e in article.entities}


def article_language(article: Article) -> str | None:
    if article.language:
        return article.language
    return guess_language(_WORD.findall((article.title + " " + article.text)[:2000]))


def build_features(article: Article, dense: Vector, config: FeatureConfig | None = None
                   ) -> ArticleFeatures:
    """The clusterer's view of an article (`config`: the clusterer's `feature_config`)."""
    config = config or FeatureConfig()
    day = article_day(article)
    return ArticleFeatures(
        id=article.id, dense=compact(dense),
        terms=sparse_terms(article, config),
        entities=entity_weights(article, config.min_entity_salience), day=day,
        language=article_language(article),
        not_before=latest_mentioned_day(article) if day is None else None,
    )


@dataclass
class Weights:
    dense: float
    sparse: float
    entities: float
    time: float


    # Cross-lingual pairs are scored on dense (+ entities) alone; this offset maps their own
    # threshold onto the common one, so one threshold decides every pair.
    crosslingual_offset: float = 0.0


@dataclass
class PairScores:
    """Row-by-column score matrices; NaN where a signal is unknown for a pair."""

    dense: np.ndarray
    sparse: np.ndarray
    entities: np.ndarray
    time: np.ndarray
    crosslingual: np.ndarray
    total: np.ndarray

    def explain(self, row: int, columns: np.ndarray) -> dict[str, float]:
        """Mean of each signal over `columns` (an event's members), as recorded per member."""
        out: dict[str, float] = {}
        for name in ("dense", "sparse", "entities", "time", "total"):
            values = getattr(self, name)[row, columns]
            known = values[~np.isnan(values)]
            if known.size:
                out[name] = round(float(known.mean()), 4)
        if self.crosslingual[row, columns].any():
            out["crosslingual"] = round(float(self.crosslingual[row, columns].mean()), 4)
        return out


# The idf of each term of a sorted vocabulary, for `pair_scores`.
IdfOf = Callable[[list[str]], np.ndarray]


# Which weighted terms of the features a score matrix compares.
TermKind = Literal["terms", "entities"]
# Terms numbered before `_TermNumbers` starts over: a bound on its memory (about 100 bytes a
# term), far above the vocabulary of the rows a clusterer holds (CLUSTER_FEATURE_ROWS_HELD).
TERM_NUMBERS_HELD = 500_000


class _TermNumbers:
    """Numbers for terms, shared by every score matrix of the process, so each article's terms
    are numbered once (cached on its features) and a matrix then sorts only its vocabulary.
    Numbering every occurrence of every term for each matrix was half of `pair_scores`: an
    article is a column of many matrices while its event is a candidate. Past
    TERM_NUMBERS_HELD terms the table starts over; numbers of an earlier table are then
    made again when next used."""

    def __init__(self) -> None:
        self._start()

    def _start(self) -> None:
        self.numbers: dict[str, int] = {}
        self.names: list[str] = []
        self.table = object()  # identifies this table in the cached numbers

    def start_over_when_full(self) -> None:
        """Called before a matrix numbers its items (never during: its numbers must agree)."""
        if len(self.names) > TERM_NUMBERS_HELD:
            self._start()

    def of(self, item: ArticleFeatures, kind: TermKind) -> tuple[np.ndarray, np.ndarray]:
        """The numbers and weights of the item's `kind` terms, in their dict order."""
        cached = item.numbered.get(kind)
        if cached is not None and cached[0] is self.table:
            return cached[1], cached[2]
        terms: dict[str, float] = getattr(item, kind)
        numbers, names = self.numbers, self.names
        for term in terms:
            if term not in numbers:
                numbers[term] = len(names)
                names.append(term)
        ids = np.fromiter(map(numbers.__getitem__, terms), dtype=np.int64, count=len(terms))
        weights = np.fromiter(terms.values(), dtype=np.float64, count=len(terms))
        item.numbered[kind] = (self.table, ids, weights)
        return ids, weights


_TERMS = _TermNumbers()


def forget_term_numbers() -> None:
    """Start the process's term numbering over: call it once the features numbered so far are
    gone (an event update's rows die with its clusterer, and the next update reads new ones,
    numbered afresh anyway). Kept from one update to the next, the table held every term string
    of every update (about 90k terms an update at 5k articles, fast profile, up to
    TERM_NUMBERS_HELD), each made while that update's rows were decoded and left among their
    freed blocks: Python's arenas then held 6-15 MiB more, with 110 MB free inside them instead
    of 39 (docs/benchmarks.md, issue 10, session 7)."""
    _TERMS._start()


def _tfidf_pair(rows: list[ArticleFeatures], columns: list[ArticleFeatures], kind: TermKind,
                idf_of: IdfOf | None) -> np.ndarray:
    """Cosine of every row with every column over their weighted `kind` terms, weighted by
    idf (1.0 without `idf_of`)."""
    matrix = _tfidf_rows(rows + columns, kind, idf_of)
    return (matrix[: len(rows)] @ matrix[len(rows):].T).toarray()


def _tfidf_rows(items: list[ArticleFeatures], kind: TermKind, idf_of: IdfOf | None
                ) -> sparse.csr_matrix:
    """Unit rows of the items' idf-weighted `kind` terms over the sorted union of the terms;
    each row keeps its terms' order, so the products of two rows sum in the order of a loop
    that looks every term up (the same numbers whichever rows share the matrix)."""
    _TERMS.start_over_when_full()
    numbered = [_TERMS.of(item, kind) for item in items]
    ids = np.concatenate([ids for ids, _ in numbered] or [np.zeros(0, dtype=np.int64)])
    weights = np.concatenate([weights for _, weights in numbered]
                             or [np.zeros(0, dtype=np.float64)])
    distinct, first_inverse = np.unique(ids, return_inverse=True)
    names = [_TERMS.names[number] for number in distinct.tolist()]
    alphabetical = sorted(range(len(names)), key=names.__getitem__)
    vocabulary = [names[position] for position in alphabetical]
    rank = np.empty(len(names), dtype=np.int64)
    rank[np.array(alphabetical, dtype=np.int64)] = np.arange(len(names), dtype=np.int64)
    inverse = rank[first_inverse.reshape(-1)]
    if idf_of is not None and vocabulary:
        weights = weights * idf_of(vocabulary)[inverse]
    lengths = np.array([len(ids) for ids, _ in numbered], dtype=np.int64)
    indptr = np.concatenate([[0], np.cumsum(lengths)])
    return _normalised(inverse, weights, indptr, len(vocabulary))


def _normalised(indices: np.ndarray, data: np.ndarray, indptr: np.ndarray, width: int
                ) -> sparse.csr_matrix:
    matrix = sparse.csr_matrix((data, indices, indptr), shape=(len(indptr) - 1, width))
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    return (sparse.diags(1.0 / np.maximum(norms, 1e-12)) @ matrix).tocsr()


def pair_scores(
    rows: list[ArticleFeatures], columns: list[ArticleFeatures], idf_of: IdfOf | None,
    weights: Weights, time_scale_days: float, window_days: float,
) -> PairScores:
    """Every score between `rows` and `columns`; `idf_of` weighs sparse terms (1.0 without).
    Pairs outside the time window get total OUTSIDE_WINDOW.

    total = weighted mean of the known content signals (dense, sparse unless the languages differ,
    entities when both have some) + time weight × time score (+1 same day, 0 at `time_scale_days`
    apart, down to -1; unknown when either is undated, i.e. time-neutral)."""
    return _combined(
        rows, columns, _tfidf_pair(rows, columns, "terms", idf_of),
        _tfidf_pair(rows, columns, "entities", None),
        _dense_similarity(dense_matrix(rows), columns), weights, time_scale_days, window_days)


def _dense_similarity(rows: np.ndarray, columns: list[ArticleFeatures]) -> np.ndarray:
    """`rows @ dense_matrix(columns).T`, the columns made dense a block at a time: an
    update's candidate pool holds thousands of members, and the fast profile's hashed vectors
    take 32 KB each as float32 rows (1,500 columns took 48 MB at once, a pool of 20k 640 MB)."""
    step = max(1, DENSE_BLOCK_BYTES // (4 * max(rows.shape[1], 1)))
    if len(columns) <= step:
        return rows @ dense_matrix(columns).T
    return np.hstack([rows @ dense_matrix(columns[start : start + step]).T
                      for start in range(0, len(columns), step)])


def pair_totals(items: list[ArticleFeatures], idf_of: IdfOf | None, weights: Weights,
                time_scale_days: float, window_days: float) -> np.ndarray:
    """`pair_scores(items, items, ...).total`, made symmetric (the mean of both directions),
    computed a block of rows at a time: the one square matrix is held, not each signal's and
    their intermediates (a dozen more)."""
    terms = _tfidf_rows(items, "terms", idf_of)
    entities = _tfidf_rows(items, "entities", None)
    total = np.empty((len(items), len(items)))
    step = block_rows(len(items))
    for start in range(0, len(items), step):
        stop = start + step
        # Dense vectors a block at a time too: all of them as float32 rows took 32 KB an
        # article at the fast profile's 8,192 dimensions.
        rows = dense_matrix(items[start:stop])
        dense_sim = np.hstack([rows @ dense_matrix(items[column : column + step]).T
                               for column in range(0, len(items), step)])
        total[start:stop] = _combined(
            items[start:stop], items, (terms[start:stop] @ terms.T).toarray(),
            (entities[start:stop] @ entities.T).toarray(), dense_sim,
            weights, time_scale_days, window_days).total
    total += total.T  # numpy buffers the overlapping transpose
    total /= 2
    return total


def _combined(rows: list[ArticleFeatures], columns: list[ArticleFeatures],
              sparse_sim: np.ndarray, entity_sim: np.ndarray, dense_sim: np.ndarray,
              weights: Weights, time_scale_days: float, window_days: float) -> PairScores:
    """`pair_scores` from the three similarity matrices of `rows` by `columns`."""
    has_entities = np.outer([bool(r.entities) for r in rows], [bool(c.entities) for c in columns])
    entity_sim = np.where(has_entities, entity_sim, np.nan)
    row_days = np.array([np.nan if r.day is None else r.day for r in rows], dtype=np.float64)
    column_days = np.array([np.nan if c.day is None else c.day for c in columns], dtype=np.float64)
    gap = np.abs(row_days[:, None] - column_days[None, :])
    time = np.maximum(-1.0, 1.0 - gap / time_scale_days)
    # Outside the time window a pair never belongs together: both dated and too far apart, or
    # one undated but mentioning a date well after the other's publication.
    row_bound = np.array([np.nan if r.not_before is None else r.not_before for r in rows])
    column_bound = np.array([np.nan if c.not_before is None else c.not_before for c in columns])
    too_late = ((row_bound[:, None] - column_days[None, :] > window_days)
                | (column_bound[None, :] - row_days[:, None] > window_days))
    time = np.where(too_late, -1.0, time)
    outside = (gap > window_days) | too_late
    codes: dict[str | None, int] = {None: -1}
    row_languages = np.array([codes.setdefault(r.language, len(codes)) for r in rows])
    column_languages = np.array([codes.setdefault(c.language, len(codes)) for c in columns])
    crosslingual = ((row_languages[:, None] != column_languages[None, :])
                    & (row_languages[:, None] >= 0) & (column_languages[None, :] >= 0))
    sparse_weight = np.where(crosslingual, 0.0, weights.sparse)
    entity_weight = np.where(has_entities, weights.entities, 0.0)
    numerator = (weights.dense * dense_sim + sparse_weight * sparse_sim
                 + entity_weight * np.nan_to_num(entity_sim))
    total = numerator / np.maximum(weights.dense + sparse_weight + entity_weight, 1e-9)
    total = total + weights.time * np.nan_to_num(time) + np.where(
        crosslingual, weights.crosslingual_offset, 0.0)
    total = np.where(outside, OUTSIDE_WINDOW, total)
    return PairScores(dense=dense_sim, sparse=np.where(crosslingual, np.nan, sparse_sim),
                      entities=entity_sim, time=time, crosslingual=crosslingual, total=total)


def dense_matrix(items: list[ArticleFeatures]) -> np.ndarray:
    """The items' dense vectors as float32 rows (features read from a store hold float16, and
    sparse vectors their entries: the rows hold the same values, so every product is the one
    the dense vectors gave)."""
    return dense_rows([item.dense for item in items])


def neighbourhood_similarity(total: np.ndarray, neighbours: int) -> np.ndarray:
    """Second-order similarity: cosine between the rows of `total` (a square matrix of pair
    totals) once each row keeps only its `neighbours` best scores (itself included).

    Two reports of one event have the same nearest neighbours even when their own words overlap
    little, while a report of a similar event (same kind of story, other people, other place)
    has other neighbours: on ECB+ this lifts held-out B-cubed F1 from about 0.90 (complete
    linkage over `total`) to about 0.95. Pairs outside the time window stay vetoed (-1)."""
    vetoed = total <= OUTSIDE_WINDOW
    rows = np.clip(total, 0.0, 1.0)
    rows[vetoed] = 0.0
    np.fill_diagonal(rows, 1.0)
    if neighbours < len(rows):
        step = block_rows(len(rows))
        for start in range(0, len(rows), step):  # in row blocks: no square index matrix
            block = rows[start : start + step]
            order = np.argsort(-block, axis=1, kind="stable")
            np.put_along_axis(block, order[:, neighbours:], 0.0, axis=1)
    rows /= np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-12)
    similarity = rows @ rows.T
    del rows
    vetoed |= vetoed.T  # numpy buffers the overlapping transpose
    similarity[vetoed] = OUTSIDE_WINDOW
    return similarity


def block_rows(columns: int) -> int:
    """Rows of a block of `columns` columns holding about PAIR_BLOCK_ENTRIES entries."""
    return max(1, PAIR_BLOCK_ENTRIES // max(columns, 1))
