"""Behaviour every store-backed subcommand shares (cli/common.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.cli import main

# One command per subcommand module that opens the store.
STORE_COMMANDS = [
    ("articles",), ("search", "word"), ("entities",), ("events",), ("storylines",),
    ("event", "some-id"), ("timeline", "word"),
]


@pytest.mark.parametrize("command", STORE_COMMANDS, ids=lambda c: c[0])
def test_a_store_that_cannot_be_opened_is_a_one_line_error(
    command: tuple[str, ...], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    not_a_database = tmp_path / "notes.db"
    not_a_database.write_text("these are notes, not an SQLite file\n" * 50)
    code = main(["--db", str(not_a_database), *command])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("storyline: cannot open the store: ") and err.count("\n") == 1
