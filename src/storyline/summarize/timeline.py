"""Dated timelines: pick the most important dates for a query, then what happened on each.

Date selection follows the datewise approach (Ghalandari & Ifrim, ACL 2020) without a trained
ranker: a date is important when many sentences and articles mention it - especially articles
published later, which shows the date stayed newsworthy - and when many articles are published on
it; every count is weighted by the article's relevance to the query. Per date, candidates are the
sentences whose own resolved date is that day plus the undated lead sentences of articles
published that day or the day after; a greedy summary-centroid selection (their CentroidOpt) picks
K of them, weighted by closeness to the collection's topic, never repeating a sentence. (Their
knee-point filter of candidates was tried and cost ROUGE-1 on Timeline17, so it is not used.)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np
from scipy import sparse

from storyline import settings
from storyline.clean.outlet import source_key, source_name
from storyline.model import Article
from storyline.store import Store
from storyline.summarize.dates import resolve_dates
from storyline.summarize.text import (
    article_sentences,
    centroid_scores,
    fold,
    query_terms,
    stop_words_for,
    terms_pattern,
    tfidf_matrix,
)


@dataclass
class TimelineSentence:
    text: str
    article: str
    outlet: str | None


@dataclass
class TimelineEntry:
    date: str
    sentences: list[TimelineSentence] = field(default_factory=list)
    # Independent sources behind the day: distinct publishers (agency reprinted, else outlet)
    # among the reports that date a sentence to it or were published then; a report with
    # neither counts as its own source.
    sources: int = 0


@dataclass
class Timeline:
    query: str
    entries: list[TimelineEntry] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"query": self.query, "entries": [asdict(e) for e in self.entries]}


@dataclass(frozen=True)
class TimelineWeights:
    """The tunable weights of date ranking and sentence selection (defaults: settings).

    `storyline bench timeline --cv` tunes them by cross-validation over Timeline17 topics.
    """

    mention_sentences: float = settings.TIMELINE_WEIGHT_MENTION_SENTENCES
    mention_articles: float = settings.TIMELINE_WEIGHT_MENTION_ARTICLES
    later_articles: float = settings.TIMELINE_WEIGHT_LATER_ARTICLES
    published: float = settings.TIMELINE_WEIGHT_PUBLISHED
    lead: float = settings.TIMELINE_LEAD_WEIGHT
    topic: float = settings.TIMELINE_TOPIC_WEIGHT
    off_query: float = settings.TIMELINE_OFF_QUERY_WEIGHT
    off_query_sentence: float = settings.TIMELINE_OFF_QUERY_SENTENCE_WEIGHT
    max_words: int = settings.TIMELINE_MAX_WORDS


@dataclass(frozen=True)
class TimelineConfig:
    """How big a timeline is and which sentences may enter it (section `[timeline]` of a
    pipeline configuration, its ranking weights in `[timeline.weights]`)."""

    default_dates: int = settings.TIMELINE_DEFAULT_DATES
    default_sentences: int = settings.TIMELINE_DEFAULT_SENTENCES
    # Articles read from the store for one query.
    max_articles: int = settings.TIMELINE_MAX_ARTICLES
    max_sentences_per_article: int = settings.TIMELINE_MAX_SENTENCES_PER_ARTICLE
    min_words: int = settings.TIMELINE_MIN_WORDS
    # Undated sentences this early in a report stand for its publication day ...
    lead_sentences: int = settings.TIMELINE_LEAD_SENTENCES
    # ... and the days before it, this many in all.
    published_span_days: int = settings.TIMELINE_PUBLISHED_SPAN_DAYS
    # A sentence this similar to one already in the timeline is left out.
    max_similarity: float = settings.TIMELINE_MAX_SIMILARITY
    weights: TimelineWeights = field(default_factory=TimelineWeights)

    def __post_init__(self) -> None:
        for name in ("default_dates", "default_sentences", "max_articles",
                     "max_sentences_per_article", "min_words", "published_span_days"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1")
        if self.lead_sentences < 0 or not -1 <= self.max_similarity <= 1:
            raise ValueError("need lead_sentences >= 0 and max_similarity from -1 to 1")


@dataclass
class _Candidate:
    text: str
    article: int
    own_date: date | None
    weight: float
    lead: bool


def parse_day(value: str | None) -> date | None:
    """The day of an ISO date/datetime string, or None."""
    if not value or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _sentence_days(article: Article) -> dict[int, list[date]]:
    """Day-granularity dates mentioned in each sentence (index -> days, in order of mention)."""
    days: dict[int, list[date]] = defaultdict(list)
    for mention in article.dates:
        day = parse_day(mention.value) if mention.granularity == "day" else None
        if day and day not in days[mention.sentence]:
            days[mention.sentence].append(day)
    return days


def summarize_timeline(  # noqa: C901 - the timeline steps in order, each a few lines
    articles: Sequence[Article],
    query: str | Sequence[str],
    n_dates: int | None = None,
    k_sentences: int | None = None,
    start: str | date | None = None,
    end: str | date | None = None,
    weights: TimelineWeights | None = None,
    config: TimelineConfig | None = None,
) -> Timeline:
    """A timeline of `n_dates` dates with `k_sentences` cited sentences each, from `articles`.

    Pure: reads `sentences`, `dates` and `published` of the articles given (enrich fills them).
    `query` is the query text or its keywords; articles that match none of its words weigh less.
    `weights` (the benchmark tunes them) override those of `config`.
    """
    config = config or TimelineConfig()
    tuned = weights or config.weights
    n_dates = n_dates or config.default_dates
    k_sentences = k_sentences or config.default_sentences
    first = start if isinstance(start, date) else parse_day(start)
    last = end if isinstance(end, date) else parse_day(end)
    label = query if isinstance(query, str) else " ".join(query)
    terms = query_terms(query)

    def in_range(day: date) -> bool:
        return (first is None or day >= first) and (last is None or day <= last)

    stops = stop_words_for(a.language for a in articles)
    pattern = terms_pattern(terms)
    on_query = [
        pattern is not None and pattern.search(fold(a.title + "\n" + a.text)) is not None
        for a in articles
    ]
    if not any(on_query):
        # None of the query words occurs (e.g. a topic label): every article counts fully.
        on_query = [True] * len(articles)
        pattern = None
    off_weight = tuned.off_query
    article_weight = [1.0 if hit else off_weight for hit in on_query]

    date_scores: dict[date, float] = defaultdict(float)
    candidates: list[_Candidate] = []
    for index, article in enumerate(articles):
        weight = article_weight[index]
        published = parse_day(article.published)
        if published and in_range(published):
            date_scores[published] += tuned.published * weight
        mentioned: set[date] = set()
        days_by_sentence = _sentence_days(article)
        for s_index, sentence in enumerate(
            article_sentences(article, config.max_sentences_per_article)
        ):
            days = [d for d in days_by_sentence.get(s_index, []) if in_range(d)]
            for day in days:
                date_scores[day] += tuned.mention_sentences * weight
                mentioned.add(day)
            n_words = len(sentence.text.split())
            if not config.min_words <= n_words <= tuned.max_words:
                continue
            own = days[0] if days else None
            lead = own is None and s_index < config.lead_sentences
            if own is None and not (lead and published):
                continue
            sentence_weight = weight if own else weight * tuned.lead
            off_query = tuned.off_query_sentence
            if off_query != 1.0 and pattern and not pattern.search(fold(sentence.text)):
                sentence_weight *= off_query
            candidates.append(_Candidate(sentence.text, index, own, sentence_weight, lead))
        for day in mentioned:
            date_scores[day] += tuned.mention_articles * weight
            if published and published > day:
                date_scores[day] += tuned.later_articles * weight

    by_date = _candidates_by_date(candidates, articles, config.published_span_days)
    matrix = tfidf_matrix([c.text for c in candidates], stops)
    _weigh_by_topic(matrix, candidates, tuned.topic)
    ranked = sorted(date_scores, key=lambda d: (-date_scores[d], d))
    chosen_rows: list[int] = []
    chosen_texts: set[str] = set()
    entries: list[TimelineEntry] = []
    for day in ranked:
        if len(entries) >= n_dates:
            break
        own_rows, lead_rows = by_date.get(day, ([], []))
        rows = own_rows + [r for r in lead_rows if r not in set(own_rows)]
        picked = _centroid_opt(matrix, rows, candidates, k_sentences, chosen_rows, chosen_texts,
                               config.max_similarity)
        if not picked:
            continue
        chosen_rows.extend(picked)
        # Sentences dated to the day itself come before lead sentences of that day's reports.
        picked.sort(key=lambda r: candidates[r].own_date != day)
        entries.append(
            TimelineEntry(
                day.isoformat(),
                [
                    TimelineSentence(
                        candidates[r].text,
                        articles[candidates[r].article].id,
                        articles[candidates[r].article].outlet,
                    )
                    for r in picked
                ],
                _independent_sources(articles[index] for index in
                                     dict.fromkeys(candidates[r].article for r in rows)),
            )
        )
    entries.sort(key=lambda e: e.date)
    return Timeline(label, entries)


def _independent_sources(reports: Iterable[Article]) -> int:
    """Distinct publishers as briefs count them (`clean.outlet.source_name`): one per agency a
    report reprints, else per outlet, so updates and wire copies count once. Each report once:
    asked per candidate sentence, this was a quarter of a timeline's cost."""
    return len({source_key(source_name(a)) or f"article:{a.id}" for a in reports})


def _weigh_by_topic(
    matrix: sparse.csr_matrix, candidates: list[_Candidate], share: float
) -> None:
    """Scale candidate weights by closeness to the whole collection's centroid (its topic)."""
    if not share or not candidates:
        return
    closeness = centroid_scores(matrix)
    top = closeness.max()
    if top <= 0:
        return
    for candidate, value in zip(candidates, closeness / top, strict=True):
        candidate.weight *= (1 - share) + share * value


def _candidates_by_date(
    candidates: list[_Candidate], articles: Sequence[Article], span_days: int
) -> dict[date, tuple[list[int], list[int]]]:
    """Per day: rows of sentences dated that day, and lead rows of reports published then."""
    own: dict[date, list[int]] = defaultdict(list)
    lead: dict[date, list[int]] = defaultdict(list)
    for row, candidate in enumerate(candidates):
        if candidate.own_date is not None:
            own[candidate.own_date].append(row)
        elif candidate.lead:
            published = parse_day(articles[candidate.article].published)
            if published is None:
                continue
            for back in range(span_days):
                lead[published - timedelta(days=back)].append(row)
    return {day: (own.get(day, []), lead.get(day, [])) for day in set(own) | set(lead)}


def _centroid_opt(
    matrix: sparse.csr_matrix,
    rows: list[int],
    candidates: list[_Candidate],
    count: int,
    chosen_rows: list[int],
    chosen_texts: set[str],
    max_similarity: float,
) -> list[int]:
    """Greedily add the sentence that brings the summary vector closest to the rows' centroid.

    Candidate scores are scaled by their query relevance; a sentence equal or too similar to one
    already in the timeline is never picked again.
    """
    if not rows:
        return []
    sub = matrix[rows]
    centroid = np.asarray(sub.sum(axis=0)).ravel()
    norm = np.linalg.norm(centroid)
    if norm == 0:
        return []
    centroid /= norm
    to_centroid = np.asarray(sub @ centroid).ravel()
    self_norm = np.asarray(sub.multiply(sub).sum(axis=1)).ravel()
    weights = np.array([candidates[r].weight for r in rows])
    previous = matrix[chosen_rows] if chosen_rows else None
    blocked = np.zeros(len(rows), dtype=bool)
    if previous is not None:
        blocked = (sub @ previous.T).max(axis=1).toarray().ravel() >= max_similarity
    summary = np.zeros(matrix.shape[1])
    picked: list[int] = []
    seen = set(chosen_texts)
    while len(picked) < count:
        summary_dot = sub @ summary
        length = np.sqrt(np.maximum(summary @ summary + 2 * summary_dot + self_norm, 1e-12))
        score = (summary @ centroid + to_centroid) / length * weights
        score[blocked] = -np.inf
        best = int(np.argmax(score))
        if not np.isfinite(score[best]) or self_norm[best] == 0:
            break
        blocked[best] = True
        key = fold(" ".join(candidates[rows[best]].text.split()))
        if key in seen:
            continue
        seen.add(key)
        picked.append(rows[best])
        row_vector = sub[best].toarray().ravel()
        summary += row_vector
        # Nothing too close to what was just picked may follow it.
        blocked |= np.asarray(sub @ row_vector).ravel() >= max_similarity
    chosen_texts.update(seen)
    return picked


def build_timeline(
    store: Store,
    query: str,
    start: str | None = None,
    end: str | None = None,
    dates: int | None = None,
    sentences: int | None = None,
    config: TimelineConfig | None = None,
) -> Timeline:
    """The timeline of `query` (an entity under any alias, or keywords) over the store."""
    config = config or TimelineConfig()
    terms: list[str] = [query]
    ids: list[str] = []
    for entity in store.find_entities(query):
        terms += [entity["name"], *entity["aliases"]]
        ids += store.article_ids_for_entity(entity["id"], config.max_articles)
    limit = config.max_articles
    hits = store.search(query, limit=limit)
    if not hits and not ids:
        # No article holds every word: take articles holding any of them.
        for word in query_terms(query):
            hits += store.search(word, limit=limit)
    ids += [hit["id"] for hit in hits]
    articles = store.get_articles(dict.fromkeys(ids[:limit]), raw=False)
    articles.sort(key=lambda a: (a.published or "", a.id))
    for article in articles:
        if not article.sentences:  # not enriched yet: split and date it on the fly
            article.sentences = article_sentences(article, config.max_sentences_per_article)
            article.dates = resolve_dates(
                article.text, article.sentences, article.language, article.published
            )
    timeline = summarize_timeline(articles, terms, dates, sentences, start, end, config=config)
    timeline.query = query
    return timeline
