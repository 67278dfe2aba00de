"""Flattened news pages we write ourselves, with the label of every line known by construction:
training lines for the line model in languages and page shapes the benchmark half lacks.

A page is a story composed from our own sentence templates (English, German, Spanish, French,
Italian; invented places and people) set in the chrome real pages carry around a story, flattened
one block per line as a naive scraper delivers it: menus, consent banners, bylines, captions and
video titles, "read also" teasers between paragraphs, newsletter and app promos, author boxes,
related-article lists with their teaser sentences, tags, share widgets and footers. Much of that
chrome is written as prose on purpose (a consent banner, an author box, a teaser's standfirst are
sentences): what tells it from the story is where it stands and what surrounds it, which is what
the model should learn, not that chrome is short.

Each language's chrome and sentence templates are data: storyline/data/synthetic_languages.toml.
Everything is drawn from a seeded generator: the same seed gives the same pages.
"""

from __future__ import annotations

import random
import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import Any

BODY, CHROME, UNSURE = 1, 0, -1


@dataclass(frozen=True)
class Language:
    code: str
    sites: tuple[str, ...]
    sections: tuple[str, ...]
    utility: tuple[str, ...]
    consent: tuple[str, ...]
    consent_buttons: tuple[str, ...]
    newsletter: tuple[str, ...]
    app: tuple[str, ...]
    author_box: tuple[str, ...]
    related_heads: tuple[str, ...]
    read_also: tuple[str, ...]
    captions: tuple[str, ...]
    video: tuple[str, ...]
    share: tuple[str, ...]
    tags: str
    comments: tuple[str, ...]
    footer: tuple[str, ...]
    bylines: tuple[str, ...]
    dates: tuple[str, ...]
    headlines: tuple[str, ...]
    teasers: tuple[str, ...]
    story: tuple[str, ...]
    quotes: tuple[str, ...]
    short_quotes: tuple[str, ...]
    standfirst: tuple[str, ...]
    months: tuple[str, ...]
    weekdays: tuple[str, ...]
    roles: tuple[str, ...]
    things: tuple[str, ...]


PLACES = ("Varnholm", "Calvera", "Beaumarais", "Ostrania", "Quillon", "Sarvik", "Tolmena",
          "Lindquay", "Aravel", "Montesca", "Brekka", "Vallorne", "Keswitz", "Porto Salvo")
PEOPLE = ("Ida Marrow", "Tomas Ekdal", "Lucia Ferrante", "Jonas Keller", "Amélie Rousseau",
          "Carmen Olivera", "Piet Haverland", "Nora Lindqvist", "Matteo Ricci", "Elena Duarte",
          "Frieda Sommer", "Marc Delorme", "Sofia Brandt", "Aksel Varg", "Rosa Minguez")
AGENCIES = ("Northern Wire", "NWA", "Continental Press", "CPA", "Agencia Sur", "AFN")
ORGANISATIONS = ("Varnholm Transit", "the Calvera electoral board", "Quillon Systems",
                 "the Ostrania central bank", "the Lisse river authority", "Montesca Air")

# The per-language chrome and story templates are data, beside the line model they train.
LANGUAGES_RESOURCE = "synthetic_languages.toml"


def _load_languages() -> tuple[Language, ...]:
    text = resources.files("storyline").joinpath("data", LANGUAGES_RESOURCE).read_text("utf-8")
    languages = []
    for table in tomllib.loads(text)["languages"]:
        fields: dict[str, Any] = {key: tuple(value) if isinstance(value, list) else value
                                  for key, value in table.items()}
        languages.append(Language(**fields))
    return tuple(languages)


LANGUAGES: tuple[Language, ...] = _load_languages()


@dataclass
class SyntheticPage:
    name: str
    lines: list[str]
    labels: list[int]  # BODY, CHROME or UNSURE per line


class _Writer:
    """Fills one page's templates: one place, people and topic per page, so a story reads as one."""

    def __init__(self, language: Language, rng: random.Random) -> None:
        self.language, self.rng = language, rng
        people = rng.sample(PEOPLE, 3)
        self.slots = {
            "place": rng.choice(PLACES), "person": people[0], "person2": people[1],
            "site": rng.choice(language.sites), "agency": rng.choice(AGENCIES),
            "organisation": rng.choice(ORGANISATIONS), "thing": rng.choice(language.things),
            "role": rng.choice(language.roles), "weekday": rng.choice(language.weekdays),
            "month": rng.choice(language.months),
        }

    def fill(self, template: str) -> str:
        rng = self.rng
        values = {
            **self.slots, "number": str(rng.randint(2, 40)), "number2": str(rng.randint(2, 900)),
            "percent": str(rng.randint(3, 60)), "year": str(rng.randint(1950, 2019)),
            "day": str(rng.randint(1, 28)), "month_number": f"{rng.randint(1, 12):02d}",
            "hour": str(rng.randint(6, 23)), "minute": f"{rng.randint(0, 59):02d}",
            "minutes": str(rng.randint(0, 12)), "seconds": f"{rng.randint(0, 59):02d}",
            "count": str(rng.randint(0, 480)),
        }
        if "{headline}" in template:
            values["headline"] = self.headline()
        return template.format(**values)

    def headline(self) -> str:
        """A headline about another place and person than the page's story (a teaser's)."""
        saved = dict(self.slots)
        self.slots.update(place=self.rng.choice(PLACES), person=self.rng.choice(PEOPLE),
                          thing=self.rng.choice(self.language.things))
        text = self.fill(self.rng.choice(self.language.headlines))
        self.slots = saved
        return text


def page(language: Language, index: int, rng: random.Random) -> SyntheticPage:
    """One flattened page: chrome above, the story with chrome between its paragraphs, chrome
    below; each part present or not, long or short, as pages differ."""
    writer = _Writer(language, rng)
    out: list[tuple[str, int]] = []

    def chrome(*lines: str) -> None:
        out.extend((_capitalized(line), CHROME) for line in lines)

    _header(writer, out, chrome)
    _story(writer, out, chrome)
    _tail(writer, chrome)
    return SyntheticPage(f"synthetic-{language.code}-{index:03d}", [t for t, _ in out],
                         [label for _, label in out])


def _header(writer: _Writer, out: list[tuple[str, int]], chrome) -> None:  # type: ignore[no-untyped-def]
    """The title, consent banner, menus, headline, standfirst, byline, date, share widgets and
    a lead picture's caption."""
    language, rng = writer.language, writer.rng
    headline = writer.fill(rng.choice(language.headlines))
    out.append((f"{headline} {rng.choice(('-', '|', '–'))} {writer.slots['site']}", UNSURE))
    if rng.random() < 0.4:
        chrome(*(writer.fill(line) for line in language.consent), *rng.sample(
            language.consent_buttons, 2))
    chrome(writer.slots["site"], *rng.sample(language.utility, rng.randint(1, 4)))
    sections = rng.sample(language.sections, rng.randint(4, len(language.sections)))
    for section in sections:
        chrome(section)
        if rng.random() < 0.15:  # a mega menu: teaser headlines under a section
            chrome(*(writer.headline() for _ in range(rng.randint(2, 4))))
    if rng.random() < 0.5:
        chrome(rng.choice(sections))  # the breadcrumb or section kicker
    out.append((headline, UNSURE))
    if rng.random() < 0.5:
        out.append((writer.fill(rng.choice(language.standfirst)), UNSURE))
    chrome(writer.fill(rng.choice(language.bylines)), writer.fill(rng.choice(language.dates)))
    if rng.random() < 0.4:
        chrome(*rng.sample(language.share, rng.randint(2, 5)))
    if rng.random() < 0.6:
        chrome(writer.fill(rng.choice(language.captions)))


def _story(writer: _Writer, out: list[tuple[str, int]], chrome) -> None:  # type: ignore[no-untyped-def]
    """The story's paragraphs, now and then a teaser, caption, video or promo between two."""
    language, rng = writer.language, writer.rng
    story = rng.sample(language.story, rng.randint(4, len(language.story)))
    story.insert(rng.randrange(len(story)), rng.choice(language.quotes))
    paragraphs: list[str] = []
    while story:
        take = rng.choice((1, 1, 2, 3))
        paragraphs.append(" ".join(_capitalized(writer.fill(s)) for s in story[:take]))
        story = story[take:]
    interruptions = [
        lambda: chrome(writer.fill(rng.choice(language.read_also))),
        lambda: chrome(writer.fill(rng.choice(language.captions))),
        lambda: chrome(*(writer.fill(line) for line in language.video[:1]), writer.fill(
            language.video[-1])),
        lambda: chrome(*language.newsletter[: rng.randint(2, len(language.newsletter))]),
        lambda: chrome(rng.choice(language.app)),
    ]
    if rng.random() < 0.5:  # stories often end on a short quote, a line of its own
        paragraphs.append(writer.fill(rng.choice(language.short_quotes)))
    for number, paragraph in enumerate(paragraphs):
        out.append((paragraph, BODY))
        if 0 < number < len(paragraphs) - 1 and rng.random() < 0.3:
            rng.choice(interruptions)()


def _capitalized(sentence: str) -> str:
    """A line opening on a slot or a weekday ("the Ostrania central bank did not …", "lunes,
    20 de enero") starts upper case: a line starting lower case reads as the continuation of
    the line above, and the cleaner joins the two."""
    return sentence[:1].upper() + sentence[1:]


def _tail(writer: _Writer, chrome) -> None:  # type: ignore[no-untyped-def]
    """Some of tags, share widgets, author box, promos, related lists and comment links, in
    any order, then the footer."""
    language, rng = writer.language, writer.rng
    tail = [
        lambda: chrome(writer.fill(language.tags)),
        lambda: chrome(*rng.sample(language.share, rng.randint(2, 6))),
        lambda: chrome(*(writer.fill(line) for line in language.author_box[: rng.randint(1, 4)])),
        lambda: chrome(*language.newsletter[: rng.randint(1, len(language.newsletter))]),
        lambda: chrome(rng.choice(language.app)),
        lambda: _related(writer, chrome),
        lambda: chrome(*(writer.fill(line) for line in rng.sample(language.comments, 2))),
    ]
    for part in rng.sample(tail, rng.randint(2, len(tail))):
        part()
    if rng.random() < 0.5:
        _related(writer, chrome)
    footer = rng.sample(language.footer, rng.randint(3, len(language.footer)))
    chrome(*(writer.fill(line) for line in footer))


def _related(writer: _Writer, chrome) -> None:  # type: ignore[no-untyped-def]
    """A related-articles list: a heading, then teaser headlines, some with their standfirst
    sentence and a date, as teaser blocks flatten."""
    language, rng = writer.language, writer.rng
    chrome(rng.choice(language.related_heads))
    for _ in range(rng.randint(2, 6)):
        chrome(writer.headline())
        if rng.random() < 0.4:
            chrome(writer.fill(rng.choice(language.teasers)))
        if rng.random() < 0.3:
            chrome(writer.fill(rng.choice(language.dates)))


def pages(count_per_language: int, seed: int) -> list[SyntheticPage]:
    rng = random.Random(seed)
    return [page(language, index, rng) for language in LANGUAGES
            for index in range(count_per_language)]
