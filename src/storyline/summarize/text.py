"""Language-aware word handling and TF-IDF helpers shared by briefs and timelines.

No English-only shortcut: words are Unicode word characters folded (case, diacritics), and stop
words come from spaCy's per-language lists for whatever languages the articles are in.
"""

from __future__ import annotations

import importlib.util
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from scipy import sparse

from storyline import settings
from storyline.clean.outlet import wire_dateline_end
from storyline.clean.patterns import LEAD_DATELINE_RE
from storyline.model import Article, Sentence

_WORD = re.compile(r"\w+", re.UNICODE)
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
# Tokenized corpora (Penn Treebank style) carry these bracket tokens; they are not words.
_PTB_TOKENS = frozenset({"lrb", "rrb", "lsb", "rsb", "lcb", "rcb"})


class _CombiningMarks(dict[int, str]):
    """str.translate table that drops combining marks; learns each code point on first sight."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        kept = "" if unicodedata.combining(char) else char
        self[code] = kept
        return kept


_DROP_MARKS = _CombiningMarks()


def fold(text: str) -> str:
    """Casefold and strip diacritics, so 'Genève' and 'geneve' compare equal."""
    if text.isascii():  # NFKD and casefold change nothing else in ASCII
        return text.lower()
    return unicodedata.normalize("NFKD", text.casefold()).translate(_DROP_MARKS)


def words(text: str) -> list[str]:
    """Folded words of a text (numbers included)."""
    return [w for w in _WORD.findall(fold(text)) if w not in _PTB_TOKENS]


@lru_cache(maxsize=64)
def stop_words(language: str | None) -> frozenset[str]:
    """spaCy's stop words for a language (folded); empty when spaCy has no list for it."""
    if not language or not language.isalpha():
        return frozenset()
    # The list is a plain module; loading it alone spares the import of spaCy itself (~1.5 s).
    package = importlib.util.find_spec("spacy")
    if package is None or not package.submodule_search_locations:
        return frozenset()
    for root in package.submodule_search_locations:
        path = Path(root) / "lang" / language.lower() / "stop_words.py"
        spec = importlib.util.spec_from_file_location(f"_stop_words_{language}", path)
        if path.is_file() and spec is not None and spec.loader is not None:
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            return frozenset(fold(w) for w in getattr(module, "STOP_WORDS", ()))
    return frozenset()


def stop_words_for(languages: Iterable[str | None]) -> frozenset[str]:
    merged: set[str] = set()
    for language in sorted({lang for lang in languages if lang}):
        merged |= stop_words(language)
    return frozenset(merged)


def content_words(text: str, stops: frozenset[str]) -> list[str]:
    """Words minus stop words and one-character tokens."""
    return [w for w in words(text) if len(w) > 1 and w not in stops]


@lru_cache(maxsize=2)
def _content_words_of(texts: tuple[str, ...], stops: frozenset[str]) -> tuple[list[str], ...]:
    """`content_words` of each text, kept for the texts seen last: a brief builds two TF-IDF
    matrices of the same sentences (whole words, then word stems)."""
    return tuple(content_words(text, stops) for text in texts)


def query_terms(query: str | Sequence[str]) -> list[str]:
    """Folded query words; CamelCase keywords ('EgyptianProtest') are split into their words."""
    parts = [query] if isinstance(query, str) else list(query)
    terms: list[str] = []
    for part in parts:
        for word in _WORD.findall(_CAMEL.sub(" ", part)):
            folded = fold(word)
            if len(folded) > 1 and folded not in terms:
                terms.append(folded)
    return terms


def matches_terms(text_words: Iterable[str], terms: Sequence[str]) -> bool:
    """True when a word starts with a query term ('financ' matches 'financial')."""
    return any(w.startswith(t) for w in text_words for t in terms)


def terms_pattern(terms: Sequence[str]) -> re.Pattern[str] | None:
    """A regex finding a word that starts with a query term in folded text (as `matches_terms`)."""
    if not terms:
        return None
    alternatives = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})", re.UNICODE)


def article_sentences(article: Article, limit: int | None = None) -> list[Sentence]:
    """The article's sentences; when enrichment has not split it, one per non-empty line/period.

    The fallback keeps character offsets so citations still point into the text.
    """
    if article.sentences:
        return article.sentences[:limit] if limit else list(article.sentences)
    found: list[Sentence] = []
    for match in re.finditer(r"[^\n.!?。]+(?:[.!?。]+|$)", article.text, re.MULTILINE):
        text = match.group().strip()
        if text:
            start = match.start() + match.group().index(text)
            found.append(Sentence(text=text, start=start, end=start + len(text)))
            if limit and len(found) >= limit:
                break
    return found


@dataclass(frozen=True)
class SentenceBounds:
    """Which sentences of a report a brief may use: among its first `limit`, those of summary
    length."""

    limit: int = settings.SUMMARY_MAX_SENTENCES_PER_ARTICLE
    min_words: int = settings.SUMMARY_MIN_WORDS
    max_words: int = settings.SUMMARY_MAX_WORDS

    def candidates(self, article: Article) -> list[tuple[int, str]]:
        """(sentence index, text with its whitespace collapsed) of each usable sentence."""
        return [(index, " ".join(sentence.text.split()))
                for index, sentence in enumerate(article_sentences(article, self.limit))
                if self.min_words <= len(sentence.text.split()) <= self.max_words]


def tfidf_matrix(
    texts: Sequence[str], stops: frozenset[str], prefix: int | None = None
) -> sparse.csr_matrix:
    """Row-normalised TF-IDF vectors (sublinear tf) over content words; empty rows stay zero.

    `prefix` cuts words to their first characters: a crude stemmer that works in any language
    with suffixes ('destruction'/'destroy', 'chimique'/'chimiques').

    The matrix of scikit-learn's `TfidfVectorizer(sublinear_tf=True)`, value for value and in
    its order of entries (so sums over it are the same to the last bit), built without the
    estimator: briefs build two per event change, and its checks and bookkeeping cost more
    than the counting on a brief's few dozen sentences.
    """
    if not texts:
        return sparse.csr_matrix((0, 0))
    vocabulary: dict[str, int] = {}  # word -> column, in order of first appearance
    indices: list[int] = []
    counts: list[int] = []
    indptr = [0]
    for found in _content_words_of(tuple(texts), stops):
        counted: dict[int, int] = {}
        for word in ([w[:prefix] for w in found] if prefix else found):
            column = vocabulary.setdefault(word, len(vocabulary))
            counted[column] = counted.get(column, 0) + 1
        indices.extend(counted)
        counts.extend(counted.values())
        indptr.append(len(indices))
    if not vocabulary:  # no content word at all
        return sparse.csr_matrix((len(texts), 1))
    matrix = sparse.csr_matrix(
        (np.array(counts, dtype=np.float64), np.array(indices, dtype=np.int32),
         np.array(indptr, dtype=np.int32)), shape=(len(texts), len(vocabulary)))
    matrix.sort_indices()  # by first appearance, as the estimator's counts are
    # Columns in word order, each row's entries left in first-appearance order.
    alphabetical = np.empty(len(vocabulary), dtype=np.int32)
    alphabetical[[vocabulary[w] for w in sorted(vocabulary)]] = np.arange(len(vocabulary),
                                                                          dtype=np.int32)
    matrix.indices = alphabetical.take(matrix.indices)
    documents = np.bincount(matrix.indices, minlength=len(vocabulary)).astype(np.float64)
    documents += 1.0
    idf = np.full_like(documents, fill_value=len(texts) + 1, dtype=np.float64)
    idf /= documents
    np.log(idf, out=idf)
    idf += 1.0
    np.log(matrix.data, matrix.data)
    matrix.data += 1.0
    matrix.data *= idf[matrix.indices]
    # `normalize(matrix, norm="l2", copy=False)`'s own loop, without its argument checks (a
    # third of this function's time on a brief's matrices). Imported here: scikit-learn costs
    # 0.6 CPU s to load, which a process that only reads stored briefs, or checks a
    # configuration's summarizer, never pays.
    from sklearn.utils.sparsefuncs_fast import inplace_csr_row_normalize_l2

    inplace_csr_row_normalize_l2(matrix)
    return matrix


def centroid_scores(matrix: sparse.csr_matrix, weights: np.ndarray | None = None) -> np.ndarray:
    """Cosine of each row with the (weighted) centroid of all rows."""
    if matrix.shape[0] == 0:
        return np.zeros(0)
    weighted = matrix if weights is None else sparse.diags(weights) @ matrix
    # The column sums scipy's `sum(axis=0)` gives (each column's entries added in row order),
    # scaled to unit length as scikit-learn's `normalize` does (its norm, and its rule for a
    # near-zero one), without their checks: a millisecond a brief, more than the sums.
    centroid = np.bincount(weighted.indices, weights=weighted.data, minlength=weighted.shape[1]
                           ).astype(np.float64, copy=False).reshape(1, -1)  # int when empty
    norm = np.sqrt(np.einsum("ij,ij->i", centroid, centroid))
    norm[norm < 10 * np.finfo(norm.dtype).eps] = 1.0
    centroid /= norm[:, None]
    return np.asarray(matrix @ centroid.T).ravel()


def mmr_select(
    relevance: np.ndarray,
    similarity: np.ndarray,
    count: int,
    trade_off: float,
    max_similarity: float = 1.0,
) -> list[int]:
    """Maximal Marginal Relevance: greedily pick central rows that are not like those picked.

    Ties break on the lower index, so the result is deterministic. Each step scores every row
    not picked at once (a row's redundancy: its highest similarity to a picked row, 0 before
    the first pick); a row as similar as `max_similarity` to a picked one, or scored -inf, is
    never picked.
    """
    relevance = np.asarray(relevance, dtype=np.float64)
    chosen: list[int] = []
    open_rows = np.ones(len(relevance), dtype=bool)
    redundancy = np.zeros(len(relevance))
    while len(chosen) < count and open_rows.any():
        score = trade_off * relevance - (1 - trade_off) * redundancy
        eligible = open_rows & (redundancy < max_similarity) & (score > -np.inf)
        if not eligible.any():
            break
        best = int(np.argmax(np.where(eligible, score, -np.inf)))  # the first of the highest
        column = similarity[:, best]
        redundancy = np.maximum(redundancy, column) if chosen else column.astype(np.float64)
        chosen.append(best)
        open_rows[best] = False
    return chosen


# A sentence that leans on the one before it: a pronoun subject or a connective opener ("In
# turn, …", "It said that …", "However, …", "Il a ajouté …", "Además, …", "Er sagte …").
_DANGLING_OPENER = re.compile(
    r"^(?:in turn|in response|it|he|she|they|this|these|those|that|but|and|also|however|"
    r"meanwhile|moreover|then|thus|so|later|according to (?:him|her|them)|"
    r"il|elle|ils|elles|cela|ceci|mais|et|puis|ensuite|de son côté|"
    r"él|ella|ellos|ellas|esto|eso|pero|y|además|luego|por su parte|"
    r"er|sie|es|dies|aber|und|auch|dann|danach)(?!\w)",
    re.IGNORECASE,
)
# "…, he added." / "…,” she said.": a quotation whose speaker is only a pronoun. Searched for,
# so the comma, quote mark or dash before the pronoun need not be in the pattern (a match
# with them is a match without them): left out, the search skips ahead to the pronouns' first
# letters instead of trying the optional lead-in at every character (2.5 times faster).
_PRONOUN_ATTRIBUTION = re.compile(
    r"(?:he|she|they|il|elle|él|ella|er|sie)\s+"
    r"(?:said|says|added|explained|stressed|noted|told \w+|a dit|a ajouté|a déclaré|dijo|añadió|"
    r"afirmó|sagte|fügte hinzu|erklärte)\W*$",
    re.IGNORECASE,
)
# Sentences about the reporting rather than the news ("a statement gave few details").
_META_REPORTING = re.compile(
    r"\b(?:gave|give|gives|giving|provided|offered) (?:few|no|little) details\b|"
    r"\bno (?:further|other) details\b|\bdeclined to comment\b|\bcould not be reached\b|"
    r"\bpeu de détails\b|\bpocos detalles\b|\bwenige details\b",
    re.IGNORECASE,
)
def stands_alone(text: str) -> bool:
    """Whether a sentence reads on its own in a summary: no pronoun or connective opener, no
    pronoun-only attribution, and about the news rather than the reporting of it."""
    stripped = text.lstrip(" \"“«„'‘([")
    return not (
        _DANGLING_OPENER.match(stripped)
        or _PRONOUN_ATTRIBUTION.search(text)
        or _META_REPORTING.search(text)
    )


def readable_sentence(text: str, places: Sequence[str] = ()) -> str:
    """A sentence as a summary shows it: without a leading dateline ("MOSCOW (Reuters) - ",
    "Sochi, Russia ") and ending with a full stop."""
    text = " ".join(text.split())
    # A headline and a photo caption can run into the dateline in tokenised copy: all of it goes.
    after_wire = wire_dateline_end(text)
    if after_wire is not None:
        text = text[after_wire:]
    text = LEAD_DATELINE_RE.sub("", text, count=1)
    for first in places:
        for second in places:
            prefix = f"{first}, {second} "
            if text.startswith(prefix) and text[len(prefix):][:1].isupper():
                text = text[len(prefix):]
                break
    text = text.strip()
    if text and text[-1] not in ".!?…。\"”»’'":
        text += "."
    return text[:1].upper() + text[1:]
