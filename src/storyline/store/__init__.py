"""Storage layer: everything persistent goes through `Store`."""

from storyline.store.sqlite import (
    DEFAULT_BUSY_TIMEOUT,
    EVENT_ORDERS,
    SCHEMA_VERSION,
    EventFilter,
    Store,
    StoreError,
    StoreVersion,
)

__all__ = [
    "BUSY_TIMEOUT_VARIABLE", "EVENT_ORDERS", "SCHEMA_VERSION", "EventFilter", "Store", "StoreError",
    "StoreVersion",
    "busy_timeout_seconds", "open_store",
]


BUSY_TIMEOUT_VARIABLE = "STORYLINE_BUSY_TIMEOUT"


def open_store(path: str | None = None) -> Store:
    """Open the store at `path`, else $STORYLINE_DB, else ./storyline.db, with a write waiting
    `busy_timeout_seconds()` for another process's write."""
    import os

    return Store(path or os.environ.get("STORYLINE_DB") or "storyline.db", busy_timeout_seconds())


def busy_timeout_seconds(default: float = DEFAULT_BUSY_TIMEOUT) -> float:
    """$STORYLINE_BUSY_TIMEOUT, else `default` (settings.STORE_BUSY_TIMEOUT_SECONDS)."""
    import os

    value = os.environ.get(BUSY_TIMEOUT_VARIABLE)
    if value is None:
        return default
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds < float("inf"):
        raise StoreError(f"${BUSY_TIMEOUT_VARIABLE} must be a number of seconds, not {value!r}")
    return seconds
