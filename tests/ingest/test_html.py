"""The HTML reader on hand-written pages (own sentences), bad bytes, and fuzzed input."""

from __future__ import annotations

import gzip

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyline.ingest.config import HtmlConfig, IngestConfig
from storyline.ingest.html import (
    decode_html,
    filter_boilerplate_lines,
    html_to_text,
    is_boilerplate_line,
    read_html,
)
from storyline.model import RawDocument

STORY = [
    ("The harbour council of Westmere voted on Tuesday to close the old ferry pier for repairs, "
    "after divers found that three of its oak pillars had rotted through below the waterline."),
    ("Engineers told the council that the pier could carry foot traffic for another month at most, "
    "and that heavy delivery carts had to stop using it immediately to avoid a collapse."),
    ("Fishermen who moor their boats along the pier said they had warned about the damage for two "
    "winters, and asked the council to find them temporary berths in the northern basin."),
    ("The mayor said the repairs would cost about four hundred thousand crowns and should be "
    "finished before the summer festival, when the ferry carries most of its passengers."),
    ("A public meeting on the temporary timetable is planned for next Thursday evening in the "
    "town library, where residents can put their questions to the harbour master directly."),
]
BOILERPLATE = [
    "Home", "World", "Sport", "Weather",
    "Share on Facebook", "Share on Twitter",
    "We use cookies to improve your experience. Accept all cookies",
    "The old pier at dawn. Photo: Lena Marsh",
    "Leave a comment",
    "Great article, thanks for writing it!",
    "Posted by harbourfan at 10:14",
    "Related: New lighthouse lamp installed after storm damage",
    "Copyright 2024 Westmere Courier. All rights reserved.",
    "Subscribe to our newsletter",
]


def news_page(story: list[str] = STORY, charset: str = "utf-8") -> str:
    paragraphs = "\n".join(f"<p>{paragraph}</p>" for paragraph in story)
    return f"""<!DOCTYPE html>
<html lang="en"><head>
<meta charset="{charset}">
<title>Westmere closes ferry pier for repairs - Westmere Courier</title>
<meta property="og:title" content="Westmere closes ferry pier for repairs">
<meta property="og:site_name" content="Westmere Courier">
<meta name="author" content="Ada Brennan">
<meta property="article:published_time" content="2024-03-12T09:30:00Z">
</head><body>
<div id="cookie-banner" class="cookie-consent"><p>{BOILERPLATE[6]}</p><button>OK</button></div>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/sport">Sport</a></li><li><a href="/weather">Weather</a></li></ul></nav></header>
<main><article>
<h1>Westmere closes ferry pier for repairs</h1>
<div class="share-bar"><a href="#">Share on Facebook</a> <a href="#">Share on Twitter</a></div>
<figure><img src="pier.jpg" alt=""><figcaption>{BOILERPLATE[7]}</figcaption></figure>
{paragraphs}
<p>Related: New lighthouse lamp installed after storm damage</p>
</article></main>
<section id="comments" class="comments">
<h3>Leave a comment</h3>
<div class="comment"><p class="comment-meta">Posted by harbourfan at 10:14</p>
<p>Great article, thanks for writing it!</p></div>
</section>
<footer><p>Subscribe to our newsletter</p>
<p>Copyright 2024 Westmere Courier. All rights reserved.</p></footer>
</body></html>"""


def test_extracts_story_without_page_boilerplate() -> None:
    page = html_to_text(news_page())
    assert page is not None
    for paragraph in STORY:
        assert paragraph in page.text
    for furniture in BOILERPLATE:
        assert furniture not in page.text, furniture
    assert page.text.split("\n\n") == STORY
    assert page.title == "Westmere closes ferry pier for repairs"
    assert page.date == "2024-03-12"
    assert page.sitename == page.outlet == "Westmere Courier"
    assert page.author == "Ada Brennan"
    assert page.language == "en"


def test_read_html_fills_the_raw_document() -> None:
    html = news_page()
    [document] = read_html("https://courier.example/pier.html", html.encode("utf-8"))
    assert isinstance(document, RawDocument)
    assert document.format == "html" and document.extracted is True
    assert document.source == "https://courier.example/pier.html"
    assert document.raw == html
    assert document.title == "Westmere closes ferry pier for repairs"
    assert document.published == "2024-03-12"
    assert document.outlet == "Westmere Courier"
    assert document.byline == "Ada Brennan"
    assert document.text.split("\n\n") == STORY


def test_gzipped_page_reads_like_the_plain_one() -> None:
    data = news_page().encode("utf-8")
    [plain] = read_html("pier.html", data)
    [zipped] = read_html("pier.html.gz", gzip.compress(data))
    assert zipped.text == plain.text and zipped.title == plain.title


def test_truncated_gzip_is_a_value_error() -> None:
    data = gzip.compress(news_page().encode("utf-8"))
    with pytest.raises(ValueError, match="gzip"):
        read_html("pier.html.gz", data[: len(data) // 2])


def test_gzip_bomb_is_refused() -> None:
    small = IngestConfig(html=HtmlConfig(max_bytes=10_000))
    with pytest.raises(ValueError, match="larger than"):
        read_html("bomb.html.gz", gzip.compress(b"<p>" + b"a" * 50_000), small)


def test_cp1251_meta_charset_decodes_cyrillic() -> None:
    story = [
        ("Городской совет Вестмира во вторник решил закрыть старый паромный причал на ремонт, "
        "потому что водолазы нашли под водой три сгнивших дубовых опоры."),
        ("Инженеры сказали, что причал выдержит пешеходов ещё не больше месяца, а тяжёлые "
        "тележки с грузами должны немедленно перестать по нему ездить."),
        ("Рыбаки, которые держат лодки у причала, попросили совет найти им временные места "
        "в северной гавани до окончания работ летом."),
    ]
    data = news_page(story, charset="windows-1251").encode("cp1251")
    [document] = read_html("pier-ru.html", data)
    assert document.text.split("\n\n") == story


def test_latin1_without_declaration_and_bom_utf8() -> None:
    sentence = "Après l'été, le café du quai à Genève a fermé ses portes pour des travaux. "
    text = f"<html><body><p>{sentence * 6}</p></body></html>"
    assert sentence in decode_html(text.encode("latin-1"))
    assert decode_html(b"\xef\xbb\xbf" + text.encode("utf-8")) == text


def test_lying_charset_declaration_falls_back_to_detection() -> None:
    html = "<html><head><meta charset='ascii'></head><body><p>Zürich – naïve café</p></body></html>"
    assert "Zürich – naïve café" in decode_html(html.encode("utf-8"))


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"   \n",
        b"<html><head><title>Only a title</title></head></html>",
        b"<html><head><script>var a = 1;</script></head><body></body></html>",
        "<svg><p><p>".encode("utf-16"),  # once crashed htmldate with an AssertionError
    ],
)
def test_html_without_body_is_a_value_error(data: bytes) -> None:
    with pytest.raises(ValueError):
        read_html("empty.html", data)


def test_raw_is_bounded() -> None:
    [document] = read_html("pier.html", news_page().encode("utf-8"),
                           IngestConfig(max_raw_chars=500))
    assert len(document.raw) == 500


@pytest.mark.parametrize(
    "line",
    [
        "Related: Storm closes coastal road",
        "Read more: Ferry prices rise again",
        "Lire aussi : le port rouvre lundi",
        "Comments",
        "12 comments",
        "Follow us on Twitter and Instagram.",
        "Get the morning briefing delivered to your inbox.",
        "Subscribe to our newsletter",
        "© 2024 Westmere Courier",
        "Tempo de leitura: 3 minutos",
        '[button link="https://example.org/x"] Send us your photos[/button]',
        "Updated at 4:15 p.m.",
        "Storm closes the coast road again [VIDEO]",
    ],
)
def test_boilerplate_lines(line: str) -> None:
    assert is_boilerplate_line(line)


@pytest.mark.parametrize(
    "line",
    [
        STORY[0],
        "[1] Harbour survey, second edition, page 41.",
        "[Reuters]",
        "More than 300 residents came to the meeting.",
        "The council said more repairs would follow.",
        # long lines are story text even when a cue word appears
        ("Readers who subscribe to the paper's weekly newsletter were the first to learn that the "
        "council had set aside money for the pier, a decision that surprised several members "
        "of the opposition who had asked for a public debate on the budget before any vote."),
    ],
)
def test_story_lines_are_not_boilerplate(line: str) -> None:
    assert not is_boilerplate_line(line)


def test_headline_repeated_as_first_line_is_dropped() -> None:
    lines = ["Westmere closes ferry pier", STORY[0], STORY[1]]
    assert filter_boilerplate_lines(lines, "Westmere closes ferry pier - Westmere Courier") == [
        STORY[0], STORY[1],
    ]
    # a reworded headline (no sentence end, most words in the title) goes too
    assert filter_boilerplate_lines(["Ferry pier in Westmere closes", STORY[0]], "Westmere closes "
                                    "ferry pier for repairs") == [STORY[0]]
    # a first sentence that shares words with the title stays, even inside quotes
    sentence = "“Westmere closes the pier,” the mayor said."
    assert filter_boilerplate_lines([sentence, STORY[0]], "Westmere closes the pier") == [
        sentence, STORY[0],
    ]
    assert filter_boilerplate_lines([STORY[0]], "The harbour") == [STORY[0]]


def test_credit_trailers_are_cut_only_at_the_end() -> None:
    source_line = "Source: the harbour master's annual report."
    lines = [source_line, STORY[0], STORY[1], "Reporting by Ada Brennan; Editing by Tom Hale",
             "Lena Marsh contributed reporting from Eastport."]
    assert filter_boilerplate_lines(lines) == [source_line, STORY[0], STORY[1]]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000))
def test_arbitrary_bytes_never_crash(data: bytes) -> None:
    try:
        documents = read_html("fuzz.html", data)
    except ValueError:
        return
    assert all(isinstance(d, RawDocument) and d.text.strip() for d in documents)


_TAGS = st.sampled_from([
    "p", "div", "li", "td", "tr", "table", "h2", "br", "a", "article", "nav", "footer", "script",
    "style", "svg", "math", "template", "title", "body", "head", "!--", "meta",
])
# Tag soup: opening and closing tags in any order, mixed with arbitrary text.
_TAG_SOUP = st.lists(
    st.one_of(st.text(max_size=200), _TAGS.map("<{}>".format), _TAGS.map("</{}>".format)),
    max_size=40,
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TAG_SOUP, st.sampled_from(["utf-8", "utf-16", "cp1251", "gzip"]))
def test_arbitrary_markup_never_crashes(parts: list[str], encoding: str) -> None:
    html = "".join(parts)
    if encoding == "gzip":
        data = gzip.compress(html.encode("utf-8", "surrogatepass"))
    else:
        data = html.encode(encoding, "replace" if encoding == "cp1251" else "surrogatepass")
    try:
        documents = read_html("fuzz.html", data)
    except ValueError:
        return
    assert all(d.text.strip() and "\x00" not in d.text for d in documents)
