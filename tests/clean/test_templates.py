"""Template learning's pure parts: line fingerprints, the story count, removing templates."""

from __future__ import annotations

import string

from hypothesis import given
from hypothesis import strategies as st

from storyline.clean.templates import (
    TemplateRule,
    apply_templates,
    count_stories,
    fingerprint,
    normalize_line,
    page_fingerprints,
    source_of,
)
from storyline.model import Article, Removed

RULE = TemplateRule(min_pages=3, same_story_share=0.3)
lines = st.text(max_size=80)


@given(lines)
def test_normalising_is_idempotent(line: str) -> None:
    assert normalize_line(normalize_line(line)) == normalize_line(line)


@given(
    st.text(alphabet=string.ascii_letters + string.digits + " ", max_size=60),
    st.sampled_from([str.upper, str.lower, str.title]),
    st.sampled_from(["", " ", "  .", "!", " — ", "\t", " ...", ",", "\u00a0|"]),
)
def test_case_spacing_and_punctuation_do_not_change_a_fingerprint(line, case, extra) -> None:
    assert fingerprint(extra + case(line).replace(" ", "  ") + extra) == fingerprint(line)


@given(st.integers(0, 10**9), st.integers(0, 10**9))
def test_numbers_do_not_change_a_fingerprint(first: int, second: int) -> None:
    assert fingerprint(f"© {first} The Gazette") == fingerprint(f"© {second} the gazette.")


@given(lines, lines)
def test_fingerprints_agree_exactly_when_normal_forms_do(one: str, other: str) -> None:
    key_one, key_other = fingerprint(one), fingerprint(other)
    if key_one is None or key_other is None:
        return
    assert -(2**63) <= key_one < 2**63
    assert (key_one == key_other) == (normalize_line(one) == normalize_line(other))


@given(lines)
def test_lines_without_letters_have_no_fingerprint(line: str) -> None:
    has_letter = any(char.isalpha() for char in normalize_line(line))
    assert (fingerprint(line) is None) == (not has_letter)


def test_different_words_differ() -> None:
    assert fingerprint("Subscribe to our newsletter") != fingerprint("Subscribe to our podcast")


def _page(title: str, paragraphs: list[str], removed: list[str] = ()) -> Article:
    return Article(id="a", source="x.txt", title=title, text="\n\n".join(paragraphs),
                   removed=[Removed(text, "navigation") for text in removed])


def test_page_lines_mark_what_is_kept() -> None:
    page = _page("Headline here", ["Body one.", "Body two."], removed=["Share this", "12:00"])
    lines = page_fingerprints(page)
    assert lines == {fingerprint("Headline here"): True, fingerprint("Body one."): True,
                     fingerprint("Body two."): True, fingerprint("Share this"): False}


def test_source_is_the_site_then_the_outlet_then_the_folder() -> None:
    assert source_of(None, None, "/data/feed") == "/data/feed"
    assert source_of(None, "The Gazette", "/data/feed") == "The Gazette"
    url = "https://www.gazette.example/news/1"
    assert source_of(url, "The Gazette", "/data/feed") == "gazette.example"


def test_pages_of_one_story_count_once() -> None:
    wire = {f"update-{n}": {1, 2, 3, 4, 10 + n} for n in range(5)}
    assert count_stories(1, list(wire), wire, RULE) == 1
    chrome = {f"story-{n}": {1, 100 + n, 200 + n, 300 + n} for n in range(5)}
    assert count_stories(1, list(chrome), chrome, RULE) == RULE.min_pages  # stops when sure


def test_known_templates_do_not_make_pages_one_story() -> None:
    pages = {f"story-{n}": {1, 2, 3, 100 + n} for n in range(4)}
    assert count_stories(1, list(pages), pages, RULE) == 1
    assert count_stories(1, list(pages), pages, RULE, ignore={2, 3}) == 3


def test_templates_leave_with_their_reason_and_a_repeated_title_is_replaced() -> None:
    page = _page("Get our app", ["Get our app", "The story starts here with a sentence.",
                                 "Second paragraph of the story.", "© 2026 Gazette"])
    templates = {fingerprint("Get our app"): 7, fingerprint("© 1999 Gazette"): 9}
    assert apply_templates(page, templates, "gazette.example")
    assert page.paragraphs == ["The story starts here with a sentence.",
                               "Second paragraph of the story."]
    assert page.title == "The story starts here with a sentence."
    assert [(r.text, r.reason) for r in page.removed] == [
        ("Get our app", "repeated on 7 pages of gazette.example"),
        ("Get our app", "repeated on 7 pages of gazette.example"),
        ("© 2026 Gazette", "repeated on 9 pages of gazette.example"),
    ]
    assert not apply_templates(page, templates, "gazette.example")  # nothing left to remove


def test_a_page_of_nothing_but_templates_keeps_its_text() -> None:
    page = _page("Menu", ["Get our app", "© 2026 Gazette"])
    templates = {fingerprint("Get our app"): 7, fingerprint("© 2026 Gazette"): 9}
    assert not apply_templates(page, templates, "gazette.example")
    assert page.paragraphs == ["Get our app", "© 2026 Gazette"] and page.removed == []
