"""Error responses (404, 413, 422, 500) carry the same security headers as every other response."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from storyline.cli.serve import free_port, start_server, stop_process

SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}


def assert_security_headers(response: httpx.Response) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, (name, dict(response.headers))
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


@pytest.mark.parametrize(("method", "path", "kwargs", "status"), [
    ("GET", "/api/events/no-such-event", {}, 404),
    ("GET", "/api/articles", {"params": {"limit": 0}}, 422),
    ("POST", "/api/ingest", {"content": b"x" * (21 * 1024 * 1024),
                             "headers": {"content-type": "application/octet-stream"}}, 413),
])
def test_error_responses_carry_security_headers(served, method, path, kwargs, status) -> None:
    response = httpx.request(method, served["url"] + path, timeout=60, **kwargs)
    assert response.status_code == status
    assert_security_headers(response)


def test_an_unhandled_error_is_a_json_500_with_security_headers(tmp_path: Path) -> None:
    """A data folder where `uploads` is a file: saving an upload fails inside the server."""
    (tmp_path / "uploads").write_text("not a folder")
    port = free_port()
    server = start_server(str(tmp_path / "s.db"), port)
    try:
        url = f"http://127.0.0.1:{port}"
        files = {"files": ("story.txt", b"A story.", "text/plain")}
        response = httpx.post(url + "/api/ingest", files=files, timeout=60)
        assert response.status_code == 500
        assert response.json()["error"]["code"] == "internal_error"
        assert_security_headers(response)
        assert httpx.get(url + "/api/articles", timeout=30).status_code == 200
    finally:
        stop_process(server)
    assert "FileExistsError" in server.stderr.read().decode(), "the traceback is still logged"
