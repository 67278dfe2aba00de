"""Benchmark 'cluster' (to be written)."""

from __future__ import annotations

import argparse
from pathlib import Path

HELP = "cluster benchmark (not implemented yet)"


def run(data: Path, args: argparse.Namespace) -> dict:
    raise SystemExit("storyline bench cluster: not implemented yet")


def format_text(result: dict) -> str:
    return str(result)
