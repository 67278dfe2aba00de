"""Markdown and HTML renderings of briefs and timelines.

Article text is untrusted: HTML output escapes every value (Jinja2 autoescape), and Markdown
output neutralises raw HTML ('<', '>') so a Markdown viewer cannot be made to run markup.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from storyline.summarize.matrix import claim_matrix
from storyline.summarize.stored import Brief

if TYPE_CHECKING:
    from jinja2 import Template

    from storyline.summarize.timeline import Timeline

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title>
<style>body{font-family:sans-serif;max-width:48rem;margin:2rem auto;line-height:1.5}
.cite{color:#555;font-size:.85em}</style></head><body>
{% macro cite(item) %}<span class="cite">[{{ item.outlet or "unknown outlet" }}, \
<code>{{ item.article }}</code>]</span>{% endmacro %}
{% macro versions(item) %}{% if item.versions %}<details><summary>{{ item.versions | length }} \
other version(s)</summary><ul>{% for v in item.versions %}<li lang="{{ v.language or '' }}">\
{{ v.text }} {{ cite(v) }}</li>{% endfor %}</ul></details>{% endif %}{% endmacro %}
{% if brief %}
<h1>{{ brief.title }}</h1>
<p><b>When:</b> {{ brief.date or "unknown" }} · <b>Where:</b> {{ brief.place or "unknown" }}</p>
{% if brief.entities %}<p><b>Who:</b> {{ brief.entities | map(attribute="name") | join(", ") }}</p>{% endif %}
<h2>Summary</h2><ol>{% for s in brief.summary %}<li>{{ s.text }} {{ cite(s) }}</li>{% endfor %}</ol>
{% if matrix.columns %}<h2>Who reports what</h2><table><tr><th>claim</th>\
{% for c in matrix.columns %}<th>{{ c.label }}</th>{% endfor %}</tr>{% for row in matrix.rows %}<tr>\
<td>{% if row.conflict %}<b>figures differ:</b> {% endif %}{{ row.text }}</td>{% for cell in row.cells %}\
<td>{% if cell is none %}{% elif row.conflict %}<mark>{{ cell }}</mark>{% else %}●{% endif %}</td>\
{% endfor %}</tr>{% endfor %}</table>{% endif %}
<h2>Corroborated</h2><ul>{% for s in brief.corroborated %}<li>{{ s.text }} \
<span class="cite">({{ s.outlets | join(", ") }})</span>{{ versions(s) }}</li>\
{% else %}<li>none</li>{% endfor %}</ul>
{% if brief.conflicts %}<h2>Figures that disagree</h2><ul>{% for c in brief.conflicts %}<li><ul>\
{% for r in c.reports %}<li>{{ r.text }} {{ cite(r) }}</li>{% endfor %}</ul></li>{% endfor %}</ul>\
{% endif %}
<h2>Single source</h2><ul>{% for s in brief.single_source %}<li>{{ s.text }} {{ cite(s) }}</li>\
{% else %}<li>none</li>{% endfor %}</ul>
<h2>Quotes</h2><ul>{% for q in brief.quotes %}<li>“{{ q.text }}” — {{ q.speaker or "unattributed" }} \
<span class="cite">({{ q.outlets | join(", ") }})</span></li>{% else %}<li>none</li>{% endfor %}</ul>
<h2>Sources</h2><table><tr><th>outlet</th><th>published</th><th>language</th><th>role</th>\
<th>article</th></tr>{% for s in brief.sources %}<tr><td>{{ s.outlet or "" }}</td>\
<td>{{ s.published or "" }}</td><td>{{ s.language or "" }}</td><td>{{ s.role }}</td>\
<td><code>{{ s.article }}</code></td></tr>{% endfor %}</table>
{% else %}
<h1>Timeline: {{ timeline.query }}</h1>
{% for entry in timeline.entries %}<h2>{{ entry.date }}</h2><ul>{% for s in entry.sentences %}\
<li>{{ s.text }} {{ cite(s) }}</li>{% endfor %}</ul>{% else %}<p>No dated events found.</p>{% endfor %}
{% endif %}
</body></html>
"""


@cache
def _template() -> Template:
    """The HTML page template, compiled on first use: Jinja2 and the compilation cost more than
    a Markdown brief's whole command (`storyline event ID`), which never needs them."""
    from jinja2 import Environment, select_autoescape

    environment = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
    return environment.from_string(_PAGE)


def _md(text: Any) -> str:
    """A value for Markdown: one line, raw HTML neutralised."""
    return " ".join(str(text).split()).replace("<", "&lt;").replace(">", "&gt;")


def _md_cite(item: dict[str, Any]) -> str:
    return f"[{_md(item.get('outlet') or 'unknown outlet')}, `{_md(item['article'])}`]"


def brief_markdown(brief: Brief) -> str:
    lines = [f"# {_md(brief.title)}", ""]
    lines.append(f"**When:** {_md(brief.date or 'unknown')}  ")
    lines.append(f"**Where:** {_md(brief.place or 'unknown')}  ")
    if brief.entities:
        lines.append("**Who:** " + ", ".join(_md(e["name"]) for e in brief.entities))
    lines += ["", "## Summary", ""]
    lines += [f"{n}. {_md(s['text'])} {_md_cite(s)}" for n, s in enumerate(brief.summary, 1)]
    lines += _matrix_markdown(brief)
    lines += ["", "## Corroborated (two or more independent publishers)", ""]
    for claim in brief.corroborated:
        lines.append(f"- {_md(claim['text'])} ({', '.join(_md(o) for o in claim['outlets'])})")
        lines += [f"  - {_md(v['language'] or '?')}: {_md(v['text'])} {_md_cite(v)}"
                  for v in claim["versions"]]
    if not brief.corroborated:
        lines.append("- none")
    if brief.conflicts:
        lines += ["", "## Figures that disagree", ""]
        for conflict in brief.conflicts:
            lines.append("- " + " / ".join(
                f"{_md(r['text'])} {_md_cite(r)}" for r in conflict["reports"]))
    lines += ["", "## Single source", ""]
    lines += [f"- {_md(s['text'])} {_md_cite(s)}" for s in brief.single_source] or ["- none"]
    lines += ["", "## Quotes", ""]
    lines += [
        f"- “{_md(q['text'])}” — {_md(q['speaker'] or 'unattributed')} "
        f"({', '.join(_md(o) for o in q['outlets'])})"
        for q in brief.quotes
    ] or ["- none"]
    lines += ["", "## Sources", "", "| outlet | published | language | role | article |",
              "|---|---|---|---|---|"]
    lines += [
        f"| {_md(s['outlet'] or '')} | {_md(s['published'] or '')} | {_md(s['language'] or '')} "
        f"| {_md(s['role'])} | `{_md(s['article'])}` |"
        for s in brief.sources
    ]
    return "\n".join(lines) + "\n"


def _matrix_markdown(brief: Brief) -> list[str]:
    """The claim x publisher matrix as a table: ● where a publisher carries a claim, each
    publisher's figures in a row whose figures differ."""
    matrix = claim_matrix(brief.to_dict())
    if not matrix.columns:
        return []
    lines = ["", "## Who reports what", "",
             "| claim | " + " | ".join(_md(c.label).replace("|", "\\|") for c in matrix.columns) + " |",
             "|---" * (len(matrix.columns) + 1) + "|"]
    for row in matrix.rows:
        label = ("**figures differ:** " if row.conflict else "") + _md(row.text).replace("|", "\\|")
        cells = ["" if cell is None else (_md(cell) if row.conflict else "●") for cell in row.cells]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    if matrix.hidden_publishers:
        lines += ["", f"{matrix.hidden_publishers} more publishers carry fewer of these claims."]
    return lines


def timeline_markdown(timeline: Timeline) -> str:
    lines = [f"# Timeline: {_md(timeline.query)}", ""]
    for entry in timeline.entries:
        lines += [f"## {_md(entry.date)}", ""]
        lines += [f"- {_md(s.text)} {_md_cite(vars(s))}" for s in entry.sentences]
        lines.append("")
    if not timeline.entries:
        lines.append("No dated events found.")
    return "\n".join(lines) + "\n"


def brief_html(brief: Brief) -> str:
    data = brief.to_dict()
    return _template().render(title=brief.title, brief=data, timeline=None, matrix=claim_matrix(data))


def timeline_html(timeline: Timeline) -> str:
    return _template().render(
        title=f"Timeline: {timeline.query}", brief=None, timeline=timeline.to_dict()
    )
