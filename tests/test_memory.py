"""Freed heap memory goes back to the operating system, and what an event update loaded is freed
when it returns (what keeps `storyline watch` and a long ingest flat). The updates here run in
this process, as where it cannot fork (a server's threads); forked updates: tests/test_forked.py."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

import pytest

from storyline import events, forked, pipeline
from storyline.memory import _malloc_trim, release_free_memory
from storyline.store import Store
from tests.cli.helpers import write_stories


def resident_kib() -> int:
    status = Path("/proc/self/status").read_text()
    return next(int(line.split()[1]) for line in status.splitlines()
                if line.startswith("VmRSS:"))


@pytest.mark.skipif(_malloc_trim() is None, reason="needs glibc's malloc_trim")
def test_freed_blocks_below_a_live_one_are_returned() -> None:
    # 2 KB blocks come from malloc's heap (not Python's small-object arenas, not mmap); the last
    # one stays alive, so the heap's top cannot shrink by itself when the others are freed.
    blocks = [bytes(2048) for _ in range(60_000)]
    kept = blocks[-1]
    del blocks
    holding = resident_kib()
    assert release_free_memory()
    assert holding - resident_kib() > 50 * 1024  # of the ~120 MB freed
    assert len(kept) == 2048


def test_an_updates_clusterer_is_freed_when_the_update_returns(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Without waiting for the cyclic collector: a clusterer that referred to itself (through its
    # index's function reading vectors) kept its rows and index segments until a full collection,
    # and for good when the next ingest froze the collector's objects before forking.
    loaded: list[weakref.ref] = []

    def load_and_watch(*args: object, **kwargs: object) -> object:
        found = load_clusterer(*args, **kwargs)
        if found is not None:
            loaded.append(weakref.ref(found[0]))
        return found

    load_clusterer = events.load_clusterer
    monkeypatch.setattr(events, "load_clusterer", load_and_watch)
    monkeypatch.setattr(forked, "can_fork", lambda: False)
    with Store(tmp_path / "store.db") as store:
        for batch, count in (("first", 3), ("second", 4)):
            write_stories(tmp_path / batch, count)
            pipeline.ingest(sorted(str(p) for p in (tmp_path / batch).iterdir()), store,
                            cluster=False, parallel=False)
            gc.disable()
            try:
                pipeline.update_events(store)
                assert all(ref() is None for ref in loaded)
            finally:
                gc.enable()
    assert len(loaded) == 1  # the first update builds the events; the second loads them


def test_an_update_leaves_no_term_strings_held(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    # The process-wide term numbering kept every term string of every update (made while that
    # update's rows were decoded, among blocks freed when it returns): about 90k strings an
    # update at 5k articles, and arenas they kept from being reused or returned.
    from storyline.events import features

    numbered: list[str] = []
    number = features._TERMS.of

    def number_and_count(item: features.ArticleFeatures, kind: features.TermKind) -> object:
        numbered.append(item.id)
        return number(item, kind)

    monkeypatch.setattr(features._TERMS, "of", number_and_count)
    monkeypatch.setattr(forked, "can_fork", lambda: False)
    with Store(tmp_path / "store.db") as store:
        for batch, count in (("first", 3), ("second", 4)):
            write_stories(tmp_path / batch, count)
            pipeline.ingest(sorted(str(p) for p in (tmp_path / batch).iterdir()), store,
                            cluster=False, parallel=False)
            numbered.clear()
            pipeline.update_events(store)
            assert numbered  # the update compared articles on their terms
            assert features._TERMS.names == [] and features._TERMS.numbers == {}
