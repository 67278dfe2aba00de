"""More training lines for the line model: pages flattened from HTML in other ways, and pages
we write ourselves (`flattenings`, `synthetic`, `train.load_*_pages`)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from storyline.clean import synthetic, train
from storyline.clean.cleaner import line_verdicts
from storyline.clean.flattenings import FLATTENINGS, blocks, markdown, paragraphs, text_nodes
from storyline.clean.split import normalize_snippet

_HTML = """<html><head><title>Ferry fares rise | The Harbour Times</title>
<style>.menu { color: red }</style><script>var tracking = 1;</script></head><body>
<div class="menu"><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></div>
<!-- ad slot -->
<h1>Ferry fares rise</h1>
<p>Fares on the <a href="/ferry">harbour ferry</a> rise by a tenth in spring, the operator said.</p>
<figure><img src="x.jpg" alt="The ferry at the pier"><figcaption>The ferry. Photo: Wire</figcaption>
</figure>
<ul><li>Related: Tram line closes</li><li>Most read: Bridge reopens</li></ul>
</body></html>"""


def test_blocks_give_one_line_per_block_with_its_links_joined() -> None:
    assert blocks(_HTML) == [
        "Ferry fares rise | The Harbour Times", "Home News Sport", "Ferry fares rise",
        "Fares on the harbour ferry rise by a tenth in spring, the operator said.",
        "The ferry. Photo: Wire", "Related: Tram line closes", "Most read: Bridge reopens",
    ]


def test_text_nodes_split_a_paragraph_at_its_links() -> None:
    lines = text_nodes(_HTML)
    assert lines[1:4] == ["Home", "News", "Sport"]
    assert lines[5:8] == ["Fares on the", "harbour ferry",
                          "rise by a tenth in spring, the operator said."]
    assert not any("tracking" in line or "color" in line or "ad slot" in line for line in lines)


def test_paragraphs_run_a_list_together() -> None:
    lines = paragraphs(_HTML)
    assert "Related: Tram line closes Most read: Bridge reopens" in lines
    assert "Fares on the harbour ferry rise by a tenth in spring, the operator said." in lines


def test_markdown_marks_headings_list_items_and_images() -> None:
    lines = markdown(_HTML)
    assert "# Ferry fares rise" in lines
    assert "* Related: Tram line closes" in lines
    assert "![The ferry at the pier]" in lines
    assert set(FLATTENINGS) >= set(train.REFLATTENINGS)


def test_written_pages_are_seeded_and_cover_every_language() -> None:
    first, again = synthetic.pages(2, seed=7), synthetic.pages(2, seed=7)
    assert [(p.lines, p.labels) for p in first] == [(p.lines, p.labels) for p in again]
    assert [(p.lines) for p in synthetic.pages(2, seed=8)] != [p.lines for p in first]
    assert {p.name.split("-")[1] for p in first} == {"en", "de", "es", "fr", "it"}
    for page in first:
        assert len(page.lines) == len(page.labels)
        assert synthetic.BODY in page.labels and synthetic.CHROME in page.labels
        assert not any("{" in line or "}" in line for line in page.lines)  # every slot filled


def test_written_body_stands_between_chrome_that_reads_as_prose() -> None:
    # Chrome written as sentences (consent banners, author boxes, teasers) is what the model
    # must learn to tell from the story by its place; a generator of only short chrome lines
    # would teach that chrome is short.
    written = synthetic.pages(4, seed=1)
    prose_chrome = [line for page in written for line, label in zip(page.lines, page.labels,
                                                                     strict=True)
                    if label == synthetic.CHROME and line.endswith(".") and len(line) > 60]
    assert len(prose_chrome) >= len(written)
    for page in written:
        body = [i for i, label in enumerate(page.labels) if label == synthetic.BODY]
        assert any(label == synthetic.CHROME for label in page.labels[: body[0]])
        assert any(label == synthetic.CHROME for label in page.labels[body[-1] :])


def test_written_pages_keep_their_labels_through_the_cleaners_lines() -> None:
    # Labels are matched to the lines `line_verdicts` measures by their text: no line may be
    # split, merged or rewritten on the way (a line starting lower case is glued to the one
    # above), or its label would be lost. These are the pages training uses.
    for page in synthetic.pages(train.SYNTHETIC_PAGES, train.SEED):
        lines, _ = line_verdicts("\n".join(page.lines))
        assert [line.text for line in lines] == [normalize_snippet(t) for t in page.lines]


def test_training_folds_keep_the_flattenings_of_one_page_together() -> None:
    def page(name: str, group: str = "") -> train.Page:
        return train.Page(name, np.zeros((1, 1)), np.zeros(1, np.int8), np.zeros(1), group=group)

    pages = [page(f"aeb{n:03d}.txt{kind}", group=f"aeb{n:03d}.txt") for n in range(7)
             for kind in ("", "#text_nodes", "#markdown")]
    folds = train._folds([*pages, page("synthetic-en-000")])
    assert sum(len(fold) for fold in folds) == len(pages) + 1
    for fold in folds:
        others = {p.group for other in folds if other is not fold for p in other}
        assert not {p.group for p in fold} & others


def test_another_snippet_sets_training_half_is_labelled_by_its_snippets(tmp_path: Path) -> None:
    page = (
        "Ferry fares rise | The Harbour Times\n"
        "Fares on the harbour ferry rise by a tenth in spring, the operator said on Monday.\n"
        "The council will hear the operator's case at its next meeting in March this year.\n"
        "Most read: Bridge reopens after the storm damage is repaired\n"
    )
    gold = {"with": ["Fares on the harbour ferry rise by a tenth in spring"],
            "without": ["Most read: Bridge reopens"]}
    training, held_out = "aeb001.txt", "aeb002.txt"  # the split is fixed (tests/bench)
    for name in (training, held_out):
        (tmp_path / name).write_text(page, encoding="utf-8")
    (tmp_path / "gold.json").write_text(json.dumps({training: gold, held_out: gold}), "utf-8")
    [labelled] = train.load_extra_pages(tmp_path)
    assert labelled.name == f"extra:{training}"
    # Only the lines holding a snippet are labelled; the others weigh nothing.
    assert labelled.labels.tolist() == [-1, 1, -1, 0]
    assert labelled.snippets.tolist() == [0, 1, 0, 1]
