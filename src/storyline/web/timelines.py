"""What the storyline timeline page and its download share: the timeline of a storyline (kept
apart from pages.py so that downloads need not import the pages that link to them)."""

from __future__ import annotations

from typing import Any

from storyline.model import Storyline
from storyline.service.context import ServerContext
from storyline.web.listing import TimelineControls


def entity_names(context: ServerContext, entity_ids: list[str]) -> dict[str, str]:
    """Display names of entities by id (the id's name part for one the store lacks)."""
    names = {}
    for entity_id in dict.fromkeys(entity_ids):
        entity = context.store.get_entity(entity_id)
        names[entity_id] = entity["name"] if entity else entity_id.split(":", 1)[-1]
    return names


def storyline_timeline(
    context: ServerContext, storyline: Storyline, controls: TimelineControls
) -> dict[str, Any]:
    """The timeline of a storyline's events' articles, for its title and shared entities (as
    a dict, computed once per store version)."""
    from storyline.summarize.timeline import TimelineConfig, summarize_timeline

    names = entity_names(context, storyline.entities)

    def compute() -> dict[str, Any]:
        events = context.store.get_events(storyline.events)
        articles = context.store.get_articles((a for e in events for a in e.article_ids), raw=False)
        return summarize_timeline(
            articles, [storyline.title, *names.values()], controls.dates,
            controls.sentences, controls.date_from or None, controls.date_to or None,
            config=context.pipeline.section(TimelineConfig),
        ).to_dict()

    return context.expensive(("storyline timeline", storyline.id, controls), compute, "timeline")
