"""`storyline backup` and `storyline check`: data safety for a store that runs for months."""

from __future__ import annotations

import argparse
import sqlite3

from storyline.cli.common import CommandError, run_safely, store_from


def register(subparsers: argparse._SubParsersAction) -> None:
    backup = subparsers.add_parser(
        "backup", help="copy the store to PATH with SQLite's online backup (safe while serving)",
        description="Copy the store, consistent as of one moment, while `serve` or `ingest` may "
        "keep writing. The copy is integrity-checked before it takes its name; an existing PATH "
        "is never overwritten.",
    )
    backup.add_argument("path", metavar="PATH", help="the new backup file")
    backup.set_defaults(func=run_safely(backup_command))

    check = subparsers.add_parser(
        "check", help="check the store's integrity and consistency; exit 1 listing each problem",
        description="SQLite's integrity check; every event member is a stored article; each "
        "article is in at most one event; the member table agrees with the events; the "
        "full-text index agrees with the articles. Prints one line per problem.",
    )
    check.set_defaults(func=run_safely(check_command))


def backup_command(args: argparse.Namespace) -> int:
    from storyline.store.safety import BackupError, backup

    with store_from(args) as store:
        try:
            size = backup(store, args.path)
        except (BackupError, sqlite3.Error, OSError) as error:
            raise CommandError(f"backup failed: {error}") from None
    print(f"backed up {store.path} to {args.path} ({size:,} bytes, integrity ok)")
    return 0


def check_command(args: argparse.Namespace) -> int:
    from storyline.store.safety import check

    with store_from(args) as store:
        try:
            problems = check(store)
        except sqlite3.DatabaseError as error:
            raise CommandError(f"cannot check the store: {error}") from None
    for problem in problems:
        print(problem)
    if not problems:
        print(f"{store.path}: ok")
    return 1 if problems else 0
