"""Sentence splitting with character offsets into the article text.

blingfire splits each paragraph (it is fast and knows most abbreviations); its sentences are
aligned back onto the original text, then splits after titles and abbreviations it missed
("Sr.", "Jan.", "U.S.") are undone. A sentence never crosses a paragraph break, nor a line
break that ends a line (a headline, a caption) rather than wrapping one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import blingfire

from storyline.enrich.language import word_set
from storyline.model import Sentence

# Titles are always followed by a name: a split after them is always wrong.
TITLE_ABBREVIATIONS = word_set(
    "mr mrs ms dr sr sra srta st prof gen col lt sgt capt gov sen rep rev mme mlle hr fr dott "
    "ing lic"
)
# Other abbreviations: a split after them is wrong unless a usual sentence opener follows.
OTHER_ABBREVIATIONS = word_set(
    "jan feb mar apr jun jul aug sep sept oct nov dec no nos vs etc approx inc corp ltd co jr "
    "u.s u.k u.n e.u u.s.a a.m p.m e.g i.e dept est fig vol art núm pág"
)
SENTENCE_OPENERS = word_set(
    "the a an he she it they we i but and this that these there his her its their in on "
    "el la los las él ella pero le il elle ils les mais der die das er sie es aber"
)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_LINE_BREAK = re.compile(r"\n")
_LAST_WORD = re.compile(r"(?:^|[\s(\"'“«])([\w.]+)\.$")
_END_THEN_SPACE = re.compile(r"[.!?…][\"'”»)]*\s+")
_FALLBACK_SPLIT = re.compile(r"(?<=[.!?…。؟])[\"'”»)]*\s+")
# A block with none of these before its last character is one sentence: blingfire is not
# called (most blocks are one-line headlines, captions or already one sentence per line).
_POSSIBLE_END = re.compile(r"[.!?…。؟\n]")


def split_sentences(text: str) -> list[Sentence]:
    """Sentences in order; `text[s.start:s.end] == s.text` always holds."""
    sentences: list[Sentence] = []
    for block_start, block_end in _blocks(text):
        spans = _split_missed_ends(text, _align(text, block_start, block_end))
        for start, end in _undo_false_splits(text, spans):
            sentences.append(Sentence(text[start:end], start, end))
    return sentences


def _blocks(text: str) -> Iterator[tuple[int, int]]:
    """Spans of text between hard boundaries (paragraph breaks and line-ending line breaks)."""
    position = 0
    for paragraph_break in _PARAGRAPH_BREAK.finditer(text):
        yield from _lines(text, position, paragraph_break.start())
        position = paragraph_break.end()
    yield from _lines(text, position, len(text))


def _lines(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    position = start
    for line_break in _LINE_BREAK.finditer(text, start, end):
        cut = line_break.start()
        before = text[position:cut].rstrip()
        after = text[line_break.end() : end].lstrip()
        wrapped = before[-1:].islower() or before[-1:] in ",;-"
        if wrapped and after[:1].islower():
            continue  # a wrapped line: the sentence goes on
        if before.strip():
            yield position, cut
        position = line_break.end()
    if text[position:end].strip():
        yield position, end


def _align(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """blingfire's sentences for text[start:end] as offsets into `text`."""
    block = text[start:end]
    if not _POSSIBLE_END.search(block, 0, len(block.rstrip()) - 1):
        return [_strip(text, start, end)] if block.strip() else []
    try:
        pieces = blingfire.text_to_sentences(block).split("\n")
    except Exception:  # noqa: BLE001 - any native failure falls back to the regex splitter
        pieces = []
    spans: list[tuple[int, int]] = []
    cursor = 0
    for piece in pieces:
        span = _locate(block, piece.strip(), cursor)
        if span is None:
            return _regex_spans(text, start, end)
        if span[1] > span[0]:
            spans.append((start + span[0], start + span[1]))
        cursor = span[1]
    return spans if spans or not block.strip() else _regex_spans(text, start, end)


def _locate(block: str, piece: str, cursor: int) -> tuple[int, int] | None:
    """Where `piece` (whitespace possibly normalised by blingfire) sits in block from cursor."""
    if not piece:
        return cursor, cursor
    begin = cursor
    while begin < len(block) and block[begin].isspace():
        begin += 1
    if block.startswith(piece, begin):
        return begin, begin + len(piece)
    index = begin
    for char in piece:
        if char.isspace():
            continue
        while index < len(block) and block[index].isspace():
            index += 1
        if index >= len(block) or block[index] != char:
            return None
        index += 1
    return begin, index


def _split_missed_ends(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Split where a sentence end followed by a capital was taken for an abbreviation
    (blingfire keeps "kam an. Niemand" and "came in. Nobody" together)."""
    result: list[tuple[int, int]] = []
    for start, end in spans:
        piece_start = start
        for boundary in _END_THEN_SPACE.finditer(text, start, end):
            following = text[boundary.end() : end].lstrip("\"'“«(")
            if not following[:1].isupper():
                continue
            before = text[piece_start : boundary.start() + 1]
            match = _LAST_WORD.search(before)
            if match and (len(match.group(1)) == 1 or _is_abbreviation(match.group(1))):
                continue
            result.append((piece_start, boundary.start() + len(boundary.group().rstrip())))
            piece_start = boundary.end()
        result.append((piece_start, end))
    return result


def _is_abbreviation(word: str) -> bool:
    folded = word.casefold()
    return (
        folded in TITLE_ABBREVIATIONS
        or folded in OTHER_ABBREVIATIONS
        or re.fullmatch(r"(?:\w\.)+\w", folded) is not None
    )


def _regex_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    position = start
    for boundary in _FALLBACK_SPLIT.finditer(text, start, end):
        spans.append((position, boundary.start()))
        position = boundary.end()
    spans.append((position, end))
    return [_strip(text, a, b) for a, b in spans if text[a:b].strip()]


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _undo_false_splits(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and _is_false_split(text[merged[-1][0] : merged[-1][1]], text[start:end]):
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _is_false_split(sentence: str, following: str) -> bool:
    """Whether the split between these two pieces is wrong (an abbreviation, not an end)."""
    if following[:1].islower():
        return True  # "… a quote." he said. / a split inside a quotation
    match = _LAST_WORD.search(sentence)
    if not match:
        return False
    word = match.group(1).casefold()
    if word in TITLE_ABBREVIATIONS:
        return True
    if not _is_abbreviation(word):
        return False
    first = following.split(maxsplit=1)[0] if following.split() else ""
    return first.casefold().strip("\"'“«") not in SENTENCE_OPENERS
