"""Spark ingest stores exactly what `pipeline.ingest` stores, through real Spark (local[2]).

One test drives every Spark path on one session: under `pytest -n 2` separate tests could land on
both workers and start a second JVM, which costs more than the whole check.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from storyline import pipeline, settings
from storyline.cli import main
from storyline.spark import ingest, load_articles, write_articles
from storyline.store import Store
from tests.cli.helpers import run_storyline
from tests.spark.corpus import BAD_FILE, STORIES, write_corpus


def stored_fields(store: Store) -> dict[str, dict[str, Any]]:
    return {
        article.id: {
            "title": article.title,
            "text": article.text,
            "published": article.published,
            "language": article.language,
            "entities": sorted(entity.id for entity in article.entities),
        }
        for article in store.iter_articles()
    }


def test_spark_paths_store_what_ingest_stores(
    spark: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = write_corpus(tmp_path / "corpus")
    bad_source = str(corpus / BAD_FILE)
    with Store(tmp_path / "reference.db") as reference:
        assert len(pipeline.ingest([str(corpus)], reference, cluster=False).new) == len(STORIES)
        expected = stored_fields(reference)
        page_sources = reference.page_source_names()
    assert {"en", "fr"} <= {fields["language"] for fields in expected.values()}
    assert any(fields["entities"] for fields in expected.values())

    with Store(tmp_path / "spark.db") as store:
        report = ingest([str(corpus)], store, spark, partitions=3)
        assert stored_fields(store) == expected
        assert sorted(report.new) == sorted(expected)
        assert [failure.source for failure in report.failed] == [bad_source]
        assert "binary" in report.failed[0].reason
        assert store.list_events(), "events were not clustered"
        vectors = store.get_vectors(settings.DEFAULT_ENCODER, report.new)
        assert vectors.keys() == set(report.new), "executors' vectors were not stored"
        # Page lines are recorded for template learning, under the sources ingest uses.
        assert store.unrecorded_page_ids() == []
        assert store.page_source_names() == page_sources
        with pytest.raises(ValueError, match="stdin"):
            ingest(["-"], store, spark)

    output = tmp_path / "out"
    write_articles([str(corpus)], str(output), spark, partitions=2)
    with Store(tmp_path / "loaded.db") as loaded:
        report = load_articles(str(output), loaded, cluster=False)
        assert stored_fields(loaded) == expected
        assert [failure.source for failure in report.failed] == [bad_source]

    # The command last: it stops the session when done. A re-run adds nothing.
    db = str(tmp_path / "spark.db")
    code = main(["--db", db, "spark-ingest", str(corpus), "--partitions", "2", "--json"])
    printed = json.loads(capsys.readouterr().out)
    assert code == 3
    assert (printed["new"], printed["duplicate"]) == (0, len(STORIES))
    assert [failure["source"] for failure in printed["failed"]] == [bad_source]
    with Store(db) as store:
        assert store.count_articles() == len(STORIES)


def test_spark_ingest_without_java_is_one_line_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No java anywhere: the command must say why, in one line, instead of a Py4J traceback.
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("JAVA_HOME", raising=False)

    result = run_storyline(tmp_path / "db.db", "spark-ingest", str(tmp_path))

    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert "cannot run Spark" in result.stderr
