"""`storyline watch` in process, against a real local HTTP server (storyline.bench.feedserver)
serving feeds and pages that change over time, and a real SQLite store."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from storyline.bench.feedserver import FeedServer, Route, article_page, rss
from storyline.config import PipelineConfig
from storyline.ingest import fetch as fetch_module
from storyline.ingest.fetch import FetchError, HostPacer, fetch
from storyline.store import Store
from storyline.store.watch import WatchState
from storyline.watch import FeedListError, WatchConfig, Watcher, WatchOptions, read_feed_list

BOUNDS = {"max_bytes": 1 << 20, "seconds": 10.0}

RSS_TYPE = "application/rss+xml"


def story(number: int) -> tuple[str, list[str]]:
    """A distinct small story per number (distinct text: distinct article ids)."""
    return (f"Ferry line {number} to Osterholm resumes after repairs", [
        (f"The ferry line number {number} between Velmora and Osterholm carried its first "
        f"passengers in {number + 3} weeks on Monday, after engineers replaced a shaft."),
        (f"The operator said {number * 7 + 40} crossings a week would run again from May, "
        "and that tickets bought for cancelled crossings stay valid until the end of the year."),
    ])


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as running:
        yield running


# Rule-based entities: the watcher is under test, not spaCy.
FAST = PipelineConfig().with_profile("fast")


def publish(server: FeedServer, numbers: list[int], extra: list[dict[str, str]] = ()) -> None:
    items = []
    for number in numbers:
        title, paragraphs = story(number)
        server.route(f"/story/{number}", Route(article_page(title, paragraphs)))
        items.append({"title": title, "link": server.url(f"/story/{number}"),
                      "guid": f"story-{number}"})
    server.route("/feed.xml", Route(rss("Velmora Wire", [*items, *extra]), RSS_TYPE))


def watcher(store: Store, feeds: list[str] = (), folders: list[str] = (), **options: object
            ) -> tuple[Watcher, list[str]]:
    lines: list[str] = []
    events = bool(options.pop("events", False))
    config = WatchConfig(**{"host_delay": 0.0, **options})  # type: ignore[arg-type]
    return Watcher(store, WatchOptions(folders=list(folders), feeds=list(feeds), events=events,
                                       config=config, pipeline_config=FAST),
                   log=lines.append), lines


def urls(store: Store) -> list[str]:
    return sorted(row["url"] for row in store.conn.execute("SELECT url FROM articles"))


def test_feed_items_are_stored_once_and_unchanged_feeds_cost_a_304(
    store: Store, server: FeedServer
) -> None:
    publish(server, [1, 2])
    feed = server.url("/feed.xml")
    counters = watcher(store, [feed])[0].run(once=True)
    assert counters.articles_new == 2 and counters.items_done == 2
    assert urls(store) == sorted([server.url("/story/1"), server.url("/story/2")])
    article = store.get_article(store.list_articles()[0]["id"])
    assert article.outlet == "Velmora Wire" or article.outlet  # the feed names the outlet

    again = watcher(store, [feed])[0].run(once=True)
    assert again.not_modified == 1 and again.items_found == 0
    assert server.hits["/story/1"] == 1, "a page already stored is not fetched again"

    publish(server, [1, 2, 3])  # the feed changes: only the new item is fetched
    later = watcher(store, [feed])[0].run(once=True)
    assert (later.items_found, later.articles_new) == (1, 1)
    assert server.hits["/story/1"] == 1 and server.hits["/story/3"] == 1
    assert len(urls(store)) == 3


def test_last_modified_alone_makes_the_poll_conditional(store: Store, server: FeedServer) -> None:
    publish(server, [1])
    route = server.routes["/feed.xml"]
    route.modified = time.time() - 3600
    watcher(store, [server.url("/feed.xml")])[0].run(once=True)
    assert WatchState(store).feed(server.url("/feed.xml")).last_modified
    # A different body under the same Last-Modified: the server says 304 by date alone.
    route.body = rss("Velmora Wire", [])
    again = watcher(store, [server.url("/feed.xml")])[0].run(once=True)
    assert again.not_modified == 1


def test_redirected_page_is_stored_under_its_final_url(store: Store, server: FeedServer) -> None:
    title, paragraphs = story(5)
    server.route("/moved", Route(redirect="/final"))
    server.route("/final", Route(article_page(title, paragraphs)))
    server.route("/feed.xml", Route(rss("Wire", [{"title": title, "link": server.url("/moved"),
                                                   "guid": "moved"}]), RSS_TYPE))
    watcher(store, [server.url("/feed.xml")])[0].run(once=True)
    stored = store.get_article(store.list_articles()[0]["id"])
    assert stored.source == server.url("/moved")
    assert stored.url == server.url("/final")


def test_misbehaving_pages_fail_with_reasons_then_park(store: Store, server: FeedServer) -> None:
    title, paragraphs = story(9)
    bad = {
        "/slow": Route(article_page(title, paragraphs), trickle=0.05),  # 1 byte / 50 ms
        "/stalled": Route(article_page(title, paragraphs), delay=3),
        "/huge": Route(b"<p>" + b"word " * 1000 + b"</p>", endless=True),
        "/declared-huge": Route(b"x" * 300_000),
        "/hang-up": Route(hang_up=True),
        "/error": Route(b"oops", status=500),
        "/loop": Route(redirect="/loop"),
        "/empty": Route(b"<html><body></body></html>"),
    }
    for path, route in bad.items():
        server.route(path, route)
    publish(server, [1], extra=[{"title": path, "link": server.url(path), "guid": path}
                                for path in bad])
    run, lines = watcher(store, [server.url("/feed.xml")], max_attempts=2, retry_seconds=0,
                         fetch_seconds=1.0, max_fetch_bytes=200_000)
    first = run.run(once=True)
    assert first.articles_new == 1, "the good item goes in whatever the others do"
    assert first.item_failures == len(bad)
    reasons = " ".join(lines)
    for expected in ("too slow", "timed out", "too large", "HTTP 500", "redirect",
                     "cannot fetch"):
        assert expected in reasons, (expected, lines)
    second = watcher(store, [server.url("/feed.xml")], max_attempts=2, retry_seconds=0,
                     fetch_seconds=1.0, max_fetch_bytes=200_000)[0]
    assert second.run(once=True).parked == len(bad)
    status = WatchState(store).status(stale_after=60)
    assert status["items"] == {"pending": 0, "done": 1, "parked": len(bad)}
    assert status["errors"]["item_attempts"] == 2 * len(bad)
    failures = store.conn.execute("SELECT COUNT(*) FROM ingest_log WHERE status='failed'")
    assert failures.fetchone()[0] >= 2 * len(bad), "every failed attempt is logged"
    assert WatchState(store).unpark() == len(bad)


def test_failed_items_wait_doubling_delays(store: Store, server: FeedServer) -> None:
    server.route("/error", Route(b"oops", status=503))
    server.route("/feed.xml", Route(rss("Wire", [{"title": "x", "link": server.url("/error"),
                                                   "guid": "e"}]), RSS_TYPE))
    run, lines = watcher(store, [server.url("/feed.xml")], retry_seconds=100)
    run.run(once=True)
    assert "again in 100 s" in lines[-1]
    # Not due yet: a second pass leaves it alone.
    watcher(store, [server.url("/feed.xml")], retry_seconds=100)[0].run(once=True)
    assert server.hits["/error"] == 1
    store.conn.execute("UPDATE watch_items SET next_attempt = 0")
    run, lines = watcher(store, [server.url("/feed.xml")], retry_seconds=100)
    run.run(once=True)
    assert "again in 200 s" in lines[-1]


def test_a_broken_feed_is_counted_and_the_others_go_on(store: Store, server: FeedServer) -> None:
    publish(server, [1])
    server.route("/broken.xml", Route(b"<html><body>Down for maintenance</body></html>",
                                           content_type=RSS_TYPE))
    server.route("/down.xml", Route(b"", status=502))
    feeds = [server.url("/broken.xml"), server.url("/down.xml"), server.url("/feed.xml")]
    counters = watcher(store, feeds)[0].run(once=True)
    assert counters.poll_failures == 2 and counters.articles_new == 1
    status = WatchState(store).status(stale_after=60)
    by_url = {feed["url"]: feed for feed in status["feeds"]}
    assert by_url[server.url("/down.xml")]["errors"] == 1
    assert "HTTP 502" in by_url[server.url("/down.xml")]["last_error"]
    assert by_url[server.url("/feed.xml")]["last_success"]
    assert status["errors"]["feed_polls"] == 2


def test_entries_without_a_link_are_read_from_the_feed(store: Store, server: FeedServer) -> None:
    title, paragraphs = story(4)
    server.route("/feed.xml", Route(rss("Wire", [{"title": title, "guid": "no-link",
                                                   "description": " ".join(paragraphs)}]),
                                    RSS_TYPE))
    assert watcher(store, [server.url("/feed.xml")])[0].run(once=True).articles_new == 1
    assert store.list_articles()[0]["title"] == title


def test_a_resumed_watcher_fetches_only_what_is_left(store: Store, server: FeedServer) -> None:
    publish(server, [1, 2, 3])
    feed = server.url("/feed.xml")
    first, _ = watcher(store, [feed])
    first._poll(feed)  # found, none fetched yet: as if stopped right after the poll
    first._work(once=True, tried=set())  # handles every due item, the way a step does
    assert len(urls(store)) == 3
    again = watcher(store, [feed])[0].run(once=True)
    assert again.items_done == 0 and again.not_modified == 1
    assert all(server.hits[f"/story/{n}"] == 1 for n in (1, 2, 3))


def write_story(folder: Path, name: str, number: int) -> Path:
    title, paragraphs = story(number)
    path = folder / name
    path.write_text(title + "\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return path


def test_folders_new_changed_and_touched_files(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    path = write_story(folder, "a.txt", 1)
    assert watcher(store, folders=[str(folder)])[0].run(once=True).articles_new == 1
    assert watcher(store, folders=[str(folder)])[0].run(once=True).articles_new == 0
    os.utime(path, ns=(time.time_ns(), time.time_ns() + 10**9))  # touched, same content
    touched = watcher(store, folders=[str(folder)])[0].run(once=True)
    assert (touched.files_changed, touched.articles_new) == (0, 0)
    write_story(folder, "a.txt", 2)  # new content under the old name
    write_story(folder, "b.txt", 3)
    changed = watcher(store, folders=[str(folder)])[0].run(once=True)
    assert (changed.files_changed, changed.articles_new) == (2, 2)
    assert store.count_articles() == 3


def test_a_file_is_read_once_two_scans_agree_on_it(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    write_story(folder, "a.txt", 1)
    run, _ = watcher(store, folders=[str(folder)])
    run._scan_folders(settle=True)
    assert WatchState(store).due_items(time.time(), 10) == [], "one scan saw it: still settling"
    run._scan_folders(settle=True)
    assert len(WatchState(store).due_items(time.time(), 10)) == 1


def test_links_out_of_a_watched_folder_are_refused(store: Store, tmp_path: Path) -> None:
    folder, outside = tmp_path / "inbox", tmp_path / "private"
    folder.mkdir()
    outside.mkdir()
    secret = write_story(outside, "secret.txt", 7)
    (folder / "link.txt").symlink_to(secret)
    counters = watcher(store, folders=[str(folder)], max_attempts=1)[0].run(once=True)
    assert counters.articles_new == 0 and counters.parked == 1


def test_feed_links_to_local_addresses_need_a_local_feed(server: FeedServer) -> None:
    publish(server, [1])
    with pytest.raises(FetchError, match="local or private"):
        fetch(server.url("/story/1"), private=False, **BOUNDS)
    assert fetch(server.url("/story/1"), private=True, **BOUNDS).status == 200
    with pytest.raises(FetchError, match="not an http"):
        fetch("file:///etc/passwd", private=True, **BOUNDS)


def test_the_host_pacer_forgets_hosts_whose_turn_has_come(monkeypatch) -> None:
    monkeypatch.setattr(fetch_module, "PACED_HOSTS_HELD", 4)
    clock = [100.0]
    monkeypatch.setattr(fetch_module.time, "monotonic", lambda: clock[0])
    slept: list[float] = []
    pacer = HostPacer(5.0, lambda seconds: bool(slept.append(seconds)))
    for number in range(20):  # a new host every 10 s: each turn has come when the next asks
        clock[0] += 10
        assert pacer.wait(f"http://host{number}.example/a")
    assert slept == [] and len(pacer._last) <= 4
    pacer.wait("http://host19.example/b")  # asked again at once: still paced
    assert slept == [5.0]


def test_feed_list_file(tmp_path: Path) -> None:
    listing = tmp_path / "feeds.txt"
    listing.write_text("# wires\nhttp://example.org/a.xml\n\n  https://example.org/b  \n"
                       "http://example.org/a.xml\n")
    assert read_feed_list(str(listing)) == ["http://example.org/a.xml", "https://example.org/b"]
    listing.write_text("http://example.org/a.xml\nftp://example.org/x\n")
    with pytest.raises(FeedListError, match=r"feeds.txt:2: not an http\(s\) URL"):
        read_feed_list(str(listing))


def test_events_are_updated_in_small_batches(store: Store, server: FeedServer) -> None:
    publish(server, list(range(5)))
    counters = watcher(store, [server.url("/feed.xml")], events=True, event_batch=2
                       )[0].run(once=True)
    assert counters.event_updates >= 2
    members = store.conn.execute("SELECT COUNT(*) FROM event_members").fetchone()[0]
    assert members == store.count_articles() == 5
