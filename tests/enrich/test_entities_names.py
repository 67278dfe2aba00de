"""Entities in languages that capitalise nouns, titles glued to names, and types a name's own
words give away (venues, saints' towns, clubs). Every text here is written for these tests."""

from __future__ import annotations

import pytest

from storyline.enrich.entities import entity_id
from storyline.enrich.rule_mentions import is_title_word, shape_type
from tests.enrich.test_entities import by_id, enriched

GERMAN_BRIDGE = (
    "Der Einsturz der Harrow-Brücke in Nordfeld hat die Stadt erschüttert. Nach Angaben der "
    "Behörden rissen die Verankerungen der Seile am frühen Morgen. Stadtingenieurin Petra "
    "Lindgren sagte, die Dichtungen der Verankerungen seien seit Jahren undicht gewesen. "
    "Über viele Jahre Regenwasser habe den Stahl angegriffen, so der Untersuchungsbericht der "
    "Verkehrsbehörde von Esterheim. Lindgren kündigte weitere Prüfungen an. Auch Oskar Tamm, "
    "der Sprecher der Feuerwehr, bestätigte die Zahl der Verletzten. Tamm lobte die Helfer."
)


def test_german_noun_runs_are_not_entities() -> None:
    article = enriched(GERMAN_BRIDGE)
    assert article.language == "de"
    names = {alias for e in article.entities for alias in e.aliases}
    for junk in ("Verankerungen der Seile", "Seile", "Jahre Regenwasser", "Regenwasser",
                 "Einsturz der Harrow-Brücke", "Nach Angaben der Behörden",
                 "Dichtungen der Verankerungen", "Untersuchungsbericht der Verkehrsbehörde"):
        assert not any(junk in name for name in names), junk
    assert all(e.type != "person" or e.id in {"person:lindgren", "person:tam"}
               for e in article.entities), [e.id for e in article.entities]


def test_german_compound_title_is_stripped_and_the_surname_merges() -> None:
    entities = by_id(enriched(GERMAN_BRIDGE))
    lindgren = entities["person:lindgren"]
    assert lindgren.name == "Petra Lindgren"
    assert set(lindgren.aliases) == {"Petra Lindgren", "Lindgren"}
    # no title: a run starting with a known given name is a person
    assert entities["person:tam"].name == "Oskar Tamm"


@pytest.mark.parametrize(
    "word",
    ["Stadtingenieur", "Notenbankchefin", "Gesundheitsministerin", "Vizepräsident",
     "exministra", "Oberbürgermeisterin", "Regierungssprecher"],
)
def test_compound_and_former_titles_are_title_words(word: str) -> None:
    assert is_title_word(word)


@pytest.mark.parametrize("word", ["Chefsessel", "Minister", "Kessel", "Nils", "Ministerium"])
def test_plain_words_are_not_compound_titles(word: str) -> None:
    # "Minister" itself is a title word; the others must not pass as one
    assert is_title_word(word) == (word == "Minister")


def test_spanish_role_phrase_does_not_glue_the_portfolio_to_the_name() -> None:
    article = enriched(
        "La exministra de Hacienda Lucía Ferrer criticó el presupuesto del gobierno. Según "
        "Ferrer, el déficit crecerá el próximo año. El exministro de Asuntos Exteriores Pablo "
        "Quiroga no quiso comentar las cifras de la oposición."
    )
    entities = by_id(article)
    assert entities["person:ferer"].name == "Lucía Ferrer"
    assert set(entities["person:ferer"].aliases) == {"Lucía Ferrer", "Ferrer"}
    assert entities["person:quiroga"].name == "Pablo Quiroga"
    assert not any("Hacienda" in a or "Exteriores" in a for e in article.entities
                   for a in e.aliases)


def test_spanish_venues_saints_towns_and_clubs_get_their_type() -> None:
    article = enriched(
        "El Atlético Norvilla ganó la final en el Estadio Pradera ante miles de aficionados. "
        "Los vecinos de San Quirino celebraron la victoria del Atlético Norvilla en las calles. "
        "El Estadio Pradera se llenó de nuevo por la noche y en San Quirino hubo fuegos."
    )
    entities = by_id(article)
    assert entities["organization:atletico-norvilla"].type == "organization"
    assert entities["place:estadio-pradera"].type == "place"
    assert entities["place:san-quirino"].type == "place"
    assert not {"person:quirino", "person:pradera", "person:norvilla"} & entities.keys()


def test_french_role_phrase_and_saint_town() -> None:
    article = enriched(
        "L'ancienne ministre de la Santé Claire Dumontel a visité l'hôpital de Sainte Maravelle "
        "mardi. Selon Dumontel, les urgences de Sainte Maravelle manquent de médecins depuis "
        "des mois, et la région doit agir vite pour les habitants."
    )
    entities = by_id(article)
    assert entities["person:dumontel"].name == "Claire Dumontel"
    assert not any("Santé" in a for e in article.entities for a in e.aliases)
    assert "person:maravelle" not in entities
    assert entities["place:sainte-maravelle"].type == "place"


def test_english_possessor_score_lines_and_bridges() -> None:
    article = enriched(
        "Dunmore's Jonas Reeve scored twice as FC Dunmore beat Harlow Town at the Kestrel "
        "Stadium. Final score: Dunmore 2 Harlow 1. Reeve said the win was for the fans. Fans "
        "later walked across the Pell Bridge to celebrate in San Arvelo, where Reeve grew up."
    )
    entities = by_id(article)
    assert "Jonas Reeve" in entities["person:reve"].aliases
    assert not any("Dunmore's" in a for e in article.entities for a in e.aliases)
    assert not any(c.isdigit() for e in article.entities for c in e.id)
    assert entities["organization:fc-dunmore"].type == "organization"
    assert entities["place:pell-bridge"].type == "place"
    assert entities["place:san-arvelo"].type == "place"
    assert "person:arvelo" not in entities


@pytest.mark.parametrize(
    ("words", "expected"),
    [(["fc", "rovena"], "organization"), (["estadio", "mirador"], "place"),
     (["san", "telmo"], "place"), (["kessel-brücke"], "place"), (["kessel", "bridge"], "place"),
     (["lena", "marsk"], None)],
)
def testshape_type(words: list[str], expected: str | None) -> None:
    assert shape_type(words) == expected


def test_one_word_person_after_in_is_a_town() -> None:
    article = enriched(
        "Residents of Kelmora spent the night in shelters after the storm. Kelmora said the "
        "damage was the worst in decades, and crews in Kelmora worked until dawn. Mayor Ilse "
        "Varga said Varga would ask the region for help.",
        title="Storm damage in Kelmora",
    )
    entities = by_id(article)
    assert "person:kelmora" not in entities
    assert entities["person:varga"].name == "Ilse Varga"


def test_a_country_in_the_genitive_is_no_part_of_the_titled_name() -> None:
    """ "Президент России Владимир Путин": Russia, then the person; never one entity joining
    them (the "Russia Harry Koren" kind of alias)."""
    article = enriched("Президент России Владимир Путин встретился в Сочи с президентом Сирии "
                       "Башаром Асадом. Переговоры продолжались три часа.")
    names = {alias for e in article.entities for alias in e.aliases}
    assert not any("России" in n and "Путин" in n for n in names), names
    assert not any("Сирии" in n and "Асад" in n for n in names), names
    types = {e.id: e.type for e in article.entities}
    assert types.get("place:russia") == "place" and types.get("place:syria") == "place", types
    assert types.get("person:putin") == "person" and types.get("person:asad") == "person", types



def test_names_that_are_also_places_months_or_titles() -> None:
    english = by_id(enriched("Minister Hugo Varga visited the camp with UN envoy Sofia Lind. "
                             "Lind called the conditions shameful."))
    spanish = by_id(enriched("El entrenador del Rovena, Julio Pastor, no ocultó su enfado con "
                             "el árbitro después del partido."))
    assert "person:lind" in english and "place:sofia" not in english
    assert "person:pastor" in spanish


def test_a_body_after_a_role_is_no_person_and_lower_case_names_of_bodies() -> None:
    spanish = by_id(enriched("Un portavoz del Ministerio del Interior declaró que la frontera "
                             "seguirá abierta para los camiones de ayuda."))
    french = by_id(enriched("Selon l'Organisation mondiale de la santé, l'épidémie recule dans "
                            "toutes les régions. L'Assemblée nationale votera le texte mardi."))
    assert "organization:ministerio-del-interior" in spanish
    assert not any(i.startswith("person:") for i in spanish), list(spanish)
    assert "organization:world-health-organization" in french
    assert "organization:assemblee-nationale" in french


def test_arabic_titles_head_a_portfolio_and_bare_surnames_follow() -> None:
    found = by_id(enriched("التقى الرئيس عبد الله حمدان رئيس الوزراء سامي نور في القصر. "
                           "وقال حمدان إن اللقاء كان مثمرا. ووفقا للأمم المتحدة، الوضع صعب."))
    people = {i: e for i, e in found.items() if i.startswith("person:")}
    assert set(people) == {entity_id("person", "حمدان"), entity_id("person", "نور")}
    assert people[entity_id("person", "حمدان")].mentions == 2
    assert "organization:united-nations" in found


def test_a_dateline_gives_its_place_and_agency_but_a_list_line_does_not() -> None:
    found = by_id(enriched("VARNHOLM (Northern Wire) - A section of the Kessel Bridge collapsed "
                           "on Tuesday evening.\nEU - $ 604m pledged, and more to come."))
    assert found["place:varnholm"].type == "place"
    assert "organization:northern-wire" in found
    assert "place:eu" not in found


def test_a_town_named_like_a_person_of_the_article_votes_for_the_person() -> None:
    found = by_id(enriched(
        "Interior Secretary Ken Salazar halted deepwater drilling on Monday. Admiral Samuel "
        "Locklear III said the search in Port-au-Prince went on. Salazar said the ban would stay."
    ))
    assert "person:salazar" in found and "place:salazar" not in found
    assert "person:locklear" in found
    assert found["place:port-au-prince"].type == "place"
