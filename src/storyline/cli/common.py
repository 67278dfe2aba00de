"""Helpers shared by the subcommand modules."""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from typing import TYPE_CHECKING, Any

from storyline.errors import CommandError
from storyline.priority import (
    BACKGROUND_NICENESS,
    HIGHEST_NICENESS,
    NICE_VARIABLE,
    background_niceness,
    lower_priority,
)
from storyline.store import (
    BUSY_TIMEOUT_VARIABLE,
    Store,
    StoreError,
    busy_timeout_seconds,
    open_store,
)

if TYPE_CHECKING:
    from storyline.config import PipelineConfig
    from storyline.model import ReadFailure
    from storyline.pipeline import IngestReport


# Ingest finished but some files failed; everything else was stored.
EXIT_SOME_FAILED = 3


def store_from(args: argparse.Namespace) -> Store:
    """The store named by `--db`, or a one-line error (exit 1) instead of a traceback when it
    cannot be opened (unwritable folder, not a database, newer schema)."""
    try:
        return open_store(args.db)
    except (sqlite3.Error, StoreError) as error:
        raise CommandError(f"cannot open the store: {error}") from None


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def resolve_article_id(store: Store, prefix: str) -> str:
    """Accept a full id or an unambiguous prefix, like git does."""
    return _only_match("article", prefix, store.find_article_ids(prefix))


def resolve_event_id(store: Store, prefix: str) -> str:
    """Accept a full event id or an unambiguous prefix (an exact id wins over longer ones)."""
    if store.get_event(prefix) is not None:
        return prefix
    return _only_match("event", prefix, [e.id for e in store.list_events()
                                         if e.id.startswith(prefix)])


def _only_match(kind: str, prefix: str, matches: list[str]) -> str:
    if not matches:
        raise CommandError(f"no {kind} with id {prefix!r}")
    if len(matches) > 1:
        raise CommandError(f"{kind} id {prefix!r} is ambiguous; give more characters")
    return matches[0]


def positive_int(value: str) -> int:
    """argparse type: a whole number from 1 up."""
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number from 1 up, got {value!r}")
    return number


def add_json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")


def add_nice_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--nice", type=int, choices=range(HIGHEST_NICENESS + 1), default=background_niceness(),
        metavar="N", help=f"run at this OS nice value, 0-{HIGHEST_NICENESS} (default "
        f"${NICE_VARIABLE}, else {BACKGROUND_NICENESS}: a `storyline serve` on the same machine "
        "gets the CPU first; 0 keeps the priority it was started with)")


def in_background(func):  # type: ignore[no-untyped-def]
    """Wrap a bulk command so it runs at the nice value of its `--nice` (see
    `storyline.priority`)."""

    def wrapper(args: argparse.Namespace) -> int:
        lower_priority(args.nice)
        return int(func(args) or 0)

    return wrapper


def pipeline_config(args: argparse.Namespace) -> PipelineConfig:
    """The configuration `--config` names (else the defaults), with the `fast` profile's
    overrides when the command was given `--fast`; a one-line error when it cannot be used."""
    from storyline.config import ConfigError, PipelineConfig

    path = getattr(args, "config", None)
    try:
        config = PipelineConfig() if path is None else PipelineConfig.from_toml(path)
        return config.with_profile("fast") if getattr(args, "fast", False) else config
    except ConfigError as error:
        raise CommandError(str(error)) from None


def run_safely(func):  # type: ignore[no-untyped-def]
    """Wrap a command so a CommandError prints one line and exits 1 instead of a traceback."""

    def wrapper(args: argparse.Namespace) -> int:
        try:
            return int(func(args) or 0)
        except CommandError as error:
            from storyline.ingest.decode import printable_name  # messages quote file names

            print(f"storyline: {printable_name(str(error))}", file=sys.stderr)
            return 1
        except sqlite3.OperationalError as error:  # locked, full or read-only: not a bug
            print(f"storyline: {store_failure(error)}", file=sys.stderr)
            return 1

    return wrapper


def store_failure(error: sqlite3.OperationalError) -> str:
    """One line on why the store refused, and for a lock what to do about it."""
    if "locked" not in str(error) and "busy" not in str(error):
        return f"store error: {error}"
    return (
        f"the store is locked by another process writing to it (waited "
        f"{busy_timeout_seconds():g} s; ${BUSY_TIMEOUT_VARIABLE} sets how long); run this "
        "again when it is done"
    )


def report_ingest(report: IngestReport, as_json: bool) -> int:
    """Print what an ingest did (counts, one line per failed file); return the exit code."""
    from storyline.ingest.decode import one_line, printable_name

    if as_json:
        print_json({
            "new": len(report.new),
            "duplicate": len(report.duplicate),
            "failed": [
                {"source": printable_name(f.source), "reason": one_line(f.reason)}
                for f in report.failed
            ],
            "templates_learned": report.templates_learned,
            "recleaned": len(report.recleaned),
        })
    else:
        counts = (len(report.new), len(report.duplicate), len(report.failed))
        print("new {}, duplicate {}, failed {}".format(*counts))
        if report.templates_learned or report.recleaned:
            # Earlier pages that lost a template, and pages whose first comment the run's
            # other pages showed (`storyline.clean.reprints`).
            print(f"templates learned {report.templates_learned}, "
                  f"articles re-cleaned {len(report.recleaned)}")
        for failure in report.failed:
            print(failure_line(failure))
    return 0 if report.ok else EXIT_SOME_FAILED


def failure_line(failure: ReadFailure) -> str:
    """`FAILED <source>: <reason>` on exactly one line, whatever the file name holds: readers
    already escape names, this guards failures a caller made itself."""
    from storyline.ingest.decode import one_line, printable_name

    return f"FAILED {printable_name(failure.source)}: {one_line(failure.reason)}"
