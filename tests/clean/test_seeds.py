"""The issue's "Done when" on the five scraped seed articles (skipped when the data is absent).

Assertions use short substrings of the seeds only; no seed text is copied into the repository.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.clean import build_article
from storyline.model import Article, RawDocument

FURNITURE = [
    "narrow-browser-and-phone",
    "landscape-tablet",
    "Follow us on:",
    "Please enter your comment!",
    "Please enter your name",
    "Akismet",
    "Leave a Reply",
    "Your email address will not be published",
    "Editing by",
    "0 : 0",
    "Source: Agencies",
    "REUTERS/",
    "[AP]",
    "Brahimi, in Damascus",
    "Aleppo, November 10",
    ", ,",
    "بالعربية",
    "Comments 6",
    "(Guest)",
    "rusted bullet",
    "sunni shii war",
    "giraff",
    "thats true",
]


def _article(seeds_dir: Path, prefix: str) -> Article:
    (path,) = seeds_dir.glob(f"{prefix}_*.txt")
    text = path.read_text(encoding="utf-8")
    return build_article(RawDocument(source=str(path), text=text, format="text"))


def _first_line(seeds_dir: Path, prefix: str, skip: int = 0) -> str:
    (path,) = seeds_dir.glob(f"{prefix}_*.txt")
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    return [line for line in lines if line][skip]


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_no_furniture_survives(seeds_dir: Path, prefix: str) -> None:
    article = _article(seeds_dir, prefix)
    for furniture in FURNITURE:
        assert furniture not in article.text, furniture
        assert furniture not in article.title, furniture


@pytest.mark.parametrize(
    ("prefix", "skip"), [("000", 0), ("001", 1), ("002", 1), ("003", 0), ("004", 1)]
)
def test_headline_is_the_title(seeds_dir: Path, prefix: str, skip: int) -> None:
    headline = " ".join(_first_line(seeds_dir, prefix, skip).split())
    assert _article(seeds_dir, prefix).title == headline


@pytest.mark.parametrize(
    ("prefix", "story"),
    [
        ("000", ["Russian President Vladimir Putin on Thursday", "Both leaders expressed",
                 "However Moscow worked together", "There were no conversations"]),
        ("001", ["Russian President Vladimir Putin discussed the conflict", "An official statement",
                 "The hope was expressed", "Russia has also accused Assad"]),
        ("002", ["Russian President Vladimir Putin on Thursday", "The hope was expressed",
                 "Assad had denied his government", "went on to say that Putin"]),
        ("003", ["Sochi, Russia Russian President", "The Russian television transmitted",
                 "Putin must meet Friday"]),
        ("004", ["Vladimir Putin and Bashar Assad at a meeting", "Also, the leaders of the two",
                 "VKS Russia participate"]),
    ],
)
def test_story_paragraphs_are_kept(seeds_dir: Path, prefix: str, story: list[str]) -> None:
    text = _article(seeds_dir, prefix).text
    for start in story:
        assert start in text, start


def test_every_long_prose_line_of_the_story_is_kept(seeds_dir: Path) -> None:
    """Recall: each seed line that is neither a comment nor a caption survives in full."""
    for prefix, story_lines in (("000", 12), ("001", 15), ("002", 14), ("003", 13), ("004", 22)):
        article = _article(seeds_dir, prefix)
        assert len(article.paragraphs) == story_lines, prefix


def test_dates_and_outlet(seeds_dir: Path) -> None:
    reuters = _article(seeds_dir, "001")
    assert (reuters.published, reuters.published_source) == ("2013-11-14", "text")
    assert reuters.outlet == "Reuters"
    assert reuters.dateline == "MOSCOW"
    # The dateline is read into the fields and stays the lead's first words.
    assert reuters.text.startswith("MOSCOW (Reuters) - Russian President")
    assert reuters.title.startswith("Putin calls Assad")
    second = _article(seeds_dir, "002")
    assert (second.published, second.published_source) == ("2013-11-14", "text")
    for prefix in ("000", "003", "004"):
        assert _article(seeds_dir, prefix).published is None, prefix


def test_removed_is_auditable(seeds_dir: Path) -> None:
    reasons = {item.reason for item in _article(seeds_dir, "001").removed}
    assert {"css-classes", "caption", "agency-trailer", "counter", "dateline-date"} <= reasons
    assert {item.reason for item in _article(seeds_dir, "000").removed} >= {"comments"}
