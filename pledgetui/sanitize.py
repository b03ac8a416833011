"""One display-sanitising function, used by every widget and every CLI message.

Article text and ledger fields are untrusted. Stored text stays unchanged; only
what reaches the terminal is made safe. What is unsafe is decided by Unicode
category, not by a list: every character with nothing to show is replaced by a
visible symbol. That is control characters (Cc: C0 except newline, DEL, C1),
format characters (Cf: bidi overrides and isolates, zero-width characters, soft
hyphens, tag characters, interlinear annotation marks ...), private-use (Co),
surrogate (Cs) and unassigned (Cn) code points, and the line and paragraph
separators (Zl, Zp). Ordinary spaces (Zs, e.g. no-break spaces) are kept.

Three format characters are kept where they do visible work: a zero-width joiner
inside an emoji sequence, a joiner or non-joiner between letters of a script
that shapes with them (Arabic, Persian, Indic ...), and the tag characters of a
flag's tag sequence (🏴 + tags + cancel tag). Anywhere else they are shown too.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

ZWJ, ZWNJ = "\u200d", "\u200c"
_JOINERS = (ZWJ, ZWNJ)
#: A flag's tag sequence: black flag, tag letters/digits, cancel tag.
_FLAG_TAGS = "\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f"
#: Emoji modifiers that may sit between a pictograph and a joiner (skin tones, VS16).
_EMOJI_TRAILERS = frozenset("\ufe0f\U0001f3fb\U0001f3fc\U0001f3fd\U0001f3fe\U0001f3ff")


#: Astral code points are matched as a block and sorted out one by one (see ``_kept``): a
#: character class of their unsafe ranges makes the regex engine test hundreds of ranges
#: per character, 40 times slower on a long article.
_ASTRAL = "\U00010000-\U0010ffff"


@cache
def _unsafe_class() -> str:
    """A regex character class: every unsafe code point of the Basic Multilingual Plane
    (newline excepted) as ranges, and every astral code point.

    Built once, on first use (a few milliseconds): the code points Python calls
    non-printable, minus the space separators (Zs) that are ordinary spaces.
    """
    ranges: list[tuple[int, int]] = []
    start = -1
    for code in range(0x10001):
        bad = code <= 0xFFFF and code != 0x0A and not chr(code).isprintable()
        if bad and unicodedata.category(chr(code)) == "Zs":
            bad = False
        if bad and start < 0:
            start = code
        elif not bad and start >= 0:
            ranges.append((start, code - 1))
            start = -1
    parts = [re.escape(chr(lo)) if lo == hi else f"{re.escape(chr(lo))}-{re.escape(chr(hi))}" for lo, hi in ranges]
    return "[" + "".join(parts) + _ASTRAL + "]"


@cache
def _pattern(newline: bool) -> re.Pattern[str]:
    """Flag tag sequences (kept whole) or one unsafe character; ``newline`` counts newline as unsafe."""
    cls = _unsafe_class()
    if newline:
        cls = cls[:-1] + "\\n]"
    return re.compile(f"(?P<flag>{_FLAG_TAGS})|{cls}")


def prepare() -> None:
    """Build the patterns now (a few tens of milliseconds, once): the app calls it off the UI
    thread after a load, so that the first article shown (always multi-line) does not wait for it."""
    _pattern(False)
    _pattern(True)


def _letter(ch: str) -> bool:
    return ord(ch) > 0x24F and unicodedata.category(ch)[0] in "LM"


def _pictograph(ch: str) -> bool:
    return unicodedata.category(ch) == "So"


def _kept(match: re.Match[str]) -> bool:
    """A flag's tag sequence, or a joiner doing visible work between its neighbours."""
    if match.group("flag"):
        return True
    ch = match.group()
    if ord(ch) > 0xFFFF:
        return ch.isprintable()  # an emoji or a historic script, not a tag, private or unassigned one
    if ch not in _JOINERS:
        return False
    text, i = match.string, match.start()
    before = i - 1
    while before >= 0 and text[before] in _EMOJI_TRAILERS:
        before -= 1
    if before < 0 or i + 1 >= len(text):
        return False
    prev, nxt = text[before], text[i + 1]
    if ch == ZWJ and _pictograph(prev) and _pictograph(nxt):
        return True
    return _letter(text[i - 1]) and _letter(nxt)


def _visible(match: re.Match[str]) -> str:
    if _kept(match):
        return match.group()
    ch = match.group()
    code = ord(ch)
    if ch == "\t":
        return "    "
    if code < 0x20:
        return chr(0x2400 + code)  # U+2400 block: SYMBOL FOR NULL, ...
    if code == 0x7F:
        return "\u2421"  # SYMBOL FOR DELETE
    return f"<U+{code:04X}>"


def display(text: str) -> str:
    """Make ``text`` safe to show: newlines kept, every other invisible character made visible."""
    if text.isprintable():
        return text
    return _pattern(False).sub(_visible, text)


def display_line(text: str) -> str:
    """Like :func:`display`, for single-line cells: newlines shown as symbols too."""
    if text.isprintable():
        return text
    return _pattern(True).sub(_visible, text)


def _aligned(match: re.Match[str]) -> str:
    if _kept(match):
        return match.group()
    code = ord(match.group())
    if code == 0x09:
        return " "
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    return "\ufffd"


def display_aligned(text: str) -> str:
    """Like :func:`display` but character for character, so offsets into ``text`` stay valid.

    Used where a span of the original text must be highlighted (the article viewer):
    newlines are kept, every other unsafe character becomes exactly one visible one
    (a tab a space, a control its symbol, anything else U+FFFD).
    """
    if text.isprintable():
        return text
    return _pattern(False).sub(_aligned, text)
