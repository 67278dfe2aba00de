"""Cleaning: boilerplate removal and title/outlet/byline/dateline/date detection.

`clean_text` cleans flattened text; `build_article` turns a reader's RawDocument into an Article.
"""

from __future__ import annotations

from storyline.clean.article import build_article, outlet_from_url
from storyline.clean.cleaner import CleanResult, clean_text

__all__ = ["CleanResult", "build_article", "clean_text", "outlet_from_url"]
