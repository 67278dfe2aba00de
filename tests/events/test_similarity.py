from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.events.similarity import (
    DIMENSIONS,
    UNKNOWN_SCORE,
    OverallWeights,
    SimilarityConfig,
    pair_similarity,
)
from storyline.model import DateMention, Entity
from tests.events.dedup_corpus import WIRE_TEXT, article, near_copy, unrelated, wire_story


def _with_entities(article_id: str, text: str, published: str, entity_ids: list[str]):
    entities = [
        Entity(id=e, name=e, type=e.split(":")[0], salience=1.0 / (i + 1))  # type: ignore[arg-type]
        for i, e in enumerate(entity_ids)
    ]
    return article(article_id, text, "title", published, entities=entities)


def test_identical_pair_scores_one_on_every_known_dimension() -> None:
    scores = pair_similarity(wire_story(), wire_story())
    assert set(scores) == set(DIMENSIONS)
    assert scores["overall"] == 1.0
    assert scores["narrative"] == scores["entities"] == scores["time"] == 1.0
    assert scores["style"] == scores["tone"] == 1.0
    assert scores["geography"] == UNKNOWN_SCORE  # no place entities at all


def test_copy_is_closer_than_unrelated_article_on_narrative_and_overall() -> None:
    copy = pair_similarity(wire_story(), near_copy())
    other = pair_similarity(wire_story(), unrelated()[1])
    assert copy["narrative"] < 1.5
    assert other["narrative"] > 3.0
    assert copy["overall"] < other["overall"]


def test_geography_and_entities_follow_entity_overlap() -> None:
    base = _with_entities("a", WIRE_TEXT, "2024-03-05", ["place:velmora", "person:carrow"])
    same = _with_entities("b", "x", "2024-03-05", ["place:velmora", "person:carrow"])
    half = _with_entities("c", "x", "2024-03-05", ["place:velmora", "place:tassin", "person:x"])
    none = _with_entities("d", "x", "2024-03-05", ["place:oslo", "person:y"])
    scores = [pair_similarity(base, other) for other in (same, half, none)]
    assert [s["geography"] for s in scores] == sorted(s["geography"] for s in scores)
    assert scores[0]["geography"] == 1.0 and scores[2]["geography"] == 4.0
    assert scores[0]["entities"] == 1.0 and scores[2]["entities"] == 4.0


def test_time_grows_with_date_distance_and_uses_mentioned_dates() -> None:
    base = article("a", WIRE_TEXT, published="2024-03-05T09:00:00")
    scores = [
        pair_similarity(base, article("b", WIRE_TEXT, published=day))["time"]
        for day in ("2024-03-05", "2024-03-08", "2024-04-05", "2026-03-05")
    ]
    assert scores == sorted(scores) and scores[0] == 1.0 and scores[-1] > 3.9
    # A report a month later about the same day is still close in time.
    mention = [DateMention("5 March", "2024-03-05", "day", 0)]
    later = article("c", WIRE_TEXT, published="2024-04-05", dates=mention)
    again = article("d", WIRE_TEXT, published="2024-03-05", dates=mention)
    assert pair_similarity(later, again)["time"] == 1.0


def test_similarity_takes_its_tunables_from_the_configuration() -> None:
    """Three days apart is closer with a longer half-life; `overall` is time alone when only
    time weighs."""
    base = article("a", WIRE_TEXT, published="2024-03-05T09:00:00")
    later = article("b", near_copy().text, published="2024-03-08")
    default = pair_similarity(base, later)
    slow = pair_similarity(base, later, config=SimilarityConfig(time_half_days=70.0))
    assert slow["time"] < default["time"]
    only_time = SimilarityConfig(weights=OverallWeights(narrative=0, entities=0, geography=0,
                                                        time=1))
    assert pair_similarity(base, later, config=only_time)["overall"] == default["time"]


def test_dense_encoder_is_used_for_narrative() -> None:
    class FixedEncoder:
        def encode(self, texts: list[str]) -> np.ndarray:
            return np.array([[1.0, 0.0], [0.0, 1.0]], dtype=np.float32)

    scores = pair_similarity(wire_story(), near_copy(), encoder=FixedEncoder())
    assert scores["narrative"] == 4.0  # orthogonal vectors, whatever the words say


def test_tone_separates_upbeat_from_grim_reports() -> None:
    upbeat = article("u", "Officials welcomed the success and praised the progress. Good news!")
    grim = article("g", "Officials condemned the attack that killed three and warned of war.")
    assert pair_similarity(upbeat, upbeat)["tone"] == 1.0
    assert pair_similarity(upbeat, grim)["tone"] > 2.0


_text = st.text(max_size=400)


@settings(max_examples=80, deadline=None)
@given(_text, _text, st.sampled_from([None, "2024-01-01", "2023-12-31T10:00:00", "garbage"]))
def test_every_dimension_is_a_float_on_the_1_to_4_scale(a: str, b: str, published) -> None:
    scores = pair_similarity(article("a", a, published=published), article("b", b))
    assert set(scores) == set(DIMENSIONS)
    assert all(isinstance(v, float) and 1.0 <= v <= 4.0 for v in scores.values())
