"""Who produced a report's copy (`source_name`) and the key its reports share (`source_key`):
marks beyond datelines, an agency's desks, the input folder. Invented pages only."""

from __future__ import annotations

import pytest

from storyline.clean.outlet import (
    agency_of,
    copy_mark,
    folder_agency,
    host_mark,
    source_key,
    source_name,
    wire_agency,
)
from storyline.model import Article, Removed

BODY = "The harbour board met on Wednesday and agreed to reopen the northern pier ."


def report(text: str = BODY, title: str = "Harbour board meets", outlet: str | None = None,
           source: str = "pages/1.txt", removed: list[Removed] | None = None) -> Article:
    return Article(id="a1", source=source, title=title, text=text, outlet=outlet,
                   removed=removed or [])


@pytest.mark.parametrize(
    ("text", "agency"),
    [
        ("Amateur video , which could not be independently verified by Reuters , shows a crowd .",
         "Reuters"),
        ("The footage has not been independently verified by The Associated Press .", "AP"),
        ("The images could not be independently verified by the Harbour Courier .",
         "Harbour Courier"),
        ("-LRB- NO NARRATION -RRB- REUTERS CAN NOT INDEPENDENTLY VERIFY THE CONTENTS OF THIS VIDEO",
         "Reuters"),
        ("PLEASE NOTE : AFP IS UNABLE TO INDEPENDENTLY VERIFY THIS FOOTAGE .", "AFP"),
        ("The port reopened . -LRB- Reporting by Jane Doe ; Editing by John Roe -RRB-", "Reuters"),
        ("The port reopened .\n(Additional reporting by Ann Lee; Writing by Bo Kim; Editing "
         + "by Cy Dunn)", "Reuters"),
    ],
)
def test_a_copy_names_its_agency_beyond_the_dateline(text: str, agency: str) -> None:
    assert copy_mark("Title", text, []) == agency


@pytest.mark.parametrize(
    "text",
    [
        # Said of someone else, or a positive statement: no publisher speaks of itself.
        "The Harbour Council cannot independently verify the figures , officials said .",
        "The toll has been independently verified by Harbour Watch .",
        "Reporting by the harbour board showed the pier was unsafe ; editing was not needed .",
        BODY,
    ],
)
def test_no_copy_mark_in_prose(text: str) -> None:
    assert copy_mark("Title", text, []) is None


def test_the_host_names_itself_in_a_column_note_or_its_comment_policy() -> None:
    assert host_mark("The author is a Reuters Breakingviews columnist .", BODY, []) == "Reuters"
    assert host_mark("Title", "The author is a Harbour Courier columnist .", []) == (
        "Harbour Courier")
    removed = ["Views expressed in comments do not reflect those of Harbour Courier ."]
    assert host_mark("Title", BODY, removed) == "Harbour Courier"
    assert host_mark("Title", "The author is a former harbour pilot .", []) is None


@pytest.mark.parametrize(
    ("source", "agency"),
    [
        ("/data/PortStrike_reuters/InputDocs/2026-03-15/3.htm.txt", "Reuters"),
        ("dumps/associated-press/2026/page.html", "AP"),
        ("feeds/afp_english/item.json", "AFP"),
        ("/data/seeds/000_3ad3.txt", None),
        ("/data/PortStrike_courier/InputDocs/2026-03-15/3.htm.txt", None),
        # Two letters are too common a word to be an agency's name.
        ("/data/ap/page.txt", None),
        # The file's own name is no folder.
        ("/data/reuters.txt", None),
    ],
)
def test_an_input_folder_named_after_an_agency(source: str, agency: str | None) -> None:
    assert folder_agency(source) == agency


def test_the_agency_of_a_desk_or_another_name_of_it() -> None:
    assert agency_of("Reuters Health") == agency_of("Reuters Breakingviews") == "Reuters"
    assert agency_of("The Associated Press") == agency_of("AP") == "AP"
    assert agency_of("Harbour Courier") is None
    assert source_key("Reuters Life") == source_key("REUTERS") == source_key("Reuters")
    assert source_key("Agence France-Presse") == source_key("AFP")
    assert source_key("Harbour Courier") == source_key("HARBOUR COURIER") != source_key("Reuters")
    assert source_key("") is source_key(None) is None


def test_a_desk_dateline_with_an_exclamation_mark() -> None:
    assert wire_agency("NORDHAVEN -LRB- Reuters Life ! -RRB- - A shelter opened .") == (
        "Reuters Life")


def test_which_evidence_wins() -> None:
    reprint = "Amateur video , which could not be independently verified by Reuters , shows a crowd ."
    # The agency of the copy outranks the masthead that reprints it...
    assert source_name(report(reprint, outlet="Harbour Courier")) == "Reuters"
    # ...the outlet outranks its column note and the input folder...
    column = "The author is a Northern Wire columnist ."
    assert source_name(report(column, outlet="Harbour Courier",
                              source="x/Port_reuters/1.txt")) == "Harbour Courier"
    assert source_name(report(column, source="x/Port_reuters/1.txt")) == "Northern Wire"
    # ...and the folder is the last resort; a dateline in the title counts as one.
    assert source_name(report(source="x/Port_reuters/1.txt")) == "Reuters"
    assert source_name(report(title="NORDHAVEN -LRB- AFP -RRB- -")) == "AFP"
    assert source_name(report()) is None
    dateline = Removed(text="NORDHAVEN (Northern Wire) -", reason="dateline")
    assert source_name(report(removed=[dateline], source="x/Port_reuters/1.txt")) == (
        "Northern Wire")
