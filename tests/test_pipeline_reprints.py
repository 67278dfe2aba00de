"""The first comment of a thread told by the source's other pages, through the real pipeline:
at ingest, when the pages printing the story come in the same run, and by `reclean` when they
come later (`storyline.clean.reprints`). Every page here is invented."""

from __future__ import annotations

from pathlib import Path

from storyline import pipeline
from storyline.clean.reprints import reason
from storyline.clean.templates import fingerprint
from storyline.store import Store
from tests.clean.test_reprints import COMMENT, FORM, HEADLINE, OTHER_POST, STORY


def _write(folder: Path, name: str, *lines: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text("\n\n".join(lines) + "\n", encoding="utf-8")


def _write_post(folder: Path) -> None:
    _write(folder, "post.txt", HEADLINE, *STORY, *COMMENT, FORM)


def _write_index(folder: Path) -> None:
    _write(folder, "index.txt", "Latest posts from the coast desk", *STORY, OTHER_POST)


def _post(store: Store):
    return next(a for a in store.iter_articles() if a.title == HEADLINE)


def test_ingest_removes_the_comment_when_the_index_comes_in_the_same_run(tmp_path: Path) -> None:
    corpus = tmp_path / "ledger"
    _write_post(corpus)
    _write_index(corpus)
    store = Store(tmp_path / "store.db")
    report = pipeline.ingest([str(corpus)], store, parallel=False, cluster=False)
    post = _post(store)
    assert not any(line in post.text for line in COMMENT)
    assert all(line in post.text for line in STORY)
    removed = {item.text: item.reason for item in post.removed}
    assert all(removed[line] == reason(str(corpus.resolve())) for line in COMMENT)
    assert post.id in report.recleaned
    # What the store records of the page follows its text: the comment is no longer kept.
    kept = store.kept_lines([post.id])[post.id]
    assert fingerprint(STORY[0]) in kept and fingerprint(COMMENT[0]) not in kept


def test_reclean_removes_the_comment_when_the_index_comes_later(tmp_path: Path) -> None:
    corpus = tmp_path / "ledger"
    store = Store(tmp_path / "store.db")
    _write_post(corpus)
    pipeline.ingest([str(corpus)], store, parallel=False, cluster=False)
    assert all(line in _post(store).text for line in COMMENT)
    _write_index(corpus)
    pipeline.ingest([str(corpus)], store, parallel=False, cluster=False)
    report = pipeline.reclean(store, cluster=False)
    post = _post(store)
    assert report.recleaned == [post.id]
    assert not any(line in post.text for line in COMMENT)
    assert all(line in post.text for line in STORY)
    again = pipeline.reclean(store, cluster=False)
    assert again.recleaned == [] and _post(store).text == post.text


def test_a_page_sharing_one_line_changes_nothing(tmp_path: Path) -> None:
    corpus = tmp_path / "ledger"
    _write_post(corpus)
    _write(corpus, "other.txt", "Ferries add weekend crossings", OTHER_POST, STORY[0])
    store = Store(tmp_path / "store.db")
    report = pipeline.ingest([str(corpus)], store, parallel=False, cluster=False)
    assert report.recleaned == []
    assert all(line in _post(store).text for line in COMMENT)
