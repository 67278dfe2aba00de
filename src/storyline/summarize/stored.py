"""What a brief holds, and which stored brief belongs to an event as it is now. Apart from the
brief builder, whose imports (scikit-learn, the cleaner) cost a second: a command that prints a
stored brief reads and renders it without them."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from storyline.model import Event, plain


def brief_key(event: Event) -> str:
    """What a stored brief was built from: its event record (members, roles, date, title)."""
    record = json.dumps(event.to_dict(), sort_keys=True, ensure_ascii=False)
    return hashlib.sha1(record.encode("utf-8")).hexdigest()


@dataclass
class Brief:
    id: str
    title: str
    date: str | None
    place: str | None
    entities: list[dict[str, Any]] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    summary: list[dict[str, Any]] = field(default_factory=list)
    corroborated: list[dict[str, Any]] = field(default_factory=list)
    single_source: list[dict[str, Any]] = field(default_factory=list)
    quotes: list[dict[str, Any]] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)
    # Word-for-word passages two member reports share (a quoted statement, agency copy).
    shared_passages: list[dict[str, Any]] = field(default_factory=list)
    # Independent publishers: an outlet or agency with its reports (copies and updates count once).
    publishers: list[dict[str, Any]] = field(default_factory=list)
    # One fact reported with figures that disagree (death tolls, amounts), side by side.
    conflicts: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return plain(self)
