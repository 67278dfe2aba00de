"""REST API under /api: the same JSON shapes as the CLI's `--json` output.

Lists are paginated with `limit`/`offset` and carry the total in the `X-Total-Count` header, so the
body keeps exactly the CLI's shape (a JSON list).
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import os
import re
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, Response, UploadFile

from storyline import views
from storyline.api.errors import ApiError, documented_errors
from storyline.ingest import is_inside
from storyline.service.context import NotFound, ServerContext
from storyline.store import EventFilter

router = APIRouter(prefix="/api", responses=documented_errors(404, 413, 422))

Limit = Annotated[int, Query(ge=1, le=500, description="page size")]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="items to skip")]
SearchText = Annotated[str, Query(min_length=1, max_length=500)]

# An uploaded file's name keeps only these characters, so it can never leave the upload folder.
SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
UPLOAD_CHUNK = 1024 * 1024
# Beside the store (as SQLite's own -wal and -shm): held by the request writing to the store. Not
# the store file itself: closing any descriptor of it would drop SQLite's locks on it.
WRITER_LOCK_SUFFIX = "-ingest.lock"


def ctx(request: Request) -> ServerContext:
    return request.app.state.ctx


def page(response: Response, items: list[Any], limit: int, offset: int) -> list[Any]:
    response.headers["X-Total-Count"] = str(len(items))
    return items[offset : offset + limit]


@router.get("/articles", summary="List articles (newest first)")
def list_articles(
    request: Request, response: Response, limit: Limit = 50, offset: Offset = 0,
    language: Annotated[str | None, Query(max_length=16)] = None,
    outlet: Annotated[str | None, Query(max_length=200)] = None,
) -> list[dict[str, Any]]:
    store = ctx(request).store
    response.headers["X-Total-Count"] = str(store.count_articles())
    rows = store.list_articles(limit=limit, offset=offset, language=language, outlet=outlet)
    return [views.article_summary(r) for r in rows]


@router.get("/articles/{article_id}", summary="One article with its enrichment")
def get_article(request: Request, article_id: str) -> dict[str, Any]:
    return ctx(request).article(article_id)


@router.get("/events", summary="List events, newest first, with optional filters")
def list_events(
    request: Request, response: Response, limit: Limit = 50, offset: Offset = 0,
    date_from: Annotated[dt.date | None, Query(alias="from")] = None,
    date_to: Annotated[dt.date | None, Query(alias="to")] = None,
    language: Annotated[str | None, Query(max_length=16)] = None,
    outlet: Annotated[str | None, Query(max_length=200)] = None,
    entity: Annotated[str | None, Query(max_length=200)] = None,
    min_articles: Annotated[int, Query(ge=1, le=10_000, description="at least this many reports")] = 1,
    dated: Annotated[bool | None, Query(description="only dated (true) or undated (false)")] = None,
    sort: Annotated[str, Query(pattern="^(date|size|outlets)$")] = "date",
) -> list[dict[str, Any]]:
    where = EventFilter(
        date_from=date_from.isoformat() if date_from else None,
        date_to=date_to.isoformat() if date_to else None,
        language=language, outlet=outlet, min_articles=min_articles, dated=dated,
    )
    events, total, _ = ctx(request).events(where, sort, limit, offset, entity=entity)
    response.headers["X-Total-Count"] = str(total)
    return [views.event_summary(e) for e in events]


@router.get("/events/{event_id}", summary="One event with its brief (307: merged into "
            "another event, at Location)", responses=documented_errors(307, 503))
def get_event(request: Request, event_id: str) -> dict[str, Any]:
    return ctx(request).event_detail(event_id)


@router.get("/storylines", summary="List storylines")
def list_storylines(
    request: Request, response: Response, limit: Limit = 50, offset: Offset = 0
) -> list[dict[str, Any]]:
    storylines = ctx(request).store.list_storylines()
    return page(response, [views.storyline_summary(s) for s in storylines], limit, offset)


@router.get("/storylines/{storyline_id}", summary="One storyline")
def get_storyline(request: Request, storyline_id: str) -> dict[str, Any]:
    return ctx(request).storyline(storyline_id)


@router.get("/entities", summary="Canonical entities with mention and article counts")
def list_entities(
    request: Request, response: Response, limit: Limit = 50, offset: Offset = 0,
    type: Annotated[str | None, Query(max_length=40, description="person, place, ...")] = None,
    language: Annotated[str | None, Query(max_length=16, description="seen in articles in")] = None,
    q: Annotated[str | None, Query(max_length=200, description="name contains")] = None,
) -> list[dict[str, Any]]:
    store = ctx(request).store
    response.headers["X-Total-Count"] = str(store.count_entities(type, language, q))
    return store.list_entities(limit=limit, offset=offset, type=type, language=language, name=q)


@router.get("/entities/{entity_id}", summary="One entity and its events over time")
def get_entity(request: Request, entity_id: str) -> dict[str, Any]:
    return ctx(request).entity(entity_id)


@router.get("/timeline", summary="Dated, cited timeline for an entity or keywords",
            responses=documented_errors(503))
def timeline(
    request: Request,
    q: SearchText,
    date_from: Annotated[dt.date | None, Query(alias="from")] = None,
    date_to: Annotated[dt.date | None, Query(alias="to")] = None,
    dates: Annotated[int | None, Query(ge=1, le=100)] = None,
    sentences: Annotated[int | None, Query(ge=1, le=20)] = None,
) -> dict[str, Any]:
    return ctx(request).timeline(
        q, start=date_from.isoformat() if date_from else None,
        end=date_to.isoformat() if date_to else None, dates=dates, sentences=sentences,
    )


@router.get("/search", summary="Full-text and semantic search over articles",
            responses=documented_errors(503))
def search(
    request: Request, q: SearchText, limit: Limit = 20,
    mode: Annotated[str, Query(pattern="^(fulltext|semantic|both)$")] = "both",
) -> list[dict[str, Any]]:
    return ctx(request).search(q, mode=mode, limit=limit)


@router.get("/similarity", summary="SemEval-2022 Task 8 similarity of two articles (1..4)")
def similarity(
    request: Request,
    a: Annotated[str, Query(min_length=1, max_length=64)],
    b: Annotated[str, Query(min_length=1, max_length=64)],
) -> dict[str, Any]:
    from storyline.events.similarity import SimilarityConfig, pair_similarity

    store = ctx(request).store
    first, second = store.get_article(a), store.get_article(b)
    if first is None:
        raise NotFound("article", a)
    if second is None:
        raise NotFound("article", b)
    return pair_similarity(first, second,
                           config=ctx(request).pipeline.section(SimilarityConfig))


@router.post(
    "/ingest", summary="Ingest uploaded files, or a path inside the ingest folder",
    responses=documented_errors(400, 401, 403, 413, 429),
)
def ingest(
    request: Request,
    files: Annotated[list[UploadFile] | None, File(description="files to ingest")] = None,
    path: Annotated[str | None, Form(max_length=1000)] = None,
) -> dict[str, Any]:
    from storyline.pipeline import ingest as run_ingest

    context = ctx(request)
    sources: list[str] = []
    if path:
        sources.append(_inside_ingest_dir(context, path))
    for upload in files or []:
        sources.append(str(_save_upload(context, upload)))
    if not sources:
        raise ApiError(400, "nothing_to_ingest", "send files (multipart 'files') or a 'path'")
    # No forked workers inside a threaded server: forking copies other threads' locks.
    # Every file read must really lie in one of these folders, whatever links it went through.
    roots = [str(folder) for folder in (context.ingest_dir, context.upload_dir) if folder]
    # One writer path: two requests' ingests and event updates interleaved on the shared store
    # connection answered 500 under parallel uploads. A lock on a file, so requests to other
    # worker processes of the server take their turn too (each open file is a lock of its own,
    # so threads of one process wait for each other as well).
    with open(f"{context.store.path}{WRITER_LOCK_SUFFIX}", "wb") as writer_lock:
        fcntl.flock(writer_lock, fcntl.LOCK_EX)
        report = run_ingest(sources, context.store, parallel=False, allowed_roots=roots)
    return {
        "new": report.new,
        "duplicate": report.duplicate,
        "failed": [{"source": f.source, "reason": f.reason} for f in report.failed],
    }


def _inside_ingest_dir(context: ServerContext, relative: str) -> str:
    """The real path of `relative` in the ingest folder; any bad path is a 4xx, never a 500."""
    if context.ingest_dir is None:
        raise ApiError(403, "ingest_paths_disabled",
                       "server-side paths are disabled; start the server with --ingest-dir")
    if "\0" in relative:
        raise ApiError(400, "invalid_path", "path contains a NUL byte")
    root = str(context.ingest_dir)
    # realpath, not Path.resolve: it never raises on a link loop, the stat below reports it.
    target = os.path.realpath(os.path.join(root, relative))
    if not is_inside(target, [root]):
        raise ApiError(403, "path_outside_ingest_dir", "path must stay inside the ingest folder")
    try:
        os.stat(target)
    except (FileNotFoundError, NotADirectoryError):
        raise ApiError(404, "not_found", "no such file or folder in the ingest folder") from None
    except OSError as error:  # a name too long, a link loop, no permission...
        raise ApiError(400, "invalid_path", f"unusable path: {error.strerror or error}") from None
    return target


def _save_upload(context: ServerContext, upload: UploadFile) -> Path:
    """Store the upload under a content-hashed, sanitised name inside the upload folder."""
    assert context.upload_dir is not None
    context.upload_dir.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    chunks = []
    while chunk := upload.file.read(UPLOAD_CHUNK):
        digest.update(chunk)
        chunks.append(chunk)
    name = SAFE_NAME.sub("_", Path(upload.filename or "upload").name).strip("._") or "upload"
    target = context.upload_dir / f"{digest.hexdigest()[:16]}-{name[:100]}"
    target.write_bytes(b"".join(chunks))
    return target
