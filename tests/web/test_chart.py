from storyline.web.chart import timeline_chart


def entry(day: str, sources: int | None, cited: list[str]) -> dict[str, object]:
    made: dict[str, object] = {"date": day, "sentences": [{"article": a} for a in cited]}
    if sources is not None:
        made["sources"] = sources
    return made


def test_bar_height_follows_independent_sources_not_cited_reports() -> None:
    bars = timeline_chart([entry("2025-06-01", 6, ["a"]), entry("2025-06-03", 3, ["b", "c"])])["bars"]
    assert [bar["count"] for bar in bars] == [6, 3]
    assert bars[0]["height"] == 2 * bars[1]["height"]


def test_timelines_made_before_sources_were_counted_fall_back_to_cited_reports() -> None:
    bars = timeline_chart([entry("2025-06-01", None, ["a", "b", "a"])])["bars"]
    assert bars[0]["count"] == 2
