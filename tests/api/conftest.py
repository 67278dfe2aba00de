"""A real `storyline serve` process on loopback over a small hand-built store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from storyline.cli.serve import free_port, start_server, stop_process
from storyline.model import Article, Entity, Event, EventMember, Sentence, Storyline, content_id
from storyline.store import Store

# For servers whose tests send many ingests to fuzz something else than the upload rate.
UNLIMITED_INGEST = ("--ingests-per-minute", "1000000", "--ingest-burst", "1000000")

XSS = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'


def sentence_split(text: str) -> list[Sentence]:
    sentences, start = [], 0
    for part in text.split(". "):
        end = start + len(part) + (1 if start + len(part) < len(text) else 0)
        sentences.append(Sentence(text=text[start:end].strip(), start=start, end=end))
        start = end + 1
    return sentences


def make_article(title: str, text: str, outlet: str, published: str, language: str = "en",
                 entities: list[Entity] | None = None) -> Article:
    return Article(
        id=content_id(text, title), source=f"{outlet}.txt", title=title, text=text,
        outlet=outlet, published=published, published_source="text", language=language,
        sentences=sentence_split(text), entities=entities or [],
    )


MAYOR = Entity(id="person:orlanda-vesk", name="Orlanda Vesk", type="person",
               aliases=["Vesk", "Orlanda Vesk"], salience=0.9, mentions=3)
CITY = Entity(id="place:port-alvane", name="Port Alvane", type="place",
              aliases=["Port Alvane"], salience=0.6, mentions=2)


def build_store(path: Path) -> dict[str, list[str]]:
    store = Store(path)
    bridge = [
        make_article("Bridge closed in Port Alvane after cracks found",
                     "Mayor Orlanda Vesk closed the Tamsin bridge on Monday. Engineers found "
                     "cracks in two pillars. Repairs will take a month.",
                     "Harbour Herald", "2024-03-04", entities=[MAYOR, CITY]),
        make_article("Port Alvane shuts its main bridge",
                     "The Tamsin bridge was closed on Monday by Mayor Orlanda Vesk. Cracks "
                     "were found in two pillars. Ferries will run extra trips.",
                     "Coast Daily", "2024-03-04", entities=[MAYOR, CITY]),
        make_article(XSS + " headline", XSS + " body text. More text " + XSS + ".",
                     "Evil <b>Outlet</b>", "2024-03-05", entities=[CITY]),
    ]
    reopening = [
        make_article("Tamsin bridge reopens", "Mayor Orlanda Vesk reopened the Tamsin bridge "
                     "on Friday. Traffic returned within the hour.", "Harbour Herald",
                     "2024-04-12", entities=[MAYOR, CITY]),
    ]
    for article in bridge + reopening:
        store.add_article(article)
    events = [
        Event(id="ev-bridge", title=bridge[0].title, date="2024-03-04", place="Port Alvane",
              entities=[MAYOR.id, CITY.id],
              members=[EventMember(bridge[0].id, "origin"), EventMember(bridge[1].id),
                       EventMember(bridge[2].id)],
              outlets=["Harbour Herald", "Coast Daily", "Evil <b>Outlet</b>"], languages=["en"]),
        Event(id="ev-reopen", title=reopening[0].title, date="2024-04-12", place="Port Alvane",
              entities=[MAYOR.id, CITY.id], members=[EventMember(reopening[0].id, "origin")],
              outlets=["Harbour Herald"], languages=["en"]),
    ]
    store.save_events(events)
    store.save_storylines([Storyline(id="st-bridge", title="Tamsin bridge",
                                     events=["ev-bridge", "ev-reopen"], entities=[MAYOR.id])])
    store.close()
    return {"bridge": [a.id for a in bridge], "reopening": [a.id for a in reopening]}


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A fresh store of `build_store`'s articles, one per test (for tests that write to it or
    serve it with their own settings)."""
    path = tmp_path / "store.db"
    build_store(path)
    return path


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    folder = tmp_path_factory.mktemp("served")
    db = folder / "api.db"
    ids = build_store(db)
    port = free_port()
    process = start_server(str(db), port)
    yield {"url": f"http://127.0.0.1:{port}", "ids": ids, "db": db}
    stop_process(process)
