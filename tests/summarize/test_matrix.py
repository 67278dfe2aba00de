"""The claim x outlet matrix from a brief's JSON view: carriers per publisher (versions of one
wire in one column), figures side by side in a conflict, and bounded columns."""

from __future__ import annotations

from storyline.summarize.corroboration import conflicting_figures
from storyline.summarize.matrix import MAX_PUBLISHER_COLUMNS, claim_matrix


def claim(text: str, *articles: str) -> dict:
    first, *rest = articles
    return {"text": text, "article": first, "outlet": None,
            "versions": [{"text": text, "article": a, "outlet": None} for a in rest]}


def publisher(name: str | None, *articles: str) -> dict:
    return {"name": name, "label": f"{name} ({len(articles)} versions)" if len(articles) > 1
            else name or "an unidentified outlet", "articles": list(articles)}


BRIEF = {
    "publishers": [publisher("Coast Daily", "c1"), publisher("Reuters", "r1", "r2"),
                   publisher(None, "u1")],
    "corroborated": [claim("The bridge closed on Monday.", "r1", "r2", "c1"),
                     claim("Ferries ran extra trips.", "c1", "u1")],
    "conflicts": [{"reports": [
        {"text": "Rescuers pulled eleven people from the river, police said.", "article": "c1",
         "language": "en"},
        {"text": "Rescuers pulled 14 people from the river on Monday at 10.30.", "article": "r2",
         "language": "en"},
    ]}],
}


def test_publishers_carry_claims_and_a_wire_counts_once() -> None:
    matrix = claim_matrix(BRIEF)
    assert [c.name for c in matrix.columns] == ["Coast Daily", "Reuters", "unidentified"]
    assert matrix.columns[1].label == "Reuters (2 versions)"
    bridge, ferries, conflict = matrix.rows
    assert bridge.cells == ["", "", None] and not bridge.conflict
    assert ferries.cells == ["", None, ""]
    assert conflict.conflict and conflict.cells == ["11", "14", None]
    assert matrix.hidden_publishers == 0


def test_figures_a_brief_carries_are_shown_as_they_are() -> None:
    reports = BRIEF["conflicts"][0]["reports"]
    carried = {**BRIEF, "conflicts": [{"reports": [{**reports[0], "figures": ["11", "12"]},
                                                   {**reports[1], "figures": []}]}]}
    assert claim_matrix(carried).rows[-1].cells == ["11 / 12", "?", None]


def test_claims_given_in_reading_order() -> None:
    ordered = claim_matrix(BRIEF, [BRIEF["corroborated"][1]])
    assert [r.text for r in ordered.rows] == ["Ferries ran extra trips.",
                                              BRIEF["conflicts"][0]["reports"][0]["text"]]


def test_columns_are_bounded_and_the_rest_counted() -> None:
    many = [f"a{n}" for n in range(MAX_PUBLISHER_COLUMNS + 3)]
    brief = {"publishers": [publisher(f"Outlet {n}", a) for n, a in enumerate(many)],
             "corroborated": [claim("Everyone says so.", *many), claim("Two say so.", *many[-2:])],
             "conflicts": []}
    matrix = claim_matrix(brief)
    assert len(matrix.columns) == MAX_PUBLISHER_COLUMNS
    # The two carrying both claims come first; three publishers go without a column.
    assert [c.name for c in matrix.columns[:2]] == ["Outlet 13", "Outlet 14"]
    assert matrix.hidden_publishers == 3 and matrix.rows[0].others == 3
    assert claim_matrix({"corroborated": []}).columns == []


def test_conflicting_figures_keep_what_the_reports_disagree_on() -> None:
    assert conflicting_figures([
        ("Shares rose 4.2 percent after it said the phone runs for three days.", "en"),
        ("Its shares rose 4 percent after the presentation.", "en"),
    ], stem_chars=5) == [["4.2"], ["4"]]
    # Across languages nothing is counted in common: every count but years.
    assert conflicting_figures([("Seis muertos en 2024.", "es"), ("Four dead.", "en")],
                               stem_chars=5) == [["6"], ["4"]]
