"""Multilingual stop-word lists (jusText's, shipped with trafilatura) and a cheap language guess.

Stop-word density separates prose ("the Kremlin said in a statement") from boilerplate made of
names, labels and class lists; it needs the right list, so the document's language is guessed by
which list its words hit most — good enough here, enrichment detects the language properly later.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from itertools import chain, repeat

import justext

# ISO 639-1 → jusText list name; the languages a news engine meets most.
LANGUAGE_LISTS = {
    "en": "English",
    "es": "Spanish",
    "fr": "French",
    "de": "German",
    "it": "Italian",
    "pt": "Portuguese",
    "ru": "Russian",
    "ar": "Arabic",
    "nl": "Dutch",
    "pl": "Polish",
    "tr": "Turkish",
    "uk": "Ukrainian",
    "ca": "Catalan",
    "sv": "Swedish",
    "ro": "Romanian",
    "cs": "Czech",
    "el": "Greek",
    "fa": "Persian",
    "id": "Indonesian",
}


@cache
def stopwords(language: str) -> frozenset[str]:
    """The stop-word set of an ISO 639-1 language, empty when none is known."""
    name = LANGUAGE_LISTS.get(language.lower()[:2])
    if name is None:
        return frozenset()
    return frozenset(word.casefold() for word in justext.get_stoplist(name))


@cache
def _word_languages() -> dict[str, tuple[str, ...]]:
    """Every stop word → the languages whose list holds it (one dict lookup per word)."""
    index: dict[str, tuple[str, ...]] = {}
    get = index.get  # built once per process over ~28,000 words: a bound method and no lists
    for language in LANGUAGE_LISTS:
        alone = (language,)
        for word in stopwords(language):
            found = get(word)
            index[word] = alone if found is None else found + alone
    return index


_LETTER_WORD = re.compile(r"[^\W\d_]+")


def guess_text_language(sample: str) -> str | None:
    """`guess_language` of a text's words of letters only (a page's sample of lines)."""
    return guess_language(_LETTER_WORD.findall(sample.casefold()))


def guess_language(words: list[str]) -> str | None:
    """The language whose stop words cover most of `words` (casefolded), or None."""
    index = _word_languages()
    # One vote per occurrence of a word for each language that lists it, counted in C.
    votes = Counter(chain.from_iterable(map(index.get, words, repeat(()))))
    if not votes:
        return None
    return votes.most_common(1)[0][0]
