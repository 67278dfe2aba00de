"""Which claims of an event several independent publishers report, and which only one does.

Publishers: a report counts for whoever produced its copy (`clean.outlet.source_name`) - the
agency it reprints (a dateline "(Reuters)", an agency trailer, its caveat or credit line), else
its outlet, else the host its column note names, else the agency its input folder is named
after. Updates and reprints of one wire, copies the copy detector found, and two reports of one outlet are one publisher; reports with no outlet at
all are each their own unidentified publisher unless they copy one another.

Claims: sentences that say the same thing form one claim, in whatever language. Two sentences say
the same when their words agree (TF-IDF cosine over crude stems), or their multilingual
sentence vectors are close; across languages a fairly close pair also counts when a figure
agrees ("four" = "cuatro" = "4"). Sentences that say the same but give different figures are a
conflict, never a confirmation. Claims are grouped around their most relevant sentence (a star,
not a chain), so a claim never grows through a series of partial matches.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from storyline.clean.outlet import source_key, source_name
from storyline.model import Article, Event
from storyline.summarize.text import fold, stop_words_for, tfidf_matrix

if TYPE_CHECKING:
    from storyline.summarize.vectors import ClaimEncoding

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# Counts written as words, which agree across languages ("four", "cuatro", "quatre", "vier"),
# per language: "once" is eleven only in Spanish. From two on: "one"/"un"/"ein" are as often
# articles as numbers.
_NUMBER_WORDS = {
    language: {word: value for value, word in enumerate(names.split(), start=2)}
    for language, names in {
        "en": "two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen twenty",
        "fr": "deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze "
        "seize dix-sept dix-huit dix-neuf vingt",
        "es": "dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince "
        "dieciseis diecisiete dieciocho diecinueve veinte",
        "de": "zwei drei vier funf sechs sieben acht neun zehn elf zwolf dreizehn vierzehn "
        "funfzehn sechzehn siebzehn achtzehn neunzehn zwanzig",
        "it": "due tre quattro cinque sei sette otto nove dieci undici dodici tredici "
        "quattordici quindici sedici diciassette diciotto diciannove venti",
        "pt": "dois tres quatro cinco seis sete oito nove dez onze doze treze catorze quinze "
        "dezesseis dezessete dezoito dezenove vinte",
    }.items()
}
_NUMBER_WORD = {
    language: re.compile(
        r"(?<![\w-])(?:" + "|".join(sorted(map(re.escape, words), key=len, reverse=True))
        + r")(?![\w-])"
    )
    for language, words in _NUMBER_WORDS.items()
}
# A four-digit year or a clock time is when, not how many: never a conflicting count.
_YEAR = re.compile(r"^(?:1[89]|20)\d\d$")


@dataclass
class EventSentence:
    """One candidate sentence of an event, with where it comes from."""

    text: str
    article: str
    outlet: str | None
    language: str | None
    index: int
    anchors: frozenset[str] = frozenset()
    # Whether claim matching compares its vector (a report's leading candidate sentences,
    # `ClaimEncoding.sentences` of them, have one; the rest are matched by their words).
    encoded: bool = True


@dataclass
class Publisher:
    """Who produced a set of reports: an outlet or agency, or None when nothing names it."""

    key: str
    name: str | None
    articles: list[str] = field(default_factory=list)


@dataclass
class Claim:
    """Sentences saying one thing; `rows` index the event's sentences, the representative first."""

    rows: list[int]
    publishers: list[str]


def publishers(event: Event, articles: Sequence[Article]) -> dict[str, Publisher]:
    """Article id -> its publisher, as the store counts an event's independent outlets
    (`store.sqlite._INDEPENDENT_OUTLETS`): a copy counts for the report it copies, any other
    report for its publisher key (`clean.outlet.source_key`); a report that names none takes the
    key its copies name (the smallest), else counts alone."""
    by_id = {a.id: a for a in articles}
    names = {a.id: source_name(a) for a in articles}
    own = {a: source_key(name) for a, name in names.items()}
    origin = {a.id: a.id for a in articles}
    for member in event.members:
        if member.role == "copy" and member.copy_of in by_id and member.article_id in by_id:
            origin[member.article_id] = member.copy_of or ""
    copied_keys: dict[str, set[str]] = {}
    for article_id, source in origin.items():
        if own[article_id] and source != article_id:
            copied_keys.setdefault(source, set()).add(own[article_id] or "")
    found: dict[str, Publisher] = {}
    for article in articles:
        source = origin[article.id]
        key = own[source] or min(copied_keys.get(source, ()), default=None) or f"article:{source}"
        found.setdefault(key, Publisher(key, None)).articles.append(article.id)
    for publisher in found.values():
        # The name most of its reports carry under its key; on a tie the first report's (the
        # origin when `articles` come origin first).
        named = Counter(names[a] for a in publisher.articles if own[a] == publisher.key)
        if named:
            publisher.name = max(named, key=lambda name: named[name])
    return {a: publisher for publisher in found.values() for a in publisher.articles}


def publisher_labels(carriers: dict[str, list[str]], by_key: dict[str, Publisher]) -> list[str]:
    """Readable publishers of a claim: "Reuters (3 versions)", "2 unidentified outlets".

    `carriers` maps a publisher key to the reports of it that carry the claim.
    """
    named, unnamed = [], []
    for key, reports in carriers.items():
        name = by_key[key].name
        versions = f" ({len(reports)} versions)" if len(reports) > 1 else ""
        if name:
            named.append(name + versions)
        else:
            unnamed.append(len(reports))
    labels = sorted(named, key=fold)
    if len(unnamed) > 1:
        labels.append(f"{len(unnamed)} unidentified outlets")
    elif unnamed and unnamed[0] > 1:
        labels.append(f"{unnamed[0]} reports from an unidentified outlet")
    elif unnamed:
        labels.append("an unidentified outlet")
    return labels


def entity_anchors(articles: Sequence[Article]) -> list[tuple[str, str]]:
    """(folded name or alias, canonical entity id) for every entity of the articles."""
    names: dict[str, str] = {}
    for article in articles:
        for entity in article.entities:
            for name in [entity.name, *entity.aliases]:
                folded = fold(name).strip()
                if len(folded) >= 2:
                    names.setdefault(folded, entity.id)
    return sorted(names.items())


def sentence_anchors(
    text: str, anchors: list[tuple[str, str]], language: str | None = None
) -> frozenset[str]:
    """Canonical entities and figures of a sentence; figures are the same in every language."""
    folded = fold(text)
    # The substring test first, inline: most names are absent (a call per name and sentence
    # was most of this function).
    found = {"entity:" + entity_id for name, entity_id in anchors
             if name in folded and _names(folded, name)}
    found |= {"number:" + _plain_number(n) for n in _NUMBER.findall(folded)}
    if language in _NUMBER_WORD:
        words = _NUMBER_WORDS[language]
        found |= {"number:" + str(words[w]) for w in _NUMBER_WORD[language].findall(folded)}
    return frozenset(found)


def _names(text: str, name: str) -> bool:
    """Whether `name` occurs in `text` with no word character on either side (what
    `(?<!\\w)name(?!\\w)` finds), by substring search: briefs are built on every event change,
    and compiling a pattern per entity name (the `re` cache holds far fewer than a store's
    names) was a tenth of a brief."""
    start = text.find(name)
    while start >= 0:
        end = start + len(name)
        if not (start and _word_character(text[start - 1])) and not (
                end < len(text) and _word_character(text[end])):
            return True
        start = text.find(name, start + 1)
    return False


def _word_character(char: str) -> bool:
    """`re`'s \\w on str patterns: alphanumeric (str.isalnum) or the underscore."""
    return char.isalnum() or char == "_"


def _plain_number(text: str) -> str:
    """"2,000" = "2.000" = "2000"; "3.75" = "3,75"."""
    parts = re.split(r"[.,]", text)
    if len(parts) > 1 and all(len(part) == 3 for part in parts[1:]):
        return "".join(parts)
    return ".".join(parts)


def _counts(anchors: frozenset[str]) -> frozenset[str]:
    """The figures of a sentence that can disagree: not years."""
    return frozenset(
        a for a in anchors if a.startswith("number:") and not _YEAR.match(a.removeprefix("number:"))
    )


def conflicting_figures(reports: Sequence[tuple[str, str | None]], stem_chars: int
                        ) -> list[list[str]]:
    """Per (text, language) report of one conflict, the figures it gives for what the reports
    disagree on: the figures of a thing at least two of them count ("rose 4.2 percent ... for
    three days" / "rose 4 percent" -> ["4.2"], ["4"]); all its counts (not years) when they
    count nothing in common, as across languages. Smallest first. Counted things are compared
    by their first `stem_chars` characters (`ClaimEncoding.stem_chars`)."""
    counted = [_quantities(text, language, stem_chars) for text, language in reports]
    nouns = Counter(noun for quantities in counted for noun in quantities)
    shared = {noun for noun, n in nouns.items() if n >= 2}
    found = []
    for (text, language), quantities in zip(reports, counted, strict=True):
        figures = {f for noun in shared & set(quantities) for f in quantities[noun]}
        if not figures:
            figures = {a.removeprefix("number:") for a in _counts(sentence_anchors(text, [], language))}
        found.append(sorted(figures, key=lambda f: (float(f), f)))
    return found


def _quantities(text: str, language: str | None, stem_chars: int) -> dict[str, set[str]]:
    """What a sentence counts: the stem of the word after each figure -> the figures given
    ("four people", "6 people" -> {"peopl": {"4", "6"}}); years left out."""
    folded = fold(text)
    pattern = _NUMBER_WORD.get(language or "")
    spans = [(m, _plain_number(m.group())) for m in _NUMBER.finditer(folded)]
    if pattern is not None:
        spans += [(m, str(_NUMBER_WORDS[language or ""][m.group()])) for m in pattern.finditer(folded)]
    found: dict[str, set[str]] = {}
    for match, value in spans:
        counted = re.match(r"\s+(\w{3,})", folded[match.end():])
        if counted and not _YEAR.match(value):
            found.setdefault(counted.group(1)[:stem_chars], set()).add(value)
    return found


def _quantities_disagree(first: dict[str, set[str]], second: dict[str, set[str]]) -> bool:
    """Both count the same thing, with no figure in common for it."""
    return any(noun in second and not values & second[noun] for noun, values in first.items())


def _dense_similarity(sentences: Sequence[EventSentence], encoder: str | None
                      ) -> np.ndarray | None:
    """Encoder cosine matrix, NaN where either sentence has no vector; None when no encoder is
    configured or installed, or no sentence is encoded."""
    rows = [i for i, s in enumerate(sentences) if s.encoded]
    if not encoder or not rows:
        return None
    try:
        from storyline.summarize.vectors import sentence_vectors

        vectors = sentence_vectors(encoder, [sentences[i].text for i in rows])
    except Exception:  # noqa: BLE001 - any encoder failure means: fall back to lexical matching
        return None
    dense = np.full((len(sentences), len(sentences)), np.nan)
    dense[np.ix_(rows, rows)] = vectors @ vectors.T
    return dense


@dataclass
class ClaimMatrices:
    """Pairwise relations of an event's sentences."""

    # Redundancy for summaries: the largest of word, figure/entity and vector similarity.
    similarity: np.ndarray
    # Two sentences say the same thing.
    same: np.ndarray
    # Two sentences say the same thing with figures that disagree.
    conflict: np.ndarray


def _anchor_relations(sentences: Sequence[EventSentence]
                      ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per pair of sentences (the diagonal left out): the Jaccard overlap of their anchors,
    whether they share a figure, and whether both give counts (figures but years) with none in
    common. Products over the sentences' anchor indicators, not a loop over every pair: dense,
    since a brief has a few dozen sentences and their products are counts (whole numbers,
    exact in any order of summation; scipy's sparse products cost more to set up than to do)."""
    n = len(sentences)
    columns: dict[str, int] = {}
    rows, cols = [], []
    for row, sentence in enumerate(sentences):
        for name in sentence.anchors:
            rows.append(row)
            cols.append(columns.setdefault(name, len(columns)))
    names = sorted(columns, key=columns.__getitem__)
    matrix = np.zeros((n, len(columns)))
    np.add.at(matrix, (np.array(rows, dtype=np.intp), np.array(cols, dtype=np.intp)), 1.0)
    figures = np.array([a.startswith("number:") for a in names], dtype=bool)
    counted = np.array([a in _counts(frozenset([a])) for a in names], dtype=bool)
    shared = matrix @ matrix.T
    sizes = np.diag(shared).copy()
    union = sizes[:, None] + sizes[None, :] - shared
    anchor = np.divide(shared, union, out=np.zeros((n, n)), where=shared > 0)
    by_figure = matrix[:, figures]
    shared_figures = (by_figure @ by_figure.T) > 0
    by_count = matrix[:, counted]
    has_counts = by_count.sum(axis=1) > 0
    disagree = np.outer(has_counts, has_counts) & ((by_count @ by_count.T) == 0)
    for relation in (anchor, shared_figures, disagree):
        np.fill_diagonal(relation, 0)
    return anchor, shared_figures, disagree


def claim_matrices(sentences: Sequence[EventSentence], encoding: ClaimEncoding
                   ) -> ClaimMatrices:
    """`encoding`: the sentence encoder that matches paraphrases and translations (None or "":
    words only) and the similarities at which two sentences say the same thing."""
    texts = [s.text for s in sentences]
    n = len(sentences)
    matrix = tfidf_matrix(
        texts, stop_words_for(s.language for s in sentences), encoding.stem_chars
    )
    lexical = np.asarray((matrix @ matrix.T).todense(), dtype=float).reshape(n, n)
    anchor, shared_figures, disagree = _anchor_relations(sentences)
    # Whether both count the same thing with no figure in common: only for pairs whose counts
    # disagree (`disagree` holds then), since it reads each sentence's figures in Python.
    quantities = [_quantities(s.text, s.language, encoding.stem_chars)
                  if _counts(s.anchors) else {}
                  for s in sentences]
    counted_apart = np.zeros((n, n), dtype=bool)
    for i, j in zip(*np.nonzero(np.triu(disagree, 1)), strict=True):
        counted_apart[i, j] = counted_apart[j, i] = _quantities_disagree(quantities[i],
                                                                         quantities[j])
    languages = [s.language for s in sentences]
    spoken = np.array(languages, dtype=object)
    same_language = (spoken[:, None] == spoken[None, :]).astype(bool)
    # Words only: across languages, names and figures are all that can agree.
    similar = lexical >= encoding.lexical_similarity
    similar |= (anchor >= encoding.lexical_similarity) & shared_figures
    close = similar & same_language & counted_apart
    similarity = np.maximum(lexical, anchor)
    dense_matrix = _dense_similarity(sentences, encoding.encoder)
    if dense_matrix is not None:
        known = ~np.isnan(dense_matrix)
        dense = np.where(known, dense_matrix, -1.0)
        # Paraphrases ('expressed satisfaction with' / 'praised') share few words: a fairly
        # close vector counts when some words agree too; a very close one counts alone.
        dense_similar = (lexical >= encoding.lexical_similarity) & same_language
        dense_similar |= dense >= encoding.dense_similarity
        dense_similar |= (dense >= encoding.dense_supported) & (
            lexical >= encoding.lexical_support
        )
        # A translation shares no words: a fairly close vector with an agreeing figure.
        dense_similar |= ~same_language & (dense >= encoding.crosslingual_similarity)
        dense_similar |= (~same_language & (dense >= encoding.crosslingual_supported)
                          & shared_figures)
        # One fact with different figures: in one language the figures count the same thing
        # ("four people" / "six people"); across languages the sentences are near translations.
        dense_close = (dense_similar & same_language & counted_apart) | (
            ~same_language & (dense >= encoding.conflict_similarity)
        )
        # Pairs with a sentence that has no vector keep the word rules above.
        similar = np.where(known, dense_similar, similar)
        close = np.where(known, dense_close, close)
        similarity = np.where(known, np.maximum(lexical, dense), similarity)
    np.fill_diagonal(similar, True)
    return ClaimMatrices(similarity, similar & ~disagree, close & disagree)


def claim_support(
    sentences: Sequence[EventSentence], same: np.ndarray, by_article: dict[str, Publisher]
) -> list[int]:
    """Per sentence: how many independent publishers have a sentence saying the same."""
    keys = [by_article[s.article].key for s in sentences]
    return [len({keys[j] for j in np.nonzero(same[row])[0]}) for row in range(len(sentences))]


def group_claims(
    sentences: Sequence[EventSentence],
    order: Sequence[int],
    matrices: ClaimMatrices,
    by_article: dict[str, Publisher],
    encoding: ClaimEncoding,
    language: str | None = None,
) -> list[Claim]:
    """Claims in `order` of their first sentence: each is a sentence not yet part of a listed
    claim with every sentence that says the same as it (listed before or not, so an earlier,
    broader claim does not take a report away from it). A claim that shares a report with an
    earlier one whose first sentence is close to its own (`encoding.merge_similarity`) is the same
    claim worded by another publisher, and joins it. The representative is the first sentence
    in `language` when the claim has one."""
    claimed: dict[int, list[int]] = {}
    groups: list[list[int]] = []
    for seed in order:
        if seed in claimed:
            continue
        same = matrices.same[seed].tolist()  # a row read once, not a matrix cell per pair
        rows = [seed, *(r for r in order if r != seed and same[r])]
        group = next(
            (
                claimed[r] for r in rows[1:] if r in claimed
                and matrices.similarity[seed, claimed[r][0]] >= encoding.merge_similarity
            ),
            None,
        )
        if group is None:
            group = []
            groups.append(group)
        group.extend(r for r in rows if r not in group)
        for r in rows:
            claimed.setdefault(r, group)
    claims = []
    for rows in groups:
        preferred = [r for r in rows if language and sentences[r].language == language]
        if preferred and preferred[0] != rows[0]:
            rows = [preferred[0], *(r for r in rows if r != preferred[0])]
        keys = list(dict.fromkeys(by_article[sentences[r].article].key for r in rows))
        claims.append(Claim(rows, keys))
    return claims


def distinct_rows(order: Sequence[int], similarity: np.ndarray, repeat_similarity: float,
                  limit: int | None = None) -> list[int]:
    """Rows in `order`, leaving out any as similar as `repeat_similarity` to one kept before."""
    kept: list[int] = []
    for row in order:
        if limit is not None and len(kept) >= limit:
            break
        if all(similarity[row, k] < repeat_similarity for k in kept):
            kept.append(row)
    return kept
