"""Gold passages of our own (JSON Lines: text, language, and what a benchmark scores), enriched."""

from __future__ import annotations

import json
from pathlib import Path

from storyline.enrich import enrich_articles
from storyline.model import Article


def enriched_passages(data: Path, file_name: str) -> tuple[list[dict], list[Article]]:
    """The passages of `data` (a file, or a folder holding `file_name`) and each one enriched."""
    path = data / file_name if data.is_dir() else data
    passages = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    articles = enrich_articles([
        Article(id=f"p{n}", source=str(path), title="", text=p["text"], language=p["language"])
        for n, p in enumerate(passages)
    ])
    return passages, articles
