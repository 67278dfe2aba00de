"""The word helpers timelines rely on: fast folding, query-term matching, stop-word lists."""

from __future__ import annotations

import unicodedata

import numpy as np
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import TfidfVectorizer

from storyline.summarize.text import (
    centroid_scores,
    content_words,
    fold,
    matches_terms,
    mmr_select,
    stop_words,
    terms_pattern,
    tfidf_matrix,
    words,
)
from storyline.summarize.timeline import TimelineWeights, summarize_timeline
from tests.summarize.builders import make_article, timeline_articles


def _reference_fold(text: str) -> str:
    """The plain definition that `fold` speeds up."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@given(st.text(max_size=80))
def test_fold_equals_its_definition(text: str) -> None:
    assert fold(text) == _reference_fold(text)


def test_fold_strips_marks_in_several_scripts() -> None:
    assert fold("Genève ÉLAN Straße") == "geneve elan strasse"
    assert fold("Ελλάδα") == "ελλαδα"


@given(
    st.text(alphabet="abcé éfgh,.-", max_size=60),
    st.lists(st.text(alphabet="abcéfgh", min_size=2, max_size=4), max_size=3),
)
def test_terms_pattern_agrees_with_matches_terms(text: str, raw_terms: list[str]) -> None:
    terms = [fold(t) for t in raw_terms]
    pattern = terms_pattern(terms)
    found = pattern is not None and pattern.search(fold(text)) is not None
    assert found == matches_terms(words(text), terms)


def test_stop_word_lists_per_language() -> None:
    assert {"the", "and"} <= stop_words("en")
    assert {"les", "etre"} <= stop_words("fr")  # folded: 'être'
    assert stop_words("xx") == frozenset() and stop_words(None) == frozenset()
    assert stop_words("../en") == frozenset()  # never a path out of spaCy's folder


def test_long_sentences_can_be_left_out_by_weight() -> None:
    long_text = (
        "Minister Varga announced on 1 March that the harbour reform would go ahead, "
        "after a long night of talks with unions, mayors, shipowners, fishermen and the "
        "regional council, which had asked for more time to study the plan in detail."
    )
    article = make_article("long", "Daily", "en", "2024-03-02", [long_text],
                           dates=[(0, "2024-03-01")])
    articles = [*timeline_articles(), article]
    default = summarize_timeline(articles, "Varga", n_dates=3, k_sentences=3)
    short = summarize_timeline(articles, "Varga", n_dates=3, k_sentences=3,
                               weights=TimelineWeights(max_words=20))
    picked = [s.text for e in default.entries for s in e.sentences]
    assert long_text in picked
    assert long_text not in [s.text for e in short.entries for s in e.sentences]


# Few distinct words, so texts share words, repeat them and sometimes hold none.
_SENTENCE = st.lists(st.sampled_from(["Flood", "floods", "the", "river", "Genève", "rose", "4",
                                      "metres", "rescuers", "said", "."]), max_size=12)


@hypothesis_settings(max_examples=150, deadline=None)
@given(st.lists(_SENTENCE.map(" ".join), min_size=1, max_size=8),
       st.sampled_from([None, 3, 5]))
def test_tfidf_matrix_is_the_vectorizers_bit_for_bit(texts: list[str], prefix: int | None
                                                      ) -> None:
    """Same values in the same order of entries: sums over the matrix (centroids, cosines)
    then agree to the last bit, so briefs and timelines do not move."""
    stops = stop_words("en")

    def analyzer(text: str) -> list[str]:
        found = content_words(text, stops)
        return [w[:prefix] for w in found] if prefix else found

    ours = tfidf_matrix(texts, stops, prefix)
    try:
        theirs = TfidfVectorizer(analyzer=analyzer, sublinear_tf=True, norm="l2"
                                 ).fit_transform(texts).tocsr()
    except ValueError:  # no content word at all
        assert ours.shape == (len(texts), 1) and ours.nnz == 0
        return
    assert type(ours) is type(theirs) and ours.shape == theirs.shape
    for part in ("indptr", "indices", "data"):
        assert np.array_equal(getattr(ours, part), getattr(theirs, part)), part


@hypothesis_settings(max_examples=150, deadline=None)
@given(st.lists(_SENTENCE.map(" ".join), min_size=1, max_size=8), st.booleans())
def test_centroid_scores_are_those_of_scipys_sums_and_sklearns_normalize(
        texts: list[str], weighted: bool) -> None:
    """Bit for bit: relevance ranks a brief's and a timeline's sentences, and ties break on
    exact values."""
    from scipy import sparse
    from sklearn.preprocessing import normalize

    matrix = tfidf_matrix(texts, stop_words("en"))
    weights = np.linspace(0.5, 2.0, len(texts)) if weighted else None
    scaled = matrix if weights is None else sparse.diags(weights) @ matrix
    centroid = normalize(np.asarray(scaled.sum(axis=0)))
    expected = np.asarray(matrix @ centroid.T).ravel()
    assert np.array_equal(centroid_scores(matrix, weights), expected)


def _mmr_one_row_at_a_time(relevance: np.ndarray, similarity: np.ndarray, count: int,
                           trade_off: float, max_similarity: float) -> list[int]:
    """Maximal Marginal Relevance as a scan in index order keeping a strictly higher score."""
    chosen: list[int] = []
    remaining = list(range(len(relevance)))
    while remaining and len(chosen) < count:
        best, best_score = -1, -np.inf
        for index in remaining:
            redundancy = max((similarity[index, c] for c in chosen), default=0.0)
            if redundancy >= max_similarity:
                continue
            score = trade_off * relevance[index] - (1 - trade_off) * redundancy
            if score > best_score:
                best, best_score = index, score
        if best < 0:
            break
        chosen.append(best)
        remaining.remove(best)
    return chosen


# Few distinct values, so ties and rows as similar as the bound are common.
_MMR_VALUE = st.sampled_from([-np.inf, -0.5, 0.0, 0.1, 0.25, 0.5, 0.5000001, 1.0, 2.0])


@hypothesis_settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=9).flatmap(lambda n: st.tuples(
           st.lists(_MMR_VALUE, min_size=n, max_size=n),
           st.lists(st.sampled_from([-0.3, 0.0, 0.2, 0.5, 0.9, 1.0]), min_size=n * n,
                    max_size=n * n))),
       st.integers(min_value=0, max_value=10), st.sampled_from([0.0, 0.3, 0.7, 1.0]),
       st.sampled_from([1.0, 0.9, 0.5, 0.0]))
def test_mmr_picks_what_a_scan_in_index_order_picks(
    rows: tuple[list[float], list[float]], count: int, trade_off: float, bound: float
) -> None:
    values, cells = rows
    relevance = np.array(values, dtype=np.float64)
    similarity = np.array(cells, dtype=np.float64).reshape(len(values), len(values))
    assert mmr_select(relevance, similarity, count, trade_off, bound) == (
        _mmr_one_row_at_a_time(relevance, similarity, count, trade_off, bound))
