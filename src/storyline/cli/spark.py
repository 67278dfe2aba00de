"""`storyline spark-ingest`: ingest on Apache Spark (read, clean, enrich on executors).

Prints what `storyline ingest` prints and exits the same way: 0 all went in, 3 some files failed
(listed as FAILED lines), 1 error, including a missing pyspark or Java runtime.
"""

from __future__ import annotations

import argparse

from storyline.cli.common import (
    CommandError,
    add_json_flag,
    pipeline_config,
    report_ingest,
    run_safely,
    store_from,
)


def register(subparsers: argparse._SubParsersAction) -> None:
    spark = subparsers.add_parser(
        "spark-ingest",
        help="ingest on Apache Spark: read, clean, enrich and cluster on executors, store here",
        description="Like `ingest`, but reading, cleaning, enrichment and event clustering run on "
        "Spark executors; articles and events come back to this process, which stores them. "
        "Local paths "
        "must be visible to every executor; hdfs://, s3a:// or file:// URIs are read by Spark.",
        epilog="Needs the `spark` extra (pyspark) and Java 17+. Exit codes: 0 all went in; 3 "
        "some files failed (listed as FAILED lines); 1 error.",
    )
    spark.add_argument("paths", nargs="+", metavar="PATH", help="file, folder or URI")
    spark.add_argument(
        "--master", default=None,
        help="Spark master URL (default: [spark] master of --config, local[*])",
    )
    spark.add_argument(
        "--partitions", type=int, default=None, metavar="N",
        help="split the files into N partitions (default: 4 per core)",
    )
    spark.add_argument(
        "--no-events", action="store_true",
        help="only store the articles; do not update events and storylines",
    )
    spark.add_argument(
        "--events-on", choices=("spark", "driver"), default="spark",
        help="spark (default): rebuild every event with the clustering on the executors; "
        "driver: update events online here (cheaper when a few files join a big store)",
    )
    add_json_flag(spark)
    spark.set_defaults(func=run_safely(cmd_spark_ingest))


def cmd_spark_ingest(args: argparse.Namespace) -> int:
    from storyline import spark
    from storyline.spark.config import SparkConfig

    if args.partitions is not None and args.partitions < 1:
        raise CommandError("--partitions must be at least 1")
    pipeline = pipeline_config(args)
    config = pipeline.section(SparkConfig)
    try:
        session = spark.start_session(args.master, config=config)
    except spark.SparkUnavailable as reason:
        raise CommandError(f"cannot run Spark: {reason}") from None
    try:
        with store_from(args) as store:
            report = spark.ingest(
                args.paths, store, session, args.partitions, cluster=not args.no_events,
                events_on_spark=args.events_on == "spark", config=config,
                pipeline_config=pipeline,
            )
    except ValueError as error:
        raise CommandError(str(error)) from None
    finally:
        session.stop()
    return report_ingest(report, args.json)
