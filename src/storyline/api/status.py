"""GET /api/status: what `storyline watch` on this store is doing (it runs as its own process
and writes its progress to the store, which this route reads)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from storyline.store.watch import WatchState

router = APIRouter(prefix="/api")


@router.get("/status", summary="Watcher status: queue depth, last success per feed, errors")
def status(request: Request) -> dict[str, Any]:
    context = request.app.state.ctx
    return {
        "articles": context.store.count_articles(),
        "watch": WatchState(context.store).status(
            stale_after=context.config.watch_stale_seconds),
    }
