"""Briefs of the demo bridge event (our own en/fr/es fiction) with the multilingual encoder."""

from __future__ import annotations

import pytest

from storyline.pipeline import ingest
from storyline.store import Store
from storyline.summarize.brief import Brief, build_brief
from tests.conftest import DEMO_CORPUS

BRIDGE_FILES = (
    "northern-wire-kessel-bridge-collapse.txt",
    "morning-ledger-varnholm-tram-river.txt",
    "courrier-continental-pont-varnholm.txt",
    "diario-del-norte-export.jsonl",
    "varnholm-herald-kessel-bridge.html",
)


@pytest.fixture(scope="module")
def bridge(tmp_path_factory: pytest.TempPathFactory) -> Brief:
    store = Store(tmp_path_factory.mktemp("bridge") / "bridge.db")
    try:
        report = ingest([str(DEMO_CORPUS / name) for name in BRIDGE_FILES], store)
        assert report.ok
        [event] = [e for e in store.list_events() if "Kessel" in " ".join(
            a.text for a in store.get_articles(e.article_ids))]
        yield build_brief(event, store.get_articles(event.article_ids))
    finally:
        store.close()


def _claims_about(brief: Brief, *markers: str) -> list[dict]:
    """Corroborated and single-source items whose sentence or versions contain a marker."""
    found = []
    for item in brief.corroborated + brief.single_source:
        texts = [item["text"], *(v["text"] for v in item.get("versions", []))]
        if any(marker in text for text in texts for marker in markers):
            found.append(item)
    return found


@pytest.mark.parametrize(
    "markers",
    [
        ("tram and several cars", "tramway et plusieurs", "tranvía y varios"),
        ("days of mourning", "jours de deuil", "días de luto"),
    ],
)
def test_a_fact_in_three_languages_is_one_claim_with_three_sources(
    bridge: Brief, markers: tuple[str, ...]
) -> None:
    [claim] = _claims_about(bridge, *markers)
    assert claim in bridge.corroborated
    assert claim["sources"] == 3
    assert claim["language"] == "en"  # shown in English, the other versions one click away
    assert {v["language"] for v in claim["versions"]} >= {"fr", "es"}


def test_death_toll_is_one_claim_in_three_languages(bridge: Brief) -> None:
    toll = [c for c in bridge.corroborated
            if any(m in t for t in [c["text"], *(v["text"] for v in c["versions"])]
                   for m in ("quatre personnes", "cuatro personas"))]
    assert len(toll) == 1 and toll[0]["sources"] >= 3
    assert {toll[0]["language"], *(v["language"] for v in toll[0]["versions"])} == {"en", "fr", "es"}


def test_a_copy_is_a_second_version_of_its_wire_not_a_publisher(bridge: Brief) -> None:
    labels = [p["label"] for p in bridge.publishers]
    assert len(labels) == 4
    assert any(label.startswith("Northern Wire") and "(2 versions)" in label for label in labels)
    assert not any("Morning Ledger" in o for c in bridge.corroborated for o in c["outlets"])
