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
import sys
from collections.abc import Callable
from typing import Any

from storyline import __version__
from storyline.cli import (
    articles,
    bench,
    config,
    enrich,
    events,
    safety,
    serve,
    spark,
    summarize,
    watch,
)

COMMAND_MODULES = (
    articles, enrich, events, summarize, watch, serve, safety, bench, spark, config,
)
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


def build_parser() -> argparse.ArgumentParser:
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
    for module in COMMAND_MODULES:
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
