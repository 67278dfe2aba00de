"""Event briefs: what happened, when, where, who, who says so, and what only one outlet claims.

The summary is 3-5 sentences drawn from all member articles: centrality (cosine with the event's
TF-IDF centroid, boosted by how many independent outlets report the sentence's claim and by lead
position) with MMR redundancy removal. Every output sentence is cited to its article and outlet.
Deterministic: every ordering breaks ties on article order and sentence index.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from storyline import settings
from storyline.config import check_fields
from storyline.model import Article, Event
from storyline.summarize.corroboration import (
    Claim,
    ClaimMatrices,
    EventSentence,
    Publisher,
    claim_matrices,
    claim_support,
    conflicting_figures,
    distinct_rows,
    entity_anchors,
    group_claims,
    publisher_labels,
    publishers,
    sentence_anchors,
)
from storyline.summarize.stored import Brief
from storyline.summarize.text import (
    SentenceBounds,
    centroid_scores,
    fold,
    mmr_select,
    readable_sentence,
    stands_alone,
    stop_words_for,
    tfidf_matrix,
    words,
)
from storyline.summarize.vectors import ClaimEncoding

_ROLE_ORDER = {"origin": 0, "independent": 1, "copy": 2}
# Lead sentences carry the news; weight decays with position (1, 1/1.1, 1/1.2 ...).
_POSITION_DECAY = 0.1
# Each further independent publisher reporting a claim adds this much to its sentences' weight.
_SUPPORT_BONUS = 0.5
# Claims are shown in this language when one of their sentences is in it.
_DISPLAY_LANGUAGE = "en"


@dataclass(frozen=True)
class BriefConfig:
    """How much a brief reads and lists (the parameters of the `brief` summarizer, the
    `[summarizer]` table of a pipeline configuration; settings.py says why each default)."""

    # Candidate sentences in all, and at least this many leading ones of each report.
    max_candidates: int = settings.BRIEF_MAX_CANDIDATES
    min_sentences_per_article: int = settings.BRIEF_MIN_SENTENCES_PER_ARTICLE
    summary_min_sentences: int = settings.SUMMARY_MIN_SENTENCES
    summary_max_sentences: int = settings.SUMMARY_MAX_SENTENCES
    mmr_lambda: float = settings.SUMMARY_MMR_LAMBDA
    single_source_per_outlet: int = settings.SINGLE_SOURCE_PER_OUTLET
    max_entities: int = settings.BRIEF_MAX_ENTITIES
    quote_same_overlap: float = settings.QUOTE_SAME_OVERLAP
    # Verbatim passages: members compared pairwise, passages listed, words a passage has.
    passage_max_members: int = settings.BRIEF_PASSAGE_MAX_MEMBERS
    passage_max: int = settings.BRIEF_PASSAGE_MAX
    passage_min_words: int = settings.DEDUP_PASSAGE_MIN_WORDS
    # Occurrences of one run of words looked at in the other member (repetitive input).
    passage_max_candidates: int = settings.DEDUP_PASSAGE_MAX_CANDIDATES

    def __post_init__(self) -> None:
        check_fields(self, shares=("mmr_lambda", "quote_same_overlap"))
        if self.summary_min_sentences > self.summary_max_sentences:
            raise ValueError("summary_min_sentences must not exceed summary_max_sentences")


def _shared_passages(members: list[Article], config: BriefConfig) -> list[dict[str, Any]]:
    """Verbatim passages shared by pairs of same-language members, longest first."""
    from storyline.events.dedup import passage_seeds, shared_passages

    found: dict[str, list[str]] = {}
    candidates = members[: config.passage_max_members]
    if len(candidates) < 2:  # most events have one report: no pair, nothing to tokenise
        return []
    # Most pairs of reports share no run of words at all: a set test rules them out (comparing
    # every pair word by word was most of a large event's brief).
    min_words = config.passage_min_words
    seeds = [passage_seeds(article, min_words) for article in candidates]
    for i, first in enumerate(candidates):
        for j, second in enumerate(candidates[i + 1:], start=i + 1):
            if first.language != second.language or seeds[i].isdisjoint(seeds[j]):
                continue
            for passage in shared_passages(first, second, min_words,
                                           config.passage_max_candidates):
                carriers = found.setdefault(" ".join(passage.split()), [])
                carriers.extend(a for a in (first.id, second.id) if a not in carriers)
    ranked = sorted(found.items(), key=lambda item: (-len(item[0]), item[0]))
    return [{"text": text, "articles": articles}
            for text, articles in ranked[: config.passage_max]]


def _ordered_members(event: Event, articles: Sequence[Article]) -> list[Article]:
    """Member articles: originals and independent reports before copies, then by date and id."""
    roles = {m.article_id: m.role for m in event.members}
    members = [a for a in articles if not event.members or a.id in roles]
    return sorted(
        members,
        key=lambda a: (_ROLE_ORDER.get(roles.get(a.id, "independent"), 1), a.published or "", a.id),
    )


def _event_sentences(members: Sequence[Article], claims: ClaimEncoding, config: BriefConfig
                     ) -> list[EventSentence]:
    """Candidate sentences, bounded: every report's lead first (`max_candidates` in all, at
    least `min_sentences_per_article` each), since encoding them is most of a brief's cost and
    a report's news is in its first sentences."""
    bounds = SentenceBounds()
    per_article = min(
        bounds.limit,
        max(config.min_sentences_per_article,
            config.max_candidates // max(1, len(members))),
    )
    encoded = claims.sentences
    picked: list[tuple[int, int, str, bool]] = []  # (index, member position, text, encoded)
    for position, article in enumerate(members):
        picked += [(index, position, text, rank < encoded)
                   for rank, (index, text) in enumerate(bounds.candidates(article)[:per_article])]
    picked = sorted(sorted(picked)[: config.max_candidates], key=lambda p: (p[1], p[0]))
    anchors = entity_anchors(members)
    return [
        EventSentence(
            text, members[position].id, members[position].outlet, members[position].language,
            index, sentence_anchors(text, anchors, members[position].language), encoded,
        )
        for index, position, text, encoded in picked
    ]


def _cite(sentence: EventSentence) -> dict[str, Any]:
    return {"text": sentence.text, "article": sentence.article, "outlet": sentence.outlet}


def build_brief(
    event: Event, articles: list[Article], timings: dict[str, float] | None = None,
    encoding: ClaimEncoding | None = None, config: BriefConfig | None = None,
) -> Brief:
    """The brief of `event` from its member `articles` (other articles given are ignored).

    `timings`, when given, receives the CPU seconds of each step (`storyline event --timing`).
    `encoding`: how claims are matched (the configuration's `[claims]` section); `config`: how
    much the brief reads and lists (its `[summarizer]` parameters).
    """
    encoding = encoding or ClaimEncoding()
    config = config or BriefConfig()
    clock = _StepClock(timings)
    members = _ordered_members(event, articles)
    sentences = _event_sentences(members, encoding, config)
    by_article = publishers(event, members)
    clock.step("sentences")
    summary: list[dict[str, Any]] = []
    corroborated: list[dict[str, Any]] = []
    single_source: list[dict[str, Any]] = []
    conflicts: list[dict[str, Any]] = []
    if sentences:
        matrix = tfidf_matrix([s.text for s in sentences], stop_words_for(s.language for s in sentences))
        centrality = centroid_scores(matrix)
        matrices = claim_matrices(sentences, encoding)
        clock.step("claims")
        position = np.array([1 / (1 + _POSITION_DECAY * s.index) for s in sentences])
        support = np.array(
            [1 + _SUPPORT_BONUS * (n - 1) for n in claim_support(sentences, matrices.same, by_article)]
        )
        relevance = centrality * position * support
        summary = _summary(members, sentences, relevance, matrices, encoding, config)
        order = sorted(range(len(sentences)), key=lambda r: (-relevance[r], r))
        claims = group_claims(sentences, order, matrices, by_article, encoding, _DISPLAY_LANGUAGE)
        corroborated, single_source = _corroboration(sentences, claims, matrices, by_article,
                                                     encoding, config)
        conflicts = _conflicts(sentences, order, matrices, by_article, encoding)
        clock.step("summary")
    brief = Brief(
        id=event.id,
        title=event.title or _headline(members),
        date=event.date or _common_day(members),
        place=event.place or _main_place(members),
        entities=_main_entities(event, members, config),
        articles=[a.id for a in members],
        outlets=event.outlets or sorted({a.outlet for a in members if a.outlet}),
        languages=event.languages or sorted({a.language for a in members if a.language}),
        summary=summary,
        corroborated=corroborated,
        single_source=single_source,
        quotes=_quotes(members, config),
        sources=_sources(event, members),
        shared_passages=_shared_passages(members, config),
        publishers=_publisher_list(members, by_article),
        conflicts=conflicts,
    )
    clock.step("quotes and passages")
    return brief


@dataclass(frozen=True)
class BriefSummarizer(BriefConfig):
    """The built-in summarizer component (`brief`): `build_brief` with these parameters."""

    def __call__(self, event: Event, articles: list[Article],
                 timings: dict[str, float] | None = None,
                 encoding: ClaimEncoding | None = None) -> Brief:
        return build_brief(event, articles, timings=timings, encoding=encoding, config=self)


class _StepClock:
    """CPU seconds per step into a caller's dict (nothing when it passes none)."""

    def __init__(self, timings: dict[str, float] | None) -> None:
        self.timings = timings
        self.last = time.process_time()

    def step(self, name: str) -> None:
        if self.timings is not None:
            now = time.process_time()
            self.timings[name] = self.timings.get(name, 0.0) + now - self.last
            self.last = now


def _summary(
    members: Sequence[Article],
    sentences: list[EventSentence],
    relevance: np.ndarray,
    matrices: ClaimMatrices,
    encoding: ClaimEncoding,
    config: BriefConfig,
) -> list[dict[str, Any]]:
    """3-5 cited sentences that read on their own, each fact once, in news order.

    Only sentences that stand alone are candidates (all of them when too few do); a sentence
    saying what a chosen one says is never added (MMR with same-claim pairs as full repeats).
    News order: each report's lead before later sentences, so a background or closing line
    never precedes the facts it follows in its report.
    """
    alone = np.array([stands_alone(s.text) for s in sentences])
    floor = min(config.summary_min_sentences, len(sentences))
    weights = np.where(alone, relevance, -np.inf) if alone.sum() >= floor else relevance
    redundancy = np.where(matrices.same, 1.0, matrices.similarity)
    np.fill_diagonal(redundancy, 1.0)
    chosen = mmr_select(
        weights, redundancy, min(config.summary_max_sentences, len(sentences)),
        config.mmr_lambda, max_similarity=encoding.repeat_similarity,
    )
    # Fewer than the maximum only when the rest would repeat what is chosen or matter little.
    chosen = chosen[: max(floor, _useful_length(relevance, chosen))]
    places = _place_names(members)
    return [
        {**_cite(sentences[r]), "text": readable_sentence(sentences[r].text, places)}
        for r in sorted(chosen, key=lambda r: (sentences[r].index, r))
    ]


def _place_names(members: Sequence[Article]) -> list[str]:
    return sorted(
        {name for a in members for e in a.entities if e.type == "place"
         for name in [e.name, *e.aliases]},
        key=lambda name: (-len(name), name),
    )


def _useful_length(relevance: np.ndarray, chosen: list[int]) -> int:
    """Chosen sentences worth at least a third of the best one's relevance."""
    if not chosen:
        return 0
    best = relevance[chosen[0]]
    return sum(1 for r in chosen if relevance[r] >= best / 3)


def _publisher_list(
    members: Sequence[Article], by_article: dict[str, Publisher]
) -> list[dict[str, Any]]:
    """The event's independent publishers, named ones first, each with its reports."""
    seen: dict[str, Publisher] = {}
    for article in members:
        seen.setdefault(by_article[article.id].key, by_article[article.id])
    ordered = sorted(seen.values(), key=lambda p: (p.name is None, fold(p.name or ""), p.key))
    return [
        {"name": p.name, "label": publisher_labels({p.key: p.articles}, seen)[0],
         "articles": list(p.articles)}
        for p in ordered
    ]


def _claim_entry(
    sentences: list[EventSentence], claim: Claim, by_article: dict[str, Publisher]
) -> dict[str, Any]:
    """A claim: its representative sentence cited, who carries it, and its other versions."""
    carriers: dict[str, list[str]] = {}
    for row in claim.rows:
        reports = carriers.setdefault(by_article[sentences[row].article].key, [])
        if sentences[row].article not in reports:
            reports.append(sentences[row].article)
    by_key = {p.key: p for p in by_article.values()}
    first = sentences[claim.rows[0]]
    return {
        **_cite(first),
        "language": first.language,
        "outlets": publisher_labels(carriers, by_key),
        "sources": len(carriers),
        "versions": [
            {**_cite(sentences[row]), "language": sentences[row].language}
            for row in claim.rows[1:]
        ],
    }


def _corroboration(
    sentences: list[EventSentence],
    claims: list[Claim],
    matrices: ClaimMatrices,
    by_article: dict[str, Publisher],
    encoding: ClaimEncoding,
    config: BriefConfig,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Claims carried by two or more independent publishers, and single-publisher claims
    listed per publisher (its most relevant ones; one that repeats another is left out)."""
    firsts = {claim.rows[0]: claim for claim in claims}
    corroborated = [
        _claim_entry(sentences, firsts[row], by_article)
        for row in distinct_rows(
            [c.rows[0] for c in claims if len(c.publishers) >= 2], matrices.similarity,
            encoding.repeat_similarity,
        )
    ]
    by_publisher: dict[str, list[int]] = defaultdict(list)
    for claim in claims:
        if len(claim.publishers) == 1:
            by_publisher[claim.publishers[0]].append(claim.rows[0])
    names = {p.key: p.name for p in by_article.values()}
    single_source = []
    for key in sorted(by_publisher, key=lambda k: (names[k] is None, fold(names[k] or ""), k)):
        rows = distinct_rows(by_publisher[key], matrices.similarity, encoding.repeat_similarity,
                             config.single_source_per_outlet)
        single_source += [_claim_entry(sentences, firsts[row], by_article) for row in rows]
    return corroborated, single_source


def _conflicts(
    sentences: list[EventSentence],
    order: list[int],
    matrices: ClaimMatrices,
    by_article: dict[str, Publisher],
    encoding: ClaimEncoding,
) -> list[dict[str, Any]]:
    """Sentences of different publishers that report one fact with different figures."""
    found: list[dict[str, Any]] = []
    listed: set[int] = set()
    for row in order:
        # Most sentences conflict with none: one row read, not a matrix cell per pair.
        if row in listed or not matrices.conflict[row].any():
            continue
        conflicting = matrices.conflict[row].tolist()
        rivals = [
            other for other in order
            if conflicting[other] and other not in listed
            and by_article[sentences[other].article].key != by_article[sentences[row].article].key
        ]
        if rivals:
            listed.update([row, *rivals])
            reports = [sentences[r] for r in [row, *rivals]]
            # Each report's figures are read here, once: a stored brief is then shown without
            # the text analysis reading them needs.
            figures = conflicting_figures([(s.text, s.language) for s in reports],
                                          encoding.stem_chars)
            found.append({"reports": [
                {**_cite(sentence), "language": sentence.language, "figures": given}
                for sentence, given in zip(reports, figures, strict=True)
            ]})
    return found


def _headline(members: Sequence[Article]) -> str:
    return members[0].title if members else ""


def _common_day(members: Sequence[Article]) -> str | None:
    days = Counter(a.published[:10] for a in members if a.published)
    return min(days, key=lambda d: (-days[d], d)) if days else None


def _entity_weights(members: Sequence[Article]) -> dict[str, dict[str, Any]]:
    totals: dict[str, dict[str, Any]] = {}
    for article in members:
        for entity in article.entities:
            entry = totals.setdefault(
                entity.id,
                {"id": entity.id, "name": entity.name, "type": entity.type, "articles": 0,
                 "weight": 0.0},
            )
            entry["articles"] += 1
            entry["weight"] += entity.salience + 0.1 * entity.mentions
    return totals


def _main_place(members: Sequence[Article]) -> str | None:
    places = [e for e in _entity_weights(members).values() if e["type"] == "place"]
    if not places:
        return None
    return min(places, key=lambda e: (-e["articles"], -e["weight"], e["id"]))["name"]


def _main_entities(event: Event, members: Sequence[Article], config: BriefConfig
                   ) -> list[dict[str, Any]]:
    """Who: the people and organisations most articles mention (event's own list first)."""
    totals = _entity_weights(members)
    listed = {entity_id: rank for rank, entity_id in enumerate(event.entities)}
    ranked = sorted(
        (e for e in totals.values() if e["type"] in ("person", "organization") or e["id"] in listed),
        key=lambda e: (listed.get(e["id"], len(listed)), -e["articles"], -e["weight"], e["id"]),
    )
    return [
        {"id": e["id"], "name": e["name"], "type": e["type"], "articles": e["articles"]}
        for e in ranked[: config.max_entities]
    ]


def _same_quote(a: list[str], b: list[str], overlap: float) -> bool:
    shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
    if not shorter:
        return False
    pool = set(longer)
    return sum(1 for w in shorter if w in pool) / len(shorter) >= overlap


def _quotes(members: Sequence[Article], config: BriefConfig) -> list[dict[str, Any]]:
    """Quotes with their speakers and every outlet that carried them (the same quote once)."""
    grouped: list[tuple[list[str], dict[str, Any]]] = []
    for article in members:
        for quote in article.quotes:
            quote_words = words(quote.text)
            for known_words, entry in grouped:  # noqa: B007 - the match is used after break
                if _same_quote(quote_words, known_words, config.quote_same_overlap):
                    break
            else:
                entry = {
                    "text": " ".join(quote.text.split()), "speaker": quote.speaker,
                    "speaker_id": quote.speaker_id, "outlets": [], "articles": [],
                }
                grouped.append((quote_words, entry))
            entry["speaker"] = entry["speaker"] or quote.speaker
            entry["speaker_id"] = entry["speaker_id"] or quote.speaker_id
            if article.outlet and article.outlet not in entry["outlets"]:
                entry["outlets"].append(article.outlet)
            if article.id not in entry["articles"]:
                entry["articles"].append(article.id)
    return [entry for _, entry in grouped]


def _sources(event: Event, members: Sequence[Article]) -> list[dict[str, Any]]:
    roles = {m.article_id: m for m in event.members}
    return [
        {
            "article": a.id, "title": a.title, "outlet": a.outlet, "published": a.published,
            "language": a.language,
            "role": roles[a.id].role if a.id in roles else "independent",
            "copy_of": roles[a.id].copy_of if a.id in roles else None,
        }
        for a in members
    ]
