"""Clusterer features on untrusted text: never fail, stay bounded; pair scores stay in range."""

from __future__ import annotations

import math
import pickle

import numpy as np
import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from storyline import settings
from storyline.events import features
from storyline.events.features import (
    OUTSIDE_WINDOW,
    ArticleFeatures,
    Weights,
    article_day,
    build_features,
    neighbourhood_similarity,
    pair_scores,
    pair_totals,
    sparse_terms,
)
from storyline.model import Article, Entity


@given(title=st.text(max_size=200), text=st.text(max_size=3000))
@hypothesis_settings(max_examples=60, deadline=None)
def test_sparse_terms_of_any_text_are_bounded(title: str, text: str) -> None:
    terms = sparse_terms(Article(id="x", source="s", title=title, text=text))
    assert all(weight >= 1.0 for weight in terms.values())
    limit = (len(title) + 1) * settings.CLUSTER_TITLE_REPEAT + len(text)
    assert len(terms) <= 3 * min(limit, settings.CLUSTER_SPARSE_CHARS) + 1


@given(published=st.one_of(st.none(), st.text(max_size=30)))
def test_any_published_value_gives_a_day_or_none(published: str | None) -> None:
    day = article_day(Article(id="x", source="s", title="", text="", published=published))
    assert day is None or day > 0


def test_names_numbers_and_entities_get_their_own_terms() -> None:
    article = Article(
        id="x", source="s", title="Flood in the valley",
        text="Rescuers said the river Arno rose 4 metres overnight.",
        entities=[Entity(id="Q1", name="Arno", type="place", mentions=2)],
    )
    terms = sparse_terms(article)
    assert {"arno", "N:arno", "D:4", "E:Q1"} <= set(terms)
    assert "the" not in terms


def test_pair_scores_know_what_they_do_not_know() -> None:
    dated = Article(id="a", source="s", title="Bridge collapses in the city", text="x",
                    published="2024-05-01", language="en")
    undated = Article(id="b", source="s", title="El puente se derrumba en la ciudad", text="y",
                      language="es")
    vector = np.ones(4, dtype=np.float32) / 2
    items = [build_features(dated, vector), build_features(undated, vector)]
    scores = pair_scores(items, items, None, Weights(0.5, 0.5, 0.3, 0.1), 3.0, 14)
    assert np.isnan(scores.time[0, 1]) and scores.time[0, 0] == 1.0  # undated: time-neutral
    assert scores.crosslingual[0, 1] and np.isnan(scores.sparse[0, 1])
    assert np.isnan(scores.entities[0, 1])  # no entities on either side
    assert scores.total[0, 1] == scores.dense[0, 1]  # across languages: dense alone


def test_pair_totals_built_block_by_block_are_the_symmetric_totals(monkeypatch) -> None:
    texts = ["Flood in the valley: the river Arno rose 4 metres", "El río Arno crece 4 metros",
             "The Arno flood: 4 metres in Florence", "Parliament votes on the budget"]
    dates = ["2024-05-01", None, "2024-05-03", "2023-01-09"]
    languages = ["en", "es", "en", "en"]
    items = [build_features(Article(
        id=str(k), source="s", title=text, text=text, published=dates[k], language=languages[k],
        entities=[Entity(id="Q1", name="Arno", type="place")] if "Arno" in text else []),
        np.eye(4, dtype=np.float32)[k % 2]) for k, text in enumerate(texts)]
    weights = Weights(0.5, 0.5, 0.3, 0.1, -0.1)
    whole = pair_scores(items, items, None, weights, 3.0, 14).total
    monkeypatch.setattr(features, "PAIR_BLOCK_ENTRIES", 5)  # blocks of one row
    totals = pair_totals(items, None, weights, 3.0, 14)
    assert np.array_equal(totals, (whole + whole.T) / 2)
    assert totals[0, 3] == OUTSIDE_WINDOW and totals[0, 1] != totals[0, 2]


def test_dense_scores_are_those_of_all_columns_at_once_made_a_block_at_a_time(monkeypatch) -> None:
    """An update's candidate pool holds thousands of columns: their vectors are made dense
    rows a block at a time (hashed TF-IDF: 32 KB each), and the scores do not change."""
    from storyline.vectors import SparseVector

    rng = np.random.default_rng(3)
    width = 64  # small integers: every product is exact, whatever the order of its sums
    vectors = [SparseVector(width, np.sort(rng.choice(width, 5, replace=False)).astype(np.int32),
                            rng.integers(-3, 4, 5).astype(np.float16)) for _ in range(23)]
    items = [ArticleFeatures(str(k), vector, {"quake": 1.0}, {}, None, "en")
             for k, vector in enumerate(vectors)]
    whole = pair_scores(items[:4], items, None, Weights(0.5, 0.5, 0.3, 0.1), 3.0, 14).dense
    made: list[int] = []
    dense_matrix = features.dense_matrix
    monkeypatch.setattr(features, "dense_matrix",
                        lambda chosen: made.append(len(chosen)) or dense_matrix(chosen))
    monkeypatch.setattr(features, "DENSE_BLOCK_BYTES", 4 * width * 5)  # 5 columns a block
    blocked = pair_scores(items[:4], items, None, Weights(0.5, 0.5, 0.3, 0.1), 3.0, 14).dense
    assert np.array_equal(blocked, whole)
    assert made == [4, 5, 5, 5, 5, 3]


_TERM_WEIGHTS = st.dictionaries(
    st.sampled_from(["quake", "Quake", "N:arno", "D:4", "E:Q1", "é", "flood"]),
    st.floats(1.0, 5.0), max_size=5)


@given(st.lists(st.tuples(_TERM_WEIGHTS, _TERM_WEIGHTS), min_size=1, max_size=6))
@hypothesis_settings(max_examples=80, deadline=None)
def test_term_numbers_kept_between_matrices_never_change_a_score(
        weighted: list[tuple[dict[str, float], dict[str, float]]]) -> None:
    """Each article's terms are numbered once and reused by later matrices: the scores are
    those of numbering afresh, bit for bit, also after the number table starts over and for
    features sent to another process; and they are the cosines over the weighted terms."""
    def items() -> list[ArticleFeatures]:
        return [ArticleFeatures(str(i), np.ones(2, dtype=np.float32), terms, entities, None,
                                "en") for i, (terms, entities) in enumerate(weighted)]

    def idf_of(vocabulary: list[str]) -> np.ndarray:
        return np.array([1.0 + len(term) / 3 for term in vocabulary])

    def scores(rows: list[ArticleFeatures], columns: list[ArticleFeatures]) -> np.ndarray:
        found = pair_scores(rows, columns, idf_of, Weights(0.5, 0.5, 0.3, 0.1), 3.0, 14)
        return np.stack([found.sparse, found.entities])

    kept = items()
    first = scores(kept, kept[::-1])
    assert np.array_equal(scores(kept, kept[::-1]), first, equal_nan=True)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(features, "TERM_NUMBERS_HELD", 0)
        fresh = items()
        assert np.array_equal(scores(fresh, kept[::-1]), first, equal_nan=True)
    sent = pickle.loads(pickle.dumps(kept))
    assert all(not item.numbered for item in sent)
    assert np.array_equal(scores(sent, sent[::-1]), first, equal_nan=True)

    def cosine(a: dict[str, float], b: dict[str, float]) -> float:
        a = {t: w * (1.0 + len(t) / 3) for t, w in a.items()}
        b = {t: w * (1.0 + len(t) / 3) for t, w in b.items()}
        norms = math.hypot(*a.values()) * math.hypot(*b.values())
        return sum(w * b.get(t, 0.0) for t, w in a.items()) / norms if norms else 0.0

    for row, (terms, _) in enumerate(weighted):
        for column, (others, _) in enumerate(weighted[::-1]):
            assert math.isclose(first[0][row, column], cosine(terms, others), abs_tol=1e-9)


def test_neighbourhood_similarity_joins_reports_that_share_neighbours() -> None:
    # a and b barely overlap (0.05) but both resemble c and d; e resembles a and c a little but
    # has other neighbours (f); a and f are too far apart in time (veto).
    names = "abcdef"
    pairs = {"ab": 0.05, "ac": 0.6, "ad": 0.5, "bc": 0.55, "bd": 0.6, "cd": 0.7,
             "ae": 0.3, "ce": 0.3, "ef": 0.8, "af": OUTSIDE_WINDOW}
    total = np.zeros((6, 6))
    for pair, value in pairs.items():
        i, j = names.index(pair[0]), names.index(pair[1])
        total[i, j] = total[j, i] = value
    similarity = neighbourhood_similarity(total, neighbours=4)
    assert np.allclose(similarity, similarity.T)
    assert similarity[0, 1] > 0.35  # shared neighbours lift the weak direct overlap (0.05)
    assert similarity[2, 3] > 0.9
    assert similarity[1, 4] < 0.15  # e lives among other neighbours
    assert similarity[0, 5] == OUTSIDE_WINDOW  # the time veto survives
    # rows cut to fewer neighbours forget the weak links: a and e share none then
    assert neighbourhood_similarity(total, neighbours=2)[0, 4] == 0.0
