"""Direct quotations with their speaker and reporting verb.

A quotation is text between paired quote marks (“…”, "…", «…», „…“) on one line. Its speaker is
found in the attribution clause next to it — after it ('…," Peskov said', '…," said the
Kremlin') or before it ('Putin was quoted as saying “…”', 'according to X') — as the canonical
entity mentioned nearest the reporting verb. A pronoun ("he said") points back to the subject
of the sentence before the quotation (its first person: in "Assad congratulated Putin. “…,” he
said" the speaker is Assad), never to a name inside a quotation. An unnamed institution or role
("a statement", "the Russian president") is kept as text. A quotation with no attribution at
all continues the one just before it when only that one's short attribution stands between
them; otherwise its speaker is unknown.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass

from storyline import settings
from storyline.config import check_fields
from storyline.enrich.entities import Mention
from storyline.model import Entity, Quote, Sentence

_QUOTATIONS = re.compile(
    r"“(?P<a>[^“”\n]+)”|«(?P<b>[^«»\n]+)»|„(?P<c>[^„“”\n]+)[“”]|\"(?P<d>[^\"\n]+)\""
    r"|‘(?P<e>[^‘’\n]{20,})’|``(?P<f>[^`'\n]+)''"  # the last: tokenised corpora (Penn style)
)
REPORTING_VERBS = (
    r"was quoted as saying|quoted\s+(?:\w+\s+){0,3}?as saying|according to|in a statement|"
    r"said|says|told|added|explained|stressed|noted|stated|declared|announced|warned|insisted|"
    r"wrote|writes|asked|replied|argued|acknowledged|claimed|called|described|promised|admitted|"
    r"recalled|confirmed|complained|conceded|vowed|pledged|urged|shouted|continued|"
    r"dijo|afirmó|declaró|aseguró|señaló|explicó|añadió|indicó|según|lamentó|respondió|"
    r"comentó|agregó|reconoció|advirtió|insistió|subrayó|destacó|precisó|contó|repitió|"
    r"denunció|prometió|calificó|sostuvo|manifestó|apuntó|relató|"
    # French: the passé composé of any -er verb ("a déclaré", "a-t-elle lancé") and the usual
    # irregular ones, and the present of reporting in the narrative present
    r"a(?:-t-(?:il|elle))?\s+(?:(?-i:[a-zàâçéèêëîïôûùüÿœ]+é)|dit|promis|écrit|reconnu|répondu|prévenu|admis|"
    r"soutenu)|selon|déclare|affirme|raconte|explique|ajoute|estime|confie|souligne|assure|"
    r"prévient|dénonce|"
    r"sagte|sagt|erklärte|erklärt|betonte|betont|laut|fügte|erzählte|erzählt|berichtete|"
    r"meinte|warnte|kritisierte|versprach|nannte|schrieb|räumte|nach Angaben|"
    r"ha detto|ha dichiarato|ha affermato|ha spiegato|ha aggiunto|ha sottolineato|"
    r"ha annunciato|ha promesso|secondo|"
    # Russian past tense in all genders and numbers ("заявил", "заявила", "заявили")
    r"(?:заяви|сказа|отмети|подчеркну|добави|сообщи|поясни|рассказа|призна|пообеща|объясни|"
    r"замети|назва|написа|ответи|уточни|предупреди)л[аои]?|"
    r"говорит|вспоминает|рассказывает|по словам|по данным|"
    # Arabic, with the conjunction written onto the verb ("وقال"); "قوله" in "نقلت … عن X
    # قوله" (quoted X as saying) is where the speaker is named
    r"[وف]?(?:قال|قالت|أكد|أكدت|أضاف|أضافت|صرح|صرحت|أوضح|أوضحت|أعلن|أعلنت|تابع|تابعت|"
    r"ذكر|ذكرت|بحسب|حسب|وفقا|وفق)|قوله|قولها"
)
_VERB = re.compile(rf"(?<!\w)(?:{REPORTING_VERBS})(?!\w)", re.IGNORECASE)
# Verbs that introduce what follows without reporting it ("X spoke outside the court. “…”").
_SPEAKING = re.compile(
    rf"(?<!\w)(?:{REPORTING_VERBS}|spoke|speaking|addressed|habló|a parlé|sprach|"
    r"выступил[аи]?|обратил[аи]?сь)(?!\w)",
    re.IGNORECASE,
)
_PRONOUN = re.compile(
    r"(?<!\w)(?:he|she|il|elle|er|sie|él|ella|lui|lei|он|она)(?!\w)", re.IGNORECASE
)
# "it said" after a quotation refers back to an organisation ("the Kremlin ... It said").
_IT = re.compile(r"(?<!\w)it(?!\w)", re.IGNORECASE)
# Languages that drop a subject pronoun: '«…», contó desde el hospital' is said by the subject
# of the sentence before.
_PRO_DROP = frozenset({"es", "it", "pt", "ar"})
_ROLE_NOUNS = (
    r"statement|spokesman|spokeswoman|spokesperson|official|officials|ministry|source|sources|"
    r"agency|government|office|president|minister|leader|diplomat|ambassador|envoy|mayor|"
    r"chief|commander|prosecutor|witness|witnesses|commission|committee|council|court|police|"
    r"army|authority|union|company|airline|chancellor|governor|protester|protesters|resident|"
    r"residents|passenger|passengers|survivor|survivors|doctor|nurse|lawyer|accused|"
    r"gobierno|ministerio|portavoz|presidenta|presidente|ministra|ministro|alcaldesa|alcalde|"
    r"testigo|vecino|vecina|acusado|acusada|policía|"
    r"gouvernement|ministère|préfecture|syndicat|porte-parole|témoin|présidente|président|"
    r"ministre|maire|habitant|habitante|accusé|police|"
    r"regierung|ministerium|polizei|feuerwehr|sprecher|sprecherin|zeuge|zeugin|anwohner|"
    r"anwohnerin|kanzlerin|kanzler|"
    r"governo|ministero|portavoce|sindaco|testimone"
)
# An unnamed speaker: a determiner, up to two words, a role, and what it is a role of ("a
# spokesman for the ministry", "le porte-parole du gouvernement").
_INSTITUTION = re.compile(
    r"(?<!\w)(?:(?:the|a|an|one|le|la|les|un|une|el|los|las|una|der|die|das|ein|eine|il|lo)\s+"
    rf"|l['’]\s*)((?:[\w'’-]+\s+){{0,2}}(?:{_ROLE_NOUNS})"
    r"(?:\s+(?:(?:of|for|at|de|des|du|del|der|des|di|della|de\s+la)\s+|d['’]\s*)"
    r"(?:(?:the|la|el|le|der|die|das)\s+|l['’]\s*)?[\w-]+(?:\s+(?-i:[A-ZÀ-Þ])[\w-]*)?)?)(?!\w)"
    # Russian and Arabic write no article: a role noun and the word after it ("пресс-службе
    # МЧС", "المتحدثة باسم الوزارة")
    r"|(?<!\w)((?:министерств|ведомств|пресс-служб|полици|прокуратур|мэри|администраци|"
    r"правительств|посольств|представител|источник|свидетел|очевид|жител)\w*(?:\s+\w+)?"
    r"|(?:ال)?(?:متحدث|متحدثة|وزارة|وزير|مصدر|مسؤول|جيش|شرطة|مرصد|حكومة|سفير)\S*"
    r"(?:\s+(?:باسم\s+)?\S+)?)",
    re.IGNORECASE,
)
# "according to the Government", "selon le syndicat des infirmiers", "laut Feuerwehr": whoever
# the preposition names, kept as text when no entity was found there.
_ACCORDING = re.compile(
    r"(?<!\w)(?:according to|según|selon|laut|nach Angaben|secondo|по словам|по данным|"
    r"[وف]?(?:بحسب|حسب|وفقا|وفق))\s+(?:(?:the|el|la|le|les|l['’]|der|die|des|dem|ل)\s*)?"
    r"([\w-]{3,}(?:\s+[\w-]+){0,3})",
    re.IGNORECASE,
)
# A pronoun subject right before the verb ("he told the BBC"): the speaker, not the object.
_PRONOUN_THEN_VERB = re.compile(rf"{_PRONOUN.pattern}\s+$", re.IGNORECASE)
_FRAMING_END = re.compile(r":\s*$")
_OBJECT_VERB = re.compile(
    r"(?:called|described|named|nannte|назвал[аи]?|calificó|a qualifié)(?!\w)", re.IGNORECASE
)
_OPENING = re.compile(r"\s*(?:\S+\s+){0,3}")
_OF_BEFORE = re.compile(r"(?<!\w)(?:of|for|de|del|des|du|di|della|von)\s+(?:the\s+)?$",
                        re.IGNORECASE)

_CLAUSE_END = re.compile(r"[.!?;](?:\s|$)|[“”«»„\"]|\n")


@dataclass(frozen=True)
class QuoteConfig:
    """What a quotation is and how far its attribution is looked for (`[enrich.quotes]` of a
    pipeline configuration; settings.py says why each default)."""

    min_words: int = settings.ENRICH_QUOTE_MIN_WORDS
    # Longer "quotations" are unbalanced quote marks.
    max_chars: int = settings.ENRICH_QUOTE_MAX_CHARS
    context_chars: int = settings.ENRICH_QUOTE_CONTEXT_CHARS
    pronoun_sentences: int = settings.ENRICH_QUOTE_PRONOUN_SENTENCES
    continuation_chars: int = settings.ENRICH_QUOTE_CONTINUATION_CHARS

    def __post_init__(self) -> None:
        check_fields(self)


def extract_quotes(
    text: str, sentences: list[Sentence], entities: list[Entity], mentions: list[Mention],
    language: str | None = None, config: QuoteConfig | None = None,
) -> list[Quote]:
    """Every direct quotation of at least `config.min_words` words, in text order."""
    config = config or QuoteConfig()
    names = {e.id: e.name for e in entities}
    found = [
        (match, next(group for group in match.groups() if group is not None).strip())
        for match in _QUOTATIONS.finditer(text)
    ]
    found = [
        (match, inner) for match, inner in found
        if len(inner.split()) >= config.min_words
        and len(inner) <= config.max_chars
    ]
    spans = [(match.start(), match.end()) for match, _ in found]
    # A name inside a quotation is what someone said, not who said it.
    by_position = sorted(
        (m for m in mentions if m.entity_id in names
         and not any(start <= m.start and m.end <= end for start, end in spans)),
        key=lambda m: m.start,
    )
    context = _Context(text, by_position, names, sentences, language, config)
    sentence_starts = [s.start for s in sentences]
    quotes: list[Quote] = []
    previous: tuple[int, str | None, str | None] | None = None  # (end, speaker, id)
    for match, inner in found:
        sentence = bisect.bisect_right(sentence_starts, match.start()) - 1
        speaker, speaker_id, verb = _attribute(context, match.start(), match.end(), sentence)
        if verb is None and previous is not None and _continues(
                text[previous[0]: match.start()], config.continuation_chars):
            speaker, speaker_id = previous[1], previous[2]
        elif verb is None:
            speaker, speaker_id = _framed_by_sentence_before(
                context, sentence, match.start(), match.end()
            )
        if verb is not None and speaker is None and previous is not None and _PRONOUN.search(
            text, match.end(), _clause_end(text, match.end(), len(text))
        ):
            speaker, speaker_id = previous[1], previous[2]
        previous = (match.end(), speaker, speaker_id) if speaker is not None else None
        quotes.append(
            Quote(text=inner, speaker=speaker, speaker_id=speaker_id, verb=verb,
                  sentence=sentence if sentence >= 0 else None)
        )
    return quotes


@dataclass(frozen=True)
class _Context:
    """What attribution reads: the text, the mentions outside quotations in text order."""

    text: str
    mentions: list[Mention]
    names: dict[str, str]
    sentences: list[Sentence]
    language: str | None
    config: QuoteConfig

    def speaker(self, mention: Mention) -> tuple[str, str | None]:
        return self.names[mention.entity_id or ""], mention.entity_id


def _continues(gap: str, max_chars: int) -> bool:
    """Whether a quotation with no attribution of its own continues the one before it: only
    the earlier quotation's short attribution ('…,” he said. “…”') stands between them."""
    gap = gap.strip()
    if not gap:
        return True
    return (
        len(gap) <= max_chars
        and gap[-1] in ".!?"
        and not any(mark in gap for mark in "“”«»„\"")
        and _VERB.search(gap) is not None
    )


def _framed_by_sentence_before(
    context: _Context, sentence: int, start: int, end: int
) -> tuple[str | None, str | None]:
    """The speaker of a quotation that opens its sentence with no attribution at all, when the
    sentence just before introduces someone speaking ("Peter Okafor spoke outside the court.
    “…”", "President Salem warned his rivals. “…”"): that sentence's first person. Unknown
    otherwise: a quotation after a sentence that only mentions people may be anyone's, and
    one that its own sentence goes on about ('“…” was a post on Twitter') is not speech."""
    text, sentences = context.text, context.sentences
    if sentence < 1 or text[sentences[sentence].start : start].strip(" \"“«„") or (
        any(mark in sentences[sentence - 1].text for mark in "“”«»„\"")
    ) or text[end : sentences[sentence].end].strip(" .,!?;:”»“\"'"):
        return None, None
    before = sentences[sentence - 1]
    people = [m for m in context.mentions if before.start <= m.start < before.end
              and (m.entity_id or "").startswith("person:")]
    if not people or _SPEAKING.search(text, people[0].end, before.end) is None:
        return None, None
    return context.speaker(people[0])


def _attribute(
    context: _Context, start: int, end: int, sentence: int
) -> tuple[str | None, str | None, str | None]:
    """(speaker, speaker_id, verb) from the clause after the quote, else the one before it
    (verb ":" when it frames the quotation with a colon: "X was blunt: “…”"). A verb with no
    speaker after the quotation ('“…” and said his government would reply') leaves the
    clause before it to name one."""
    text = context.text
    window = context.config.context_chars
    after_end = _clause_end(text, end, min(len(text), end + window))
    before_start = _clause_start(text, max(0, start - window), start)
    unattributed: str | None = None
    for clause_start, clause_end in ((end, after_end), (before_start, start)):
        verb = _VERB.search(text, clause_start, clause_end)
        framing = clause_end == start and _FRAMING_END.search(text, clause_start, start)
        if verb is None and not framing:
            continue
        said = verb.group().casefold() if verb else None
        # With no verb, the framing clause's subject opens it: "The pilots' union issued a
        # short statement: “…”"
        verb_start, verb_end = (verb.start(), verb.end()) if verb else (clause_start,
                                                                         clause_start)
        speaker = _speaker_in_clause(context, clause_start, clause_end, verb_start, verb_end,
                                     sentence, start)
        if speaker == (None, None):
            unattributed = unattributed or said
            continue
        return (*speaker, said or ":")
    return None, None, unattributed


def _speaker_in_clause(  # noqa: C901 - speaker cues tried in order of strength
    context: _Context, clause_start: int, clause_end: int, verb_start: int, verb_end: int,
    sentence: int, quote_start: int,
) -> tuple[str | None, str | None]:
    text = context.text
    # People and organisations speak; a place in the clause is where, not who.
    inside = [m for m in context.mentions
              if clause_start <= m.start and m.end <= clause_end and not _is_place(m)]
    institutions = list(_institutions(text, clause_start, clause_end))
    if _PRONOUN_THEN_VERB.search(text, max(clause_start, verb_start - 8), verb_start):
        inside = []  # '“…,” he told the BBC', 'NATO, whom he described as': the pronoun speaks
    elif _OBJECT_VERB.match(text, verb_start):
        # 'Morello has called Walker “…”': the name after the verb is what is described
        inside = [m for m in inside if m.end <= verb_start]
    if verb_start == verb_end:
        # No verb, only a colon: the speaker opens the framing clause ("Hillary Clinton:
        # “…”"), not a name deep inside it ("chants against President Assad: “…”")
        inside = [m for m in inside if _OPENING.fullmatch(text, clause_start, m.start)]
        institutions = [i for i in institutions if _OPENING.fullmatch(text, clause_start, i[0])]
    if inside:
        nearest = min(inside, key=lambda m: _distance(m, verb_start, verb_end))
        # "a spokesman for the ministry", "пресс-службе МЧС": the role speaks, not the body
        # (or person) it is a role of
        role = next((i for i in institutions if i[0] < nearest.start < i[1]), None)
        if role is not None and (nearest.entity_id or "").startswith("person:") and not (
            _OF_BEFORE.search(text, role[0], nearest.start)
        ):
            role = None  # "житель Николай Федоров": the person is the role, not its object
        if role is not None:
            return role[2], None
        return context.speaker(nearest)
    if _IT.search(text, clause_start, clause_end):
        body = _last_before(context.mentions, quote_start, "organization:")
        if body is not None:
            return context.speaker(body)
        return None, None  # "it said in a statement": the statement is not who
    if _PRONOUN.search(text, clause_start, clause_end):
        person = _subject_before(context, sentence, quote_start)
        return context.speaker(person) if person is not None else (None, None)
    if institutions:
        nearest_role = min(institutions, key=lambda i: _span_distance(i[0], i[1], verb_start,
                                                                       verb_end))
        return nearest_role[2], None
    according = _ACCORDING.search(text, clause_start, clause_end)
    if according is not None:
        return according.group(1), None
    rest = text[clause_start:clause_end].replace(text[verb_start:verb_end], "", 1)
    opens_with_verb = not text[clause_start:verb_start].strip(" ,.;:–—-\n")
    if not rest.strip(" ,.;:–—-\n") or (opens_with_verb and context.language in _PRO_DROP):
        # '“…”, dijo.', '«…», contó desde el hospital': a verb with no subject (Spanish,
        # Italian) is said by the subject of the sentence before, as a pronoun would be
        person = _subject_before(context, sentence, quote_start)
        if person is not None:
            return context.speaker(person)
    return None, None


def _institutions(text: str, start: int, end: int) -> Iterator[tuple[int, int, str]]:
    """(start, end, text) of each unnamed speaker phrase in text[start:end]."""
    for match in _INSTITUTION.finditer(text, start, end):
        group = 1 if match.group(1) is not None else 2
        yield match.start(group), match.end(group), match.group(group)


def _subject_before(context: _Context, sentence: int, position: int) -> Mention | None:
    """Who a pronoun after a quotation stands for: the first person named in the quotation's
    own sentence before it, else in the nearest earlier sentence naming a person (a sentence's
    first person is most often its subject)."""
    sentences = context.sentences
    people = [m for m in context.mentions if (m.entity_id or "").startswith("person:")]
    if not sentences or sentence < 0:
        before = [m for m in people if m.start < position]
        return before[-1] if before else None
    own_start = sentences[sentence].start
    own = [m for m in people if own_start <= m.start < position]
    if own:
        return own[0]
    earliest = max(-1, sentence - 1 - context.config.pronoun_sentences)
    for index in range(sentence - 1, earliest, -1):
        first = [m for m in people if sentences[index].start <= m.start < sentences[index].end]
        if first:
            return first[0]
    return None


def _clause_end(text: str, start: int, limit: int) -> int:
    found = _CLAUSE_END.search(text, start, limit)
    return found.start() if found else limit


def _clause_start(text: str, limit: int, end: int) -> int:
    last = limit
    for found in _CLAUSE_END.finditer(text, limit, end):
        last = found.end()
    return last


def _distance(mention: Mention, verb_start: int, verb_end: int) -> int:
    return _span_distance(mention.start, mention.end, verb_start, verb_end)


def _span_distance(start: int, end: int, verb_start: int, verb_end: int) -> int:
    if end <= verb_start:
        return verb_start - end
    return max(0, start - verb_end)


def _last_before(mentions: list[Mention], position: int, id_prefix: str) -> Mention | None:
    """The last mention of an entity whose id starts with id_prefix before position."""
    for mention in reversed(mentions):
        if mention.start < position and (mention.entity_id or "").startswith(id_prefix):
            return mention
    return None


def _is_place(mention: Mention) -> bool:
    return (mention.entity_id or "").startswith("place:")
