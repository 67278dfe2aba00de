"""`storyline reclean` and `storyline show` over a real SQLite file whose pages were stored
before their templates were learned."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storyline import pipeline
from storyline.clean.templates import TemplateRule
from storyline.cli import main
from storyline.store import Store
from tests.template_pages import FOOTER, PROMO, write_site_pages


def _run(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str]:
    code = main(["--db", str(db), *args])
    return code, capsys.readouterr().out


def test_reclean_removes_templates_and_show_gives_the_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = tmp_path / "gazette"
    write_site_pages(corpus, range(6))
    db = tmp_path / "store.db"
    with Store(db) as store:  # stored under a rule too strict to learn anything
        report = pipeline.ingest([str(corpus)], store, parallel=False, cluster=False,
                                 rule=TemplateRule(min_pages=50))
    article_id = report.new[0]

    code, out = _run(capsys, db, "reclean", "--source", "elsewhere.example", "--no-events",
                     "--json")
    assert code == 0 and json.loads(out)["recleaned"] == 0

    code, out = _run(capsys, db, "reclean", "--no-events", "--json")
    summary = json.loads(out)
    assert code == 0 and summary["recleaned"] == 6 and summary["failed"] == []
    assert summary["templates_learned"] >= 2 and summary["lines_removed"] >= 12
    assert summary["pages_recorded"] == 0  # ingest recorded them

    code, out = _run(capsys, db, "show", article_id[:10], "--json")
    shown = json.loads(out)
    reasons = {item["text"]: item["reason"] for item in shown["removed"]}
    assert reasons[FOOTER] == reasons[PROMO] == f"repeated on 6 pages of {corpus.resolve()}"
    assert FOOTER not in shown["text"]

    code, out = _run(capsys, db, "reclean", "--no-events")
    assert (code, out.strip()) == (0, "templates learned 0, articles re-cleaned 0, lines removed 0")
