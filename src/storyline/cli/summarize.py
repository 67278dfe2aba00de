"""Subcommands for the summarize stage."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add this module's subcommands (filled in by the stage that owns them)."""
