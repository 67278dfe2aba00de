"""The enrich stage: language → sentences → dates (and an inferred publication date) → entities
→ quotes, for a batch of articles.

`enrich_articles` is the one entry point (the pipeline calls it at ingest, `storyline enrich`
re-runs it over the store). Each step is a plain function in its own module; this module only
orders them and batches the one costly step, spaCy's NER, with `nlp.pipe` per language.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from time import process_time  # not `import time`: storyline.enrich.time shadows it
from typing import Any

from storyline import settings
from storyline.enrich.entities import (
    merge_mentions,
    model_mentions,
    resolve_entities,
    rule_mentions,
)
from storyline.enrich.language import identify_language
from storyline.enrich.pubdate import infer_published
from storyline.enrich.quotes import extract_quotes
from storyline.enrich.sentences import split_sentences
from storyline.enrich.time import extract_dates
from storyline.model import Article, parse_day

log = logging.getLogger(__name__)

# CPU seconds spent per step over the life of the process (the dates and ingest benchmarks print
# them): CPU rather than wall time, which on a shared machine mostly measures the neighbours.
STEP_SECONDS: dict[str, float] = defaultdict(float)

# Pipes the NER component does not need: excluded, so they are neither loaded nor run.
_UNNEEDED_PIPES = [
    "parser", "tagger", "lemmatizer", "attribute_ruler", "morphologizer", "senter",
    "trainable_lemmatizer",
]
_MODELS: dict[str, Any] = {}


def enrich_articles(articles: list[Article]) -> list[Article]:
    """Fill language, sentences, dates, published (when inferred), entities and quotes in place."""
    with _timed("language"):
        for article in articles:
            article.language, article.language_confidence = identify_language(
                f"{article.title}\n{article.text}" if article.title else article.text
            )
    with _timed("sentences"):
        for article in articles:
            article.sentences = split_sentences(article.text)
    with _timed("dates"):
        for article in articles:
            try:
                _fill_dates(article)
            except Exception:  # untrusted text must not sink the whole batch
                log.warning("date extraction failed for article %s", article.id, exc_info=True)
    with _timed("entities+quotes"):
        for article, doc in zip(articles, _ner_docs(articles), strict=True):
            mentions = rule_mentions(article.text, article.sentences, article.language)
            if doc is not None:
                mentions = merge_mentions(model_mentions(doc), mentions)
            result = resolve_entities(article, mentions)
            article.entities = result.entities
            article.quotes = extract_quotes(
                article.text, article.sentences, result.entities, result.mentions
            )
    return articles


def forget_inferred_date(article: Article) -> Article:
    """Forget an inferred publication date so that enriching the article infers it again
    (after new rules, or from a text that changed)."""
    if article.published_source == "inferred":
        article.published = None
        article.published_source = None
    if article.published is None:
        article.published_confidence = None
        article.published_reason = None
    return article


def warm_up() -> None:
    """Load what enrichment needs (language model, gazetteer, date parser, spaCy for English)
    by enriching one sentence written for the purpose, so that processes forked afterwards
    share the loaded models instead of each loading its own."""
    enrich_articles([Article(
        id="warm-up", source="warm-up", title="Minister Jane Doe visits Paris",
        text='Minister Jane Doe arrived in Paris on Monday. "We will talk again next week," '
        "she told reporters.",
    )])


@contextmanager
def _timed(step: str) -> Iterator[None]:
    started = process_time()
    try:
        yield
    finally:
        STEP_SECONDS[step] += process_time() - started


# -- dates ---------------------------------------------------------------------------------------
def _fill_dates(article: Article) -> None:
    reference = parse_day(article.published)
    if reference is None:
        guess = infer_published(article)
        if guess.value:
            article.published = guess.value
            article.published_source = "inferred"
            article.published_confidence = guess.confidence
            article.published_reason = guess.reason
            reference = parse_day(guess.value)
        elif not article.published:
            article.published_confidence = guess.confidence
            article.published_reason = guess.reason
    article.dates = extract_dates(article.text, article.sentences, article.language, reference)


# -- spaCy ---------------------------------------------------------------------------------------
def _ner_docs(articles: list[Article]) -> list[Any]:
    """One spaCy Doc (of the lead) per article whose language has a model, else None."""
    docs: list[Any] = [None] * len(articles)
    if settings.ENRICH_NER_BACKEND != "spacy":
        return docs
    by_language: dict[str, list[int]] = defaultdict(list)
    for index, article in enumerate(articles):
        if article.language in settings.ENRICH_SPACY_MODELS:
            by_language[article.language].append(index)
    for language, indexes in by_language.items():
        nlp = spacy_model(language)
        if nlp is None:
            continue
        leads = [articles[i].text[: settings.ENRICH_NER_CHARS] for i in indexes]
        processes = settings.ENRICH_SPACY_PROCESSES if len(leads) >= 4 * settings.ENRICH_SPACY_BATCH else 1
        parsed = nlp.pipe(leads, batch_size=settings.ENRICH_SPACY_BATCH, n_process=processes)
        for index, doc in zip(indexes, parsed, strict=True):
            docs[index] = doc
    return docs


def spacy_model(language: str) -> Any:
    """The NER-only spaCy pipeline for a language, loaded once per process; None if absent."""
    if language not in _MODELS:
        name = settings.ENRICH_SPACY_MODELS.get(language)
        model = None
        if name:
            try:
                import spacy

                model = spacy.load(name, exclude=_UNNEEDED_PIPES)
            except (ImportError, OSError) as error:
                log.warning("spaCy model %s unavailable (%s); using rules only", name, error)
        _MODELS[language] = model
    return _MODELS[language]
