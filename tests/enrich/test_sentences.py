"""Sentence splitting: abbreviations, paragraphs, six languages, and exact offsets."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.enrich.sentences import split_sentences


def texts(text: str) -> list[str]:
    sentences = split_sentences(text)
    for sentence in sentences:
        assert text[sentence.start : sentence.end] == sentence.text
    return [s.text for s in sentences]


def test_abbreviations_do_not_split() -> None:
    text = ("Dr. Lee met Sr. Gómez in the U.S. capital on Jan. 5 to talk about trade. "
            "They agreed on nothing.")
    assert texts(text) == [
        "Dr. Lee met Sr. Gómez in the U.S. capital on Jan. 5 to talk about trade.",
        "They agreed on nothing.",
    ]


def test_never_crosses_a_paragraph_break() -> None:
    text = "The first paragraph has no full stop\n\nThe second one does. And goes on."
    assert texts(text) == [
        "The first paragraph has no full stop", "The second one does.", "And goes on.",
    ]


def test_a_headline_line_is_its_own_sentence_but_wrapped_lines_join() -> None:
    assert texts("Storm hits the coast\nThe wind blew all night.") == [
        "Storm hits the coast", "The wind blew all night.",
    ]
    assert texts("The wind blew all\nnight long. Then it stopped.") == [
        "The wind blew all\nnight long.", "Then it stopped.",
    ]


def test_a_quotation_with_its_attribution_stays_one_sentence() -> None:
    assert texts('"We will not stop." he said. Nobody answered.') == [
        '"We will not stop." he said.', "Nobody answered.",
    ]


def test_other_languages() -> None:
    assert texts("El Sr. Pérez llegó tarde. La reunión empezó sin él.") == [
        "El Sr. Pérez llegó tarde.", "La reunión empezó sin él.",
    ]
    assert texts("Le ministre est arrivé. La séance a commencé.") == [
        "Le ministre est arrivé.", "La séance a commencé.",
    ]
    assert texts("Der Zug kam spät an. Niemand wartete.") == [
        "Der Zug kam spät an.", "Niemand wartete.",
    ]
    assert texts("Поезд опоздал. Никто не ждал.") == ["Поезд опоздал.", "Никто не ждал."]
    assert len(texts("وصل القطار متأخرا. لم ينتظر أحد.")) == 2


def test_empty_and_blank_texts() -> None:
    assert split_sentences("") == []
    assert split_sentences(" \n\n \n") == []


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400))
def test_offsets_always_slice_the_text_exactly(text: str) -> None:
    previous_end = 0
    for sentence in split_sentences(text):
        assert text[sentence.start : sentence.end] == sentence.text
        assert sentence.text.strip()
        assert sentence.start >= previous_end
        assert "\n\n" not in sentence.text
        previous_end = sentence.end


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(
    ["Dr.", "U.S.", "Jan.", "word", "Word.", "\n", "\n\n", " ", "«", "»", '"', "?", "!", "é", "..."]
), max_size=60))
def test_offsets_hold_on_punctuation_heavy_text(pieces: list[str]) -> None:
    text = " ".join(pieces)
    for sentence in split_sentences(text):
        assert text[sentence.start : sentence.end] == sentence.text
