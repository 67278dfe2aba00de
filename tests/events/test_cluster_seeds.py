"""The seed stories through the real pipeline: the 2013 call and the 2018 meeting of the same two
leaders are two events, and the undated reports of the meeting stay out of the 2013 event."""

from __future__ import annotations

from pathlib import Path

from storyline.pipeline import ingest


def test_seeds_cluster_into_two_events(seeds_dir: Path, store) -> None:
    ingest([str(seeds_dir)], store)
    by_seed = {a.id: Path(a.source).name[:3] for a in store.iter_articles()}
    events = {frozenset(by_seed[i] for i in e.article_ids): e for e in store.list_events()}
    assert set(events) == {frozenset({"000", "001", "002"}), frozenset({"003", "004"})}
    assert events[frozenset({"000", "001", "002"})].date == "2013-11-14"
    assert len(store.list_storylines()) == 1
