"""File names are untrusted too: bytes that are not UTF-8 and control characters in a name must
neither stop a run nor split (and so spoof) a report line."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest

from storyline.ingest.decode import printable_name
from tests.cli.helpers import run_storyline, write_stories

GOOD_FILES = 5
ODD_STORY = (
    b"Ferry to Skerrow resumes after storm\n\nThe morning ferry to the island of Skerrow sailed "
    b"again on Friday after three days in port, the harbour master said.\n"
)


def non_utf8_path(folder: Path, name: bytes) -> bytes:
    return os.path.join(os.fsencode(folder), name)


def stored(db: Path, column: str) -> list[str]:
    with sqlite3.connect(db) as connection:
        return [row[0] for row in connection.execute(f"SELECT {column} FROM articles")]


def event_count(db: Path) -> int:
    with sqlite3.connect(db) as connection:
        return connection.execute("SELECT COUNT(*) FROM events").fetchone()[0]


def test_a_non_utf8_file_name_is_stored_under_an_escaped_name(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    headlines = write_stories(corpus, GOOD_FILES)
    with open(non_utf8_path(corpus, b"a\xff.txt"), "wb") as handle:
        handle.write(ODD_STORY)
    db = tmp_path / "store.db"
    result = run_storyline(db, "ingest", str(corpus))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout.strip() == f"new {GOOD_FILES + 1}, duplicate 0, failed 0"
    assert sorted(stored(db, "title")) == sorted(
        [*headlines.values(), "Ferry to Skerrow resumes after storm"]
    )
    assert f"{corpus}/a\\xff.txt" in stored(db, "source")
    assert event_count(db) > 0


def test_an_unreadable_non_utf8_file_fails_alone_with_exit_3(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    headlines = write_stories(corpus, GOOD_FILES)
    with open(non_utf8_path(corpus, b"b\xfe\xff.txt"), "wb") as handle:
        handle.write(b"\x00\x01" * 50)
    db = tmp_path / "store.db"
    result = run_storyline(db, "ingest", "--json", str(corpus))
    assert result.returncode == 3, result.stderr
    assert "Traceback" not in result.stderr
    report = json.loads(result.stdout)
    assert report["new"] == GOOD_FILES
    assert report["failed"] == [{
        "source": f"{corpus}/b\\xfe\\xff.txt", "reason": "binary file (NUL bytes), not text",
    }]
    assert sorted(stored(db, "title")) == sorted(headlines.values())
    assert event_count(db) > 0


def test_a_newline_in_a_name_cannot_split_or_spoof_the_failed_line(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write_stories(corpus, 1)
    spoof = "x.txt: empty file\nFAILED passwd: binary file\x1b[2K.txt"
    (corpus / spoof).write_bytes(b"")
    db = tmp_path / "store.db"
    text = run_storyline(db, "ingest", "--no-events", str(corpus))
    assert text.returncode == 3, text.stderr
    escaped = "x.txt: empty file\\nFAILED passwd: binary file\\x1b[2K.txt"
    assert text.stdout.splitlines() == [
        "new 1, duplicate 0, failed 1", f"FAILED {corpus}/{escaped}: empty file",
    ]
    as_json = run_storyline(db, "ingest", "--no-events", "--json", str(corpus))
    assert json.loads(as_json.stdout)["failed"][0]["source"] == f"{corpus}/{escaped}"
    cleaned = run_storyline(db, "clean", str(corpus / spoof))
    assert cleaned.returncode == 1
    assert cleaned.stderr.splitlines() == [
        f"FAILED {corpus}/{escaped}: empty file",
        f"storyline: nothing to clean in {corpus}/{escaped}",
    ]


@pytest.mark.parametrize(("name", "shown"), [
    ("plain name é.txt", "plain name é.txt"),
    ("a\udcff.txt", "a\\xff.txt"),
    ("line\nbreak", "line\\nbreak"),
    ("tab\there", "tab\\there"),
    ("\x1b[31mred", "\\x1b[31mred"),
    ("\u202etxt.exe", "\\u202etxt.exe"),
    ("para\u2029graph", "para\\u2029graph"),
])
def test_printable_name_escapes_only_what_is_unprintable(name: str, shown: str) -> None:
    assert printable_name(name) == shown
    assert printable_name(shown) == shown
