"""Word lists are data (`enrich/lexicon/*.toml`), read once: the entity rules' lists, the
function words of each language, the tone dimension's polarity words."""

from __future__ import annotations

import tomllib
from importlib import resources

from storyline.enrich import lexicon
from storyline.enrich.language import STOP_WORDS
from storyline.events.similarity import _NEGATIVE, _POSITIVE


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


def test_the_function_and_tone_words_are_the_data_files_lists() -> None:
    folder = resources.files("storyline.enrich.lexicon")
    assert sorted(f.name for f in folder.iterdir() if f.name.endswith(".toml")) == [
        "stop_words.toml", "tone.toml", "words.toml"]  # each one read by the code below
    assert STOP_WORDS == lexicon.word_lists("stop_words.toml")
    assert list(STOP_WORDS) == ["en", "es", "fr", "de", "it", "pt", "nl", "ru", "ar"]
    assert {"the", "said"} <= STOP_WORDS["en"] and "также" in STOP_WORDS["ru"]
    assert "hope" in _POSITIVE and "war" in _NEGATIVE and not _POSITIVE & _NEGATIVE
    for lists in (STOP_WORDS, {"positive": _POSITIVE, "negative": _NEGATIVE}):
        assert all(words and all(w == w.lower() for w in words) for words in lists.values())
