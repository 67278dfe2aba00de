"""`storyline watch`: ingest watched folders and RSS/Atom feeds as they change, until stopped."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
import time
from dataclasses import asdict, replace

from storyline.cli.common import (
    CommandError,
    add_json_flag,
    add_nice_flag,
    in_background,
    pipeline_config,
    positive_int,
    print_json,
    run_safely,
    store_from,
)


def register(subparsers: argparse._SubParsersAction) -> None:
    watch = subparsers.add_parser(
        "watch",
        help="keep ingesting watched folders and RSS/Atom feeds as they change (until SIGTERM)",
        description="Watch folders for new or changed files and poll feeds (conditional GET), "
        "fetch each new item's page, clean, enrich and store it, and update events in small "
        "batches. A failing item is retried after doubling delays, then parked; SIGTERM or "
        "Ctrl-C stops after the item at hand; a restart resumes where it stopped. Progress is at "
        "/api/status of `storyline serve` on the same store.",
        epilog="Log lines go to stderr (FAILED, PARKED, stored). An option not given takes its "
        "value from the [watch] section of --config, else the default (`storyline config show` "
        "prints them). See docs/watch.md.",
    )
    watch.add_argument("folders", nargs="*", metavar="FOLDER", help="folders to watch")
    watch.add_argument("--feeds", metavar="FILE",
                       help="feed list: one RSS/Atom URL per line, '#' starts a comment line")
    watch.add_argument("--once", action="store_true",
                       help="scan and poll once, try each due item once, update events, exit")
    watch.add_argument("--scan-seconds", type=_seconds, default=None,
                       metavar="S", help="seconds between folder scans")
    watch.add_argument("--feed-seconds", type=_seconds, default=None,
                       metavar="S", help="seconds between polls of one feed")
    watch.add_argument("--host-delay", type=_seconds, default=None,
                       metavar="S", help="seconds between two requests to one host")
    watch.add_argument("--retry-seconds", type=_seconds, default=None,
                       metavar="S", help="first retry delay of a failed item, doubled after "
                       "each failure")
    watch.add_argument("--max-attempts", type=positive_int, default=None,
                       metavar="N", help="failed attempts before an item is parked")
    watch.add_argument("--event-batch", type=positive_int, default=None,
                       metavar="N", help="update events once N new articles wait")
    watch.add_argument("--event-seconds", type=_seconds, default=None,
                       metavar="S", help="... or once the first of them waited S seconds")
    watch.add_argument("--no-events", action="store_true",
                       help="only store the articles; do not update events")
    watch.add_argument("--unpark", action="store_true",
                       help="give parked items a fresh set of attempts first")
    watch.add_argument("--fast", action="store_true",
                       help="firehose profile: rule-based entities, hashed TF-IDF features")
    add_json_flag(watch)
    add_nice_flag(watch)
    watch.set_defaults(func=run_safely(in_background(cmd_watch)))


# The options that override the configuration's [watch] section (same names).
_TUNABLES = ("scan_seconds", "feed_seconds", "host_delay", "retry_seconds", "max_attempts",
             "event_batch", "event_seconds")


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds < float("inf"):
        raise argparse.ArgumentTypeError(f"expected a number of seconds from 0 up, got {value!r}")
    return seconds


def cmd_watch(args: argparse.Namespace) -> int:
    from storyline.store.watch import WatchState
    from storyline.watch import (
        FeedListError,
        WatchConfig,
        Watcher,
        WatchOptions,
        folders_missing,
        read_feed_list,
    )

    if not args.folders and not args.feeds:
        raise CommandError("nothing to watch: give folders and/or --feeds FILE")
    if missing := folders_missing(args.folders):
        raise CommandError(f"not a folder: {missing[0]}")
    try:
        feeds = read_feed_list(args.feeds) if args.feeds else []
    except FeedListError as error:
        raise CommandError(str(error)) from None
    given = {option: getattr(args, option) for option in _TUNABLES
             if getattr(args, option) is not None}
    pipeline = pipeline_config(args)  # with --fast, the fast profile
    options = WatchOptions(folders=args.folders, feeds=feeds, events=not args.no_events,
                           config=replace(pipeline.section(WatchConfig), **given),
                           pipeline_config=pipeline)
    stop = threading.Event()
    for signal_number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signal_number, lambda *_: stop.set())
    with store_from(args) as store:
        if args.unpark:
            _log(f"unparked {WatchState(store).unpark()} items")
        _log(f"watching {len(options.folders)} folders and {len(feeds)} feeds"
             + (" once" if args.once else " (SIGTERM or Ctrl-C stops)"))
        counters = Watcher(store, options, stop, _log).run(once=args.once)
    if args.json:
        print_json(asdict(counters))
    else:
        print(", ".join(f"{name.replace('_', ' ')} {value}"
                        for name, value in asdict(counters).items()))
    return 0


def _log(line: str) -> None:
    from storyline.ingest.decode import one_line

    stamp = time.strftime("%H:%M:%S")
    print(f"{stamp} watch: {one_line(line, 2000)}", file=sys.stderr, flush=True)
