"""One display-sanitising function, used by every widget and every CLI table.

Article text and ledger fields are untrusted. Stored text stays unchanged; only
what reaches the terminal is made safe: C0 controls (except newline), DEL, C1
controls, and bidi/invisible format characters become visible symbols.
"""

from __future__ import annotations

import re

_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_INVISIBLE = "\u200b\u2028\u2029\ufeff"
_UNSAFE = re.compile(f"[\x00-\x09\x0b-\x1f\x7f-\x9f{_BIDI}{_INVISIBLE}]")
_UNSAFE_LINE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}{_INVISIBLE}]")


def _visible(match: re.Match[str]) -> str:
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
    """Make ``text`` safe to show: newlines kept, every other control made visible."""
    if text.isprintable() and "\t" not in text:
        return text
    return _UNSAFE.sub(_visible, text)


def display_line(text: str) -> str:
    """Like :func:`display`, for single-line cells: newlines shown as symbols too."""
    if text.isprintable():
        return text
    return _UNSAFE_LINE.sub(_visible, text)


def _aligned(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    return "\ufffd"


def display_aligned(text: str) -> str:
    """Like :func:`display` but character for character, so offsets into ``text`` stay valid.

    Used where a span of the original text must be highlighted (the article viewer):
    newlines are kept, every other unsafe character becomes exactly one visible one.
    """
    if text.isprintable():
        return text
    return _UNSAFE.sub(_aligned, text.replace("\t", " "))
