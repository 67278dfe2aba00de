"""The named-entity recognizers (the `ner` stage's built-in components).

A recognizer finds the entity mentions of a batch of enriched-so-far articles (language and
sentences known); `storyline.enrich.resolution.resolve_entities` then groups them into canonical
entities. Each recognizer is a frozen dataclass of its parameters, so a pipeline configuration can
build it by name (`storyline.registry`), print it, and send it to the ingest workers.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from storyline import settings
from storyline.enrich.entities import Mention
from storyline.enrich.rule_mentions import rule_mentions
from storyline.enrich.spacy_mentions import merge_mentions, model_mentions
from storyline.model import Article

# Tunables read once, at import (settings.py says why each value).
ENRICH_SPACY_MODELS = settings.ENRICH_SPACY_MODELS

log = logging.getLogger(__name__)

# Pipes the NER component does not need: excluded, so they are neither loaded nor run.
_UNNEEDED_PIPES = [
    "parser", "tagger", "lemmatizer", "attribute_ruler", "morphologizer", "senter",
    "trainable_lemmatizer",
]
# language -> loaded spaCy pipeline (None: no model for it); loaded once per process.
_MODELS: dict[str, Any] = {}


@dataclass(frozen=True)
class RuleRecognizer:
    """Gazetteer places and organisations, titled names and capitalised runs (no model: the
    firehose profile's recognizer)."""

    def mentions(self, articles: Sequence[Article]) -> list[list[Mention]]:
        return [rule_mentions(a.text, a.sentences, a.language) for a in articles]


@dataclass(frozen=True)
class SpacyRecognizer:
    """spaCy's NER over each article's lead (`lead_chars`), batched per language with
    `nlp.pipe`, merged with the rule mentions over the whole text (rules find what the model
    misses beyond the lead; the model wins where both found a span)."""

    lead_chars: int = settings.ENRICH_NER_CHARS
    batch_size: int = settings.ENRICH_SPACY_BATCH
    processes: int = settings.ENRICH_SPACY_PROCESSES

    def __post_init__(self) -> None:
        for name in ("lead_chars", "batch_size", "processes"):
            if getattr(self, name) < 1:
                raise ValueError(f"SpacyRecognizer.{name} must be at least 1")

    def mentions(self, articles: Sequence[Article]) -> list[list[Mention]]:
        found = []
        for article, doc in zip(articles, self._docs(articles), strict=True):
            rules = rule_mentions(article.text, article.sentences, article.language)
            found.append(merge_mentions(model_mentions(doc), rules) if doc is not None else rules)
        return found

    def _docs(self, articles: Sequence[Article]) -> list[Any]:
        """One spaCy Doc (of the lead) per article whose language has a model, else None."""
        docs: list[Any] = [None] * len(articles)
        by_language: dict[str, list[int]] = defaultdict(list)
        for index, article in enumerate(articles):
            if article.language in ENRICH_SPACY_MODELS:
                by_language[article.language].append(index)
        for language, indexes in by_language.items():
            nlp = spacy_model(language)
            if nlp is None:
                continue
            leads = [articles[i].text[: self.lead_chars] for i in indexes]
            processes = self.processes if len(leads) >= 4 * self.batch_size else 1
            parsed = nlp.pipe(leads, batch_size=self.batch_size, n_process=processes)
            for index, doc in zip(indexes, parsed, strict=True):
                docs[index] = doc
        return docs


def spacy_model(language: str) -> Any:
    """The NER-only spaCy pipeline for a language, loaded once per process; None if absent."""
    if language not in _MODELS:
        name = ENRICH_SPACY_MODELS.get(language)
        model = None
        if name:
            try:
                import spacy

                model = spacy.load(name, exclude=_UNNEEDED_PIPES)
            except (ImportError, OSError) as error:
                log.warning("spaCy model %s unavailable (%s); using rules only", name, error)
        _MODELS[language] = model
    return _MODELS[language]
