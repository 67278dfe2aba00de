"""Benchmark 'quotes': speaker attribution on a gold set of our own (en/es/fr/de/it/ru/ar).

Data: a JSON Lines file (default: the set shipped in `storyline/bench/gold/quotes.jsonl`), one
passage a line: `{"language", "text", "quotes": [[start of the quotation, speaker, case], ...]}`.
The speaker is a canonical id ("person:strand", "organization:kremlin"), the text of an unnamed
speaker ("interior ministry", "ambassador"), or null when the passage names nobody. The case
(optional) says where the speaker is found, so the figures show which kind fails: "named" (in
the attribution clause), "pronoun", "previous" (only in an earlier sentence), "continuation"
(a second quotation with no attribution of its own), "two-people" (two named in the sentence,
one speaks), "according" (according to / según / selon / laut / по словам / بحسب), "colon" (the
framing before the quotation), "reported" (a quoted phrase inside reported speech), "nested" (a
quotation inside a quotation), "role" (an unnamed speaker), "none".

Each passage goes through the whole enrich stage. A gold quotation is matched to the extracted
quotation containing its start; its speaker is correct (same id; or the role text found in the
extracted speaker; or no speaker when gold has none), unknown (no speaker where gold names one),
wrong (another speaker) or missed (no such quotation found). Goal: correct >= .90, wrong <= .05.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from storyline.bench.passages import enriched_passages
from storyline.enrich.entities import entity_id
from storyline.model import Quote

HELP = "quote speaker attribution on our own annotated passages (correct, unknown, wrong)"
GOLD = Path(__file__).parent / "gold" / "quotes.jsonl"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--show-errors", action="store_true", help="list the wrong and unknown")


def _outcome(gold: str | None, found: Quote | None) -> str:
    if found is None:
        return "missed"
    if gold is None:
        return "correct" if found.speaker is None else "wrong"
    if found.speaker is None:
        return "unknown"
    if ":" in gold:
        kind, name = gold.split(":", 1)
        # Gold ids are written as spelled; the library folds spelling ("Kallio" → "kalio").
        return "correct" if found.speaker_id == entity_id(kind, name) else "wrong"  # type: ignore[arg-type]
    return "correct" if gold.casefold() in found.speaker.casefold() else "wrong"


def run(data: Path, args: argparse.Namespace) -> dict:
    passages, articles = enriched_passages(data, "quotes.jsonl")
    counts: Counter[str] = Counter()
    by_language: dict[str, Counter[str]] = {}
    by_case: dict[str, Counter[str]] = {}
    errors = []
    for passage, article in zip(passages, articles, strict=True):
        for start, speaker, *case in passage["quotes"]:
            found = next((q for q in article.quotes if start in q.text), None)
            outcome = _outcome(speaker, found)
            counts[outcome] += 1
            by_language.setdefault(passage["language"], Counter())[outcome] += 1
            by_case.setdefault(case[0] if case else "unlabelled", Counter())[outcome] += 1
            if outcome != "correct":
                errors.append({"quote": start, "gold": speaker, "outcome": outcome,
                               "found": found.speaker_id or found.speaker if found else None})
    total = sum(counts.values())
    result = {
        "quotes": total,
        "passages": len(passages),
        "correct": round(counts["correct"] / total, 3) if total else 0.0,
        "unknown": round(counts["unknown"] / total, 3) if total else 0.0,
        "wrong": round(counts["wrong"] / total, 3) if total else 0.0,
        "missed": round(counts["missed"] / total, 3) if total else 0.0,
        "by_language": {lang: dict(c) for lang, c in sorted(by_language.items())},
        "by_case": {case: dict(c) for case, c in sorted(by_case.items(),
                                                         key=lambda item: -item[1].total())},
    }
    if getattr(args, "show_errors", False):
        result["errors"] = errors
    return result


def format_text(result: dict) -> str:
    lines = [
        f"quotes               {result['quotes']} in {result['passages']} passages",
        f"correct speaker      {result['correct']:.3f}   (goal >= 0.90)",
        f"unknown speaker      {result['unknown']:.3f}",
        f"wrong speaker        {result['wrong']:.3f}   (goal <= 0.05)",
        f"quotation missed     {result['missed']:.3f}",
        _by_kind("by language", result["by_language"]),
        _by_kind("by case", result["by_case"]),
    ]
    for error in result.get("errors", []):
        lines.append(f"  {error['outcome']:8} {error['quote']!r}: gold {error['gold']}, "
                     f"found {error['found']}")
    return "\n".join(lines)


def _by_kind(label: str, counts: dict[str, dict[str, int]]) -> str:
    """'by language   de 6/6, en 30/30' (correct / all), wrong ones named when there are any."""
    parts = []
    for kind, outcomes in counts.items():
        part = f"{kind} {outcomes.get('correct', 0)}/{sum(outcomes.values())}"
        if outcomes.get("wrong"):
            part += f" ({outcomes['wrong']} wrong)"
        parts.append(part)
    return f"{label:<21}" + ", ".join(parts)
