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

from storyline import settings
from storyline.enrich.entities import Mention
from storyline.model import Entity, Quote, Sentence

_QUOTATIONS = re.compile(
    r"“(?P<a>[^“”\n]+)”|«(?P<b>[^«»\n]+)»|„(?P<c>[^„“”\n]+)[“”]|\"(?P<d>[^\"\n]+)\""
    r"|‘(?P<e>[^‘’\n]{20,})’|``(?P<f>[^`'\n]+)''"  # the last: tokenised corpora (Penn style)
)
REPORTING_VERBS = (
    r"was quoted as saying|quoted\s+(?:\w+\s+){0,3}?as saying|according to|in a statement|"
    r"said|says|told|added|explained|stressed|noted|stated|declared|announced|warned|insisted|"
    r"wrote|asked|replied|argued|acknowledged|claimed|"
    r"dijo|afirmó|declaró|aseguró|señaló|explicó|añadió|indicó|según|lamentó|respondió|"
    r"comentó|agregó|reconoció|advirtió|insistió|subrayó|destacó|precisó|"
    r"a déclaré|a dit|a affirmé|a ajouté|a expliqué|a souligné|a estimé|selon|déclare|affirme|"
    r"a indiqué|a annoncé|a précisé|a-t-(?:il|elle) \w+é|raconte|explique|ajoute|estime|"
    r"sagte|erklärte|betonte|sagt|laut|fügte|"
    r"заявила?|сказала?|отметила?|подчеркнула?|добавила?|по словам|"
    r"وقال|قال|قالت|وقالت|أكد|وأكد|أضاف|وأضاف|بحسب|وفقا"
)
_VERB = re.compile(rf"(?<!\w)(?:{REPORTING_VERBS})(?!\w)", re.IGNORECASE)
_PRONOUN = re.compile(r"(?<!\w)(?:he|she|il|elle|er|sie|él|ella|он|она)(?!\w)", re.IGNORECASE)
# "it said" after a quotation refers back to an organisation ("the Kremlin ... It said").
_IT = re.compile(r"(?<!\w)it(?!\w)", re.IGNORECASE)
_INSTITUTION = re.compile(
    r"(?<!\w)(?:the|a|an|one|le|la|les|l['’]|un|une|el|los|las|una|der|die|das|ein|eine)\s*"
    r"((?:[\w-]+\s+){0,2}?(?:statement|spokesman|spokeswoman|spokesperson|"
    r"official|officials|ministry|source|sources|agency|government|office|president|minister|"
    r"leader|diplomat|ambassador|envoy|mayor|chief|commander|prosecutor|witness|witnesses|"
    r"commission|committee|council|court|police|army|authority|union|"
    r"gobierno|ministerio|portavoz|gouvernement|ministère|préfecture|syndicat|porte-parole|"
    r"regierung|ministerium|polizei|feuerwehr|sprecher|sprecherin)"
    r"(?:\s+(?:of|de|des|du|del|der)\s+[\w-]+)?)(?!\w)",
    re.IGNORECASE,
)
# "according to the Government", "selon le syndicat des infirmiers", "laut Feuerwehr": whoever
# the preposition names, kept as text when no entity was found there.
_ACCORDING = re.compile(
    r"(?<!\w)(?:according to|según|selon|laut)\s+(?:(?:the|el|la|le|les|l['’]|der|die|des)\s*)?"
    r"([\w-]{3,}(?:\s+(?:of|de|des|du|del|der)\s+[\w-]+)?)",
    re.IGNORECASE,
)

_CLAUSE_END = re.compile(r"[.!?;](?:\s|$)|[“”«»„\"]|\n")


def extract_quotes(
    text: str, sentences: list[Sentence], entities: list[Entity], mentions: list[Mention]
) -> list[Quote]:
    """Every direct quotation of at least ENRICH_QUOTE_MIN_WORDS words, in text order."""
    names = {e.id: e.name for e in entities}
    found = [
        (match, next(group for group in match.groups() if group is not None).strip())
        for match in _QUOTATIONS.finditer(text)
    ]
    found = [
        (match, inner) for match, inner in found
        if len(inner.split()) >= settings.ENRICH_QUOTE_MIN_WORDS
        and len(inner) <= settings.ENRICH_QUOTE_MAX_CHARS
    ]
    spans = [(match.start(), match.end()) for match, _ in found]
    # A name inside a quotation is what someone said, not who said it.
    by_position = sorted(
        (m for m in mentions if m.entity_id in names
         and not any(start <= m.start and m.end <= end for start, end in spans)),
        key=lambda m: m.start,
    )
    sentence_starts = [s.start for s in sentences]
    quotes: list[Quote] = []
    previous: tuple[int, str | None, str | None] | None = None  # (end, speaker, id)
    for match, inner in found:
        sentence = bisect.bisect_right(sentence_starts, match.start()) - 1
        speaker, speaker_id, verb = _attribute(
            text, match.start(), match.end(), by_position, names, sentences, sentence
        )
        if verb is None and previous is not None and _continues(text[previous[0]: match.start()]):
            speaker, speaker_id = previous[1], previous[2]
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


def _continues(gap: str) -> bool:
    """Whether a quotation with no attribution of its own continues the one before it: only
    the earlier quotation's short attribution ('…,” he said. “…”') stands between them."""
    gap = gap.strip()
    if not gap:
        return True
    return (
        len(gap) <= settings.ENRICH_QUOTE_CONTINUATION_CHARS
        and gap[-1] in ".!?"
        and not any(mark in gap for mark in "“”«»„\"")
        and _VERB.search(gap) is not None
    )


def _attribute(  # noqa: C901 - speaker cues tried in order of strength
    text: str,
    start: int,
    end: int,
    mentions: list[Mention],
    names: dict[str, str],
    sentences: list[Sentence],
    sentence: int,
) -> tuple[str | None, str | None, str | None]:
    """(speaker, speaker_id, verb) from the clause after the quote, else the one before it."""
    window = settings.ENRICH_QUOTE_CONTEXT_CHARS
    after_end = _clause_end(text, end, min(len(text), end + window))
    before_start = _clause_start(text, max(0, start - window), start)
    for clause_start, clause_end in ((end, after_end), (before_start, start)):
        verb = _VERB.search(text, clause_start, clause_end)
        if verb is None:
            continue
        said = verb.group().casefold()
        inside = [m for m in mentions if clause_start <= m.start and m.end <= clause_end]
        # People and organisations speak; a place in the clause is where, not who.
        inside = [m for m in inside if not _is_place(m)]
        if inside:
            nearest = min(inside, key=lambda m: _distance(m, verb.start(), verb.end()))
            return names[nearest.entity_id or ""], nearest.entity_id, said
        if _IT.search(text, clause_start, clause_end):
            body = _last_before(mentions, start, "organization:")
            if body is not None:
                return names[body.entity_id or ""], body.entity_id, said
        if _PRONOUN.search(text, clause_start, clause_end):
            person = _subject_before(mentions, sentences, sentence, start)
            if person is not None:
                return names[person.entity_id or ""], person.entity_id, said
            return None, None, said
        institution = _INSTITUTION.search(text, clause_start, clause_end)
        if institution is not None:
            return institution.group(1), None, said
        according = _ACCORDING.search(text, clause_start, clause_end)
        if according is not None:
            return according.group(1), None, said
        if not text[clause_start:clause_end].replace(verb.group(), "").strip(" ,.;:–—-\n"):
            # '“…”, dijo.': a verb with no subject (Spanish, Italian) is said by the subject
            # of the sentence before, as a pronoun would be
            person = _subject_before(mentions, sentences, sentence, start)
            if person is not None:
                return names[person.entity_id or ""], person.entity_id, said
        return None, None, said
    return None, None, None


def _subject_before(
    mentions: list[Mention], sentences: list[Sentence], sentence: int, position: int
) -> Mention | None:
    """Who a pronoun after a quotation stands for: the first person named in the quotation's
    own sentence before it, else in the nearest earlier sentence naming a person (a sentence's
    first person is most often its subject)."""
    people = [m for m in mentions if (m.entity_id or "").startswith("person:")]
    if not sentences or sentence < 0:
        before = [m for m in people if m.start < position]
        return before[-1] if before else None
    own_start = sentences[sentence].start
    own = [m for m in people if own_start <= m.start < position]
    if own:
        return own[0]
    for index in range(sentence - 1, max(-1, sentence - 1 - settings.ENRICH_QUOTE_PRONOUN_SENTENCES), -1):
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
    if mention.end <= verb_start:
        return verb_start - mention.end
    return max(0, mention.start - verb_end)


def _last_before(mentions: list[Mention], position: int, id_prefix: str) -> Mention | None:
    """The last mention of an entity whose id starts with id_prefix before position."""
    for mention in reversed(mentions):
        if mention.start < position and (mention.entity_id or "").startswith(id_prefix):
            return mention
    return None


def _is_place(mention: Mention) -> bool:
    return (mention.entity_id or "").startswith("place:")
