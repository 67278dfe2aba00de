"""Named entities with canonical ids that agree across articles, and their salience.

Mentions come from two sources: spaCy's NER on the lead of en/fr articles (where a packaged model
exists) and language-independent rules on the whole text (gazetteer places and organisations,
names after a title such as "President", runs of capitalised words). Each mention then gets a
canonical key computed from its text alone, so two articles agree on an id without a registry:
a person is keyed by the folded surname ("Bashar al-Assad", "Asad" → person:asad), a place or
an organisation by its gazetteer name ("Syrie" → place:syria), anything else by its folded text.
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache

from anyascii import anyascii

from storyline import settings
from storyline.config import check_fields
from storyline.enrich.gazetteer import RUSSIAN_CASE_ENDINGS, lookup, lookup_inflected
from storyline.enrich.gazetteer.names import FIRST_NAMES
from storyline.enrich.language import STOP_WORDS, word_set
from storyline.model import Article, Entity, EntityType, Sentence

# Words that introduce a person's name; the name is the capitalised run that follows.
TITLE_WORDS = word_set(
    """president presidente président präsident президент premier prime minister ministre
    ministro министр премьер chancellor kanzler kanzlerin канцлер canciller chancelier king queen
    rey reina roi reine könig königin король pope papa senator senador sénateur gouverneur
    governor gobernador генерал mr mrs ms dr sr sra srta mme mlle herr
    frau spokesman spokeswoman spokesperson secretary secretario secrétaire sekretär envoy
    ambassador embajador ambassadeur botschafter посол leader líder chef chief sheikh emir prince
    príncipe prinz принц colonel coronel commander judge juez juge richter mayor alcalde maire
    bürgermeister мэр dictator dictador dictateur diktator диктатор опозиционер opposition
    pastor rabbi imam cardinal bishop obispo évêque adviser advisor director chairman chairwoman
    ceo negotiator asesor conseiller berater советник ministra ministerin präsidentin
    sprecher sprecherin direktor direktorin bürgermeisterin herausforderer herausforderin
    ingenieur ingenieurin challenger consejera consejero portavoz porte-parole councillor
    coach trainer trainerin entrenador entrenadora allenatore entraîneur ärztin arzt
    глава губернатор депутат тренер пресс-секретарь striker midfielder defender goalkeeper
    captain lieutenant admiral sergeant brigadier marshal"""
)
# German compound titles: "Stadtingenieur", "Notenbankchefin", "Gesundheitsministerin",
# "Ministerpräsidenten" (the weak nouns inflected).
TITLE_SUFFIXES = tuple(word_set(
    """ingenieur ingenieurin chef chefin minister ministerin präsident präsidentin präsidenten
    sprecher sprecherin direktor direktorin bürgermeister bürgermeisterin kanzler kanzlerin"""
))
# Ranks that follow another title ("Lieutenant General", "Major General"): still no name.
RANK_WORDS = word_set("general major")
# A role phrase before a run names a portfolio first: "ministra de Sanidad Inés Valdemar".
_ROLE_PHRASE = re.compile(
    r"(?<!\w)([^\W\d_]+)\s+(?:de|del|de la|de los|de las|des|du|di|della|degli|dei|delle|"
    r"dello|do|da|of)\s+$",
    re.IGNORECASE,
)
_ROLE_LINKS = word_set("de del la los las des du di della degli dei delle dello do da of")
_EX_PREFIX = re.compile(r"^(?:ex-?|former-|vice-?|vize-?)", re.IGNORECASE)
ARABIC_TITLE_WORDS = word_set(
    """الرئيس رئيس الملك الأمير الوزير وزير الشيخ السيد السيدة المتحدث المتحدثة العقيد اللواء
    العميد الجنرال المدير الدكتور الدكتورة الطبيب الطبيبة السفير سفير النائب الأمين أمين القائد قائد
    المبعوث مبعوث"""
)
# Titles in the construct state ("وزير الخارجية", "رئيس الوزراء", "المتحدث باسم الجيش"): the
# definite word after them is what they head, not a name.
ARABIC_CONSTRUCT_TITLES = word_set("رئيس وزير سفير أمين قائد مبعوث")
# Words that never start or continue a name after a title (prepositions, conjunctions, "قوله").
ARABIC_NON_NAME_WORDS = word_set(
    """في من إلى على عن أن إن أنه أنها بأن قوله قولها مع بعد قبل خلال الذي التي هذا هذه ذلك تلك
    باسم لدى عند منذ حتى إنه"""
)
# "عبد الله", "أبو بكر": one given name written as two words.
ARABIC_NAME_PREFIXES = word_set("عبد أبو")
# Words that make a capitalised run an organisation rather than a person.
ORGANIZATION_WORDS = word_set(
    """ministry ministerio ministère ministerium министерство party partido parti partei партия
    council consejo conseil rat совет union unión bank banco banque army ejército armée armee
    армия agency agencia agence agentur агентство committee comité komitee комитет university
    universidad université universität университет company corporation corp inc ltd group grupo
    groupe gruppe front frente brigade brigada brigades court tribunal gericht суд parliament
    parlamento parlement parlament парламент assembly asamblea assemblée government gobierno
    gouvernement regierung правительство organization organisation organización league liga
    ligue forces fuerzas police policía polizei полиция news times post press agency service
    journal herald tribune gazette daily telegraph office plc llc gmbh ag sa foundation
    diario periódico wire courier courrier zeitung rundschau kurier nachrichten observador
    gazzetta corriere noticias fund fondo fonds
    institute instituto institut movement movimiento mouvement bewegung commission comisión
    unione partito commissione banca agenzia ministero governo
    alliance alianza allianz systems technologies labs holdings fc cf ac sc sv club atlético
    atletico deportivo sporting rights fleet navy"""
)
# Last words that make a capitalised run a place ("Golan Heights", "Tahrir Square").
PLACE_WORDS = word_set(
    """heights mountains mountain river sea gulf bay island islands strait valley lake airport
    square street avenue province region district county state coast desert peninsula canal
    port bridge city stadium arena brücke"""
)
# First words that make a capitalised run a place or venue ("Estadio Mirador", "Port Selwyn").
PLACE_PREFIX_WORDS = word_set(
    """estadio stade stadion puente pont port puerto porto lake lago lac mount monte mont río
    rio plaza calle avenida rue fort cape cabo isla île"""
)
# "San Telmo", "Saint-Malo": a place unless a title names a person ("Saint Francis" rarely
# outnumbers the towns in news).
SAINT_WORDS = word_set("san santa santo são sankt saint sainte st")
# German nouns for a place, before its name: "die Stadt Hamburg", "der Fluss Lisse".
GERMAN_PLACE_NOUNS = word_set(
    """stadt kleinstadt großstadt hauptstadt hafenstadt fluss dorf gemeinde stadtteil ortsteil
    insel provinz region"""
)
# German nouns for a company or body, before its name ("die Reederei Hapag-Lloyd") or joined to
# it ("der Volkswagen-Konzern").
GERMAN_ORGANIZATION_NOUNS = word_set(
    """reederei konzern firma unternehmen gewerkschaft partei zeitung fluggesellschaft
    autobauer verlag sender"""
)
# Languages that capitalise every noun: capitals alone do not mark a name.
NOUN_CAPITALISING_LANGUAGES = frozenset({"de", "lb"})
# Endings of German common nouns (singular and plural): never a name on their own.
GERMAN_NOUN_SUFFIXES = tuple(word_set(
    """ung ungen heit heiten keit keiten schaft schaften tion tionen tät täten ismus chen lein
    ment ments nis nisse tum tümer ei eien"""
))
# First words that make a capitalised run a region ("Middle East", "North Africa").
COMPASS_WORDS = word_set(
    """north south east west middle central northern southern eastern western upper lower"""
)
MONTHS_AND_DAYS = word_set(
    """january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday
    saturday sunday enero febrero marzo abril mayo junio julio agosto septiembre octubre
    noviembre diciembre lunes martes miércoles jueves viernes sábado domingo janvier février mars
    avril mai juin juillet août septembre octobre novembre décembre lundi mardi mercredi jeudi
    vendredi samedi dimanche januar februar märz juni juli oktober dezember montag dienstag
    mittwoch donnerstag freitag samstag sonntag январь февраль март апрель май июнь июль август
    сентябрь октябрь ноябрь декабрь января февраля марта апреля мая июня июля августа сентября
    октября ноября декабря понедельник вторник среда четверг пятница суббота воскресенье"""
)
PRONOUNS_AND_OPENERS = word_set(
    """i he she it we they you his her its their our my this that these those there here
    when while after before if but and or so yet also however meanwhile according then
    please thank thanks yes no today yesterday tomorrow según selon laut secondo
    él ella ellos nosotros este esta estos il elle ils nous vous ce cette er sie wir ihr es
    он она они мы это"""
)
# Function words and sentence adverbs that can open a capitalised run but never a name
# ("Unlike Hosni Mubarak", "Once Gaddafi", "Mostly Orthodox Christian Russia").
LEADING_NON_NAME_WORDS = word_set(
    """unlike once despite although though unless like since until whether amid among against
    without within during following including except besides beyond toward towards upon via
    mostly mainly largely nearly only even still just perhaps maybe instead unlike
    malgré selon pendant depuis sans contre parmi durante desde sin contra entre hasta
    trotz während seit ohne gegen"""
)
# Faiths: a run ending in one ("Sunni Muslim", "Orthodox Christian") describes people.
FAITH_WORDS = word_set(
    """muslim muslims christian christians jewish jews sunni sunnis shiite shiites shia catholic
    catholics orthodox protestant protestants alawite alawites druze hindu buddhist"""
)
# Time-zone abbreviations: debris of timestamps ("12:36 am GMT Help"), never part of a name.
TIME_ZONES = word_set(
    "gmt bst utc edt est cdt cst mdt mst pdt pst cet cest eet eest wet west msk ist jst aest"
)
# Words before a name that say what kind of body it is: "the daily Al-Watan", "the broadcaster
# Al Jazeera", "the base of Hmeimim", "the town of Deraa".
ORGANIZATION_DESCRIPTORS = word_set(
    """daily newspaper paper weekly magazine broadcaster channel television agency website
    journal tabloid periódico diario quotidien journal hebdomadaire zeitung tageszeitung
    sender cadena chaîne агентство газета телеканал"""
)
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
# "Organisation for the Prohibition of Chemical Weapons (OPCW)": a name with its acronym.
_ACRONYM_DEFINITION = re.compile(
    r"([A-ZÀ-Þ][\w'’\-]*"
    r"(?:\s+(?:[A-ZÀ-Þ][\w'’\-]*|of|for|the|and|on|de|du|des|la|le|del|pour|für|und|der)){1,9})"
    r"\s*\(([A-ZÀ-Þ]{2,8})\)"
)
GENERATION_SUFFIXES = word_set("jr sr ii iii iv")
# Second halves of Arabic compound given names ("Saif al-Islam", "Nur ad-Din", "Izz el-Deen"):
# the name ends the given name, it is no surname ("Saif al-Islam" and "Saif al-Islam Gaddafi"
# are one man, and not Muammar Gaddafi).
COMPOUND_NAME_ENDS = word_set("islam din deen dine dawla haq haqq")
# Particles inside names ("Bashar al-Assad", "Ursula von der Leyen") and prefixes folded away.
NAME_CONNECTORS = word_set(
"al el ad ash as de del della di da du la le van von der den bin ibn y"
)
_SPACY_TYPES: dict[str, EntityType] = {
    "PERSON": "person", "PER": "person", "ORG": "organization", "GPE": "place", "LOC": "place",
    "FAC": "place", "EVENT": "other", "LAW": "other", "PRODUCT": "other",
    "WORK_OF_ART": "other", "MISC": "other",
}
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
# Lower-case words ending a span, but not a prefixed name ("al-Assad", "d'Ostrania").
_TRAILING_LOWERCASE = re.compile(r"(?:\s+(?!\S*[A-ZÀ-Þ])[^\W\d_]\S*)+$")
# "Rovena's Henrik Dahl": the name after a possessive.
_POSSESSOR = re.compile(r"^.*['’]s\s+(?=[A-ZÀ-Þ])")
_LOCATIVE = re.compile(
    r"(?<!\w)(?:in|at|from|to|near|into|en|a|de|desde|à|au|aux|nach|aus|bei|im|в|во|из|под|"
    r"около)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_CYRILLIC_WORD = re.compile(r"[\u0400-\u04ff]+")
_PATRONYMIC = re.compile(r"(?:ович|евич|ич|овна|евна|ична|инична)$")
# Arabic letters, without the Arabic comma, semicolon, question mark and full stop.
_ARABIC_TOKEN = re.compile(r"[\u0610-\u061a\u0620-\u0669\u066e-\u06d3\u06d5-\u06ff]+")
_POSSESSIVE = re.compile(r"['’]s?$")
_LEADING_ARTICLE = re.compile(r"^(?:the|la|le|el|les|los|las|die|der|das|l['’])\s+", re.IGNORECASE)
_DOUBLE_LETTER = re.compile(r"(.)\1+")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
# The first character of each whitespace-separated word.
_WORD_INITIAL = re.compile(r"(?<!\S)\S")
_NUMBERED = re.compile(r"-\d+$")
_PARTICLE_BEFORE = re.compile(r"(?<!\w)(?:al|el|an|ad|as) $")
_ARTICLE_BEFORE = re.compile(r"(?<!\w)(?:the|a|an)\s+$", re.IGNORECASE)
_ARABIC_LETTER = re.compile(r"[\u0600-\u06ff]")


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


@dataclass
class ArticleEntities:
    entities: list[Entity]
    mentions: list[Mention]


# -- canonical keys ----------------------------------------------------------------------------
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
    if not _CYRILLIC_WORD.fullmatch(word):
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
        key = fold(_LEADING_ARTICLE.sub("", name)).replace(" ", "-")
    return f"{entity_type}:{key or 'unknown'}"


# -- mention finding ---------------------------------------------------------------------------
def rule_mentions(text: str, sentences: list[Sentence], language: str | None) -> list[Mention]:
    """Gazetteer places/organisations, titled names and capitalised runs over the whole text."""
    starts = {s.start for s in sentences}
    stop_words = STOP_WORDS.get(language or "", frozenset()) | PRONOUNS_AND_OPENERS
    lowercase_words = _lowercase_vocabulary(text)
    mentions: list[Mention] = []
    # One regex finds the runs (C speed); only their few words are looked at in Python.
    for run in _CAPITALISED_RUN.finditer(text):
        start = run.start()
        tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text, start, run.end())]
        previous = _previous_word(text, start)
        titled = _is_title_word(previous)
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
    return described, list(itertools.takewhile(lambda t: not _is_junk_word(t[2]), tokens))


def _joined_company(word: str) -> str | None:
    """"Volkswagen" in "Volkswagen-Konzern": the name before a company noun it is joined to."""
    head, _, noun = word.rpartition("-")
    return head if head[:1].isupper() and noun.casefold() in GERMAN_ORGANIZATION_NOUNS else None


def _described_type(text: str, start: int, previous: str) -> EntityType | None:
    """The type the words just before a run give it: "the daily Al-Watan" an organisation,
    "the base of Hmeimim" a place."""
    if previous.casefold() in ORGANIZATION_DESCRIPTORS:
        return "organization"
    if _PLACE_DESCRIPTOR.search(text, max(0, start - 30), start):
        return "place"
    return None


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


def _name_after_role(
    text: str, tokens: list[tuple[int, int, str]], end: int
) -> list[tuple[int, int, str]] | None:
    """The name in a run after a role phrase ("ministra de Sanidad Inés Valdemar" → "Inés
    Valdemar"); [] when the run is only the portfolio ("ministro de Obras Públicas, Raúl
    Molina"); None when no role phrase comes before, or the run names a body ("portavoz del
    Ministerio del Interior")."""
    role = _ROLE_PHRASE.search(text, max(0, tokens[0][0] - 40), tokens[0][0])
    if role is None or not _is_title_word(role.group(1)) or _shape_type(
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
    if len(run) >= 3 and _CYRILLIC_WORD.fullmatch(run[0][2]) and not _PATRONYMIC.search(
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


def _is_title_case(sentence: str) -> bool:
    initials = [c for c in _WORD_INITIAL.findall(sentence) if c.isalpha()]
    capitalised = sum(map(str.isupper, initials))
    if sentence.rstrip().endswith(".") and capitalised < 0.8 * len(initials):
        return False  # a sentence full of names ("King Abdullah of Jordan met …"), not a title
    return len(initials) >= 4 and capitalised >= 0.7 * len(initials)


def _lowercase_vocabulary(text: str) -> set[str]:
    """Words the text also writes in lower case: a capitalised one is then a sentence opener."""
    return {w for w in set(_WORD.findall(text)) if w[0].islower()}


def _after_opening_quote(text: str, start: int, starts: set[int]) -> bool:
    prefix = text[max(0, start - 2) : start]
    return any(start - offset in starts for offset in (1, 2)) and any(c in "\"'“«„(" for c in prefix)


def _run_mentions(  # noqa: C901 - the capitalised-run cases are read in order
    text: str,
    run: list[tuple[int, int, str]],
    initial: bool,
    stop_words: frozenset[str],
    lowercase_words: set[str],
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
        if _is_title_word(run[position][2]) and not (
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
        given_name = index + 1 < len(run) and _is_first_name(word) and not _is_junk_word(
            run[index + 1][2])
        if (_is_junk_word(word) and not given_name) or (
            word[:1].isupper() and word.casefold() in stop_words
        ) or (word.isupper() and len(word) > 3 and word.casefold() in lowercase_words) or (
            # German "Einsturz der Brücke": an article or "von" joins two nouns, not a name
            nouns_capitalised and word[:1].islower() and not titled
        ):
            pieces.append([])
        else:
            pieces[-1].append(token)
        if _POSSESSIVE.search(word):  # "Rovena's Henrik Dahl"
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
    text: str, run: list[tuple[int, int, str]], lowercase_words: set[str]
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
    return folded.endswith(GERMAN_NOUN_SUFFIXES) or _is_title_word(word)


def _place_prefixed(word: str) -> bool:
    return word.casefold() in PLACE_PREFIX_WORDS or word.casefold() in SAINT_WORDS


def _is_prefixed_name(word: str) -> bool:
    """ "al-Assad", "el-Sisi": a particle, a hyphen, then a capitalised name."""
    particle, _, name = word.partition("-")
    return particle.casefold() in NAME_CONNECTORS and name[:1].isupper()


@lru_cache(maxsize=65536)  # the same words recur in every run of every article
def _is_title_word(word: str) -> bool:
    folded = _EX_PREFIX.sub("", word.casefold().rstrip("."))
    return (
        folded in TITLE_WORDS
        # "Vice-President", not "Port-au-Prince"
        or (folded.count("-") == 1 and folded.rsplit("-", 1)[-1] in TITLE_WORDS)
        # German compounds: "Stadtingenieur", "Notenbankchefin" (a stem of 3+ letters first)
        or any(folded.endswith(s) and len(folded) >= len(s) + 3 for s in TITLE_SUFFIXES)
    )


@lru_cache(maxsize=65536)
def _is_junk_word(word: str) -> bool:
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
    text: str, run: list[tuple[int, int, str]], titled: bool, lowercase_words: set[str]
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
            if cut and entry.type == "place" and len(run) <= 4 and _shape_type(
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
            head = [m for m in head if _shape_type(m.text.casefold().split()) is not None]
            return [*head, known]
    return [_caps_mention(text, run, titled, lowercase_words)]


def _known_head(
    text: str, run: list[tuple[int, int, str]], lowercase_words: set[str], titled: bool = False
) -> list[Mention] | None:
    """A country, capital or known organisation run into a name: "Russia Harry Koren", "Al
    Jazeera Gaddafi" → the known name, then the rest as its own mention. Not when the rest is
    one word that types the whole ("Washington Post", "United States Senate")."""
    # "Sofia Lind", "Jordan Hale": a given name that is also a place starts a person's name
    if _is_first_name(run[0][2]) and len(run) in (2, 3) and all(
        lookup(t[2]) is None and t[2][:1].isupper() for t in run[1:]
    ):
        return None
    # "told al Jazeera Gaddafi …": a lower-case particle before the run belongs to the name
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
            _shape_type([rest[0][2].casefold()]) is not None
            or rest[0][2].casefold() in lowercase_words or lookup(rest[0][2]) is not None
            or rest[0][2][:1].islower()
        ):
            return None
        known = Mention(run[0][0], run[0][0] + len(surface), surface, entry.type, True, entry.name)
        return [known, *_split_on_gazetteer(text, rest, titled, lowercase_words)]
    return None


def _surface(text: str, piece: list[tuple[int, int, str]]) -> str:
    return _POSSESSIVE.sub("", text[piece[0][0] : piece[-1][1]]) or text[piece[0][0] : piece[-1][1]]


def _caps_mention(
    text: str, run: list[tuple[int, int, str]], titled: bool, lowercase_words: set[str]
) -> Mention:
    surface = _surface(text, run)
    words = [w.casefold() for _, _, w in run]
    if titled:
        return Mention(run[0][0], run[0][0] + len(surface), surface, "person", True)
    shape = _shape_type(words)
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


def _shape_type(words: list[str]) -> EntityType | None:
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


def _is_time_zone(word: str) -> bool:
    return word.casefold() in TIME_ZONES


def model_mentions(doc, offset: int = 0) -> list[Mention]:  # type: ignore[no-untyped-def]  # noqa: C901 - one branch per spaCy label kind
    """Mentions from a spaCy Doc (types mapped; dates, numbers and demonyms left out)."""
    mentions: list[Mention] = []
    for ent in doc.ents:
        entity_type = _SPACY_TYPES.get(ent.label_)
        if entity_type is None:
            continue
        surface = _POSSESSIVE.sub("", _LEADING_ARTICLE.sub("", ent.text.strip()))
        # "Coupe continentale en battant le": a span running on into the sentence; a single
        # word left of it is too weak a name
        trimmed = _TRAILING_LOWERCASE.sub("", _POSSESSOR.sub("", surface))
        if trimmed != surface and " " not in trimmed and not _POSSESSOR.match(surface):
            continue
        surface = trimmed
        if not surface or _is_junk_word(surface) or not any(c.isupper() for c in surface[:1]):
            continue
        if all(_is_title_word(word) for word in surface.split()):
            continue  # "Premier" of "le Premier ministre": an office, not a name
        if entity_type == "person":
            # "King Abdullah", "Councillor Ivo Brandt": the title is no part of the name
            words = surface.split()
            while len(words) > 1 and _is_title_word(words[0]):
                words = words[1:]
            surface = surface[surface.index(words[0]):]
        if any(c.isdigit() for c in surface):  # a score line, "Salinas 2 FC Rovena 1"
            continue
        if "-LRB-" in surface or "-RRB-" in surface or any(map(_is_time_zone, surface.split())):
            continue  # a tokenised dateline or timestamp: "GMT TRIPOLI -LRB- Reuters -RRB-"
        entry = lookup(surface)
        if entry is None and (shape := _shape_type(surface.casefold().split())):
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
    return len(words) > 1 and not mention.strong and _shape_type(words) == mention.type


# -- canonical entities and salience -------------------------------------------------------------
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
    groups: dict[str, list[Mention]] = defaultdict(list)
    types: dict[str, Counter[str]] = defaultdict(Counter)
    for mention in mentions:
        entity_type, key_name = _classify(mention, people)
        if entity_type is None:
            continue
        mention.entity_id = entity_id(entity_type, key_name)
        if entity_type == "person" and _namesake(key_name, people):
            # "Saif al-Islam Gaddafi" in an article on Muammar Gaddafi: another person
            parts = person_parts(key_name)
            mention.entity_id = "person:" + (compound_given_name(parts) or "-".join(parts))
        groups[mention.entity_id].append(mention)
    # A key seen with several types (spaCy's ORG vs PERSON) keeps the strong majority type.
    for group_id, group in groups.items():
        types[group_id.split(":", 1)[1]].update(m.type or "other" for m in group if m.strong)
    final: dict[str, list[Mention]] = defaultdict(list)
    for group_id, group in groups.items():
        group_type, key = group_id.split(":", 1)
        if _too_weak(group):
            continue
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


def _namesake(name: str, people: dict[str, str]) -> bool:
    """A full name whose surname the article first gave to someone with another first name
    (the surname alone stays with that first person)."""
    parts = person_parts(name)
    known = people.get(parts[-1]) if len(parts) >= 2 else None
    if known is None:
        return False
    first, other = parts[0], person_parts(known)[0]
    return len(person_parts(known)) >= 2 and not (
        first == other or first.startswith(other) or other.startswith(first)
    )


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
        name = max(aliases, key=lambda a: (len(_person_parts(a)), counts[a]))
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
