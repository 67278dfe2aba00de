"""Subcommands for the events stage: events, storylines, recluster, similarity.

(`storyline event ID` is registered by cli/summarize.py, which renders the event with its brief.)
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from storyline import views
from storyline.cli.common import (
    CommandError,
    add_json_flag,
    add_nice_flag,
    in_background,
    pipeline_config,
    print_json,
    resolve_article_id,
    run_safely,
    store_from,
)
from storyline.export import EVENT_LIST_FORMATS
from storyline.store import EVENT_ORDERS, EventFilter

if TYPE_CHECKING:
    from storyline.events.similarity import Encoder

# `--encoder` value that skips the dense encoder and compares the pair with TF-IDF.
NO_ENCODER = "none"


def register(subparsers: argparse._SubParsersAction) -> None:
    events = subparsers.add_parser("events", help="list events (newest first)")
    formats = events.add_mutually_exclusive_group()
    formats.add_argument("--format", choices=["text", "json", *EVENT_LIST_FORMATS],
                         default="text", help="text (default), json, or csv (the file the web "
                         "event list's download link gives)")
    formats.add_argument("--json", dest="format", action="store_const", const="json",
                         help="print JSON (= --format json)")
    events.add_argument("--sort", choices=EVENT_ORDERS, default="date",
                        help="date (newest first, the default), size (most reports first) or "
                        "outlets (most independent outlets first)")
    events.set_defaults(func=run_safely(list_events))

    storylines = subparsers.add_parser("storylines", help="list storylines linking events")
    add_json_flag(storylines)
    storylines.set_defaults(func=run_safely(list_storylines))

    recluster = subparsers.add_parser(
        "recluster", help="rebuild every event and storyline from the stored articles"
    )
    add_nice_flag(recluster)
    recluster.set_defaults(func=run_safely(in_background(recluster_all)))

    similarity = subparsers.add_parser(
        "similarity",
        help="score two articles on the SemEval-2022 Task 8 dimensions (1 similar .. 4 not)",
    )
    similarity.add_argument("a", metavar="A", help="article id (or unambiguous prefix)")
    similarity.add_argument("b", metavar="B", help="article id (or unambiguous prefix)")
    similarity.add_argument(
        "--encoder",
        default=None,
        help="dense encoder for narrative/overall (default: the configuration's [encoder], "
        f"use); '{NO_ENCODER}' = TF-IDF cosine of the pair",
    )
    add_json_flag(similarity)
    similarity.set_defaults(func=run_safely(compare_articles))


def list_events(args: argparse.Namespace) -> int:
    with store_from(args) as store:
        events, _, _ = store.find_events(EventFilter(), order=args.sort, limit=-1)
        rows = views.event_rows(events, store.independent_outlets(e.id for e in events))
    if args.format == "json":  # the shape of GET /api/events
        print_json([views.event_summary(e) for e in events])
        return 0
    if args.format != "text":
        sys.stdout.write(EVENT_LIST_FORMATS[args.format].render(rows))
        return 0
    for row in rows:
        count, outlets = len(row["articles"]), row["independent_outlets"]
        print(f"{row['id']}  {row['date'] or '----------'}  {count:>3} art. {outlets:>3} outl.  "
              f"{row['title']}")
    if not rows:
        print("no events yet (ingest articles, or run `storyline recluster`)")
    return 0


def list_storylines(args: argparse.Namespace) -> int:
    with store_from(args) as store:
        rows = [views.storyline_summary(s) for s in store.list_storylines()]
    if args.json:
        print_json(rows)
        return 0
    for row in rows:
        print(f"{row['id']}  {len(row['events'])} events  {row['title']}")
        print(f"    events: {', '.join(row['events'])}")
        print(f"    shared: {', '.join(row['entities'])}")
    if not rows:
        print("no storylines yet")
    return 0


def recluster_all(args: argparse.Namespace) -> int:
    from storyline.pipeline import recluster

    config = pipeline_config(args)
    with store_from(args) as store:
        recluster(store, config)
        events = store.list_events()
        storylines = store.list_storylines()
        articles = sum(len(e.members) for e in events)
    print(f"{len(events)} events, {len(storylines)} storylines, {articles} articles in events")
    return 0


def compare_articles(args: argparse.Namespace) -> int:
    # Imported here: scikit-learn takes seconds to import, and every command loads this module.
    from storyline.events.similarity import DIMENSIONS, SimilarityConfig, pair_similarity

    with store_from(args) as store:
        first = store.get_article(resolve_article_id(store, args.a))
        second = store.get_article(resolve_article_id(store, args.b))
    if first is None or second is None:  # deleted between resolving and reading
        raise CommandError("article disappeared from the store")
    config = pipeline_config(args)
    scores = pair_similarity(first, second, _encoder(args.encoder or config.encoder.name),
                             config.section(SimilarityConfig))
    if args.json:
        print_json(scores)
        return 0
    print(f"{first.id}  {first.title}")
    print(f"{second.id}  {second.title}")
    print("1 = very similar ... 4 = very dissimilar")
    for name in DIMENSIONS:
        print(f"  {name:<10} {scores[name]:.2f}")
    return 0


def _encoder(name: str) -> Encoder | None:
    """The named dense encoder, or None (TF-IDF) when it is unavailable on this machine."""
    if name == NO_ENCODER:
        return None
    try:
        from storyline.embed import get_encoder

        return get_encoder(name)
    except (ImportError, OSError) as error:  # module not built, or model files missing
        print(f"storyline: encoder {name!r} unavailable ({error}); using TF-IDF", file=sys.stderr)
        return None
    except (KeyError, ValueError) as error:
        raise CommandError(f"unknown encoder {name!r}: {error}") from error
