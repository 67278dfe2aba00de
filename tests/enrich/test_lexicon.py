"""The entity rules' word lists are data (`enrich/lexicon/words.toml`), read once."""

from __future__ import annotations

import tomllib
from importlib import resources

from storyline.enrich import lexicon


def test_every_list_of_the_data_file_is_read_and_every_word_is_a_lower_case_token() -> None:
    lists = tomllib.loads(resources.files("storyline.enrich.lexicon").joinpath("words.toml")
                          .read_text(encoding="utf-8"))
    read = {name.lower() for name, value in vars(lexicon).items()
            if name.isupper() and not name.startswith("_")}
    assert read == set(lists)  # no list in the file left unread, none read from elsewhere
    for name, words in lists.items():
        assert words.split() and all(w == w.lower() for w in words.split()), name
        assert set(getattr(lexicon, name.upper())) == set(words.split())


def test_the_lists_the_rules_lean_on_hold_their_words() -> None:
    assert {"president", "präsident", "президент", "spokesman"} <= lexicon.TITLE_WORDS
    assert "ministry" in lexicon.ORGANIZATION_WORDS and "heights" in lexicon.PLACE_WORDS
    assert lexicon.NOUN_CAPITALISING_LANGUAGES == {"de", "lb"}
    assert "ungen" in lexicon.GERMAN_NOUN_SUFFIXES and "gmt" in lexicon.TIME_ZONES
