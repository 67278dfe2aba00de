"""The first comment of a thread, told by the lines other pages of the source print
(`storyline.clean.reprints`). Every page here is invented."""

from __future__ import annotations

from collections import Counter

from storyline.clean import build_article
from storyline.clean.reprints import cut_unprinted_comments, reason, unprinted_comments
from storyline.clean.templates import page_fingerprints
from storyline.model import Article, RawDocument

SOURCE = "harbour-ledger"
HEADLINE = "Lighthouse keepers return to the northern cape"
STORY = [
    ("The last three lighthouse keepers of the northern cape returned to their posts on Monday"
     " after a winter on the mainland, the harbour office announced in a short statement."),
    ("The keepers will stay until the automated lamps are installed next autumn, when the"
     " station is to become a museum of the coast."),
    ("Volunteers from the fishing villages have offered to guide visitors along the cliff path"
     " once the museum opens its doors."),
]
# A reader's comment that reads as plainly as the story: no pronoun, question or exclamation.
COMMENT = [
    ("The old lamps should stay where they are, since the new ones will never look as good"
     " from the bay at night."),
    ("Nobody asked the villages before the museum plan was drawn up, and the path is far too"
     " steep for most visitors."),
]
FORM = "Marta Olsen (required, but will not be displayed)"
OTHER_POST = (
    "Ferry timetables for the spring season were published on Friday, with two extra crossings"
    " on weekends and a new stop at the southern pier."
)


def _page(name: str, *lines: str) -> Article:
    return build_article(RawDocument(name, "\n\n".join(lines), "text"))


def _post(*below_story: str, story: list[str] = STORY) -> Article:
    return _page("post.txt", HEADLINE, *story, *below_story, FORM)


def _index(*story: str) -> Article:
    """The blog's index page: posts printed whole or in part, one after the other."""
    return _page("index.txt", "Latest posts from the coast desk", *story, OTHER_POST)


def _printed(*pages: Article) -> Counter[int]:
    """Pages carrying each line, as the store counts them for one source."""
    return Counter(key for page in pages for key in page_fingerprints(page))


def test_the_cleaner_alone_keeps_the_plain_first_comment() -> None:
    post = _post(*COMMENT)
    assert all(line in post.paragraphs for line in STORY + COMMENT)


def test_lines_below_the_story_another_page_prints_are_the_first_comment() -> None:
    post, index = _post(*COMMENT), _index(*STORY)
    assert cut_unprinted_comments(post, _printed(post, index), SOURCE)
    assert post.paragraphs == STORY
    assert [(r.text, r.reason) for r in post.removed[-2:]] == [(c, reason(SOURCE)) for c in COMMENT]
    # Applied again, nothing more goes: the lines left are printed elsewhere.
    assert not cut_unprinted_comments(post, _printed(post, index), SOURCE)


def test_a_page_printed_nowhere_else_keeps_its_lines() -> None:
    post = _post(*COMMENT)
    assert unprinted_comments(post, _printed(post)) == []


def test_an_excerpt_covering_less_of_the_post_than_is_left_below_it_is_no_evidence() -> None:
    """An index page printing the post's first two lines: the rest of the post is on no
    other page, and it is longer than the printed part."""
    post = _post(*COMMENT)
    assert unprinted_comments(post, _printed(post, _index(*STORY[:2]))) == []


def test_a_story_shared_only_in_part_keeps_its_end() -> None:
    """Another version of the story shares two of its lines but not its lead: the lines below
    the shared ones are the story's own."""
    lead = ("Harbour officials said on Monday that the keepers would be paid from the museum"
            " budget once the station closes.")
    post = _post(*COMMENT, story=[lead, *STORY])
    older = _index(STORY[1], STORY[2])
    assert unprinted_comments(post, _printed(post, older)) == []


def test_reported_prose_below_the_printed_story_stays() -> None:
    """A longer version of the story goes on below the lines its shorter version printed."""
    update = ['"We will reopen the cliff path in May," the harbour master said on Tuesday.']
    post = _post(*update)
    assert unprinted_comments(post, _printed(post, _index(*STORY))) == []


def test_a_page_without_a_thread_or_form_keeps_its_end() -> None:
    post = _page("post.txt", HEADLINE, *STORY, *COMMENT)
    assert unprinted_comments(post, _printed(post, _index(*STORY))) == []


def test_a_page_whose_raw_input_is_not_its_text_is_left_alone() -> None:
    """An HTML page's raw input is the markup: its lines cannot be put in order."""
    post = _post(*COMMENT)
    post.raw = "<html><body>" + "".join(f"<p>{p}</p>" for p in post.paragraphs) + "</body></html>"
    assert unprinted_comments(post, _printed(post, _index(*STORY))) == []
