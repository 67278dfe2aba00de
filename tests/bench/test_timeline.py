"""The timeline benchmark: any folder with the Timeline17 layout, any language; and Timeline17."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from storyline.bench import timeline as bench
from tests.conftest import shared_data_path

RESULT_KEYS = {"timelines", "ar1_f", "ar2_f", "date_f1", "seconds_per_topic", "per_timeline"}

# Our own French mini collection: a strike that starts on 4 March and ends on 12 March.
FRENCH_DOCS = {
    "2024-03-04": [
        ("Grève des dockers au port de Brest\n"
        "Les dockers du port de Brest ont lancé une grève illimitée ce lundi .\n"
        "Le syndicat réclame une hausse des salaires de dix pour cent .\n"),
        ("Brest : le port à l' arrêt\n"
        "La grève des dockers a bloqué tous les navires au port de Brest lundi .\n"
        "Les camions attendaient devant les grilles du terminal .\n"),
    ],
    "2024-03-07": [
        ("Négociations au port de Brest\n"
        "Les dockers en grève depuis le 4 mars rencontrent la direction du port .\n"
        "Aucun accord n' a été trouvé après six heures de discussions .\n"),
    ],
    "2024-03-12": [
        ("Fin de la grève à Brest\n"
        "Les dockers de Brest ont voté la fin de la grève ce mardi après un accord salarial .\n"
        "Le travail reprendra au port dès mercredi matin .\n"),
        ("Accord au port de Brest\n"
        "La direction du port de Brest et les dockers ont signé un accord mardi .\n"
        "La grève commencée le 4 mars est terminée .\n"),
    ],
}
FRENCH_GOLD = (
    "2024-03-04\n"
    "Les dockers du port de Brest lancent une grève illimitée pour les salaires .\n"
    "--------------------------------\n"
    "2024-03-12\n"
    "Les dockers votent la fin de la grève après un accord salarial .\n"
    "--------------------------------\n"
)


def _write_french_collection(root: Path) -> Path:
    topic = root / "greve_brest"
    for day, documents in FRENCH_DOCS.items():
        folder = topic / "InputDocs" / day
        folder.mkdir(parents=True)
        for number, text in enumerate(documents):
            (folder / f"{number}.htm.txt").write_text(text, "utf-8")
    (topic / "timelines").mkdir()
    (topic / "timelines" / "greve.txt").write_text(FRENCH_GOLD, "utf-8")
    (topic / "keywords.json").write_text(json.dumps(["grève", "dockers"]), "utf-8")
    return root


def _args(cache: Path, limit: int | None = None) -> argparse.Namespace:
    return argparse.Namespace(
        limit_timelines=limit, dates_from="auto", cache=cache, no_cache=False
    )


def test_gold_timeline_reader(tmp_path: Path) -> None:
    path = tmp_path / "gold.txt"
    path.write_text(FRENCH_GOLD + "2024-03-20\n--------------------------------\n", "utf-8")
    gold = bench.read_gold_timeline(path)
    assert [d.isoformat() for d in gold] == ["2024-03-04", "2024-03-12"]  # empty date dropped
    assert gold[min(gold)] == [
        "Les dockers du port de Brest lancent une grève illimitée pour les salaires ."
    ]


def test_french_collection_finds_the_gold_dates(tmp_path: Path) -> None:
    data = _write_french_collection(tmp_path / "data")
    result = bench.run(data, _args(tmp_path / "cache"))
    assert RESULT_KEYS <= set(result)
    assert result["timelines"] == 1
    row = result["per_timeline"][0]
    assert row["gold_dates"] == 2 and row["k"] == 1
    assert result["date_f1"] == pytest.approx(1.0)
    assert 0 < result["ar1_f"] <= 1 and 0 <= result["ar2_f"] <= 1
    assert result["topics"][0]["language"] == "fr"
    # The second run reads the resolved dates from the cache and scores the same.
    again = bench.run(data, _args(tmp_path / "cache"))
    assert again["dates_cached"] is True
    assert again["ar1_f"] == result["ar1_f"]
    text = bench.format_text(result)
    assert "greve_brest/greve.txt" in text and "seconds per topic" in text


def test_timeline17_one_timeline(tmp_path: Path) -> None:
    data = shared_data_path("timeline17")
    result = bench.run(data, _args(tmp_path / "cache", limit=1))
    assert RESULT_KEYS <= set(result)
    assert result["timelines"] == 1
    row = result["per_timeline"][0]
    assert row["predicted_dates"] <= row["gold_dates"]
    # Far above what an empty or random timeline scores (both near 0).
    assert result["ar1_f"] > 0.05
    assert result["date_f1"] > 0.3


def test_weight_grid_holds_the_shipped_weights_once() -> None:
    grid = bench.weight_grid()
    assert grid[0] == bench.TimelineWeights()
    assert len(grid) == len(set(grid)) > 1
    assert bench._topic_family("bpoil_bbc") == bench._topic_family("BPoil_reuters") == "bpoil"


def test_cross_validation_reports_held_out_and_tuned_means(tmp_path: Path) -> None:
    data = _write_french_collection(tmp_path / "data")
    # A second story (same text, other family name), so each story is held out once.
    (data / "greve_brest").rename(data / "brest_port")
    _write_french_collection(data)
    args = _args(tmp_path / "cache")
    args.cv, args.jobs = True, 2
    result = bench.run(data, args)
    cv = result["cv"]
    assert cv["protocol"].startswith("leave-one-story-out over 2 stories")
    assert set(cv["chosen_per_story"]) == {"brest", "greve"}
    for key in ("held_out", "tuned_on_all"):
        assert cv[key]["date_f1"] == pytest.approx(1.0)
        assert 0 < cv[key]["ar1_f"] <= 1
    assert len(cv["held_out_per_timeline"]) == 2
    text = bench.format_text(result)
    assert "held out (honest)" in text and "weights tuned on all:" in text
