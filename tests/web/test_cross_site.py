"""Chromium on an attacker's page: its forged form POST to the user's storyline server is refused,
while a fetch from storyline's own pages still ingests."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from storyline.server_process import free_port, start_server, stop_process

pytestmark = pytest.mark.browser

FORGED = "Vennick lighthouse sold\n\nThe Vennick lighthouse was sold at auction on Friday.\n"
OWN = "Ostrel tram opens\n\nThe Ostrel tram line carried its first passengers on Sunday.\n"


@pytest.fixture(scope="module")
def storyline_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("cross-site")
    (root / "inbox").mkdir()
    (root / "inbox" / "forged.txt").write_text(FORGED)
    (root / "inbox" / "own.txt").write_text(OWN)
    port = free_port()
    process = start_server(str(root / "s.db"), port,
                           extra_args=("--ingest-dir", str(root / "inbox")))
    yield f"http://127.0.0.1:{port}"
    stop_process(process)


@pytest.fixture
def attacker_url(tmp_path: Path, storyline_url: str) -> Iterator[str]:
    """Another origin (another port) serving a page that auto-submits a form to storyline."""
    (tmp_path / "attack.html").write_text(
        f'<form method="post" action="{storyline_url}/api/ingest" enctype="multipart/form-data">'
        '<input name="path" value="forged.txt"></form>'
        "<script>document.forms[0].submit()</script>"
    )
    handler = partial(SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/attack.html"
    server.shutdown()


def found(storyline_url: str, word: str) -> int:
    hits = httpx.get(storyline_url + "/api/search", params={"q": word, "mode": "fulltext"})
    return len(hits.json())


def test_forged_form_post_from_another_site_is_refused(page, storyline_url, attacker_url) -> None:
    with page.expect_response(storyline_url + "/api/ingest") as answer:
        page.goto(attacker_url)
    response = answer.value
    assert response.status == 403
    assert response.json()["error"]["code"] == "cross_origin_request"
    assert found(storyline_url, "Vennick") == 0


def test_fetch_from_storylines_own_page_ingests(page, storyline_url) -> None:
    page.goto(storyline_url + "/")
    status = page.evaluate(
        """async () => {
            const form = new FormData();
            form.append("path", "own.txt");
            return (await fetch("/api/ingest", {method: "POST", body: form})).status;
        }"""
    )
    assert status == 200
    assert found(storyline_url, "Ostrel") == 1
