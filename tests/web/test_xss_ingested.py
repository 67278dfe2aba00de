"""Hostile articles go through the real ingest (text, HTML, JSON Lines) and are browsed in Chromium:
no payload may run on any page that shows them."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest

from storyline.server_process import free_port, start_server, stop_process
from tests.web.test_xss import assert_nothing_ran

pytestmark = pytest.mark.browser

PAYLOADS = [
    '<script>window.__pwned="script"</script>',
    '<img src=x onerror="window.__pwned=\'img\'">',
    '<svg onload="window.__pwned=\'svg\'"></svg>',
    '"><script>window.__pwned="attr"</script>',
    "javascript:window.__pwned='href'",
    '<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>',
]


def hostile_story(n: int) -> str:
    payload = PAYLOADS[n % len(PAYLOADS)]
    return (
        f"Harbour council {payload} votes on the Orlen ferry\n\n"
        f"The harbour council of Tessaly voted on Monday {payload} to keep the Orlen ferry "
        "running through the winter, the council's spokesman said.\n\n"
        f"\"We will not abandon the islands,\" said councillor Mira {payload} Holt, who led the "
        "campaign for the ferry.\n\n"
        f"The vote {payload} passed by nine votes to four after a debate of three hours.\n"
    )


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("hostile")
    corpus = folder / "corpus"
    corpus.mkdir()
    for n in range(3):
        (corpus / f"story-{n}.txt").write_text(hostile_story(n), encoding="utf-8")
    page = hostile_story(3).split("\n\n")
    (corpus / "page.html").write_text(
        f"<html><head><title>{page[0]}</title></head><body><article><h1>{page[0]}</h1>"
        + "".join(f"<p>{p}</p>" for p in page[1:]) + "</article></body></html>", encoding="utf-8")
    records = [{"title": hostile_story(n).split("\n\n")[0], "text": hostile_story(n),
                "url": f"https://example.org/{n}?q=<script>", "outlet": PAYLOADS[n % 6]}
               for n in (4, 5)]
    (corpus / "export.jsonl").write_text("\n".join(json.dumps(r) for r in records),
                                         encoding="utf-8")
    db = folder / "hostile.db"
    subprocess.run([sys.executable, "-m", "storyline.cli", "--db", str(db), "ingest",
                    str(corpus)], check=True, capture_output=True, timeout=600)
    port = free_port()
    process = start_server(str(db), port)
    yield f"http://127.0.0.1:{port}"
    stop_process(process)


def pages_to_visit(base: str) -> list[str]:
    articles = httpx.get(base + "/api/articles", timeout=60).json()
    events = httpx.get(base + "/api/events", timeout=60).json()
    entities = httpx.get(base + "/api/entities", timeout=60).json()
    assert len(articles) >= 5 and events
    return (["/", "/search?q=ferry", "/timeline?q=ferry", "/timeline?q=Holt"]
            + [f"/articles/{a['id']}" for a in articles]
            + [f"/events/{e['id']}" for e in events]
            + [f"/entities/{e['id']}" for e in entities[:5]])


def test_no_payload_runs_anywhere(page, hostile_server: str) -> None:
    shown_as_text = 0
    for path in pages_to_visit(hostile_server):
        page.goto(hostile_server + path)
        assert_nothing_ran(page)
        assert page.locator("iframe").count() == 0, path
        shown_as_text += "window.__pwned" in page.inner_text("main")
    # The payloads survived ingest as text, so the pages really were exposed to them.
    assert shown_as_text >= 5
