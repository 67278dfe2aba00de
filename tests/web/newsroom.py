"""A fictional newsroom store, written for these tests, big enough to page, filter and scroll.

Every name and sentence is invented. What it holds, so tests can count exactly:
- DATED_EVENTS dated events, one a day from 2026-01-01, languages cycling en/fr/de, outlets
  cycling through OUTLETS; every third one has a single article.
- UNDATED_EVENTS undated events (the first has a single article).
- One event whose articles name no outlet, the second a copy of the first.
- The big harbour-strike event: BIG_EVENT_SIZE articles from as many outlets, each with shared
  claims (corroborated), a claim of its own (single-source) and quotes by three speakers; one
  report counts the strikers differently (a conflict).
- STORYLINES storylines and more than one page of entities.
- Vectors of every article by the default encoder.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np

from storyline.embed import embed_articles, get_encoder
from storyline.events.ann import StoredVectorIndex
from storyline.model import Article, Entity, Event, EventMember, Quote, Storyline
from storyline.store import Store
from tests.api.conftest import make_article

OUTLETS = ["Harbour Herald", "Coast Daily", "Le Phare", "Nordblatt", "Valley Times", "Ridge Post"]
LANGUAGES = ["en", "fr", "de"]
TOWNS = ["Port Alvane", "Tessaly", "Brindlemoor", "Ostwick", "Marrow Bay", "Kelder"]
DATED_EVENTS = 45
UNDATED_EVENTS = 3
BIG_EVENT_SIZE = 16
STORYLINES = 24
EXTRA_ENTITIES = 60
FIRST_DAY = dt.date(2026, 1, 1)
BIG_EVENT_ID = "ev-harbour-strike"
NO_OUTLET_EVENT_ID = "ev-no-outlet"

SHARED_CLAIMS = [
    "Dock workers in Port Alvane stopped work at dawn on Monday over night-shift pay.",
    "The strike closed all four container berths of the harbour.",
    "The Port Alvane harbour authority said talks would resume on Wednesday.",
    "About 900 workers joined the walkout, the union said.",
    "Ferries to the islands kept running under an emergency rota.",
    "Lorries queued for six kilometres on the coast road outside the harbour.",
    "The union wants night shifts paid at one and a half times the day rate.",
    "Fishing boats were allowed to land their catch at the old quay.",
    "The harbour master warned that perishable cargo would spoil within two days.",
    "Shops in the old town reported empty shelves of fresh fruit by the evening.",
    "A mediator from the labour ministry arrived in Port Alvane late on Monday.",
    "The last strike at the harbour, in 2019, lasted eleven days.",
]
# This big-event report gives another figure for one shared claim: a conflict.
CONFLICTING_REPORT = 1
CONFLICTING_FIGURE = "1,400"
# One detail only one outlet reports, per big-event article.
OWN_DETAILS = [
    "A brass band from the shipyard played outside the union office until midnight.",
    "Two cranes were left with containers hanging above the water.",
    "Schoolchildren brought soup to the pickets at the northern gate.",
    "The bakery on Quay Street sold out of bread before nine o'clock.",
    "A cruise liner waited at anchor beyond the lighthouse all afternoon.",
    "Police closed the swing bridge to cars for three hours.",
    "The harbour cafe offered free coffee to anyone wearing a union badge.",
    "An orange cat slept on the roof of the customs hut throughout the protest.",
    "Volunteers painted banners in the old fish market hall.",
    "Tourists photographed the silent cranes from the castle walls.",
    "A retired docker handed out leaflets describing the strike of 1987.",
    "The regional radio station broadcast live from the picket line.",
    "Insurance brokers in the capital raised premiums for cargo bound to the port.",
    "Rain fell briefly at four, and the pickets sheltered under a tarpaulin.",
    "The mayor's office postponed a ribbon-cutting at the new marina.",
    "A freight train stood empty in the sidings behind warehouse seven.",
]
SPEAKERS = ["Mira Holt", "Tomas Reyl", "Ana Voss", "Ivo Brandt", "Lena Kaar", "Pavel Orm"]
QUOTES = [
    "We will stay out until the night shift is paid fairly",
    "Nobody wants the fruit to rot on the quay",
    "The offer on the table insults every family in this town",
    "Our door is open and the coffee is hot",
    "The islands must not pay for a quarrel on the mainland",
    "I have worked nights for thirty years and never seen a raise",
    "Mediation is the only sensible road from here",
    "Every lorry in that queue costs a farmer money",
]


def town_entity(town: str) -> Entity:
    slug = town.lower().replace(" ", "-")
    return Entity(id=f"place:{slug}", name=town, type="place", aliases=[town], salience=0.5,
                  mentions=1)


def person_entity(name: str) -> Entity:
    return Entity(id="person:" + name.lower().replace(" ", "-"), name=name, type="person",
                  aliases=[name], salience=0.8, mentions=2)


def small_story(number: int, copy: int, town: str, outlet: str | None, language: str,
                published: str | None, extra: list[Entity]) -> Article:
    text = (
        f"The council of {town} approved works plan number {number} on its agenda. "
        f"Report {copy} from {outlet or 'an unnamed site'} says the plan costs "
        f"{number * 1000 + 300} crowns. Work on item {number} starts within {number % 9 + 2} "
        "weeks."
    )
    article = make_article(f"{town} council backs works plan {number}", text, outlet or "",
                           published or "", language, [town_entity(town), *extra])
    article.outlet = outlet
    article.published = published
    article.source = f"newsroom/story-{number}-{copy}.txt"
    return article


def big_story(number: int) -> Article:
    outlet = f"Harbour Wire {number:02d}"
    claims = [SHARED_CLAIMS[(number + k) % len(SHARED_CLAIMS)] for k in range(7)]
    if number == CONFLICTING_REPORT:  # one outlet counts the strikers differently
        claims = [c.replace("About 900", f"About {CONFLICTING_FIGURE}") for c in claims]
    own = OWN_DETAILS[number % len(OWN_DETAILS)]
    speaker = SPEAKERS[number % len(SPEAKERS)]
    quote = QUOTES[number % len(QUOTES)]
    text = " ".join([*claims, own, f'"{quote}," said {speaker}.'])
    article = make_article(f"Harbour strike stops Port Alvane docks ({outlet})", text, outlet,
                           "2026-02-10", "en", [town_entity("Port Alvane"),
                                                person_entity(speaker)])
    article.quotes = [Quote(text=quote, speaker=speaker, speaker_id=person_entity(speaker).id)]
    article.source = (f"/srv/archive/harbour-wire-syndication-feed/2026/02/10/collected/"
                      f"strike-coverage-report-number-{number:02d}-full-text-version.txt")
    return article


def build_newsroom(path: Path) -> dict[str, object]:
    """Write the store at `path`; returns what tests count against."""
    store = Store(path)
    events: list[Event] = []
    stored = 0
    extra_people = [person_entity(f"Councillor Number{n}") for n in range(EXTRA_ENTITIES)]
    for number in range(DATED_EVENTS + UNDATED_EVENTS):
        dated = number < DATED_EVENTS
        day = (FIRST_DAY + dt.timedelta(days=number)).isoformat() if dated else None
        size = 1 if number % 3 == 0 else 2 + number % 3
        language = LANGUAGES[number // 2 % len(LANGUAGES)]
        town = TOWNS[number % len(TOWNS)]
        outlets = [OUTLETS[(number + k) % len(OUTLETS)] for k in range(size)]
        people = [extra_people[number % EXTRA_ENTITIES], extra_people[(number + 7) % EXTRA_ENTITIES]]
        articles = [small_story(number, k, town, outlets[k], language, day, people)
                    for k in range(size)]
        for article in articles:
            stored += store.add_article(article)
        events.append(Event(
            id=f"ev-{number:03d}", title=articles[0].title, date=day, place=town,
            entities=[town_entity(town).id, *(p.id for p in people)],
            members=[EventMember(a.id, "origin" if k == 0 else "independent")
                     for k, a in enumerate(articles)],
            outlets=sorted(set(outlets)), languages=[language],
        ))
    no_outlet = [small_story(900, k, "Kelder", None, "en", "2026-03-20", []) for k in range(2)]
    big = [big_story(n) for n in range(BIG_EVENT_SIZE)]
    for article in no_outlet + big:
        stored += store.add_article(article)
    events.append(Event(
        id=NO_OUTLET_EVENT_ID, title=no_outlet[0].title, date="2026-03-20", place=None,
        entities=[town_entity("Kelder").id],
        members=[EventMember(no_outlet[0].id, "origin"),
                 EventMember(no_outlet[1].id, "copy", copy_of=no_outlet[0].id)],
        outlets=[], languages=[],
    ))
    events.append(Event(
        id=BIG_EVENT_ID, title="Harbour strike stops Port Alvane docks", date="2026-02-10",
        place="place:port-alvane",
        entities=["place:port-alvane", *(person_entity(s).id for s in SPEAKERS)],
        members=[EventMember(a.id, "origin" if n == 0 else "independent")
                 for n, a in enumerate(big)],
        outlets=sorted(a.outlet for a in big if a.outlet), languages=["en"],
    ))
    # Vectors by the default encoder, indexed as the event clusterer indexes them, so semantic
    # search has something to find (or to refuse).
    vectors = embed_articles(store, list(store.iter_articles()), get_encoder())
    index = StoredVectorIndex(store, lambda ids: np.vstack([vectors[i] for i in ids]))
    index.add(list(vectors), np.vstack(list(vectors.values())))
    with store.transaction():
        index.save()
    store.save_events(events)
    store.save_storylines([
        Storyline(id=f"st-{n:02d}", title=f"Works plans of {TOWNS[n % len(TOWNS)]}, part {n}",
                  events=[f"ev-{n:03d}", f"ev-{n + len(TOWNS):03d}"],
                  entities=[town_entity(TOWNS[n % len(TOWNS)]).id])
        for n in range(STORYLINES)
    ])
    store.close()
    return {"events": len(events), "articles": stored}
