"""Hostile `path` values for POST /api/ingest: always a 4xx with a stable code, never a 500."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyline.cli.serve import free_port, start_server, stop_process
from tests.api.conftest import UNLIMITED_INGEST

PATH_CODES = {"invalid_path", "not_found", "path_outside_ingest_dir", "nothing_to_ingest",
              "invalid_parameters"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("ingest-paths")
    inbox = root / "inbox"
    (inbox / "sub").mkdir(parents=True)
    (inbox / "loop").symlink_to(inbox / "loop")
    (inbox / "ping").symlink_to(inbox / "pong")
    (inbox / "pong").symlink_to(inbox / "ping")
    (inbox / "sub" / "note.txt").write_text("A note.")
    port = free_port()
    process = start_server(str(root / "db" / "s.db"), port,
                           extra_args=("--ingest-dir", str(inbox), *UNLIMITED_INGEST))
    yield f"http://127.0.0.1:{port}"
    stop_process(process)


def post_path(url: str, path: str | bytes) -> httpx.Response:
    # A (None, value) multipart part sends the field as is, even bytes that are not UTF-8.
    return httpx.post(url + "/api/ingest", files={"path": (None, path)}, timeout=60)


@pytest.mark.parametrize(("path", "status", "code"), [
    ("a" * 300, 400, "invalid_path"),
    ("sub/" + "b" * 300 + ".txt", 400, "invalid_path"),
    ("a\x00b", 400, "invalid_path"),
    ("sub/note.txt\x00.pdf", 400, "invalid_path"),
    ("loop", 400, "invalid_path"),
    ("loop/x", 400, "invalid_path"),
    ("ping", 400, "invalid_path"),
    ("sub/note.txt/inner", 404, "not_found"),
    ("missing.txt", 404, "not_found"),
    ("..", 403, "path_outside_ingest_dir"),
    ("/", 403, "path_outside_ingest_dir"),
    ("a" * 1001, 422, "invalid_parameters"),
])
def test_bad_paths_are_4xx_with_stable_codes(
    server: str, path: str, status: int, code: str
) -> None:
    response = post_path(server, path)
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code
    assert "\n" not in response.json()["error"]["message"]


def test_path_that_is_not_utf8_is_a_4xx(server: str) -> None:
    response = post_path(server, b"sub/\xff\xfe.txt")
    assert 400 <= response.status_code < 500, response.text
    assert response.json()["error"]["code"] in PATH_CODES


def test_a_good_path_still_works(server: str) -> None:
    response = post_path(server, "sub/note.txt")
    assert response.status_code == 200, response.text


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=1100),
    st.lists(st.sampled_from(["..", ".", "loop", "ping", "sub", "note.txt", "", "\x00", "x" * 260,
                              "%2e%2e", "\\", "~", "/"]), min_size=1, max_size=8)
      .map("/".join),
))
def test_no_path_is_a_server_error(server: str, path: str) -> None:
    response = post_path(server, path)
    assert response.status_code < 500, (path, response.text)
    if response.status_code >= 400:
        assert response.json()["error"]["code"] in PATH_CODES, response.text
