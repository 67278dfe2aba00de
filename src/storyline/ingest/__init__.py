"""Readers: turn files, folders and stdin into `RawDocument`s (or `ReadFailure`s)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from storyline.model import RawDocument, ReadFailure


def iter_sources(paths: Iterable[str]) -> Iterator[str]:
    """Expand folders recursively (sorted, so runs are reproducible); '-' means stdin."""
    for path in paths:
        if path != "-" and os.path.isdir(path):
            for root, dirs, files in os.walk(path):
                dirs.sort()
                for name in sorted(files):
                    if not name.startswith("."):
                        yield os.path.join(root, name)
        else:
            yield path


def read_path(source: str) -> Iterator[RawDocument | ReadFailure]:
    """Read one file into documents (placeholder: plain text only, replaced by the readers)."""
    try:
        text = Path(source).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        yield ReadFailure(source, str(error))
        return
    yield RawDocument(source=source, text=text, format="text", raw=text)
