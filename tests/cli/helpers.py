"""Run the real `storyline` command in a subprocess, on a real SQLite file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

COMMAND = [sys.executable, "-c", "import sys; from storyline.cli import main; sys.exit(main())"]


def storyline_command(db: Path, *args: str) -> list[str]:
    return [*COMMAND, "--db", str(db), *args]


def run_storyline(
    db: Path, *args: str, stdin: bytes | None = None, timeout: float = 600,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        storyline_command(db, *args),
        input=stdin.decode() if stdin is not None else None,
        capture_output=True,
        check=False,
        text=True,
        timeout=timeout,
        env={**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})},
    )


def run_json(db: Path, *args: str) -> Any:
    result = run_storyline(db, *args, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def write_stories(folder: Path, count: int) -> dict[str, str]:
    """`count` distinct small stories as .txt files; returns {file name: headline}."""
    folder.mkdir(parents=True, exist_ok=True)
    headlines = {}
    for number in range(count):
        headline = f"Council of Brindlemoor approves budget line {number}"
        body = (
            f"The town council of Brindlemoor voted on item {number} of its spring agenda after a "
            f"debate that lasted {number + 2} hours, the clerk said.\n\n"
            f"Councillors allotted {number * 1000 + 500} crowns to repairs of the old tram depot "
            f"and asked the mayor to report back within {number + 3} weeks."
        )
        name = f"story-{number:03d}.txt"
        (folder / name).write_text(f"{headline}\n\n{body}\n", encoding="utf-8")
        headlines[name] = headline
    return headlines
