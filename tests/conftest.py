"""Shared fixtures: a real SQLite store in a temp dir, and the shared evaluation data (skipped when absent)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from storyline.store import Store

# Property tests are about behaviour, never speed: on a shared, loaded machine hypothesis's
# per-example deadline and too-slow health check fail correct code.
settings.register_profile(
    "storyline", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("storyline")
# The commands tests start keep the test run's priority instead of lowering theirs to the
# background default (storyline.priority): on a busy machine a nice child would crawl.
os.environ.setdefault("STORYLINE_NICE", "0")
# Servers tests start wait for their answers: a cold brief on a loaded machine outlasts the
# default answer budget, whose 503 is tested on its own (tests/api/test_overload.py).
os.environ.setdefault("STORYLINE_ANSWER_SECONDS", "600")

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = PROJECT_ROOT.parent / "shared" / "data"
DEMO_CORPUS = PROJECT_ROOT / "demo" / "corpus"


# What makes a test slow (skipped by `make test-fast`, run by `make test`): it benchmarks, runs
# Spark, drives a browser, or starts processes (a `storyline` run, a server).
_SLOW_DIRS = {"bench", "spark"}
_PROCESS_STARTERS = {"subprocess", "run_storyline", "run_json", "storyline_command", "start_server"}
_PROCESS_FIXTURES = {"served", "newsroom", "browser", "spark"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        module = getattr(item, "module", None)
        uses = set(vars(module)) if module is not None else set()
        if (
            item.path.parent.name in _SLOW_DIRS
            or item.get_closest_marker("browser") is not None
            or uses & _PROCESS_STARTERS
            or set(getattr(item, "fixturenames", ())) & _PROCESS_FIXTURES
        ):
            item.add_marker(pytest.mark.slow)


def shared_data_path(name: str) -> Path:
    """Path of a shared evaluation data set, or skip the test with a clear message."""
    path = SHARED_DATA / name
    if not path.exists():
        pytest.skip(f"shared evaluation data {path} is absent")
    return path


@pytest.fixture
def store(tmp_path: Path) -> Store:
    db = Store(tmp_path / "test.db")
    yield db
    db.close()


@pytest.fixture
def seeds_dir() -> Path:
    return shared_data_path("seeds")
