"""The enrich stage as a whole: order of steps, dates against the publication date, batches of
mixed languages, and robustness on arbitrary text."""

from __future__ import annotations

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyline.enrich import STEP_SECONDS, enrich_articles
from storyline.model import Article

TEXTS = {
    "en": "Officials from Norway arrived in Nairobi on Thursday. Minister Jonas Hald said the "
          "visit would last three days.",
    "es": "El ministro Carlos Ruiz llegó a Bogotá el jueves. Ruiz dijo que la visita durará "
          "tres días.",
    "de": "Minister Jonas Hald kam am Donnerstag in Berlin an. Hald sagte, der Besuch dauere "
          "drei Tage.",
    "ru": "Министр Иван Соколов в четверг прибыл в Москву. Соколов сказал, что визит продлится "
          "три дня.",
}


def article(text: str, **fields: object) -> Article:
    return Article(id="p", source="test", title="", text=text, **fields)  # type: ignore[arg-type]


def test_batch_of_mixed_languages_is_filled_in_order() -> None:
    batch = [article(text) for text in TEXTS.values()]
    result = enrich_articles(batch)
    assert result is batch
    assert [a.language for a in result] == list(TEXTS)
    for enriched in result:
        assert enriched.sentences and enriched.entities
        assert 0 < (enriched.language_confidence or 0) <= 1
    assert {"language", "sentences", "dates", "entities+quotes"} <= set(STEP_SECONDS)


def test_dates_resolve_against_a_printed_publication_date() -> None:
    enriched = enrich_articles([article(TEXTS["en"], published="2021-03-05",
                                        published_source="metadata")])[0]
    assert enriched.published == "2021-03-05"
    assert enriched.published_source == "metadata"
    thursday = [d for d in enriched.dates if "Thursday" in d.text]
    assert thursday and thursday[0].value == "2021-03-04"
    assert thursday[0].sentence == 0


def test_an_undated_article_gets_an_inferred_date_or_a_reason() -> None:
    text = ("The summit opened on March 3, 2021, in Nairobi. Leaders met again on Thursday "
            "to sign the accord.")
    enriched = enrich_articles([article(text)])[0]
    if enriched.published is not None:
        assert enriched.published_source == "inferred"
        assert enriched.published_confidence is not None
    assert enriched.published_reason


def test_rerunning_is_stable() -> None:
    first = enrich_articles([article(TEXTS["es"])])[0]
    entities = [(e.id, e.mentions, e.salience) for e in first.entities]
    again = enrich_articles([first])[0]
    assert [(e.id, e.mentions, e.salience) for e in again.entities] == entities


_ALPHABET = string.ascii_letters + string.digits + " .,;:!?\"'«»“”„-\n" + "ÉéüßЖжسش" + "\u00a0"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=300), st.text(alphabet=_ALPHABET, max_size=400)),
       st.text(max_size=40))
def test_enrichment_never_raises_and_stays_consistent(text: str, title: str) -> None:
    enriched = enrich_articles([Article(id="h", source="fuzz", title=title, text=text)])[0]
    for sentence in enriched.sentences:
        assert text[sentence.start : sentence.end] == sentence.text
    for entity in enriched.entities:
        assert 0.0 <= entity.salience <= 1.0
        assert entity.type in ("person", "organization", "place", "other")
        assert entity.aliases and entity.mentions >= 1
    for quote in enriched.quotes:
        assert quote.sentence is None or 0 <= quote.sentence < len(enriched.sentences)
