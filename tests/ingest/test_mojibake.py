"""UTF-8 read as Latin-1 / windows-1252 is repaired when a text file is read, and only then."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from storyline.ingest.decode import repair_mojibake
from storyline.ingest.text import read

# Letters and marks outside Latin-1, so the mis-decoded form is unambiguous mojibake.
_TEXT = st.text(
    alphabet=st.sampled_from(list("abcXYZ 019.,;!?’“”—–…€œŒšžŸ中文日本Привет") + ["é", "à", "ñ", "ü", "ç"]),
    max_size=60,
)


@given(_TEXT)
def test_mis_decoded_utf8_comes_back(text: str) -> None:
    assert repair_mojibake(text.encode("utf-8").decode("latin-1")) == text
    assert repair_mojibake(text.encode("utf-8").decode("cp1252", "replace")) == text or (
        "\ufffd" in text.encode("utf-8").decode("cp1252", "replace")
    )


def test_real_latin1_text_is_left_alone() -> None:
    for text in ("SÃO PAULO", "Ãgua fria", "château", "naïve café", "ÂGE D'OR", "prix : 5 €"):
        assert repair_mojibake(text) == text


def test_a_no_break_space_whose_second_byte_became_a_space_is_dropped() -> None:
    assert repair_mojibake("the USÂ President said.Â\nNext") == "the US President said.\nNext"
    assert repair_mojibake("Â la carte, ÂGE D'OR") == "Â la carte, ÂGE D'OR"


def test_reading_a_scraped_dump_repairs_its_apostrophes() -> None:
    mis_decoded = "There’s a “quote” — café".encode().decode("latin-1")
    [document] = read("dump.txt", mis_decoded.encode("utf-8"))
    assert document.text == "There’s a “quote” — café"
