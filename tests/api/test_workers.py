"""`storyline serve --workers N`: a real server of forked worker processes on a real store.

Which worker a new connection reaches is the kernel's choice; a test that needs a given worker
stops the other one (SIGSTOP: it accepts nothing until SIGCONT), so the answer is certain."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from storyline.api.cache import LastUpload
from storyline.api.guard import TokenBuckets
from storyline.cli.serve import free_port, start_server, stop_process

STORY = b"Harbour news\n\nThe Kestra ferry ran late on Tuesday, the harbour office said."


@contextmanager
def serving(db: Path, *args: str) -> Iterator[tuple[str, subprocess.Popen]]:
    port = free_port()
    process = start_server(str(db), port, extra_args=("--workers", "2", *args))
    try:
        yield f"http://127.0.0.1:{port}", process
    finally:
        stop_process(process)


def workers_of(server: subprocess.Popen, expected: int = 2) -> list[int]:
    """The worker processes' ids, once `expected` of them run."""
    for _ in range(600):
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
        if len(children) == expected:
            return [int(pid) for pid in children]
        time.sleep(0.05)
    raise AssertionError(f"the server does not have {expected} workers")


@contextmanager
def only(worker: int, workers: list[int]) -> Iterator[None]:
    """Every new connection is answered by `worker`: the others are stopped meanwhile."""
    others = [pid for pid in workers if pid != worker]
    for pid in others:
        os.kill(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        for pid in others:
            os.kill(pid, signal.SIGCONT)


def article_count(url: str) -> tuple[int, bool]:
    response = httpx.get(f"{url}/api/articles", timeout=60)  # a new connection each time
    assert response.status_code == 200
    return int(response.headers["x-total-count"]), "x-storyline-stale" in response.headers


def test_an_upload_through_one_worker_is_on_the_next_page_of_every_other(db: Path) -> None:
    with serving(db) as (url, server):
        first, second = workers = workers_of(server)
        for worker in workers:  # each keeps the list in its cache
            with only(worker, workers):
                before, _ = article_count(url)
                assert article_count(url) == (before, False)
        with only(first, workers):
            upload = httpx.post(f"{url}/api/ingest", timeout=120,
                                files={"files": ("ferry.txt", STORY, "text/plain")})
            assert upload.status_code == 200, upload.text
            assert len(upload.json()["new"]) == 1
        with only(second, workers):
            # Its kept answer was made before the upload: never replayed, not even as stale.
            assert article_count(url) == (before + 1, False)


def test_uploads_are_rate_limited_once_across_all_workers(db: Path) -> None:
    with serving(db, "--ingest-burst", "2", "--ingests-per-minute", "0.1") as (url, server):
        workers = workers_of(server)
        statuses = []
        for number, worker in enumerate([*workers, *workers]):
            with only(worker, workers):
                response = httpx.post(f"{url}/api/ingest", timeout=120, files={
                    "files": (f"f{number}.txt", STORY + str(number).encode(), "text/plain")})
                statuses.append(response.status_code)
        # One burst of 2 for the client, not one per worker.
        assert statuses == [200, 200, 429, 429], statuses


def test_a_worker_that_dies_is_replaced_and_the_server_stops_cleanly(db: Path) -> None:
    with serving(db) as (url, server):
        workers = workers_of(server)
        os.kill(workers[0], signal.SIGKILL)
        for _ in range(600):
            replaced = workers_of(server)
            if workers[0] not in replaced:
                break
            time.sleep(0.05)
        assert workers[0] not in replaced and workers[1] in replaced
        with only(next(pid for pid in replaced if pid != workers[1]), replaced):
            assert httpx.get(f"{url}/api/events", timeout=60).status_code == 200
        server.terminate()
        assert server.wait(timeout=60) == 0
        for pid in replaced:
            assert not Path(f"/proc/{pid}").exists() or "Z" in _state(pid)
    stderr = server.stderr.read().decode() if server.stderr else ""
    assert f"worker {workers[0]} exited (signal SIGKILL)" in stderr
    assert "Traceback" not in stderr


def _state(pid: int) -> str:
    return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]


def test_security_holds_in_every_worker(db: Path) -> None:
    with serving(db, "--host", "127.0.0.1", "--token", "s3cret", "--max-request-mb", "0.01"
                 ) as (url, server):
        workers = workers_of(server)
        for worker in workers:
            with only(worker, workers):
                answers = [
                    httpx.get(f"{url}/", timeout=60),
                    httpx.get(f"{url}/api/events", params={"bogus": "1", "limit": "x"},
                              timeout=60),
                    httpx.get(f"{url}/events/no-such-event", timeout=60),
                    httpx.post(f"{url}/api/ingest", timeout=60,
                               files={"files": ("a.txt", STORY, "text/plain")}),
                    httpx.post(f"{url}/api/ingest", timeout=60,
                               headers={"Authorization": "Bearer s3cret"},
                               files={"files": ("a.txt", b"x" * 20_000, "text/plain")}),
                ]
                assert [a.status_code for a in answers] == [200, 422, 404, 401, 413]
                for answer in answers:
                    assert answer.headers["x-content-type-options"] == "nosniff"
                    assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
                    assert "Traceback" not in answer.text


def test_a_rate_limit_and_the_last_upload_are_shared_with_forked_processes() -> None:
    buckets = TokenBuckets(per_minute=0.1, burst=2)
    last_upload = LastUpload()
    context = multiprocessing.get_context("fork")

    def in_child() -> None:
        assert buckets.take("203.0.113.9") == 0
        last_upload.mark()

    child = context.Process(target=in_child)
    child.start()
    child.join(60)
    assert child.exitcode == 0
    assert last_upload() > 0
    assert buckets.take("203.0.113.9") == 0  # the second of the burst: the child took one
    assert buckets.take("203.0.113.9") > 0
    assert buckets.take("198.51.100.4") == 0  # another client has its own


def test_a_full_table_forgets_the_most_refilled_bucket_first() -> None:
    buckets = TokenBuckets(per_minute=0.1, burst=1, clients=2)
    assert buckets.take("a") == 0 and buckets.take("b") == 0
    # Both slots taken, both buckets empty: a third client takes a slot and starts full.
    assert buckets.take("c") == 0
    assert buckets.take("c") > 0
