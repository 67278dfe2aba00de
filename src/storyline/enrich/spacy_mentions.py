"""spaCy's entities as mentions (`model_mentions`), and their merge with the rule mentions
(`merge_mentions`: the model wins where both found a span). Loading the models and batching
the articles is `storyline.enrich.recognizers.SpacyRecognizer`'s job."""

from __future__ import annotations

import re

from storyline.enrich.entities import LEADING_ARTICLE, Mention
from storyline.enrich.gazetteer import lookup
from storyline.enrich.lexicon import TIME_ZONES
from storyline.enrich.rule_mentions import POSSESSIVE, is_junk_word, is_title_word, shape_type
from storyline.model import EntityType

_SPACY_TYPES: dict[str, EntityType] = {
    "PERSON": "person", "PER": "person", "ORG": "organization", "GPE": "place", "LOC": "place",
    "FAC": "place", "EVENT": "other", "LAW": "other", "PRODUCT": "other",
    "WORK_OF_ART": "other", "MISC": "other",
}
# Lower-case words ending a span, but not a prefixed name ("al-Assad", "d'Ostrania").
_TRAILING_LOWERCASE = re.compile(r"(?:\s+(?!\S*[A-ZÀ-Þ])[^\W\d_]\S*)+$")
# "Rovena's Henrik Dahl": the name after a possessive.
_POSSESSOR = re.compile(r"^.*['’]s\s+(?=[A-ZÀ-Þ])")


def _is_time_zone(word: str) -> bool:
    return word.casefold() in TIME_ZONES


def model_mentions(doc, offset: int = 0) -> list[Mention]:  # type: ignore[no-untyped-def]  # noqa: C901 - one branch per spaCy label kind
    """Mentions from a spaCy Doc (types mapped; dates, numbers and demonyms left out)."""
    mentions: list[Mention] = []
    for ent in doc.ents:
        entity_type = _SPACY_TYPES.get(ent.label_)
        if entity_type is None:
            continue
        surface = POSSESSIVE.sub("", LEADING_ARTICLE.sub("", ent.text.strip()))
        # "Coupe continentale en battant le": a span running on into the sentence; a single
        # word left of it is too weak a name
        trimmed = _TRAILING_LOWERCASE.sub("", _POSSESSOR.sub("", surface))
        if trimmed != surface and " " not in trimmed and not _POSSESSOR.match(surface):
            continue
        surface = trimmed
        if not surface or is_junk_word(surface) or not any(c.isupper() for c in surface[:1]):
            continue
        if all(is_title_word(word) for word in surface.split()):
            continue  # "Premier" of "le Premier ministre": an office, not a name
        if entity_type == "person":
            # "King Abdullah", "Councillor Ivo Brandt": the title is no part of the name
            words = surface.split()
            while len(words) > 1 and is_title_word(words[0]):
                words = words[1:]
            surface = surface[surface.index(words[0]):]
        if any(c.isdigit() for c in surface):  # a score line, "Salinas 2 FC Rovena 1"
            continue
        if "-LRB-" in surface or "-RRB-" in surface or any(map(_is_time_zone, surface.split())):
            continue  # a tokenised dateline or timestamp: "GMT TRIPOLI -LRB- Reuters -RRB-"
        entry = lookup(surface)
        if entry is None and (shape := shape_type(surface.casefold().split())):
            entity_type = shape
        start = offset + ent.start_char + ent.text.find(surface)
        if entry is None and entity_type != "person":
            # "Applauds Damascus" in a headline: keep the known place at the end of the span
            words = surface.split()
            for size in (2, 1):
                tail = " ".join(words[-size:])
                if len(words) > size and (entry := lookup(tail)) is not None:
                    start += len(surface) - len(tail)
                    surface = tail
                    break
        # spaCy's PERSON stands against a town of that name ("Charlotte"), not against a country
        if entry is not None and (entity_type != "person" or entry.rank <= 1):
            mentions.append(Mention(start, start + len(surface), surface, entry.type, True,
                                    entry.name))
        else:
            mentions.append(Mention(start, start + len(surface), surface, entity_type, True))
    return mentions


def merge_mentions(model: list[Mention], rules: list[Mention]) -> list[Mention]:
    """Model mentions win where they overlap rule mentions, except a rule name typed by its own
    words that holds a shorter model span ("FC Dunmore" over spaCy's "Dunmore");
    result sorted by position."""
    # A model span that opens with a known country or body run into a name ("Norway Harald
    # Lunde") gives way to the rules, which split the two.
    model = [
        m for m in model
        if not any(r.canonical and r.start == m.start and r.end < m.end - 1 for r in rules)
        and not any(r.described and r.start < m.end and m.start < r.end for r in rules)
    ]
    for mention in rules:
        inside = [m for m in model if mention.start <= m.start and m.end <= mention.end]
        # A name after a title that spaCy cut short ("President Omar Bashir Salem" →
        # "Omar Bashir"): the titled run is the whole name
        if inside and _titled_person(mention) and all(
            m.type == "person" and (m.start, m.end) != (mention.start, mention.end)
            for m in inside
        ) and not any(m.start < mention.end and mention.start < m.end and m not in inside
                      for m in model):
            model = [m for m in model if m not in inside]
            continue
        if inside and _shape_typed(mention) and all(
            (m.start, m.end) != (mention.start, mention.end) for m in inside
        ) and not any(
            m.start < mention.end and mention.start < m.end and m not in inside for m in model
        ):
            model = [m for m in model if m not in inside]
    taken = sorted((m.start, m.end) for m in model)
    merged = list(model)
    for mention in rules:
        if not any(a < mention.end and mention.start < b for a, b in taken):
            merged.append(mention)
    return sorted(merged, key=lambda m: m.start)


def _titled_person(mention: Mention) -> bool:
    return (mention.strong and mention.type == "person" and not mention.canonical
            and not mention.described and len(mention.text.split()) <= 4)


def _shape_typed(mention: Mention) -> bool:
    words = mention.text.casefold().split()
    return len(words) > 1 and not mention.strong and shape_type(words) == mention.type
