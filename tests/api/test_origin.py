"""Cross-site requests and DNS rebinding are refused; same-origin pages and curl keep working."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from storyline.cli.serve import free_port, start_server, stop_process
from tests.api.conftest import UNLIMITED_INGEST

STORY = (
    "Tram line to Ostrel opens\n\n"
    "The new tram line to the Ostrel quarter carried its first passengers on Sunday morning.\n\n"
    "The city expects twelve thousand riders a day once the autumn timetable starts.\n"
)

# What forged requests try to store; never found in the store whatever order the tests run in.
FORGED = STORY.replace("Ostrel", "Vennick")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    root = tmp_path_factory.mktemp("origin")
    (root / "inbox").mkdir()
    (root / "inbox" / "tram.txt").write_text(STORY, encoding="utf-8")
    (root / "inbox" / "forged.txt").write_text(FORGED, encoding="utf-8")
    port = free_port()
    process = start_server(str(root / "s.db"), port, extra_args=(
        "--ingest-dir", str(root / "inbox"), "--allow-host", "News.LAN", *UNLIMITED_INGEST,
    ))
    yield {"url": f"http://127.0.0.1:{port}", "port": port}
    stop_process(process)


def stored(server: dict, word: str) -> list:
    return httpx.get(server["url"] + "/api/search",
                     params={"q": word, "mode": "fulltext"}, timeout=30).json()


def ingest(server: dict, headers: dict[str, str], **kwargs) -> httpx.Response:
    return httpx.post(server["url"] + "/api/ingest", headers=headers, timeout=120, **kwargs)


@pytest.mark.parametrize("origin", [
    "http://evil.example", "http://127.0.0.1:1", "https://127.0.0.1", "http://localhost:{port}",
    "null", "file://", "http://127.0.0.1:{port}.evil.example",
])
def test_cross_site_ingest_is_refused_and_stores_nothing(server: dict, origin: str) -> None:
    headers = {"Origin": origin.format(port=server["port"])}
    by_path = ingest(server, headers, data={"path": "forged.txt"})
    by_upload = ingest(server, headers, files={"files": ("forged.txt", FORGED, "text/plain")})
    for response in (by_path, by_upload):
        assert response.status_code == 403, response.text
        assert response.json()["error"]["code"] == "cross_origin_request"
        assert response.headers["x-content-type-options"] == "nosniff"
    assert stored(server, "Vennick") == []


@pytest.mark.parametrize("host", [
    "evil.example", "evil.example:{port}", "127.0.0.1.nip.io:{port}", "localhost.evil.example",
])
def test_rebound_host_names_are_refused_for_reads_and_writes(server: dict, host: str) -> None:
    headers = {"Host": host.format(port=server["port"])}
    for response in (
        httpx.get(server["url"] + "/api/articles", headers=headers, timeout=30),
        httpx.get(server["url"] + "/", headers=headers, timeout=30),
        # Same-origin as far as a rebound page's browser knows: Origin matches the Host.
        ingest(server, {**headers, "Origin": f"http://{headers['Host']}"},
               data={"path": "forged.txt"}),
    ):
        assert response.status_code == 403, response.text
        assert response.json()["error"]["code"] == "host_not_allowed"
    assert stored(server, "Vennick") == []


@pytest.mark.parametrize("host", [
    "127.0.0.1:{port}", "localhost:{port}", "LOCALHOST", "app.localhost:{port}", "[::1]:{port}",
    "news.lan:{port}", "192.168.1.20:{port}",
])
def test_own_names_and_addresses_are_served(server: dict, host: str) -> None:
    response = httpx.get(server["url"] + "/api/articles",
                         headers={"Host": host.format(port=server["port"])}, timeout=30)
    assert response.status_code == 200, response.text


def test_same_origin_pages_and_clients_without_origin_can_ingest(server: dict) -> None:
    # A fetch from the server's own pages sends its own origin; curl sends none.
    same_origin = {"Origin": server["url"]}
    response = ingest(server, same_origin, files={"files": ("tram.txt", STORY, "text/plain")})
    assert response.status_code == 200, response.text
    assert ingest(server, {}, data={"path": "tram.txt"}).status_code == 200
    assert len(stored(server, "Ostrel")) == 1
    # Reads from other origins are the browser's business (no CORS headers are sent).
    cross_read = httpx.get(server["url"] + "/api/articles",
                           headers={"Origin": "http://evil.example"}, timeout=30)
    assert cross_read.status_code == 200
    assert "access-control-allow-origin" not in cross_read.headers
