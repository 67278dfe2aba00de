"""Uploads sent all at once to one server: each answered (no 500), each article stored once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from storyline.cli.serve import free_port, start_server, stop_process

UPLOADS = 8


def story(number: int) -> str:
    return (
        f"Weir {number} repaired on the Tessal river\n\n"
        f"Engineers finished repairs to weir number {number} on the Tessal river on Tuesday, "
        f"{number + 3} weeks after the spring flood damaged its gates, the water board said.\n"
    )


def test_parallel_uploads_are_all_stored(tmp_path: Path) -> None:
    port = free_port()
    server = start_server(str(tmp_path / "s.db"), port)
    url = f"http://127.0.0.1:{port}/api/ingest"

    def upload(number: int) -> httpx.Response:
        files = {"files": (f"weir-{number}.txt", story(number), "text/plain")}
        return httpx.post(url, files=files, timeout=300)

    try:
        with ThreadPoolExecutor(UPLOADS) as pool:
            responses = list(pool.map(upload, range(UPLOADS)))
        assert [r.status_code for r in responses] == [200] * UPLOADS, [r.text for r in responses]
        assert sum(len(r.json()["new"]) for r in responses) == UPLOADS
        listed = httpx.get(f"http://127.0.0.1:{port}/api/articles", params={"limit": 50})
        assert listed.headers["x-total-count"] == str(UPLOADS)
    finally:
        stop_process(server)
