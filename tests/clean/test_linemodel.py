"""The line model: the tree walk, the shipped model file, and removals that name their reason."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import numpy as np
import pytest

from storyline.clean import clean_text, features, linemodel, train
from storyline.clean.cleaner import line_verdicts
from storyline.clean.config import CleanerConfig
from storyline.clean.linemodel import ModelMismatch, TreeEnsemble, load_model, parse_model
from storyline.clean.train import label_lines
from tests.conftest import DEMO_CORPUS


def _stump() -> TreeEnsemble:
    """One tree: x0 <= 0.5 → leaf -2, else x1 <= 3 → leaf 1, else leaf 3 (log-odds)."""
    return TreeEnsemble(
        roots=np.array([0]),
        feature=np.array([0, 0, 1, 0, 0]),
        threshold=np.array([0.5, np.inf, 3.0, np.inf, np.inf]),
        left=np.array([1, 1, 3, 3, 4]),
        right=np.array([2, 1, 4, 3, 4]),
        value=np.array([0.0, -2.0, 0.0, 1.0, 3.0]),
        base=0.5,
        depth=2,
    )


def test_trees_walk_to_their_leaves() -> None:
    rows = np.array([[0.0, 9.0], [0.5, 0.0], [1.0, 3.0], [1.0, 3.5]])
    expected = 1 / (1 + np.exp(-np.array([-1.5, -1.5, 1.5, 3.5])))
    assert np.allclose(_stump().probability(rows), expected)
    assert _stump().probability(np.zeros((0, 2))).shape == (0,)


def test_model_round_trips_through_json_arrays() -> None:
    again = TreeEnsemble.from_dict(_stump().to_dict())
    rows = np.array([[0.0, 9.0], [1.0, 3.5]])
    assert np.allclose(again.probability(rows), _stump().probability(rows))


def test_shipped_model_loads_and_matches_the_features() -> None:
    model = load_model()
    assert 0.0 < model.threshold < 1.0
    assert model.first.feature.max() < len(features.STAGE_ONE_NAMES)
    assert model.second.feature.max() < len(features.STAGE_TWO_NAMES)


def test_a_model_of_other_features_is_refused() -> None:
    with pytest.raises(ModelMismatch):
        parse_model({"stage_one_features": ["length"], "stage_two_features": [], "threshold": 0.5})


_PAGE = """Harbour cranes stop as dockers strike | The Harbour Times
Home
News
Sport
Business
Weather
Harbour cranes stop as dockers strike
Dockers at the northern harbour stopped work on Tuesday for a second day running, leaving ships waiting offshore.
The union said talks with the port authority had broken down over the rota for night shifts and weekend pay.
A spokesman for the authority said it hoped to meet the union again before the end of the week.
Most popular
Ferry fares to rise in spring
New bridge opens to cyclists
Council approves budget
About us
Contact
Careers
"""


def test_page_chrome_goes_with_the_models_reason_and_the_story_stays() -> None:
    result = clean_text(_PAGE)
    assert result.title == "Harbour cranes stop as dockers strike"
    assert len(result.paragraphs) == 3
    assert result.paragraphs[0].startswith("Dockers at the northern harbour")
    reasons = {item.text: item.reason for item in result.removed}
    assert any(re.fullmatch(r"model: p\(body\)=0\.\d\d", reason) for reason in reasons.values())
    assert "Careers" in reasons and "Ferry fares to rise in spring" in reasons
    assert all(reason.startswith(("navigation", "related")) for reason in
               (item.reason for item in clean_text(_PAGE, line_model=False).removed))


def test_when_the_model_took_every_line_its_likeliest_come_back_not_the_menus(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    doubting = dataclasses.replace(load_model(), threshold=1.0)  # every line below the cut
    monkeypatch.setattr(linemodel, "load_model", lambda: doubting)
    kept = clean_text(_PAGE, config=CleanerConfig(lead_max_distance=0)).paragraphs
    assert len(kept) == 3
    assert kept[0].startswith("Dockers at the northern harbour")


def test_training_labels_come_from_the_body_and_the_gold_snippets() -> None:
    lines = ["Home", "Dockers stopped work on Tuesday for a second day running.",
             "Ferry fares to rise in spring", "A caption that quotes: dockers stopped work today"]
    body = "Dockers stopped work on Tuesday for a second day running.\n\nThe union said no."
    labels, snippets = label_lines(lines, body, ["Dockers stopped work on Tuesday"], ["Home"])
    assert labels.tolist()[:3] == [0, 1, 0]
    assert snippets.tolist()[:3] == [1.0, 1.0, 0.0]



def test_the_model_trains_on_the_verdicts_it_is_given_at_run_time() -> None:
    # Training used to read the detectors' verdicts alone while clean_text also gave the model
    # the header reader's (byline, date, headline): the model was scored on features it never
    # saw in training.
    page = (DEMO_CORPUS / "northern-wire-kessel-bridge-collapse.txt").read_text(encoding="utf-8")
    lines, reasons = line_verdicts(page)
    by_text = {line.text: reason for line, reason in zip(lines, reasons, strict=True)}
    assert by_text["Bridge collapses in Varnholm during evening rush, four dead"] == "title"
    assert by_text["By Petra Lund"] == "byline"
    seen: list[list[str | None]] = []
    real = features.stage_one

    def spying(lines: list, reasons: list[str | None]) -> np.ndarray:
        seen.append(list(reasons))
        return real(lines, reasons)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(features, "stage_one", spying)
        clean_text(page)
    assert seen == [reasons]


def test_a_last_line_the_rules_keep_without_its_agency_mark_is_labelled_body() -> None:
    # The rules cut an agency mark off the last paragraph they keep; a wire lead keeps its
    # dateline, so only the paragraph itself is body.
    paragraphs = ["VARNHOLM (Northern Wire) - A section of the bridge collapsed.",
                  "Divers searched the river (Wire)"]
    assert train._kept_by_rules("VARNHOLM (Northern Wire) - A section of the bridge collapsed.",
                                paragraphs)
    assert train._kept_by_rules("Divers searched the river (Wire) (AP)", paragraphs)
    assert not train._kept_by_rules("A section of the bridge collapsed.", paragraphs)
    assert not train._kept_by_rules("Share this article", paragraphs)
    assert not train._kept_by_rules("Anything", [])


def test_the_lead_under_a_byline_and_a_date_the_rules_removed_is_kept() -> None:
    # The byline and date sit between headline and lead; once the rules take them the lead is
    # right under the headline. When they still counted as distance, the model took this
    # wire story's whole lead (p(body)=0.02), and its agency went with it.
    page = (DEMO_CORPUS / "northern-wire-kessel-bridge-collapse.txt").read_text(encoding="utf-8")
    cleaned = clean_text(page)
    assert cleaned.paragraphs[0].startswith("VARNHOLM (Northern Wire) - A section of the Kessel")
    assert (cleaned.dateline, cleaned.dateline_agency) == ("VARNHOLM", "Northern Wire")


_LISTS_PAGE = """Harbour cranes stop as dockers strike | The Harbour Times
Home
News
Harbour cranes stop as dockers strike
Dockers at the northern harbour stopped work on Tuesday for a second day running, leaving ships waiting offshore.
The union said talks with the port authority had broken down over the rota for night shifts and weekend pay.
The union named the ports where crews will walk out next:
Northern harbour, from Monday
Eastern docks, from Wednesday
A spokesman for the authority said it hoped to meet the union again before the end of the week.
Also in the Harbour Times today:
Ferry fares to rise in spring
New bridge opens to cyclists
About us
"""


class _FixedModel:
    """A line model that gives each line a set p(body): 0.9 unless listed."""

    threshold = 0.5

    def __init__(self, doubts: dict[str, float]) -> None:
        self.doubts = doubts

    def body_probabilities(self, lines, reasons):  # type: ignore[no-untyped-def]
        return np.array([self.doubts.get(line.text, 0.9) for line in lines])


def test_a_list_a_line_introduces_goes_only_when_the_model_is_sure(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    doubts = {"Northern harbour, from Monday": 0.3, "Eastern docks, from Wednesday": 0.3,
              "Ferry fares to rise in spring": 0.05, "New bridge opens to cyclists": 0.05}
    monkeypatch.setattr(linemodel, "load_model", lambda: _FixedModel(doubts))
    result = clean_text(_LISTS_PAGE)
    assert "Eastern docks, from Wednesday" in result.paragraphs
    reasons = {item.text: item.reason for item in result.removed}
    assert reasons["Ferry fares to rise in spring"] == "model: p(body)=0.05"
    assert reasons["New bridge opens to cyclists"] == "model: p(body)=0.05"


def test_training_is_deterministic_and_the_shipped_file_is_its_output(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The shipped file was written with today's settings (`train --check` retrains it whole).
    shipped = json.loads((Path(train.__file__).parent.parent / "data" / "clean_model.json")
                         .read_text(encoding="utf-8"))
    assert (shipped["seed"], shipped["bags"], shipped["boosting"], shipped["threshold"]) == (
        train.SEED, train.BAGS, train.BOOSTING, train.THRESHOLD)
    # Small bags on the demo corpus alone (ours, in the repo): the same pages give the same
    # file byte for byte.
    monkeypatch.setattr(train, "BAGS", 2)
    monkeypatch.setattr(train, "BOOSTING", {**train.BOOSTING, "max_iter": 5})
    written = [train.serialize(train.fit_model(train.load_demo_pages(DEMO_CORPUS)))
               for _ in range(2)]
    assert written[0] == written[1]
    assert parse_model(json.loads(written[0])).first.roots.size == 2 * 5
