"""The tunables of the built-in cleaner (`storyline.clean.cleaner`, `storyline.clean.article`).

Defaults come from `settings.py` (which says why each value), read once when the class is
defined; a pipeline configuration's `[cleaner]` table overrides them one by one, and the cleaner
gets the instance passed in.
"""

from __future__ import annotations

from dataclasses import dataclass

from storyline import settings
from storyline.config import check_fields


@dataclass(frozen=True)
class CleanerConfig:
    """How much of a text the cleaner reads and the size limits of its line rules."""

    # Bounds of untrusted input and of what an article keeps.
    max_input_chars: int = settings.CLEAN_MAX_INPUT_CHARS
    max_article_chars: int = settings.MAX_ARTICLE_CHARS
    max_raw_chars: int = settings.MAX_RAW_CHARS
    language_sample_chars: int = settings.CLEAN_LANGUAGE_SAMPLE_CHARS
    script_sample_chars: int = settings.CLEAN_SCRIPT_SAMPLE_CHARS
    # What reads as a story paragraph.
    story_min_words: int = settings.CLEAN_STORY_MIN_WORDS
    story_min_chars: int = settings.CLEAN_STORY_MIN_CHARS
    story_min_stopword_ratio: float = settings.CLEAN_STORY_MIN_STOPWORD_RATIO
    # Line rules.
    short_line_words: int = settings.CLEAN_SHORT_LINE_WORDS
    form_line_words: int = settings.CLEAN_FORM_LINE_WORDS
    notice_max_words: int = settings.CLEAN_NOTICE_MAX_WORDS
    trailer_max_words: int = settings.CLEAN_TRAILER_MAX_WORDS
    caption_max_words: int = settings.CLEAN_CAPTION_MAX_WORDS
    credit_max_words: int = settings.CLEAN_CREDIT_MAX_WORDS
    credit_tail_chars: int = settings.CLEAN_CREDIT_TAIL_CHARS
    foreign_script_share: float = settings.CLEAN_FOREIGN_SCRIPT_SHARE
    # Comment threads.
    comment_header_max_words: int = settings.CLEAN_COMMENT_HEADER_MAX_WORDS
    comment_max_gap: int = settings.CLEAN_COMMENT_MAX_GAP
    comment_stamp_min_words: int = settings.CLEAN_COMMENT_STAMP_MIN_WORDS
    # Header fields: title, printed date, byline, masthead.
    header_lines: int = settings.CLEAN_HEADER_LINES
    date_line_words: int = settings.CLEAN_DATE_LINE_WORDS
    byline_max_words: int = settings.CLEAN_BYLINE_MAX_WORDS
    title_max_chars: int = settings.CLEAN_TITLE_MAX_CHARS
    title_min_words: int = settings.CLEAN_TITLE_MIN_WORDS
    masthead_lines: int = settings.CLEAN_MASTHEAD_LINES
    # Repeats, link lists and labels.
    repeat_window: int = settings.CLEAN_REPEAT_WINDOW
    link_list_min_lines: int = settings.CLEAN_LINK_LIST_MIN_LINES
    label_title_ratio: float = settings.CLEAN_LABEL_TITLE_RATIO
    # The line model and the fallback when nothing is left.
    model_min_lines: int = settings.CLEAN_MODEL_MIN_LINES
    lead_max_distance: int = settings.CLEAN_LEAD_MAX_DISTANCE
    model_list_cut: float = settings.CLEAN_MODEL_LIST_CUT
    fallback_share: float = settings.CLEAN_FALLBACK_SHARE

    def __post_init__(self) -> None:
        check_fields(self, shares=("story_min_stopword_ratio", "model_list_cut",
                                   "fallback_share", "foreign_script_share",
                                   "label_title_ratio"))
