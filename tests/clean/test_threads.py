"""Comments with no stamp above a page's comment form, and live-blog update stamps."""

from __future__ import annotations

import pytest

from storyline.clean import clean_text
from storyline.clean.dates import heading_stamp, leading_update_stamp

TITLE = "River festival breaks its record"
STORY = [
    "The river festival drew a record crowd to the old town on Saturday, the organisers said.",
    "More than 40,000 people crossed the two bridges into the old town, police said.",
    "The council plans to add a second stage on the far bank next year, a spokesman said.",
    "Tickets for the new stage will go on sale in March, according to the organisers.",
    "Local hotels reported that every room in town was booked for the weekend.",
]
FORM = "Your email address will not be published. Required fields are marked *"
# Two readers' comments whose stamps the flattening lost.
COMMENTS = [
    "why do they always close the bridge on the one weekend i need it ?",
    "I went last year and you could not even move near the stage!!",
    "Totally agree with you , the parking was a nightmare .",
    "GIVE THE MONEY TO THE SCHOOLS INSTEAD",
]


def _clean(*lines: str) -> tuple[list[str], dict[str, str]]:
    result = clean_text("\n".join([TITLE, *lines]))
    return result.paragraphs, {item.text: item.reason for item in result.removed}


def test_comments_without_stamps_above_the_form_go_and_the_story_stays() -> None:
    kept, reasons = _clean(*STORY, *COMMENTS, FORM)
    assert kept == STORY
    assert all(reasons[comment] == "comments" for comment in COMMENTS)


def test_a_story_told_in_the_first_person_keeps_its_end_above_a_form() -> None:
    speech = [
        "Good evening. Tonight I want to talk to you about our river and our town.",
        "We have worked for years to make this festival what it is.",
        "I asked the council to keep the bridges open, and you answered.",
        "Will we be ready for next year? I believe we will.",
        "We owe it to our children, and I will not let you down!",
        "Thank you, and good night.",
    ]
    kept, _ = _clean(*speech, FORM)
    assert kept == speech


def test_below_the_stories_credit_line_the_thread_begins() -> None:
    credit = "Jane Roe and Sam Poe contributed to this report."
    neutral_comment = "The festival was better organised ten years ago."
    kept, reasons = _clean(*STORY, credit, neutral_comment, COMMENTS[0], FORM)
    assert kept == [*STORY, credit]
    assert reasons[neutral_comment] == "comments"


def test_below_a_blog_posts_footer_the_thread_begins_even_glued_to_the_footer() -> None:
    # The flattening glued the first comment to the post's footer line.
    footer = "By Jane Roe | June 16 , 2010 ; 5:08 PM ET The festival was better ten years ago ."
    stamp = "Posted by : riverfan | June 16 , 2010 11:05 PM | Report abuse"
    kept, reasons = _clean(*STORY, footer, "Nobody asked the neighbours .", stamp,
                           COMMENTS[0])
    assert kept == STORY
    assert reasons[footer] == "comments"


def test_below_a_posts_call_to_its_readers_come_their_answers() -> None:
    call = "Here 's my question to you : Should the festival move to the far bank ?"
    answers = ["Keep it in the old town , that is the whole point of it .",
               "The far bank has no trains after ten ."]
    kept, reasons = _clean(*STORY, call, *answers, FORM)
    assert kept == [*STORY, call]
    assert all(reasons[answer] == "comments" for answer in answers)


def test_a_quoted_call_to_readers_inside_the_story_ends_nothing() -> None:
    quote = "`` What do you think ? '' the mayor asked the crowd , who cheered ."
    kept, _ = _clean(STORY[0], quote, *STORY[1:], FORM)
    assert kept == [STORY[0], quote, *STORY[1:]]


def test_a_byline_with_a_date_but_no_time_is_no_post_footer() -> None:
    byline = "By Jane Roe , June 16 , 2010"
    stamp = "Posted by : riverfan | June 16 , 2010 11:05 PM | Report abuse"
    kept, _ = _clean(STORY[0], byline, *STORY[1:], stamp, COMMENTS[0])
    assert STORY[1:] == kept[-len(STORY) + 1 :]


def test_one_comment_stands_above_a_thread_that_stamps_below_each_comment() -> None:
    # Each comment is followed by its stamp; after the last one comes the form.
    stamp = "June 16 , 2010 at {} pm | Report abuse | Reply"
    thread = [stamp.format("5:38"), COMMENTS[2], COMMENTS[3], stamp.format("6:02"),
              "The parking was fine for us .", "We came by bus anyway .",
              stamp.format("7:15") + " " + FORM]
    first = "So the town wants more people on two narrow bridges ?"
    kept, reasons = _clean(*STORY, first, *thread)
    assert kept == STORY
    assert reasons[first] == "comments"


def test_one_comment_stands_above_a_thread_that_stamps_above_each_comment() -> None:
    # The last stamp is followed by its comment, not by the form: the first comment's own
    # stamp is lost (or the thread stamps below each comment and glues the next one to it).
    stamp = "June 16 , 2010 at {} pm | Report abuse | Reply"
    thread = [stamp.format("5:38"), COMMENTS[2], stamp.format("6:02"),
              "The parking was fine for us .", FORM]
    first = "Will the town be ready for twice the crowd next year ?"
    kept, reasons = _clean(*STORY, first, *thread)
    assert kept == STORY
    assert reasons[first] == "comments"


# A long thread under a short story, its stamps lost: readers argue, ask and shout.
LONG_THREAD = [
    "My kids loved the fireworks , thank you to everyone who helped !",
    "You people complain about everything .",
    "Same as last year , nothing for us who live on the far bank !!",
    "Did anyone find a blue jacket near the second bridge ?",
    "we should have it twice a year",
    "Stop whining and enjoy your town for once !",
    "Who pays for all of this , I wonder ?",
    "Best weekend of my summer , see you next year .",
    "The beer tent ran dry by nine , what a joke !",
    "Anyone know if the ferry runs late on Sunday ?",
    "I have lived here forty years and never seen it this busy !",
    "why no toilets near the east gate ??",
    "Are you serious , a second stage on the far bank ?",
    "My dog hated the fireworks , please think of pets next time !",
    "lol the mayor dancing was the best part",
    "I for one will be back next year !",
    *COMMENTS,
]


def test_a_long_thread_under_a_short_story_goes_whole() -> None:
    # The span's opening third is comments already: read as the story's own voice, it hid
    # the thread's start (Timeline17 CNN pages with a few story lines above 30-100 comments).
    kept, reasons = _clean(*STORY[:3], *LONG_THREAD, FORM)
    assert kept == STORY[:3]
    assert all(reasons[comment] == "comments" for comment in LONG_THREAD)


def test_a_transcripts_speaker_turns_above_a_form_stay() -> None:
    # Questions, "you" and "I" are the story's when two speakers take turns.
    transcript = [
        "REPORTER : Mayor Roe , thanks for joining us .",
        "You must be pleased with the crowd ?",
        "JANE ROE , MAYOR : I am , and I thank every volunteer who made it happen .",
        "We worked for a year on this !",
        "REPORTER : Will you move it to the far bank ?",
        "JANE ROE , MAYOR : I do n't know yet , you will hear from us in March .",
        "REPORTER : And the noise , do you hear the neighbours ?",
        "JANE ROE , MAYOR : I hear them , and we will do better next year !",
    ]
    kept, _ = _clean(*STORY[:3], "A full transcript of the interview follows .", *transcript,
                     FORM)
    assert kept[-len(transcript):] == transcript


def test_reported_prose_above_a_threads_first_stamp_stays() -> None:
    stamp = "June 16 , 2010 at {} pm | Report abuse | Reply"
    thread = [stamp.format("5:38"), COMMENTS[2], stamp.format("6:02"),
              "The parking was fine for us .", FORM]
    kept, _ = _clean(*STORY, *thread)
    assert kept == STORY


def test_a_footer_opening_its_line_closes_the_comment_above_it() -> None:
    # "<date> at <time> | Reply": a comment's actions print at its foot, so the line right
    # above the first such footer is the first comment's, however plainly it reads.
    plain = "The festival was better organised ten years ago ."
    # The last footer is followed by the form: the footers close their comments.
    thread = ["June 16 , 2010 at 5:38 pm | Reply " + COMMENTS[2], COMMENTS[3],
              "June 16 , 2010 at 6:02 pm | Reply", FORM]
    kept, reasons = _clean(*STORY, plain, *thread)
    assert kept == STORY
    assert reasons[plain] == "comments"


def test_a_comment_glued_before_its_footer_leaves_the_line_above_it() -> None:
    # The first comment may be the text before the footer on its own line: the plain line
    # above it stays with the story.
    plain = "The festival was better organised ten years ago ."
    thread = [COMMENTS[2] + " June 16 , 2010 at 5:38 pm | Reply " + COMMENTS[3],
              "June 16 , 2010 at 6:02 pm | Reply", FORM]
    kept, _ = _clean(*STORY, plain, *thread)
    assert kept == [*STORY, plain]


@pytest.mark.parametrize("signature", [
    "Posted by riverfan on June 16 , 2010 {} PM .",
    "Publicado por riverfan el 16 de junio de 2010 a las {} .",
])
def test_a_thread_that_signs_each_comment_with_name_date_and_time_goes(signature: str) -> None:
    # The comment above each signature; the flattening glued one comment to its signature.
    thread = [COMMENTS[0], signature.format("11:05"), COMMENTS[2],
              COMMENTS[3] + " " + signature.format("11:40"), COMMENTS[1]]
    kept, reasons = _clean(*STORY, *thread)
    assert kept == STORY
    assert reasons[signature.format("11:05")] == "comments"


def test_signatures_out_of_time_order_or_alone_open_no_thread() -> None:
    # A blog's index signs its posts newest first; a single signature may be the post's own.
    post = "Posted by Jane Roe on June 16 , 2010 {} PM ."
    kept, _ = _clean(*STORY[:2], post.format("11:40"), *STORY[2:4], post.format("11:05"),
                     STORY[4])
    assert [line for line in kept if line in STORY] == STORY
    kept, _ = _clean(*STORY, post.format("11:40"), COMMENTS[2])
    assert kept[: len(STORY)] == STORY and COMMENTS[2] in kept


@pytest.mark.parametrize("stamp", ["Posted by riverfan | Report as abusive",
                                   "Publié par riverfan | Signaler un abus"])
def test_a_signature_with_a_moderation_link_opens_the_thread(stamp: str) -> None:
    # No date or time: the name, a pipe and the link that reports the comment; the flattening
    # glued the next comment to it. No form follows, and the comments read like prose.
    glued = stamp + " The festival was better organised ten years ago ."
    kept, reasons = _clean(*STORY, glued, "Nobody asked the neighbours about the noise .")
    assert kept == STORY
    assert reasons[glued] == "comments"


def test_no_form_and_no_stamp_leave_the_text_alone() -> None:
    kept, _ = _clean(*STORY, *COMMENTS)
    assert kept[: len(STORY)] == STORY
    assert COMMENTS[1] in kept


def test_live_blog_update_stamps_leave_the_sentence() -> None:
    entry = "Police closed the east bridge after the crowd grew, a spokesman said."
    for stamp in [
        "(Update 2:17 p.m. Varnholm, 7:17 a.m. ET) ",
        "-LRB- Updated 6:05 p.m. -LRB- 0005 in Norland -RRB- -RRB- ",
        "[Actualizado 10:15] ",
        "-- -LRB- Update 3:40 a.m. Varnholm , 8:40 p.m. ET -RRB- ",
    ]:
        kept, reasons = _clean(STORY[0], stamp + entry, STORY[1])
        assert kept == [STORY[0], entry, STORY[1]]
        assert reasons[stamp.strip()] == "update-stamp"


def test_brackets_that_are_no_update_stamp_stay() -> None:
    for text in [
        "(Reuters) - The council met at 5 pm on Friday.",
        "(From 9 a.m. to 5 p.m. the museum stays open) and entry is free.",
        "-LRB- CNN -RRB- - The bridges reopened at 6:30 a.m.",
        "-- (Reuters) The council met at 5 pm on Friday.",
        "- (The talks ended at 4 pm) and the mayor left.",
    ]:
        assert leading_update_stamp(text) is None


@pytest.mark.parametrize("links", ["Comments (2) | Permalink", "Comments -LRB- 0 -RRB- | Permalink",
                                   "Commentaires (3) | Trackback"])
def test_a_blog_index_keeps_its_posts_below_each_posts_footer(links: str) -> None:
    # Each post ends with its footer: author, time, the link to its comments with their count;
    # the flattening glued the next post's headline to it. No comment stamp, no thread.
    footer = "Posted by Jane Roe at {} | " + links + " {}"
    posts = [
        STORY[0], STORY[1],
        footer.format("10:48 AM", "Bridge closures announced"), STORY[2], STORY[3],
        footer.format("09:12 AM", "Hotels fully booked"), STORY[4],
        footer.format("08:30 AM", "Festival dates set"),
    ]
    kept, reasons = _clean(*posts)
    assert [line for line in kept if line in STORY] == STORY
    assert "comments" not in reasons.values()


@pytest.mark.parametrize("picture", [
    ["Photo : The old town from the east bridge , June 2010 .", "REUTERS/Jane Roe"],
    ["PHOTO shows the crowd on the east bridge , June 2010 . REUTERS/Jane Roe"],
    ["-LRB- Photos of the crowd on the two bridges -RRB-"],
])
def test_below_a_posts_closing_picture_the_thread_begins(picture: list[str]) -> None:
    # An opinion column ends with its picture; the readers' comments below it read like prose
    # and carry no stamp up to the form.
    neutral = ["The festival was better organised ten years ago .",
               "Nobody asked the neighbours about the noise ."]
    kept, reasons = _clean(*STORY, *picture, *neutral, FORM)
    assert [line for line in kept if line not in picture] == STORY
    assert all(reasons[comment] == "comments" for comment in neutral)


@pytest.mark.parametrize("credit", ["REUTERS/Jane Roe", "-LRB- Photos of the crowd -RRB-"])
def test_a_comment_glued_after_the_picture_goes_with_the_thread(credit: str) -> None:
    glued = f"{credit} Nobody asked the neighbours about the noise ."
    kept, reasons = _clean(*STORY, "Photo : The crowd on the east bridge .", glued, FORM)
    assert kept == STORY
    assert reasons[glued] == "comments"


def test_a_picture_inside_the_story_leaves_the_reported_prose_below_it() -> None:
    picture = "Photo : The crowd on the east bridge . REUTERS/Jane Roe"
    kept, _ = _clean(*STORY[:2], picture, *STORY[2:], FORM)
    assert [line for line in kept if line in STORY] == STORY


@pytest.mark.parametrize("line", [
    "Images of the crowd on the bridges drew visitors from across the region .",
    "A CNN/Opinion Research Corp. poll found most residents back the festival .",
])
def test_a_sentence_about_pictures_or_a_pollster_is_no_picture(line: str) -> None:
    # Neither closes the story: the plain line below it stays.
    plain = "The bridges reopen on Monday ."
    kept, _ = _clean(*STORY, line, plain, FORM)
    assert kept[-2:] == [line, plain]


def test_a_blog_threads_heading_stamp_glued_after_the_post_opens_the_thread() -> None:
    # The flattening glued the first comment's heading to the post's "Read more ..." link.
    glued = "Read more ... June 16th , 2010 11:14 am ET The festival was better ten years ago ."
    thread = [glued, "Nobody asked the neighbours about the noise .",
              "June 16th , 2010 12:02 pm ET Totally agree with you , the parking was awful ."]
    kept, reasons = _clean(*STORY, *thread, FORM)
    assert kept == STORY
    assert reasons[glued] == "comments"


@pytest.mark.parametrize(("text", "moment"), [
    ("Read more ... June 16th , 2010 11:14 am ET The festival", (2010, 6, 16, 11, 14)),
    ("what a day hahaha June 16th , 2010 5:40 pm ET So true", (2010, 6, 16, 17, 40)),
    # A wire story's dateline: its place, a pipe and the weekday before the date.
    ("VARNHOLM | Fri Jun 18 , 2010 3:05 pm EDT VARNHOLM -LRB- Reuters -RRB- - The", None),
    # Prose puts "at" before the time, and a zone in capitals after it.
    ("The bridge closed on June 16th , 2010 at 11:14 am ET and", None),
])
def test_a_heading_stamp_glued_after_text(text: str, moment: tuple | None) -> None:
    assert heading_stamp(text) == moment


def test_a_notice_above_the_thread_heads_it_down_to_the_form() -> None:
    # "Views expressed in the comments …" stands between the story and the comments, the
    # form below them; the comments read like prose.
    notice = "Views expressed in the comments are the readers' own , not the Gazette's ."
    neutral = ["The festival was better organised ten years ago .",
               "Nobody asked the neighbours about the noise ."]
    kept, reasons = _clean(*STORY, notice, *neutral, FORM)
    assert kept == STORY
    assert all(reasons[comment] == "comments" for comment in neutral)


def test_reported_prose_between_two_forms_stays() -> None:
    # A form inside the page (a sign-up box) above the rest of the story and another below.
    kept, _ = _clean(STORY[0], FORM, *STORY[1:], FORM)
    assert kept == STORY


@pytest.mark.parametrize("marker", ["Comment", "Comments (12)"])
def test_a_comment_marker_above_the_first_paragraph_opens_no_thread(marker: str) -> None:
    # A site's menu holds its "Comment" section, or a count stands beside the byline; a form
    # ends the page. The story between them stays (a whole Express page was lost this way).
    strapline = "Riverside Gazette. The home of the daily and weekend Gazette."
    menu = ["News", "Sport", marker, "Travel", "Weather"]
    kept, removed = _clean(strapline, *menu, *STORY, FORM)
    assert kept == STORY
    assert removed[marker] == "comments"


# A comment form's e-mail field label, then its rules, on one line (CNN's form as flattened).
FIELD_FORM = ("-LRB- required , but will not be displayed -RRB- The Gazette asks readers to keep "
              "the debate civil and to respect the house rules printed below .")


def test_a_forms_field_label_is_furniture_however_long_its_line() -> None:
    kept, reasons = _clean(*STORY, FIELD_FORM, "Comments are not moderated before they appear .")
    assert kept == STORY
    assert reasons[FIELD_FORM] == "comment-form"


@pytest.mark.parametrize("glued", [
    "So who pays for the second stage , us again ?",  # the thread's last comment
    "riverfan , riverfan",  # the name signing it
])
def test_text_glued_before_a_forms_field_label_closes_the_thread(glued: str) -> None:
    # The field ends the thread as a stamp does: one comment above it is enough to go.
    kept, reasons = _clean(*STORY, COMMENTS[2], f"{glued} {FIELD_FORM}")
    assert kept == STORY
    assert reasons[COMMENTS[2]] == "comments"
    assert reasons[f"{glued} {FIELD_FORM}"] == "comments"


def test_reported_prose_above_a_glued_field_label_stays() -> None:
    kept, _ = _clean(*STORY, f"riverfan {FIELD_FORM}")
    assert kept == STORY
