"""The enrich stage's component interfaces (built-ins and how to register others:
`storyline.registry`, docs/architecture.md)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Protocol

from storyline.enrich.entities import Mention
from storyline.model import Article, DateMention, Sentence


class LanguageIdentifier(Protocol):
    """Text → (ISO 639-1 code or None, confidence in [0, 1])."""

    def __call__(self, text: str) -> tuple[str | None, float]: ...


class SentenceSplitter(Protocol):
    """Text → sentences with their character offsets."""

    def __call__(self, text: str) -> list[Sentence]: ...


class EntityRecognizer(Protocol):
    """Entity mentions of each article (language and sentences already known), one list per
    article in order; `resolve_entities` groups them into canonical entities. Instances go to
    the ingest workers: keep them picklable (a frozen dataclass of parameters)."""

    def mentions(self, articles: Sequence[Article]) -> list[list[Mention]]: ...


class DateTagger(Protocol):
    """Dates mentioned in a text, resolved against the publication day when known."""

    def __call__(self, text: str, sentences: list[Sentence], language: str | None,
                 reference: date | None) -> list[DateMention]: ...


if TYPE_CHECKING:  # mypy checks here that the built-in components satisfy the Protocols
    from storyline.enrich.language import identify_language
    from storyline.enrich.recognizers import RuleRecognizer, SpacyRecognizer
    from storyline.enrich.sentences import split_sentences
    from storyline.enrich.time import extract_dates

    _RECOGNIZERS: tuple[type[EntityRecognizer], ...] = (RuleRecognizer, SpacyRecognizer)
    _LANGUAGE: LanguageIdentifier = identify_language
    _SENTENCES: SentenceSplitter = split_sentences
    _DATES: DateTagger = extract_dates
