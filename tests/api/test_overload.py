"""Graceful overload against a real server and a real store: expensive work is bounded and the
excess gets a fast 503 with Retry-After, cheap pages go on being served, timelines and searches
are cached until the store changes.

The server runs in this process (uvicorn in a thread) so a test can hold a computation open with
a hook: no timing is asserted, only who is answered what while the hook holds."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from storyline.cli.serve import free_port
from storyline.server import create_app
from storyline.store import Store
from storyline.store import sqlite as store_sqlite
from storyline.summarize import timeline as timeline_module
from tests.api.conftest import make_article

SECURITY_HEADERS = ("content-security-policy", "x-content-type-options", "referrer-policy")


@contextmanager
def serving(db: Path, **options: Any) -> Iterator[str]:
    # No answer budget unless a test sets one: a cold brief on a busy machine may take longer.
    options.setdefault("answer_seconds", 600)
    server = uvicorn.Server(uvicorn.Config(create_app(db, **options), host="127.0.0.1",
                                           port=free_port(), log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("server did not start")
        thread.join(0.05)
    try:
        yield f"http://127.0.0.1:{server.config.port}"
    finally:
        server.should_exit = True
        thread.join()


class Hold:
    """Wraps a function so that each call signals `entered` and waits until `release()`. A
    server whose timelines it holds computes them in its own process (`offload_timelines=False`):
    a hook set here does not reach the timeline process (tests/api/test_offload.py tests that)."""

    def __init__(self, function: Callable[..., Any]) -> None:
        self.function = function
        self.entered = threading.Event()
        self.released = threading.Event()
        self.calls = 0

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.calls += 1
        self.entered.set()
        self.released.wait()
        return self.function(*args, **kwargs)

    def release(self) -> None:
        self.released.set()


@pytest.fixture
def held_timeline(monkeypatch: pytest.MonkeyPatch) -> Iterator[Hold]:
    hold = Hold(timeline_module.build_timeline)
    monkeypatch.setattr(timeline_module, "build_timeline", hold)
    yield hold
    hold.release()


def in_background(url: str) -> tuple[threading.Thread, dict[str, httpx.Response]]:
    answer: dict[str, httpx.Response] = {}
    thread = threading.Thread(target=lambda: answer.setdefault("response", httpx.get(url,
                                                                                      timeout=60)))
    thread.start()
    return thread, answer


def assert_busy(response: httpx.Response) -> None:
    assert response.status_code == 503
    assert int(response.headers["retry-after"]) >= 1
    for header in SECURITY_HEADERS:
        assert header in response.headers


def until_fresh(url: str, tries: int = 600) -> httpx.Response:
    """GET `url` until the answer is not a stale replay (its remake in the background landed)."""
    for _ in range(tries):
        response = httpx.get(url, timeout=60)
        if "x-storyline-stale" not in response.headers:
            return response
        threading.Event().wait(0.05)
    raise AssertionError(f"{url} still stale after {tries} tries")


def until_answered(url: str, tries: int = 600) -> httpx.Response:
    """GET `url` until it is answered 200 (its making outlasted the answer budget before)."""
    for _ in range(tries):
        response = httpx.get(url, timeout=60)
        if response.status_code == 200:
            return response
        assert_busy(response)
        threading.Event().wait(0.05)
    raise AssertionError(f"{url} still not answered after {tries} tries")


def add_ferry_article(db: Path) -> None:
    """Another process writes."""
    with Store(db) as writer:
        writer.add_article(make_article("Ferry timetable changes", "The ferry leaves at "
                                        "nine from Monday.", "Coast Daily", "2024-06-01"))


def test_excess_expensive_requests_get_a_fast_503_while_cheap_pages_are_served(
    db: Path, held_timeline: Hold
) -> None:
    with serving(db, compute_workers=1, offload_timelines=False) as url:
        thread, first = in_background(f"{url}/api/timeline?q=bridge")
        assert held_timeline.entered.wait(60)

        api = httpx.get(f"{url}/api/timeline?q=Vesk", timeout=60)
        assert_busy(api)
        assert api.json()["error"]["code"] == "overloaded"
        page = httpx.get(f"{url}/timeline?q=Vesk", headers={"accept": "text/html"}, timeout=60)
        assert_busy(page)
        assert page.headers["content-type"].startswith("text/html")
        assert "Busy" in page.text

        # The one computation running holds no cheap page up.
        for path in ("/", "/events/ev-bridge", "/api/events/ev-bridge", "/api/events"):
            assert httpx.get(f"{url}{path}", timeout=60).status_code == 200, path

        held_timeline.release()
        thread.join()
        assert first["response"].status_code == 200
        assert first["response"].json()["query"] == "bridge"
        # Shed requests were refused before computing anything.
        assert held_timeline.calls == 1


def test_timelines_are_cached_until_the_store_changes(db: Path, held_timeline: Hold) -> None:
    held_timeline.release()
    # No grace for stale answers: the first request after a change waits for the new one.
    with serving(db, expensive_stale_seconds=0, offload_timelines=False) as url:
        first = httpx.get(f"{url}/api/timeline?q=bridge", timeout=60).json()
        page = httpx.get(f"{url}/timeline?q=bridge", timeout=60)
        assert page.status_code == 200
        again = httpx.get(f"{url}/api/timeline?q=bridge", timeout=60).json()
        assert again == first
        # The page asks with the page's default size, the API with the library's: two entries.
        calls = held_timeline.calls
        assert calls <= 2
        httpx.get(f"{url}/timeline?q=bridge", timeout=60)
        assert held_timeline.calls == calls

        # Another process writes: the next request sees the new article.
        with Store(db) as writer:
            writer.add_article(make_article(
                "Tamsin bridge fully repaired", "The Tamsin bridge was repaired in May. Mayor "
                "Orlanda Vesk thanked the engineers.", "Coast Daily", "2024-05-20"))
        fresh = httpx.get(f"{url}/api/timeline?q=bridge", timeout=60).json()
        assert held_timeline.calls == calls + 1
        assert "2024-05-20" in {entry["date"] for entry in fresh["entries"]}


def test_searches_are_cached_until_the_store_changes(db: Path) -> None:
    with serving(db, expensive_stale_seconds=0) as url:
        assert httpx.get(f"{url}/api/search?q=repaired&mode=fulltext", timeout=60).json() == []
        with Store(db) as writer:
            writer.add_article(make_article(
                "Tamsin bridge fully repaired", "The bridge was repaired in May.",
                "Coast Daily", "2024-05-20"))
        hits = httpx.get(f"{url}/api/search?q=repaired&mode=fulltext", timeout=60).json()
        assert [hit["title"] for hit in hits] == ["Tamsin bridge fully repaired"]


def test_requests_beyond_the_concurrency_wait_a_bounded_time_then_get_a_503(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from storyline import views

    hold = Hold(views.article_detail)
    monkeypatch.setattr(views, "article_detail", hold)
    with serving(db, concurrency=1) as url:
        with Store(db) as store:
            article_id = store.list_articles(limit=1)[0]["id"]
        thread, first = in_background(f"{url}/api/articles/{article_id}")
        try:
            assert hold.entered.wait(60)
            busy = httpx.get(f"{url}/api/events", timeout=60)
            assert_busy(busy)
            # Timelines and searches have a lane of their own.
            assert httpx.get(f"{url}/api/search?q=bridge", timeout=60).status_code == 200
        finally:
            hold.release()
            thread.join()
        assert first["response"].status_code == 200
        assert httpx.get(f"{url}/api/events", timeout=60).status_code == 200


def test_a_store_locked_by_another_writer_is_a_503_with_retry_after(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_sqlite, "DEFAULT_BUSY_TIMEOUT", 0.2)
    with serving(db) as url:
        holder = sqlite3.connect(db, isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")
        try:
            response = httpx.post(
                f"{url}/api/ingest", timeout=60,
                files={"files": ("note.txt", b"Harbour news\n\nThe ferry ran late on Tuesday.")})
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert_busy(response)
        assert response.json()["error"]["code"] == "overloaded"
        # Reading goes on while a writer holds the lock (WAL).
        assert httpx.get(f"{url}/api/events", timeout=60).status_code == 200


def test_answers_are_replayed_from_the_cache_until_the_store_changes(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    counted: list[int] = []
    count_articles = Store.count_articles

    def counting(store: Store) -> int:
        counted.append(1)
        return count_articles(store)

    monkeypatch.setattr(Store, "count_articles", counting)
    with serving(db) as url:
        first = httpx.get(f"{url}/api/articles", timeout=60)
        computed = len(counted)
        again = httpx.get(f"{url}/api/articles", timeout=60)
        assert len(counted) == computed
        assert again.content == first.content
        assert again.headers["x-total-count"] == first.headers["x-total-count"]
        for header in SECURITY_HEADERS:
            assert header in again.headers

        add_ferry_article(db)
        # The answer kept is replayed, marked stale, while it is made anew in the background.
        stale = httpx.get(f"{url}/api/articles", timeout=60)
        assert stale.headers["x-storyline-stale"] == "1"
        assert stale.content == first.content
        fresh = until_fresh(f"{url}/api/articles")
        assert len(counted) == computed + 1  # one remake, however many asked meanwhile
        assert int(fresh.headers["x-total-count"]) == int(first.headers["x-total-count"]) + 1
        assert httpx.get(f"{url}/api/articles", timeout=60).content == fresh.content


def test_while_its_lane_is_full_an_older_answer_is_replayed_marked_stale(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from storyline import views

    hold = Hold(views.article_detail)
    monkeypatch.setattr(views, "article_detail", hold)
    # Past the bound on stale answers (0 s): an overloaded lane still replays the older one.
    with serving(db, concurrency=1, stale_seconds=0) as url:
        before = httpx.get(f"{url}/api/articles", timeout=60)
        with Store(db) as store:
            article_id = store.list_articles(limit=1)[0]["id"]
        add_ferry_article(db)
        thread, held = in_background(f"{url}/api/articles/{article_id}")
        try:
            assert hold.entered.wait(60)
            stale = httpx.get(f"{url}/api/articles", timeout=60)
            assert stale.status_code == 200
            assert stale.headers["x-storyline-stale"] == "1"
            assert stale.headers["x-total-count"] == before.headers["x-total-count"]
            # Nothing kept for this one: refused, not queued.
            assert_busy(httpx.get(f"{url}/api/events", timeout=60))
        finally:
            hold.release()
            thread.join()
        assert held["response"].status_code == 200
        fresh = until_fresh(f"{url}/api/articles")
        assert int(fresh.headers["x-total-count"]) == int(before.headers["x-total-count"]) + 1


def test_a_stale_answer_is_replayed_at_once_while_its_remake_is_held(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from storyline import views

    # A long grace: the cold brief behind the first answer may take seconds on a loaded machine,
    # and an answer older than its grace is made anew by the request, not in the background.
    with serving(db, stale_seconds=600) as url:
        before = httpx.get(f"{url}/api/events/ev-bridge", timeout=60)
        add_ferry_article(db)
        hold = Hold(views.event_summary)
        monkeypatch.setattr(views, "event_summary", hold)
        for _ in range(5):  # none of them waits for the remake, which only one started
            stale = httpx.get(f"{url}/api/events/ev-bridge", timeout=60)
            assert stale.headers["x-storyline-stale"] == "1"
            assert stale.content == before.content
        assert hold.entered.wait(60)
        assert hold.calls == 1
        hold.release()
        assert until_fresh(f"{url}/api/events/ev-bridge").json() == before.json()
        assert hold.calls == 1


def test_an_answer_older_than_its_lanes_bound_is_not_replayed(db: Path) -> None:
    with serving(db, stale_seconds=0) as url:
        before = httpx.get(f"{url}/api/articles", timeout=60)
        add_ferry_article(db)
        after = httpx.get(f"{url}/api/articles", timeout=60)
        assert "x-storyline-stale" not in after.headers
        assert int(after.headers["x-total-count"]) == int(before.headers["x-total-count"]) + 1


def test_an_upload_through_the_server_is_on_the_next_page(db: Path) -> None:
    with serving(db) as url:
        before = httpx.get(f"{url}/api/articles", timeout=60)
        upload = httpx.post(f"{url}/api/ingest", timeout=120, files={
            "files": ("note.txt", b"Harbour news\n\nThe ferry ran late on Tuesday.")})
        assert upload.status_code == 200, upload.text
        after = httpx.get(f"{url}/api/articles", timeout=60)
        assert "x-storyline-stale" not in after.headers
        assert int(after.headers["x-total-count"]) == int(before.headers["x-total-count"]) + 1


def test_an_answer_not_made_within_the_budget_is_a_503_and_kept_for_the_next_request(
    db: Path, held_timeline: Hold
) -> None:
    with serving(db, answer_seconds=0.2, offload_timelines=False) as url:
        late = httpx.get(f"{url}/api/timeline?q=bridge", timeout=60)
        assert_busy(late)
        assert late.json()["error"]["code"] == "overloaded"
        held_timeline.release()
        # The making went on after the 503: its answer is kept, not made again.
        answer = until_answered(f"{url}/api/timeline?q=bridge")
        assert answer.json()["query"] == "bridge"
        assert held_timeline.calls == 1


def test_past_the_budget_the_previous_answer_is_replayed_marked_stale(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No grace for stale answers: only the budget makes the request replay the older one.
    with serving(db, answer_seconds=0.2, expensive_stale_seconds=0,
                 offload_timelines=False) as url:
        before = until_answered(f"{url}/api/timeline?q=bridge")  # a cold start may take longer
        with Store(db) as writer:
            writer.add_article(make_article(
                "Tamsin bridge fully repaired", "The Tamsin bridge was repaired in May. Mayor "
                "Orlanda Vesk thanked the engineers.", "Coast Daily", "2024-05-20"))
        hold = Hold(timeline_module.build_timeline)
        monkeypatch.setattr(timeline_module, "build_timeline", hold)
        try:
            stale = httpx.get(f"{url}/api/timeline?q=bridge", timeout=60)
            assert stale.status_code == 200
            assert stale.headers["x-storyline-stale"] == "1"
            assert stale.content == before.content
            for header in SECURITY_HEADERS:
                assert header in stale.headers
        finally:
            hold.release()
        fresh = until_fresh(f"{url}/api/timeline?q=bridge")
        assert "2024-05-20" in {entry["date"] for entry in fresh.json()["entries"]}
        assert hold.calls == 1
