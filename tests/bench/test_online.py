"""bench online: the feed order and the fitted cost exponent."""

from __future__ import annotations

from pathlib import Path

from storyline.bench.online import exponent, feed_paths


def test_cost_exponent_is_the_log_log_slope() -> None:
    assert exponent([1000, 2000, 4000], [1.0, 2.0, 4.0]) == 1.0
    assert exponent([1000, 2000, 4000], [3.0, 3.0, 3.0]) == 0.0
    assert exponent([1000], [1.0]) is None


def test_feed_takes_topics_in_turn_each_in_date_order(tmp_path: Path) -> None:
    for topic, days in (("a", ["2010-01-02", "2010-01-01"]), ("b", ["2011-05-05"])):
        for day in days:
            folder = tmp_path / topic / "InputDocs" / day
            folder.mkdir(parents=True)
            (folder / "1.htm.txt").write_text("x")
    paths = [p.relative_to(tmp_path).parts for p in feed_paths(tmp_path, 3)]
    assert [(p[0], p[2]) for p in paths] == [("a", "2010-01-01"), ("b", "2011-05-05"),
                                            ("a", "2010-01-02")]
