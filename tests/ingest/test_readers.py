"""Readers on real files written in tmp_path: every format, and every kind of bad input."""

from __future__ import annotations

import gzip
import io
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from storyline import settings
from storyline.ingest import iter_sources, read_bytes, read_path
from storyline.ingest.decode import UnreadableInput, decode_bytes
from storyline.ingest.detect import gunzip_bounded
from storyline.ingest.records import resolve_field_map
from storyline.model import RawDocument, ReadFailure
from storyline.store import Store

STORY = (
    "Harbour cranes halted in Velmora after storm\n\n"
    "Dock workers in the port city of Velmora stopped every crane on Monday as gusts reached "
    "ninety kilometres an hour, the harbour authority said.\n\n"
    "The authority expects the terminals to reopen once the wind drops below forty kilometres "
    "an hour, probably by Wednesday morning."
)
PAGE = (
    "<!DOCTYPE html><html><head><title>Harbour cranes halted in Velmora</title></head><body>"
    "<nav><a href='/'>Home</a> <a href='/port'>Port</a></nav><article><h1>Harbour cranes halted"
    " in Velmora</h1><p>Dock workers in the port city of Velmora stopped every crane on Monday as"
    " gusts reached ninety kilometres an hour, the harbour authority said on its website.</p><p>"
    "The authority expects the terminals to reopen once the wind drops below forty kilometres an"
    " hour, probably by Wednesday morning, a spokeswoman told reporters at the gate.</p></article>"
    "<footer>All rights reserved</footer></body></html>"
)


def read_all(path: Path | str) -> list[RawDocument | ReadFailure]:
    items = list(read_path(str(path)))
    assert items, "a reader must yield at least one document or failure"
    return items


def only_failure(path: Path | str) -> ReadFailure:
    items = read_all(path)
    assert len(items) == 1 and isinstance(items[0], ReadFailure), items
    assert "\n" not in items[0].reason and items[0].reason
    return items[0]


def only_document(path: Path | str) -> RawDocument:
    items = read_all(path)
    assert len(items) == 1 and isinstance(items[0], RawDocument), items
    return items[0]


# -- plain text and encodings ------------------------------------------------------------------
def test_plain_text_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text(STORY, encoding="utf-8")
    doc = only_document(path)
    assert doc.format == "text"
    assert doc.source == str(path)
    assert doc.text == STORY
    assert doc.raw == STORY


def test_windows_newlines_and_control_characters_are_normalised(tmp_path: Path) -> None:
    path = tmp_path / "crlf.txt"
    path.write_bytes(b"Title line\r\n\r\nBody\x07 text\x0c here.\r\n")
    assert only_document(path).text == "Title line\n\nBody text here.\n"


CYRILLIC = (
    "Мост через реку Самару в городе Новоречье закрыли после аварии. Инженеры проверяют опоры, "
    "а жители ждут решения городской администрации о сроках ремонта."
)
FRENCH = (
    "Le pont de Vérandol s'est effondré mardi après des pluies torrentielles. Les secours ont "
    "évacué trois élèves et la maire a annoncé une enquête sur l'état de l'ouvrage."
)
SPANISH = (
    "El banco central de Ostrania subió los tipos de interés al cuatro por ciento. "
    "La decisión sorprendió a los analistas, que esperaban una pausa en otoño."
)


@pytest.mark.parametrize(
    ("text", "encoding"),
    [(CYRILLIC, "cp1251"), (FRENCH, "latin-1"), (SPANISH, "latin-1"), (FRENCH, "utf-16")],
)
def test_legacy_encodings_decode_right(tmp_path: Path, text: str, encoding: str) -> None:
    path = tmp_path / "legacy.txt"
    path.write_bytes(text.encode(encoding))
    assert only_document(path).text == text


def test_invalid_utf8_keeps_the_valid_text(tmp_path: Path) -> None:
    path = tmp_path / "broken.txt"
    path.write_bytes(FRENCH.encode("utf-8") + b" caf\xe9 \xff\xfe end")
    doc = only_document(path)
    assert doc.text.startswith(FRENCH)
    assert doc.text.endswith(" end")


def test_undecodable_bytes_raise_a_reason() -> None:
    with pytest.raises(UnreadableInput):
        decode_bytes(bytes(range(0x80, 0x100)) * 50 + b"\x81\x8d\x8f\x90\x9d" * 40)


# -- bad input: each yields one failure with a one-line reason -----------------------------------
def test_empty_file(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    assert "empty" in only_failure(tmp_path / "empty.txt").reason


def test_blank_file(tmp_path: Path) -> None:
    (tmp_path / "blank.txt").write_bytes(b" \n\t\r\n \n")
    assert "empty" in only_failure(tmp_path / "blank.txt").reason


def test_binary_file(tmp_path: Path) -> None:
    (tmp_path / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    assert "binary" in only_failure(tmp_path / "photo.txt").reason


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("text", [STORY, "Паромы снова ходят в Велмору.\n\nВ понедельник, 3 марта."])
def test_utf16_without_bom_is_text_not_binary(tmp_path: Path, codec: str, text: str) -> None:
    path = tmp_path / "story.txt"
    path.write_bytes(text.encode(codec))
    assert only_document(path).text == text


def test_huge_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with open(path, "wb") as handle:
        handle.truncate(300 * 1024 * 1024)  # sparse: takes no disk space or time
    reason = only_failure(path).reason
    assert "too large" in reason and "max_file_bytes" in reason and "300.0 MB" in reason


def test_truncated_gzip(tmp_path: Path) -> None:
    compressed = gzip.compress(STORY.encode() * 20)
    path = tmp_path / "story.txt.gz"
    path.write_bytes(compressed[: len(compressed) // 2])
    assert "truncated gzip" in only_failure(path).reason


def test_gzip_bomb_is_bounded() -> None:
    with pytest.raises(UnreadableInput, match="limit"):
        gunzip_bounded(gzip.compress(b"\0" * 100_000), limit=10_000)


def test_multi_member_gzip(tmp_path: Path) -> None:
    path = tmp_path / "two.txt.gz"
    path.write_bytes(gzip.compress(b"First part. ") + gzip.compress(b"Second part."))
    assert only_document(path).text == "First part. Second part."


def test_html_without_body(tmp_path: Path) -> None:
    path = tmp_path / "nobody.html"
    path.write_text("<html><head><title>Only a title</title></head></html>")
    assert isinstance(read_all(path)[0], ReadFailure)


def test_missing_path() -> None:
    assert "No such file" in only_failure("/nonexistent/storyline/file.txt").reason


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_unreadable_file_and_folder(tmp_path: Path) -> None:
    locked_file = tmp_path / "locked.txt"
    locked_file.write_text(STORY)
    locked_file.chmod(0)
    locked_dir = tmp_path / "locked"
    locked_dir.mkdir()
    (locked_dir / "inner.txt").write_text(STORY)
    locked_dir.chmod(0)
    try:
        assert "Permission denied" in only_failure(locked_file).reason
        sources = list(iter_sources([str(tmp_path)]))
        assert str(locked_dir) in sources
        assert "Permission denied" in only_failure(locked_dir).reason
    finally:
        locked_dir.chmod(0o755)


def test_fifo_is_not_read(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    assert "not a regular file" in only_failure(fifo).reason


# -- sniffing: content first, extension second ------------------------------------------------
def test_txt_that_is_really_html(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_text(PAGE)
    doc = only_document(path)
    assert doc.format == "html"
    assert "ninety kilometres" in doc.text and "All rights reserved" not in doc.text


def test_gzipped_html(tmp_path: Path) -> None:
    path = tmp_path / "page.html.gz"
    path.write_bytes(gzip.compress(PAGE.encode()))
    doc = only_document(path)
    assert doc.format == "html" and "forty kilometres" in doc.text


def test_folders_are_walked_sorted_skipping_hidden(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config").write_text("x")
    (tmp_path / "b" / "2.txt").write_text("two")
    (tmp_path / "a.txt").write_text("one")
    (tmp_path / ".hidden.txt").write_text("hidden")
    assert list(iter_sources([str(tmp_path)])) == [
        str(tmp_path / "a.txt"), str(tmp_path / "b" / "2.txt")
    ]
    assert [d.text for d in read_path(str(tmp_path))] == ["one", "two"]


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(STORY.encode("utf-8"))))
    [doc] = read_path("-")
    assert isinstance(doc, RawDocument)
    assert doc.source == "stdin" and doc.text == STORY


def test_text_is_bounded() -> None:
    [doc] = read_bytes("long.txt", b"word " * (settings.MAX_ARTICLE_CHARS // 2))
    assert isinstance(doc, RawDocument)
    assert len(doc.text) == settings.MAX_ARTICLE_CHARS
    assert len(doc.raw) <= settings.MAX_RAW_CHARS


# -- JSON and JSON Lines ------------------------------------------------------------------------
def test_jsonl_malformed_lines_fail_alone(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_text(
        '{"title": "First", "text": "One body.", "url": "https://example.org/1"}\n'
        '{"title": "Broken", "text": \n'
        "\n"
        '{"headline": "Third", "body": "Three body.", "author": ["A. Writer", "B. Writer"],'
        ' "source": {"name": "The Gazette"}, "date": "2026-03-02", "language": "en"}\n'
        '["not", "an", "object"]\n'
        '{"title": "No text here"}\n'
        + "[" * 100_000 + "\n"
    )
    items = read_all(path)
    documents = [i for i in items if isinstance(i, RawDocument)]
    failures = {i.source: i.reason for i in items if isinstance(i, ReadFailure)}
    assert [d.title for d in documents] == ["First", "Third"]
    assert [d.source for d in documents] == [f"{path}#1", f"{path}#4"]
    assert documents[0].url == "https://example.org/1"
    third = documents[1]
    assert (third.byline, third.outlet, third.published, third.language) == (
        "A. Writer, B. Writer", "The Gazette", "2026-03-02", "en"
    )
    assert set(failures) == {f"{path}:2", f"{path}#5", f"{path}#6", f"{path}:7"}
    assert failures[f"{path}:2"].startswith("invalid JSON")
    assert "no text" in failures[f"{path}#6"]


def test_json_array_with_html_text(tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    path.write_text(
        '{"articles": [{"title": "A", "content": "<p>First para.</p><p>Second<br>line.</p>"},'
        ' {"title": "B", "text": "Plain."}]}'
    )
    first, second = read_all(path)
    assert first.text == "First para.\n\nSecond\nline."
    assert first.source == f"{path}#1" and second.source == f"{path}#2"


def test_broken_json_document_is_one_failure(tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    path.write_text('[\n  {"title": "A",\n   "text": "x"\n  },\n  {"title": \n]')
    assert only_failure(path).reason.startswith("invalid JSON")


def test_field_map_override(tmp_path: Path) -> None:
    path = tmp_path / "custom.jsonl"
    path.write_text('{"story": "Body of it.", "text": "wrong", "paper": "Le Quotidien"}\n')
    from storyline.ingest import records

    overrides = {"text": "story", "outlet": ["paper"]}
    [doc] = records.read(str(path), path.read_bytes(), field_map=overrides)
    assert (doc.text, doc.outlet) == ("Body of it.", "Le Quotidien")
    with pytest.raises(ValueError, match="unknown field"):
        resolve_field_map({"body_text": "x"})


def test_lone_surrogates_are_removed_and_storable(tmp_path: Path, store: Store) -> None:
    from storyline.clean import build_article

    path = tmp_path / "surrogate.jsonl"
    path.write_text('{"title": "T \\ud800", "text": "Body \\udfff text."}\n')
    doc = only_document(path)
    assert doc.text == "Body  text." and doc.title == "T"
    assert store.add_article(build_article(doc))


# -- RSS / Atom ---------------------------------------------------------------------------------
RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Coastline Courier</title><link>https://courier.example</link>
<language>en</language>
<item><title>Ferry line resumes</title><link>https://courier.example/ferry</link>
<pubDate>Tue, 03 Mar 2026 08:30:00 +0100</pubDate><author>desk@courier.example (Ana Lind)</author>
<description>Short teaser only.</description>
<content:encoded><![CDATA[
<p>The ferry line between Orsk Bay and Lumen Island resumed on Tuesday.</p>
<p>Operators said the new timetable adds two crossings a day.</p>]]></content:encoded></item>
<item><title>Teaser only</title><link>https://courier.example/teaser</link>
<description>&lt;p&gt;The market hall &lt;b&gt;reopens&lt;/b&gt; in May.&lt;/p&gt;
</description></item>
<item><title>Empty</title><link>https://courier.example/empty</link></item>
</channel></rss>"""


def test_rss_prefers_full_content(tmp_path: Path) -> None:
    path = tmp_path / "courier.xml"
    path.write_text(RSS)
    first, second, third = read_all(path)
    assert first.format == "feed" and first.extracted
    assert first.text == (
        "The ferry line between Orsk Bay and Lumen Island resumed on Tuesday.\n\n"
        "Operators said the new timetable adds two crossings a day."
    )
    assert (first.title, first.url, first.outlet, first.language) == (
        "Ferry line resumes", "https://courier.example/ferry", "Coastline Courier", "en"
    )
    assert first.published == "2026-03-03T07:30:00+00:00"
    assert first.source == f"{path}#1"
    assert second.text == "The market hall reopens in May."
    assert isinstance(third, ReadFailure) and third.source == f"{path}#3"


def test_atom_feed(tmp_path: Path) -> None:
    path = tmp_path / "feed.atom"
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>Valley Post</title><entry><title>Dam inspected</title>"
        '<link href="https://valley.example/dam"/><updated>2026-02-01T10:00:00Z</updated>'
        '<content type="html">&lt;p&gt;Engineers inspected the Greywater dam.&lt;/p&gt;</content>'
        "</entry></feed>"
    )
    doc = only_document(path)
    assert doc.text == "Engineers inspected the Greywater dam."
    assert (doc.url, doc.outlet, doc.published) == (
        "https://valley.example/dam", "Valley Post", "2026-02-01T10:00:00+00:00"
    )


def test_xml_that_is_not_a_feed(tmp_path: Path) -> None:
    path = tmp_path / "sitemap.xml"
    path.write_text('<?xml version="1.0"?><urlset><url><loc>https://x.example</loc></url></urlset>')
    assert only_failure(path).reason


# -- WARC ---------------------------------------------------------------------------------------
def write_warc(path: Path, gzip_records: bool) -> None:
    with open(path, "wb") as handle:
        write_warc_to(handle, gzip_records)


def write_warc_to(handle: BinaryIO, gzip_records: bool) -> None:
    writer = WARCWriter(handle, gzip=gzip_records)
    writer.write_record(
        writer.create_warc_record(
            "https://news.example/req", "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n")
        )
    )
    for uri, content_type, body in [
        ("https://news.example/cranes", "text/html; charset=utf-8", PAGE.encode()),
        ("https://news.example/logo.png", "image/png", b"\x89PNG\x00\x00binary"),
    ]:
        headers = StatusAndHeaders(
            "200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1"
        )
        writer.write_record(
            writer.create_warc_record(
                uri, "response", payload=io.BytesIO(body), http_headers=headers
            )
        )


@pytest.mark.parametrize("compressed", [False, True])
def test_warc_html_responses(tmp_path: Path, compressed: bool) -> None:
    path = tmp_path / ("crawl.warc.gz" if compressed else "crawl.warc")
    write_warc(path, compressed)
    doc = only_document(path)
    assert doc.url == "https://news.example/cranes"
    assert doc.source == f"{path}#2"
    assert "ninety kilometres" in doc.text


def test_warc_without_html(tmp_path: Path) -> None:
    path = tmp_path / "empty.warc"
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=False)
        writer.write_record(writer.create_warc_record("https://x.example", "request",
                                                      payload=io.BytesIO(b"GET /\r\n\r\n")))
    assert "no HTML" in only_failure(path).reason


def _inside_the_page(data: bytes) -> int:
    return data.index(b"Dock workers") + 20


def _inside_the_last_payload(data: bytes) -> int:
    return len(data) - 10  # a record ends with a blank line after its payload


def _header_line_of_the_last_record(line: int) -> Callable[[bytes], int]:
    """Inside the `line`th line of the last record's WARC headers."""
    def cut_at(data: bytes) -> int:
        start = data.rindex(b"WARC/1.")
        for _ in range(line):
            start = data.index(b"\r\n", start) + 2
        return start + 3
    return cut_at


@pytest.mark.parametrize(("cut_at", "failed_record", "page_kept"), [
    (_inside_the_page, 2, False),
    (_inside_the_last_payload, 3, True),
    *[(_header_line_of_the_last_record(line), 3, True) for line in range(7)],
])
def test_truncated_warc_record_is_a_failure_not_a_stub(
    tmp_path: Path, cut_at: Callable[[bytes], int], failed_record: int, page_kept: bool
) -> None:
    whole = tmp_path / "whole.warc"
    write_warc(whole, gzip_records=False)
    data = whole.read_bytes()
    path = tmp_path / "cut.warc"
    path.write_bytes(data[: cut_at(data)])
    items = read_all(path)
    failures = [item for item in items if isinstance(item, ReadFailure)]
    assert [failure.source for failure in failures] == [f"{path}#{failed_record}"]
    assert failures[0].reason.startswith("truncated WARC record: ")
    documents = [item for item in items if isinstance(item, RawDocument)]
    assert [doc.source for doc in documents] == ([f"{path}#2"] if page_kept else [])


@given(cut=st.floats(0.0, 1.0))
@hypothesis_settings(max_examples=60, deadline=None)
def test_any_cut_warc_gives_whole_pages_or_a_failure(cut: float) -> None:
    buffer = io.BytesIO()
    write_warc_to(buffer, gzip_records=False)
    data = buffer.getvalue()
    whole = [item for item in read_bytes("whole.warc", data) if isinstance(item, RawDocument)]
    end = int(cut * len(data))
    items = list(read_bytes("cut.warc", data[:end]))
    assert all(item.text == whole[0].text for item in items if isinstance(item, RawDocument))
    # Cut between two records (in the blank lines that end one), an archive is whole as far as
    # anything can tell; anywhere else the cut must show.
    if not data[end:].lstrip(b"\r\n").startswith(b"WARC/") and data[end:].strip():
        assert any(isinstance(item, ReadFailure) for item in items)


def test_truncated_gzipped_warc_fails_whole(tmp_path: Path) -> None:
    whole = tmp_path / "whole.warc.gz"
    write_warc(whole, gzip_records=True)
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(whole.read_bytes()[:-10])
    assert only_failure(path).reason == "truncated gzip file"


def test_corrupt_warc(tmp_path: Path) -> None:
    path = tmp_path / "bad.warc"
    path.write_bytes(b"WARC/1.0\r\nnonsense without headers\r\n\r\n" + b"x" * 100)
    assert all(isinstance(item, ReadFailure) for item in read_all(path))


def test_path_through_a_file_is_a_failure(tmp_path: Path) -> None:
    (tmp_path / "plain.txt").write_text(STORY)
    assert "Not a directory" in only_failure(tmp_path / "plain.txt" / "inner.txt").reason


def test_the_readers_take_their_bounds_from_the_configuration(tmp_path: Path) -> None:
    """`[ingest]` bounds reach every reader: a file over max_file_bytes is refused unread,
    records past max_records_per_file are counted into one failure, text is cut."""
    from storyline.config import PipelineConfig
    from storyline.ingest.config import IngestConfig

    table = tmp_path / "narrow.toml"
    table.write_text("[ingest]\nmax_file_bytes = 2000\nmax_records_per_file = 2\n"
                     "max_article_chars = 30\n", encoding="utf-8")
    narrow = PipelineConfig.from_toml(table).section(IngestConfig)
    big = tmp_path / "big.txt"
    big.write_text("A long report.\n" * 200, encoding="utf-8")
    [failure] = read_path(str(big), config=narrow)
    assert isinstance(failure, ReadFailure) and "limit 0 MB ([ingest] max_file_bytes)" in \
        failure.reason
    lines = tmp_path / "three.jsonl"
    lines.write_text("".join(json.dumps({"title": f"T{n}", "text": "Word " * 20}) + "\n"
                             for n in range(3)), encoding="utf-8")
    items = list(read_path(str(lines), config=narrow))
    assert [len(i.text) for i in items if isinstance(i, RawDocument)] == [30, 30]
    assert "max_records_per_file" in items[-1].reason
    assert len([i for i in read_path(str(lines)) if isinstance(i, RawDocument)]) == 3
