"""Word lists kept as data beside this module, each read once: the entity rules' lists
(titles, organisation and place words, words that are never names) in `words.toml`, which
`storyline.enrich.rule_mentions` uses under the names below; the function words of each language
in `stop_words.toml` (`enrich.language`); the polarity words of `tone.toml`
(`events.similarity`).

Each list is a TOML string of white-space-separated lower-case words, with a comment saying what
the code does with it.
"""

from __future__ import annotations

import tomllib
from importlib import resources


def word_lists(file: str) -> dict[str, frozenset[str]]:
    """The lists of one TOML file of this folder, by name, in the file's order."""
    lists = tomllib.loads(resources.files(__name__).joinpath(file).read_text(encoding="utf-8"))
    return {name: frozenset(words.split()) for name, words in lists.items()}


_LISTS = word_lists("words.toml")


def _words(name: str) -> frozenset[str]:
    return _LISTS[name]


TITLE_WORDS = _words("title_words")
# Endings tested with str.endswith: a tuple, in a fixed order.
TITLE_SUFFIXES = tuple(sorted(_words("title_suffixes")))
RANK_WORDS = _words("rank_words")
ARABIC_TITLE_WORDS = _words("arabic_title_words")
ARABIC_CONSTRUCT_TITLES = _words("arabic_construct_titles")
ARABIC_NON_NAME_WORDS = _words("arabic_non_name_words")
ARABIC_NAME_PREFIXES = _words("arabic_name_prefixes")
ORGANIZATION_WORDS = _words("organization_words")
PLACE_WORDS = _words("place_words")
PLACE_PREFIX_WORDS = _words("place_prefix_words")
SAINT_WORDS = _words("saint_words")
GERMAN_PLACE_NOUNS = _words("german_place_nouns")
GERMAN_ORGANIZATION_NOUNS = _words("german_organization_nouns")
NOUN_CAPITALISING_LANGUAGES = _words("noun_capitalising_languages")
GERMAN_NOUN_SUFFIXES = tuple(sorted(_words("german_noun_suffixes")))
COMPASS_WORDS = _words("compass_words")
MONTHS_AND_DAYS = _words("months_and_days")
PRONOUNS_AND_OPENERS = _words("pronouns_and_openers")
LEADING_NON_NAME_WORDS = _words("leading_non_name_words")
FAITH_WORDS = _words("faith_words")
TIME_ZONES = _words("time_zones")
ORGANIZATION_DESCRIPTORS = _words("organization_descriptors")
GENERATION_SUFFIXES = _words("generation_suffixes")
COMPOUND_NAME_ENDS = _words("compound_name_ends")
NAME_CONNECTORS = _words("name_connectors")
