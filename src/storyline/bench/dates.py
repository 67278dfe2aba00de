"""Benchmark 'dates': publication dates inferred from the text alone, on Timeline17.

Data: `<topic>/InputDocs/<YYYY-MM-DD>/<n>.htm.txt`, tokenized text with one sentence per line,
the first line usually the title. The folder name is the publication date; it is hidden from the
inference and only used for scoring. Every article goes through the whole enrich stage
(`storyline.enrich.enrich_articles`, with the configuration's recognizer and `[enrich]` section:
`storyline --config my.toml bench dates` scores that configuration) with `published=None`,
then `infer_published`.

Figures: exact-day precision over the articles answered, coverage (share answered), month
accuracy (share of answered articles in the right month), articles per second for the whole
run, and where the time goes (`time_breakdown`, seconds per sub-stage).
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from collections import Counter, defaultdict
from pathlib import Path

from storyline import enrich
from storyline.bench import pipeline_config
from storyline.enrich import EnrichConfig, pubdate
from storyline.model import Article

HELP = "publication dates inferred from text alone on Timeline17 (precision, coverage, speed)"
BATCH = 200


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--limit", type=int, default=None, metavar="N",
                        help="score only N articles (spread over all topics) for a quick run")
    parser.add_argument("--topics", default=None, metavar="A,B",
                        help="only these topic folders (comma-separated), e.g. to tune on a few")
    parser.add_argument("--dates-only", action="store_true",
                        help="run only the publication-date inference, not the whole enrich stage")


def load_articles(data: Path, limit: int | None = None,
                  topics: list[str] | None = None) -> list[tuple[Article, str, str]]:
    """(article, true date, topic) for every document; the date comes from the folder name."""
    files = sorted(data.glob("*/InputDocs/*/*.txt"))
    if topics:
        files = [f for f in files if f.parts[-4] in topics]
    if limit is not None:
        # Every k-th file, so a quick run still sees every topic and period.
        step = max(1, len(files) // max(1, limit))
        files = files[::step][:limit]
    loaded = []
    for path in files:
        lines = [line.strip() for line in path.read_text("utf-8", "replace").splitlines()]
        # Empty documents stay in: they count as articles nobody can date.
        lines = [line for line in lines if line] or [""]
        topic = path.parts[-4]
        article_id = f"{topic}/{path.parent.name}/{path.name}"
        article = Article(id=article_id, source=str(path), title=lines[0],
                          text="\n".join(lines[1:]))
        loaded.append((article, path.parent.name, topic))
    return loaded


def run(data: Path, args: argparse.Namespace) -> dict:
    topics = args.topics.split(",") if getattr(args, "topics", None) else None
    loaded = load_articles(data, getattr(args, "limit", None), topics)
    articles = [article for article, _, _ in loaded]
    steps_before = dict(enrich.STEP_SECONDS)
    pubdate_before = pubdate.SECONDS_SPENT[0]
    config = pipeline_config(args)
    enrichment = config.section(EnrichConfig)
    started = time.perf_counter()
    if getattr(args, "dates_only", False):
        guesses = [pubdate.infer_published(article, enrichment.dates) for article in articles]
    else:
        recognizer = config.recognizer()
        for first in range(0, len(articles), BATCH):
            enrich.enrich_articles(articles[first: first + BATCH], recognizer, enrichment)
        guesses = [_guess_of(article) for article in articles]
    elapsed = time.perf_counter() - started
    timings = {step: seconds - steps_before.get(step, 0.0)
               for step, seconds in enrich.STEP_SECONDS.items()}
    pubdate_seconds = pubdate.SECONDS_SPENT[0] - pubdate_before
    if "dates" in timings:
        # The enrich stage's "dates" step includes the publication-date inference.
        timings["dates"] -= pubdate_seconds
    timings["pubdate"] = pubdate_seconds
    return score(guesses, [truth for _, truth, _ in loaded], elapsed, timings)


def _guess_of(article: Article) -> pubdate.PublicationGuess:
    """What the enrich stage concluded (it only fills `published` when it inferred a day)."""
    inferred = article.published if article.published_source == "inferred" else None
    return pubdate.PublicationGuess(inferred, article.published_confidence or 0.0,
                                    article.published_reason or "")


def score(guesses: list[pubdate.PublicationGuess], truths: list[str], elapsed: float, timings: dict[str, float]) -> dict:
    answered = [(g.value, g, t) for g, t in zip(guesses, truths, strict=True)
                if g.value is not None]
    exact = sum(value == t for value, _, t in answered)
    month = sum(value[:7] == t[:7] for value, _, t in answered)
    by_reason: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for value, guess, truth in answered:
        kind = guess.reason.split(" (")[0].split(":")[0]
        by_reason[kind][0] += 1
        by_reason[kind][1] += value == truth
    offsets = Counter(min(7, max(-7, (dt.date.fromisoformat(value)
                                      - dt.date.fromisoformat(t)).days)) for value, _, t in answered)
    total = len(truths)
    return {
        "articles": total,
        "exact_day_precision": round(exact / len(answered), 4) if answered else 0.0,
        "coverage": round(len(answered) / total, 4) if total else 0.0,
        "month_accuracy": round(month / len(answered), 4) if answered else 0.0,
        "articles_per_second": round(total / elapsed, 1) if elapsed else 0.0,
        "time_breakdown": {name: round(seconds, 3) for name, seconds in timings.items()},
        "by_evidence": {kind: {"answered": n, "exact": hits} for kind, (n, hits)
                        in sorted(by_reason.items())},
        "offset_days": {str(k): v for k, v in sorted(offsets.items())},
    }


def format_text(result: dict) -> str:
    lines = [
        f"articles             {result['articles']}",
        f"exact-day precision  {result['exact_day_precision']:.3f}",
        f"coverage             {result['coverage']:.3f}",
        f"month accuracy       {result['month_accuracy']:.3f}",
        f"articles per second  {result['articles_per_second']}",
        "time breakdown (s)   " + ", ".join(f"{name} {seconds}" for name, seconds
                                             in result["time_breakdown"].items()),
    ]
    for kind, counts in result["by_evidence"].items():
        lines.append(f"  {kind}: {counts['exact']}/{counts['answered']} exact")
    lines.append("offset (guess - truth, days): " + ", ".join(
        f"{k}:{v}" for k, v in result["offset_days"].items()))
    return "\n".join(lines)
