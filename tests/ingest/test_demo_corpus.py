"""The bundled demo corpus reads cleanly with every reader and has the promised shape."""

from __future__ import annotations

from collections import Counter

from storyline.ingest import read_path
from storyline.model import RawDocument
from tests.conftest import DEMO_CORPUS


def test_demo_corpus_reads_without_failures() -> None:
    items = list(read_path(str(DEMO_CORPUS)))
    failures = [item for item in items if not isinstance(item, RawDocument)]
    assert not failures
    formats = Counter(item.format for item in items)
    assert len(items) >= 32
    assert formats["html"] >= 3 and formats["json"] >= 3 and formats["feed"] == 3
    assert formats["text"] >= 20
    for item in items:
        words = len(item.text.split())
        assert 100 <= words <= 420, (item.source, words)
