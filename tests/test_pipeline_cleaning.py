"""What cleaning lets through: text that is too short to be an article fails with its reason."""

from __future__ import annotations

import json
from pathlib import Path

from storyline import settings
from storyline.pipeline import clean_path

RECORDS = {
    "cut-off page": "Dock w",
    "greeting": "Hello",
    "boilerplate only": "Advertisement",
    "wire brief": "A fine record.",
    "chinese brief": "市议会周一批准了新的预算。",
}


def test_trivially_short_texts_fail_and_short_briefs_pass(tmp_path: Path) -> None:
    path = tmp_path / "records.jsonl"
    path.write_text("".join(
        json.dumps({"title": title, "text": text}, ensure_ascii=False) + "\n"
        for title, text in RECORDS.items()
    ))
    articles, failures = clean_path(str(path))
    assert sorted(article.title for article in articles) == ["chinese brief", "wire brief"]
    too_short = ("article text too short after cleaning: {} letters or digits, fewer than "
                 f"[ingest] min_article_letters ({settings.MIN_ARTICLE_LETTERS})")
    assert {failure.source: failure.reason for failure in failures} == {
        f"{path}#1": too_short.format(5),
        f"{path}#2": too_short.format(5),
        f"{path}#3": "no article text left after cleaning",
    }
