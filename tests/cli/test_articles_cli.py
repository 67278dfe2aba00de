"""End-to-end: the `storyline` command over a real SQLite file.

Ingest and clean run as real subprocesses (exit codes, stdout/stderr, stdin); the read-only
commands run in-process through the same `main()` to keep the suite fast on a busy machine.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from storyline.cli import main
from tests.cli.helpers import run_json, run_storyline, write_stories

CLEAN_KEYS = {
    "id", "title", "outlet", "published", "published_source", "byline", "dateline", "text",
    "removed",
}
BAD_JSON_REASON = "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"
KEEPER_RECORD = (
    '{"title": "Lighthouse keeper retires", "text": "After forty years the keeper of the'
    ' Skerrow light handed over the keys.", "outlet": "Isles Weekly", "date": "2026-01-12"}\n'
)


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A corpus of 4 articles ingested once (with events) and re-ingested once."""
    folder = tmp_path_factory.mktemp("cli")
    corpus = folder / "corpus"
    write_stories(corpus, 3)
    (corpus / "feed.jsonl").write_text(KEEPER_RECORD)
    db = folder / "store.db"
    first = run_storyline(db, "ingest", str(corpus))
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == "new 4, duplicate 0, failed 0"
    second = run_storyline(db, "ingest", "--no-events", str(corpus))
    assert second.returncode == 0, second.stderr
    assert second.stdout.strip() == "new 0, duplicate 4, failed 0"
    return db, corpus


def call(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def call_json(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> Any:
    code, out, err = call(capsys, db, *args, "--json")
    assert code == 0, err
    return json.loads(out)


def test_reingest_adds_nothing_and_store_is_sound(ingested: tuple[Path, Path]) -> None:
    db, _ = ingested
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert connection.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 4


def test_articles_listing(ingested: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    db, corpus = ingested
    rows = call_json(capsys, db, "articles")
    assert len(rows) == 4
    assert {"id", "title", "outlet", "published", "language", "source"} <= set(rows[0])
    assert f"{corpus / 'feed.jsonl'}#1" in {row["source"] for row in rows}
    assert len(call_json(capsys, db, "articles", "--limit", "2")) == 2
    code, out, _ = call(capsys, db, "articles")
    assert code == 0 and len(out.strip().splitlines()) == 4 and "Lighthouse keeper" in out


def test_show_and_search(ingested: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    db, _ = ingested
    rows = {row["title"]: row for row in call_json(capsys, db, "articles")}
    keeper = rows["Lighthouse keeper retires"]
    shown = call_json(capsys, db, "show", keeper["id"][:8])
    assert shown["id"] == keeper["id"] and "raw" not in shown and "Skerrow" in shown["text"]
    assert "Skerrow" in call_json(capsys, db, "show", keeper["id"], "--raw")["raw"]
    code, out, _ = call(capsys, db, "show", keeper["id"][:8])
    assert code == 0 and out.startswith("Lighthouse keeper retires\n") and "Skerrow" in out
    assert [hit["id"] for hit in call_json(capsys, db, "search", "Skerrow keeper")] == [keeper["id"]]
    assert call_json(capsys, db, "search", "nonexistentword") == []
    code, _, err = call(capsys, db, "show", "zzzz")
    assert code == 1 and "no article" in err


def test_mixed_good_and_bad_files_exit_3(tmp_path: Path, ingested: tuple[Path, Path]) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(ingested[1], corpus)
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    (corpus / "broken.jsonl").write_text('{"title": "ok", "text": "A fine record."}\n{oops\n')
    db = tmp_path / "store.db"
    result = run_storyline(db, "ingest", "--no-events", str(corpus), str(tmp_path / "missing.txt"))
    assert result.returncode == 3, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[0] == "new 5, duplicate 0, failed 4"
    assert sorted(lines[1:]) == sorted([
        f"FAILED {corpus / 'binary.txt'}: binary file (NUL bytes), not text",
        f"FAILED {corpus / 'broken.jsonl'}:2: invalid JSON: {BAD_JSON_REASON}",
        f"FAILED {corpus / 'empty.txt'}: empty file",
        f"FAILED {tmp_path / 'missing.txt'}: cannot read: No such file or directory",
    ])
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 5


def test_ingest_stdin_with_json_report(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    story = b"Tram line reopens in Brindlemoor\n\nThe number four tram runs again from Monday."
    result = run_storyline(db, "ingest", "--no-events", "--json", "-", stdin=story)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "new": 1, "duplicate": 0, "failed": [], "templates_learned": 0, "recleaned": 0,
    }
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT source FROM articles").fetchall() == [("stdin",)]


def test_clean_json_keys(tmp_path: Path) -> None:
    db = tmp_path / "unused.db"
    records = tmp_path / "two.jsonl"
    records.write_text(
        '{"title": "One", "text": "First record text."}\n'
        '{"title": "Two", "text": "Second record text."}\n'
    )
    several = run_json(db, "clean", str(records))
    assert [item["title"] for item in several] == ["One", "Two"]
    assert all(set(item) == CLEAN_KEYS for item in several)
    assert not db.exists(), "clean must not store anything"


def test_clean_single_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    names = write_stories(tmp_path, 1)
    path = str(tmp_path / next(iter(names)))
    single = call_json(capsys, tmp_path / "unused.db", "clean", path)
    assert set(single) == CLEAN_KEYS
    assert single["title"] == "Council of Brindlemoor approves budget line 0"
    assert all(set(item) == {"text", "reason"} for item in single["removed"])
    assert single["published"] is None or single["published"][:4].isdigit()
    code, out, _ = call(capsys, tmp_path / "unused.db", "clean", path)
    assert code == 0 and out.startswith("Council of Brindlemoor approves budget line 0\n")
    (tmp_path / "empty.txt").write_bytes(b"")
    code, _, err = call(capsys, tmp_path / "unused.db", "clean", str(tmp_path / "empty.txt"))
    assert code == 1 and f"FAILED {tmp_path / 'empty.txt'}: empty file" in err


@pytest.mark.parametrize("command", ["ingest", "clean", "articles", "show", "search"])
def test_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0 and "usage:" in capsys.readouterr().out
