"""Events: near-duplicates, online clustering, storylines (placeholder)."""

from __future__ import annotations

from storyline.store import Store


def update_events(store: Store) -> None:
    """Cluster stored articles that are not in an event yet."""
