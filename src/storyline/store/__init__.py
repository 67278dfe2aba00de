"""Storage layer: everything persistent goes through `Store`."""

from storyline.store.sqlite import SCHEMA_VERSION, EventFilter, Store, StoreError

__all__ = ["SCHEMA_VERSION", "EventFilter", "Store", "StoreError", "open_store"]


def open_store(path: str | None = None) -> Store:
    """Open the store at `path`, else $STORYLINE_DB, else ./storyline.db."""
    import os

    return Store(path or os.environ.get("STORYLINE_DB") or "storyline.db")
