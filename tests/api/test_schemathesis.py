"""Property-based API testing: schemathesis generates requests from our OpenAPI spec."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
)


def test_openapi_spec_holds_under_generated_requests(served) -> None:
    cli = Path(sys.executable).with_name("schemathesis")
    assert cli.exists() or shutil.which("schemathesis"), "schemathesis is a test dependency"
    result = subprocess.run(
        [str(cli), "run", served["url"] + "/openapi.json",
         "--checks", ",".join(CHECKS),
         "--max-examples", "25", "--seed", "7", "--generation-deterministic",
         "--exclude-path", "/api/ingest",
         "--request-timeout", "30"],
        capture_output=True, text=True, timeout=600, check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
