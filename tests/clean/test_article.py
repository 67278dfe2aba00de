"""build_article: ids, provenance of dates, outlet, bounds, metadata from the container."""

from __future__ import annotations

from datetime import datetime

import pytest

from storyline.clean import build_article, outlet_from_url
from storyline.clean.config import CleanerConfig
from storyline.clean.dates import find_date, validate_iso
from storyline.model import RawDocument, content_id

NOW = datetime(2024, 1, 1)
STORY = (
    "Fishing boats stayed in port on Friday as a storm crossed the northern coast, "
    "the coastguard said."
)


def _doc(text: str, **metadata: object) -> RawDocument:
    return RawDocument(source="test.txt", text=text, format="text", **metadata)


def test_same_content_same_id_whatever_the_furniture() -> None:
    plain = build_article(_doc(f"Storm keeps boats in port\n\n{STORY}"))
    noisy_text = f"Share on Twitter\nStorm keeps boats in port\n{STORY}\n\nAdvertisement"
    noisy = build_article(_doc(noisy_text))
    assert plain.id == noisy.id == content_id(plain.text, plain.title)
    assert build_article(_doc(f"Another headline\n\n{STORY}")).id != plain.id


def test_metadata_date_wins_and_is_labelled() -> None:
    doc = _doc(f"Storm keeps boats in port\nMay 2, 2019\n{STORY}", published="2019-05-03T10:00:00Z")
    article = build_article(doc, now=NOW)
    assert (article.published, article.published_source) == ("2019-05-03", "metadata")


def test_printed_date_is_used_when_metadata_has_none() -> None:
    article = build_article(_doc(f"Storm keeps boats in port\n2 May 2019\n{STORY}"), now=NOW)
    assert (article.published, article.published_source) == ("2019-05-02", "text")


@pytest.mark.parametrize("published", ["2031-05-03", "1850-01-01", "not a date", "2019-02-30"])
def test_impossible_metadata_dates_are_rejected(published: str) -> None:
    doc = _doc(f"Storm keeps boats in port\n{STORY}", published=published)
    article = build_article(doc, now=NOW)
    assert article.published is None
    assert article.published_source is None


def test_impossible_printed_dates_are_rejected() -> None:
    for printed in ("March 3, 2031", "14.11.1850"):
        article = build_article(_doc(f"Storm keeps boats in port\n{printed}\n{STORY}"), now=NOW)
        assert article.published is None, printed


def test_dates_inside_story_sentences_are_not_publication_dates() -> None:
    text = f"Storm keeps boats in port\n{STORY}\nThe last storm this strong hit on March 3, 2015."
    assert build_article(_doc(text), now=NOW).published is None


@pytest.mark.parametrize(
    ("printed", "iso"),
    [
        ("November 14, 2013 / 4:16 PM / 6 years ago", "2013-11-14"),
        ("14.11.2013", "2013-11-14"),
        ("2013-11-14T16:16:00Z", "2013-11-14"),
        ("11/14/2013", "2013-11-14"),
        ("14 de noviembre de 2013", "2013-11-14"),
        ("le 14 novembre 2013", "2013-11-14"),
        ("14. November 2013", "2013-11-14"),
        ("14 ноября 2013 г.", "2013-11-14"),
        ("3rd Feb 2020", "2020-02-03"),
    ],
)
def test_find_date_shapes(printed: str, iso: str) -> None:
    found = find_date(printed, NOW)
    assert found is not None and found.iso == iso


def test_validate_iso() -> None:
    assert validate_iso("2013-11-14 16:16", NOW) == "2013-11-14"
    assert validate_iso("Thu, 14 Nov 2013 16:16:00 GMT", NOW) == "2013-11-14"
    assert validate_iso(None, NOW) is None


def test_outlet_from_url_then_dateline() -> None:
    assert outlet_from_url("https://www.example-news.com/a/b?c=1") == "example-news.com"
    assert outlet_from_url("not a url") is None
    assert outlet_from_url("http://[::1") is None
    doc = _doc(f"Storm keeps boats in port\nOSLO (Nordwire) - {STORY}")
    assert build_article(doc).outlet == "Nordwire"
    doc.url = "https://news.example.org/storm"
    assert build_article(doc).outlet == "news.example.org"
    doc.outlet = "Example News"
    assert build_article(doc).outlet == "Example News"


def test_container_title_replaces_the_first_line_copy() -> None:
    doc = _doc(f"Storm keeps boats in port\n{STORY}", title="Storm keeps boats in port")
    article = build_article(doc)
    assert article.title == "Storm keeps boats in port"
    assert article.paragraphs == [STORY]


def test_untitled_text_gets_a_title_from_its_first_words() -> None:
    article = build_article(_doc(STORY + " " + STORY))
    assert article.title.startswith("Fishing boats stayed in port")
    assert article.text.startswith("Fishing boats")


def test_a_lead_title_is_not_cut_at_an_initial_or_a_single_figure() -> None:
    lead = "W. J. Harrow, who ran the harbour office for three decades, retired on Friday."
    assert build_article(_doc(f"{lead} {STORY}")).title == lead
    # Tokenised corpora part a decimal: "5. 9".
    quake = "A quake of magnitude 5. 9 shook the coast."
    assert build_article(_doc(f"{quake} {STORY}")).title == quake


def test_text_and_raw_are_bounded_by_the_configuration() -> None:
    doc = _doc("Storm keeps boats in port\n" + "\n".join(f"{STORY} ({n})" for n in range(50)))
    assert len(build_article(doc).text) > 500
    article = build_article(doc, config=CleanerConfig(max_article_chars=300, max_raw_chars=500))
    assert len(article.text) <= 300
    assert len(article.raw) <= 500


def test_the_line_rules_follow_the_configuration() -> None:
    """A paragraph printed again three lines after its copy is a duplicate within the default
    window (3 lines), not within a window of 2."""
    lines = [STORY, "The harbour master spoke to reporters on the quay that morning.",
             "Fishing boats came back to port on Saturday once the storm had passed.", STORY]
    text = "Storm keeps boats in port\n" + "\n".join(lines)
    assert build_article(_doc(text)).paragraphs == lines[:3]
    assert build_article(_doc(text), config=CleanerConfig(repeat_window=2)).paragraphs == lines


@pytest.mark.parametrize("wrong", [{"repeat_window": -1}, {"fallback_share": 1.5},
                                   {"short_line_words": 2.5}, {"max_input_chars": True}])
def test_a_wrong_cleaner_parameter_is_refused(wrong: dict[str, object]) -> None:
    with pytest.raises(ValueError, match=next(iter(wrong))):
        CleanerConfig(**wrong)  # type: ignore[arg-type]


def test_extracted_text_keeps_its_edges() -> None:
    """An extractor already cut the page: a closing label-like line is not second-guessed."""
    text = f"{STORY}\n{STORY.replace('Friday', 'Saturday')}\nWeather Service Statement"
    doc = _doc(text, title="Storm keeps boats in port", extracted=True)
    assert build_article(doc).paragraphs[-1] == "Weather Service Statement"
    doc.extracted = False
    assert "Weather Service Statement" not in build_article(doc).text


@pytest.mark.parametrize(
    ("opening", "place", "outlet", "published"),
    [
        ("BERLIN — ", "BERLIN", None, None),
        ("Moscow, Nov 14 2013 (Wirepost) - ", "Moscow", "Wirepost", "2013-11-14"),
        ("PARIS, 14 novembre 2013 (Agence Alpine) - ", "PARIS", "Agence Alpine", "2013-11-14"),
        ("SAN JOSÉ, Costa Rica (Noticias Sur) — ", "SAN JOSÉ", "Noticias Sur", None),
        # Tokenised corpora write brackets as -LRB- / -RRB-.
        ("HARBOURTOWN -LRB- Wirepost -RRB- - ", "HARBOURTOWN", "Wirepost", None),
        ("KESTREL BAY , Norland -LRB- Wirepost -RRB- -- ", "KESTREL BAY", "Wirepost", None),
    ],
)
def test_datelines(opening: str, place: str, outlet: str | None, published: str | None) -> None:
    """A wire dateline is read for place, agency and date, and stays the lead's first words."""
    article = build_article(_doc(f"Storm keeps boats in port\n{opening}{STORY}"), now=NOW)
    assert article.dateline == place
    assert article.outlet == outlet
    assert article.published == published
    assert article.title == "Storm keeps boats in port"
    assert article.text == f"{opening}{STORY}"
    assert not article.removed


@pytest.mark.parametrize("opening", ["MOSCOW (Reuters) - ", "BERLIN — ",
                                     "PARIS, 14 novembre 2013 (Agence Alpine) - "])
def test_a_dateline_kept_in_the_lead_is_never_the_title(opening: str) -> None:
    second = STORY.replace("Friday", "Saturday")
    article = build_article(_doc(f"{opening}{STORY}\n{second}"), now=NOW)
    assert article.text.startswith(opening + "Fishing boats")
    assert article.title.startswith("Fishing boats stayed in port")


def test_title_from_a_tokenised_wire_lead_skips_its_dateline() -> None:
    lead = f"HARBOURTOWN | Tue Feb 1 , 2011 6:39 pm EDT HARBOURTOWN -LRB- Wirepost -RRB- - {STORY}"
    article = build_article(_doc(f"{lead}\n{STORY}"))
    assert article.title.startswith("Fishing boats stayed in port")


def test_sentence_opening_is_not_a_dateline() -> None:
    text = f"Storm keeps boats in port\nPort officials - not the coastguard - closed the harbour. {STORY}"
    article = build_article(_doc(text))
    assert article.dateline is None
    assert article.text.startswith("Port officials")
