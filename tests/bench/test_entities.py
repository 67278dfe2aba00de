"""`storyline bench entities`: scoring typed entities against our own gold passages."""

from __future__ import annotations

import argparse
import json

from storyline.bench import entities
from storyline.bench.entities import score_passage
from storyline.model import Entity

TEXT = ("Russia Harry Koren said Koren was in Russia. Saif al-Islam Gaddafi, son of Muammar Gaddafi, "
        "spoke. Mostly Orthodox Christian voters agreed at 1400 GMT.")
GOLD = [
    {"type": "place", "name": "Russia", "surfaces": ["Russia"]},
    {"type": "person", "name": "Harry Koren", "surfaces": ["Harry Koren", "Koren"]},
    {"type": "person", "name": "Saif al-Islam Gaddafi",
     "surfaces": ["Saif al-Islam Gaddafi", "Saif al-Islam"]},
    {"type": "person", "name": "Muammar Gaddafi", "surfaces": ["Muammar Gaddafi"]},
]


def found(entity_type: str, name: str, *aliases: str) -> Entity:
    return Entity(id=f"{entity_type}:{name}", name=name, type=entity_type,  # type: ignore[arg-type]
                  aliases=[name, *aliases])


def test_right_entities_and_their_errors_are_counted() -> None:
    scored = score_passage(GOLD, [
        found("place", "Russia", "Russia Harry Koren"),  # right, with a debris alias
        found("person", "Gaddafi", "Saif al-Islam Gaddafi", "Muammar Gaddafi"),  # a merge
        found("place", "Harry Koren"),  # wrong type
        found("person", "Mostly Orthodox Christian"),  # not in the gold: a false positive
        found("other", "GMT"),  # an unscored type is left out
    ], TEXT)
    counts = scored["counts"]
    assert counts["found"] == 4 and counts["gold"] == 4
    assert counts["right"] == 2  # Russia, and the merged entity for the first Gaddafi
    # Debris: "Russia Harry Koren" for Russia, and "Muammar Gaddafi" in Saif al-Islam's names.
    assert counts["merged"] == 1 and counts["debris"] == 2
    assert counts["wrong_type"] == 1 and counts["false_positive"] == 1
    kinds = [e["kind"] for e in scored["errors"]]
    assert kinds.count("missed") == 2


def test_a_name_holding_a_gold_name_and_more_is_debris() -> None:
    scored = score_passage(GOLD[:2], [found("person", "Russia Harry Koren")], TEXT)
    assert scored["counts"]["merged"] == 1  # it holds both Russia and Harry Koren
    assert scored["counts"]["right"] == 1  # the person, by its type
    debris = [e for e in scored["errors"] if e["kind"] == "debris alias"]
    assert [e["alias"] for e in debris] == ["Russia Harry Koren"]
    # A canonical name the passage does not write (a translation) is not debris.
    translated = score_passage(GOLD[:1], [found("place", "Russland", "Russia")], TEXT)
    assert translated["counts"]["debris"] == 0 and translated["counts"]["right"] == 1


def test_shipped_gold_prints_its_figures(tmp_path) -> None:  # type: ignore[no-untyped-def]
    lines = entities.GOLD.read_text("utf-8").splitlines()
    assert len(lines) >= 30
    for line in lines:  # every surface is written in its passage, as annotated
        passage = json.loads(line)
        assert all(s in passage["text"] for g in passage["entities"] for s in g["surfaces"])
    sample = tmp_path / "entities.jsonl"
    sample.write_text("\n".join(lines[:3]) + "\n", "utf-8")
    result = entities.run(sample, argparse.Namespace(show_errors=True))
    assert result["passages"] == 3 and result["gold_entities"] == 16
    assert 0 < result["precision"] <= 1 and 0 < result["recall"] <= 1
    text = entities.format_text(result)
    assert "precision" in text and "alias errors" in text


def test_shipped_gold_meets_the_goals() -> None:
    result = entities.run(entities.GOLD, argparse.Namespace(show_errors=True))
    assert result["gold_mentions"] >= 300 and len(result["by_language"]) >= 6
    assert result["precision"] >= 0.9 and result["recall"] >= 0.85, result["errors"]
    assert result["merges"] == 0


def test_a_canonical_name_inside_another_word_is_not_debris() -> None:
    text = "Plus de deux millions de Soudanais ont fui vers le Tchad."
    gold = [{"type": "place", "name": "Chad", "surfaces": ["Tchad"]}]
    scored = score_passage(gold, [found("place", "Chad", "Tchad")], text)
    assert scored["counts"]["debris"] == 0 and scored["counts"]["right"] == 1
