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
from dataclasses import dataclass, field
from time import process_time  # not `import time`: storyline.enrich.time shadows it
from typing import cast

from storyline.config import PipelineConfig
from storyline.enrich.interfaces import EntityRecognizer
from storyline.enrich.language import LanguageConfig, identify_language
from storyline.enrich.pubdate import infer_published
from storyline.enrich.quotes import QuoteConfig, extract_quotes
from storyline.enrich.resolution import ResolutionConfig, resolve_entities
from storyline.enrich.sentences import split_sentences
from storyline.enrich.time import DateConfig, extract_dates
from storyline.model import Article, parse_day

log = logging.getLogger(__name__)

# CPU seconds spent per step over the life of the process (the dates and ingest benchmarks print
# them): CPU rather than wall time, which on a shared machine mostly measures the neighbours.
STEP_SECONDS: dict[str, float] = defaultdict(float)


@dataclass(frozen=True)
class EnrichConfig:
    """The tunables of language identification, dates, entity resolution and quotation finding
    (section `[enrich]` of a pipeline configuration, with the sub-tables `[enrich.language]`,
    `[enrich.dates]`, `[enrich.entities]` and `[enrich.quotes]`)."""

    language: LanguageConfig = field(default_factory=LanguageConfig)
    dates: DateConfig = field(default_factory=DateConfig)
    entities: ResolutionConfig = field(default_factory=ResolutionConfig)
    quotes: QuoteConfig = field(default_factory=QuoteConfig)


def enrich_articles(articles: list[Article], recognizer: EntityRecognizer | None = None,
                    config: EnrichConfig | None = None) -> list[Article]:
    """Fill language, sentences, dates, published (when inferred), entities and quotes in place.

    `recognizer`: the `ner` component (default: `default_recognizer()`); `config`: the
    configuration's `[enrich]` section (default: the tunables of settings.py)."""
    recognizer = recognizer or default_recognizer()
    config = config or EnrichConfig()
    with _timed("language"):
        for article in articles:
            article.language, article.language_confidence = identify_language(
                f"{article.title}\n{article.text}" if article.title else article.text,
                config.language,
            )
    with _timed("sentences"):
        for article in articles:
            article.sentences = split_sentences(article.text)
    with _timed("dates"):
        for article in articles:
            try:
                _fill_dates(article, config.dates)
            except Exception:  # untrusted text must not sink the whole batch
                log.warning("date extraction failed for article %s", article.id, exc_info=True)
    with _timed("entities+quotes"):
        for article, mentions in zip(articles, recognizer.mentions(articles), strict=True):
            result = resolve_entities(article, mentions, config.entities)
            article.entities = result.entities
            article.quotes = extract_quotes(
                article.text, article.sentences, result.entities, result.mentions,
                article.language, config.quotes,
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


def warm_up(recognizer: EntityRecognizer | None = None) -> None:
    """Load what enrichment needs (language model, gazetteer, date parser, spaCy for English)
    by enriching one sentence written for the purpose, so that processes forked afterwards
    share the loaded models instead of each loading its own."""
    enrich_articles([Article(
        id="warm-up", source="warm-up", title="Minister Jane Doe visits Paris",
        text='Minister Jane Doe arrived in Paris on Monday. "We will talk again next week," '
        "she told reporters.",
    )], recognizer)


@contextmanager
def _timed(step: str) -> Iterator[None]:
    started = process_time()
    try:
        yield
    finally:
        STEP_SECONDS[step] += process_time() - started


# -- dates ---------------------------------------------------------------------------------------
def _fill_dates(article: Article, config: DateConfig) -> None:
    reference = parse_day(article.published)
    if reference is None:
        guess = infer_published(article, config)
        if guess.value:
            article.published = guess.value
            article.published_source = "inferred"
            article.published_confidence = guess.confidence
            article.published_reason = guess.reason
            reference = parse_day(guess.value)
        elif not article.published:
            article.published_confidence = guess.confidence
            article.published_reason = guess.reason
    article.dates = extract_dates(article.text, article.sentences, article.language, reference,
                                  config)


def default_recognizer() -> EntityRecognizer:
    """The recognizer of the default configuration (`PipelineConfig.ner`); a pipeline
    configuration, or the `fast` profile, passes its own."""
    return cast(EntityRecognizer, PipelineConfig.ner.build("ner"))
