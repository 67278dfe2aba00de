"""Real Spark in local mode for the Spark tests; they skip when pyspark or Java is missing."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import Any

import pytest


def require_spark() -> None:
    pytest.importorskip("pyspark", reason="pyspark is not installed (the `spark` extra)")
    if shutil.which("java") is None:
        pytest.skip("no `java` on PATH: Spark needs a Java runtime")


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    """One small local[2] session per test module (starting a JVM costs seconds)."""
    require_spark()
    from storyline.spark import start_session
    from storyline.spark.config import SparkConfig

    session = start_session("local[2]", app_name="storyline-tests",
                            config=SparkConfig(driver_memory="512m"))
    yield session
    session.stop()
