"""The tunables of the readers (section `[ingest]` of a pipeline configuration, sub-table
`[ingest.html]`): bounds on untrusted input and how a web page's article is extracted.

Defaults come from `settings.py` (which says why each value), read once when the classes are
defined; `read_path` and `read_bytes` take the instance and hand it to the readers that use it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from storyline import settings
from storyline.config import check_fields


@dataclass(frozen=True)
class HtmlConfig:
    """Article extraction from a web page (`storyline.ingest.html`)."""

    max_bytes: int = settings.HTML_MAX_BYTES
    charset_sniff_bytes: int = settings.HTML_CHARSET_SNIFF_BYTES
    fallback_min_chars: int = settings.HTML_FALLBACK_MIN_CHARS
    fallback_ratio: float = settings.HTML_FALLBACK_RATIO
    boilerplate_max_words: int = settings.HTML_BOILERPLATE_MAX_WORDS
    trailer_lines: int = settings.HTML_TRAILER_LINES
    headline_max_words: int = settings.HTML_HEADLINE_MAX_WORDS
    headline_title_overlap: float = settings.HTML_HEADLINE_TITLE_OVERLAP

    def __post_init__(self) -> None:
        check_fields(self, shares=("headline_title_overlap",))
        if self.fallback_ratio < 0:
            raise ValueError("fallback_ratio must not be negative")


@dataclass(frozen=True)
class IngestConfig:
    """What a reader takes in (file size, records per file, the text and raw input kept) and
    the least text an ingested article has."""

    max_file_bytes: int = settings.MAX_FILE_BYTES
    max_records_per_file: int = settings.MAX_RECORDS_PER_FILE
    max_article_chars: int = settings.MAX_ARTICLE_CHARS
    max_raw_chars: int = settings.MAX_RAW_CHARS
    # A cleaned article with fewer letters or digits is refused as junk (`storyline.pipeline`).
    min_article_letters: int = settings.MIN_ARTICLE_LETTERS
    html: HtmlConfig = field(default_factory=HtmlConfig)

    def __post_init__(self) -> None:
        check_fields(self)
        if self.max_records_per_file < 1:
            raise ValueError("max_records_per_file must be at least 1")
