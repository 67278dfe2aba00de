"""A store another process is writing to: the CLI waits a bounded time, then says so in one
line (exit 1) instead of a traceback; readers are not blocked (WAL)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from storyline.cli import main
from storyline.store import BUSY_TIMEOUT_VARIABLE, Store, open_store
from tests.cli.helpers import run_storyline, write_stories

WAIT_SECONDS = "0.5"


@pytest.fixture
def locked_db(tmp_path: Path) -> Iterator[tuple[Path, sqlite3.Connection]]:
    """A store whose write lock a second real connection holds until the test releases it."""
    db = tmp_path / "store.db"
    Store(db).close()
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    yield db, holder
    holder.close()


def test_a_write_to_a_locked_store_is_a_one_line_error(
    locked_db: tuple[Path, sqlite3.Connection], tmp_path: Path
) -> None:
    db, holder = locked_db
    write_stories(tmp_path / "corpus", 2)
    result = run_storyline(db, "ingest", str(tmp_path / "corpus"),
                           env={BUSY_TIMEOUT_VARIABLE: WAIT_SECONDS})
    assert result.returncode == 1
    assert result.stderr == (
        "storyline: the store is locked by another process writing to it (waited 0.5 s; "
        f"${BUSY_TIMEOUT_VARIABLE} sets how long); run this again when it is done\n"
    )
    holder.execute("ROLLBACK")
    again = run_storyline(db, "ingest", str(tmp_path / "corpus"))
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == "new 2, duplicate 0, failed 0"


def test_the_store_waits_as_long_as_the_variable_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(BUSY_TIMEOUT_VARIABLE, WAIT_SECONDS)
    with open_store(str(tmp_path / "store.db")) as store:
        assert store.conn.execute("PRAGMA busy_timeout").fetchone()[0] == 500
    monkeypatch.delenv(BUSY_TIMEOUT_VARIABLE)
    with open_store(str(tmp_path / "store.db")) as store:
        assert store.conn.execute("PRAGMA busy_timeout").fetchone()[0] == 30_000


def test_reading_a_locked_store_still_works(locked_db: tuple[Path, sqlite3.Connection]) -> None:
    db, _ = locked_db
    result = run_storyline(db, "articles", env={BUSY_TIMEOUT_VARIABLE: WAIT_SECONDS})
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("value", ["soon", "-1", "inf", "nan"])
def test_a_bad_busy_timeout_is_a_one_line_error(
    value: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv(BUSY_TIMEOUT_VARIABLE, value)
    assert main(["--db", str(tmp_path / "store.db"), "articles"]) == 1
    assert capsys.readouterr().err == (
        f"storyline: cannot open the store: ${BUSY_TIMEOUT_VARIABLE} must be a number of "
        f"seconds, not {value!r}\n"
    )
