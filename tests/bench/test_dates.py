"""The dates benchmark on a tiny Timeline17-shaped folder written here, through the real CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from storyline.bench.dates import load_articles, score
from storyline.enrich.pubdate import PublicationGuess

DOCS = {
    ("Talks", "2012-03-08", "1"): "Ministers meet in Vienna\nVIENNA | Thu Mar 8 , 2012 4:52 pm GMT\n"
                                  "The ministers met on Thursday .\n",
    ("Talks", "2012-03-09", "2"): "Truce holds\nThe truce held on Friday , officials said .\n",
    ("Storm", "2010-06-16", "1"): "Storm hits coast\nJune 16 , 2010 | By A. Writer\n"
                                  "The storm reached the coast on Wednesday .\n",
    ("Storm", "2010-06-17", "7"): "Storm passes\nJune 15 , 2010 | By A. Writer\nIt passed .\n",
    ("Storm", "2010-06-17", "8"): "",
}


def make_corpus(root: Path) -> Path:
    for (topic, day, name), text in DOCS.items():
        folder = root / topic / "InputDocs" / day
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{name}.htm.txt").write_text(text, encoding="utf-8")
    return root


def test_loader_hides_the_date_and_takes_the_first_line_as_title(tmp_path: Path) -> None:
    loaded = load_articles(make_corpus(tmp_path))
    assert len(loaded) == 5
    article, _, topic = next(item for item in loaded if item[1] == "2012-03-09")
    assert (article.title, topic, article.published) == ("Truce holds", "Talks", None)
    assert "2012-03-09" not in article.text
    assert len(load_articles(tmp_path, topics=["Storm"])) == 3
    assert len(load_articles(tmp_path, limit=1)) == 1


def test_score_counts_precision_coverage_and_month() -> None:
    guesses = [PublicationGuess("2012-03-08", 0.9, "stamp"), PublicationGuess(None, 0.1, "none"),
               PublicationGuess("2010-06-15", 0.9, "stamp"), PublicationGuess("2010-07-01", 0.9, "x")]
    truths = ["2012-03-08", "2012-03-09", "2010-06-17", "2010-06-16"]
    result = score(guesses, truths, elapsed=2.0, timings={"pubdate": 0.5})
    assert result["articles"] == 4
    assert result["coverage"] == 0.75
    assert result["exact_day_precision"] == round(1 / 3, 4)
    assert result["month_accuracy"] == round(2 / 3, 4)
    assert result["articles_per_second"] == 2.0


def test_cli_prints_the_json_figures(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "timeline17")
    output = subprocess.run(
        [sys.executable, "-m", "storyline.cli", "bench", "dates", "--data", str(corpus), "--json",
         "--dates-only"],
        capture_output=True, text=True, check=True, timeout=120,
    ).stdout
    result = json.loads(output)
    for key in ("articles", "exact_day_precision", "coverage", "month_accuracy",
                "articles_per_second", "time_breakdown"):
        assert key in result
    assert result["articles"] == 5
    # The three stamped articles are answered; one of them is stamped a day early.
    assert result["coverage"] == 0.6
    assert result["exact_day_precision"] == round(2 / 3, 4)
    assert "pubdate" in result["time_breakdown"]
