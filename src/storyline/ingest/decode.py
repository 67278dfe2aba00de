"""Bytes to clean text: encoding detection and the sanitising every reader's output goes through."""

from __future__ import annotations

import codecs
import re

import charset_normalizer

# Bytes sampled at the start of a file to guess its format and whether it is binary: part of
# format detection (how much a signature needs), not a tunable of a run.
SNIFF_BYTES = 8192

# A byte sequence that is valid multi-byte UTF-8; legacy 8-bit text almost never forms one.
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
# C0/C1 control characters except tab and newline, and lone UTF-16 surrogates (JSON can carry
# them; SQLite refuses to store them).
_UNWANTED_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_UTF16_MIN_PRINTABLE_SHARE = 0.98
_PRINTABLE_ASCII = re.compile(r"[\x20-\x7e\t\n\r]")
_MAX_REASON_CHARS = 300
# os.fsdecode turns each byte that is not UTF-8 into one of these (PEP 383 surrogate escapes).
_SURROGATE_ESCAPE_FIRST, _SURROGATE_ESCAPE_LAST = 0xDC80, 0xDCFF
_WESTERN_ENCODINGS = ("cp1252", "latin_1", "iso8859_15")
_TIE = 0.01


class UnreadableInput(Exception):
    """Raised by readers for a whole-file problem; the message is the one-line reason shown."""


# Characters that the bytes 0x80–0xBF become when UTF-8 is read as Latin-1 or windows-1252.
_CP1252_HIGH = bytes(range(0x80, 0xA0)).decode("cp1252", "ignore")
_CONTINUATION = f"[\x80-\xbf{re.escape(_CP1252_HIGH)}]"
_MOJIBAKE = re.compile(
    f"[\xc2-\xdf]{_CONTINUATION}|[\xe0-\xef]{_CONTINUATION}{{2}}"
    f"|[\xf0-\xf4]{_CONTINUATION}{{3}}"
)
# The first characters of _MOJIBAKE's sequences: most non-ASCII pages hold none (their
# curly quotes are continuation characters), and a search for them costs a tenth of its.
_MOJIBAKE_LEAD = re.compile("[\xc2-\xf4]")
_CP1252_BYTES = {char: bytes([0x80 + i]) for i, char in enumerate(
    bytes(range(0x80, 0xA0)).decode("cp1252", "replace")
) if char != "\ufffd"}


# A no-break space (bytes C2 A0) read as windows-1252 is "Â" + U+00A0, and scrapers then turn
# the U+00A0 into a plain space: "the USÂ President", "jets.Â" at a line's end. "Â" is never a
# word of its own after a letter or a full stop, so it is dropped there.
_LOST_NO_BREAK_SPACE = re.compile(r"(?<=\S)Â(?=\s|$)")


def _mojibake_to_utf8(match: re.Match[str]) -> str:
    chars = match.group(0)
    raw = b"".join(_CP1252_BYTES.get(char) or bytes([ord(char)]) for char in chars)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return chars


def repair_mojibake(text: str) -> str:
    """UTF-8 that was read as Latin-1 or windows-1252 back to what it said ("Thereâ\x80\x99s",
    "Ã©tÃ©" → "There’s", "été"), sequence by sequence: only runs that form valid UTF-8 change,
    so real Latin-1 text ("SÃO PAULO", "château") is left alone. Scraped dumps are full of it,
    and a mis-decoded line would otherwise lose its accents and apostrophes for good."""
    if text.isascii() or not _MOJIBAKE_LEAD.search(text):
        return text
    text = _MOJIBAKE.sub(_mojibake_to_utf8, text)
    # The pattern opens with a look-behind, so its search tries every character: look for "Â".
    return _LOST_NO_BREAK_SPACE.sub("", text) if "Â" in text else text


def decode_bytes(data: bytes) -> str:
    """Decode text of unknown encoding.

    UTF-8 and UTF-16, with or without BOM, first; text that is UTF-8 apart from a few stray
    bytes stays UTF-8 (the bad bytes become U+FFFD) rather than being re-read as a legacy
    code page; anything else goes to charset-normalizer, which tells cp1251 from latin-1.
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", "replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", "replace")
    utf16 = decode_utf16_without_bom(data)
    if utf16 is not None:
        return utf16
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    lenient = data.decode("utf-8", "replace")
    bad_bytes = lenient.count("\ufffd")
    if len(_UTF8_MULTIBYTE.findall(data)) >= bad_bytes:
        return lenient
    matches = charset_normalizer.from_bytes(data)
    best = matches.best()
    if best is None:
        raise UnreadableInput("undecodable text: no character encoding fits")
    # Text using only letters that several code pages share (Spanish "ñ" is "ń" in cp1250)
    # scores a tie; windows-1252, by far the most common legacy web encoding, breaks it.
    tied = [
        match for match in matches
        if match.chaos <= best.chaos + _TIE and match.coherence >= best.coherence - _TIE
    ]
    return str(next((m for m in tied if m.encoding in _WESTERN_ENCODINGS), best))


def decode_utf16_without_bom(data: bytes) -> str | None:
    """The text of UTF-16 data that has no byte-order mark, or None if it is not that.

    Text holds no NUL, so NUL bytes are where to look: in UTF-16 every ASCII character carries
    one (after it in little-endian, before it in big-endian). Of the two byte orders, those that
    decode without error into NUL-free, printable text qualify, and the one that gives more ASCII
    wins: read in the wrong order ASCII becomes CJK, and only rare characters (U+2000, U+4E00…)
    turn into ASCII, so text that is more than half ASCII always comes out right. Binary data
    fails on a stray surrogate, a NUL pair or unprintable characters.
    """
    # UTF-16 is whole two-byte units: an odd length is not that.
    if len(data) % 2 or b"\x00" not in data[: SNIFF_BYTES]:
        return None
    best: str | None = None
    best_ascii = -1
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if "\x00" in text or not _mostly_printable(text):
            continue
        ascii_count = len(_PRINTABLE_ASCII.findall(text))
        if ascii_count > best_ascii:
            best, best_ascii = text, ascii_count
    # In text the NULs come mostly from ASCII characters; in binary that decodes ("\x00\x01"
    # repeated is "ĀĀĀ") from anything. A third allows for text that is just over half ASCII.
    if best_ascii * 3 < data.count(b"\x00"):
        return None
    return best


def _mostly_printable(text: str) -> bool:
    printable = sum(char.isprintable() or char.isspace() for char in text)
    return printable >= _UTF16_MIN_PRINTABLE_SHARE * len(text)


def normalize_text(text: str) -> str:
    """Unix newlines, no control characters or lone surrogates."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _UNWANTED_CHARS.sub("", text)


def printable_name(name: str) -> str:
    """A file name or path as one safe line, escaped the way Python's repr escapes a string.

    A name is only a label once the file is open, yet it reaches SQLite (which refuses the lone
    surrogates `os.fsdecode` makes of undecodable bytes) and every report line (where a newline
    would split, and so spoof, a FAILED line). Undecodable bytes show as `\\xff`, control and
    other unprintable characters as `\\n`, `\\x1b`, `\\u202e`; printable text is unchanged, so
    escaping twice changes nothing.
    """
    if name.isprintable():
        return name
    return "".join(char if char.isprintable() else _escape_char(char) for char in name)


def _escape_char(char: str) -> str:
    code = ord(char)
    if _SURROGATE_ESCAPE_FIRST <= code <= _SURROGATE_ESCAPE_LAST:  # one undecodable byte
        return f"\\x{code - 0xDC00:02x}"
    return char.encode("unicode_escape").decode("ascii")


def one_line(text: str, limit: int = _MAX_REASON_CHARS) -> str:
    """Collapse whitespace so a reason or a metadata field fits on one line, bounded."""
    flat = " ".join(normalize_text(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
