"""An article's mentions grouped into canonical entities: acronyms joined to their names, the type
fixed by vote, weak groups dropped, and each entity's salience scored."""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache, partial

from storyline import settings
from storyline.config import check_fields
from storyline.enrich.entities import (
    Mention,
    compound_given_name,
    entity_id,
    fold,
    fold_name_part,
    person_parts,
)
from storyline.enrich.gazetteer import lookup
from storyline.enrich.lexicon import COMPOUND_NAME_ENDS, GENERATION_SUFFIXES, NAME_CONNECTORS
from storyline.enrich.rule_mentions import is_junk_word, is_title_word, lowercase_vocabulary
from storyline.model import Article, Entity, EntityType, Sentence

# "Organisation for the Prohibition of Chemical Weapons (OPCW)": a name with its acronym.
_ACRONYM_DEFINITION = re.compile(
    r"([A-ZÀ-Þ][\w'’\-]*"
    r"(?:\s+(?:[A-ZÀ-Þ][\w'’\-]*|of|for|the|and|on|de|du|des|la|le|del|pour|für|und|der)){1,9})"
    r"\s*\(([A-ZÀ-Þ]{2,8})\)"
)
# The first character of each whitespace-separated word.
_WORD_INITIAL = re.compile(r"(?<!\S)\S")


@dataclass
class ArticleEntities:
    entities: list[Entity]
    mentions: list[Mention]


def _with_acronyms(text: str, mentions: list[Mention]) -> list[Mention]:
    """Acronyms a text defines ("… of Chemical Weapons (OPCW)") as organisations named by the
    acronym: the full name's mentions give way to one mention of it, and every later bare
    use of the acronym is found too."""
    for match in _ACRONYM_DEFINITION.finditer(text):
        words, acronym = match.group(1).split(), match.group(2)
        capitals = "".join(w[0] for w in words if w[:1].isupper())
        if capitals.casefold() != acronym.casefold():
            continue
        long_start, long_end = match.start(1), match.end(1)
        mentions = [m for m in mentions if m.end <= long_start or m.start >= long_end]
        mentions = [m for m in mentions if m.text != acronym]
        for found in re.finditer(rf"(?<!\w){re.escape(acronym)}(?!\w)", text):
            mentions.append(Mention(found.start(), found.end(), acronym, "organization", True,
                                    acronym))
        mentions.append(Mention(long_start, long_end, match.group(1), "organization", True,
                                acronym))
    return mentions


def _is_title_case(sentence: str) -> bool:
    initials = [c for c in _WORD_INITIAL.findall(sentence) if c.isalpha()]
    capitalised = sum(map(str.isupper, initials))
    if sentence.rstrip().endswith(".") and capitalised < 0.8 * len(initials):
        return False  # a sentence full of names ("King Abdullah of Jordan met …"), not a title
    return len(initials) >= 4 and capitalised >= 0.7 * len(initials)


@dataclass(frozen=True)
class ResolutionConfig:
    """How many entities an article keeps and how their salience is weighed (`[enrich.entities]`
    of a pipeline configuration; settings.py says why each default)."""

    # The most salient entities kept per article.
    max_entities: int = settings.ENRICH_MAX_ENTITIES
    # Salience = weights of: in the title, share of mentions, earliness of the first mention.
    salience_weights: tuple[float, float, float] = settings.ENRICH_SALIENCE_WEIGHTS

    def __post_init__(self) -> None:
        check_fields(self)
        weights = tuple(self.salience_weights)  # a TOML list
        if len(weights) != 3 or not all(isinstance(w, int | float) and w >= 0 for w in weights):
            raise ValueError("salience_weights must be three weights of at least 0")
        object.__setattr__(self, "salience_weights", weights)


def resolve_entities(article: Article, mentions: list[Mention],
                     config: ResolutionConfig | None = None) -> ArticleEntities:
    """Group mentions into canonical entities, fix their type by vote, score their salience."""
    config = config or ResolutionConfig()
    mentions = _with_acronyms(article.text, mentions)
    _mark_headline_mentions(article.sentences, mentions)
    people = _person_index(mentions)
    # folded words the text writes in lower case, read only if two people share a surname
    lowercase_words = cache(lambda: {fold(w) for w in lowercase_vocabulary(article.text)})
    # the given names of each full name, once an article: it names the same few people again
    # and again (the lists are shared: read them, never change them)
    given_names = cache(partial(_given_names, lowercase_words=lowercase_words))
    groups: dict[str, list[Mention]] = defaultdict(list)
    types: dict[str, Counter[str]] = defaultdict(Counter)
    for mention in mentions:
        entity_type, key_name = _classify(mention, people)
        if entity_type is None:
            continue
        mention.entity_id = entity_id(entity_type, key_name)
        if entity_type == "person" and (
            namesake := _namesake_key(key_name, people, given_names)
        ):
            # "Saif al-Islam Gaddafi" in an article on Muammar Gaddafi: another person
            mention.entity_id = f"person:{namesake}"
        groups[mention.entity_id].append(mention)
    # A key seen with several types (spaCy's ORG vs PERSON) keeps the strong majority type of
    # the groups kept: a group too weak to stand (a town never located, "Bush" beyond the lead
    # of an article whose spaCy PERSON is "Bush") has no say in the type of the one kept.
    standing = {group_id: group for group_id, group in groups.items() if not _too_weak(group)}
    for group_id, group in standing.items():
        types[group_id.split(":", 1)[1]].update(m.type or "other" for m in group if m.strong)
    final: dict[str, list[Mention]] = defaultdict(list)
    for group_id, group in standing.items():
        group_type, key = group_id.split(":", 1)
        if types[key]:
            group_type = types[key].most_common(1)[0][0]
        if group_type == "person" and _town_not_person(article, group):
            group_type = "place"
        for mention in group:
            mention.entity_id = f"{group_type}:{key}"
            final[mention.entity_id].append(mention)
    entities = [_entity(ent_id, group) for ent_id, group in final.items()]
    result = ArticleEntities(entities, [m for m in mentions if m.entity_id in final])
    score_salience(article, result, config.salience_weights)
    result.entities = result.entities[: config.max_entities]
    kept = {e.id for e in result.entities}
    result.mentions = [m for m in result.mentions if m.entity_id in kept]
    return result


def _mark_headline_mentions(sentences: list[Sentence], mentions: list[Mention]) -> None:
    """Flag mentions inside a Title Case sentence; only sentences holding a mention are read."""
    starts = [s.start for s in sentences]
    title_case: dict[int, bool] = {}
    for mention in mentions:
        if mention.canonical:
            continue
        index = bisect.bisect_right(starts, mention.start) - 1
        if index < 0 or mention.start >= sentences[index].end:
            continue
        if index not in title_case:
            title_case[index] = _is_title_case(sentences[index].text)
        if title_case[index]:
            mention.headline = True


def _town_not_person(article: Article, group: list[Mention]) -> bool:
    """A one-word "person" the article puts a place word before ("in Varnholm", "à Varnholm")
    and never gives a first name: spaCy's PERSON on an unknown town."""
    if any(" " in m.text for m in group):
        return False
    return _in_place_pattern(group[0].text).search(f"{article.title}\n{article.text}") is not None


@lru_cache(maxsize=4096)
def _in_place_pattern(word: str) -> re.Pattern[str]:
    return re.compile(
        rf"(?<!\w)(?:in|à|en|im|nach|в|во)\s+{re.escape(word)}(?![\w'’])", re.IGNORECASE
    )


def _too_weak(group: list[Mention]) -> bool:
    """Headline-only mentions, minor places never located, or single words no model,
    gazetteer or title vouched for."""
    if all(m.headline for m in group):
        return True
    if all(m.minor_place for m in group) and not any(m.located for m in group):
        return True
    if any(m.strong for m in group):
        return False
    return all(len(m.text.split()) == 1 for m in group)


def _person_index(mentions: list[Mention]) -> dict[str, str]:
    """Folded surname (and unique first name) → full name of each multi-word person mention."""
    surnames: dict[str, str] = {}
    first_names: dict[str, set[str]] = defaultdict(set)
    for mention in mentions:
        if mention.type != "person" or mention.canonical:
            continue
        parts = person_parts(mention.text)
        # "Saif al-Islam" has no surname: "Islam" alone is not him.
        if len(parts) >= 2 and parts[-1] not in COMPOUND_NAME_ENDS:
            surnames.setdefault(parts[-1], mention.text)
            first_names[parts[0]].add(parts[-1])
    for first, owners in first_names.items():
        if len(owners) == 1 and first not in surnames:
            surnames[first] = surnames[next(iter(owners))]
    return surnames


def _namesake_key(name: str, people: dict[str, str],
                  given_names: Callable[[str], list[str]]) -> str | None:
    """The key of a full name whose surname the article first gave to someone with another
    given name (the surname alone stays with that first person): the given name nearest its
    surname and the surname ("Deputy Erik Halden": "erik-halden", as "Erik Halden" elsewhere),
    or its compound given name ("saif-islam"); None for no namesake. Only real
    given names tell two people apart: "W. Mark Felt" and "Mark Felt", "Deputy Jerry Ortiz" and
    "Jerry Ortiz", "Whenever Warren Jeffs" and "Warren Jeffs" are one person each, whichever
    the article names first."""
    parts = person_parts(name)
    known = people.get(parts[-1]) if len(parts) >= 2 else None
    if known is None or len(person_parts(known)) < 2:
        return None
    mine, theirs = given_names(name), given_names(known)
    if not mine or not theirs or any(
        a.startswith(b) or b.startswith(a) for a in mine for b in theirs
    ):
        return None
    return compound_given_name(parts) or f"{mine[-1]}-{parts[-1]}"


def _given_names(name: str, lowercase_words: Callable[[], set[str]]) -> list[str]:
    """The folded words of a name before its surname that can be given names: not initials,
    titles, particles, sentence openers, numbers or words the text also writes in lower case
    ("Choosing DeGeneres", "Sixteen-year-old Kimani Gray"; "Jean-Marc" is one given name)."""
    given = []
    for word in name.split()[:-1]:
        pieces = fold(word).split()
        if not pieces or any(p.isdigit() or p in lowercase_words() for p in pieces):
            continue
        folded = "".join(pieces)
        if len(folded) < 2 or folded in NAME_CONNECTORS or folded in GENERATION_SUFFIXES:
            continue
        if not (is_title_word(word) or is_junk_word(word)):
            given.append(fold_name_part(folded))
    return given


def _classify(mention: Mention, people: dict[str, str]) -> tuple[EntityType | None, str]:
    """Type and the name the id is computed from."""
    parts = person_parts(mention.text)
    if mention.canonical:
        if mention.type == "place" and len(parts) == 1 and parts[0] in people and not (
            (entry := lookup(mention.text)) is not None and entry.is_major
        ):
            # "Bush" the town, in an article on George Bush: it votes for a person too (a
            # country or capital stays a place: "Haiti" beside a stray "Connexion Haiti")
            mention.type = "person"
            return "person", people[parts[0]]
        return mention.type, mention.canonical
    if parts and len(parts) == 1 and parts[0] in people and mention.type in (None, "person"):
        return "person", people[parts[0]]  # "Assad" → the article's "Bashar al-Assad"
    if mention.type in (None, "person") and len(parts) >= 2 and parts[-1] in people:
        return "person", mention.text  # "Bashar Al Asad" beside "Bashar al-Assad"
    return mention.type or "other", mention.text


def _entity(ent_id: str, group: list[Mention]) -> Entity:
    entity_type = ent_id.split(":", 1)[0]
    aliases = list(dict.fromkeys(m.text for m in group))
    canonical = next((m.canonical for m in group if m.canonical), None)
    counts = Counter(m.text for m in group)
    if canonical:
        name = canonical
    elif entity_type == "person":
        name = max(aliases, key=lambda a: (len(person_parts(a)), counts[a]))
    else:
        name = max(aliases, key=lambda a: (counts[a], len(a)))
    return Entity(
        id=ent_id,
        name=name,
        type=entity_type,  # type: ignore[arg-type]
        aliases=aliases,
        salience=0.0,
        mentions=len(group),
    )


def score_salience(article: Article, result: ArticleEntities,
                   weights: tuple[float, float, float]) -> None:
    """Salience in [0, 1] from title presence, share of mentions and the first mention's place
    (`weights` of each, in that order)."""
    if not result.entities:
        return
    title_weight, share_weight, position_weight = weights
    title = f" {fold(article.title)} "
    most = max(e.mentions for e in result.entities)
    first: dict[str, int] = {}
    for mention in result.mentions:
        first.setdefault(mention.entity_id or "", mention.start)
    length = max(1, len(article.text))
    for entity in result.entities:
        in_title = any(f" {fold(alias)} " in title for alias in entity.aliases if fold(alias))
        earliness = 1.0 - min(1.0, first.get(entity.id, length) / length)
        score = (
            title_weight * in_title
            + share_weight * entity.mentions / most
            + position_weight * earliness
        )
        entity.salience = round(min(1.0, max(0.0, score)), 4)
    result.entities.sort(key=lambda e: (-e.salience, e.id))
