"""Benchmark 'entities': typed canonical entities on a gold set of our own (en/fr/es/de/ru).

Data: a JSON Lines file (default: `storyline/bench/gold/entities.jsonl`), one passage a line:
`{"language", "text", "entities": [{"type", "name", "surfaces": [...]}, ...]}`: every person,
place and organisation the passage names, with each way it is written there. Words that only
look like names ("Mostly Orthodox Christian", "General Staff", "GMT") are in no list: finding
them is a false positive.

Each passage goes through the whole enrich stage. A found entity of a scored type matches the
gold entity one of whose surfaces is its name or one of its aliases (spelling folded); it is
right when the types agree (a found name that only holds a gold surface among other words
matches it too, with the name counted as debris). Precision = right / found, recall = right /
gold. Alias errors: a found entity whose names join two gold entities (a merge: "Saif al-Islam"
with "Muammar"), and names or aliases that are none of the entity's surfaces nor words of one
(debris: "Russia Harry Koren" for Russia).
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path
from typing import Any

from storyline.bench.passages import enriched_passages
from storyline.enrich.entities import fold
from storyline.model import Entity

HELP = "typed entities on our own annotated passages (precision, recall, alias errors)"
GOLD = Path(__file__).parent / "gold" / "entities.jsonl"
SCORED_TYPES = ("person", "place", "organization")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--show-errors", action="store_true",
                        help="list false positives, misses, type and alias errors")


def _names(entity: Entity) -> set[str]:
    return {fold(name).strip() for name in [entity.name, *entity.aliases] if name.strip()}


def _words(text: str) -> set[str]:
    return set(fold(text).replace("-", " ").split())


def score_passage(gold: list[dict[str, Any]], found: list[Entity], text: str) -> dict[str, Any]:
    """Counts and errors of one passage (see the module docstring)."""
    written = f" {fold(text)} "
    surfaces = [{fold(s).strip() for s in g["surfaces"]} for g in gold]
    counts: Counter[str] = Counter()
    errors: list[dict[str, Any]] = []
    matched: set[int] = set()
    for entity in (e for e in found if e.type in SCORED_TYPES):
        names = _names(entity)
        hits = [n for n, known in enumerate(surfaces) if names & known]
        if not hits:  # a name holding a gold name and more ("России Владимир Путин")
            hits = [n for n, g in enumerate(gold)
                    if any(_words(s) <= _words(name) for s in g["surfaces"] for name in names)]
        if len(hits) > 1:
            counts["merged"] += 1
            errors.append({"kind": "merge", "found": entity.name,
                           "joins": [gold[n]["name"] for n in hits]})
        if not hits:
            counts["false_positive"] += 1
            errors.append({"kind": "false positive", "found": entity.name, "type": entity.type})
            continue
        target = next((n for n in hits if gold[n]["type"] == entity.type), hits[0])
        allowed = set().union(*(_words(s) for s in gold[target]["surfaces"]))
        # Only names written in the passage: a canonical name may be a translation ("Russie"
        # is Russia).
        debris = [name for name in dict.fromkeys([entity.name, *entity.aliases])
                  if f" {fold(name).strip()} " in written
                  and fold(name).strip() not in surfaces[target]
                  and not _words(name) <= allowed]
        counts["debris"] += len(debris)
        errors += [{"kind": "debris alias", "found": entity.name, "alias": a} for a in debris]
        if gold[target]["type"] != entity.type:
            counts["wrong_type"] += 1
            errors.append({"kind": "wrong type", "found": entity.name, "type": entity.type,
                           "gold": gold[target]["type"]})
        elif target in matched:
            counts["duplicate"] += 1  # one gold entity split in two found ones
            errors.append({"kind": "split", "found": entity.name, "gold": gold[target]["name"]})
        else:
            matched.add(target)
            counts["right"] += 1
    counts["found"] = sum(1 for e in found if e.type in SCORED_TYPES)
    counts["gold"] = len(gold)
    errors += [{"kind": "missed", "gold": g["name"], "type": g["type"]}
               for n, g in enumerate(gold) if n not in matched]
    return {"counts": counts, "errors": errors}


def _mentions(passage: dict[str, Any]) -> int:
    """Written mentions of gold entities in the passage (each surface's occurrences, longest
    surfaces first so "Bashar al-Assad" is not also counted as "Assad")."""
    text, total = passage["text"], 0
    for surface in sorted({s for g in passage["entities"] for s in g["surfaces"]}, key=len,
                          reverse=True):
        total += text.count(surface)
        text = text.replace(surface, " ")
    return total


def _ratio(part: int, whole: int) -> float:
    return round(part / whole, 3) if whole else 0.0


def run(data: Path, args: argparse.Namespace) -> dict:
    passages, articles = enriched_passages(data, "entities.jsonl")
    totals: Counter[str] = Counter()
    by_language: dict[str, Counter[str]] = {}
    errors = []
    for passage, article in zip(passages, articles, strict=True):
        scored = score_passage(passage["entities"], article.entities, passage["text"])
        totals.update(scored["counts"])
        by_language.setdefault(passage["language"], Counter()).update(scored["counts"])
        errors += [{"passage": passage["text"][:60], **e} for e in scored["errors"]]
    precision = _ratio(totals["right"], totals["found"])
    recall = _ratio(totals["right"], totals["gold"])
    result = {
        "passages": len(passages),
        "gold_entities": totals["gold"],
        "gold_mentions": sum(_mentions(p) for p in passages),
        "found": totals["found"],
        "precision": precision,
        "recall": recall,
        "f1": round(2 * precision * recall / (precision + recall), 3) if precision + recall else 0.0,
        "wrong_type": totals["wrong_type"],
        "merges": totals["merged"],
        "debris_aliases": totals["debris"],
        "split": totals["duplicate"],
        "by_language": {
            language: {"precision": _ratio(c["right"], c["found"]),
                       "recall": _ratio(c["right"], c["gold"]), "gold": c["gold"]}
            for language, c in sorted(by_language.items())
        },
    }
    if getattr(args, "show_errors", False):
        result["errors"] = errors
    return result


def format_text(result: dict) -> str:
    lines = [
        (f"gold                 {result['gold_entities']} entities, {result['gold_mentions']} "
        f"mentions in {result['passages']} passages"),
        f"found                {result['found']} person/place/organization entities",
        f"precision            {result['precision']:.3f}   (goal >= 0.90)",
        f"recall               {result['recall']:.3f}",
        f"F1                   {result['f1']:.3f}",
        f"wrong type           {result['wrong_type']}",
        (f"alias errors         {result['merges']} merges of two entities, "
        f"{result['debris_aliases']} debris aliases"),
        f"split entities       {result['split']}",
        "by language          " + ", ".join(
            f"{lang} P {c['precision']:.2f} R {c['recall']:.2f} ({c['gold']})"
            for lang, c in result["by_language"].items()
        ),
    ]
    for error in result.get("errors", []):
        details = ", ".join(f"{k} {v}" for k, v in error.items() if k not in ("kind", "passage"))
        lines.append(f"  {error['kind']:15} {details}   [{error['passage']}…]")
    return "\n".join(lines)
