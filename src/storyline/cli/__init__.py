"""The `storyline` command: a thin shell over the library; each stage registers its subcommands.

Exit codes: 0 success; 1 error (bad input, unknown id); 2 usage error; 3 ingest finished but some
files failed (each listed with its reason).
"""

from __future__ import annotations

import os

# One BLAS thread per process, set before anything imports numpy (OpenBLAS reads it once): the
# ingest workers are the parallelism, and an extra BLAS thread on a busy core spins instead of
# working (settings.EMBED_THREADS, docs/benchmarks.md). A value the user exported wins.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import argparse  # after the thread pinning above, on purpose
import importlib
import sys
from collections.abc import Callable, Sequence
from typing import Any

from storyline import __version__

# The module under storyline.cli that registers each command, in the order help lists them.
# `storyline CMD` imports CMD's module only: importing every one cost about 100 ms at each start
# (a test keeps this table and the modules' commands the same).
COMMANDS = {
    **dict.fromkeys(("ingest", "clean", "articles", "show", "reclean", "search"), "articles"),
    **dict.fromkeys(("entities", "enrich"), "enrich"),
    **dict.fromkeys(("events", "storylines", "recluster", "similarity"), "events"),
    **dict.fromkeys(("event", "timeline"), "summarize"),
    "watch": "watch",
    **dict.fromkeys(("serve", "loadtest"), "serve"),
    **dict.fromkeys(("backup", "check"), "safety"),
    "bench": "bench",
    "spark-ingest": "spark",
    "config": "config",
}
# Options of the top-level parser that take a value (the command word comes after it).
_VALUED_OPTIONS = ("--db", "--config")
DB_HELP = "SQLite store (default: $STORYLINE_DB, else ./storyline.db)"
CONFIG_HELP = "pipeline configuration: the component of each stage (see `storyline config show`)"


class CommandParser(argparse.ArgumentParser):
    """A subcommand's parser. It takes `--db` too, because users type it after the command
    (`storyline events --db x.db`) as often as before it. Its default is SUPPRESS so that a
    `--db` given before the command is not overwritten.

    `populate(parser)`, when given, adds the rest of its arguments the first time it parses:
    a command whose options cost imports (the benchmarks) costs them only when it runs, not at
    every `storyline` start."""

    def __init__(self, *args: Any, populate: Callable[[argparse.ArgumentParser], None] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help=DB_HELP)
        self.add_argument("--config", metavar="TOML", default=argparse.SUPPRESS, help=CONFIG_HELP)
        self._populate = populate

    def parse_known_args(self, args: Any = None, namespace: Any = None) -> Any:
        if self._populate is not None:
            populate, self._populate = self._populate, None
            populate(self)
        return super().parse_known_args(args, namespace)


def command_word(argv: Sequence[str]) -> str | None:
    """The command `argv` runs, when it names one before anything else: "event" in
    ["--db", "x.db", "event", "ev-1"]."""
    args = iter(argv)
    for arg in args:
        if arg in _VALUED_OPTIONS:
            next(args, None)
        elif not arg.startswith("-"):
            return arg if arg in COMMANDS else None
    return None


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser of `argv`'s command (its module imported alone), or of every command without
    `argv` or when it names none (help, a typo: the usage lists them all)."""
    parser = argparse.ArgumentParser(
        prog="storyline",
        description="Turn raw news articles into clean articles, events, storylines and timelines.",
        epilog="Exit codes: 0 ok, 1 error, 2 usage error, 3 ingest done but some files failed.",
    )
    parser.add_argument("--version", action="version", version=f"storyline {__version__}")
    parser.add_argument("--db", metavar="PATH", default=None, help=DB_HELP)
    parser.add_argument("--config", metavar="TOML", default=None, help=CONFIG_HELP)
    subparsers = parser.add_subparsers(
        dest="command", metavar="COMMAND", required=True, parser_class=CommandParser
    )
    command = None if argv is None else command_word(argv)
    modules = [COMMANDS[command]] if command else list(dict.fromkeys(COMMANDS.values()))
    for module in modules:
        importlib.import_module(f"storyline.cli.{module}").register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser(argv).parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
