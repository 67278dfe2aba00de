"""Property tests: the cleaner never raises, never invents text, accounts for every input word,
and leaves already-clean articles alone."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyline.clean import build_article, clean_text
from storyline.clean.lines import normalize_line
from storyline.model import RawDocument
from tests.clean.fixtures import ALL

_WORD = re.compile(r"[^\W\d_]+")

# Lines drawn from the fixtures' furniture and story plus random noise, so the rules do fire.
SAMPLE_LINES = sorted({line for fixture in ALL for line in fixture.text.splitlines()})
lines = st.one_of(
    st.sampled_from(SAMPLE_LINES),
    st.text(max_size=80),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=200),
)
documents = st.lists(lines, max_size=40).map("\n".join)
PROPERTY_SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def _flat(text: str) -> str:
    return " ".join(filter(None, (normalize_line(line) for line in text.splitlines())))


@PROPERTY_SETTINGS
@given(documents)
def test_never_raises_and_never_invents(text: str) -> None:
    result = clean_text(text)
    flat = _flat(text)
    for paragraph in result.paragraphs:
        assert paragraph.strip()
        assert _flat(paragraph) in flat
    if result.title:
        assert result.title in flat


@PROPERTY_SETTINGS
@given(documents)
def test_output_and_removed_cover_the_input(text: str) -> None:
    result = clean_text(text)
    pieces = [result.title or "", *result.paragraphs, *(item.text for item in result.removed)]
    covered = set(_WORD.findall(" ".join(pieces)))
    assert set(_WORD.findall(_flat(text))) <= covered


# Clean articles: a fixture's headline over a shuffled selection of its cleaned paragraphs,
# mixed with invented sentences (that fixture's words in random order, ending like a sentence).
CLEANED = [(fixture.title, clean_text(fixture.text).paragraphs) for fixture in ALL]


@st.composite
def clean_articles(draw: st.DrawFn) -> tuple[str, list[str]]:
    title, paragraphs = draw(st.sampled_from(CLEANED))
    vocabulary = sorted(set(_WORD.findall(" ".join(paragraphs))))
    sentences = st.lists(st.sampled_from(vocabulary), min_size=8, max_size=30).map(
        lambda words: " ".join(words) + "."
    )
    chosen = draw(st.lists(st.sampled_from(paragraphs) | sentences, min_size=1, max_size=12))
    # One paragraph per casefolded text: the cleaner takes a case variant for a repeat.
    unique: dict[str, str] = {}
    for paragraph in chosen:
        unique.setdefault(paragraph.casefold(), paragraph)
    return title, list(unique.values())


@PROPERTY_SETTINGS
@given(clean_articles())
def test_clean_articles_are_left_alone(article: tuple[str, list[str]]) -> None:
    title, paragraphs = article
    result = clean_text(title + "\n\n" + "\n\n".join(paragraphs))
    assert result.title == title
    assert result.paragraphs == paragraphs
    assert result.removed == []


@PROPERTY_SETTINGS
@given(st.text(max_size=500), st.one_of(st.none(), st.text(max_size=40)))
def test_build_article_accepts_anything(text: str, published: str | None) -> None:
    article = build_article(RawDocument(source="x", text=text, format="text", published=published))
    assert isinstance(article.title, str)
    assert article.published is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", article.published)
