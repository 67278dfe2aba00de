"""Single features of the cascade, each on a small hand-written text."""

from __future__ import annotations

from datetime import datetime

from storyline.clean import clean_text

LEAD = "The river festival drew a record crowd to the old town on Saturday, the organisers said."
CLOSE = "Next year the festival will add a second stage on the far bank of the river."


def _kept(*lines: str) -> list[str]:
    return clean_text("\n".join(["River festival breaks its record", *lines])).paragraphs


def test_list_introduced_by_the_story_is_kept_even_at_the_end() -> None:
    items = ["Main Stage", "Riverside Tent", "Old Mill Yard"]
    assert _kept(LEAD, "The festival used three venues:", *items)[-3:] == items


def test_lines_with_figures_after_the_story_are_kept() -> None:
    kept = _kept(LEAD, CLOSE, "June 9 -- Harbour Hall, Kestrel Bay", "June 12 -- Old Mill, Lindenfeld")
    assert kept[-1] == "June 12 -- Old Mill, Lindenfeld"


def test_table_rows_are_kept() -> None:
    rows = ["| Day | Visitors |", "| Friday | 4,200 |", "| Saturday | 9,800 |"]
    assert _kept(LEAD, *rows, CLOSE)[1:4] == rows


def test_menu_after_the_story_goes() -> None:
    assert _kept(LEAD, CLOSE, "World News", "Business", "Culture And Arts") == [LEAD, CLOSE]


def test_repeats_near_go_far_stay() -> None:
    caption = "Crowds on the river bank"
    question = "What brought you to the festival this year?"
    kept = _kept(caption, caption, LEAD, question, "A friend told me about it.", CLOSE,
                 LEAD.replace("Saturday", "Sunday"), question, "I come every year.")
    # The caption's near copy goes (the line model may take the caption itself too).
    assert kept.count(caption) <= 1
    assert kept.count(question) == 2


def test_numbered_items_with_links_are_kept() -> None:
    item = "1) The festival programme https://example.org/programme"
    assert item in _kept(LEAD, item, CLOSE)
    assert "https://example.org/programme" not in _kept(LEAD, "https://example.org/programme", CLOSE)


def test_cjk_prose_without_spaces_is_kept() -> None:
    line = "川沿いの祭りには土曜日に過去最多の人が集まり、主催者は来年も開催すると述べた。"
    result = clean_text("川の祭りが記録を更新\n" + line + "\n" + line.replace("土曜日", "日曜日"))
    assert result.paragraphs[0] == line


def test_handle_credit_in_the_document_script_is_not_a_language_link() -> None:
    text = (
        "В Северогорске прошёл фестиваль на реке\n"
        "Фестиваль на реке собрал в субботу рекордное число гостей, сообщили организаторы.\n"
        "Фото: @river_fest_official\n"
        "Аккаунт организаторов: @river_fest_official\n"
        "В следующем году на другом берегу появится вторая сцена для концертов.\n"
    )
    reasons = {item.text: item.reason for item in clean_text(text).removed}
    assert reasons.get("Фото: @river_fest_official") == "credit"
    assert reasons.get("Аккаунт организаторов: @river_fest_official") != "language-link"


def test_comment_marker_that_is_only_a_subheading_keeps_the_story() -> None:
    result = clean_text(f"Council opens a public consultation\n{LEAD}\nComments\n{CLOSE}")
    assert CLOSE in result.paragraphs


def test_notices_promos_and_credits_go_but_a_sentence_mentioning_reply_stays() -> None:
    story = "He did not reply to a request for comment about the cost of the festival."
    furniture = [
        "Image source, Example Pictures",
        "Sign up for our morning newsletter and get the day's news in your inbox.",
        "We use cookies to improve your experience. By continuing you accept our policy.",
        "© 2024 Example Media Ltd. All rights reserved.",
        "Reply",
        "Click here to read more stories like this one.",
    ]
    result = clean_text("\n".join(["River festival breaks its record", furniture[0], LEAD, story,
                                   *furniture[1:]]))
    assert result.paragraphs == [LEAD, story]
    reasons = {item.text: item.reason for item in result.removed}
    assert reasons[furniture[0]] == "credit"
    assert reasons[furniture[1]] == reasons[furniture[3]] == "notice"
    assert reasons[furniture[2]] == "consent"


def test_comment_policy_goes_even_glued_to_the_agency_trailer() -> None:
    policy = [
        (
            "-LRB- Editing by Jane Roe and Sam Poe -RRB- We welcome comments that advance the "
            "story with facts , sources and fair argument ."
        ),
        "We welcome comments on our stories during the week after they appear .",
        (
            "-LRB- Reporting by "
            + " , ".join(f"Reporter Number{n} in City{n}" for n in range(12))
            + " ; Editing by Sam Poe -RRB- We welcome comments that advance the story ."
        ),
    ]
    result = clean_text("\n".join(["River festival breaks its record", LEAD, CLOSE, *policy]))
    assert result.paragraphs == [LEAD, CLOSE]
    assert {item.text: item.reason for item in result.removed}[policy[0]] == "comment-form"


def test_story_sentences_that_look_like_furniture_stay() -> None:
    story = [
        "“We welcome your comments on the plan,” the mayor said.",
        "Residents can post comments online until the end of the month.",
        "The new ticket machines run on an old TCP/IP",
        "Final Version",
    ]
    result = clean_text("\n".join(["River festival breaks its record", LEAD, *story, CLOSE]))
    assert result.paragraphs == [LEAD, *story, CLOSE]


def test_threads_stamped_with_a_single_pipe_are_cut() -> None:
    stamps = ("March 2 , 2024 at 5:38 pm | ", "Reader1 | March 2 , 2024 5:38 PM | Report abuse ")
    for stamp in stamps:
        comments = [f"{stamp}I agree with the mayor.", "Nothing will change.",
                    f"{stamp.replace('5:38', '6:02')}The old stage was better."]
        result = clean_text("\n".join(["River festival breaks its record", LEAD, CLOSE, *comments]))
        assert result.paragraphs == [LEAD, CLOSE], stamp
        assert {item.reason for item in result.removed} == {"comments"}
    dated = ["River festival breaks its record",
             "Published March 2 , 2024 at 5:38 pm | Updated at 6:02 pm", LEAD, CLOSE]
    assert clean_text("\n".join(dated)).paragraphs == [LEAD, CLOSE]


POLICY = "Comments are moderated before they appear on the site ."


def test_comments_opening_with_their_date_and_time_are_cut_when_in_time_order() -> None:
    comments = [
        "March 2nd , 2024 5:38 pm ET The mayor should have asked the boat clubs first .",
        "Nobody on our street was told about the road closures .",
        "March 3rd , 2024 9:02 am ET Best festival in years , the new stage was worth it .",
        "I hope they keep the fireworks at midnight next year too .",
    ]
    result = clean_text("\n".join(["River festival breaks its record", LEAD, CLOSE, *comments,
                                    POLICY]))
    assert result.paragraphs == [LEAD, CLOSE]
    assert {item.text: item.reason for item in result.removed}[comments[1]] == "comments"


def test_dated_entries_newest_first_or_without_a_comment_form_are_kept() -> None:
    entries = [
        "March 3 , 2024 9:02 am ET The boat parade moves to Sunday because of the wind forecast .",
        "March 2 , 2024 5:38 pm ET The organisers counted a record crowd on the first evening .",
    ]
    # A live blog or a blog's index of posts lists its entries newest first.
    assert _kept(LEAD, *entries, CLOSE, POLICY) == [LEAD, *entries, CLOSE]
    # A chronology in the story, oldest first, on a page that takes no comments.
    assert _kept(LEAD, *reversed(entries), CLOSE) == [LEAD, *reversed(entries), CLOSE]


def test_a_footer_with_a_dash_and_report_abuse_opens_the_thread() -> None:
    comment = "Mar 2 , 2024 5:38 pm EDT -- Report as abuse The old stage was better ."
    result = clean_text(f"River festival breaks its record\n{LEAD}\n{CLOSE}\n{comment}")
    assert result.paragraphs == [LEAD, CLOSE]
    prose = "The vote closed at 5:38 pm -- reply cards were counted by hand on Sunday ."
    assert _kept(LEAD, prose, CLOSE) == [LEAD, prose, CLOSE]


def test_embedded_posts_and_decimal_tables_are_not_comment_threads() -> None:
    lines = [
        LEAD,
        "Festival guests posted their pictures all night.",
        "— Kestrel Bay Council (@kestrelbay) June 9, 2019",
        "The crowd stayed until the fireworks ended at midnight on the old bridge.",
        "— Jane Doe (@janedoe) June 9, 2019",
        "| Stall | Price | Change |",
        "| Lemonade | 2.50 | -12.99 |",
        CLOSE,
    ]
    assert _kept(*lines) == lines


def test_extracted_text_keeps_bare_links_and_foreign_lines() -> None:
    text = f"{LEAD}\nhttps://example.org/programme\nСписок участников\n{CLOSE}"
    assert clean_text(text, extracted=True, title="River festival").paragraphs == text.split("\n")
    assert "https://example.org/programme" not in clean_text(text).paragraphs


def test_dated_schedule_at_the_end_is_not_a_comment_thread() -> None:
    schedule = ["Opening concert, 14 June 2019, 18:00", "Boat parade, 15 June 2019, 11:00",
                "Fireworks, 15 June 2019, 22:30"]
    assert _kept(LEAD, CLOSE, "The programme:", *schedule)[-3:] == schedule
    assert _kept(LEAD, CLOSE, *schedule)[-3:] == schedule


def test_menu_items_before_the_headline_are_not_the_title() -> None:
    menu = ["World News", "Business", "Local Sport", "Culture", "Weather", "Video", "Opinion",
            "Travel", "Science"]
    result = clean_text("\n".join([*menu, "River festival breaks its record", LEAD, CLOSE]))
    assert result.title == "River festival breaks its record"
    assert result.paragraphs == [LEAD, CLOSE]


def test_three_word_headline_beats_its_standfirst() -> None:
    standfirst = "Organisers counted more visitors than in any year since the festival began"
    result = clean_text(f"Festival breaks record\n{standfirst}\n{LEAD}\n{CLOSE}")
    assert result.title == "Festival breaks record"
    assert result.paragraphs == [standfirst, LEAD, CLOSE]


def test_a_byline_or_printed_date_under_the_headline_leaves_it_the_title() -> None:
    standfirst = "Organisers counted more visitors than in any year since the festival began"
    for between in ("Published: June 21, 2019", "By Jane Doe"):
        text = f"River festival breaks its record\n{between}\n{standfirst}\n{LEAD}\n{CLOSE}"
        result = clean_text(text, now=datetime(2024, 1, 1))
        assert result.title == "River festival breaks its record"
        assert result.paragraphs == [standfirst, LEAD, CLOSE]


def test_a_clean_article_with_its_byline_and_date_is_not_judged_by_the_line_model() -> None:
    """A byline and a printed date are the article's own header, not page furniture: an article
    with nothing else around it is already clean and keeps every line."""
    story = [
        "The Kestrel Bay harbour warehouse, one of the oldest in town, burned down on Tuesday.",
        'The wooden building at 12 Quay St. was known as the "Old Net Store. "',
        "It was built in 1931, the same year the cooperative opened.",
        '"Not a nail in it. "',
        "Nobody was inside, the fire brigade said.",
        "\"You can't replace that. \"",
        "Crews fought the flames for four hours before the roof fell in.",
        "The cause of the fire is not yet known.",
        "The harbour office is helping the investigation.",
        "Police ask anyone with information to call Sgt. Tom Reed at 745-4811.",
    ]
    text = "\n".join(["Fire destroys the old harbour warehouse", "Published: August 7, 2019", *story])
    assert clean_text(text, now=datetime(2024, 1, 1)).paragraphs == story


def test_runs_of_lines_in_another_script_are_content() -> None:
    lines = [
        "Фестиваль на реке собрал в субботу рекордное число гостей, сообщили организаторы.",
        "- festival.open stage main",
        "- festival.close stage main",
        "В следующем году на другом берегу появится вторая сцена для концертов.",
    ]
    result = clean_text("В Северогорске прошёл фестиваль на реке\n" + "\n".join(lines))
    assert result.paragraphs == lines


def test_related_marker_in_the_menu_leaves_the_headline() -> None:
    result = clean_text(f"Read more\nRiver festival breaks its record\n{LEAD}\n{CLOSE}")
    assert result.title == "River festival breaks its record"
    assert result.paragraphs == [LEAD, CLOSE]
    assert [(item.text, item.reason) for item in result.removed] == [("Read more", "related")]


def test_masthead_menu_and_widgets_above_the_headline() -> None:
    page = [
        "The Riverside Courier",
        "Home  News  Sport  Culture  Weather",
        "RIVERSIDE COURIER | Local",
        "Weather: rain, 12°C",
        "Sign up for the Courier evening briefing",
        "River festival breaks its record",
        "21/06/2019 - 19:05",
        LEAD,
        CLOSE,
    ]
    text = "\n".join(page)
    result = clean_text(text, now=datetime(2024, 1, 1))
    assert result.title == "River festival breaks its record"
    assert result.published == "2019-06-21"
    assert result.paragraphs == [LEAD, CLOSE]


_MENU = [f"Section {name}" for name in ("Home", "World", "Business", "Sport", "Culture")]


def test_a_short_headline_beside_a_long_site_name_is_found_far_down_the_page() -> None:
    # Only five of the page title's eleven words are the headline's; two hundred menu lines
    # stand above it; a ticker of other stories' leads runs just above it. (The rules alone:
    # the line model's verdict on the story's last line is not what is tested here.)
    page = "\n".join([
        "6 Walks to Take in October - Expert Advice for Weekend River Walkers",
        *(_MENU * 40),
        "Ferry fares rise in spring, the harbour board said on Monday after a long meeting.",
        "New bridge opens to cyclists a month early, the council said in a statement on Friday.",
        "6 Walks to Take in October",
        LEAD,
        CLOSE,
    ])
    result = clean_text(page, line_model=False)
    assert result.title == "6 Walks to Take in October"
    assert result.paragraphs == [LEAD, CLOSE]
    removed = {item.text: item.reason for item in result.removed}
    assert removed["Ferry fares rise in spring, the harbour board said on Monday after a long "
                   "meeting."] == "above-headline"


def test_a_lowercase_byline_with_its_date_is_not_glued_to_the_headline() -> None:
    page = ["Crowds at the river festival break every record", "by Jeff Marlow — November 18, 2019",
            LEAD, CLOSE]
    result = clean_text("\n".join(page))
    assert result.title == "Crowds at the river festival break every record"
    assert result.byline == "Jeff Marlow"
    # A lowercase line that goes on with the sentence is still one paragraph with it.
    page = ["Crowds at the river festival break every record",
            "The houses along the coast were badly damaged and many were destroyed",
            "by the storm — which hit at night, the coastguard said."]
    wrapped = clean_text("\n".join(page))
    assert wrapped.paragraphs[-1].endswith("destroyed by the storm — which hit at night, the "
                                          "coastguard said.")


def test_a_reader_quoting_the_headline_far_down_the_page_is_no_headline() -> None:
    comments = [f"Reader {n} from the valley wrote that the river was higher than last year ."
                for n in range(160)]
    page = "\n".join([
        "How can we keep the river festival safe ?",
        LEAD,
        CLOSE,
        *comments,
        "How to keep the river festival safe ?",
        "Close the bridge at night , said another reader .",
    ])
    result = clean_text(page, line_model=False)
    assert result.title is None
    assert result.paragraphs[:3] == ["How can we keep the river festival safe ?", LEAD, CLOSE]
    assert not any(item.reason == "above-headline" for item in result.removed)


def _reasons(*lines: str) -> dict[str, str]:
    text = "\n".join(["River festival breaks its record", *lines])
    return {item.text: item.reason for item in clean_text(text).removed}


def test_names_joined_by_slashes_are_a_credit_not_the_story() -> None:
    credit, menu = "Jon Deerhurst/Kestrel Bay Post/Wirepix", "Login/Register"
    reasons = _reasons(LEAD, credit, CLOSE, menu)
    assert reasons[credit] == "credit"
    assert reasons[menu] == "credit"
    # A sentence with a slash in it is no credit.
    assert "Tickets cost 5/10 euros at the gate." in _kept(
        LEAD, "Tickets cost 5/10 euros at the gate.", CLOSE)


def test_markup_printed_as_text_is_code() -> None:
    escaped = '&amp;lt;span data-mce-type="bookmark" style="display: none"&amp;gt;'
    raw = '<img height="1" width="1" src="https://example.org/pixel.gif">'
    reasons = _reasons(LEAD, escaped, CLOSE, raw)
    assert reasons[escaped] == reasons[raw] == "code"
    quoted = 'The organisers wrote on their blog (via <a href="https://example.org">the town</a>).'
    assert quoted in _kept(LEAD, quoted, CLOSE)
