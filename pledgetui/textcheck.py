"""Text as a reader sees it: invisible format characters in names, and comparison that ignores them.

``Fran<U+E0041>ce`` and ``Fr<U+00AD>ance`` look like "France" but are other
strings: left alone they make three "France" rows in the matrix and a filter that
misses entries. Identifiers and vocabulary-like fields (actor, claimant, ids,
source ids, file names) holding format characters (Unicode category Cf) are
reported by :func:`format_char_warnings`; everything that groups or matches
names compares :func:`canonical` / :func:`comparable` text (NFKC, Cf removed).
The stored text is never changed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache

from pledgetui.model import Entry, Ledger, Source


@cache
def _format_chars() -> re.Pattern[str]:
    """Every format character (Cf). They live in the BMP and planes 1 and 14 only."""
    ranges: list[tuple[int, int]] = []
    start = -1
    for code in [*range(0x20000), *range(0xE0000, 0xE1001)]:
        ch = chr(code)
        bad = code not in (0x1FFFF, 0xE1000) and not ch.isprintable() and unicodedata.category(ch) == "Cf"
        if bad and start < 0:
            start = code
        elif not bad and start >= 0:
            ranges.append((start, code - 1))
            start = -1
    return re.compile("[" + "".join(f"{re.escape(chr(lo))}-{re.escape(chr(hi))}" for lo, hi in ranges) + "]")


def format_chars(text: str) -> list[tuple[int, str]]:
    """(position, character) of every format character in ``text``."""
    if text.isprintable():  # Cf characters are never printable: the common case costs one call
        return []
    return [(m.start(), m.group()) for m in _format_chars().finditer(text)]


def canonical(text: str) -> str:
    """``text`` as it reads: NFKC-normalised, format characters removed (case kept)."""
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKC", text)
    # Format characters are never printable: text printable but for its line breaks and tabs
    # (joined search text, quotes) has none, and skips the pattern (a third of building the
    # search text of a large ledger).
    if text.isprintable() or text.replace("\n", " ").replace("\t", " ").isprintable():
        return text
    return _format_chars().sub("", text)


def comparable(text: str) -> str:
    """The key to match or sort by: :func:`canonical`, then case-folded."""
    return canonical(text).casefold()


def _describe(value: str, found: list[tuple[int, str]]) -> str:
    names = []
    for _, ch in found:
        name = f"U+{ord(ch):04X} {unicodedata.name(ch, '')}".rstrip()
        if name not in names:
            names.append(name)
    listed = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    where = ", ".join(str(pos + 1) for pos, _ in found[:5]) + (", ..." if len(found) > 5 else "")
    plural = "s" if len(found) != 1 else ""
    return (
        f"{value!r} holds invisible format character{plural} {listed} (at character{plural} {where}); "
        f"it is shown, grouped and filtered as {canonical(value)!r}"
    )


def format_char_warnings(ledger: Ledger) -> list[tuple[str, str]]:
    """(where, what) for each identifier or vocabulary-like field holding format characters:
    the sources' (:func:`source_format_warnings`), then the entries' (:func:`entry_format_warnings`)."""
    return source_format_warnings(ledger.sources) + entry_format_warnings(ledger.entries)


def _warn(warnings: list[tuple[str, str]], where: str, value: str) -> None:
    found = format_chars(value)
    if found:
        warnings.append((where, _describe(value, found)))


def source_format_warnings(sources: Iterable[Source]) -> list[tuple[str, str]]:
    """(where, what) for each source id or file name holding format characters."""
    warnings: list[tuple[str, str]] = []
    for s in sources:
        _warn(warnings, f"source {s.id!r} id" if format_chars(s.id) else f"source {s.id} id", s.id)
        _warn(warnings, f"source {s.id} file", s.file)
    return warnings


def entry_format_warnings(entries: Iterable[Entry]) -> list[tuple[str, str]]:
    """(where, what) for each entry id, actor, claimant, relay or source id holding format characters."""
    warnings: list[tuple[str, str]] = []
    for p in entries:
        if (
            p.id.isprintable()
            and p.actor.isprintable()
            and all(
                ev.claimant.isprintable() and ev.source.isprintable() and ev.relayed_by.isprintable()
                for ev in p.evidence
            )
        ):
            continue  # most entries: no format character (they are never printable), no message to build
        name = f"entry {p.id!r}" if format_chars(p.id) else f"entry {p.id}"
        _warn(warnings, f"{name} id", p.id)
        _warn(warnings, f"{name} actor", p.actor)
        for n, ev in enumerate(p.evidence, 1):
            _warn(warnings, f"{name} statement {n} claimant", ev.claimant)
            _warn(warnings, f"{name} statement {n} relayed_by", ev.relayed_by)
            _warn(warnings, f"{name} statement {n} source", ev.source)
    return warnings
