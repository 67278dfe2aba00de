"""Entity mentions and the canonical ids that agree across articles.

A mention's canonical key is computed from its text alone, so two articles agree on an id
without a registry: a person is keyed by the folded surname ("Bashar al-Assad", "Asad" →
person:asad), a place or an organisation by its gazetteer name ("Syrie" → place:syria), anything
else by its folded text. Mentions come from the rules (`rule_mentions`) and spaCy
(`spacy_mentions`); `resolution` groups them into the article's entities.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from anyascii import anyascii

from storyline.enrich.gazetteer import RUSSIAN_CASE_ENDINGS
from storyline.enrich.lexicon import COMPOUND_NAME_ENDS, GENERATION_SUFFIXES, NAME_CONNECTORS
from storyline.model import EntityType

CYRILLIC_WORD = re.compile(r"[\u0400-\u04ff]+")
LEADING_ARTICLE = re.compile(r"^(?:the|la|le|el|les|los|las|die|der|das|l['’])\s+", re.IGNORECASE)
_DOUBLE_LETTER = re.compile(r"(.)\1+")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


@dataclass
class Mention:
    """One occurrence of an entity; `strong` mentions (model, gazetteer, title) fix the type."""

    start: int
    end: int
    text: str
    type: EntityType | None
    strong: bool
    canonical: str | None = None  # gazetteer name
    entity_id: str | None = None
    # In a Title Case headline every word is capitalised: keep such a mention only when the
    # same entity is also found in running text.
    headline: bool = False
    # A town, state or alternate name (not a country or capital): kept only when some mention
    # of it is "located" (after "in", "from", "à", "в"…), as "Bush" or "Western" are not.
    minor_place: bool = False
    located: bool = False
    # Typed by the words before it ("the daily Al-Watan", "the base of Hmeimim"): outranks a
    # model's guess on the same words.
    described: bool = False


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """ASCII, lower case, one space between words: 'Bashar al-Assad' → 'bashar al assad'."""
    ascii_text = anyascii(unicodedata.normalize("NFC", text)).casefold().replace("'", "")
    return _NON_ALNUM.sub(" ", ascii_text).strip()


def fold_name_part(word: str) -> str:
    """Spelling-variant folding of one name: doubled letters and -y/-iy/-ij/-ii endings."""
    word = _DOUBLE_LETTER.sub(r"\1", word)
    return re.sub(r"(?:iy|ij|ii|y)$", "i", word) if len(word) > 3 else word


def person_parts(name: str) -> list[str]:
    """Folded name parts without particles: 'Bashar Al Asad' → ['bashar', 'asad']."""
    return list(_person_parts(name))


@lru_cache(maxsize=65536)
def _person_parts(name: str) -> tuple[str, ...]:
    words = []
    for word in name.split():
        head, _, rest = word.partition("-")
        # "al-Assad" loses its particle; "Ki-moon" and "Ould-Abdallah" stay one name
        if rest and head.casefold() not in NAME_CONNECTORS:
            word = head + rest
        words.extend(fold(_russian_nominative(word)).split())
    parts = [w for w in words if w not in NAME_CONNECTORS] or words
    if len(parts) > 1 and parts[-1] in GENERATION_SUFFIXES:
        parts = parts[:-1]  # "Samuel Locklear III" is a Locklear
    return tuple(fold_name_part(w) for w in parts)


def _russian_nominative(word: str) -> str:
    """A Cyrillic name without its case ending ("Асадом", "Путина" → "Асад", "Путин"), so every
    case of a name folds to one key; names of other scripts are returned unchanged."""
    if not CYRILLIC_WORD.fullmatch(word):
        return word
    for ending in RUSSIAN_CASE_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: len(word) - len(ending)]
    return word


def compound_given_name(parts: list[str]) -> str | None:
    """"saif-islam" for the parts of "Saif al-Islam (Gaddafi)": an Arabic compound given name,
    which identifies its bearer better than the family name he shares."""
    end = next((i for i, part in enumerate(parts) if i and part in COMPOUND_NAME_ENDS), None)
    return "-".join(parts[: end + 1]) if end is not None else None


def entity_id(entity_type: EntityType, name: str) -> str:
    if entity_type == "person":
        parts = person_parts(name)
        key = compound_given_name(parts) or (parts[-1] if parts else fold(name))
    else:
        key = fold(LEADING_ARTICLE.sub("", name)).replace(" ", "-")
    return f"{entity_type}:{key or 'unknown'}"
