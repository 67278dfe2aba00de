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

log = logging.getLogger(__name__)

# Pipes the NER component does not need: excluded, so they are neither loaded nor run.
_UNNEEDED_PIPES = [
    "parser", "tagger", "lemmatizer", "attribute_ruler", "morphologizer", "senter",
    "trainable_lemmatizer",
]
# model name -> loaded spaCy pipeline (None: not installed); loaded once per process.
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
    # The spaCy package of each language read with a model, as "language:package" (a TOML
    # list); articles in other languages get the rules only.
    models: tuple[str, ...] = tuple(f"{language}:{package}" for language, package
                                    in settings.ENRICH_SPACY_MODELS.items())

    def __post_init__(self) -> None:
        for name in ("lead_chars", "batch_size", "processes"):
            if getattr(self, name) < 1:
                raise ValueError(f"SpacyRecognizer.{name} must be at least 1")
        object.__setattr__(self, "models", tuple(self.models))  # a TOML list: kept hashable
        if not all(isinstance(m, str) and m.count(":") == 1 and all(m.split(":"))
                   for m in self.models):
            raise ValueError('SpacyRecognizer.models must be "language:package" names')

    @property
    def packages(self) -> dict[str, str]:
        """language -> spaCy package."""
        return dict(model.split(":") for model in self.models)

    def mentions(self, articles: Sequence[Article]) -> list[list[Mention]]:
        found = []
        for article, doc in zip(articles, self._docs(articles), strict=True):
            rules = rule_mentions(article.text, article.sentences, article.language)
            found.append(merge_mentions(model_mentions(doc), rules) if doc is not None else rules)
        return found

    def _docs(self, articles: Sequence[Article]) -> list[Any]:
        """One spaCy Doc (of the lead) per article whose language has a model, else None."""
        docs: list[Any] = [None] * len(articles)
        packages = self.packages
        by_language: dict[str, list[int]] = defaultdict(list)
        for index, article in enumerate(articles):
            if article.language in packages:
                by_language[article.language].append(index)
        for language, indexes in by_language.items():
            nlp = spacy_model(packages[language])
            if nlp is None:
                continue
            leads = [articles[i].text[: self.lead_chars] for i in indexes]
            processes = self.processes if len(leads) >= 4 * self.batch_size else 1
            parsed = nlp.pipe(leads, batch_size=self.batch_size, n_process=processes)
            for index, doc in zip(indexes, parsed, strict=True):
                docs[index] = doc
        return docs


def spacy_model(name: str) -> Any:
    """The NER-only pipeline of spaCy package `name`, loaded once per process; None if absent."""
    if name not in _MODELS:
        model = None
        try:
            import spacy

            model = spacy.load(name, exclude=_UNNEEDED_PIPES)
        except (ImportError, OSError) as error:
            log.warning("spaCy model %s unavailable (%s); using rules only", name, error)
        _MODELS[name] = model
    return _MODELS[name]
