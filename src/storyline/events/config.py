"""The tunables of the events stage after clustering: copy detection, event dating, storyline
linking, and how `update_events` feeds the clusterer (section `[events]` of a pipeline
configuration, with the sub-tables `[events.dedup]` and `[events.storylines]`).

The clusterer's own thresholds are its constructor parameters (`[clusterer]`). Defaults come from
`settings.py` (which says why each value), read once when the classes are defined; `update_events`
and `recluster` pass the configured instance down. Kept apart from the stage's modules so that
checking or printing a configuration imports no scikit-learn.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from storyline import settings
from storyline.config import check_fields


@dataclass(frozen=True)
class DedupConfig:
    """Near-duplicate detection (`storyline.events.dedup`; the verbatim passages a brief lists
    are the summarizer's parameters)."""

    shingle_words: int = settings.DEDUP_SHINGLE_WORDS
    num_perm: int = settings.DEDUP_NUM_PERM
    lsh_threshold: float = settings.DEDUP_LSH_THRESHOLD
    jaccard: float = settings.DEDUP_JACCARD
    containment: float = settings.DEDUP_CONTAINMENT

    def __post_init__(self) -> None:
        check_fields(self, shares=("lsh_threshold", "jaccard", "containment"))
        if self.shingle_words < 1 or self.num_perm < 2:
            raise ValueError("shingle_words must be at least 1 and num_perm at least 2")


@dataclass(frozen=True)
class StorylineConfig:
    """Linking events over time (`storyline.events.storylines`)."""

    top_entities: int = settings.STORYLINE_TOP_ENTITIES
    max_entity_share: float = settings.STORYLINE_MAX_ENTITY_SHARE
    ubiquity_min_events: int = settings.STORYLINE_UBIQUITY_MIN_EVENTS
    entity_weight: float = settings.STORYLINE_ENTITY_WEIGHT
    link_threshold: float = settings.STORYLINE_LINK_THRESHOLD
    min_shared_entities: int = settings.STORYLINE_MIN_SHARED_ENTITIES
    min_events: int = settings.STORYLINE_MIN_EVENTS
    recent_events_per_entity: int = settings.STORYLINE_RECENT_EVENTS_PER_ENTITY
    max_candidates: int = settings.STORYLINE_MAX_CANDIDATES
    recheck_drift: float = settings.STORYLINE_RECHECK_DRIFT

    def __post_init__(self) -> None:
        check_fields(self, shares=("max_entity_share", "entity_weight", "link_threshold"))
        if self.recent_events_per_entity < 1:
            raise ValueError("recent_events_per_entity must be at least 1")
        if self.recheck_drift <= 0:
            raise ValueError("recheck_drift must be positive")


@dataclass(frozen=True)
class EventsConfig:
    """`update_events` and `recluster`: batching, rows held, event dating, and the two
    sub-stages' tunables."""

    # New articles go to `partial_fit` this many at a time.
    update_batch: int = settings.CLUSTER_UPDATE_BATCH
    feature_rows_held: int = settings.CLUSTER_FEATURE_ROWS_HELD
    # The confidence of a date an undated report inherits from its event (`events.dating`).
    date_inherit_confidence: float = settings.EVENT_DATE_INHERIT_CONFIDENCE
    dedup: DedupConfig = field(default_factory=DedupConfig)
    storylines: StorylineConfig = field(default_factory=StorylineConfig)

    def __post_init__(self) -> None:
        check_fields(self, shares=("date_inherit_confidence",))
        if self.update_batch < 1:
            raise ValueError("update_batch must be at least 1")
