"""Timeline17's CNN and Washington Post pages carry reader comments; none may survive cleaning
(shared data)."""

from __future__ import annotations

import re

import pytest

from storyline.clean import build_article
from storyline.ingest import read_bytes
from storyline.model import RawDocument
from tests.conftest import shared_data_path

# The stamp every comment carries: "January 29, 2011 at 5:38 pm | Report abuse | …",
# "<Month D , YYYY> at <h:mm> pm | <Name> : <comment>", "<user> | <Month D , YYYY> <h:mm> AM |
# Report abuse <comment> …".
_STAMP = re.compile(r"\d{1,2}:\d{2}\s*[ap]m\s*\|", re.IGNORECASE)
# Blog threads open each comment with its date and time, no pipe: "<Month Dth , YYYY> <h:mm> pm
# ET <comment> …".
_HEADING_STAMP = re.compile(
    r"^[A-Z][a-z]+ \d{1,2}(?:st|nd|rd|th)? , \d{4} \d{1,2}:\d{2} [ap]m ET ", re.MULTILINE
)


@pytest.mark.slow
@pytest.mark.parametrize(
    "topic",
    ["EgyptianProtest_cnn", "LibyaWar_cnn", "Finan_washingtonpost", "bpoil_washingtonpost"],
)
def test_no_reader_comment_survives(topic: str) -> None:
    folder = shared_data_path("timeline17") / topic / "InputDocs"
    with_comments = 0
    for path in sorted(folder.glob("*/*.txt")):
        raw = path.read_bytes()
        text = raw.decode("utf-8", "replace")
        if b"Report abuse" not in raw and not (_STAMP.search(text) or _HEADING_STAMP.search(text)):
            continue
        with_comments += 1
        for document in read_bytes(str(path), raw, path.name):
            if not isinstance(document, RawDocument):
                continue
            article = build_article(document)
            kept = [line for line in [article.title, *article.text.split("\n\n")]
                    if _STAMP.search(line) or "Report abuse" in line
                    or _HEADING_STAMP.search(line)]
            assert not kept, f"{path}: {kept[0][:120]}"
    assert with_comments >= 10
