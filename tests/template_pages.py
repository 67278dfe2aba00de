"""Small folders of pages written for the template-learning tests (no shared data).

One site prints a promo line above and a publisher footer below every story; two of its stories
quote the same real sentence. A wire story comes in six updates that repeat their body.
"""

from __future__ import annotations

from pathlib import Path

PROMO = "Get the Gazette app and read every local story on your phone, free for a month"
FOOTER = (
    "The Harbour Gazette is published by Lighthouse Media, an independent company owned by "
    "its readers since 1921."
)
SHARED_QUOTE = (
    '"We will not let the harbour towns be forgotten," the county governor told the assembly.'
)
WIRE_QUOTE = '"The dam held through the night and nobody was hurt," the river authority said.'

_STORIES = [
    ("Brindlemoor", "library", "reopened its library after a long renovation of the reading rooms"),
    ("Caskwell", "bridge", "closed the old stone bridge after engineers found cracks in two arches"),
    ("Dunmarrow", "market", "moved the weekly farmers market to the harbour square for the summer"),
    ("Elderfen", "school", "hired four new teachers for the primary school on the hill road"),
    ("Farrowgate", "ferry", "added an evening ferry crossing to the islands on weekdays"),
    ("Glimmerholt", "festival", "announced a music festival in the castle gardens in late August"),
    ("Hollowmere", "clinic", "opened a night clinic staffed by volunteer nurses and two doctors"),
]
SITE_PAGES = len(_STORIES)


def site_headline(number: int) -> str:
    town, topic, _ = _STORIES[number]
    return f"{town} council {topic} plan divides residents"


def write_site_pages(folder: Path, numbers: range | list[int]) -> None:
    """Pages `numbers` (0 to SITE_PAGES - 1) of the Harbour Gazette; pages 0 and 1 carry
    SHARED_QUOTE."""
    folder.mkdir(parents=True, exist_ok=True)
    for number in numbers:
        lines = [PROMO, site_headline(number), *_story_body(number), FOOTER]
        (folder / f"page-{number}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def site_records(site: str, footer: str, numbers: range | list[int]) -> list[dict[str, str]]:
    """JSON records of stories `numbers` published on `site` (a domain), each with `footer`."""
    return [
        {"title": site_headline(number), "url": f"https://{site}/news/{number}",
         "text": "\n".join([*_story_body(number), footer])}
        for number in numbers
    ]


def _story_body(number: int) -> list[str]:
    town, topic, what = _STORIES[number]
    body = [
        f"The council of {town} {what}, officials said on Tuesday.",
        (f"Residents of {town} told reporters that the {topic} decision had been discussed "
        "at length in the parish hall over several weeks."),
        (f"The mayor of {town} said the cost of the {topic} plan would be shared between the "
        "county and the town budget."),
        (f"Opponents of the {topic} plan in {town} said they would collect signatures for a "
        "referendum before the autumn."),
    ]
    if number < 2:
        body.insert(2, SHARED_QUOTE)
    return body


def write_wire_updates(folder: Path, count: int = 6) -> None:
    """`count` updates of one wire story: each adds a lead, the body repeats (WIRE_QUOTE)."""
    folder.mkdir(parents=True, exist_ok=True)
    body = [
        WIRE_QUOTE,
        ("Engineers inspected the concrete wall of the Marrowby dam at dawn and found only "
        "surface damage from the floating debris."),
        ("About two thousand people living downstream had been told to leave their homes on "
        "Sunday evening as the water rose."),
        "The regional rail line along the valley stays closed until the tracks are checked.",
    ]
    hours = ["six", "seven", "eight", "nine", "ten", "eleven", "noon"]
    for number in range(count):
        lead = (
            f"Water levels behind the Marrowby dam fell again by {hours[number]} o'clock on "
            f"Monday, update {number + 1} of the river authority reported."
        )
        lines = [f"Marrowby dam holds after flood night (update {number + 1})", lead, *body]
        (folder / f"update-{number}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
