"""The `fast` settings profile: what `storyline ingest --fast` switches, and that it restores."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from storyline import profiles, settings
from storyline.store import Store
from tests.conftest import DEMO_CORPUS

KESSEL = ["northern-wire-kessel-bridge-collapse.txt", "varnholm-herald-kessel-bridge.html",
          "northern-wire-kessel-report.txt", "nordkurier-rundschau-kessel-bruecke.txt"]


def test_active_profile_is_restored_after_the_block() -> None:
    before = settings.ENRICH_NER_BACKEND, settings.DEFAULT_ENCODER, settings.CLAIM_ENCODER
    with profiles.active("fast"):
        assert (settings.ENRICH_NER_BACKEND, settings.DEFAULT_ENCODER, settings.CLAIM_ENCODER
                ) == ("rules", "tfidf", None)
        from storyline.embed import get_encoder
        from storyline.events.cluster import EventClusterer

        assert get_encoder().name == "tfidf" and EventClusterer().encoder == "tfidf"
    assert (settings.ENRICH_NER_BACKEND, settings.DEFAULT_ENCODER, settings.CLAIM_ENCODER
            ) == before


def test_ingest_fast_clusters_on_hashed_features_with_rule_entities(tmp_path: Path) -> None:
    db = tmp_path / "fast.db"
    subprocess.run(
        [sys.executable, "-m", "storyline.cli", "--db", str(db), "ingest", "--fast",
         *(str(DEMO_CORPUS / name) for name in KESSEL)],
        check=True, capture_output=True, text=True, timeout=600,
    )
    with Store(db) as store:
        ids = [article.id for article in store.iter_articles()]
        assert len(ids) == len(KESSEL)
        assert len(store.get_vectors("tfidf", ids)) == len(ids)
        assert store.get_vectors("use", ids) == {}
        assert all(article.entities for article in store.get_articles(ids))
        events = store.list_events()
        assert events and max(len(event.members) for event in events) >= 2
