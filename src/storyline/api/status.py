"""GET /api/status: what `storyline watch` on this store is doing (it runs as its own process
and writes its progress to the store, which this route reads)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from storyline import settings
from storyline.store.watch import WatchState

router = APIRouter(prefix="/api")


@router.get("/status", summary="Watcher status: queue depth, last success per feed, errors")
def status(request: Request) -> dict[str, Any]:
    store = request.app.state.ctx.store
    return {
        "articles": store.count_articles(),
        "watch": WatchState(store).status(stale_after=settings.WATCH_STALE_SECONDS),
    }
