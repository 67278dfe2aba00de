"""Outlet detection: masthead, copyright footer, dateline agency, agency trailer, metadata/URL.

The fixtures are our own invented pages in several languages; the demo-corpus test checks the
bundled fiction corpus, whose file names start with the outlet that published each article.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyline.clean import build_article, clean_text
from storyline.clean.lines import normalize_line
from storyline.clean.outlet import (
    copy_agency,
    copyright_name,
    masthead_name,
    normalize_name,
    readable_domain,
    trailer_agency,
    wire_agency,
)
from storyline.ingest import read_path
from storyline.model import RawDocument
from tests.conftest import DEMO_CORPUS

STORY_EN = (
    "The harbour authority closed the northern pier on Monday after inspectors found cracks "
    "in two of its concrete supports, the port director said."
)
STORY_ES = (
    "El ayuntamiento cerró el lunes el mercado central después de que los técnicos encontraran "
    "grietas en dos de sus columnas, según informó la alcaldesa."
)
STORY_FR = (
    "La mairie a fermé lundi le marché couvert après que des techniciens ont découvert des "
    "fissures dans deux de ses piliers, a indiqué le maire."
)
STORY_DE = (
    "Die Stadt hat am Montag die Markthalle geschlossen, nachdem Prüfer Risse in zwei der "
    "Stützpfeiler gefunden hatten, teilte die Bürgermeisterin mit."
)


def _outlet(text: str) -> str | None:
    return clean_text(text).outlet


def _reasons(text: str) -> dict[str, str]:
    return {item.text: item.reason for item in clean_text(text).removed}


# -- masthead ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "outlet"),
    [
        (f"HARBOUR EVENING POST | Local\nPier closed after cracks found\n{STORY_EN}",
         "Harbour Evening Post"),
        (f"LA TRIBUNA DEL SUR | Ciudad\nCierra el mercado central por grietas\n{STORY_ES}",
         "La Tribuna del Sur"),
        (f"Le Phare de l'Ouest — Société\nLe marché couvert fermé après des fissures\n{STORY_FR}",
         "Le Phare de l'Ouest"),
        (f"Westfälischer Anzeiger · Lokales\nMarkthalle nach Rissen geschlossen\n{STORY_DE}",
         "Westfälischer Anzeiger"),
        (f"THE HARBOUR COURIER\nPier closed after cracks found\n{STORY_EN}",
         "The Harbour Courier"),
        ("The Harbour Courier\nHome  World  Business  Sport\nPier closed after cracks found\n"
         + STORY_EN, "The Harbour Courier"),
    ],
)
def test_masthead_names_the_outlet_and_is_removed(page: str, outlet: str) -> None:
    result = clean_text(page)
    assert result.outlet == outlet
    assert [item.reason for item in result.removed][:1] == ["masthead"]
    assert result.title and result.title != result.removed[0].text


@pytest.mark.parametrize(
    "page",
    [
        # A menu of sections, a section banner, a byline: none names the publisher.
        f"Markets | Economy | Companies | Technology\nPier closed after cracks found\n{STORY_EN}",
        f"Home  World  Politics  Sport\nTECHNOLOGY\nPier closed after cracks found\n{STORY_EN}",
        f"BREAKING NEWS | World\nPier closed after cracks found\n{STORY_EN}",
        f"Noticias · Mundo · Economía\nCierra el mercado central por grietas\n{STORY_ES}",
        f"Pier closed after cracks found\nBy Jane Holloway\n{STORY_EN}",
        f"Pier Closed After Cracks Found In Supports\n{STORY_EN}",
        f"My Account | Sign in\nPier closed after cracks found\n{STORY_EN}",
        # Far down the header a capitalised pair above a menu is a teaser, not the masthead.
        ("Home\nSearch\nWorld\nHarbour Courier\nHome  World  Sport\n"
         f"Pier closed after cracks found\n{STORY_EN}"),
    ],
)
def test_sections_menus_headlines_and_bylines_are_no_outlet(page: str) -> None:
    assert _outlet(page) is None


def test_masthead_name_shapes() -> None:
    assert masthead_name("EVENING POST | World") == "Evening Post"
    assert masthead_name("TECHNOLOGY") is None  # one word: a section as often as a name
    assert masthead_name("Faits divers | Sports") is None
    assert masthead_name("Pier closed after cracks found | World") is None  # lowercase words
    assert masthead_name("Updated 12 May 2024 | World") is None
    assert masthead_name("Harbour Courier") is None  # a bare capitalised pair, no menu under it
    assert masthead_name("Harbour Courier", above_menu=True) == "Harbour Courier"


# -- copyright footer, dateline, trailer ------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("© 2024 The Harbour Courier. All rights reserved.", "The Harbour Courier"),
        ("Copyright © 2019-2024 Evening Post Ltd", "Evening Post"),
        ("© La Tribuna del Sur 2023 - Todos los derechos reservados", "La Tribuna del Sur"),
        ("© 2024 Le Phare de l'Ouest Tous droits réservés", "Le Phare de l'Ouest"),
        ("(c) 2022 WESTFÄLISCHER ANZEIGER", "Westfälischer Anzeiger"),
        ("©All Rights Reserved Harbour Courier Group 2024", "Harbour Courier Group"),
        ("© 2024 Coastal Media Pty Ltd.", "Coastal Media"),
        ("© 2024", None),
        ("© 2024 all rights reserved", None),
        ("© Jane Holloway", None),  # a photographer's credit: no year, no claim
        ("Copyright Policy", None),
    ],
)
def test_copyright_holder(line: str, name: str | None) -> None:
    assert copyright_name(line) == name


def test_copyright_footer_names_the_outlet() -> None:
    page = (f"Cierra el mercado central por grietas\n{STORY_ES}\n"
            "© 2024 La Tribuna del Sur. Todos los derechos reservados.")
    assert _outlet(page) == "La Tribuna del Sur"


@pytest.mark.parametrize(
    ("line", "agency"),
    [
        ("Source: Coastal Press Agency", "Coastal Press Agency"),
        ("Fuente: EFE", "EFE"),
        ("Quelle: Nordische Presse", "Nordische Presse"),
        ("Avec Agence Littorale", "Agence Littorale"),
        ("Source: Agencies", None),
        ("Fuente: agencias", None),
        ("Avec nos correspondants", None),
    ],
)
def test_trailer_agency(line: str, agency: str | None) -> None:
    assert trailer_agency(line) == agency


@pytest.mark.parametrize(
    ("page", "outlet"),
    [
        (f"Pier closed after cracks found\nPORTHAVEN (Coastal Press) - {STORY_EN}",
         "Coastal Press"),
        (f"Le marché couvert fermé après des fissures\n{STORY_FR}\nAvec Agence Littorale",
         "Agence Littorale"),
        (f"Markthalle nach Rissen geschlossen\n{STORY_DE}\nQuelle: Nordische Presse",
         "Nordische Presse"),
        (f"Pier closed after cracks found\n{STORY_EN} (AP)", "AP"),
    ],
)
def test_agency_names_the_outlet_when_no_publisher_does(page: str, outlet: str) -> None:
    assert _outlet(page) == outlet


def test_publisher_marks_outrank_the_agency_of_a_wire_copy() -> None:
    page = (
        f"The Harbour Courier\nHome  World  Business  Sport\nPier closed after cracks found\n"
        f"PORTHAVEN (Coastal Press) - {STORY_EN}\nSource: Coastal Press\n"
        "© 2024 The Harbour Courier. All rights reserved."
    )
    result = clean_text(page)
    assert (result.outlet, result.dateline_agency) == ("The Harbour Courier", "Coastal Press")


def test_normalize_name_keeps_acronyms_and_mixed_case() -> None:
    assert normalize_name("EL OBSERVADOR DEL PUERTO") == "El Observador del Puerto"
    assert normalize_name("BBC NEWS") == "BBC News"
    assert normalize_name("AP") == "AP"
    assert normalize_name("PortPulse") == "PortPulse"


# -- metadata and URL ------------------------------------------------------------------------


def _doc(text: str, **metadata: object) -> RawDocument:
    return RawDocument(source="t.txt", text=text, format="text", **metadata)


def test_metadata_outlet_wins_over_the_text() -> None:
    page = f"LA TRIBUNA DEL SUR | Ciudad\nCierra el mercado central por grietas\n{STORY_ES}"
    assert build_article(_doc(page, outlet="Tribuna Digital")).outlet == "Tribuna Digital"


def test_url_domain_takes_the_printed_name_when_it_spells_it() -> None:
    page = f"THE HARBOUR COURIER | Local\nPier closed after cracks found\n{STORY_EN}"
    url = "https://www.harbourcourier.example/local/pier"
    assert build_article(_doc(page, url=url)).outlet == "The Harbour Courier"
    other = "https://news.example.org/pier"
    assert build_article(_doc(page, url=other)).outlet == "news.example.org"
    assert readable_domain("coastalpress.example", None) == "coastalpress.example"


# -- property: the outlet is always a span of the input or of the metadata --------------------

_FURNITURE = [
    "THE HARBOUR COURIER | Local", "Home  World  Sport", "TECHNOLOGY", "By Jane Holloway",
    "© 2024 The Harbour Courier. All rights reserved.", "Source: Coastal Press", "Avec Agence X",
    "Fuente: agencias", "Pier closed after cracks found", STORY_EN, STORY_FR,
    f"PORTHAVEN (Coastal Press) - {STORY_EN}", "Markets | Economy", "© 2024", "(AP)",
]
_pages = st.lists(
    st.one_of(st.sampled_from(_FURNITURE), st.text(max_size=60)), min_size=1, max_size=12
).map("\n".join)


def _flat(text: str) -> str:
    return " ".join(filter(None, (normalize_line(line) for line in text.splitlines())))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_pages, st.one_of(st.none(), st.sampled_from(["Tribuna Digital", ""])))
def test_outlet_is_a_span_of_the_input_or_metadata(page: str, meta: str | None) -> None:
    outlet = build_article(_doc(page, outlet=meta or None)).outlet
    if outlet is not None:
        assert outlet.casefold() in (_flat(page) + "\n" + (meta or "")).casefold()


# -- the demo corpus --------------------------------------------------------------------------

# File-name prefix → the outlet that published the article (demo/README.md lists them).
DEMO_OUTLETS = {
    "northern-wire": "Northern Wire Service",
    "morning-ledger": "The Morning Ledger",
    "varnholm-herald": "Varnholm Herald",
    "financial-meridian": "Financial Meridian",
    "sports-desk-daily": "Sports Desk Daily",
    "techpulse": "TechPulse",
    "diario-del-norte": "Diario del Norte",
    "observador-economico": "El Observador Económico",
    "courrier-continental": "Le Courrier Continental",
    "gazette-sportive": "La Gazette Sportive",
    "voix-de-beaumarais": "La Voix de Beaumarais",
    "nordkurier-rundschau": "Nordkurier Rundschau",
}


def _expected(source: str) -> str:
    name = Path(re.sub(r"#\d+$", "", source)).name
    return next(outlet for prefix, outlet in DEMO_OUTLETS.items() if name.startswith(prefix))


def test_demo_corpus_outlets() -> None:
    documents = [doc for doc in read_path(str(DEMO_CORPUS)) if isinstance(doc, RawDocument)]
    assert len(documents) == 33
    found = {doc.source: build_article(doc).outlet for doc in documents}
    wrong = {source: outlet for source, outlet in found.items() if outlet != _expected(source)}
    assert wrong == {}


@pytest.mark.parametrize(
    ("text", "agency"),
    [
        (("Photo credit line By Ana Ruiz HARBOURTON | Tue Mar 3 , 2026 HARBOURTON -LRB- Reuters "
          "-RRB- - The port reopened on Tuesday ."), "Reuters"),
        ("LAKE CITY , Ore. -LRB- AP -RRB- -- Two ferries collided on Sunday .", "AP"),
        ("NORDHAVEN (Northern Wire) - Talks resumed on Friday.", "Northern Wire"),
        ("VALDORA (AFP) — Les négociations ont repris vendredi.", "AFP"),
        # No place, a day alone, a day with no comma after the place: the same wire dateline.
        ("-LRB- Reuters -RRB- - The harbour board met on Wednesday .", "Reuters"),
        ("Headline of the page\n(AP) - The harbour board met on Wednesday.", "AP"),
        ("March 26 -LRB- Reuters -RRB- - Harbourton 2 Nordhaven 1 .", "Reuters"),
        ("Sun May 29 , 2026 1:56 am BST May 29 -LRB- Reuters -RRB- - The port reopened .",
         "Reuters"),
        ("14 nov. (AFP) - Les négociations ont repris.", "AFP"),
        ("HARBOURTON | Tue May 3 , 2026 HARBOURTON May 3 -LRB- Reuters -RRB- - The port .",
         "Reuters"),
        ("NEW YORK Aug 18 (Reuters) - Oil fell on Thursday.", "Reuters"),
        ("VALDORA 3 mar (EFE) - Las negociaciones se reanudaron.", "EFE"),
        ("NORDHAVEN, 3. Mai (dpa) - Die Gespräche wurden fortgesetzt.", "dpa"),
        ("PORTO VALLE, 3 mag (ANSA) - I colloqui sono ripresi.", "Ansa"),
        ("ANTAKYA , Ruritania\\/VALDORA -LRB- Reuters -RRB- - Talks resumed .", "Reuters"),
        ("HARBOURTON -LRB- Reuters -RRB- '' - The port reopened .", "Reuters"),
    ],
)
def test_wire_dateline_inside_the_text_names_the_agency(text: str, agency: str) -> None:
    assert wire_agency(text) == agency


@pytest.mark.parametrize(
    "text",
    [
        "The talks (Reuters) - a bracketed aside, not a dateline.",
        "BEIRUT -LRB- Agencies -RRB- - Generic agencies name no outlet.",
        "The minister said on Monday (local time) - after the vote - that she would resign.",
        "A" * 700 + " NORDHAVEN (Reuters) - too far down to be the dateline.",
        "The port reopened on March 26 (Reuters) - the board said.",
        "-LRB- ROUGH CUT ONLY - NO REPORTER NARRATION -RRB- The port reopened .",
        "(sic) - a lower-case aside is no agency.",
    ],
)
def test_no_wire_agency_without_a_dateline(text: str) -> None:
    assert wire_agency(text) is None


_AGENCY = st.sampled_from(["Reuters", "AP", "AFP", "dpa", "EFE", "ANSA", "-LRB- Reuters -RRB-",
                           "(Reuters)", "(AP)", "-LRB- AFP -RRB-"])
_PROSE_WORD = st.sampled_from(["the", "said", "told", "according", "to", "on", "report", "by",
                               "March", "26", ",", "officials", "in", "a", "statement"])


@given(before=st.lists(_PROSE_WORD, min_size=1, max_size=8), agency=_AGENCY,
       after=st.lists(_PROSE_WORD, max_size=8), dash=st.sampled_from(["", " -", " --", " —"]))
def test_an_agency_named_mid_sentence_is_no_dateline(
    before: list[str], agency: str, after: list[str], dash: str
) -> None:
    # Prose opens with a lower-case word: "the", "said"… then names the agency anywhere.
    text = " ".join(["officials", *before, agency + dash, *after, "."])
    assert wire_agency(text) is None


def test_tokenised_wire_copy_gets_the_agency_as_outlet() -> None:
    text = (
        "Divers search the harbour on Monday .\n"
        "HARBOURTON -LRB- Reuters -RRB- - The port of Harbourton reopened on Tuesday after a "
        "week-long strike by crane operators ended with a pay deal , the port authority said .\n"
        "Ships queued outside the breakwater for most of the morning .\n"
    )
    article = build_article(RawDocument(source="t.txt", text=text, format="text"))
    assert article.outlet == "Reuters"


def test_copy_agency_prefers_what_the_cleaner_removed() -> None:
    assert copy_agency("No dateline here.", [("NORDHAVEN (Northern Wire) -", "dateline")]) == (
        "Northern Wire")
    assert copy_agency("Body.", [("(AP)", "agency-trailer")]) == "AP"
    assert copy_agency("Body.", [("Source: Agencies", "agency-trailer")]) is None
    assert copy_agency("Body.", [("THE DAILY POST", "masthead")]) is None
    # Written with the agency's material, not a reprint of its copy.
    assert copy_agency("Body.", [("Avec Northern Wire", "agency-trailer")]) is None
