"""Every tunable threshold in one place, grouped by stage (as trafilatura's settings.py)."""

from __future__ import annotations

# ingest: files larger than this are refused with a reason instead of read into memory.
MAX_FILE_BYTES = 50 * 1024 * 1024
# ingest: a single article's text is truncated beyond this many characters.
MAX_ARTICLE_CHARS = 200_000
