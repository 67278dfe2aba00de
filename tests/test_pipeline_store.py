"""The ingest stores articles in groups, one transaction each with their entities, page lines
and vectors (`pipeline.STORE_GROUP_ARTICLES`), in a real SQLite file: a failure inside a group
loses nothing of the groups committed before it and leaves nothing of its own; an article the
store refuses costs that article only."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from storyline import pipeline
from storyline.config import PipelineConfig
from storyline.model import Article
from storyline.store import Store
from storyline.store.safety import check
from tests.cli.helpers import write_stories

FAST = PipelineConfig().with_profile("fast")


def stored(db: Path) -> tuple[set[str], set[str]]:
    """Ids of the stored articles and of the articles with a stored vector."""
    with sqlite3.connect(db) as connection:
        return ({row[0] for row in connection.execute("SELECT id FROM articles")},
                {row[0] for row in connection.execute("SELECT article_id FROM vectors")})


def test_a_failure_inside_a_group_keeps_the_groups_before_and_nothing_of_its_own(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_stories(tmp_path / "corpus", 8)
    db = tmp_path / "store.db"
    monkeypatch.setattr(pipeline, "STORE_GROUP_ARTICLES", 3)
    groups: list[list[str]] = []
    put_vectors = Store.put_vectors

    def failing_second_group(self: Store, encoder: str, vectors: dict) -> None:
        groups.append(list(vectors))
        if len(groups) == 2:  # the group's articles are written, its vectors fail
            raise sqlite3.OperationalError("database or disk is full")
        put_vectors(self, encoder, vectors)

    monkeypatch.setattr(Store, "put_vectors", failing_second_group)
    with Store(db) as store, pytest.raises(sqlite3.OperationalError):
        pipeline.ingest([str(tmp_path / "corpus")], store, cluster=False, parallel=False,
                        config=FAST)
    articles, vectors = stored(db)
    assert articles == vectors == set(groups[0])
    assert len(articles) == 3
    monkeypatch.setattr(Store, "put_vectors", put_vectors)
    with Store(db) as store:
        report = pipeline.ingest([str(tmp_path / "corpus")], store, cluster=False,
                                 parallel=False, config=FAST)
        assert check(store) == []
    assert (len(report.new), len(report.duplicate)) == (5, 3)
    articles, vectors = stored(db)
    assert articles == vectors
    assert len(articles) == 8


def test_an_article_the_store_refuses_costs_only_that_article(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_stories(tmp_path / "corpus", 8)
    db = tmp_path / "store.db"
    write_entities = Store._write_entities
    written: list[str] = []

    def refusing_the_second(self: Store, article: Article) -> None:
        written.append(article.id)
        if len(written) == 2:  # after the article's row went in
            raise ValueError("refused")
        write_entities(self, article)

    monkeypatch.setattr(Store, "_write_entities", refusing_the_second)
    with Store(db) as store:
        report = pipeline.ingest([str(tmp_path / "corpus")], store, cluster=False,
                                 parallel=False, config=FAST)
        assert [failure.reason for failure in report.failed] == [
            "store rejected the article: refused"]
        assert written[1] not in report.new
        assert check(store) == []
    # Its row went in before its entities failed: the row is gone too.
    articles, vectors = stored(db)
    assert articles == vectors == set(report.new)
    assert len(articles) == 7
