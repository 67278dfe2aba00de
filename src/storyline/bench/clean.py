"""Benchmark 'clean': boilerplate removal on flattened pages scored with gold snippets.

Data: `*.txt` pages flattened as a naive scraper delivers them (one block of the page per line)
and `gold.json` = {file: {"url", "with": [...], "without": [...]}} (the format of
`../shared/data/scrapinghub-aeb-text`). Each page goes through the same path as
`storyline clean FILE` (the text reader, then the configuration's cleaner, `build_article`
by default); its title and text are searched for the gold snippets:

- a "with" snippet (a sentence of the article body) found is a true positive, missing a false
  negative; a "without" snippet (a line of page furniture) found is a false positive;
- precision TP/(TP+FP), recall TP/(TP+FN) and F1 are micro-averaged over all snippets of all
  pages; a snippet listed twice counts twice (as the page prints it twice);
- matching is substring search after both sides get the normalisation every reader applies
  (control characters dropped, `storyline.ingest.decode.normalize_text`) and the cleaner's
  (invisible characters dropped, runs of whitespace collapsed to one space); title and
  paragraphs are joined by single spaces. Case and punctuation are kept: a cleaner must not
  rewrite text.

Snippets are not put through the reader's mojibake repair (`decode.repair_mojibake`): the gold
was cut from the mis-decoded text as it is. None of its "with" snippets holds mojibake, while 323
of its "without" lines do, and most of those are body paragraphs the gold's builder could not
match to the article because of the mojibake. storyline repairs such lines, so they are not
found in its output and count neither way; a cleaner that kept the mojibake would be charged
for keeping the body (the gold's own body lines, kept exactly, then score P .81, F1 .89).

The raw file with nothing removed (decoded as UTF-8, nothing repaired) is scored the same way
(`raw_f1`). Speed is pages cleaned per CPU second of this process (`time.process_time`, so a
busy machine does not make it look slower). The timed part of each page is `clean_page`: the
reader on its bytes (format sniffing, decoding, mojibake repair, normalisation) and the
cleaner (`build_article`); the files are read from disk before, the snippets scored after, both
untimed. What a process does once before its first page (loading the line model, building the
character table and the stop-word index) is not spread over the pages: the first page is
cleaned once untimed beforehand, and its CPU seconds, that setup included, are given apart
(`warm_up_cpu_seconds`).

A gold entry may name its page's "source" and "language" (`storyline.bench.external` writes
both): the figures are then also given per source and per language (`groups`).

`--split` scores only the held-out half: the pages `is_held_out` picks (by a hash of the file
name, fixed forever). `storyline.clean.train` learns the line model from the other half only.
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import dataclass
from pathlib import Path

from storyline.bench import pipeline_config
from storyline.clean.interfaces import Cleaner
from storyline.clean.split import is_held_out, normalize_snippet
from storyline.ingest import read_bytes
from storyline.model import Article, RawDocument

HELP = "boilerplate removal on flattened pages: gold-snippet precision, recall, F1 and speed"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--split", action="store_true",
        help="score only the held-out half (the pages the line model was not trained on)",
    )
    parser.add_argument(
        "--limit", type=int, default=None, metavar="N",
        help="score only the first N pages (sorted by file name) for a quick run",
    )


GROUP_KEYS = ("source", "language")


@dataclass
class Counts:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    pages: int = 0

    def add(self, haystack: str, with_: list[str], without: list[str]) -> None:
        self.pages += 1
        for snippet in with_:
            if normalize_snippet(snippet) in haystack:
                self.true_positives += 1
            else:
                self.false_negatives += 1
        self.false_positives += sum(1 for s in without if normalize_snippet(s) in haystack)

    def snippets(self) -> dict[str, int]:
        return {"true_positives": self.true_positives, "false_positives": self.false_positives,
                "false_negatives": self.false_negatives}

    def figures(self) -> dict[str, float]:
        tp, fp, fn = self.true_positives, self.false_positives, self.false_negatives
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def clean_page(name: str, data: bytes, cleaner: Cleaner) -> list[Article]:
    """The articles of one page, read and cleaned as `storyline clean` does (the timed part)."""
    documents = [item for item in read_bytes(name, data, name) if isinstance(item, RawDocument)]
    return [cleaner(document) for document in documents]


def haystacks(articles: list[Article], data: bytes) -> tuple[str, str]:
    """(cleaned title + text, raw text) of one page, each normalised for snippet search."""
    cleaned = " ".join(part for article in articles for part in (article.title, article.text))
    return normalize_snippet(cleaned), normalize_snippet(data.decode("utf-8", "replace"))


def select_pages(gold: dict, split: bool, limit: int | None) -> list[str]:
    names = sorted(name for name in gold if not split or is_held_out(name))
    return names if limit is None else names[: max(0, limit)]


def run(data: Path, args: argparse.Namespace) -> dict:
    gold = json.loads((data / "gold.json").read_text(encoding="utf-8"))
    names = select_pages(gold, args.split, args.limit)
    pages = {name: (data / name).read_bytes() for name in names}
    cleaned, raw = Counts(), Counts()
    groups: dict[str, Counts] = {}
    cleaner = pipeline_config(args).article_cleaner()
    started = time.process_time()
    if names:
        clean_page(names[0], pages[names[0]], cleaner)
    warm_up_seconds = time.process_time() - started
    cpu_seconds = 0.0
    for name, page in pages.items():
        started = time.process_time()
        articles = clean_page(name, page, cleaner)
        cpu_seconds += time.process_time() - started
        haystack, raw_haystack = haystacks(articles, page)
        snippets = gold[name].get("with", []), gold[name].get("without", [])
        cleaned.add(haystack, *snippets)
        raw.add(raw_haystack, *snippets)
        for key in GROUP_KEYS:
            if gold[name].get(key):
                group = f"{key} {gold[name][key]}"
                groups.setdefault(group, Counts()).add(haystack, *snippets)
    figures = cleaned.figures()
    raw_figures = raw.figures()
    return {
        "pages": len(names),
        "split": "held-out half" if args.split else "all",
        **figures,
        "snippets": cleaned.snippets(),
        "cpu_seconds": round(cpu_seconds, 3),
        "warm_up_cpu_seconds": round(warm_up_seconds, 3),
        "pages_per_second": round(len(names) / cpu_seconds, 1) if cpu_seconds > 0 else 0.0,
        "raw_precision": raw_figures["precision"],
        "raw_recall": raw_figures["recall"],
        "raw_f1": raw_figures["f1"],
        "groups": {group: {"pages": counts.pages, **counts.figures(),
                           "snippets": counts.snippets()}
                   for group, counts in sorted(groups.items())},
    }


def format_text(result: dict) -> str:
    snippets = result["snippets"]
    rows = [("storyline clean", ""), ("raw text", "raw_")]
    lines = [f"pages               {result['pages']} ({result['split']})",
             f"{'':<20}{'precision':>10}{'recall':>8}{'F1':>8}"]
    for name, prefix in rows:
        figures = [result[prefix + key] for key in ("precision", "recall", "f1")]
        lines.append(f"{name:<20}{figures[0]:>10.4f}{figures[1]:>8.4f}{figures[2]:>8.4f}")
    tp, fp, fn = (snippets[key] for key in ("true_positives", "false_positives", "false_negatives"))
    lines.append(f"snippets            TP {tp}, FP {fp}, FN {fn}")
    lines.append(f"speed               {result['pages_per_second']} pages per CPU second "
                 f"({result['cpu_seconds']} CPU s, reading included, scoring not; warm-up: "
                 f"first page and setup {result['warm_up_cpu_seconds']} CPU s, untimed)")
    for group, figures in result.get("groups", {}).items():
        snippets = figures["snippets"]
        lines.append(f"{group:<20}{figures['precision']:>10.4f}{figures['recall']:>8.4f}"
                     f"{figures['f1']:>8.4f}  ({figures['pages']} pages; TP "
                     f"{snippets['true_positives']}, FP {snippets['false_positives']}, "
                     f"FN {snippets['false_negatives']})")
    return "\n".join(lines)
