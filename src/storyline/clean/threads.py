"""Where a reader-comment thread begins, read from the shape of its lines in any language.

A page's comment form or a comment's stamp ("January 29, 2011 at 5:38 pm | Report abuse") marks
a thread, but the first comment, and whole threads whose stamps the flattening lost, come with
no mark: they sit between the story's last paragraph and the form. They read differently from
the story: readers write in the first and second person, ask and exclaim, shout in capitals,
start in lower case; a story attributes ("she said", quote marks). The lead-in of a thread is
the run of lines before the form whose sum of that evidence is largest (`thread_start`).
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Sequence

from storyline.clean.dates import TIME_RE, leading_stamp
from storyline.clean.lines import Line
from storyline.clean.patterns import Keyed

# First- and second-person pronouns and possessives, per language: readers address the story
# and each other; a story writes in the third person except inside quotes.
_PERSONAL = {
    "en": "i me my mine we us our you your yours i'm i've i'd i'll im ive",
    "es": "yo me mi mis nosotros nosotras nos nuestro nuestra tú tu tus te usted ustedes vosotros",
    "fr": "je me moi mon ma mes nous notre nos tu te toi ton ta tes vous votre vos",
    "de": "ich mich mir mein meine meinen wir uns unser unsere du dich dir dein deine ihr euch",
    "it": "io mi me mio mia miei noi ci nostro nostra tu ti te tuo tua voi vi vostro",
    "pt": "eu me mim meu minha nós nos nosso nossa tu te ti teu tua você vocês",
    "nl": "ik me mij mijn wij we ons onze jij je jou jouw jullie u uw",
    "ru": "я меня мне мой моя мои мы нас нам наш наша ты тебя тебе твой вы вас вам ваш",
}
PERSONAL = {language: frozenset(words.split()) for language, words in _PERSONAL.items()}
# Verbs and phrases of attribution: a story reports who said what.
_REPORTING = {
    "en": "said says told according added reported stated announced",
    "es": "dijo dice afirmó señaló según declaró aseguró indicó",
    "fr": "déclaré dit selon affirmé indiqué annoncé précisé",
    "de": "sagte sagt erklärte laut teilte berichtete betonte",
    "it": "detto dichiarato secondo affermato spiegato annunciato",
    "pt": "disse afirmou segundo declarou informou",
    "nl": "zei zegt volgens verklaarde meldde",
    "ru": "заявил заявила сказал сказала сообщил сообщила словам",
}
REPORTING = {language: frozenset(words.split()) for language, words in _REPORTING.items()}
_OPEN_QUOTES = ("``", "“", "«", "„", "‹", "「")
_CLOSE_QUOTES = ("''", "”", "»", "›", "」")
# Runs of marks ("!!", "?!", "? !", "....").
_MARK_RUNS = ("!!", "??", "?!", "!?", "! !", "? ?", "? !", "! ?", "....")
# The lines that close a story: the contributors' credit, an opinion piece's disclaimer.
# Whatever stands between such a line and the thread's form was posted below the story.
_STORY_END = Keyed(re.compile(
    r"contributed\s+to\s+(?:this|the)\s+(?:report|story|article)"
    r"|(?:views|opinions)\s+expressed\s+(?:in\s+this\s+\w+\s+)?are\s+(?:solely\s+)?(?:those|the)"
    r"|colabor[óo]\s+(?:en|con)\s+(?:este|esta)\s+(?:informe|nota|reportaje)"
    r"|a\s+contribué\s+à\s+cet\s+article|hat\s+zu\s+diesem\s+bericht\s+beigetragen"
    r"|ha(?:nno)?\s+contribuito\s+a\s+questo\s+articolo",
    re.IGNORECASE,
), ("contribu", "expressed", "colabor", "beigetragen"))
# A post that closes with its picture: the caption ("Photo : …", "PHOTO shows …", "(Photos of
# …)"; "Images of birds …" is a sentence) and a photo agency's credit ("REUTERS/Jane Doe", "AFP Photo/Jean Dupont"; Timeline17
# writes the slash "\\/"; "CNN/Opinion Research Corp." is a pollster, not a credit). Below the
# last picture before the thread's form or first stamp come the readers; text glued after the
# credit on its line is the first comment.
# Matched at the line's start, where most lines fail on their first letter.
_PICTURE_RE = re.compile(
    r"\W*(?:photos?|fotos?|фото|pictures?|images?|imagen|immagine|bild)\b(?:\s*,[^:]{0,30})?"
    r"\s*(?::|shows?\b|muestra\b|montre\b|zeigt\b|mostra\b)"
    r"|\s*(?:\(|-LRB-)\s*(?:photos?|fotos?|фото|pictures?|images?|imagen|immagine|bild)\b",
    re.IGNORECASE,
)
_PHOTO_CREDIT_RE = re.compile(
    r"\b(?:REUTERS|Reuters|AFP|AP|EPA|DPA|dpa|EFE|ANSA|XINHUA|Xinhua|KEYSTONE|Keystone|PA"
    r"|Getty\s+Images|(?:AP|AFP|EPA|ANSA)\s+Photo)\s*\\?/\s*"
    r"[A-Z][a-z]+(?:\s+[A-Z][a-z][\w.'\-]*){1,2}"
)
# The captions in brackets after a credit ("REUTERS/Jane Doe (oil on the Gulf's surface) …").
_BRACKETS_RE = re.compile(r"^\s*(?:(?:\(|-LRB-)(?:(?!-RRB-)[^()])*(?:\)|-RRB-)\s*)*")
# Words after a credit on its line that make it a glued comment, not the end of a caption.
_GLUED_WORDS = 3
# A post that ends by asking its readers ("Here's my question to you: …?", "What do you think?",
# "Tell us what you think."): what follows, up to the thread's form or first stamp, are their
# answers. The call opens its line (inside a story it is a quote: "`` What do you think ?").
_CALL_TO_READERS_RE = re.compile(
    r"^(?:here\s*'?\s*s\s+my\s+question\s+(?:to|for)\s+you|interested\s+to\s+(?:know|hear)\b"
    r"|(?:please\s+)?(?:tell|let)\s+us\s+(?:know\s+)?what\s+you\s+think"
    r"|what\s+do\s+you\s+think\s*\?\s*$|share\s+your\s+(?:thoughts|views|opinions?)\b"
    r"|¿?\s*qu[ée]\s+(?:opinas|opina\s+usted|piensas|piensa\s+usted)\s*\?|déjanos\s+tu\s+opinión"
    r"|qu'en\s+pensez[-\s]vous|donnez[-\s]nous\s+votre\s+avis"
    r"|was\s+(?:meinen|denken)\s+sie\s*\?|sagen\s+sie\s+uns\s+ihre\s+meinung"
    r"|(?:e\s+)?voi\s+cosa\s+ne\s+pensate|cosa\s+ne\s+pensate|dite\s+la\s+vostra"
    r"|что\s+вы\s+думаете|поделитесь\s+(?:своим\s+)?мнением)",
    re.IGNORECASE,
)
# A blog post's footer: its author, then a pipe or "on"/"at" and the date and time it was
# posted ("By Jane Doe | June 16 , 2010 ; 5:08 PM ET", "Posted by Jane Doe at 10:48 AM").
# What the page prints below it, up to the thread's form or first stamp, is the thread; the
# flattening may glue the first comment to the footer's own line. A footer follows story
# paragraphs: this many lines above it end a sentence of at least this many words.
_FOOTER_MIN_STORY_LINES = 2
_CLOSING = " \t'\"`”’»)]"
_FOOTER_STORY_WORDS = 6
_POSTED_BY = (
    r"(?:posted\s+by|post\s+by|publié\s+par|publicado\s+por|pubblicato\s+da|eingestellt\s+von"
    r"|veröffentlicht\s+von|geplaatst\s+door|опубликовал[аио]?)"
)
_ON_AT = r"(?:on|at|le|à|el|a\s+las|am|um|il|alle|op|om|в)"
_POST_FOOTER_RE = re.compile(
    rf"^\W*(?:by|{_POSTED_BY})\s*:?\s+"
    rf"[^|\n]{{1,60}}?(?:\||\s{_ON_AT}\s)"
    rf"[^|\n]{{0,40}}?(?:{TIME_RE.pattern})",
    re.IGNORECASE,
)
# A comment's signature, closing its line (the flattening may glue it to the comment's last
# sentence): who posted it, then the full date and time, nothing after ("Posted by Jane Roe on
# April 2 , 2005 11:01 PM ."). One such line may be a post's own footer; a thread repeats it.
_SIGNATURE = Keyed(re.compile(
    rf"(?:^|\s){_POSTED_BY}\s*:?\s+[^|\n]{{1,40}}?\s{_ON_AT}\s+(?P<when>[^|\n]{{4,30}}?"
    rf"(?:{TIME_RE.pattern}))\s*(?:[A-Z]{{2,4}}\s*)?[.\s]*$",
    re.IGNORECASE,
), ("posted", "post ", "publi", "pubblicato", "eingestellt", "veröffentlicht", "geplaatst",
    "опубликовал"))
# A line's score: the evidence for a reader's comment, minus a constant a line must overcome.
_SHARE_OF_CAPITALS = 0.7
_LINE_COST = 0.5
# A lead-in is taken only when its evidence adds up to this much (about two clear comments);
# above a comment's stamp, which a thread's first comment prints below it, one is enough.
MIN_EVIDENCE = 2.0
MIN_EVIDENCE_ABOVE_STAMP = 1.0
_QUOTE_MAX_LINES = 4
# One comment above the first stamp of a stamped thread: it is looked for within this many
# times the thread's lines per comment, each line costs this much plus the story's mean, and
# the lines taken add up to at least this much evidence. (0.35 instead of a lead-in's 0.5:
# held out 79 -> 71 comment lines left, no story line cut; session 8 read 3-11 tuning story
# lines cut at 0.25-0.35, but those of 0.35 were comments of pages the tuning count started at
# their first stamp; 0.3 cuts 7 more, the closing lines of two stories.)
ONE_COMMENT_SPAN = 2
ONE_COMMENT_COST = 0.35
ONE_COMMENT_EVIDENCE = 0.5
# A short story under a long thread: the span's opening third is then comments already, and
# read as the story's own voice it hides them. The thread starts instead where the lines
# above read as reported prose (at least this many, opening with as many sentences, their mean
# evidence at most this much) and the lines below as comments (their mean at least this
# much), at the same line cost.
FLOODED_STORY_LINES = 2
FLOODED_STORY_MEAN = 0.3
FLOODED_THREAD_MEAN = 0.5
# A transcript's speaker turns ("<NAME> :", "<NAME> , HOST :"; a live blog's "<COUNTRY> ,
# <h:mm> p.m. ET :" is no speaker): its questions and first person are the story's, so a span
# where two speakers take turns holds no thread.
_SPEAKER_RE = re.compile(r"[A-Z][A-Z.'\-]+(?:\s+[A-Z][A-Z.'\-]+){0,3}\s*(?:,[^:\d]{0,40})?:")


def _is_transcript(lines: Sequence[Line], span: Sequence[int]) -> bool:
    """Whether two speakers take turns in `span` (each named at two turns or more)."""
    turns = Counter(match[0].split(",")[0].rstrip(" :") for i in span
                    if (match := _SPEAKER_RE.match(lines[i].text)))
    return sum(1 for count in turns.values() if count >= 2) >= 2


def _quote_marks(text: str) -> tuple[int, int]:
    if text.isascii():  # of the marks, ASCII text can only hold `` '' and "
        opened, closed = text.count("``"), text.count("''")
    else:
        opened = sum(text.count(mark) for mark in _OPEN_QUOTES)
        closed = sum(text.count(mark) for mark in _CLOSE_QUOTES)
    straight = text.count('"')
    return opened + straight // 2 + straight % 2, closed + straight // 2


def comment_evidence(line: Line, quoted: bool, language: str | None) -> float:
    """How much `line` reads as a reader's comment rather than story prose (negative: story).

    `quoted` says the line stands inside, opens or closes a quotation, which a story prints.
    """
    if not line.words:
        return 0.0
    folded = list(map(str.casefold, line.words))
    score = -1.0 if quoted else 0.0
    if not REPORTING.get(language or "", frozenset()).isdisjoint(folded):
        score -= 1.0
    personal = PERSONAL.get(language or "", frozenset())
    # "US" is the country, not "us". (Most lines hold no pronoun: one set test spares them
    # the walk word by word.)
    if not personal.isdisjoint(folded) and any(
        word in personal and (original == "I" or not original.isupper())
        for word, original in zip(folded, line.words, strict=True)
    ):
        score += 1.0
    text = line.text.rstrip()
    if text.endswith(("?", "!")) or text.rstrip(" .").endswith(("?", "!")):
        score += 1.0
    if line.words[0][0].islower():
        score += 1.0
    letters = sum(map(len, line.words))
    capitals = sum(map(len, filter(str.isupper, line.words)))
    if len(folded) >= 3 and capitals >= _SHARE_OF_CAPITALS * letters:
        score += 1.0  # shouting
    if any(run in text for run in _MARK_RUNS):
        score += 1.0
    return score


def quoted_lines(lines: Sequence[Line]) -> list[bool]:
    """Whether each line opens, closes or stands inside a quotation (quotes span lines when the
    text is split into sentences, but a few at most: a mark left open is not followed further)."""
    left = 0  # lines a quotation opened above may still run on
    flags: list[bool] = []
    for line in lines:
        opened, closed = _quote_marks(line.text)
        flags.append(left > 0 or bool(opened or closed))
        if opened > closed:
            left = _QUOTE_MAX_LINES
        elif closed > opened:
            left = 0
        else:
            left = max(0, left - 1)
    return flags


def signature_moment(text: str) -> tuple[int, int, int, int, int] | None:
    """When the comment whose signature closes `text` was posted (None: no signature)."""
    match = _SIGNATURE.search_as_written(text)
    return leading_stamp(match["when"]) if match else None


def _picture(text: str) -> int | None:
    """Whether `text` is a picture's caption or credit: 0 when a comment is glued after it on
    its line, 1 when it ends on its line; None when it is no picture."""
    credits = list(_PHOTO_CREDIT_RE.finditer(text)) if "/" in text else []
    if credits:
        # "REUTERS/Jane Doe ; A protester …", "… (two photos) (A worker …": the captions go on.
        rest = _BRACKETS_RE.sub("", text[credits[-1].end():])
        glued = len(rest.split()) >= _GLUED_WORDS and not rest.startswith(
            (";", ",", "(", "-LRB-"))
        return 0 if glued else 1
    if _PICTURE_RE.match(text):
        # "(Photos of the protests) My dear neighbours !": a comment glued after it.
        rest = _BRACKETS_RE.sub("", text)
        return 0 if rest != text and len(rest.split()) >= _GLUED_WORDS else 1
    return None


def _picture_closing(
    lines: Sequence[Line], reasons: Sequence[str | None], floor: int, anchor: int
) -> int | None:
    """The first line that may be a comment below the last picture between `floor` and
    `anchor`, when that picture closes story paragraphs (a lead picture sits under the
    headline and byline); else None."""
    for i in range(anchor - 1, floor, -1):
        offset = _picture(lines[i].text)
        if offset is not None:
            return i + offset if _below_paragraphs(lines, reasons, i) else None
    return None


def _below_paragraphs(lines: Sequence[Line], reasons: Sequence[str | None], index: int) -> bool:
    """Whether the open lines right above line `index` (pictures aside) end sentences, the
    nearest a full one: story paragraphs, not a menu or a byline."""
    above = (i for i in range(index - 1, -1, -1)
             if reasons[i] is None and _picture(lines[i].text) is None)
    story = list(itertools.islice(above, _FOOTER_MIN_STORY_LINES))
    return (len(story) == _FOOTER_MIN_STORY_LINES and _ends_sentence(lines[story[0]])
            and all(_ends_sentence(lines[i], min_words=1) for i in story[1:]))


def _closes_story(text: str) -> bool:
    return _STORY_END.search_as_written(text) is not None


def _ends_sentence(line: Line, min_words: int = _FOOTER_STORY_WORDS) -> bool:
    """A sentence of the story: enough words, a stop (before closing quotes) at its end."""
    return line.n_words >= min_words and line.text.rstrip(_CLOSING).endswith(
        (".", "!", "?", "…", "。"))


def _closes_post(lines: Sequence[Line], above: Sequence[int], index: int) -> bool:
    """Whether line `index` is a post's footer: its shape, below story paragraphs (the
    same line above a headline's lead is the post's byline). `above`: the open lines above it
    in the span."""
    return (
        len(above) >= _FOOTER_MIN_STORY_LINES
        and all(_ends_sentence(lines[i]) for i in above[-_FOOTER_MIN_STORY_LINES:])
        and bool(_POST_FOOTER_RE.match(lines[index].text))
    )


def thread_start(
    lines: Sequence[Line],
    reasons: Sequence[str | None],
    anchor: int,
    floor: int,
    language: str | None,
    stamped: bool = False,
    comment_lines: int | None = None,
    headed: bool = False,
) -> int | None:
    """The first line of the comments that precede `anchor` (a comment form, or a comment's
    stamp when `stamped`), or None.

    Scanning back from the anchor to just after `floor` (the story's first paragraph, which is
    never a comment), the start is where the summed evidence of the lines after it peaks; lines
    other stages already removed count for nothing. None when the peak stays below
    `MIN_EVIDENCE`: the story runs right up to the form.

    `headed`: the line `floor` is a notice about the comments, which heads their thread as a
    story's closing credit does when it stands below story paragraphs.

    A long thread under a short story hides its start that way (the story's opening is the
    thread already): the start is then looked for as a change point (`_flooded_start`), and
    the earlier of the two is taken. A span where two speakers take turns is a transcript:
    None.

    `comment_lines`: the thread stamps its comments about this many lines apart, and one
    comment stands above its first stamp: it is looked for within `ONE_COMMENT_SPAN` times
    that many lines, and `ONE_COMMENT_EVIDENCE` is enough to take it.
    """
    if comment_lines is not None:
        floor = max(floor, anchor - 1 - ONE_COMMENT_SPAN * comment_lines)
    quoted = quoted_lines(lines[floor + 1 : anchor])
    span = [i for i in range(floor + 1, anchor) if reasons[i] is None]
    if _is_transcript(lines, span):
        return None
    evidence = {i: comment_evidence(lines[i], quoted[i - floor - 1], language) for i in span}
    credit = max((i for i in span if _closes_story(lines[i].text)
                  or _CALL_TO_READERS_RE.match(lines[i].text)), default=-1)
    # A credit's or a call's line is the story's; a picture's may hold the first comment.
    boundary = max(credit + 1, _picture_closing(lines, reasons, floor, anchor) or -1,
                   floor + 1 if headed and _below_paragraphs(lines, reasons, floor) else -1)
    footer = next((i for k, i in enumerate(span)
                   if i >= boundary and _closes_post(lines, span[:k], i)), None)
    if boundary > 0 or footer is not None:
        # The footer's own line may hold the first comment.
        after = [i for i in span if i >= (boundary if footer is None else footer)]
        # Below the story's closing credit, its call to readers, its picture or the post's
        # footer, anything but reported prose is the thread.
        if after and sum(evidence[i] for i in after) >= 0:
            return after[0]
        span = after
    # A story told in the first person (a speech, an interview, a column) reads like comments
    # from its start: a line must stand out from the story's own opening to count.
    opening = span[: len(span) // 3]
    baseline = sum(evidence[i] for i in opening) / len(opening) if opening else 0.0
    line_cost = _LINE_COST if comment_lines is None else ONE_COMMENT_COST
    cost = line_cost + max(0.0, baseline)
    needed = MIN_EVIDENCE_ABOVE_STAMP if stamped else MIN_EVIDENCE
    if comment_lines is not None:
        needed = ONE_COMMENT_EVIDENCE
    total, best, start = 0.0, 0.0, None
    for i in reversed(span):
        total += evidence[i] - cost
        if total > best:
            best, start = total, i
    flooded = _flooded_start(lines, span, evidence, needed)
    if start is None or best < needed:
        return flooded
    return start if flooded is None else min(start, flooded)


def _flooded_start(
    lines: Sequence[Line], span: Sequence[int], evidence: dict[int, float], needed: float
) -> int | None:
    """Where a long thread under a short story starts: the line below which the summed
    evidence, less the line cost over the mean of the lines above, peaks, with the lines above
    reading as reported prose and those below as comments (`FLOODED_*`); None when no line
    qualifies."""
    above = list(itertools.accumulate((evidence[i] for i in span), initial=0.0))
    # The story opens with sentences: a blog's menus and headings above a post in the first
    # person are no short story.
    if not all(_ends_sentence(lines[i]) for i in span[:FLOODED_STORY_LINES]):
        return None
    below, best, start = 0.0, 0.0, None
    for k in range(len(span) - 1, FLOODED_STORY_LINES - 1, -1):
        below += evidence[span[k]]
        story_mean, count = above[k] / k, len(span) - k
        if story_mean > FLOODED_STORY_MEAN or below < FLOODED_THREAD_MEAN * count:
            continue
        gain = below - (_LINE_COST + max(0.0, story_mean)) * count
        if gain > best:
            best, start = gain, span[k]
    return start if best >= needed else None


def last_line_above(
    lines: Sequence[Line], reasons: Sequence[str | None], anchor: int, floor: int,
    language: str | None,
) -> int | None:
    """The line right above `anchor`, a comment's footer that opens its line, as the last line
    of the comment that footer closes (the first comment of a thread whose footers print below
    their comments); None when no open line stands between `floor` (the story's first
    paragraph) and the anchor, or when that line closes the story (its credit, its call to
    readers, its picture, a post's footer), reads as reported prose, or belongs to a
    transcript."""
    span = [i for i in range(floor + 1, anchor) if reasons[i] is None]
    if not span or _is_transcript(lines, span):
        return None
    last = span[-1]
    text = lines[last].text
    if (_closes_story(text) or _CALL_TO_READERS_RE.match(text) or _picture(text) is not None
            or _POST_FOOTER_RE.match(text)):
        return None
    quoted = quoted_lines(lines[floor + 1 : anchor])[last - floor - 1]
    return last if comment_evidence(lines[last], quoted, language) >= 0 else None
