"""The events stage's component interfaces (built-ins and how to register others:
`storyline.registry`, docs/architecture.md)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, MutableMapping
from typing import TYPE_CHECKING, Any, Protocol

from storyline.model import Article, Event, Storyline

if TYPE_CHECKING:
    from storyline.store import Store
    from storyline.vectors import Vector


class Clusterer(Protocol):
    """The event clusterer, an estimator in the scikit-learn sense: parameters in the
    constructor, learned state in attributes ending in `_`, `fit` for a rebuild and
    `partial_fit` for the stream. `storyline.events` keeps the learned state in the store's
    row tables between runs (`header`/`from_header` for the small part, the mappings for the
    rows), so a component must keep its state in these attributes; in practice a new clusterer
    subclasses `storyline.events.cluster.EventClusterer` and changes how it scores or assigns."""

    encoder: str
    features_: MutableMapping[str, Any]
    events_: MutableMapping[str, Any]
    assignment_: MutableMapping[str, str]
    changed_: dict[str, None]

    def fit(self, articles: Iterable[Article], vectors: dict[str, Vector] | None = None
            ) -> Any: ...

    def partial_fit(self, articles: Iterable[Article],
                    vectors: dict[str, Vector] | None = None) -> Any: ...

    def consolidate(self) -> None: ...

    def forget(self, article_ids: Iterable[str]) -> Any: ...

    def to_events(self, articles: dict[str, Article], event_ids: Iterable[str] | None = None
                  ) -> list[Event]: ...

    def header(self) -> dict[str, Any]: ...

    def rows(self) -> dict[str, dict[str, Any]]: ...


class StorylineLinker(Protocol):
    """Events (and their member articles) → storylines linking events over time."""

    def __call__(self, events: list[Event], articles: Mapping[str, Article]
                 ) -> list[Storyline]: ...


class Deduplicator(Protocol):
    """Marks the copies among an event's member articles (in place), with the copy index."""

    def __call__(self, events: list[Event], articles: Mapping[str, Article], *args: Any
                 ) -> Any: ...


class BriefWriter(Protocol):
    """How the events an update changed get their briefs (the pipeline hands it
    `summarize.event_briefs.EventBriefs`): they are stored in the update's saving transaction,
    so a reader never sees an event without its brief; events only know this interface."""

    def key(self, event: Event) -> str:
        """What the event's brief is built from: a brief stored under another key is stale."""

    def build(self, store: Store, event: Event, members: list[Article]) -> dict[str, Any]:
        """The brief of `event` as stored (it may read its members' stored sentence vectors)."""


if TYPE_CHECKING:  # mypy checks here that the built-in clusterer satisfies the Protocol
    from storyline.events.cluster import EventClusterer

    _BUILT_IN: type[Clusterer] = EventClusterer
