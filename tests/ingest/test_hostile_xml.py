"""XML attacks inside articles: external entities are never fetched, entity bombs never expand."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.ingest import read_path
from storyline.model import RawDocument

SECRET = "Zentriq-passphrase-4471"


def billion_laughs() -> str:
    """Nine levels of ten entities: a billion "lol"s if a parser expanded &lol9;."""
    entities = ['<!ENTITY lol0 "lol">']
    for level in range(1, 10):
        reference = f"&lol{level - 1};"
        entities.append(f'<!ENTITY lol{level} "{reference * 10}">')
    return "".join(entities)


def documents(path: Path) -> list[RawDocument]:
    items = list(read_path(str(path)))
    return [item for item in items if isinstance(item, RawDocument)]


def external_entity(secret_file: Path, root: str) -> str:
    return f'<?xml version="1.0"?><!DOCTYPE {root} [<!ENTITY xxe SYSTEM "file://{secret_file}">]>'


XXE_CASES = {
    "feed.rss": lambda head: head("rss") + (
        '<rss version="2.0"><channel><title>Wire</title><item><title>Harbour &xxe;</title>'
        "<description>The harbour reopened &xxe; on Monday after the storm.</description>"
        "</item></channel></rss>"),
    "feed.atom": lambda head: head("feed") + (
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>Wire</title><entry><title>Port &xxe;'
        '</title><content type="html">The port reopened &xxe; on Monday.</content></entry></feed>'),
    "page.xhtml": lambda head: head("html") + (
        "<html><body><article><p>The harbour of Velmora reopened &xxe; on Monday after the "
        "storm, the port authority said in a statement to reporters.</p></article></body></html>"),
}


@pytest.mark.parametrize("name", sorted(XXE_CASES))
def test_external_entities_are_never_resolved(tmp_path: Path, name: str) -> None:
    secret_file = tmp_path / "secret.txt"
    secret_file.write_text(SECRET)
    path = tmp_path / name
    path.write_text(XXE_CASES[name](lambda root: external_entity(secret_file, root)))
    found = documents(path)
    assert found, "the article around the entity is still read"
    for document in found:
        assert SECRET not in f"{document.title} {document.text} {document.raw}"


BOMBED = {
    "laughs.rss": '<rss version="2.0"><channel><title>Wire</title><item><title>Laughs</title>'
                  "<description>The story &lol9; ends here.</description></item></channel></rss>",
    "laughs.xhtml": "<html><body><p>The story &lol9; ends here, told at some length for the "
                    "reader who follows it.</p></body></html>",
}


@pytest.mark.parametrize(("name", "body"), sorted(BOMBED.items()))
def test_entity_bombs_never_expand(tmp_path: Path, name: str, body: str) -> None:
    path = tmp_path / name
    root = "rss" if name.endswith(".rss") else "html"
    path.write_text(f'<?xml version="1.0"?><!DOCTYPE {root} [{billion_laughs()}]>{body}')
    for item in read_path(str(path)):
        shown = f"{getattr(item, 'text', '')} {getattr(item, 'reason', '')}"
        assert "lol" * 100 not in shown and len(shown) < 2000
