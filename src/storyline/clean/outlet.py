"""The outlet of an article, from what the page prints about its publisher.

Evidence, most trusted first (metadata and the URL are weighed in `article.py`):

1. the publisher's own marks: a masthead line above the headline ("EL DIARIO | Deportes",
   "THE DAILY POST") and a copyright footer ("© 2026 The Daily Post", "Copyright Name");
2. a dateline agency ("MOSCOW (Reuters) -"): the source of the copy;
3. a trailer naming an agency ("Source: X", "Fuente: X", "Quelle: X", "Avec X").

A wire copy republished under a publisher's masthead is that publisher's article, so the
publisher's marks outrank the agency. Every name is a span of the input, only its
capitalisation normalised; a section name or a headline alone is never taken.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePath
from urllib.parse import urlsplit

from storyline.clean.patterns import AGENCY_DATELINE_RE
from storyline.model import Article

# What a publisher's name looks like where a page prints it: rules of this parser (the cleaner
# and the summaries' source counting read names with the same), not tunables of a run.
# An outlet name printed on the page (masthead, copyright, trailer) is at most this long; an
# agency named by a trailer ("Source: …") has at most CLEAN_TRAILER_AGENCY_MAX_WORDS words.
CLEAN_OUTLET_MAX_CHARS = 60
CLEAN_OUTLET_MAX_WORDS = 6
CLEAN_TRAILER_AGENCY_MAX_WORDS = 4
# A wire dateline ("DAMASCUS (Reuters) -") counts as the agency of the copy only this near the
# top: tokenised corpora run the photo caption and the dateline into one opening paragraph.
CLEAN_WIRE_DATELINE_CHARS = 600
# A masthead names the outlet in 2 to CLEAN_MASTHEAD_MAX_WORDS words (one capitalised word is as
# often a section).
CLEAN_MASTHEAD_MAX_WORDS = 4


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_CONNECTORS = _word_set(
    "the of and a an de del la las le les los du des di da do dos das der die den von vom zu"
    " und et y e el al en i il lo gli o as os het een op"
)
# Words that name a section or a page part, not a publisher. A masthead made only of these
# ("Breaking News", "Latest Stories", "Faits Divers") is a section banner.
_SECTION_WORDS = _word_set(
    """
    news world politics business economy economics markets market money finance companies tech
    technology science health sport sports football culture arts opinion opinions home local
    national international latest breaking top stories live updates video videos photos weather
    lifestyle travel entertainment society region regions europe americas asia africa
    noticias mundo política economía mercados empresas deportes cultura opinión internacional
    nacional tecnología sociedad última hora actualidad portada inicio ciudad
    actualité actualités monde politique économie entreprises sports culture opinions
    international société faits divers régions accueil
    nachrichten welt politik wirtschaft sport kultur meinung ausland inland panorama startseite
    aktuell regional lokales
    notizie mondo politica economia cronaca esteri
    новости мир политика экономика спорт культура
    """
)
# Words of page furniture: a "name" holding one ("My Account", "Privacy Policy", "Site Homepage")
# is a link or a notice, not a publisher.
_PAGE_PARTS = _word_set(
    "account homepage menu navigation search login policy privacy terms cookies contact about"
    " newsletter subscribe subscription rights reserved copyright"
    " cuenta buscar política privacidad compte recherche politique konto suche datenschutz"
)
# A segment separator in a masthead line: "Name | Section", "Name — Section", "Name · Section".
_SEGMENT_RE = re.compile(r"\s+[|·•›»/—–-]\s+|\s{2,}|\t")
_NAME_WORD_RE = re.compile(r"[^\W\d_][\w'’&.\-]*")
# "© 2026 Name", "(c) 2020-2026 Name", "Copyright © 2026 Name Inc.", "© Name 2026".
_COPYRIGHT_RE = re.compile(
    r"^\W*(?:copyright\b\s*(?:©|\(c\))?|©|\(c\))\s*"
    r"(?:\d{4}(?:\s*[-–]\s*\d{2,4})?\s*,?\s*)?(?P<name>[^\W\d_][^.,;|©\d]{0,80}?)"
    r"\s*(?:\d{4}\s*)?(?:[.,;|]|[-–—]\s|$)",
    re.IGNORECASE,
)
# "All rights reserved" and its siblings end a copyright name even without punctuation.
_RIGHTS_RE = re.compile(
    r"\s+(?:all\s+rights|todos\s+los\s+derechos|tous\s+droits|alle\s+rechte|tutti\s+i\s+diritti"
    r"|todos\s+os\s+direitos|все\s+права)\b.*$",
    re.IGNORECASE,
)
_FOOTER_CLAIM_RE = re.compile(
    r"\b(?:1[89]|2\d)\d\d\b|copyright|" + _RIGHTS_RE.pattern.removeprefix(r"\s+"), re.IGNORECASE
)
# "© 2018 Copyright Name", "©All Rights Reserved Name": the claim words before the name.
_LEADING_CLAIM_RE = re.compile(
    r"^(?:copyright\s+|(?:all\s+rights\s+reserved|todos\s+los\s+derechos\s+reservados"
    r"|tous\s+droits\s+réservés|alle\s+rechte\s+vorbehalten)\s*)+",
    re.IGNORECASE,
)
# Legal-form suffixes that are not part of the readable name.
_LEGAL_SUFFIX_RE = re.compile(
    r"(?:[\s,]+(?:inc|ltd|llc|plc|gmbh|ag|s\.?a|s\.?l|sas|srl|limited|corp|co|pvt|pty)\.?)+$",
    re.IGNORECASE,
)
# A trailer naming where the copy came from: "Source: X", "Fuente: X", "Avec X", "With X".
_TRAILER_RE = re.compile(
    r"^\W*(?:(?:source|sources|fuente|fuentes|quelle|fonte|источник|المصدر)\s*:"
    r"|avec|with|con\s+información\s+de|mit\s+material\s+von|по\s+материалам)\s+"
    r"(?P<name>[^\W\d_][^:;()\d]{0,60}?)\W*$",
    re.IGNORECASE,
)
# Generic "agencies" is no outlet.
_GENERIC_SOURCES = _word_set(
    "agencies agency wires wire agencias agencia agências agences agence agenturen agentur"
    " агентства agenzie staff redacción rédaction redaktion"
)


_VOWELS = frozenset("aeiouyàáâäèéêëìíîïòóôöùúûüаеёиоуыэюя")


def _is_acronym(word: str) -> bool:
    """"AP", "BBC", "AFP" but not "SUR", "SUN", "NEW": three letters read as an acronym unless
    they are shaped like a syllable (a vowel in the middle)."""
    letters = [char.casefold() for char in word if char.isalpha()]
    return len(letters) <= 2 or (len(letters) == 3 and letters[1] not in _VOWELS)


def normalize_name(name: str) -> str:
    """Readable capitalisation: "EL OBSERVADOR ECONÓMICO" → "El Observador Económico".

    Only an all-capitals name is changed; short all-capital words that are not connectors stay
    acronyms ("AP", "BBC"). Mixed-case names ("TechPulse", "de Volkskrant") are kept as printed.
    """
    name = " ".join(name.split()).strip(" -–—|:,")
    if any(char.islower() for char in name):
        return name
    words = []
    for position, word in enumerate(name.split()):
        folded = word.casefold()
        if position and folded in _CONNECTORS:
            words.append(folded)
        elif folded not in _CONNECTORS and _is_acronym(word):
            words.append(word)
        else:
            words.append(word[:1] + word[1:].lower())
    return " ".join(words)


_ELISION_RE = re.compile(r"^[^\W\d_]{1,4}['’](?=\w)")


def _capitalised(word: str) -> bool:
    """"Ouest", "l'Ouest", "d'Italia" (an elided article before the capital)."""
    return _ELISION_RE.sub("", word)[:1].isupper()


def _name_words(name: str) -> list[str] | None:
    """The words of a plausible publisher name, or None: capitalised words (connectors
    excepted), at most `CLEAN_OUTLET_MAX_WORDS`, no figures, not a sentence."""
    if not name or len(name) > CLEAN_OUTLET_MAX_CHARS or any(c.isdigit() for c in name):
        return None
    if name.rstrip().endswith((".", "!", "?", ":")) and not name.rstrip().endswith(".com"):
        return None
    words = _NAME_WORD_RE.findall(name)
    if not words or len(words) > CLEAN_OUTLET_MAX_WORDS:
        return None
    if max(sum(char.isalpha() for char in word) for word in words) < 2:
        return None  # "Â Â", "A B": debris, not a name
    if any(word.casefold() in _PAGE_PARTS for word in words):
        return None
    if any(not _capitalised(word) and word.casefold() not in _CONNECTORS for word in words):
        return None
    if not words[0][0].isupper():
        return None
    return words


def _only_sections(words: list[str]) -> bool:
    return all(
        word.casefold() in _SECTION_WORDS or word.casefold() in _CONNECTORS for word in words
    )


def masthead_name(text: str, above_menu: bool = False) -> str | None:
    """The publisher in a masthead line: "NORTHERN POST | World", "Le Journal — Sports",
    "THE DAILY POST", or a short capitalised name right above a menu (`above_menu`).

    A lone name must have at least two words: a single capitalised word before the headline is
    a section ("TECHNOLOGY") as often as a publisher.
    """
    segments = [segment for segment in _SEGMENT_RE.split(text.strip()) if segment.strip()]
    if not segments:
        return None
    name = segments[0].strip()
    words = _name_words(name)
    if not words or not 2 <= len(words) <= CLEAN_MASTHEAD_MAX_WORDS:
        return None
    if _only_sections(words):
        return None
    if name.isupper() or above_menu or _sections_follow(segments[1:]):
        return normalize_name(name)
    return None


def _sections_follow(segments: list[str]) -> bool:
    """"| World", "| Politik | Ausland": short capitalised labels, at least one a known section
    name (a headline split by a dash, "Harbour Deal — What We Know", is not a masthead)."""
    labels = [_NAME_WORD_RE.findall(segment) for segment in segments]
    return (
        bool(labels)
        and all(0 < len(words) <= 2 and all(map(_capitalised, words)) for words in labels)
        and any(word.casefold() in _SECTION_WORDS for words in labels for word in words)
    )


def copyright_name(text: str) -> str | None:
    """The holder in "© 2026 The Daily Post. All rights reserved." / "Copyright Name 2024"."""
    text = text.strip()
    match = _COPYRIGHT_RE.match(text)
    # "© Jane Doe" under a photo credits its photographer; a footer dates or words its claim.
    if not match or not _FOOTER_CLAIM_RE.search(text):
        return None
    name = _LEADING_CLAIM_RE.sub("", match["name"])
    name = _LEGAL_SUFFIX_RE.sub("", _RIGHTS_RE.sub("", name).strip())
    words = _name_words(name)
    if not words or _only_sections(words):
        return None
    return normalize_name(name)


def trailer_agency(text: str) -> str | None:
    """The agency in "Source: Northern Press" / "Fuente: EFE" / "Avec AFP" (not "Agencies")."""
    match = _TRAILER_RE.match(text.strip())
    if not match:
        return None
    name = match["name"].strip()
    words = _name_words(name)
    if not words or all(word.casefold() in _GENERIC_SOURCES for word in words):
        return None
    if len(words) > CLEAN_TRAILER_AGENCY_MAX_WORDS:
        return None
    return normalize_name(name)


def _compact(text: str) -> str:
    return "".join(char for char in text.casefold() if char.isalnum())


def outlet_from_url(url: str | None) -> str | None:
    """"https://www.reuters.com/article/…" → "reuters.com"."""
    if not url:
        return None
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    if not host or "." not in host:
        return None
    return host.removeprefix("www.").removeprefix("m.")


def readable_domain(domain: str, printed: str | None) -> str:
    """The page's printed name when it spells the domain ("varnholmherald.com" and
    "Varnholm Herald"), else the domain: a guessed capitalisation would often be wrong."""
    if printed:
        labels = [_compact(label) for label in domain.split(".")]
        name = _compact(printed)
        without_article = _compact(re.sub(r"^(?:the|el|la|le|les|los|las|il|der|die|das)\s+",
                                          "", printed, flags=re.IGNORECASE))
        if any(label and label in (name, without_article) for label in labels):
            return printed
    return domain


# Agencies that write their own name in lower case: no capitalised-name rule admits them.
_LOWERCASE_AGENCIES = frozenset({"dpa", "apa", "sda"})


def _dateline_agency(match: re.Match[str]) -> str:
    # "KATHMANDU (Reuters Life!) -": a desk's exclamation mark is no part of its name.
    return (match["agency"] or "").strip().rstrip("! ")


def wire_agency(text: str) -> str | None:
    """The agency of a wire dateline in the first `CLEAN_WIRE_DATELINE_CHARS` of the text
    ("<CITY> -LRB- Reuters -RRB- - <story>…" → "Reuters"), or None."""
    for match in AGENCY_DATELINE_RE.finditer(text[: CLEAN_WIRE_DATELINE_CHARS]):
        name = _dateline_agency(match)
        if name in _LOWERCASE_AGENCIES:
            return name
        words = _name_words(name)
        if words and len(words) <= CLEAN_TRAILER_AGENCY_MAX_WORDS and not all(
            word.casefold() in _GENERIC_SOURCES for word in words
        ):
            return normalize_name(name)
    return None


# "Avec AFP", "With Reuters", "con información de EFE": the outlet wrote the report with the
# agency's material (often in another language); it is not a reprint of the agency's copy.
_CONTRIBUTION_RE = re.compile(
    r"^\W*(?:avec|with|con\s+información\s+de|mit\s+material\s+von|по\s+материалам)\s",
    re.IGNORECASE,
)


def wire_dateline_end(text: str) -> int | None:
    """Where the text after a wire dateline near the top starts ("… SANAA -LRB- Reuters -RRB- -
    Yemen 's president" → the offset of "Yemen"), or None without one."""
    for match in AGENCY_DATELINE_RE.finditer(text[: CLEAN_WIRE_DATELINE_CHARS]):
        words = _name_words(_dateline_agency(match))
        if words and len(words) <= CLEAN_TRAILER_AGENCY_MAX_WORDS:
            return match.end()
    return None


def copy_agency(text: str, removed_lines: list[tuple[str, str]]) -> str | None:
    """The agency whose copy an article carries, whatever masthead it is printed under: from
    the dateline or agency trailer ("Source: X", "(AP)") the cleaner removed ((line, reason)
    pairs), else a wire dateline left in the text."""
    for line, reason in removed_lines:
        if reason == "dateline":
            name = wire_agency(line + " ")
        elif reason == "agency-trailer" and not _CONTRIBUTION_RE.match(line):
            bracketed = re.fullmatch(r"[(\[]\s*([^()\[\]]+?)\s*[)\]]", line.strip())
            name = normalize_name(bracketed[1]) if bracketed else trailer_agency(line)
        else:
            continue
        if name:
            return name
    return wire_agency(text)


# Wire agencies under the names they go by (folded), each with the one name its reports count
# under: "The Associated Press" and "AP" are one publisher.
_AGENCY_NAMES = {
    "reuters": "Reuters", "thomson reuters": "Reuters",
    "ap": "AP", "associated press": "AP", "the associated press": "AP",
    "afp": "AFP", "agence france-presse": "AFP", "agence france presse": "AFP",
    "dpa": "dpa", "deutsche presse-agentur": "dpa", "efe": "EFE", "ansa": "ANSA",
    "tass": "TASS", "itar-tass": "TASS", "ria novosti": "RIA Novosti", "interfax": "Interfax",
    "xinhua": "Xinhua", "upi": "UPI", "united press international": "UPI", "pti": "PTI",
    "press trust of india": "PTI", "ians": "IANS", "bloomberg": "Bloomberg",
    "anadolu agency": "Anadolu Agency", "kyodo": "Kyodo", "yonhap": "Yonhap",
}
# Words a desk or service of an agency adds to its name ("Reuters Health", "AP Photo").
_DESK_WORDS = 2
_DROP_MARKS = dict.fromkeys(
    i for i in range(0x300, 0x370) if unicodedata.category(chr(i)) == "Mn"
)


def _folded(name: str) -> str:
    folded = unicodedata.normalize("NFKD", " ".join(name.split()).casefold())
    return folded.translate(_DROP_MARKS)


def agency_of(name: str) -> str | None:
    """The wire agency a name is, or is a desk of ("Reuters Breakingviews", "Reuters Life",
    "The Associated Press" → "Reuters", "Reuters", "AP"); None for any other name."""
    words = _folded(name).split()
    for length in range(len(words), max(len(words) - _DESK_WORDS, 1) - 1, -1):
        agency = _AGENCY_NAMES.get(" ".join(words[:length]))
        if agency:
            return agency
    return None


_NAME = r"(?P<name>[A-Z][\w'’&.\-]*(?:\s+[A-Z][\w'’&.\-]*){0,3})"
_CAPITAL_NAME = r"(?:the\s+)?" + _NAME
# Marks of the copy's producer besides datelines, which reprints keep: the caveat on material it
# could not check ("… could not be independently verified by <agency> …", the same
# caveat in capitals). The active form counts
# for an agency only: "The UN cannot independently verify the toll" is said of others too.
_UNVERIFIED_BY_RE = re.compile(
    r"(?i:(?:not|n't)\s+(?:be(?:en)?\s+)?independently\s+(?:be\s+)?verified\s+by)\s+"
    + _CAPITAL_NAME
)
_CANNOT_VERIFY_RE = re.compile(
    _NAME + r"\s+(?i:(?:can\s*not|could\s+not|is\s+unable\s+to|was\s+unable\s+to)"
    r"\s+independently\s+verify)\b"
)
# Reuters' house credit line: "(Reporting by Jane Doe; Editing by John Roe)". Other agencies
# credit no editor so.
_REUTERS_CREDIT_RE = re.compile(
    r"(?i:\b(?:reporting|writing)\s+by\b[^;()\n]{2,200};\s*(?:[^;()\n]{0,200};\s*)?"
    r"editing\s+by)\b"
)
# Marks of the host publisher: a column's note on its author (a line naming the author a
# columnist of its desk) and the comment policy (the comments' views are not those of <host>).
_COLUMNIST_RE = re.compile(
    r"(?i:\bthe\s+author\s+is\s+an?)\s+" + _CAPITAL_NAME
    + r"\s+(?i:columnist|contributor|correspondent|blogger)\b"
)
_COMMENT_POLICY_RE = re.compile(
    r"(?i:comments?\s+(?:do|does)\s+not\s+(?:necessarily\s+)?(?:represent|reflect)\s+"
    r"(?:those|the\s+views?)\s+of)\s+" + _CAPITAL_NAME
)


def _marked_name(pattern: re.Pattern[str], texts: list[str], agencies_only: bool = False
                 ) -> str | None:
    """The first name `pattern` finds in `texts` that reads as a publisher's (with
    `agencies_only`, the agency the name ends with: "-RRB- REUTERS" → "Reuters")."""
    for text in texts:
        for match in pattern.finditer(text):
            words = match["name"].strip(" .").split()
            if agencies_only:
                agency = next(filter(None, (agency_of(" ".join(words[start:]))
                                            for start in range(len(words)))), None)
                if agency:
                    return agency
            elif _name_words(" ".join(words)):
                return agency_of(" ".join(words)) or normalize_name(" ".join(words))
    return None


def copy_mark(title: str, text: str, removed_lines: list[str]) -> str | None:
    """The agency whose copy a page carries by a mark other than a dateline: its caveat on what
    it could not verify, or its house credit line."""
    texts = [title, text, *removed_lines]
    if any("ndependently" in part or "NDEPENDENTLY" in part for part in texts):
        name = _marked_name(_UNVERIFIED_BY_RE, texts) or _marked_name(
            _CANNOT_VERIFY_RE, texts, agencies_only=True)
        if name:
            return name
    if any(_REUTERS_CREDIT_RE.search(part) for part in texts if "diting by" in part):
        return "Reuters"
    return None


def host_mark(title: str, text: str, removed_lines: list[str]) -> str | None:
    """The publisher hosting a page, named in its column note or comment policy."""
    texts = [title, text, *removed_lines]
    return _marked_name(_COLUMNIST_RE, [t for t in texts if "olumnist" in t or "ontributor" in t
                                        or "orrespondent" in t or "logger" in t]) or (
        _marked_name(_COMMENT_POLICY_RE, [t for t in texts if "omment" in t]))


_FOLDER_WORD_RE = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")


def folder_agency(source: str) -> str | None:
    """The wire agency an input folder is named after, nearest folder first
    (".../SyrianCrisis_reuters/InputDocs/2011-03-15/3.htm.txt" → "Reuters"): the user's own
    label of where a batch of pages came from. Only agencies of two letters or more count: a
    folder named "seeds" or "downloads" names no publisher."""
    for folder in reversed(PurePath(source).parts[:-1]):
        words = [w.casefold() for w in _FOLDER_WORD_RE.findall(folder)]
        for size in (3, 2, 1):
            for start in range(len(words) - size + 1):
                name = " ".join(words[start:start + size])
                if len(name) > 2 and name in _AGENCY_NAMES:
                    return _AGENCY_NAMES[name]
    return None


def source_name(article: Article) -> str | None:
    """Who produced a report's copy, the publisher its independence is judged by: the agency
    it reprints (a dateline, an agency trailer, the agency's verification caveat or credit
    line), else its outlet, else the host named in a column note or comment policy, else the
    agency its input folder is named after."""
    removed = [(item.text, item.reason) for item in article.removed]
    removed_lines = [line for line, _ in removed]
    return (
        # The title too: a page whose dateline is its first line gets it as its title.
        copy_agency(f"{article.title}\n{article.text[:CLEAN_WIRE_DATELINE_CHARS]}", removed)
        or copy_mark(article.title, article.text, removed_lines)
        or article.outlet
        or host_mark(article.title, article.text, removed_lines)
        or folder_agency(article.source)
    )


def source_key(name: str | None) -> str | None:
    """What reports of one source share: its name folded (case and accents do not split it),
    an agency's desks and names under the agency ("Reuters Health", "The Associated Press")."""
    name = (name or "").strip()
    if not name:
        return None
    return "source:" + _folded(agency_of(name) or name)


def publisher_key(article: Article) -> str | None:
    """The key of the publisher a report counts for (`source_key(source_name(article))`), or
    None when nothing names one. Briefs, timelines and the store's event counts all use it."""
    return source_key(source_name(article))
