"""The briefs an event update stores (`events.interfaces.BriefWriter`): the pipeline builds
one from its configuration and hands it to `events.update_events` / `events.recluster`, which
store the briefs of the events they change in their saving transaction. Events know only the
interface, so they do not import this stage."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from storyline.model import Article, Event
from storyline.summarize.stored import brief_key

if TYPE_CHECKING:
    from storyline.store import Store
    from storyline.summarize.interfaces import Summarizer
    from storyline.summarize.vectors import ClaimEncoding


@dataclass(frozen=True)
class EventBriefs:
    """The configured summarizer, with the configuration's claim matching."""

    summarizer: Summarizer
    claims: ClaimEncoding

    def key(self, event: Event) -> str:
        return brief_key(event)

    def build(self, store: Store, event: Event, members: list[Article]) -> dict[str, Any]:
        # Members' sentences were encoded when they were stored: read, not encoded again.
        self.claims.remember_stored(store, members)
        return self.summarizer(event, members, encoding=self.claims).to_dict()
