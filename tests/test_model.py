"""The model's plain-dict form (what the store and the API serialise)."""

from __future__ import annotations

import dataclasses

from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from storyline.model import Article, DateMention, Entity, Event, EventMember, Quote, Sentence
from storyline.summarize.stored import Brief

_TEXT = st.text(max_size=12)
_VALUE = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | _TEXT,
                      lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(_TEXT, inner, max_size=3), max_leaves=8)
_ARTICLES = st.builds(
    Article, id=_TEXT, source=_TEXT, title=_TEXT, text=_TEXT, published=st.none() | _TEXT,
    language_confidence=st.none() | st.floats(),
    sentences=st.lists(st.builds(Sentence, _TEXT, st.integers(), st.integers()), max_size=3),
    entities=st.lists(st.builds(Entity, _TEXT, _TEXT, st.just("place"),
                                aliases=st.lists(_TEXT, max_size=2), salience=st.floats()),
                      max_size=3),
    dates=st.lists(st.builds(DateMention, _TEXT, _TEXT, st.just("day"), st.integers()),
                   max_size=2),
    quotes=st.lists(st.builds(Quote, _TEXT, st.none() | _TEXT), max_size=2),
)
_EVENTS = st.builds(Event, _TEXT, _TEXT, members=st.lists(st.builds(
    EventMember, _TEXT, scores=st.dictionaries(_TEXT, st.floats(), max_size=3)), max_size=3))
_BRIEFS = st.builds(Brief, id=_TEXT, title=_TEXT, summary=st.lists(
    st.dictionaries(_TEXT, _VALUE, max_size=3), max_size=3), publishers=st.lists(
    st.dictionaries(_TEXT, _VALUE, max_size=3), max_size=2))


@hypothesis_settings(max_examples=150, deadline=None)
@given(st.one_of(_ARTICLES, _EVENTS, _BRIEFS))
def test_to_dict_is_asdict(value: Article | Event | Brief) -> None:
    ours, reference = value.to_dict(), dataclasses.asdict(value)
    assert repr(ours) == repr(reference)  # repr: NaN compares unequal to itself
    # A copy, as asdict makes: changing the dict leaves the value alone.
    assert all(v is not getattr(value, k) for k, v in ours.items()
               if isinstance(v, list | dict))
