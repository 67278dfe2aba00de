"""The Spark jobs' tunables: imported by the jobs on driver and executors, and by `storyline
config show` (without pyspark)."""

from __future__ import annotations

from dataclasses import dataclass

from storyline import settings


@dataclass(frozen=True)
class SparkConfig:
    """The Spark jobs' tunables (section `[spark]` of a pipeline configuration)."""

    master: str = settings.SPARK_DEFAULT_MASTER
    driver_memory: str = settings.SPARK_DRIVER_MEMORY
    # Files a worker cleans, enriches and encodes at once (bounds its memory).
    batch_files: int = settings.SPARK_BATCH_FILES
    partitions_per_core: int = settings.SPARK_PARTITIONS_PER_CORE
    # Border merge of the clustering job (see settings.py for why these values).
    border_terms: int = settings.SPARK_BORDER_TERMS
    border_similarity: float = settings.SPARK_BORDER_SIMILARITY
    border_links: int = settings.SPARK_BORDER_LINKS
    border_max_events: int = settings.SPARK_BORDER_MAX_EVENTS

    def __post_init__(self) -> None:
        for name in ("batch_files", "partitions_per_core", "border_terms", "border_links",
                     "border_max_events"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1")
        if not -1 <= self.border_similarity <= 1:
            raise ValueError("border_similarity must be a cosine similarity, from -1 to 1")
        if not self.master:
            raise ValueError("master must name a Spark master URL")
