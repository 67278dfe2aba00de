"""Pages in German, Spanish, French and Italian the line model never saw: the story stays
whole, the page furniture goes, the headline is the title."""

from __future__ import annotations

import pytest

from storyline.clean import clean_text
from tests.clean.multilingual_pages import PAGES, Page


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.language)
def test_story_stays_furniture_goes_headline_is_title(page: Page) -> None:
    result = clean_text(page.text)
    assert result.title == page.title
    assert result.language == page.language
    assert result.paragraphs == list(page.story)
    removed = {item.text for item in result.removed}
    for line in page.chrome:
        assert line in removed, line


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.language)
def test_consent_banners_and_promos_are_named(page: Page) -> None:
    reasons = {item.text: item.reason for item in clean_text(page.text).removed}
    assert reasons[page.chrome[0]] == "consent"
    assert any(reason == "promo" for reason in reasons.values())
