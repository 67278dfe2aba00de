"""Hand-built articles and events (our own invented sentences) for summarize tests.

Sentences, entities, dates and quotes are filled by hand so these tests do not depend on the
enrich or events stages.
"""

from __future__ import annotations

from storyline.model import Article, DateMention, Entity, Event, EventMember, Quote, Sentence

GENEVA = Entity("geo:geneva", "Geneva", "place", ["Geneva", "Genève", "Ginebra"], 0.6, 2)
OPCW = Entity("org:opcw", "OPCW", "organization", ["OPCW", "OIAC", "OPAQ"], 0.5, 1)
VARGA = Entity("per:lena-varga", "Lena Varga", "person", ["Lena Varga", "L. Varga", "Varga"], 0.9, 3)
KREMLIN = Entity("org:kremlin", "Kremlin", "organization", ["Kremlin"], 0.3, 1)


def make_article(
    article_id: str,
    outlet: str,
    language: str,
    published: str,
    sentences: list[str],
    title: str = "",
    entities: list[Entity] | None = None,
    dates: list[tuple[int, str]] | None = None,
    quotes: list[Quote] | None = None,
) -> Article:
    """An article whose text is `sentences` joined by spaces, offsets filled."""
    spans, offset = [], 0
    for text in sentences:
        spans.append(Sentence(text, offset, offset + len(text)))
        offset += len(text) + 1
    return Article(
        id=article_id,
        source=f"test/{article_id}.txt",
        title=title or sentences[0][:60],
        text=" ".join(sentences),
        outlet=outlet,
        published=published,
        language=language,
        sentences=spans,
        entities=list(entities or []),
        dates=[
            DateMention(value, value, "day", index, spans[index].start)
            for index, value in (dates or [])
        ],
        quotes=list(quotes or []),
    )


def brief_articles() -> list[Article]:
    """One event told by an origin, its copy, and independent French and Spanish reports."""
    origin_sentences = [
        ("Negotiators from both delegations agreed to attend the peace conference in Geneva on "
        "22 January."),
        ("The chemical disarmament programme will be completed by the end of June 2014, the OPCW "
        "said."),
        "The harbour authority reported that cargo ships were waiting outside the northern port.",
        ("Minister Lena Varga told reporters that her government was ready to talk without "
        "conditions."),
    ]
    origin = make_article(
        "a-origin", "Daily Ledger", "en", "2024-01-10T09:00:00",
        origin_sentences, title="Delegations agree to Geneva peace conference",
        entities=[GENEVA, OPCW, VARGA],
        quotes=[Quote("We are ready to talk without conditions", "Lena Varga", VARGA.id, "said", 3)],
    )
    copy = make_article(
        "a-copy", "Wire Mirror", "en", "2024-01-10T11:00:00",
        [*origin_sentences, "Subscribe to our newsletter for more headlines every morning."],
        title="Delegations agree to Geneva peace conference",
        entities=[GENEVA, OPCW, VARGA],
        quotes=[Quote("We are ready to talk without conditions", "Lena Varga", VARGA.id, "said", 3)],
    )
    french = make_article(
        "a-french", "Le Quotidien", "fr", "2024-01-10T12:00:00",
        [
            ("Les négociateurs des deux délégations ont accepté de participer à la conférence "
            "de paix à Genève le 22 janvier."),
            "Le programme de désarmement chimique sera achevé d'ici fin juin 2014, selon l'OIAC.",
            ("Un porte-parole du Kremlin a déclaré que Moscou soutenait pleinement ce processus "
            "diplomatique."),
        ],
        title="Accord pour une conférence de paix à Genève",
        entities=[GENEVA, OPCW, KREMLIN],
        quotes=[Quote("Moscou soutient pleinement ce processus", "porte-parole du Kremlin",
                      KREMLIN.id, "a déclaré", 2)],
    )
    spanish = make_article(
        "a-spanish", "El Diario", "es", "2024-01-10T15:00:00",
        [
            ("Los negociadores de ambas delegaciones aceptaron asistir a la conferencia de paz en "
            "Ginebra el 22 de enero."),
            "Un enviado especial comentó que las conversaciones serán largas y muy difíciles.",
        ],
        title="Acuerdo para la conferencia de paz en Ginebra",
        entities=[GENEVA],
    )
    return [origin, copy, french, spanish]


def brief_event() -> Event:
    return Event(
        id="evt-geneva",
        title="Delegations agree to Geneva peace conference",
        date="2024-01-10",
        place="Geneva",
        entities=[GENEVA.id, VARGA.id],
        members=[
            EventMember("a-origin", "origin"),
            EventMember("a-copy", "copy", copy_of="a-origin"),
            EventMember("a-french", "independent"),
            EventMember("a-spanish", "independent"),
        ],
        outlets=["Daily Ledger", "El Diario", "Le Quotidien", "Wire Mirror"],
        languages=["en", "es", "fr"],
    )


def timeline_articles() -> list[Article]:
    """A small story about Lena Varga's harbour reform, in English and Spanish, plus noise."""
    return [
        make_article(
            "t1", "Daily Ledger", "en", "2024-03-01",
            [
                "Minister Lena Varga announced a sweeping reform of the northern harbour today.",
                "The reform would cut loading fees for small fishing crews by a third.",
            ],
            entities=[VARGA], dates=[(0, "2024-03-01")],
        ),
        make_article(
            "t2", "Harbour Weekly", "en", "2024-03-02",
            [
                "Varga presented the harbour reform to union leaders on 1 March in the capital.",
                "Union leaders said they needed more time to study the harbour proposal.",
            ],
            entities=[VARGA], dates=[(0, "2024-03-01")],
        ),
        make_article(
            "t3", "Daily Ledger", "en", "2024-03-10",
            [
                "Parliament approved the harbour reform of Lena Varga by a wide margin today.",
                "Opposition members walked out before the final vote on the harbour bill.",
            ],
            entities=[VARGA], dates=[(0, "2024-03-10"), (1, "2024-03-10")],
        ),
        make_article(
            "t4", "El Diario", "es", "2024-03-11",
            [
                "El parlamento aprobó el 10 de marzo la reforma portuaria de la ministra Varga.",
                "La ministra Varga celebró el resultado con los pescadores del puerto norte.",
            ],
            entities=[VARGA], dates=[(0, "2024-03-10")],
        ),
        make_article(
            "t5", "Harbour Weekly", "en", "2024-03-12",
            [
                "Looking back, Varga said the vote on 10 March changed the harbour for good.",
                "Fishing crews reported lower fees in the first week after the reform vote.",
            ],
            entities=[VARGA], dates=[(0, "2024-03-10")],
        ),
        make_article(
            "t6", "Weather Desk", "en", "2024-03-05",
            [
                "Heavy rain is expected across the southern valleys during the weekend ahead.",
                "Farmers were advised to protect young crops from the cold night air.",
            ],
            dates=[(0, "2024-03-05")],
        ),
    ]
