"""Downloads for analysts: an event brief, a timeline and the event list as files.

One renderer per (thing, format), shared by the CLI (`--format`) and the web UI's download
links, so a file saved from either is the same file. Article text is untrusted everywhere:
- CSV: a cell a spreadsheet would read as a formula (= + - @, or a tab/return first) gets a
  leading apostrophe, so opening the file never runs anything;
- HTML: every value is escaped (summarize.render renders with Jinja2 autoescape);
- Markdown: raw HTML is neutralised (summarize.render);
- file names: only ASCII letters, digits, '.', '_' and '-', whatever the title holds.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from storyline.summarize.stored import Brief

if TYPE_CHECKING:
    from storyline.summarize.timeline import Timeline

# The other summarize modules are imported where used: they pull in scikit-learn (a second and
# more of start-up), which `storyline events --format csv` never needs.

# What a spreadsheet reads as the start of a formula (OWASP "CSV injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
MAX_NAME_CHARS = 80
EVENT_LIST_COLUMNS = ("id", "date", "title", "place", "reports", "outlets",
                      "independent_outlets", "languages", "outlet_names")
TIMELINE_COLUMNS = ("date", "rank", "text", "outlet", "article")


@dataclass(frozen=True)
class Format:
    """One downloadable format: its file extension, media type and renderer."""

    extension: str
    media_type: str
    render: Callable[[Any], str]


def csv_cell(value: Any) -> Any:
    """A value safe to put in a CSV cell: text a spreadsheet would evaluate is quoted with '."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def csv_table(columns: Iterable[str], rows: Iterable[Iterable[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)  # RFC 4180 line ends: a field holding a lone \r is quoted too
    writer.writerow(columns)
    writer.writerows([csv_cell(value) for value in row] for row in rows)
    return out.getvalue()


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n"


def as_brief(brief: Brief | dict[str, Any]) -> Brief:
    """A brief from its JSON view (the web's cached form) or as built."""
    if isinstance(brief, Brief):
        return brief
    known = Brief.__dataclass_fields__
    return Brief(**{key: value for key, value in brief.items() if key in known})


def as_timeline(timeline: Timeline | dict[str, Any]) -> Timeline:
    from storyline.summarize.timeline import Timeline, TimelineEntry, TimelineSentence

    if isinstance(timeline, Timeline):
        return timeline
    return Timeline(timeline["query"], [
        TimelineEntry(entry["date"], [TimelineSentence(**s) for s in entry["sentences"]],
                      entry.get("sources", 0))
        for entry in timeline["entries"]
    ])


def timeline_csv(timeline: Timeline | dict[str, Any]) -> str:
    """One row per cited sentence: its date, its rank within the date, text, outlet, article."""
    return csv_table(TIMELINE_COLUMNS, (
        (entry.date, rank, sentence.text, sentence.outlet or "", sentence.article)
        for entry in as_timeline(timeline).entries
        for rank, sentence in enumerate(entry.sentences, 1)
    ))


def event_list_csv(events: Iterable[dict[str, Any]]) -> str:
    """One row per event (views.event_summary with `independent_outlets`); lists joined by '; '."""
    return csv_table(EVENT_LIST_COLUMNS, (
        (e["id"], e["date"] or "", e["title"], e["place"] or "", len(e["articles"]),
         len(e["outlets"]), e.get("independent_outlets", ""), "; ".join(e["languages"]),
         "; ".join(e["outlets"]))
        for e in events
    ))


def _brief_json(brief: Brief | dict[str, Any]) -> str:
    return _json(as_brief(brief).to_dict())


def _timeline_json(timeline: Timeline | dict[str, Any]) -> str:
    return _json(as_timeline(timeline).to_dict())


def _brief_markdown(brief: Brief | dict[str, Any]) -> str:
    from storyline.summarize.render import brief_markdown

    return brief_markdown(as_brief(brief))


def _brief_html(brief: Brief | dict[str, Any]) -> str:
    from storyline.summarize.render import brief_html

    return brief_html(as_brief(brief))


def _timeline_markdown(timeline: Timeline | dict[str, Any]) -> str:
    from storyline.summarize.render import timeline_markdown

    return timeline_markdown(as_timeline(timeline))


def _timeline_html(timeline: Timeline | dict[str, Any]) -> str:
    from storyline.summarize.render import timeline_html

    return timeline_html(as_timeline(timeline))


MARKDOWN = "text/markdown; charset=utf-8"
HTML = "text/html; charset=utf-8"
JSON = "application/json"
CSV = "text/csv; charset=utf-8"

EVENT_FORMATS = {
    "md": Format("md", MARKDOWN, _brief_markdown),
    "html": Format("html", HTML, _brief_html),
    "json": Format("json", JSON, _brief_json),
}
TIMELINE_FORMATS = {
    "csv": Format("csv", CSV, timeline_csv),
    "json": Format("json", JSON, _timeline_json),
    "md": Format("md", MARKDOWN, _timeline_markdown),
    "html": Format("html", HTML, _timeline_html),
}
# As JSON the list is `storyline events --json` and GET /api/events (views.event_summary).
EVENT_LIST_FORMATS = {"csv": Format("csv", CSV, event_list_csv)}


def file_name(*parts: str, extension: str) -> str:
    """A download's file name from readable parts (a title, an id): accents folded to ASCII,
    anything but letters, digits, '.', '_' and '-' turned to '-', no leading dot, bounded."""
    folded = unicodedata.normalize("NFKD", "-".join(p for p in parts if p))
    ascii_text = folded.encode("ascii", "ignore").decode()
    stem = _UNSAFE_NAME.sub("-", ascii_text).strip(".-_")[:MAX_NAME_CHARS].rstrip(".-_")
    return f"{stem or 'storyline'}.{extension}"


def attachment(*parts: str, extension: str) -> str:
    """A Content-Disposition header saving the download under `file_name(*parts)` (whose
    characters never need quoting, so no header injection and no path)."""
    return f'attachment; filename="{file_name(*parts, extension=extension)}"'
