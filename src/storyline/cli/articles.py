"""Subcommands for articles: ingest, clean, articles, show, search.

`ingest` exits 0 when every file went in and 3 when some failed (each failure is printed as
`FAILED <source>: <reason>`; everything else was stored).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from storyline import views
from storyline.cli.common import (
    EXIT_SOME_FAILED,
    CommandError,
    add_json_flag,
    add_nice_flag,
    failure_line,
    in_background,
    pipeline_config,
    positive_int,
    print_json,
    report_ingest,
    resolve_article_id,
    run_safely,
    store_from,
)
from storyline.model import Article, ReadFailure

CLEAN_JSON_KEYS = (
    "id", "title", "outlet", "published", "published_source", "byline", "dateline", "text",
    "removed",
)


def register(subparsers: argparse._SubParsersAction) -> None:
    ingest = subparsers.add_parser(
        "ingest",
        help="read, clean, enrich and store files, folders or '-' (stdin)",
        description="Read, clean, enrich and store articles, then update events. Formats: text, "
        "HTML (also gzipped), JSON / JSON Lines, WARC, RSS/Atom; folders are read recursively.",
        epilog="Files above [ingest] max_file_bytes (50 MB) are refused unread. Exit codes: 0 "
        "all went in; 3 some files failed (listed as FAILED lines, everything else was stored); "
        "1 error.",
    )
    ingest.add_argument("paths", nargs="+", metavar="PATH", help="file, folder, or - for stdin")
    ingest.add_argument(
        "--no-events", action="store_true",
        help="only store the articles; do not update events and storylines",
    )
    ingest.add_argument(
        "--max-records", type=positive_int, default=None, metavar="N",
        help="read at most N records from one JSON, JSON Lines, feed or WARC file; the rest are "
        "reported as failed (default 10000, [ingest] max_records_per_file)",
    )
    ingest.add_argument(
        "--fast", action="store_true",
        help="firehose profile: rule-based entities and hashed TF-IDF features instead of spaCy "
        "and USE (several times faster, less accurate: see docs/benchmarks.md)",
    )
    add_json_flag(ingest)
    add_nice_flag(ingest)
    ingest.set_defaults(func=run_safely(in_background(cmd_ingest)))

    clean = subparsers.add_parser(
        "clean",
        help="clean one file without storing it and print the article(s)",
        description="Clean one file (or '-') without storing it. A file holding several records "
        "(JSON Lines, feed, WARC) prints a list.",
    )
    clean.add_argument("file", metavar="FILE")
    add_json_flag(clean)
    clean.set_defaults(func=run_safely(cmd_clean))

    articles = subparsers.add_parser(
        "articles", help="list stored articles", description="List stored articles, newest first."
    )
    articles.add_argument("--limit", type=int, default=100, help="at most N (default 100)")
    articles.add_argument("--offset", type=int, default=0, help="skip the first N")
    articles.add_argument("--language", help="only this language code")
    articles.add_argument("--outlet", help="only this outlet")
    add_json_flag(articles)
    articles.set_defaults(func=run_safely(cmd_articles))

    show = subparsers.add_parser(
        "show", help="show one stored article", description="Show one article (id or id prefix)."
    )
    show.add_argument("id", metavar="ID", help="article id or an unambiguous prefix")
    show.add_argument("--raw", action="store_true", help="include the raw input text")
    add_json_flag(show)
    show.set_defaults(func=run_safely(cmd_show))

    reclean = subparsers.add_parser(
        "reclean",
        help="learn templates (lines repeated across pages of a source) and remove them",
        description="Learn templates from the stored pages (a line on TEMPLATE_MIN_PAGES pages "
        "of one source that tell as many different stories), remove them from the stored "
        "articles that still keep them, enrich those again and update their events. Ingest "
        "does this for what it learns; run it after changing the settings. Idempotent.",
    )
    reclean.add_argument("--source", metavar="S",
                         help="only this source (a site, an outlet or an ingest folder)")
    reclean.add_argument(
        "--no-events", action="store_true", help="do not update events and storylines"
    )
    add_json_flag(reclean)
    add_nice_flag(reclean)
    reclean.set_defaults(func=run_safely(in_background(cmd_reclean)))

    search = subparsers.add_parser(
        "search", help="full-text search over titles and texts",
        description="Full-text search (all words required, BM25 ranking).",
    )
    search.add_argument("query", metavar="QUERY")
    search.add_argument("--limit", type=int, default=20, help="at most N results (default 20)")
    add_json_flag(search)
    search.set_defaults(func=run_safely(cmd_search))


def cmd_ingest(args: argparse.Namespace) -> int:
    # Imported in the commands that need them: the cleaner's word lists and the enrich models
    # would otherwise cost half a second at every `storyline` start.
    from tqdm import tqdm

    from storyline import pipeline
    from storyline.ingest import iter_sources

    config = pipeline_config(args)
    total = sum(1 for _ in iter_sources(args.paths))
    with store_from(args) as store, tqdm(
        total=total, unit="file", file=sys.stderr, disable=not sys.stderr.isatty()
    ) as progress:
        # The paths as given, not the files under them: a folder is a template source.
        report = pipeline.ingest(
            args.paths, store, on_file=lambda _source: progress.update(),
            cluster=not args.no_events, embed=not args.no_events, config=config,
            max_records=args.max_records,
        )
    return report_ingest(report, args.json)


def cmd_reclean(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from storyline import pipeline

    with store_from(args) as store, tqdm(
        unit="article", file=sys.stderr, disable=not sys.stderr.isatty()
    ) as progress:
        def set_total(total: int) -> None:
            progress.total = total
            progress.refresh()

        report = pipeline.reclean(
            store, source=args.source, on_page=progress.update, on_total=set_total,
            cluster=not args.no_events, embed=not args.no_events, config=pipeline_config(args),
        )
    summary = {
        "pages_recorded": report.pages_recorded,
        "templates_learned": report.templates_learned,
        "recleaned": len(report.recleaned),
        "lines_removed": report.lines_removed,
        "failed": [{"source": f.source, "reason": f.reason} for f in report.failed],
    }
    if args.json:
        print_json(summary)
    else:
        if report.pages_recorded:
            print(f"recorded the lines of {report.pages_recorded} articles stored before "
                  "template learning")
        print("templates learned {templates_learned}, articles re-cleaned {recleaned}, "
              "lines removed {lines_removed}".format(**summary))
        for failure in report.failed:
            print(failure_line(failure))
    return EXIT_SOME_FAILED if report.failed else 0


def cmd_clean(args: argparse.Namespace) -> int:
    from storyline import pipeline
    from storyline.ingest.config import IngestConfig

    config = pipeline_config(args)
    articles, failures = pipeline.clean_path(args.file, config.article_cleaner(),
                                             config.section(IngestConfig))
    _print_failures(failures)
    if not articles:
        raise CommandError(f"nothing to clean in {args.file}")
    if args.json:
        shapes = [_clean_json(article) for article in articles]
        print_json(shapes[0] if len(shapes) == 1 else shapes)
    else:
        print("\n\n".join(_article_text(article, removed_count=True) for article in articles))
    return EXIT_SOME_FAILED if failures else 0


def cmd_articles(args: argparse.Namespace) -> int:
    with store_from(args) as store:
        rows = store.list_articles(
            limit=args.limit, offset=args.offset, language=args.language, outlet=args.outlet
        )
    if args.json:
        print_json([views.article_summary(row) for row in rows])
    else:
        for row in rows:
            print(_summary_line(row))
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    with store_from(args) as store:
        article = store.get_article(resolve_article_id(store, args.id))
    if article is None:  # deleted between the two queries
        raise CommandError(f"no article with id {args.id!r}")
    if args.json:
        print_json(views.article_detail(article, include_raw=args.raw))
    else:
        print(_article_text(article))
        if args.raw:
            print("\n--- raw input ---\n" + article.raw)
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    with store_from(args) as store:
        hits = store.search(args.query, limit=args.limit)
    if args.json:
        print_json([
            {**views.article_summary(hit), "snippet": hit["snippet"], "rank": hit["rank"]}
            for hit in hits
        ])
    else:
        for hit in hits:
            print(_summary_line(hit))
            print(f"    {hit['snippet']}")
    return 0


def _clean_json(article: Article) -> dict[str, Any]:
    data = article.to_dict()
    return {key: data[key] for key in CLEAN_JSON_KEYS}


def _summary_line(row: dict[str, Any]) -> str:
    published = (row.get("published") or "undated")[:10]
    outlet = row.get("outlet") or "-"
    return f"{row['id'][:12]}  {published:<10}  {outlet[:24]:<24}  {row['title']}"


def _article_text(article: Article, removed_count: bool = False) -> str:
    published = article.published or "unknown"
    if article.published_source:
        published += f" ({article.published_source})"
    fields = [
        ("id", article.id),
        ("source", article.source),
        ("url", article.url),
        ("outlet", article.outlet),
        ("byline", article.byline),
        ("dateline", article.dateline),
        ("published", published),
        ("language", article.language),
    ]
    lines = [article.title, "=" * min(len(article.title), 80)]
    lines += [f"{name}: {value}" for name, value in fields if value]
    lines += ["", article.text]
    if article.entities:
        ranked = sorted(article.entities, key=lambda entity: -entity.salience)
        lines += ["", "entities: " + ", ".join(entity.name for entity in ranked[:10])]
    if removed_count and article.removed:
        lines += ["", f"[removed {len(article.removed)} lines; --json lists them with reasons]"]
    return "\n".join(lines)


def _print_failures(failures: list[ReadFailure]) -> None:
    for failure in failures:
        print(failure_line(failure), file=sys.stderr)
