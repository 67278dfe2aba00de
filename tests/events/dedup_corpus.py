"""Hand-written articles for the events tests (no shared data): a wire story, its near-copy,
a trimmed copy and unrelated reports."""

from __future__ import annotations

from storyline.model import Article, Entity

WIRE_TEXT = (
    "Officials in the river port of Velmora said on Tuesday that the new suspension bridge "
    "would open to traffic next spring after engineers finished load tests on the main span.\n\n"
    "The regional transport minister, Ilse Carrow, told reporters that the project had stayed "
    "within its budget of 240 million crowns despite a wet summer that slowed concrete work.\n\n"
    '"We promised the people of the valley a crossing that would last a century, and the tests '
    'show we have kept that promise," Carrow said at a briefing beside the eastern tower.\n\n'
    "Ferry operators, who have carried commuters across the river for decades, said they expected "
    "to lose most of their passengers but would keep a reduced summer timetable for tourists.\n\n"
    "The bridge is the longest of its kind in the region and was designed to withstand floods "
    "like the one that swept away the old wooden crossing eleven years ago."
)

COPY_EXTRA = (
    "\n\nLocal shop owners on both banks said they hoped the crossing would bring more visitors "
    "to the old market quarter, which has struggled since the ferry fares rose last year."
)

UNRELATED_TEXTS = [
    (
        "Orchard growers report record cherry harvest",
        (
            "Growers in the hill farms above Tassin picked more cherries this June than in any year "
            "since records began, helped by a mild spring without late frost. Cooperative managers "
            "said prices had fallen as a result, and that some fruit would go to juice presses "
            "rather than markets. Pickers from neighbouring towns were hired for an extra week."
        ),
    ),
    (
        "Chess club wins national team title",
        (
            "The Oberlin Street chess club won the national team championship on Sunday after a "
            "tense final round in which its youngest player, aged fourteen, held a difficult endgame "
            "for a draw. The club captain said the squad had trained twice a week in the library "
            "basement and thanked the volunteers who drove players to tournaments all season."
        ),
    ),
]


def article(
    article_id: str,
    text: str,
    title: str = "",
    published: str | None = None,
    entities: list[Entity] | None = None,
    **fields: object,
) -> Article:
    return Article(
        id=article_id,
        source=f"{article_id}.txt",
        title=title,
        text=text,
        published=published,
        entities=entities or [],
        **fields,  # type: ignore[arg-type]
    )


def wire_story() -> Article:
    return article(
        "wire", WIRE_TEXT, "Velmora bridge to open next spring", "2024-03-05T09:00:00+00:00"
    )


def near_copy() -> Article:
    """Same story, another headline, one extra paragraph, published later."""
    return article(
        "copy",
        WIRE_TEXT + COPY_EXTRA,
        "New river crossing passes its load tests",
        "2024-03-05T11:30:00+00:00",
    )


def trimmed_copy() -> Article:
    """The first three paragraphs only, published later still."""
    return article(
        "trim",
        "\n\n".join(WIRE_TEXT.split("\n\n")[:3]),
        "Bridge opening set for spring",
        "2024-03-06T08:00:00+00:00",
    )


def unrelated() -> list[Article]:
    return [
        article(f"other{i}", text, title, f"2024-03-0{5 + i}T10:00:00+00:00")
        for i, (title, text) in enumerate(UNRELATED_TEXTS)
    ]
