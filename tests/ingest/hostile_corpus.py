"""Hostile input files, written by us, built in code (no binary blobs in the repository).

Each entry is a file name (its extension picks a reader when the content does not) and a
function building its bytes. They are what a careless crawler, a broken exporter or an attacker
hands an ingester: wrong and mixed encodings, truncation at awkward places, deep nesting, XML
entity expansion, and very long lines. `test_hostile_corpus.py` feeds each through the readers,
the cleaner and the watcher's feed parser.
"""

from __future__ import annotations

import codecs
import gzip
import json
import zlib
from collections.abc import Callable

STORY = ("The harbour of Velmora reopened on Monday after the storm, the port authority said. "
         "Ferries to Osterholm will run twice a day until the new quay is finished in June.")
PAGE = (f"<!doctype html><html><head><title>Harbour reopens</title></head><body><article>"
        f"<h1>Harbour reopens</h1><p>{STORY}</p><p>{STORY}</p></article></body></html>")
FEED = (f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>Wire</title>"
        f"<item><title>Harbour reopens</title><link>http://example.org/a</link>"
        f"<description>{STORY}</description></item></channel></rss>")


def _billion_laughs(root: str, body: str) -> bytes:
    entities = ['<!ENTITY a0 "lol">'] + [
        f'<!ENTITY a{level} "{f"&a{level - 1};" * 10}">' for level in range(1, 10)
    ]
    return f'<?xml version="1.0"?><!DOCTYPE {root} [{"".join(entities)}]>{body}'.encode()


def _quadratic_blowup(root: str, body: str) -> bytes:
    """One big entity referenced many times: no nesting for a depth limit to catch."""
    entity = "x" * 50_000
    return (f'<?xml version="1.0"?><!DOCTYPE {root} [<!ENTITY big "{entity}">]>'
            + body.replace("BIG", "&big;" * 5_000)).encode()


def _parameter_entities() -> bytes:
    return (b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY % p SYSTEM "file:///etc/passwd">'
            b'%p;<!ENTITY % q "<!ENTITY leak \'&#37;p;\'>">%q;]>'
            + FEED.split("?>", 1)[1].replace("Harbour reopens</title>",
                                              "Harbour &leak; reopens</title>").encode())


def _warc(payload: bytes, declared: int | None = None) -> bytes:
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + payload
    length = len(http) if declared is None else declared
    return (b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: http://example.org/a\r\n"
            b"WARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-000000000001>\r\n"
            b"Content-Type: application/http; msgtype=response\r\n"
            + f"Content-Length: {length}\r\n\r\n".encode() + http + b"\r\n\r\n")


def _gzip_bomb() -> bytes:
    """About 60 MB of zeros in about 60 KB: above MAX_FILE_BYTES once decompressed."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = b"\0" * (1 << 20)
    return b"".join([*(compressor.compress(chunk) for _ in range(60)), compressor.flush()])


HOSTILE: dict[str, Callable[[], bytes]] = {
    # -- encodings ------------------------------------------------------------------------------
    "utf16le-no-bom.txt": lambda: STORY.encode("utf-16-le"),
    "utf16be-bom.txt": lambda: codecs.BOM_UTF16_BE + STORY.encode("utf-16-be"),
    "utf32-bom.txt": lambda: codecs.BOM_UTF32_LE + STORY.encode("utf-32-le"),
    "invalid-utf8.txt": lambda: STORY.encode()[:80] + b"\xff\xfe\xc0\xaf\xed\xa0\x80" + STORY.encode(),
    "cp1252-declared-utf8.html": lambda: PAGE.replace(
        "<head>", "<head><meta charset='utf-8'>").replace("said", "said \u201cyes\u201d").encode(
        "cp1252"),
    "unknown-charset.html": lambda: PAGE.replace(
        "<head>", "<head><meta charset='x-klingon-8'>").encode(),
    "mixed-encodings.txt": lambda: STORY.encode("utf-8") + "\n\nStraße".encode("latin-1")
    + "\n\nМосква".encode("koi8-r") + "\n\n東京".encode("shift_jis"),
    "utf16-feed.rss": lambda: FEED.replace("utf-8", "utf-16").encode("utf-16"),
    "feed-declared-utf16-is-utf8.rss": lambda: FEED.replace("utf-8", "utf-16").encode(),
    "control-characters.txt": lambda: ("\x1b[2J\x1b[31m" + STORY + "\u202e\u200b\x07\x08\x7f"
                                       + "\r" + STORY).encode(),
    "bom-only.txt": lambda: codecs.BOM_UTF8,
    # -- truncation -----------------------------------------------------------------------------
    "truncated.html": lambda: PAGE.encode()[: len(PAGE) // 2 + 7],
    "truncated-in-tag.html": lambda: PAGE.encode()[: PAGE.index("<p>") + 2],
    "truncated.rss": lambda: FEED.encode()[: FEED.index("<description>") + 40],
    "truncated-cdata.rss": lambda: FEED.replace("<description>", "<description><![CDATA[")
    .encode()[:-40],
    "truncated.jsonl": lambda: (json.dumps({"title": "a", "text": STORY}) + "\n"
                                + json.dumps({"title": "b", "text": STORY + " b"})[:30]).encode(),
    "truncated.json": lambda: json.dumps([{"title": "a", "text": STORY}] * 3).encode()[:-20],
    "truncated.warc": lambda: _warc(PAGE.encode())[:-300],
    "warc-length-lies.warc": lambda: _warc(PAGE.encode(), declared=10 ** 9),
    "warc-length-short.warc": lambda: _warc(PAGE.encode(), declared=5),
    "truncated.html.gz": lambda: gzip.compress(PAGE.encode())[:-30],
    "truncated-utf8-sequence.txt": lambda: STORY.encode() + "東".encode()[:2],
    # -- nesting --------------------------------------------------------------------------------
    "deep-divs.html": lambda: ("<html><body>" + "<div>" * 100_000 + STORY
                               + "</div>" * 100_000 + "</body></html>").encode(),
    "deep-unclosed.html": lambda: ("<html><body>" + "<p><b><i>" * 30_000 + STORY).encode(),
    "deep-array.json": lambda: b"[" * 200_000 + b"]" * 200_000,
    "deep-object.jsonl": lambda: ('{"a":' * 50_000 + "1" + "}" * 50_000 + "\n"
                                  + json.dumps({"text": STORY})).encode(),
    "deep-feed.rss": lambda: FEED.replace("<description>", "<description>" + "<x>" * 50_000
                                          ).replace("</description>", "</x>" * 50_000
                                                    + "</description>").encode(),
    "many-records.jsonl": lambda: "\n".join(json.dumps({"text": f"{STORY} {n}"})
                                            for n in range(12_000)).encode(),
    # -- entity expansion -----------------------------------------------------------------------
    "billion-laughs.atom": lambda: _billion_laughs(
        "feed", "<feed xmlns='http://www.w3.org/2005/Atom'><title>&a9;</title><entry>"
        f"<title>t</title><content>{STORY} &a9;</content></entry></feed>"),
    "billion-laughs.html": lambda: _billion_laughs("html", f"<html><body><p>{STORY} &a9;</p>"
                                                   "</body></html>"),
    "quadratic-blowup.rss": lambda: _quadratic_blowup(
        "rss", f"<rss version='2.0'><channel><title>W</title><item><title>t</title>"
        f"<description>{STORY} BIG</description></item></channel></rss>"),
    "parameter-entities.rss": _parameter_entities,
    "gzip-bomb.html.gz": _gzip_bomb,
    # -- huge lines -----------------------------------------------------------------------------
    "huge-line.txt": lambda: ((STORY + " ") * 60_000).encode(),  # 10 MB, no line break
    "huge-word.txt": lambda: STORY.encode() + b"\n\n" + b"a" * 5_000_000,
    "huge-line.html": lambda: ("<html><body><p>" + (STORY + " ") * 30_000
                               + "</p></body></html>").encode(),
    "huge-attribute.html": lambda: PAGE.replace("<article>", "<article data-x='"
                                                + "y" * 5_000_000 + "'>").encode(),
    "huge-jsonl-line.jsonl": lambda: json.dumps({"title": "big", "text": STORY * 50_000}).encode(),
    "only-newlines.txt": lambda: b"\n" * 2_000_000,
    "cr-only-lines.txt": lambda: (STORY + "\r") .encode() * 5_000,
}
