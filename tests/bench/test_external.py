"""`storyline.bench.external`: snippet sets from pages of a library's test data, on small sdists
written here (nothing downloaded)."""

from __future__ import annotations

import argparse
import io
import json
import tarfile
from pathlib import Path

import pytest

from storyline.bench import external
from storyline.bench.clean import run
from storyline.bench.external import Source, build, newspaper_pages, trafilatura_pages

_BODY = [
    "The harbour authority closed the northern pier on Monday after a crane collapsed there.",
    "Nobody was hurt, a spokeswoman said, but ferries will dock at the southern quay all week.",
    "Engineers from the city will inspect the other three cranes before the pier opens again.",
]
_PAGE = """<html><head><title>Crane collapse shuts pier | Harbour Times</title>
<script>var tracking = "the harbour authority closed everything";</script>
<style>p {{ color: red }}</style></head><body>
<ul><li><a href="/">Home</a></li><li><a href="/news">News and weather from the coast</a></li></ul>
<h1>Crane collapse shuts pier</h1>
{body}
<div class="related">Read also: Fishing fleet sails out early as the storm season ends</div>
<footer>Copyright 2026 Harbour Times, all rights reserved worldwide</footer>
</body></html>"""


def _sdist(path: Path, files: dict[str, str]) -> None:
    with tarfile.open(path, "w:gz") as archive:
        for name, text in files.items():
            data = text.encode("utf-8")
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))


def _newspaper(cache: Path, body_html: str, expected: list[str]) -> Source:
    source = Source("paperlib", "1.0", newspaper_pages)
    root = "paperlib-1.0/tests/data"
    _sdist(cache / source.archive, {
        f"{root}/html/pier.html": _PAGE.format(body=body_html),
        f"{root}/txt/pier.txt": "\n\n".join(expected),
        f"{root}/metadata/pier.json": json.dumps({"url": "https://example.org/pier",
                                                 "title": "Crane collapse shuts pier"}),
        # The same page under another name: written once.
        f"{root}/html/pier_again.html": _PAGE.format(body=body_html),
        f"{root}/txt/pier_again.txt": "\n\n".join(expected),
        # A page whose expected text is not printed on it: not checkable.
        f"{root}/html/other.html": _PAGE.format(body="<p>Short.</p>"),
        f"{root}/txt/other.txt": "\n\n".join(expected),
    })
    return source


def test_a_known_body_gives_its_sentences_and_the_lines_sharing_nothing(tmp_path: Path) -> None:
    source = _newspaper(tmp_path, "".join(f"<p>{line}</p>" for line in _BODY), _BODY)
    gold = build(tmp_path, tmp_path / "out", (source,))
    assert list(gold) == ["paperlib-pier.txt"]
    entry = gold["paperlib-pier.txt"]
    assert entry["with"] == _BODY
    # Menus, teaser and footer; not the headline, nor the <title> line holding it, nor the
    # menu item shorter than the gold's 20 characters.
    assert entry["without"] == [
        "News and weather from the coast",
        "Read also: Fishing fleet sails out early as the storm season ends",
        "Copyright 2026 Harbour Times, all rights reserved worldwide",
    ]
    assert (entry["url"], entry["language"], entry["source"]) == (
        "https://example.org/pier", "en", "paperlib")
    lines = (tmp_path / "out" / "paperlib-pier.txt").read_text(encoding="utf-8").splitlines()
    # Flattened as scrapinghub-aeb-text: the <title> first, a block a line, no script or style.
    assert lines[0] == "Crane collapse shuts pier | Harbour Times"
    assert lines[3] == "Crane collapse shuts pier"
    assert not any("tracking" in line or "color" in line for line in lines)
    assert json.loads((tmp_path / "out" / "gold.json").read_text(encoding="utf-8")) == gold


def test_a_body_joined_across_blocks_is_not_checkable(tmp_path: Path) -> None:
    # The page prints each sentence in two blocks, the library's text joins them: no sentence
    # is on one line, so none could be found whole in a cleaner's output either.
    halves = [sentence.split(" ", 5) for sentence in _BODY]
    html = "".join(f"<p>{' '.join(words[:5])}</p><p>{words[5]}</p>" for words in halves)
    source = _newspaper(tmp_path, html, _BODY)
    assert build(tmp_path, tmp_path / "out", (source,)) == {}


_TESTS = '''
MOCK_PAGES = {
'https://example.org/pier': 'pier.html',
'https://example.org/missing': 'missing.html',
}

def load_mock_page(url, xmloutput=False):
    pass

def test_extract(xmloutput=False):
    result = load_mock_page('https://example.org/pier', xmloutput)
    assert 'Nobody was hurt' in result and 'Read also:' not in result
    assert 'sails out early' not in result and 'a sentence the page never prints' in result

    result = load_mock_page('https://example.org/missing', xmloutput)
    assert 'anything' in result
'''


def test_test_asserts_give_fragments_the_page_prints(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = Source("extractlib", "0.1", trafilatura_pages)
    _sdist(tmp_path / source.archive, {
        "extractlib-0.1/tests/unit_tests.py": _TESTS,
        "extractlib-0.1/tests/cache/pier.html": _PAGE.format(
            body="".join(f"<p>{line}</p>" for line in _BODY)),
    })
    gold = build(tmp_path, tmp_path / "out", (source,))
    assert gold["extractlib-example-org-pier.txt"]["with"] == ["Nobody was hurt"]
    assert gold["extractlib-example-org-pier.txt"]["without"] == ["Read also:", "sails out early"]
    assert len(gold) == 1  # the page of the missing file is skipped
    # A fragment the test expects kept that is not story (a reader's comment) is moved.
    monkeypatch.setitem(external.NOT_STORY, "example-org-pier", (0,))
    gold = build(tmp_path, tmp_path / "out2", (source,))
    assert gold == {}  # no "with" fragment left


def test_bench_clean_gives_figures_per_source_and_language(tmp_path: Path) -> None:
    source = _newspaper(tmp_path, "".join(f"<p>{line}</p>" for line in _BODY), _BODY)
    build(tmp_path, tmp_path / "out", (source,))
    result = run(tmp_path / "out", argparse.Namespace(split=False, limit=None))
    assert set(result["groups"]) == {"source paperlib", "language en"}
    assert result["groups"]["language en"]["pages"] == 1
    assert result["groups"]["language en"]["f1"] == result["f1"]
