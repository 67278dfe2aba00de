"""The cleaner on hand-written articles in several languages with many kinds of furniture."""

from __future__ import annotations

import pytest

from storyline.clean import build_article, clean_text
from storyline.model import RawDocument
from tests.clean.fixtures import ALL, ENGLISH, Fixture


@pytest.mark.parametrize("fixture", ALL, ids=lambda fixture: fixture.name)
def test_story_survives_and_boilerplate_goes(fixture: Fixture) -> None:
    article = build_article(RawDocument(source=fixture.name, text=fixture.text, format="text"))
    assert article.title == fixture.title
    for sentence in fixture.story:
        assert sentence in article.text, sentence
    for furniture in fixture.boilerplate:
        assert furniture not in article.text, furniture
        assert furniture not in article.title, furniture
    for name, expected in fixture.fields.items():
        assert getattr(article, name) == expected, name
    if "published" in fixture.fields:
        assert article.published_source == "text"


@pytest.mark.parametrize("fixture", ALL, ids=lambda fixture: fixture.name)
def test_every_removal_is_explained(fixture: Fixture) -> None:
    result = clean_text(fixture.text)
    assert all(item.text and item.reason for item in result.removed)
    removed = " ".join(item.text for item in result.removed)
    for furniture in fixture.boilerplate:
        assert furniture in removed, furniture


def test_reasons_name_the_kind_of_furniture() -> None:
    reasons = {item.text: item.reason for item in clean_text(ENGLISH.text).removed}
    assert reasons["Share on Facebook"] == "share-widget"
    assert reasons["Advertisement"] == "advert"
    assert reasons["12 Comments"] == "comments"
    assert reasons["Tags: floods, coast, council"] == "tags"
    assert reasons["By Martha Quillon"] == "byline"
    assert reasons["March 3, 2021, 9:12 AM"] == "dateline-date"
    assert reasons["Reporting by Martha Quillon; Editing by Sam Oduya"] == "agency-trailer"
    assert "dateline" not in reasons.values()  # read into the fields, kept in the lead
    assert any(reason == "caption" for reason in reasons.values())


def test_clean_article_passes_through_untouched() -> None:
    paragraphs = [
        "The night ferry to the islands will run twice a week from June, the operator said.",
        "Tickets go on sale on Monday.",
        "“It is what the islanders asked for,” a spokeswoman said.",
    ]
    result = clean_text("Night ferry returns to the islands\n\n" + "\n\n".join(paragraphs))
    assert result.title == "Night ferry returns to the islands"
    assert result.paragraphs == paragraphs
    assert result.removed == []


def test_short_subheading_inside_the_story_is_kept() -> None:
    text = (
        "Town fair breaks its attendance record\n"
        "More than twenty thousand people came to the town fair over the weekend, "
        "organisers said.\n"
        "A new parade route\n"
        "The parade took a longer route this year, past the old mill and the river bridge.\n"
    )
    assert "A new parade route" in clean_text(text).paragraphs


def test_link_list_inside_the_story_goes() -> None:
    text = (
        "Ferry fares to rise in April\n"
        "Ferry fares will rise by five percent in April, the regional transport authority said.\n"
        "Transport\nWeather\nLocal Politics\nSport Results\n"
        "The authority blamed higher fuel prices and the cost of repairs to two older vessels.\n"
    )
    result = clean_text(text)
    assert not {"Transport", "Weather", "Local Politics"} & set(result.paragraphs)
    assert len(result.paragraphs) == 2


def test_headline_starting_with_a_preposition_is_not_a_byline() -> None:
    result = clean_text("Von der Leyen visits the flooded valley\n" + ENGLISH.story[1] + " today.")
    assert result.title == "Von der Leyen visits the flooded valley"
    assert result.byline is None


def test_language_hint_picks_the_stop_words() -> None:
    assert clean_text("Une phrase de test pour la langue.", "fr").language == "fr"
    assert clean_text("Ein kurzer Satz, der nur für den Test geschrieben ist.").language == "de"


def test_empty_and_blank_text() -> None:
    for text in ("", "   \n\n \t", "\u200b\n\ufeff"):
        result = clean_text(text)
        assert result.paragraphs == []
        assert result.title is None
