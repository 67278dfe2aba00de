"""Property-based API testing: schemathesis generates requests from our OpenAPI spec."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from storyline.cli.serve import free_port, start_server, stop_process
from tests.api.conftest import UNLIMITED_INGEST

CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
)


def run_schemathesis(url: str, *selection: str) -> None:
    cli = Path(sys.executable).with_name("schemathesis")
    assert cli.exists() or shutil.which("schemathesis"), "schemathesis is a test dependency"
    result = subprocess.run(
        [str(cli), "run", url + "/openapi.json",
         "--checks", ",".join(CHECKS),
         "--max-examples", "25", "--seed", "7", "--generation-deterministic",
         *selection,
         "--request-timeout", "60"],
        capture_output=True, text=True, timeout=600, check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def test_openapi_spec_holds_under_generated_requests(served) -> None:
    # The shared store must stay as built: POST /api/ingest gets its own server below.
    run_schemathesis(served["url"], "--exclude-path", "/api/ingest")


def test_ingest_holds_under_generated_requests(tmp_path: Path) -> None:
    """Generated uploads and server-side paths (an ingest folder with a link loop in it)."""
    inbox = tmp_path / "inbox"
    (inbox / "sub").mkdir(parents=True)
    (inbox / "sub" / "note.txt").write_text("A note from the harbour office.")
    (inbox / "loop").symlink_to(inbox / "loop")
    port = free_port()
    server = start_server(str(tmp_path / "db" / "s.db"), port,
                          extra_args=("--ingest-dir", str(inbox), *UNLIMITED_INGEST))
    try:
        run_schemathesis(f"http://127.0.0.1:{port}", "--include-path", "/api/ingest")
    finally:
        stop_process(server)
