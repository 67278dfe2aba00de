"""Entity mentions found by language-independent rules over the whole text: gazetteer places and
organisations, names after a title such as "President", runs of capitalised words, and the
uncased scripts' names after their titles."""

from __future__ import annotations

import itertools
import re
from functools import lru_cache

from storyline.enrich.entities import CYRILLIC_WORD, Mention, fold
from storyline.enrich.gazetteer import lookup, lookup_inflected
from storyline.enrich.gazetteer.names import FIRST_NAMES
from storyline.enrich.language import STOP_WORDS, word_set
from storyline.enrich.lexicon import (
    ARABIC_CONSTRUCT_TITLES,
    ARABIC_NAME_PREFIXES,
    ARABIC_NON_NAME_WORDS,
    ARABIC_TITLE_WORDS,
    COMPASS_WORDS,
    FAITH_WORDS,
    GERMAN_NOUN_SUFFIXES,
    GERMAN_ORGANIZATION_NOUNS,
    GERMAN_PLACE_NOUNS,
    LEADING_NON_NAME_WORDS,
    MONTHS_AND_DAYS,
    NAME_CONNECTORS,
    NOUN_CAPITALISING_LANGUAGES,
    ORGANIZATION_DESCRIPTORS,
    ORGANIZATION_WORDS,
    PLACE_PREFIX_WORDS,
    PLACE_WORDS,
    PRONOUNS_AND_OPENERS,
    RANK_WORDS,
    SAINT_WORDS,
    TIME_ZONES,
    TITLE_SUFFIXES,
    TITLE_WORDS,
)
from storyline.model import EntityType, Sentence

# A role phrase before a run names a portfolio first: "ministra de Sanidad Inés Valdemar".
_ROLE_PHRASE = re.compile(
    r"(?<!\w)([^\W\d_]+)\s+(?:de|del|de la|de los|de las|des|du|di|della|degli|dei|delle|"
    r"dello|do|da|of)\s+$",
    re.IGNORECASE,
)
_ROLE_LINKS = word_set("de del la los las des du di della degli dei delle dello do da of")
_EX_PREFIX = re.compile(r"^(?:ex-?|former-|vice-?|vize-?)", re.IGNORECASE)
# Languages whose adjectives follow the noun, and their usual adjective endings: "Assemblée
# nationale", "Parti socialiste", "Comisión Nacional", "Unione europea".
_ROMANCE = frozenset({"fr", "es", "it", "pt", "ca"})
_DATELINE_AFTER = re.compile(r"\s*(?:\(|-LRB-|[-–—]\s|,\s+[A-Z][a-z]+\.?\s+\d)")
_DATELINE_BEFORE = re.compile(r"(?:^|\n)[A-ZÀ-Þ][A-ZÀ-Þ .'-]+\s*\($")
_ELIDED_ARTICLE = re.compile(r"^[LlDd]['’]")
_ADJECTIVE_ENDINGS = tuple(word_set(
    """ale ales al aux ique iques iste istes aine aines enne ennes ien ienne ais aise ano ana
    anos anas ico ica icos icas ista istas ese esi ario aria ional ionale ionales ile ili eo ea"""
))
_PLACE_DESCRIPTOR = re.compile(
    r"(?<!\w)(?:(?:base|airbase|air base|town|village|city|port|region|province|district|"
    r"suburb|camp|ville|ciudad|pueblo|localidad|stadt|dorf|residents|inhabitants|people|"
    r"mayor|outskirts|habitants|vecinos|einwohner|bewohner)\s+(?:of|de|d['’]|von)"
    # a river or a quarter and its name: "the river Orva", "der Fluss Lisse", "quartier
    # Saint-Roch", "der Kleinstadt Beaumarais"
    r"|river|río|fleuve|rivière|fluss|quartier|barrio|stadtteil|stadt|kleinstadt|река|реки)"
    r"\s*$",
    re.IGNORECASE,
)
# The last letter of each of _PLACE_DESCRIPTOR's words, in every case IGNORECASE matches: a window
# whose last character before its trailing spaces is none of these ends with no descriptor, and
# is not searched (a search tries every position of the window, for each of some 75 runs an
# article: a tenth of the rule recognizer's time).
_PLACE_DESCRIPTOR_ENDS = frozenset("EFLNORSTeflnorst\u017f\u0410\u0418\u0430\u0438'\u2019")
_TOKEN = re.compile(r"(?:[^\W\d_]\.){2,}|[^\W\d_](?:\w|['’\-.](?=\w))*")
_UPPER = "".join(re.escape(c) for c in map(chr, range(0x3000)) if c.isupper())
_CONNECTOR = "|".join(sorted(NAME_CONNECTORS, key=len, reverse=True))
_CAP_TOKEN = (
    rf"(?:[{_UPPER}]\.){{2,}}|(?:(?:{_CONNECTOR})-)?[{_UPPER}](?:\w|['’\-.](?=\w))*"
)
# A run starts after a space or an elided article ("l'Organisation", "d'Ostrania").
_CAPITALISED_RUN = re.compile(
    rf"(?:(?<![\w'’\-.])|(?<=[lLdD]['’])(?<![\w.][lLdD]['’]))(?:{_CAP_TOKEN})(?:[ \u00a0](?:(?:{_CONNECTOR}) )?(?:{_CAP_TOKEN}))*"
)
_WORD = re.compile(r"[^\W\d_]+")
_LOCATIVE = re.compile(
    r"(?<!\w)(?:in|at|from|to|near|into|en|a|de|desde|à|au|aux|nach|aus|bei|im|в|во|из|под|"
    r"около)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_PATRONYMIC = re.compile(r"(?:ович|евич|ич|овна|евна|ична|инична)$")
# Arabic letters, without the Arabic comma, semicolon, question mark and full stop.
_ARABIC_TOKEN = re.compile(r"[\u0610-\u061a\u0620-\u0669\u066e-\u06d3\u06d5-\u06ff]+")
POSSESSIVE = re.compile(r"['’]s?$")
_NUMBERED = re.compile(r"-\d+$")
_PARTICLE_BEFORE = re.compile(r"(?<!\w)(?:al|el|an|ad|as) $")
_ARTICLE_BEFORE = re.compile(r"(?<!\w)(?:the|a|an)\s+$", re.IGNORECASE)
_ARABIC_LETTER = re.compile(r"[\u0600-\u06ff]")


def rule_mentions(text: str, sentences: list[Sentence], language: str | None) -> list[Mention]:
    """Gazetteer places/organisations, titled names and capitalised runs over the whole text."""
    starts = {s.start for s in sentences}
    stop_words = STOP_WORDS.get(language or "", frozenset()) | PRONOUNS_AND_OPENERS
    lowercase_words = lowercase_vocabulary(text)
    mentions: list[Mention] = []
    # One regex finds the runs (C speed); only their few words are looked at in Python.
    for run in _CAPITALISED_RUN.finditer(text):
        start = run.start()
        tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text, start, run.end())]
        previous = _previous_word(text, start)
        titled = is_title_word(previous)
        if not titled and len(tokens) >= 2 and previous.casefold() in _ROLE_LINKS:
            name = _name_after_role(text, tokens, run.end())
            if name is not None:
                if not name:
                    continue
                tokens, titled = name, True
        known, tokens = _dateline_or_body(text, tokens, run.end(), language)
        mentions.extend(known)
        if not tokens:
            continue
        initial = start in starts or _after_opening_quote(text, start, starts)
        described, described_tokens = _described(text, tokens, previous, language)
        if described is not None and not titled and described_tokens:
            surface = _surface(text, described_tokens)
            begin = described_tokens[0][0]
            mentions.append(Mention(begin, begin + len(surface), surface, described, True,
                                    described=True))
            continue
        mentions.extend(_run_mentions(
            text, tokens, initial, stop_words, lowercase_words, titled,
            nouns_capitalised=language in NOUN_CAPITALISING_LANGUAGES,
        ))
    if _ARABIC_LETTER.search(text):
        tokens = [(m.start(), m.end(), m.group()) for m in _ARABIC_TOKEN.finditer(text)]
        index = 0
        while index < len(tokens):
            index += _uncased_mentions(text, tokens, index, mentions)
        mentions.extend(_arabic_surnames(text, tokens, mentions))
    return sorted(mentions, key=lambda m: m.start)


def _dateline_or_body(
    text: str, tokens: list[tuple[int, int, str]], end: int, language: str | None
) -> tuple[list[Mention], list[tuple[int, int, str]]]:
    """A dateline's place or agency, or a body named in lower case after the run, and the
    tokens of the run still to read."""
    dateline = _dateline(text, tokens[0][0], end) if tokens else None
    if dateline is not None:
        return [dateline], []
    body = _body_with_lowercase_words(text, tokens, language)
    if body is not None:
        return [body], [t for t in tokens if t[1] <= body.start]
    return [], tokens


def _dateline(text: str, start: int, end: int) -> Mention | None:
    """The place of a dateline ("VARNHOLM (Northern Wire) -", "MOSCOW -LRB- Reuters -RRB-",
    "BEIRUT, March 3 -") and the agency in its brackets: a line opening with a name in
    capitals, then a bracket or a dash."""
    surface = text[start:end]
    line_start = start == 0 or text[start - 1] == "\n"
    after = _DATELINE_AFTER.match(text, end)
    known = lookup(surface)
    if line_start and surface.isupper() and after and (
        after.group().strip().startswith(("(", "-LRB-")) or known is None
        or known.type == "place"
    ):  # "EU - $ 604m" in a list is no dateline
        return Mention(start, end, surface, "place", True, described=True)
    if _DATELINE_BEFORE.search(text, max(0, start - 40), start) and text[end : end + 1] == ")":
        return Mention(start, end, surface, "organization", True, described=True)
    return None


def _body_with_lowercase_words(
    text: str, run: list[tuple[int, int, str]], language: str | None
) -> Mention | None:
    """An organisation whose name goes on in lower case after the capitalised run:
    "Organisation mondiale de la santé" (known to the gazetteer), or in a Romance language
    an organisation word and its adjective ("Assemblée nationale", "Parti socialiste")."""
    head = next((i for i, t in enumerate(run)
                 if _ELIDED_ARTICLE.sub("", t[2]).casefold() in ORGANIZATION_WORDS), None)
    if head is None:
        return None
    following = []
    position = run[-1][1]
    for token in _TOKEN.finditer(text, position, min(len(text), position + 60)):
        if text[position : token.start()] != " " or not token.group()[:1].islower():
            break
        following.append(token)
        position = token.end()
        if len(following) == 5:
            break
    start = run[head][0] + len(run[head][2]) - len(_ELIDED_ARTICLE.sub("", run[head][2]))
    for size in range(len(following), 0, -1):
        surface = text[start : following[size - 1].end()]
        entry = lookup(surface)
        if entry is not None and entry.type == "organization":
            return Mention(start, start + len(surface), surface, entry.type, True, entry.name)
    if following and language in _ROMANCE and head == len(run) - 1 and (
        following[0].group().casefold().endswith(_ADJECTIVE_ENDINGS)
    ):
        surface = text[start : following[0].end()]
        return Mention(start, start + len(surface), surface, "organization", False)
    return None


def _described(
    text: str, tokens: list[tuple[int, int, str]], previous: str, language: str | None
) -> tuple[EntityType | None, list[tuple[int, int, str]]]:
    """The type the words before a run give it, and the run's tokens that name it: up to a
    pronoun or opener run into it ("the people of Haiti There are …"); in German the name after
    a place or company noun inside the run ("Die Stadt Hamburg", "Fluss Lisse", "Reederei
    Hapag-Lloyd"), or before a company noun it is joined to ("Volkswagen-Konzern")."""
    described = _described_type(text, tokens[0][0], previous)
    if described is None and language in NOUN_CAPITALISING_LANGUAGES:
        noun = next((i for i, t in enumerate(tokens[:-1]) if t[2].casefold() in GERMAN_PLACE_NOUNS
                     or t[2].casefold() in GERMAN_ORGANIZATION_NOUNS), None)
        if noun is not None:
            place = tokens[noun][2].casefold() in GERMAN_PLACE_NOUNS
            described, tokens = "place" if place else "organization", tokens[noun + 1 :]
        else:
            joined = next(((start, head) for start, _, word in tokens
                           if (head := _joined_company(word))), None)
            if joined is not None:
                described, tokens = "organization", [(joined[0], joined[0] + len(joined[1]),
                                                      joined[1])]
    if described is None:
        return None, tokens
    return described, list(itertools.takewhile(lambda t: not is_junk_word(t[2]), tokens))


def _joined_company(word: str) -> str | None:
    """"Volkswagen" in "Volkswagen-Konzern": the name before a company noun it is joined to."""
    head, _, noun = word.rpartition("-")
    return head if head[:1].isupper() and noun.casefold() in GERMAN_ORGANIZATION_NOUNS else None


def _described_type(text: str, start: int, previous: str) -> EntityType | None:
    """The type the words just before a run give it: "the daily Al-Watan" an organisation,
    "the base of Hmeimim" a place."""
    if previous.casefold() in ORGANIZATION_DESCRIPTORS:
        return "organization"
    window = max(0, start - 30)
    if text[window:start].rstrip()[-1:] in _PLACE_DESCRIPTOR_ENDS and _PLACE_DESCRIPTOR.search(
        text, window, start
    ):
        return "place"
    return None


def _name_after_role(
    text: str, tokens: list[tuple[int, int, str]], end: int
) -> list[tuple[int, int, str]] | None:
    """The name in a run after a role phrase ("ministra de Sanidad Inés Valdemar" → "Inés
    Valdemar"); [] when the run is only the portfolio ("ministro de Obras Públicas, Raúl
    Molina"); None when no role phrase comes before, or the run names a body ("portavoz del
    Ministerio del Interior")."""
    role = _ROLE_PHRASE.search(text, max(0, tokens[0][0] - 40), tokens[0][0])
    if role is None or not is_title_word(role.group(1)) or shape_type(
        [t[2].casefold() for t in tokens]
    ) is not None:
        return None
    if len(tokens) <= 2 and not any(_is_first_name(t[2]) for t in tokens) and (
        text[end : end + 1] == ","
    ):
        return []
    return _strip_portfolio(tokens)


def _without_genitive_head(run: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """A Russian titled run of three words or more whose middle word is no patronymic: the
    body the title heads, then the name ("Глава Сбербанка Герман Греф" → "Герман Греф")."""
    if len(run) >= 3 and CYRILLIC_WORD.fullmatch(run[0][2]) and not _PATRONYMIC.search(
        run[-2][2]
    ):
        return run[-2:]
    return run


def _strip_portfolio(run: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The person after a portfolio: up to the first given name, else all but the last two
    words ("Sanidad Inés Valdemar", "Asuntos Exteriores Ana Pérez" → the name)."""
    for position, token in enumerate(run[1:], start=1):
        if _is_first_name(token[2]):
            return run[position:]
    return run[-2:] if len(run) >= 3 else run


def _is_first_name(word: str) -> bool:
    return fold(word) in FIRST_NAMES


def _previous_word(text: str, start: int) -> str:
    """The word before `start` when only spaces (and a dot) separate them ("President Obama",
    "Mr. X"), within 40 characters and across a single line break; else "". A backward scan:
    a `...[ ]+$` regex search here retried every position of the window, once per run."""
    window = text[max(0, start - 40) : start].removesuffix("\n")
    end = len(window.rstrip(" \u00a0"))
    if end == len(window):
        return ""
    if window[end - 1 : end] == ".":
        end -= 1
    begin = end
    while begin > 0 and window[begin - 1].isalnum() and not window[begin - 1].isdecimal():
        begin -= 1
    return window[begin:end]


# Kept for the texts of a worker's chunk (32 articles): the recognizer finds the mentions of the
# whole chunk, then entity resolution reads the same vocabulary of each article again.
@lru_cache(maxsize=64)
def lowercase_vocabulary(text: str) -> frozenset[str]:
    """Words the text also writes in lower case: a capitalised one is then a sentence opener."""
    return frozenset(w for w in set(_WORD.findall(text)) if w[0].islower())


def _after_opening_quote(text: str, start: int, starts: set[int]) -> bool:
    prefix = text[max(0, start - 2) : start]
    return any(start - offset in starts for offset in (1, 2)) and any(c in "\"'“«„(" for c in prefix)


def _run_mentions(  # noqa: C901 - the capitalised-run cases are read in order
    text: str,
    run: list[tuple[int, int, str]],
    initial: bool,
    stop_words: frozenset[str],
    lowercase_words: frozenset[str],
    titled: bool,
    nouns_capitalised: bool = False,
) -> list[Mention]:
    if initial and run and (
        run[0][2].casefold() in stop_words or run[0][2].casefold() in lowercase_words
        # "Mostly Orthodox Christian Russia": an English sentence adverb opening the sentence
        or (run[0][2].casefold().endswith("ly") and len(run[0][2]) > 4 and len(run) > 1)
    ):
        run = run[1:]
    while run and run[0][2].casefold() in LEADING_NON_NAME_WORDS:
        run = run[1:]
    # The name after the last title word inside the run: "Russian President Vladimir Putin".
    for position in range(len(run) - 1, -1, -1):
        if is_title_word(run[position][2]) and not (
            0 < position == len(run) - 1 and _is_first_name(run[position - 1][2])
        ):  # "Julio Pastor": a surname that is also a title
            run = run[position + 1 :]
            if len(run) >= 3 and run[0][2].casefold() in RANK_WORDS:
                run = run[1:]  # "Lieutenant General Mark Hertling"
            # "Sprecher der Feuerwehr", "Président de la République": an office, not a name
            titled = bool(run) and run[0][2][:1].isupper()
            break
    # Junk words and capitalised stop words ("Beirut With" in a headline) cut the run.
    pieces: list[list[tuple[int, int, str]]] = [[]]
    for index, token in enumerate(run):
        word = token[2]
        # "Julio Pastor", "June Carter": a month that is also a given name, before a surname
        given_name = index + 1 < len(run) and _is_first_name(word) and not is_junk_word(
            run[index + 1][2])
        if (is_junk_word(word) and not given_name) or (
            word[:1].isupper() and word.casefold() in stop_words
        ) or (word.isupper() and len(word) > 3 and word.casefold() in lowercase_words) or (
            # German "Einsturz der Brücke": an article or "von" joins two nouns, not a name
            nouns_capitalised and word[:1].islower() and not titled
        ):
            pieces.append([])
        else:
            pieces[-1].append(token)
        if POSSESSIVE.search(word):  # "Rovena's Henrik Dahl"
            pieces.append([])
    mentions: list[Mention] = []
    for piece in pieces:
        while piece and piece[0][2][:1].islower():  # a particle left at an edge: "of Syria"
            piece = piece[1:]
        # ...but a surname with its particle ("al-Assad") ends a name
        while piece and piece[-1][2][:1].islower() and not _is_prefixed_name(piece[-1][2]):
            piece = piece[:-1]
        if piece and nouns_capitalised and not titled:
            mentions.extend(_noun_language_mentions(text, piece, lowercase_words))
        elif piece:
            mentions.extend(_split_on_gazetteer(text, piece, titled, lowercase_words))
        titled = False  # a title names the words right after it only
    return mentions


def _noun_language_mentions(
    text: str, run: list[tuple[int, int, str]], lowercase_words: frozenset[str]
) -> list[Mention]:
    """German runs, where every noun is capitalised: gazetteer names as elsewhere; other runs
    only from a given name or a place word on ("Hauptstadt San Telmo" → San Telmo), and single
    words only as candidates that must match a person named elsewhere in the article."""
    mentions = _split_on_gazetteer(text, run, False, lowercase_words)
    kept: list[Mention] = []
    for mention in mentions:
        if mention.strong:
            kept.append(mention)
            continue
        tokens = [t for t in run if mention.start <= t[0] < mention.end]
        start = next(
            (i for i, t in enumerate(tokens) if _is_first_name(t[2]) or _place_prefixed(t[2])
             or t[2].casefold() in ORGANIZATION_WORDS),
            None,
        )
        if start is not None and len(tokens) - start >= 2:
            kept.append(_caps_mention(text, tokens[start:], False, lowercase_words))
        elif 2 <= len(tokens) <= 3 and tokens[-1][2].casefold() in ORGANIZATION_WORDS:
            kept.append(_caps_mention(text, tokens, False, lowercase_words))
        elif len(tokens) == 1 and not _looks_like_common_noun(tokens[0][2]):
            kept.append(Mention(tokens[0][0], tokens[0][1], tokens[0][2], None, False))
    return kept


def _looks_like_common_noun(word: str) -> bool:
    folded = word.casefold()
    return folded.endswith(GERMAN_NOUN_SUFFIXES) or is_title_word(word)


def _place_prefixed(word: str) -> bool:
    return word.casefold() in PLACE_PREFIX_WORDS or word.casefold() in SAINT_WORDS


def _is_prefixed_name(word: str) -> bool:
    """ "al-Assad", "el-Sisi": a particle, a hyphen, then a capitalised name."""
    particle, _, name = word.partition("-")
    return particle.casefold() in NAME_CONNECTORS and name[:1].isupper()


@lru_cache(maxsize=65536)  # the same words recur in every run of every article
def is_title_word(word: str) -> bool:
    folded = _EX_PREFIX.sub("", word.casefold().rstrip("."))
    return (
        folded in TITLE_WORDS
        # "Vice-President", not "Port-au-Prince"
        or (folded.count("-") == 1 and folded.rsplit("-", 1)[-1] in TITLE_WORDS)
        # German compounds: "Stadtingenieur", "Notenbankchefin" (a stem of 3+ letters first)
        or any(folded.endswith(s) and len(folded) >= len(s) + 3 for s in TITLE_SUFFIXES)
    )


@lru_cache(maxsize=65536)
def is_junk_word(word: str) -> bool:
    folded = word.casefold()
    return (
        folded in MONTHS_AND_DAYS
        or folded in PRONOUNS_AND_OPENERS
        # a zone is written in capitals: "WEST" is one, "West Texas" and "West Papua" are not
        or (folded in TIME_ZONES and word.isupper())
        or sum(c.isalpha() for c in word) < 2
        or (word.isupper() and len(word) > 6)  # shouting, not an acronym
    )


def _split_on_gazetteer(
    text: str, run: list[tuple[int, int, str]], titled: bool, lowercase_words: frozenset[str]
) -> list[Mention]:
    """The longest known place or organisation ending the run ("Applauds Damascus" → Damascus);
    the words before it stay a capitalised mention. Only endings are tried: a known name at the
    start is usually part of a longer one ("Vladimir Putin", "Washington Post")."""
    # A country run into a titled name is no part of it: "Президент России Владимир Путин".
    split = _known_head(text, run, lowercase_words, titled)
    if split is not None:
        return split
    if titled:
        run = _without_genitive_head(run)
    if not titled:
        for cut in range(max(0, len(run) - 4), len(run)):
            # "Geneva-2", "Minsk-2": a meeting numbered after its place
            numbered = _NUMBERED.search(_surface(text, run[cut:])) is not None
            surface = _NUMBERED.sub("", _surface(text, run[cut:]))
            entry = lookup_inflected(surface)
            if entry is None or (cut and not entry.is_major):
                continue
            if cut and entry.type == "place" and len(run) <= 4 and shape_type(
                [w.casefold() for _, _, w in run[:cut]]
            ) == "organization":
                # "Atlético de Madrid", "Banco Santander": the place names the body
                return [_caps_mention(text, run, titled, lowercase_words)]
            if cut == len(run) - 1 and not entry.is_major and (
                run[cut][2].casefold() in lowercase_words
            ):
                continue  # "Most", "Western": a common word here, not the town of that name
            start = run[cut][0]
            known = Mention(start, start + len(surface), surface, entry.type, True, entry.name,
                            minor_place=entry.type == "place" and not entry.is_major,
                            located=numbered
                            or _LOCATIVE.search(text, max(0, start - 12), start) is not None)
            head = [_caps_mention(text, run[:cut], titled, lowercase_words)] if cut else []
            # Words run into a place ("Orthodox Christian Russia") describe it: a name only
            # when their own words type them ("Kessel Bridge", "FC Rovena").
            head = [m for m in head if shape_type(m.text.casefold().split()) is not None]
            return [*head, known]
    return [_caps_mention(text, run, titled, lowercase_words)]


def _known_head(
    text: str, run: list[tuple[int, int, str]], lowercase_words: frozenset[str], titled: bool = False
) -> list[Mention] | None:
    """A country, capital or known organisation run into a name: "Russia Harry Koren", "Al
    Jazeera Gaddafi" → the known name, then the rest as its own mention. Not when the rest is
    one word that types the whole ("Washington Post", "United States Senate")."""
    # "Sofia Lind", "Jordan Hale": a given name that is also a place starts a person's name
    if _is_first_name(run[0][2]) and len(run) in (2, 3) and all(
        lookup(t[2]) is None and t[2][:1].isupper() for t in run[1:]
    ):
        return None
    # "told al Jazeera <Name> …": a lower-case particle before the run belongs to the name
    particle = _PARTICLE_BEFORE.search(text, max(0, run[0][0] - 4), run[0][0])
    # A known name opens many longer ones ("US Geological Survey", "coach Maurice Cheeks" with
    # Maurice the French Mauritius, "Sam Williams" with Sam a name of Damascus). It stands apart
    # only where the text places it ("the ambassador in Norway Harald Lunde"), where it is
    # inflected ("России"), before a given name, or between a title and a full name.
    located = _LOCATIVE.search(text, max(0, run[0][0] - 12), run[0][0]) is not None
    for cut in range(min(len(run) - 1, 4), 0, -1):
        # Inflected too: the genitive "России" before a name is Russia.
        entry = lookup_inflected(_surface(text, run[:cut]))
        if entry is None and particle:
            entry = lookup(particle.group() + _surface(text, run[:cut]))
        if entry is None or not entry.is_major:
            continue
        rest = run[cut:]
        surface = _surface(text, run[:cut])
        # An inflected form ("России", "Сирии": of Russia, of Syria) is no part of a name.
        placed = located or particle or lookup(surface) is None
        if not (placed or (titled and len(rest) > 1) or _is_first_name(rest[0][2])):
            return None
        if len(rest) == 1 and (
            shape_type([rest[0][2].casefold()]) is not None
            or rest[0][2].casefold() in lowercase_words or lookup(rest[0][2]) is not None
            or rest[0][2][:1].islower()
        ):
            return None
        known = Mention(run[0][0], run[0][0] + len(surface), surface, entry.type, True, entry.name)
        return [known, *_split_on_gazetteer(text, rest, titled, lowercase_words)]
    return None


def _surface(text: str, piece: list[tuple[int, int, str]]) -> str:
    return POSSESSIVE.sub("", text[piece[0][0] : piece[-1][1]]) or text[piece[0][0] : piece[-1][1]]


def _caps_mention(
    text: str, run: list[tuple[int, int, str]], titled: bool, lowercase_words: frozenset[str]
) -> Mention:
    surface = _surface(text, run)
    words = [w.casefold() for _, _, w in run]
    if titled:
        return Mention(run[0][0], run[0][0] + len(surface), surface, "person", True)
    shape = shape_type(words)
    if shape is not None:
        return Mention(run[0][0], run[0][0] + len(surface), surface, shape, False)
    # Two or three capitalised words none of which the text also writes in lower case look
    # like a name ("Lakhdar Brahimi"), unlike "International Airport".
    # ... and no article before them: "the General Staff" is a body, not a person.
    name_like = 2 <= len(run) <= 3 and not surface.isupper() and not any(
        w.casefold() in lowercase_words and w.casefold() not in NAME_CONNECTORS
        for _, _, w in run
    ) and not _ARTICLE_BEFORE.search(text, max(0, run[0][0] - 5), run[0][0]) and (
        words[-1] not in FAITH_WORDS
    )
    return Mention(run[0][0], run[0][0] + len(surface), surface,
                   "person" if name_like else None, False)


def shape_type(words: list[str]) -> EntityType | None:
    """The type a name's own words give away (folded words): "FC Rovena" an organisation;
    "Kessel Bridge", "Estadio Mirador", "San Telmo", "Middle East" places."""
    if any(w in ORGANIZATION_WORDS for w in words):
        return "organization"
    last = words[-1].rsplit("-", 1)[-1]
    if last in PLACE_WORDS or last.endswith("brücke") or (len(words) > 1 and (
        words[0] in COMPASS_WORDS or words[0] in PLACE_PREFIX_WORDS or words[0] in SAINT_WORDS
    )):
        return "place"
    return None


def _uncased_mentions(
    text: str, tokens: list[tuple[int, int, str]], index: int, mentions: list[Mention]
) -> int:
    """Scripts without capitals (Arabic): gazetteer n-grams and names after a title word."""
    if tokens[index][2] in ARABIC_TITLE_WORDS:
        name_start = _after_arabic_titles(text, tokens, index)
        name = _arabic_name(text, tokens, name_start)
        if name:
            surface = text[name[0][0] : name[-1][1]]
            mentions.append(Mention(name[0][0], name[-1][1], surface, "person", True))
            return name_start + len(name) - index
        return max(1, name_start - index)
    for size in (4, 3, 2, 1):
        piece = tokens[index : index + size]
        if len(piece) < size:
            continue
        surface = text[piece[0][0] : piece[-1][1]]
        entry = lookup(surface) or lookup(_without_proclitic(surface))
        if entry is not None:
            mentions.append(Mention(piece[0][0], piece[-1][1], surface, entry.type, True,
                                    entry.name))
            return size
    return 1


def _after_arabic_titles(text: str, tokens: list[tuple[int, int, str]], index: int) -> int:
    """The index of the first token after a chain of titles and what they head: "المتحدث
    باسم الجيش العقيد أحمد سالم", "وزير الخارجية وليد المعلم", "الرئيس السوري بشار الأسد"."""
    while index < len(tokens) and tokens[index][2] in ARABIC_TITLE_WORDS:
        title = tokens[index][2]
        index += 1
        if index < len(tokens) and tokens[index][2] == "باسم":
            index += 2  # "المتحدث باسم الجيش": the spokesman of the army
        elif title in ARABIC_CONSTRUCT_TITLES and index < len(tokens) and (
            tokens[index][2].startswith("ال") and _adjacent(text, tokens, index)
        ):
            index += 1  # "وزير الخارجية": the minister of foreign affairs
        # nisba adjectives and "general": "السوري", "الروسية", "المدير العام"
        while index < len(tokens) and (
            _is_nisba(tokens[index][2]) or tokens[index][2] in ("العام", "العامة")
        ) and _adjacent(text, tokens, index):
            index += 1
    return index


def _arabic_name(
    text: str, tokens: list[tuple[int, int, str]], index: int
) -> list[tuple[int, int, str]]:
    """Up to two names from `index` ("عبد الله" counts as one), ending early at a definite
    surname ("بشار الأسد") or at a word that is no name."""
    name: list[tuple[int, int, str]] = []
    names = 0
    while index < len(tokens) and names < 2 and _adjacent(text, tokens, index):
        word = tokens[index][2]
        if word in ARABIC_NON_NAME_WORDS or word.startswith("لل") or (
            not name and word.startswith("ال")
        ):
            break
        name.append(tokens[index])
        index += 1
        if word in ARABIC_NAME_PREFIXES and index < len(tokens):
            name.append(tokens[index])
            index += 1
        elif word.startswith("ال"):
            break
        names += 1
    return name


def _adjacent(text: str, tokens: list[tuple[int, int, str]], index: int) -> bool:
    """Whether only spaces separate token `index` from the one before it."""
    return index == 0 or not text[tokens[index - 1][1] : tokens[index][0]].strip()


def _is_nisba(word: str) -> bool:
    return word.startswith("ال") and word.endswith(("ي", "ية"))


def _without_proclitic(surface: str) -> str:
    """An Arabic word without the conjunction or preposition written onto it: "للأمم المتحدة"
    → "الأمم المتحدة", "وسوريا" → "سوريا"."""
    if surface.startswith("لل"):
        return "ال" + surface[2:]
    if surface[:1] in "وبلف" and len(surface.split()[0]) > 4:
        return surface[1:]
    return surface


def _arabic_surnames(
    text: str, tokens: list[tuple[int, int, str]], mentions: list[Mention]
) -> list[Mention]:
    """Bare surnames of people a title introduced earlier ("وقال حمدان" after "الرئيس عبد الله
    حمدان"): without capitals, nothing else marks them as names."""
    surnames = {m.text.split()[-1] for m in mentions if m.type == "person" and " " in m.text}
    taken = [(m.start, m.end) for m in mentions]
    return [
        Mention(start, end, word, "person", True)
        for start, end, word in tokens
        if word in surnames and not any(a <= start < b for a, b in taken)
    ]
