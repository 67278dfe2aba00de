"""Spark interface: the read + clean + enrich part of ingest on Spark executors.

A thin shell like the CLI and REST API: executors call the same library code as `storyline
ingest` (`ingest.read_path` / `ingest.read_bytes`, `pipeline.prepare_each`), and the driver
stores the articles through `Store` and updates events as `pipeline.ingest` does. See
docs/spark.md for what runs where and the limits.
"""

from storyline.spark.job import (
    SparkUnavailable,
    ingest,
    load_articles,
    start_session,
    write_articles,
)

__all__ = ["SparkUnavailable", "ingest", "load_articles", "start_session", "write_articles"]
