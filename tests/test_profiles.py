"""The `fast` profile: what `storyline ingest --fast` switches (a set of configuration overrides,
nothing assigned to settings), and that the pipeline runs with it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from storyline.config import ConfigError, PipelineConfig
from storyline.store import Store
from storyline.summarize.vectors import ClaimEncoding
from storyline.watch import WatchConfig
from tests.conftest import DEMO_CORPUS

KESSEL = ["northern-wire-kessel-bridge-collapse.txt", "varnholm-herald-kessel-bridge.html",
          "northern-wire-kessel-report.txt", "nordkurier-rundschau-kessel-bruecke.txt"]


def test_fast_profile_overrides_the_costly_components_and_keeps_the_rest() -> None:
    mine = PipelineConfig.from_dict({
        "clusterer": {"name": "online", "threshold": 0.3},
        "watch": {"max_attempts": 2},
        "claims": {"sentences": 12},
    })
    fast = mine.with_profile("fast")
    assert (fast.ner.name, fast.encoder.name) == ("rules", "tfidf")
    clusterer = fast.component("clusterer").parameters()
    assert clusterer == {"threshold": 0.3, "encoder": "tfidf"}  # follows the pipeline's encoder
    claims = fast.section(ClaimEncoding)
    assert (claims.encoder, claims.sentences) == ("", 12)  # words only
    assert fast.section(WatchConfig).max_attempts == 2
    default = PipelineConfig()
    assert default.component("clusterer").parameters()["encoder"] == default.encoder.name
    assert default.section(ClaimEncoding).encoder == "use"
    with pytest.raises(ConfigError, match="unknown profile"):
        mine.with_profile("turbo")


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
