"""Benchmark 'extract': article-body extraction on the Scrapinghub article-extraction benchmark.

Data: `html/<id>.html.gz` pages and `ground-truth.json` = {id: {"articleBody", "url"}}
(https://github.com/scrapinghub/article-extraction-benchmark). Our HTML reader
(`storyline.ingest.html.html_to_text`) and bare `trafilatura.extract(html, include_comments=False)`
(how the benchmark's own `extractors/run_trafilatura.py` calls it) run on the same pages in the
same process, and both are scored with the benchmark's metric, replicated in `match_counts` and
`scores` below.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

import trafilatura

from storyline.ingest.html import html_to_text

HELP = "article-body extraction vs bare trafilatura on the Scrapinghub benchmark"
BASELINE_NAME = "trafilatura.extract"
SHINGLE_TOKENS = 4

# The benchmark's tokenizer: runs of word characters, any language.
_TOKEN = re.compile(r"\w+", re.UNICODE)

MatchCounts = tuple[float, float, float]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--limit", type=int, default=None, metavar="N",
        help="score only the first N pages (sorted by id) for a quick run",
    )


def run(data: Path, args: argparse.Namespace) -> dict:
    truth = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    ids = sorted(truth)
    if args.limit is not None:
        ids = ids[: max(0, args.limit)]
    pages = {item: gzip.decompress((data / "html" / f"{item}.html.gz").read_bytes()) for item in ids}
    bodies = {item: truth[item].get("articleBody") or "" for item in ids}

    def ours(page: bytes) -> str:
        extracted = html_to_text(page)
        return extracted.text if extracted is not None else ""

    def baseline(page: bytes) -> str:
        # As the benchmark's runner does: the page read as UTF-8 text, comments excluded.
        html = page.decode("utf-8", "replace")
        return trafilatura.extract(html, include_comments=False) or ""

    result: dict[str, object] = {"items": len(ids), **_evaluate(ours, pages, bodies)}
    result["baseline"] = {"name": BASELINE_NAME, **_evaluate(baseline, pages, bodies)}
    return result


def format_text(result: dict) -> str:
    rows = [("storyline (html_to_text)", result), (result["baseline"]["name"], result["baseline"])]
    lines = [f"{'extractor':<26}{'items':>6}{'precision':>11}{'recall':>8}{'F1':>8}{'pages/s':>9}"]
    for name, figures in rows:
        lines.append(
            f"{name:<26}{result['items']:>6}{figures['precision']:>11.4f}"
            f"{figures['recall']:>8.4f}{figures['f1']:>8.4f}{figures['pages_per_second']:>9.1f}"
        )
    return "\n".join(lines)


def _evaluate(
    extract: Callable[[bytes], str], pages: dict[str, bytes], bodies: dict[str, str]
) -> dict[str, float]:
    counts = []
    elapsed = 0.0
    for item, page in pages.items():
        started = time.perf_counter()
        predicted = extract(page)
        elapsed += time.perf_counter() - started
        counts.append(match_counts(bodies[item], predicted))
    figures = scores(counts)
    figures["pages_per_second"] = round(len(pages) / elapsed, 2) if elapsed > 0 else 0.0
    return figures


def shingles(text: str, size: int = SHINGLE_TOKENS) -> Counter[tuple[str, ...]]:
    """Bag of `size`-token shingles; a text shorter than `size` tokens is one shorter shingle."""
    tokens = _TOKEN.findall(text or "")
    return Counter(
        tuple(tokens[start : start + size]) for start in range(max(1, len(tokens) - size + 1))
        if tokens[start : start + size]
    )


def match_counts(true: str, predicted: str) -> MatchCounts:
    """Per-page (tp, fp, fn) over shingle bags, normalised to sum to 1.

    Replicates `string_shingle_matching` in scrapinghub/article-extraction-benchmark's
    `evaluate.py`: tokens are `\\w+` runs, shingles are 4-token n-grams, tp/fp/fn are the bag
    intersection and differences, and the three are divided by their sum so that long articles
    weigh no more than short ones. (It is not a whitespace token bag: word order within four
    tokens counts.)
    """
    true_bag, predicted_bag = shingles(true), shingles(predicted)
    tp = sum((true_bag & predicted_bag).values())
    fp = sum((predicted_bag - true_bag).values())
    fn = sum((true_bag - predicted_bag).values())
    total = tp + fp + fn
    if total == 0:
        return (0.0, 0.0, 0.0)
    return (tp / total, fp / total, fn / total)


def scores(counts: Sequence[MatchCounts]) -> dict[str, float]:
    """Benchmark precision, recall and F1 from per-page counts (`metrics_from_tp_fp_fns`).

    Precision is the mean over pages that predicted something (tp + fp > 0), recall the mean over
    pages with a true body (tp + fn > 0); F1 is the harmonic mean of those two means, not a mean
    of per-page F1. An empty prediction therefore costs recall, never precision.
    """
    precision = _mean([_precision(*c) for c in counts if c[0] + c[1] > 0])
    recall = _mean([_recall(*c) for c in counts if c[0] + c[2] > 0])
    f1 = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fp == 0 else tp / (tp + fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fn == 0 else tp / (tp + fn)


def _mean(values: list[float]) -> float:
    return statistics.mean(values) if values else 0.0
