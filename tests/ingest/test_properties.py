"""Property tests: whatever bytes come in, readers yield documents or failures and never raise."""

from __future__ import annotations

import codecs
import gzip
import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from storyline import settings as storyline_settings
from storyline.ingest import read_bytes, read_path
from storyline.ingest.decode import decode_bytes
from storyline.ingest.page import html_to_text
from storyline.model import RawDocument, ReadFailure

EXTENSIONS = ["", ".txt", ".html", ".htm", ".json", ".jsonl", ".warc", ".rss", ".xml", ".gz"]
PREFIXES = [b"", b"WARC/1.0\r\n", b"<html><body>", b"<?xml version='1.0'?><rss>", b"{", b"\x1f\x8b"]
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check_items(items: list[RawDocument | ReadFailure]) -> None:
    assert items
    for item in items:
        assert isinstance(item, RawDocument | ReadFailure)
        if isinstance(item, ReadFailure):
            assert item.reason and "\n" not in item.reason
            # A reason starting so means a reader crashed and the safety net caught it.
            assert not item.reason.startswith("reader error"), item.reason
        else:
            assert item.text.strip()
            assert len(item.text) <= storyline_settings.MAX_ARTICLE_CHARS
            assert not any(0xD800 <= ord(c) <= 0xDFFF for c in item.text)
            item.text.encode("utf-8")


@FUZZ
@given(prefix=st.sampled_from(PREFIXES), body=st.binary(max_size=2000),
       extension=st.sampled_from(EXTENSIONS))
def test_arbitrary_bytes_never_raise(prefix: bytes, body: bytes, extension: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{extension}"
        path.write_bytes(prefix + body)
        check_items(list(read_path(str(path))))


@FUZZ
@given(text=st.text(max_size=1500), extension=st.sampled_from(EXTENSIONS),
       compress=st.booleans())
def test_arbitrary_text_never_raises(text: str, extension: str, compress: bool) -> None:
    data = text.encode("utf-8", "surrogatepass")
    check_items(list(read_bytes("input", gzip.compress(data) if compress else data, extension)))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.sampled_from(["title", "text", "body", "author", "source", "x"]),
                      children, max_size=5),
    max_leaves=12,
)


record_objects = st.dictionaries(
    st.sampled_from(["title", "text", "body", "author", "source", "x"]), json_values, max_size=5
)


@FUZZ
@given(first=record_objects, rest=st.lists(json_values | st.text(max_size=30), min_size=1,
                                           max_size=8))
def test_jsonl_yields_one_item_per_line(first: dict[str, object], rest: list[object]) -> None:
    lines = [json.dumps(first)] + [
        json.dumps(value) if not isinstance(value, str) else value for value in rest
    ]
    # NUL bytes make the whole file binary, by design; line breaks would split a record.
    lines = [
        line for line in lines
        if line.strip() and "\x00" not in line and len(line.splitlines()) == 1
    ]
    if len(lines) < 2:
        return
    data = "\n".join(lines).encode("utf-8", "surrogatepass")
    items = list(read_bytes("input.jsonl", data, "input.jsonl"))
    check_items(items)
    assert len(items) == len(lines)


# Text, as a file holds it: no NUL (UTF-8 holding NULs on alternate bytes is exactly BOM-less
# UTF-16 of other text, and read_bytes refuses it as binary anyway) and no lone surrogates.
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
               max_size=500)
# What BOM-less UTF-16 can be told from other encodings by: mostly ASCII (spaces, digits,
# punctuation and Latin letters are in every language's news), the rest printable.
_PRINTABLE = st.characters(whitelist_categories=("L", "M", "N", "P", "S", "Zs"))
_ASCII = st.characters(min_codepoint=0x20, max_codepoint=0x7E)
MOSTLY_ASCII_TEXT = st.lists(st.one_of(_ASCII, _ASCII, _PRINTABLE), max_size=500).map("".join)


def _ascii_share(text: str) -> float:
    return sum(" " <= char <= "~" for char in text) / max(1, len(text))


@FUZZ
@given(text=TEXT, codec=st.sampled_from(["utf-8", "utf-16-le", "utf-16-be"]))
def test_text_with_a_bom_round_trips(text: str, codec: str) -> None:
    bom = {"utf-8": codecs.BOM_UTF8, "utf-16-le": codecs.BOM_UTF16_LE,
           "utf-16-be": codecs.BOM_UTF16_BE}[codec]
    assert decode_bytes(bom + text.encode(codec)) == text


@FUZZ
@given(text=TEXT)
def test_utf8_always_round_trips(text: str) -> None:
    assume(not text.startswith("\ufeff"))  # that is a BOM
    assert decode_bytes(text.encode("utf-8")) == text


@FUZZ
@given(text=MOSTLY_ASCII_TEXT, codec=st.sampled_from(["utf-16-le", "utf-16-be"]))
def test_utf16_without_bom_round_trips(text: str, codec: str) -> None:
    assume(_ascii_share(text) > 0.5 and not text.startswith("\ufeff"))
    assert decode_bytes(text.encode(codec)) == text


@FUZZ
@given(markup=st.text(alphabet=st.sampled_from(list("<>/pbrdiv =\"'&;#x\n abc")), max_size=300))
def test_html_fragments_flatten_without_raising(markup: str) -> None:
    assert isinstance(html_to_text(markup), str)
