"""The claim x outlet matrix of an event: which independent publisher carries which claim, and
where publishers give different figures for one fact.

Built from a brief's JSON view (what the web caches and exports), so it costs no text analysis:
a claim's carriers are the reports of its sentence and of its other versions, each report
counted for its publisher (an outlet, or the agency whose copy it prints).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

# The matrix stays a glance: the best claims, the conflicts, and the publishers carrying most.
MAX_CLAIM_ROWS = 8
MAX_CONFLICT_ROWS = 4
MAX_PUBLISHER_COLUMNS = 12


@dataclass
class MatrixColumn:
    key: str
    name: str  # a publisher's name, or "unidentified" when nothing names it
    label: str  # as the brief shows it: "Reuters (3 versions)"


@dataclass
class MatrixRow:
    text: str
    article: str
    conflict: bool
    # Per column: None when the publisher does not carry the row; else what it says — "" for
    # a claim, the figures it gives for a conflict.
    cells: list[str | None]
    # Publishers carrying the row that have no column of their own.
    others: int = 0


@dataclass
class ClaimMatrix:
    columns: list[MatrixColumn] = field(default_factory=list)
    rows: list[MatrixRow] = field(default_factory=list)
    # Publishers of the event with no column (they carry fewer of the rows shown).
    hidden_publishers: int = 0


def ranked_claims(claims: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Claims carried by the most independent sources first (the brief's order breaks ties)."""
    return sorted(claims, key=lambda c: -(c.get("sources") or len(c.get("outlets") or ()) or 1))


def claim_matrix(brief: dict[str, Any], claims: list[dict[str, Any]] | None = None) -> ClaimMatrix:
    """The matrix of the best corroborated claims (`claims`: the brief's as the page shows them;
    default: ranked) and the brief's conflicts, columns ordered by how many rows each publisher
    carries."""
    publisher_of: dict[str, str] = {}
    columns_by_key: dict[str, MatrixColumn] = {}
    for number, publisher in enumerate(brief.get("publishers") or []):
        key = f"p{number}"
        columns_by_key[key] = MatrixColumn(key, publisher["name"] or "unidentified",
                                           publisher["label"])
        publisher_of.update(dict.fromkeys(publisher["articles"], key))

    def carriers(reports: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
        found: dict[str, list[dict[str, Any]]] = {}
        for report in reports:
            key = publisher_of.get(report["article"])
            if key is not None:
                found.setdefault(key, []).append(report)
        return found

    raw_rows: list[tuple[dict[str, Any], bool, dict[str, list[dict[str, Any]]]]] = []
    best = claims if claims is not None else ranked_claims(brief.get("corroborated") or [])
    for claim in best[:MAX_CLAIM_ROWS]:
        raw_rows.append((claim, False, carriers([claim, *claim.get("versions", [])])))
    for conflict in (brief.get("conflicts") or [])[:MAX_CONFLICT_ROWS]:
        raw_rows.append((conflict["reports"][0], True, carriers(conflict["reports"])))
    carried = Counter(key for _, _, found in raw_rows for key in found)
    # Most rows carried first; ties in the brief's publisher order (named ones first).
    order = {key: n for n, key in enumerate(columns_by_key)}
    shown = sorted(carried, key=lambda key: (-carried[key], order[key]))[:MAX_PUBLISHER_COLUMNS]
    rows = []
    for first, conflict, found in raw_rows:
        said = _figures(found) if conflict else dict.fromkeys(found, "")
        rows.append(MatrixRow(first["text"], first["article"], conflict,
                              [said.get(key) for key in shown],
                              others=sum(1 for key in found if key not in shown)))
    return ClaimMatrix([columns_by_key[key] for key in shown], rows,
                       hidden_publishers=len(columns_by_key) - len(shown))


def _figures(found: dict[str, list[dict[str, Any]]]) -> dict[str, str]:
    """Publisher key -> the figures its reports give for a conflict ("4", "4 / 6" when its
    versions differ, "?" when none can be read)."""
    reports = [(key, report) for key, said in found.items() for report in said]
    if all("figures" in report for _, report in reports):
        figures = [report["figures"] for _, report in reports]
    else:  # a brief stored before briefs carried their figures
        # Imported here: reading figures needs the text analysis (scikit-learn, a second to
        # load), which a brief that carries its figures never does.
        from storyline.summarize.corroboration import conflicting_figures
        from storyline.summarize.vectors import ClaimEncoding

        figures = conflicting_figures([(r["text"], r.get("language")) for _, r in reports],
                                      ClaimEncoding().stem_chars)
    by_key: dict[str, dict[str, None]] = {key: {} for key in found}
    for (key, _), given in zip(reports, figures, strict=True):
        by_key[key].update(dict.fromkeys(given))
    return {key: " / ".join(given) or "?" for key, given in by_key.items()}
