"""Find a quote in its article, the way web annotators re-anchor highlights.

Order of attempts, each cheaper and surer than the next:

1. ``exact``: the article holds the quote at the stored offsets.
2. ``moved``: the quote occurs verbatim elsewhere (a paragraph was inserted);
   among several occurrences the one whose context best matches the stored
   prefix/suffix, then the nearest to the stored offset, wins.
3. ``reanchored``: the article was re-saved with other whitespace, quote marks,
   dashes or ellipses; the quote is found in a normalised copy of the text and
   mapped back to offsets in the real text.
4. ``reanchored`` (approximate): the stored prefix and suffix still bracket a
   passage close enough to the quote (similarity >= ``MIN_SIMILARITY``).
5. ``orphan``: none of the above. The quote is kept and reported, never dropped.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from enum import StrEnum

CONTEXT = 32
MIN_SIMILARITY = 0.85

_FOLD = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u200a": " ", "\u2007": " ",
}


class AnchorStatus(StrEnum):
    EXACT = "exact"
    MOVED = "moved"
    REANCHORED = "reanchored"
    ORPHAN = "orphan"


@dataclass(frozen=True, slots=True)
class Anchor:
    status: AnchorStatus
    start: int = -1
    end: int = -1

    @property
    def found(self) -> bool:
        return self.status is not AnchorStatus.ORPHAN


@dataclass(frozen=True, slots=True)
class Selector:
    """TextQuoteSelector + TextPositionSelector for a span of ``text``."""

    quote: str
    prefix: str
    suffix: str
    start: int
    end: int


def select(text: str, start: int, end: int, context: int = CONTEXT) -> Selector:
    """Build the selector for ``text[start:end]``: offsets, prefix and suffix are computed, never typed."""
    if not 0 <= start < end <= len(text):
        raise ValueError(f"span {start}-{end} is not inside a text of {len(text)} characters")
    return Selector(
        quote=text[start:end],
        prefix=text[max(0, start - context) : start],
        suffix=text[end : end + context],
        start=start,
        end=end,
    )


def normalise(text: str) -> tuple[str, list[int]]:
    """Fold quote styles, dashes and runs of whitespace; return the folded text and,
    for each folded character, its index in ``text`` (plus one end sentinel)."""
    out: list[str] = []
    index: list[int] = []
    in_space = False
    for i, ch in enumerate(text):
        ch = _FOLD.get(ch, ch)
        if ch == "\u2026":
            for dot in "...":
                out.append(dot)
                index.append(i)
            in_space = False
            continue
        if ch.isspace():
            if in_space:
                continue
            ch = " "
            in_space = True
        else:
            in_space = False
        out.append(ch)
        index.append(i)
    index.append(len(text))
    return "".join(out), index


def _norm(s: str) -> str:
    return normalise(s)[0].strip()


def _context_score(text: str, start: int, end: int, prefix: str, suffix: str) -> int:
    """How many characters of the stored context agree, read outward from the span."""
    score = 0
    before = text[max(0, start - len(prefix)) : start]
    for a, b in zip(reversed(before), reversed(prefix)):
        if a != b:
            break
        score += 1
    after = text[end : end + len(suffix)]
    for a, b in zip(after, suffix):
        if a != b:
            break
        score += 1
    return score


def _folded_context_score(folded: str, start: int, end: int, nprefix: str, nsuffix: str) -> int:
    """:func:`_context_score` in the folded text, where the quote and its context are
    stripped: the one space that separates them in the text must not end the comparison."""
    score = 0
    before = folded[max(0, start - len(nprefix) - 1) : start].rstrip()
    for a, b in zip(reversed(before), reversed(nprefix)):
        if a != b:
            break
        score += 1
    after = folded[end : end + len(nsuffix) + 1].lstrip()
    for a, b in zip(after, nsuffix):
        if a != b:
            break
        score += 1
    return score


def _occurrences(haystack: str, needle: str) -> list[int]:
    hits = []
    i = haystack.find(needle)
    while i != -1:
        hits.append(i)
        i = haystack.find(needle, i + 1)
    return hits


def _best(hits: list[int], key) -> int:
    return max(hits, key=key)


def locate(text: str, quote: str, prefix: str = "", suffix: str = "", start: int = 0, end: int = 0) -> Anchor:
    """Anchor ``quote`` in ``text`` (see the module docstring for the order of attempts)."""
    if not quote:
        return Anchor(AnchorStatus.ORPHAN)
    if 0 <= start <= end <= len(text) and text[start:end] == quote:
        return Anchor(AnchorStatus.EXACT, start, end)

    hits = _occurrences(text, quote)
    if hits:
        n = len(quote)
        pos = _best(hits, lambda h: (_context_score(text, h, h + n, prefix, suffix), -abs(h - start)))
        return Anchor(AnchorStatus.MOVED, pos, pos + n)

    folded, index = normalise(text)
    nquote = _norm(quote)
    if nquote:
        hits = _occurrences(folded, nquote)
        if hits:
            nprefix, nsuffix = _norm(prefix), _norm(suffix)
            m = len(nquote)

            def key(h: int) -> tuple[int, int]:
                return (_folded_context_score(folded, h, h + m, nprefix, nsuffix), -abs(index[h] - start))

            h = _best(hits, key)
            return Anchor(AnchorStatus.REANCHORED, index[h], index[h + m - 1] + 1)

    return _approximate(text, folded, index, nquote, _norm(prefix), _norm(suffix), start)


def _approximate(
    text: str, folded: str, index: list[int], nquote: str, nprefix: str, nsuffix: str, start: int
) -> Anchor:
    """Use the stored prefix and suffix to bracket a passage that resembles the quote."""
    if not nquote or not (nprefix or nsuffix):
        return Anchor(AnchorStatus.ORPHAN)
    m = len(nquote)
    slack = max(8, m // 4)
    candidates: list[tuple[int, int]] = []
    if nprefix:
        for p in _occurrences(folded, nprefix):
            s = p + len(nprefix)
            s += folded[s : s + 1] == " " and not nquote.startswith(" ")
            if nsuffix:
                e = folded.find(nsuffix, s, s + m + slack + len(nsuffix))
                if e != -1:
                    candidates.append((s, e))
                    continue
            candidates.append((s, min(len(folded), s + m)))
    if nsuffix:
        for e in _occurrences(folded, nsuffix):
            candidates.append((max(0, e - m), e))
    best: tuple[float, int, int] | None = None
    for s, e in candidates:
        while e > s and folded[e - 1] == " ":
            e -= 1
        if e <= s:
            continue
        ratio = difflib.SequenceMatcher(None, folded[s:e], nquote, autojunk=False).ratio()
        if best is None or (ratio, -abs(index[s] - start)) > (best[0], -abs(index[best[1]] - start)):
            best = (ratio, s, e)
    if best is None or best[0] < MIN_SIMILARITY:
        return Anchor(AnchorStatus.ORPHAN)
    _, s, e = best
    return Anchor(AnchorStatus.REANCHORED, index[s], index[e - 1] + 1)
