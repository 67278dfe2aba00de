"""Subcommands for the summarize stage: `event ID` (a brief) and `timeline QUERY`."""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from typing import Any

from storyline.cli.common import (
    CommandError,
    pipeline_config,
    resolve_event_id,
    run_safely,
    store_from,
)
from storyline.export import EVENT_FORMATS, TIMELINE_FORMATS, Format


def register(subparsers: argparse._SubParsersAction) -> None:
    event = subparsers.add_parser(
        "event", help="brief of one event: summary, corroboration, quotes, sources",
        description="Print an event brief: what happened, when, where, who, which claims several "
        "independent outlets report and which only one does, quotes and sources.",
    )
    event.add_argument("event_id", metavar="ID", help="event id (or an unambiguous prefix)")
    event.add_argument("--timing", action="store_true",
                       help="build the brief anew (not the one stored when the event last "
                       "changed) and print the CPU seconds of each step to stderr")
    _add_format_flags(event, EVENT_FORMATS)
    event.set_defaults(func=run_safely(_event))

    timeline = subparsers.add_parser(
        "timeline", help="dated timeline of an entity or keywords, every sentence cited",
        description="Pick the most important dates for QUERY (an entity under any alias, or "
        "keywords) and what happened on each, with cited sentences.",
    )
    timeline.add_argument("query", metavar="QUERY", help="entity name/alias or keywords")
    timeline.add_argument("--from", dest="start", type=_iso_day, metavar="D",
                          help="first date (YYYY-MM-DD)")
    timeline.add_argument("--to", dest="end", type=_iso_day, metavar="D",
                          help="last date (YYYY-MM-DD)")
    timeline.add_argument("--dates", type=_positive, metavar="N", default=None,
                          help="number of dates (default from settings)")
    timeline.add_argument("--sentences", type=_positive, metavar="K", default=None,
                          help="sentences per date (default from settings)")
    _add_format_flags(timeline, TIMELINE_FORMATS)
    timeline.set_defaults(func=run_safely(_timeline))


def _add_format_flags(parser: argparse.ArgumentParser, formats: dict[str, Format]) -> None:
    """`--format F` (Markdown by default), and `--json`, `--markdown`, `--html` as shortcuts."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--format", choices=list(formats), default="md",
                       help="output format (default: %(default)s); the same files the web "
                       "page's download links give")
    for flag, name, text in (("--json", "json", "print JSON"),
                             ("--markdown", "md", "print Markdown"),
                             ("--html", "html", "print a standalone HTML page")):
        group.add_argument(flag, dest="format", action="store_const", const=name,
                           help=f"{text} (= --format {name})")


def _print_in_format(args: argparse.Namespace, result: Any, formats: dict[str, Format]) -> None:
    """Print a brief or timeline in the format the flags ask for."""
    sys.stdout.write(formats[args.format].render(result))


def _iso_day(value: str) -> str:
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if not 1 <= number <= 1000:
        raise argparse.ArgumentTypeError(f"expected a number from 1 to 1000, got {value!r}")
    return number


def _event(args: argparse.Namespace) -> int:
    from storyline.summarize.stored import brief_key

    with store_from(args) as store:
        event = store.get_event(resolve_event_id(store, args.event_id))
        if event is None:  # replaced by a recluster between resolving and reading
            raise CommandError(f"no event with id {args.event_id!r}")
        # The brief stored when the event last changed; --timing measures building it anew.
        stored = None if args.timing else store.get_brief(event.id, brief_key(event))
        articles = store.get_articles(event.article_ids) if stored is None else []
    if stored is not None:
        _print_in_format(args, stored, EVENT_FORMATS)
        return 0
    # Imported here: scikit-learn would otherwise slow every `storyline` start.
    from storyline.summarize.vectors import ClaimEncoding

    timings: dict[str, float] | None = {} if args.timing else None
    config = pipeline_config(args)
    started, wall = time.process_time(), time.perf_counter()
    brief = config.event_summarizer()(event, articles, timings, config.section(ClaimEncoding))
    if timings is not None:
        steps = ", ".join(f"{name} {seconds:.3f}" for name, seconds in timings.items())
        print(
            f"brief of {len(articles)} articles: CPU {time.process_time() - started:.3f} s "
            f"(steps: {steps}), wall {time.perf_counter() - wall:.3f} s",
            file=sys.stderr,
        )
    _print_in_format(args, brief, EVENT_FORMATS)
    return 0


def _timeline(args: argparse.Namespace) -> int:
    from storyline.summarize.timeline import TimelineConfig, build_timeline

    if args.start and args.end and args.start > args.end:
        raise CommandError("--from is after --to")
    with store_from(args) as store:
        timeline = build_timeline(
            store, args.query, args.start, args.end, args.dates, args.sentences,
            config=pipeline_config(args).section(TimelineConfig),
        )
    _print_in_format(args, timeline, TIMELINE_FORMATS)
    return 0
