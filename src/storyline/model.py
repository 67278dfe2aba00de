"""Plain dataclasses that flow through the pipeline stages.

Every stage reads and fills these; the store persists them with `to_dict`/`from_dict`, so a field
added here round-trips through SQLite, the CLI's JSON and the REST API without further code.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime
import hashlib
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

PublishedSource = Literal["metadata", "text", "inferred"]
EntityType = Literal["person", "organization", "place", "other"]
Granularity = Literal["day", "month", "year"]
MemberRole = Literal["origin", "copy", "independent"]


@dataclass
class RawDocument:
    """What a reader delivers: one document before cleaning.

    `text` is already flattened to plain text (HTML readers extract it); `metadata` carries what
    the container knew (title, url, date, outlet, author) so the cleaner does not guess those.
    """

    source: str
    text: str
    format: str
    raw: str = ""
    title: str | None = None
    url: str | None = None
    published: str | None = None
    outlet: str | None = None
    byline: str | None = None
    language: str | None = None
    # True when `text` came out of an extractor that already removed page boilerplate.
    extracted: bool = False


@dataclass
class ReadFailure:
    """A file (or record inside one) that could not be read, with a one-line reason."""

    source: str
    reason: str


@dataclass
class Removed:
    text: str
    reason: str


@dataclass
class Sentence:
    text: str
    start: int
    end: int


@dataclass
class Entity:
    """A canonical entity as it appears in one article (ids are global across articles)."""

    id: str
    name: str
    type: EntityType
    aliases: list[str] = field(default_factory=list)
    salience: float = 0.0
    mentions: int = 0


@dataclass
class DateMention:
    text: str
    value: str
    granularity: Granularity
    sentence: int
    start: int = 0


@dataclass
class Quote:
    text: str
    speaker: str | None
    speaker_id: str | None = None
    verb: str | None = None
    sentence: int | None = None


@dataclass
class Article:
    id: str
    source: str
    title: str
    text: str
    url: str | None = None
    outlet: str | None = None
    byline: str | None = None
    dateline: str | None = None
    published: str | None = None
    published_source: PublishedSource | None = None
    published_confidence: float | None = None
    published_reason: str | None = None
    language: str | None = None
    language_confidence: float | None = None
    removed: list[Removed] = field(default_factory=list)
    raw: str = ""
    sentences: list[Sentence] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    ingested_at: str | None = None

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in self.text.split("\n\n") if p.strip()]

    def to_dict(self) -> dict[str, Any]:
        return plain(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        return _from_dict(cls, data)


@dataclass
class EventMember:
    article_id: str
    role: MemberRole = "independent"
    copy_of: str | None = None
    scores: dict[str, float] = field(default_factory=dict)


@dataclass
class Event:
    id: str
    title: str
    date: str | None = None
    place: str | None = None
    entities: list[str] = field(default_factory=list)
    members: list[EventMember] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)

    @property
    def article_ids(self) -> list[str]:
        return [m.article_id for m in self.members]

    def to_dict(self) -> dict[str, Any]:
        return plain(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Event:
        return _from_dict(cls, data)


# An event's id names the report that founded it, with a '+' for each earlier event that report
# founded (it split off, then founded another): a merged event's old address can be followed to
# the event now holding its founder.
EVENT_ID_PREFIX = "ev-"


def founder_event_id(article_id: str) -> str:
    return EVENT_ID_PREFIX + article_id


def event_founder(event_id: str) -> str | None:
    """The id of the report that founded the event `event_id` (None: not an id we gave)."""
    if not event_id.startswith(EVENT_ID_PREFIX):
        return None
    return event_id.removeprefix(EVENT_ID_PREFIX).rstrip("+") or None


@dataclass
class Storyline:
    id: str
    title: str
    events: list[str] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)
    score: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return plain(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Storyline:
        return _from_dict(cls, data)


# Values `plain` returns as they are (immutable), and the field names of each dataclass seen.
_ATOMS = frozenset({str, int, float, bool, type(None)})
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}
# The same as sets, for `_from_dict` (reading the store rebuilds thousands of these).
_FIELD_SETS: dict[type, frozenset[str]] = {}


def plain(value: Any) -> Any:
    """`dataclasses.asdict` of a dataclass made of these plain types (nested dataclasses, lists,
    dicts, tuples, atoms), built the same way without its generic per-value work: storing an
    article and its event's brief serialises thousands of values, and `asdict` was a tenth of
    an ingest. Other values are deep-copied, as `asdict` does."""
    kind = type(value)
    if kind in _ATOMS:
        return value
    names = _FIELD_NAMES.get(kind)
    if names is None and dataclasses.is_dataclass(kind):
        names = _FIELD_NAMES[kind] = tuple(f.name for f in dataclasses.fields(kind))
    if names is not None:
        return {name: plain(getattr(value, name)) for name in names}
    if kind is list:
        return [plain(item) for item in value]
    if kind is dict:
        return {plain(key): plain(item) for key, item in value.items()}
    if kind is tuple:
        return tuple(plain(item) for item in value)
    return copy.deepcopy(value)


def content_id(text: str, title: str = "") -> str:
    """Stable article id: the same content always gets the same id, whatever file it came from."""
    normalized = " ".join((title + "\n" + text).split()).casefold()
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest()[:16]


def parse_day(value: str | None) -> datetime.date | None:
    """The day of an ISO date or datetime string (`published`, an event's `date`), or None."""
    if not value or len(value) < 10:
        return None
    try:
        return datetime.date.fromisoformat(value[:10])
    except ValueError:
        return None


T = TypeVar("T")


def _from_dict(cls: type[T], data: dict[str, Any]) -> T:
    """Rebuild nested dataclasses; unknown keys are ignored so old rows survive new fields."""
    names = _FIELD_SETS.get(cls)
    if names is None:
        names = _FIELD_SETS[cls] = frozenset(f.name for f in dataclasses.fields(cls))  # type: ignore[arg-type]
    kwargs: dict[str, Any] = {}
    for name, value in data.items():
        if name not in names:
            continue
        nested = _NESTED.get((cls.__name__, name))
        if nested is not None and value is not None:
            value = [_from_dict(nested, item) for item in value]
        kwargs[name] = value
    return cls(**kwargs)


_NESTED: dict[tuple[str, str], type] = {
    ("Article", "removed"): Removed,
    ("Article", "sentences"): Sentence,
    ("Article", "entities"): Entity,
    ("Article", "dates"): DateMention,
    ("Article", "quotes"): Quote,
    ("Event", "members"): EventMember,
}
