"""The real `storyline watch` process: SIGTERM stops it cleanly, /api/status of `storyline serve`
shows its progress, and SIGKILL at chosen points (testhooks) loses and doubles nothing."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from storyline.bench.feedserver import FeedServer, Route, article_page, rss
from storyline.cli.serve import free_port, start_server, stop_process
from storyline.testhooks import KILL_VARIABLE
from tests.cli.helpers import run_storyline, storyline_command

STORIES = 6
WATCH_ARGS = ("--host-delay", "0", "--retry-seconds", "0", "--fast")


def story(number: int) -> tuple[str, list[str]]:
    return (f"Osterholm lighthouse {number} relit after a year", [
        (f"The keepers of lighthouse number {number} on the Osterholm cape lit its lamp again "
        f"on Sunday, {number + 11} months after a storm broke the lens, the coast guard said."),
        (f"A new lens cost {number * 300 + 9000} crowns, paid by the island's {number + 4} "
        "fishing cooperatives, whose boats had to sail around the cape by daylight since."),
    ])


@pytest.fixture
def feed(tmp_path: Path) -> Iterator[tuple[FeedServer, Path]]:
    """A server with STORIES items and one broken one, and the feed list naming it."""
    with FeedServer() as server:
        items = []
        for number in range(STORIES):
            title, paragraphs = story(number)
            server.route(f"/s/{number}", Route(article_page(title, paragraphs)))
            items.append({"title": title, "link": server.url(f"/s/{number}"),
                          "guid": f"s{number}"})
        server.route("/broken", Route(b"gone", status=500))
        items.append({"title": "broken", "link": server.url("/broken"), "guid": "broken"})
        server.route("/feed.xml", Route(rss("Cape Wire", items), "application/rss+xml"))
        listing = tmp_path / "feeds.txt"
        listing.write_text(f"# test feeds\n{server.url('/feed.xml')}\n")
        yield server, listing


def stored_urls(db: Path) -> list[str]:
    try:
        with sqlite3.connect(db, timeout=30) as connection:
            return sorted(row[0] for row in connection.execute("SELECT url FROM articles"))
    except sqlite3.OperationalError:  # not created yet
        return []


def assert_complete(db: Path, server: FeedServer) -> None:
    """Every story stored exactly once, each in one event, and `storyline check` agrees."""
    assert stored_urls(db) == sorted(server.url(f"/s/{n}") for n in range(STORIES))
    with sqlite3.connect(db) as connection:
        members = connection.execute("SELECT COUNT(*) FROM event_members").fetchone()[0]
    assert members == STORIES
    check = run_storyline(db, "check")
    assert check.returncode == 0, check.stdout + check.stderr


@pytest.mark.parametrize("point", ["watch.fetched:3", "watch.stored:3", "events.saving:1"])
def test_sigkill_at_a_chosen_point_loses_and_doubles_nothing(
    tmp_path: Path, feed: tuple[FeedServer, Path], point: str
) -> None:
    server, listing = feed
    db = tmp_path / "store.db"
    args = ("watch", "--feeds", str(listing), "--once", "--event-batch", "2", *WATCH_ARGS)
    killed = run_storyline(db, *args, env={KILL_VARIABLE: point})
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert len(stored_urls(db)) < STORIES
    resumed = run_storyline(db, *args)
    assert resumed.returncode == 0, resumed.stderr
    assert_complete(db, server)
    name = point.split(":")[0]
    if name == "watch.fetched":  # the killed fetch is the only page fetched twice
        assert sum(server.hits[f"/s/{n}"] for n in range(STORIES)) == STORIES + 1


def test_sigterm_stops_cleanly_and_status_shows_progress(
    tmp_path: Path, feed: tuple[FeedServer, Path]
) -> None:
    server, listing = feed
    db = tmp_path / "store.db"
    process = subprocess.Popen(
        storyline_command(db, "watch", "--feeds", str(listing), "--max-attempts", "2",
                          "--event-seconds", "0", *WATCH_ARGS),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        deadline = time.monotonic() + 300  # a loaded machine starts slowly
        while len(stored_urls(db)) < 2:
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "watch stored nothing within five minutes"
            time.sleep(0.2)
        port = free_port()
        served = start_server(str(db), port)
        try:
            status = httpx.get(f"http://127.0.0.1:{port}/api/status", timeout=30).json()
        finally:
            stop_process(served)
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert "items done" in out
    watch = status["watch"]
    assert watch["watching"] is True
    assert watch["feeds"][0]["url"] == server.url("/feed.xml")
    assert watch["feeds"][0]["last_success"]
    assert watch["queue_depth"] + watch["items"]["done"] + watch["items"]["parked"] == STORIES + 1
    resumed = run_storyline(db, "watch", "--feeds", str(listing), "--once", "--json",
                            "--max-attempts", "2", *WATCH_ARGS)
    assert resumed.returncode == 0, resumed.stderr
    assert_complete(db, server)
    assert all(server.hits[f"/s/{n}"] == 1 for n in range(STORIES)), server.hits
    assert "FAILED" in err + resumed.stderr and "HTTP 500" in err + resumed.stderr


def test_bad_arguments_are_one_line_errors(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    nothing = run_storyline(db, "watch")
    assert nothing.returncode == 1 and "nothing to watch" in nothing.stderr
    missing = run_storyline(db, "watch", str(tmp_path / "absent"))
    assert missing.returncode == 1 and "not a folder" in missing.stderr
    listing = tmp_path / "feeds.txt"
    listing.write_text("gopher://old.example/feed\n")
    bad = run_storyline(db, "watch", "--feeds", str(listing))
    assert bad.returncode == 1 and "feeds.txt:1: not an http(s) URL" in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1
