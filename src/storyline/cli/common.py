"""Helpers shared by the subcommand modules."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from storyline.store import Store, open_store


class CommandError(Exception):
    """A user-facing error: printed as one line, exit code 1."""


def store_from(args: argparse.Namespace) -> Store:
    return open_store(args.db)


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def resolve_article_id(store: Store, prefix: str) -> str:
    """Accept a full id or an unambiguous prefix, like git does."""
    matches = store.find_article_ids(prefix)
    if not matches:
        raise CommandError(f"no article with id {prefix!r}")
    if len(matches) > 1:
        raise CommandError(f"article id {prefix!r} is ambiguous; give more characters")
    return matches[0]


def add_json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")


def run_safely(func):  # type: ignore[no-untyped-def]
    """Wrap a command so a CommandError prints one line and exits 1 instead of a traceback."""

    def wrapper(args: argparse.Namespace) -> int:
        try:
            return int(func(args) or 0)
        except CommandError as error:
            print(f"storyline: {error}", file=sys.stderr)
            return 1

    return wrapper
