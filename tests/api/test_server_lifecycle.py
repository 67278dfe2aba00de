"""A server lets go of its store when it stops: a process that serves more than once (`bench
scale` at every checkpoint, the tests) must not keep every earlier server's connections and
their page caches (each served round of the scale bench kept 16-29 MB)."""

from __future__ import annotations

import asyncio
import gc
import sqlite3
from pathlib import Path

import httpx
import pytest

from storyline.server import create_app
from storyline.store import Store
from tests.api.test_overload import serving


def _stores_alive() -> int:
    gc.collect()
    return sum(isinstance(o, Store) for o in gc.get_objects())


def test_servers_served_one_after_another_leave_no_store_behind(db: Path) -> None:
    before = _stores_alive()
    for _ in range(3):
        with serving(db) as url:
            assert httpx.get(f"{url}/api/events").status_code == 200
            assert httpx.get(f"{url}/docs/openapi-3.0.json").json()["openapi"].startswith("3.0")
    assert _stores_alive() == before


def test_the_store_is_closed_when_the_app_shuts_down_even_if_the_app_is_kept(db: Path) -> None:
    app = create_app(db)
    store = app.state.ctx.store

    async def run() -> int:
        async with app.router.lifespan_context(app):
            return store.count_articles()

    assert asyncio.run(run()) == 4
    with pytest.raises(sqlite3.ProgrammingError):
        store.count_articles()
