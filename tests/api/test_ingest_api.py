"""POST /api/ingest: uploads and server-side paths, which must never escape their folders."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from storyline.cli.serve import free_port, start_server, stop_process

STORY = (
    "Ferry strike ends in Valmora\n\n"
    "Ferry crews in Valmora returned to work on Wednesday after a nine-day strike over pay.\n\n"
    "The union said members had accepted a raise of four percent spread over two years.\n\n"
    "Commuters crowded the first boats of the morning, and officials expected normal "
    "timetables by the weekend.\n"
)

# Outside the ingest folder, reachable only through links inside it.
SECRET = (
    "Quorvath ledger\n\nThe Quorvath ledger lists every private account of the household.\n\n"
    "It must never be read by a server whose ingest folder is elsewhere.\n"
)


def search_hits(server: dict, words: str) -> list:
    return httpx.get(server["url"] + "/api/search", params={"q": words, "mode": "fulltext"}).json()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    root = tmp_path_factory.mktemp("ingest-server")
    inbox = root / "inbox"
    inbox.mkdir()
    (inbox / "story.txt").write_text(STORY, encoding="utf-8")
    (root / "secret.txt").write_text(SECRET, encoding="utf-8")
    (root / "private").mkdir()
    (root / "private" / "diary.txt").write_text(SECRET, encoding="utf-8")
    (inbox / "nested" / "deeper").mkdir(parents=True)
    (inbox / "nested" / "deeper" / "passwd.txt").symlink_to(root / "secret.txt")
    (inbox / "nested" / "private").symlink_to(root / "private")
    (inbox / "nested" / "loop").symlink_to(inbox / "nested" / "loop")
    port = free_port()
    process = start_server(str(root / "db" / "s.db"), port,
                           extra_args=("--ingest-dir", str(inbox)))
    yield {"url": f"http://127.0.0.1:{port}", "root": root}
    stop_process(process)


def test_upload_is_ingested_and_saved_under_a_safe_name(server) -> None:
    files = {"files": ("../../evil name.txt", STORY.replace("Wednesday", "Tuesday"), "text/plain")}
    response = httpx.post(server["url"] + "/api/ingest", files=files, timeout=120)
    assert response.status_code == 200, response.text
    assert len(response.json()["new"]) == 1
    uploads = list((server["root"] / "db" / "uploads").iterdir())
    assert len(uploads) == 1 and uploads[0].name.endswith("evil_name.txt")
    again = httpx.post(server["url"] + "/api/ingest", files=files, timeout=120).json()
    assert again["new"] == [] and len(again["duplicate"]) == 1


def test_server_side_path_inside_the_ingest_dir(server) -> None:
    response = httpx.post(server["url"] + "/api/ingest", data={"path": "story.txt"}, timeout=120)
    assert response.status_code == 200, response.text
    assert len(response.json()["new"]) + len(response.json()["duplicate"]) == 1


@pytest.mark.parametrize("path", [
    "../secret.txt", "/etc/passwd", "sub/../../secret.txt", "nested/private",
    "nested/deeper/passwd.txt", "nested/private/diary.txt",
])
def test_paths_escaping_the_ingest_dir_are_refused(server, path: str) -> None:
    response = httpx.post(server["url"] + "/api/ingest", data={"path": path}, timeout=30)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "path_outside_ingest_dir"
    assert search_hits(server, "Quorvath") == []


@pytest.mark.parametrize("path", [".", "nested"])
def test_links_inside_the_ingest_dir_never_lead_out(server, path: str) -> None:
    response = httpx.post(server["url"] + "/api/ingest", data={"path": path}, timeout=120)
    assert response.status_code == 200, response.text
    refused = {f["source"].rsplit("/", 1)[-1]: f["reason"] for f in response.json()["failed"]}
    for link in ("passwd.txt", "private"):
        assert refused[link] == "refused: a link that leads outside the allowed folder"
    assert "diary.txt" not in refused, "a folder outside must not even be listed"
    assert search_hits(server, "Quorvath") == []


def test_empty_ingest_request_is_a_400(server) -> None:
    response = httpx.post(server["url"] + "/api/ingest", data={}, timeout=30)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "nothing_to_ingest"
