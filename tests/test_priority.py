"""Bulk commands lower their own scheduling priority (so a server on the machine answers first),
never raise it, and their worker processes inherit it. Each case runs in a child process: a
nice value once raised cannot be lowered again without privileges."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from storyline.cli import build_parser
from storyline.priority import BACKGROUND_NICENESS, NICE_VARIABLE

SRC = str(Path(__file__).resolve().parent.parent / "src")

pytestmark = pytest.mark.skipif(not hasattr(os, "nice"), reason="needs os.nice")


def run_python(code: str) -> list[str]:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": SRC}, timeout=120, check=True)
    return done.stdout.split()


def test_lowers_never_raises_and_caps_at_the_lowest_priority() -> None:
    lowered = run_python(
        "import os\n"
        "from storyline.priority import lower_priority\n"
        "start = os.nice(0)\n"
        "print(lower_priority(start + 3) - start)\n"
        "print(lower_priority(start + 1) - start)\n"  # asking for less keeps the lower priority
        "print(lower_priority(40))\n"
        "pid = os.fork()\n"
        "if pid == 0:\n"
        "    print(os.nice(0)); os._exit(0)\n"
        "os.waitpid(pid, 0)\n")
    assert lowered == ["3", "3", "19", "19"]


def test_bulk_commands_run_at_their_nice_value() -> None:
    seen = run_python(
        "import os\n"
        "from argparse import Namespace\n"
        "from storyline.cli.common import in_background\n"
        "for nice in (10, 0, 15):\n"
        "    print(in_background(lambda args: os.nice(0))(Namespace(nice=nice)))\n")
    # Asking for 0 after 10 keeps 10; 15 lowers further (a test run already nicer stays so).
    start = os.nice(0)
    assert seen == [str(max(start, 10)), str(max(start, 10)), str(max(start, 15))]


@pytest.mark.parametrize("command", [["ingest", "x"], ["watch", "x"], ["recluster"],
                                     ["reclean"], ["enrich"]])
def test_bulk_commands_default_to_the_background_nice_value(
    command: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(NICE_VARIABLE, raising=False)
    assert build_parser().parse_args(command).nice == BACKGROUND_NICENESS
    assert build_parser().parse_args([*command, "--nice", "0"]).nice == 0
    monkeypatch.setenv(NICE_VARIABLE, "3")
    assert build_parser().parse_args(command).nice == 3
