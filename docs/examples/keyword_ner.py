"""A custom named-entity recognizer for storyline: a newsroom's own list of names.

Load it with a pipeline configuration (`storyline --config newsroom.toml ingest …`):

    plugins = ["keyword_ner"]      # this module, importable (on PYTHONPATH or installed)

    [ner]
    name = "keywords"
    names = ["Lake Varna", "Harbour Authority"]
    entity_type = "organization"
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from storyline.enrich.entities import Mention
from storyline.model import Article
from storyline.registry import register


@register("ner", "keywords")
@dataclass(frozen=True)  # frozen and picklable: the ingest workers get a copy
class KeywordRecognizer:
    names: tuple[str, ...] | list[str] = ()
    entity_type: str = "organization"

    def __post_init__(self) -> None:
        if self.entity_type not in ("person", "organization", "place", "other"):
            raise ValueError(f"unknown entity type {self.entity_type!r}")

    def mentions(self, articles: Sequence[Article]) -> list[list[Mention]]:
        pattern = re.compile("|".join(rf"\b{re.escape(n)}\b" for n in self.names) or r"(?!)")
        return [[Mention(m.start(), m.end(), m.group(), self.entity_type, strong=True)
                 for m in pattern.finditer(article.text)] for article in articles]
