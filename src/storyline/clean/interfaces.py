"""The clean stage's component interface (built-ins and how to register others:
`storyline.registry`, docs/architecture.md)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from storyline.model import Article, RawDocument


class Cleaner(Protocol):
    """A document as read → a clean article (every removed line kept with its reason); the same
    content always gets the same id."""

    def __call__(self, doc: RawDocument, now: datetime | None = None) -> Article: ...


if TYPE_CHECKING:  # mypy checks here that the built-in cleaner satisfies the Protocol
    from storyline.clean.article import ArticleCleaner, build_article

    _CLEANER: Cleaner = build_article
    _COMPONENT: Cleaner = ArticleCleaner()
