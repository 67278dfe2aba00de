"""Subcommands for the enrich stage: `entities` (canonical entities across the store) and
`enrich` (re-run language, sentences, dates, entities and quotes over every stored article)."""

from __future__ import annotations

import argparse
import sys
from time import perf_counter
from typing import TYPE_CHECKING, Any, cast

from storyline.cli.common import (
    CommandError,
    add_json_flag,
    add_nice_flag,
    in_background,
    pipeline_config,
    print_json,
    run_safely,
    store_from,
)
from storyline.model import Article
from storyline.store import Store

if TYPE_CHECKING:
    from storyline.enrich import EnrichConfig
    from storyline.enrich.interfaces import EntityRecognizer


def register(subparsers: argparse._SubParsersAction) -> None:
    entities = subparsers.add_parser(
        "entities",
        help="list canonical entities with aliases, mention and article counts",
        description="List canonical entities across the store, most widespread first. Ids are "
        "'<type>:<key>' (e.g. person:asad, place:syria) and agree across articles.",
    )
    entities.add_argument("--limit", type=int, default=50, metavar="N",
                          help="show at most N entities (default 50)")
    add_json_flag(entities)
    entities.set_defaults(func=run_safely(cmd_entities))

    enrich = subparsers.add_parser(
        "enrich",
        help="re-run enrichment over every stored article",
        description="Re-run language, sentences, dates (re-inferring publication dates that were "
        "inferred), entities and quotes over every stored article, in batches.",
    )
    enrich.add_argument("--batch", type=int, default=64, metavar="N",
                        help="articles per batch (default 64)")
    enrich.add_argument(
        "--ner", default=None, metavar="NAME",
        help="entity recognizer: spacy (spaCy on the lead plus rules, the default), rules (rules "
        "only, fastest) or any registered `ner` component; else the --config one",
    )
    add_json_flag(enrich)
    add_nice_flag(enrich)
    enrich.set_defaults(func=run_safely(in_background(cmd_enrich)))


def cmd_entities(args: argparse.Namespace) -> int:
    with store_from(args) as store:
        rows = store.list_entities(limit=max(0, args.limit))
    if args.json:
        print_json(rows)
        return 0
    for row in rows:
        aliases = ", ".join(a for a in row["aliases"] if a != row["name"])
        line = (f"{row['id']:<32} {row['type']:<12} {row['mentions']:>5} mentions "
                f"{row['articles']:>4} articles  {row['name']}")
        print(f"{line}  ({aliases})" if aliases else line)
    return 0


def cmd_enrich(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from storyline.enrich import EnrichConfig, forget_inferred_date

    recognizer = _recognizer(args)
    enrichment = pipeline_config(args).section(EnrichConfig)
    started = perf_counter()
    count = 0
    with store_from(args) as store:
        total = store.count_articles()
        batch: list[Article] = []
        with tqdm(total=total, unit="article", file=sys.stderr, disable=None) as progress:
            for article in store.iter_articles():
                batch.append(forget_inferred_date(article))
                if len(batch) >= max(1, args.batch):
                    count += _enrich_batch(store, batch, recognizer, enrichment)
                    progress.update(len(batch))
                    batch = []
            count += _enrich_batch(store, batch, recognizer, enrichment)
            progress.update(len(batch))
    seconds = perf_counter() - started
    summary: dict[str, Any] = {
        "articles": count,
        "seconds": round(seconds, 2),
        "articles_per_second": round(count / seconds, 1) if seconds > 0 else None,
    }
    if args.json:
        print_json(summary)
    else:
        print(f"enriched {count} articles in {summary['seconds']} s "
              f"({summary['articles_per_second']} articles/s)")
    return 0


def _recognizer(args: argparse.Namespace) -> EntityRecognizer | None:
    """`--ner NAME`, else the configuration's recognizer, else None (the default)."""
    from storyline import registry

    if args.ner:
        try:
            return cast("EntityRecognizer", registry.create("ner", args.ner))
        except (registry.UnknownComponent, ValueError) as error:
            raise CommandError(str(error)) from None
    return cast("EntityRecognizer", pipeline_config(args).recognizer())


def _enrich_batch(store: Store, batch: list[Article], recognizer: EntityRecognizer | None,
                  enrichment: EnrichConfig) -> int:
    from storyline.enrich import enrich_articles  # heavy (models, word lists): only when enriching

    if not batch:
        return 0
    for article in enrich_articles(batch, recognizer, enrichment):
        store.update_article(article)
    return len(batch)
