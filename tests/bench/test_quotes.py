"""`storyline bench quotes` on the annotated passages shipped with the package."""

from __future__ import annotations

import argparse

from storyline.bench import quotes


def test_shipped_gold_meets_the_goals_and_prints_its_figures() -> None:
    result = quotes.run(quotes.GOLD, argparse.Namespace(show_errors=True))
    assert result["quotes"] >= 150 and len(result["by_language"]) >= 6
    assert result["correct"] >= 0.9 and result["wrong"] <= 0.05, result["errors"]
    text = quotes.format_text(result)
    assert "correct speaker" in text and "wrong speaker" in text


def test_a_wrong_speaker_is_counted_as_wrong(tmp_path) -> None:  # type: ignore[no-untyped-def]
    gold = tmp_path / "q.jsonl"
    gold.write_text(
        '{"language": "en", "text": "Mayor Helga Strand spoke. \\u201cWe will rebuild the pier '
        'this year,\\u201d Strand said.", "quotes": [["We will rebuild", "person:someone"]]}\n',
        "utf-8",
    )
    result = quotes.run(gold, argparse.Namespace(show_errors=False))
    assert result["wrong"] == 1.0 and result["correct"] == 0.0
