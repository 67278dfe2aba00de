"""Event briefs over hand-built en/fr/es articles: summary, corroboration, quotes, rendering."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from storyline.events.dedup import normalized_words
from storyline.model import Article, Event
from storyline.summarize.brief import BriefConfig
from storyline.summarize.brief import build_brief as build_words_only_brief
from storyline.summarize.corroboration import sentence_anchors
from storyline.summarize.render import brief_html, brief_markdown
from storyline.summarize.stored import Brief
from storyline.summarize.text import fold
from storyline.summarize.vectors import ClaimEncoding
from tests.summarize.builders import brief_articles, brief_event, make_article

# Lexical claim matching only: fast and independent of the encoder stage.
WORDS_ONLY = ClaimEncoding(encoder=None)


def build_brief(event: Event, articles: list[Article], config: BriefConfig | None = None
                ) -> Brief:
    return build_words_only_brief(event, articles, encoding=WORDS_ONLY, config=config)


def test_summary_has_three_to_five_cited_sentences() -> None:
    articles = brief_articles()
    brief = build_brief(brief_event(), articles)
    assert 3 <= len(brief.summary) <= 5
    by_id = {a.id: a for a in articles}
    for item in brief.summary:
        # Verbatim but for a leading dateline and a closing full stop.
        assert item["text"].rstrip(".") in by_id[item["article"]].text
        assert item["text"][-1] in ".!?”\"" 
        assert item["outlet"] == by_id[item["article"]].outlet
    assert len({item["text"] for item in brief.summary}) == len(brief.summary)


def test_claim_reported_across_languages_is_corroborated() -> None:
    brief = build_brief(brief_event(), brief_articles())
    geneva = next(c for c in brief.corroborated if "Geneva" in c["text"])
    # The copy is a second version of the Daily Ledger report, not a fourth publisher.
    assert geneva["outlets"] == ["Daily Ledger (2 versions)", "El Diario", "Le Quotidien"]
    assert geneva["sources"] == 3
    assert geneva["language"] == "en"
    assert {v["language"] for v in geneva["versions"]} == {"en", "fr", "es"}
    chemical = next(c for c in brief.corroborated if "chemical" in c["text"])
    assert chemical["sources"] == 2


def test_claim_carried_only_by_an_article_and_its_copy_is_single_source() -> None:
    brief = build_brief(brief_event(), brief_articles())
    assert not any("harbour authority" in c["text"] for c in brief.corroborated)
    harbour = [s for s in brief.single_source if "harbour authority" in s["text"]]
    assert len(harbour) == 1
    assert harbour[0]["outlet"] == "Daily Ledger"
    kremlin = next(s for s in brief.single_source if "Kremlin" in s["text"])
    assert kremlin["outlet"] == "Le Quotidien"
    # Listed per outlet (a copy's own extra lines stay with its origin's group), outlets sorted.
    outlets = [s["outlet"] for s in brief.single_source if s["article"] != "a-copy"]
    assert outlets == sorted(outlets)


def test_same_claim_from_two_articles_of_one_outlet_counts_once() -> None:
    articles = brief_articles()
    articles[3].outlet = "Le Quotidien"  # the Spanish report now comes from the French outlet
    brief = build_brief(brief_event(), articles)
    geneva = next(c for c in brief.corroborated if "Geneva" in c["text"])
    assert geneva["sources"] == 2


def test_without_copy_roles_the_copy_would_corroborate() -> None:
    """Guards the test above: the copy relation is what keeps the harbour claim single-source."""
    event = brief_event()
    for member in event.members:
        member.role, member.copy_of = "independent", None
    brief = build_brief(event, brief_articles())
    assert any("harbour authority" in c["text"] for c in brief.corroborated)


def test_quotes_keep_speakers_and_outlets() -> None:
    brief = build_brief(brief_event(), brief_articles())
    varga = next(q for q in brief.quotes if q["speaker"] == "Lena Varga")
    assert varga["outlets"] == ["Daily Ledger", "Wire Mirror"]
    kremlin = next(q for q in brief.quotes if q["speaker_id"] == "org:kremlin")
    assert kremlin["outlets"] == ["Le Quotidien"]


def test_event_fields_who_and_sources() -> None:
    brief = build_brief(brief_event(), brief_articles())
    data = brief.to_dict()
    for key in ("id", "title", "date", "place", "entities", "articles", "outlets", "languages",
                "summary", "single_source", "corroborated", "quotes", "sources"):
        assert key in data
    assert data["date"] == "2024-01-10" and data["place"] == "Geneva"
    assert "Lena Varga" in [e["name"] for e in data["entities"]]
    roles = {s["article"]: (s["role"], s["copy_of"]) for s in data["sources"]}
    assert roles["a-copy"] == ("copy", "a-origin")
    assert {s["language"] for s in data["sources"]} == {"en", "fr", "es"}


def test_brief_is_deterministic_whatever_the_input_order() -> None:
    first = build_brief(brief_event(), brief_articles()).to_dict()
    second = build_brief(brief_event(), list(reversed(brief_articles()))).to_dict()
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)


def test_html_escapes_untrusted_text() -> None:
    articles = brief_articles()
    payload = "<script>alert('x')</script>"
    articles[2].sentences[2].text += " " + payload
    articles[2].title = payload
    page = brief_html(build_brief(brief_event(), articles))
    assert "<script>" not in page
    assert "&lt;script&gt;" in page
    markdown = brief_markdown(build_brief(brief_event(), articles))
    assert "<script>" not in markdown


def test_event_with_one_short_article_still_gives_a_brief() -> None:
    article = make_article("solo", "Solo News", "it", "2024-05-01",
                           ["Il consiglio comunale ha approvato il nuovo piano del traffico."])
    event = brief_event()
    event.members = []
    brief = build_brief(event, [article])
    assert [s["article"] for s in brief.summary] == ["solo"]
    assert brief.corroborated == []


@hypothesis_settings(max_examples=25, deadline=None)
@given(st.lists(st.text(min_size=0, max_size=120), min_size=1, max_size=6))
def test_arbitrary_sentences_never_crash_and_stay_cited(texts: list[str]) -> None:
    article = make_article("any", "Any Outlet", "en", "2024-01-01", texts)
    event = brief_event()
    event.members = []
    brief = build_brief(event, [article])
    for item in brief.summary + brief.single_source:
        assert item["article"] == "any"
    assert "<script" not in brief_html(brief).replace("&lt;script", "")


def test_passages_carried_word_for_word_are_listed_with_their_reports() -> None:
    articles = brief_articles()
    brief = build_brief(brief_event(), articles)
    by_id = {a.id: a for a in articles}
    assert brief.shared_passages
    for passage in brief.shared_passages:
        assert len(passage["articles"]) >= 2
        assert len(passage["text"].split()) >= BriefConfig().passage_min_words
        # Compared as dedup compares: casefolded words, punctuation and quote marks ignored.
        words = " ".join(normalized_words(passage["text"]))
        for article_id in passage["articles"]:
            assert words in " ".join(normalized_words(by_id[article_id].text))


def _toll_articles(dead_in_second: str) -> list:
    first = make_article(
        "toll-a", "Harbour Weekly", "en", "2024-02-01",
        ["Four people were killed when the ferry ramp collapsed at the northern pier on Monday.",
         "Divers searched the harbour basin until late in the evening."],
    )
    second = make_article(
        "toll-b", "Coast Courier", "en", "2024-02-01",
        [(f"{dead_in_second} people were killed when the ferry ramp collapsed at the northern "
          "pier on Monday."),
         "The port authority closed the pier for an inspection of every ramp."],
    )
    return [first, second]


def test_figures_that_disagree_are_a_conflict_not_a_confirmation() -> None:
    event = brief_event()
    event.members = []
    brief = build_brief(event, _toll_articles("Six"))
    assert not any("killed" in c["text"] for c in brief.corroborated)
    [conflict] = brief.conflicts
    assert {r["outlet"] for r in conflict["reports"]} == {"Harbour Weekly", "Coast Courier"}
    # Each report carries the figures it gives, read once when the brief is built.
    assert sorted(r["figures"] for r in conflict["reports"]) == [["4"], ["6"]]
    agreeing = build_brief(event, _toll_articles("Four"))
    assert agreeing.conflicts == []
    assert any("killed" in c["text"] and c["sources"] == 2 for c in agreeing.corroborated)


def test_reports_without_an_outlet_are_grouped_not_listed_by_hash() -> None:
    articles = brief_articles()
    for article in articles[2:]:
        article.outlet = None
    brief = build_brief(brief_event(), articles)
    geneva = next(c for c in brief.corroborated if "Geneva" in c["text"])
    assert geneva["outlets"] == ["Daily Ledger (2 versions)", "2 unidentified outlets"]
    assert geneva["sources"] == 3
    assert [p["label"] for p in brief.publishers] == [
        "Daily Ledger (2 versions)", "an unidentified outlet", "an unidentified outlet"]
    assert "unnamed" not in json.dumps(brief.to_dict())


def test_wire_copy_under_another_masthead_counts_for_the_agency() -> None:
    articles = brief_articles()
    # The Spanish report now prints a wire dateline of the French outlet's own agency copy.
    articles[2].outlet = "Northern Press"
    articles[3].text = "MADRID (Northern Press) - " + articles[3].text
    brief = build_brief(brief_event(), articles)
    geneva = next(c for c in brief.corroborated if "Geneva" in c["text"])
    assert geneva["outlets"] == ["Daily Ledger (2 versions)", "Northern Press (2 versions)"]
    assert geneva["sources"] == 2


def test_candidate_sentences_are_bounded_leads_first() -> None:
    from storyline.summarize.brief import _event_sentences

    articles = [
        make_article(f"big-{n:02d}", f"Outlet {n}", "en", "2024-01-01",
                     [f"Report {n} sentence {i} about the harbour strike and its many effects."
                      for i in range(10)])
        for n in range(30)
    ]
    found = _event_sentences(articles, WORDS_ONLY,
                             BriefConfig(max_candidates=40, min_sentences_per_article=2))
    assert len(found) == 40
    # Every report's lead is a candidate; no report gives more than its share.
    assert {s.article for s in found if s.index == 0} == {a.id for a in articles}
    assert max(s.index for s in found) <= 1


def test_the_brief_lists_what_its_configuration_allows() -> None:
    full = build_brief(brief_event(), brief_articles())
    assert len(full.summary) > 3 and len(full.entities) > 1
    narrow = build_brief(brief_event(), brief_articles(),
                         BriefConfig(summary_min_sentences=2, summary_max_sentences=3,
                                     max_entities=1))
    assert len(narrow.summary) <= 3
    assert narrow.entities == full.entities[:1]


@pytest.mark.parametrize("wrong", [{"mmr_lambda": 1.5}, {"max_entities": -1},
                                   {"summary_min_sentences": 6}])
def test_a_wrong_brief_parameter_is_refused(wrong: dict[str, object]) -> None:
    with pytest.raises(ValueError, match=next(iter(wrong))):
        BriefConfig(**wrong)  # type: ignore[arg-type]


def test_summary_sentences_read_on_their_own() -> None:
    article = make_article(
        "lone", "Valley Times", "en", "2024-04-02",
        [
            ("RIVERTON (Valley Wire) - The river authority opened the northern floodgates on "
            "Tuesday after three days of heavy rain in the valley"),
            "A short statement gave few details of the decision taken overnight.",
            "In turn, the farmers' union asked for compensation for the flooded fields.",
            "It said that the water would stay high until the end of the week.",
            "\"We had no choice but to open the gates before the dam overflowed,\" he added.",
            "Engineer Mara Lind said the reservoir had reached its highest level since 1998.",
            "Schools in the lower valley stayed closed while the roads were under water.",
            "Volunteers filled sandbags along the embankment in the town of Eastmoor.",
        ],
    )
    event = brief_event()
    event.members = []
    brief = build_brief(event, [article])
    texts = [item["text"] for item in brief.summary]
    assert texts[0].startswith("The river authority opened the northern floodgates")
    assert all(text.endswith(".") for text in texts)
    for dangling in ("In turn", "It said", "he added", "few details"):
        assert not any(dangling in text for text in texts), dangling


@pytest.mark.parametrize(
    ("text", "alone"),
    [
        ("In turn, the union asked for more time.", False),
        ("It said that talks would resume.", False),
        ("“We will not give up,” he added.", False),
        ("Il a ajouté que le pont resterait fermé.", False),
        ("Además, el alcalde cerró los puentes.", False),
        ("The mayor closed every bridge in the city.", True),
        ("Italy's prime minister arrived on Monday.", True),
        ("Theresa Lind was elected mayor.", True),
    ],
)
def test_stands_alone(text: str, alone: bool) -> None:
    from storyline.summarize.text import stands_alone

    assert stands_alone(text) is alone


@pytest.mark.parametrize(
    ("text", "places", "readable"),
    [
        ("MOSCOW (Reuters) - Talks resumed", (), "Talks resumed."),
        ("Port news HARBOURTON | Tue Mar 3 , 2026 HARBOURTON -LRB- Reuters -RRB- - Ships left .",
         (), "Ships left ."),
        ("Valdora, Esterland The two leaders met on Friday", ("Valdora", "Esterland"),
         "The two leaders met on Friday."),
        ("Geneva talks were held on Friday.", ("Geneva",), "Geneva talks were held on Friday."),
    ],
)
def test_readable_sentence(text: str, places: tuple[str, ...], readable: str) -> None:
    from storyline.summarize.text import readable_sentence

    assert readable_sentence(text, places) == readable


# Word characters, separators and a non-ASCII letter, so names sit next to every kind of neighbour.
_ANCHOR_ALPHABET = st.sampled_from(list("ab_1 .-é'") + ["\u00df", "\u0663"])


@hypothesis_settings(max_examples=300, deadline=None)
@given(st.text(_ANCHOR_ALPHABET, max_size=30), st.text(_ANCHOR_ALPHABET, min_size=1, max_size=4))
def test_an_entity_name_anchors_a_sentence_where_the_word_pattern_finds_it(
        text: str, name: str) -> None:
    pattern = re.compile(r"(?<!\w)" + re.escape(name) + r"(?!\w)")
    found = "entity:Q" in sentence_anchors(text, [(name, "Q")])
    assert found == bool(pattern.search(fold(text)))  # sentences are matched folded


# The pronoun-attribution pattern as it was written first, with the optional lead-in before the
# pronoun ("…,” he said"), which a search does not need.
_ATTRIBUTION_WITH_LEAD_IN = re.compile(
    r"[,.!?]?\s*[”\"»]?\s*[-–—]?\s*(?:he|she|they|il|elle|él|ella|er|sie)\s+"
    r"(?:said|says|added|explained|stressed|noted|told \w+|a dit|a ajouté|a déclaré|dijo|añadió|"
    r"afirmó|sagte|fügte hinzu|erklärte)\W*$",
    re.IGNORECASE,
)


@hypothesis_settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["he", "She", "ELLE", "the", "sie", " ", "  ", "\n", ",", ".", "”",
                                 "\"", "»", "-", "—", "said", "told him", "a dit", "sagte", "x",
                                 "é", "!", "added"]), max_size=14).map("".join))
def test_pronoun_attribution_is_found_with_or_without_its_lead_in(text: str) -> None:
    from storyline.summarize.text import _PRONOUN_ATTRIBUTION

    assert bool(_PRONOUN_ATTRIBUTION.search(text)) == bool(_ATTRIBUTION_WITH_LEAD_IN.search(text))


_ANCHORS = ["entity:a", "entity:b", "entity:c", "number:2", "number:5", "number:2010",
            "number:1990"]


@given(st.lists(st.sets(st.sampled_from(_ANCHORS), max_size=4), min_size=1, max_size=10))
def test_anchor_relations_are_their_pairwise_definitions(anchor_sets: list[set[str]]) -> None:
    """The matrix products give, for every pair, what comparing the two sets gives."""
    from storyline.summarize.corroboration import EventSentence, _anchor_relations, _counts

    sentences = [EventSentence("text", f"a{i}", None, "en", i, frozenset(anchors))
                 for i, anchors in enumerate(anchor_sets)]
    overlap, shared_figures, disagree = _anchor_relations(sentences)
    for i, first in enumerate(anchor_sets):
        for j, second in enumerate(anchor_sets):
            if i == j:
                assert overlap[i, j] == 0 and not shared_figures[i, j] and not disagree[i, j]
                continue
            common = first & second
            assert overlap[i, j] == (len(common) / len(first | second) if common else 0.0)
            assert shared_figures[i, j] == any(a.startswith("number:") for a in common)
            counts_i, counts_j = _counts(frozenset(first)), _counts(frozenset(second))
            assert disagree[i, j] == bool(counts_i and counts_j and not counts_i & counts_j)
