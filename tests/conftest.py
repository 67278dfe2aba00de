"""Shared fixtures: a real SQLite store in a temp dir, and the shared evaluation data (skipped when absent)."""

from __future__ import annotations

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

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = PROJECT_ROOT.parent / "shared" / "data"
DEMO_CORPUS = PROJECT_ROOT / "demo" / "corpus"


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
