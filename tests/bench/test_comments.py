"""`storyline bench comments`: what counts as a comment line left, on a page we wrote."""

from __future__ import annotations

from storyline.bench.comments import (
    Tally,
    format_text,
    held_out_starts,
    thread_starts,
    tuning_starts,
)
from storyline.clean.reprints import reason
from storyline.model import Article, Removed

_PAGE = [
    "Harbour cranes stop as dockers strike",
    "Dockers at the northern harbour stopped work on Tuesday .",
    "The union said talks had broken down , a spokesman said .",
    "why do they always strike in summer ?",
    "I agree with the union , they are right !",
    "May 2 , 2026 at 5:38 pm | Report abuse | Pay them what they ask .",
    "Dockers at the northern harbour stopped work on Tuesday .",
    "(required, but will not be displayed) We welcome a lively discussion",
    "Other stories from the harbour",
]


def _article(*kept: str, removed: tuple[str, ...] = ()) -> Article:
    return Article(id="a", source="page.txt", title=_PAGE[0], text="\n\n".join(kept),
                   removed=[Removed(text, "comments") for text in removed])


def test_lines_from_the_labelled_start_to_the_form_count_and_a_quoted_story_line_does_not() -> None:
    tally = Tally()
    tally.add("page", _PAGE, _article(*_PAGE[1:5]), (3, False))
    # Lines 3-4 (above the stamp) are left; 5 (stamped) went; 6 repeats the story; 8 is after
    # the form.
    assert tally.thread_lines == 3
    assert (tally.left_above_stamp, tally.left_stamped, tally.left_below_stamp) == (2, 0, 0)
    assert tally.left_by_page == {"page": [3, 4]}
    assert tally.story_lines_cut == 0


def test_without_a_label_the_thread_starts_at_its_first_stamp_and_cut_story_lines_count() -> None:
    tally = Tally()
    tally.add("page", _PAGE, _article(_PAGE[1], removed=(_PAGE[2],)), None)
    assert tally.thread_lines == 1 and not tally.left_by_page
    removed_story = Tally()
    removed_story.add("page", _PAGE, _article(_PAGE[1], removed=(_PAGE[2], _PAGE[3])), (3, False))
    assert removed_story.story_lines_cut == 1  # line 2 is story; line 3 is the thread's


def test_a_story_line_the_corpus_step_took_counts_as_cut() -> None:
    article = _article(_PAGE[1])
    article.removed = [Removed(_PAGE[2], reason("gazette"))]
    tally = Tally()
    tally.add("page", _PAGE, article, (3, False))
    assert tally.story_lines_cut == 1


def test_a_page_without_stamp_or_label_is_not_checked() -> None:
    tally = Tally()
    tally.add("page", _PAGE[:5], _article(*_PAGE[1:5]), None)
    assert tally.pages == 0


def test_labels_are_line_numbers_only() -> None:
    labels = thread_starts()
    assert len(labels) > 50
    assert all(isinstance(start, int) and start >= 0 for start, _ in labels.values())


def test_format_names_every_figure() -> None:
    text = format_text({"pages": 2, "thread_lines": 9, "lower_bound_pages": 0,
                        "comment_lines_left": 3, "pages_with_comments_left": 1,
                        "left_stamped": 0, "left_above_first_stamp": 3,
                        "left_below_first_stamp": 0, "story_lines_cut": 1,
                        "left_by_page": {"p": [4, 5, 6]}})
    assert "comment lines left  3 on 1 pages" in text and "p: lines 4, 5, 6" in text


def test_a_page_labelled_without_thread_counts_every_line_removed_as_comments_as_story_cut() -> None:
    tally = Tally()
    # Removed as comments: a story line (cut) and the form line (not story: the story ends there).
    tally.add("page", _PAGE, _article(_PAGE[1], removed=(_PAGE[2], _PAGE[7])), None,
              no_thread=True)
    assert tally.pages == 1 and tally.thread_lines == 0
    assert tally.story_lines_cut == 1


def test_held_out_labels_are_line_numbers_or_none_and_not_in_the_tuning_labels() -> None:
    held_out = held_out_starts()
    assert len(held_out) >= 50
    assert all(start is None or (isinstance(start, int) and start >= 0)
               for start in held_out.values())
    assert not set(held_out) & set(thread_starts())


def test_the_tuning_count_starts_a_page_labelled_blind_at_its_blind_label() -> None:
    # Counted from its first stamp, the comment above the stamp would be a story line cut.
    labels, tuning = tuning_starts(), thread_starts()
    blind = {page: start for page, start in held_out_starts().items() if start is not None}
    assert blind and all(labels[page] == (start, False) for page, start in blind.items())
    assert all(labels[page] == label for page, label in tuning.items())
