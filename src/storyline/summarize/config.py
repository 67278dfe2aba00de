"""The parameters of the built-in summarizer (`brief`) and the component itself.

Kept apart from `storyline.summarize.brief`, which loads scikit-learn (0.6 CPU s): a pipeline
configuration builds its summarizer to check it, and must not pay for that until a brief is
written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from storyline import settings
from storyline.config import check_fields
from storyline.model import Article, Event

if TYPE_CHECKING:
    from storyline.summarize.stored import Brief
    from storyline.summarize.vectors import ClaimEncoding


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

    def __post_init__(self) -> None:
        check_fields(self, shares=("mmr_lambda", "quote_same_overlap"))
        if self.summary_min_sentences > self.summary_max_sentences:
            raise ValueError("summary_min_sentences must not exceed summary_max_sentences")


@dataclass(frozen=True)
class BriefSummarizer(BriefConfig):
    """The built-in summarizer component (`brief`): `build_brief` with these parameters."""

    def __call__(self, event: Event, articles: list[Article],
                 timings: dict[str, float] | None = None,
                 encoding: ClaimEncoding | None = None) -> Brief:
        from storyline.summarize.brief import build_brief

        return build_brief(event, articles, timings, encoding, self)
