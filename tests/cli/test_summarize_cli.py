"""`storyline event ID` and `storyline timeline QUERY` as subprocesses on a real SQLite store."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from storyline.store import Store
from storyline.summarize.stored import brief_key
from tests.cli.helpers import run_json, run_storyline
from tests.summarize.builders import brief_articles, brief_event, timeline_articles

PAYLOAD = "<script>alert('owned')</script>"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "cli.db"
    with Store(path) as store:
        articles = brief_articles()
        articles[2].sentences[2].text += " " + PAYLOAD  # untrusted text must come out escaped
        articles[2].title = PAYLOAD
        for article in articles + timeline_articles():
            store.add_article(article)
        store.save_events([brief_event()])
    return path


def test_event_json_has_event_fields_and_brief(db: Path) -> None:
    data = run_json(db, "event", "evt-geneva")
    for key in ("id", "title", "date", "place", "entities", "articles", "outlets", "languages",
                "summary", "single_source", "corroborated", "quotes", "sources"):
        assert key in data, key
    assert data["id"] == "evt-geneva"
    assert 3 <= len(data["summary"]) <= 5
    assert all({"text", "article", "outlet"} <= set(s) for s in data["summary"])
    assert all("outlets" in c for c in data["corroborated"])
    assert any("Geneva" in c["text"] for c in data["corroborated"])
    assert any("harbour authority" in s["text"] for s in data["single_source"])


def test_event_accepts_a_prefix_and_renders_escaped_html(db: Path) -> None:
    html = run_storyline(db, "event", "evt-gen", "--html")
    assert html.returncode == 0, html.stderr
    assert "<h2>Corroborated</h2>" in html.stdout
    assert "<script>" not in html.stdout
    assert "&lt;script&gt;" in html.stdout


def test_event_timing_goes_to_stderr(db: Path) -> None:
    result = run_storyline(db, "event", "evt-geneva", "--json", "--timing")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["id"] == "evt-geneva"  # stdout stays pure JSON
    assert "brief of 4 articles: CPU" in result.stderr and "claims" in result.stderr


def test_unknown_event_is_an_error(db: Path) -> None:
    result = run_storyline(db, "event", "nope")
    assert result.returncode == 1
    assert "no event" in result.stderr


def test_timeline_json_and_filters(db: Path) -> None:
    data = run_json(db, "timeline", "Lena Varga", "--dates", "2", "--sentences", "1")
    assert data["query"] == "Lena Varga"
    assert [e["date"] for e in data["entries"]] == ["2024-03-01", "2024-03-10"]
    for entry in data["entries"]:
        assert len(entry["sentences"]) == 1
        assert {"text", "article", "outlet"} == set(entry["sentences"][0])
    later = run_json(db, "timeline", "Varga", "--from", "2024-03-05", "--to", "2024-03-31")
    assert later["entries"]
    assert all("2024-03-05" <= e["date"] <= "2024-03-31" for e in later["entries"])


def test_timeline_markdown_and_usage_errors(db: Path) -> None:
    markdown = run_storyline(db, "timeline", "Varga", "--dates", "1")
    assert markdown.returncode == 0, markdown.stderr
    assert markdown.stdout.startswith("# Timeline: Varga\n\n## 2024-03-10")
    assert run_storyline(db, "timeline", "Varga", "--from", "March").returncode == 2
    assert run_storyline(db, "timeline", "Varga", "--dates", "0").returncode == 2
    assert run_storyline(db, "timeline", "Varga", "--json", "--html").returncode == 2
    reversed_range = run_storyline(db, "timeline", "Varga", "--from", "2024-04-01",
                                   "--to", "2024-03-01")
    assert reversed_range.returncode == 1


def test_timeline_without_matches_is_empty(db: Path) -> None:
    result = run_storyline(db, "timeline", "zeppelin", "--json")
    assert result.returncode == 0
    assert json.loads(result.stdout) == {"query": "zeppelin", "entries": []}


def test_event_and_timeline_formats_match_the_web_downloads(db: Path) -> None:
    from storyline.export import EVENT_FORMATS, TIMELINE_FORMATS

    as_json = run_json(db, "event", "evt-geneva")
    for name in EVENT_FORMATS:
        result = run_storyline(db, "event", "evt-geneva", "--format", name)
        assert result.returncode == 0, result.stderr
        assert result.stdout == EVENT_FORMATS[name].render(as_json), name
    timeline = run_json(db, "timeline", "Varga")
    for name in TIMELINE_FORMATS:
        result = run_storyline(db, "timeline", "Varga", "--format", name)
        assert result.returncode == 0, result.stderr
        # Read as text, the CSV's \r\n line ends arrive as \n.
        expected = TIMELINE_FORMATS[name].render(timeline).replace("\r\n", "\n")
        assert result.stdout == expected, name
    assert run_storyline(db, "timeline", "Varga", "--format", "pdf").returncode == 2
    assert run_storyline(db, "event", "evt-geneva", "--format", "csv").returncode == 2


def test_event_prints_the_brief_stored_when_the_event_changed(db: Path) -> None:
    built = run_json(db, "event", "evt-geneva")  # nothing stored yet: built for the command
    marked = {**built, "summary": [{**built["summary"][0], "text": "The stored summary."}],
              "conflicts": []}
    with Store(db) as store:
        event = store.get_event("evt-geneva")
        store.save_briefs({event.id: (brief_key(event), marked)})
    assert run_json(db, "event", "evt-geneva")["summary"][0]["text"] == "The stored summary."
    for output in ("--json", "--markdown", "--html"):
        # Printing a stored brief loads none of the brief builder's text analysis.
        probe = ("import sys; from storyline.cli import main; main(sys.argv[1:]);"
                 "print('sklearn' in sys.modules, file=sys.stderr)")
        result = subprocess.run([sys.executable, "-c", probe, "--db", str(db), "event",
                                 "evt-geneva", output], capture_output=True, text=True,
                                timeout=120, check=True)
        assert "The stored summary." in result.stdout
        assert result.stderr.strip() == "False", output
    # --timing measures building the brief, so it builds it anew.
    assert run_json(db, "event", "evt-geneva", "--timing") == built
    # A brief stored for the event as it was before is not the event's brief now.
    with Store(db) as store:
        store.save_briefs({event.id: ("an earlier membership", marked)})
    assert run_json(db, "event", "evt-geneva") == built
