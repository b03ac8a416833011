"""Find a quote in its article, and say whether it is still the article's words.

Finding and verifying are two different things. A quote is **verified** only
when it occurs in its article verbatim, after one minimal folding (:func:`fold`:
runs of white space to one space, curly and straight quotes alike, dash
variants alike, non-breaking and other fixed-width spaces as spaces). Finding a
quote approximately is useful to *locate* it, never to verify it.

The statuses, in order of attempts:

1. ``exact``: the article holds the quote at the stored offsets (verified).
2. ``moved``: the quote occurs verbatim elsewhere (a paragraph was inserted);
   among several occurrences the one whose context best matches the stored
   prefix/suffix, then the nearest to the stored offset, wins (verified; the
   stored offsets are stale).
3. ``folded``: the quote occurs in the folded article (the article was re-saved
   with other white space, quote marks or dashes) (verified).
4. ``drifted``: a passage close to the quote was located (words inserted,
   changed or dropped): **not verified**. The passage is where a reader should
   look, and its text can be accepted as the quote's new text.
5. ``orphan``: nothing close was found. The quote is kept and reported.

Locating a drifted quote is bounded: seeds (short exact runs of the quote) vote
for where it sits, at most :data:`MAX_SEEDS` of them with at most
:data:`MAX_SEED_HITS` occurrences each, and one alignment (rapidfuzz's Indel
opcodes over words, in C) finds the passage's ends. The work is linear in the article's
length and quadratic only in the quote's, whatever the prefix and suffix hold.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

CONTEXT = 32
#: A located passage must be at least this similar to the quote (rapidfuzz ratio, 0-100).
MIN_SIMILARITY = 80.0
MAX_SEEDS = 64
MAX_SEED_HITS = 16

#: The folding, character by character (white space runs are folded separately).
FOLD = {
    # single quotation marks and apostrophes
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    # double quotation marks
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u201f": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    # dashes and hyphens
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u2015": "-",
    "\u2212": "-",
    # non-breaking and fixed-width spaces
    "\u00a0": " ",
    "\u202f": " ",
    "\u2007": " ",
    "\u2009": " ",
    "\u200a": " ",
}


class AnchorStatus(StrEnum):
    EXACT = "exact"
    MOVED = "moved"
    FOLDED = "folded"
    DRIFTED = "drifted"
    ORPHAN = "orphan"

    @property
    def verified(self) -> bool:
        return self in _VERIFIED


_VERIFIED = frozenset({AnchorStatus.EXACT, AnchorStatus.MOVED, AnchorStatus.FOLDED})


@dataclass(frozen=True, slots=True)
class Anchor:
    status: AnchorStatus
    start: int = -1
    end: int = -1

    @property
    def found(self) -> bool:
        """Located in the article (verified or drifted)."""
        return self.status is not AnchorStatus.ORPHAN

    @property
    def verified(self) -> bool:
        """The article's exact words (after the documented folding)."""
        return self.status.verified


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
    """Fold ``text`` (see the module docstring); return the folded text and, for each
    folded character, its index in ``text`` (plus one end sentinel)."""
    out: list[str] = []
    index: list[int] = []
    in_space = False
    for i, ch in enumerate(text):
        ch = FOLD.get(ch, ch)
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


def fold(text: str) -> str:
    """The folded form of ``text``, stripped: two texts are the same words when their folds are equal."""
    return normalise(text)[0].strip()


_norm = fold


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


def _occurrences(haystack: str, needle: str, limit: int | None = None) -> list[int]:
    hits = []
    i = haystack.find(needle)
    while i != -1:
        hits.append(i)
        if limit is not None and len(hits) > limit:
            break
        i = haystack.find(needle, i + 1)
    return hits


def _best(hits: list[int], key: Callable[[int], tuple[int, int]]) -> int:
    return max(hits, key=key)


def is_exact(text: str, quote: str, start: int, end: int) -> bool:
    """Whether ``text`` holds ``quote`` at exactly ``start``-``end``: the first, cheapest attempt
    of :func:`locate` (status ``exact``)."""
    return bool(quote) and 0 <= start <= end <= len(text) and text[start:end] == quote


def locate(
    text: str,
    quote: str,
    prefix: str = "",
    suffix: str = "",
    start: int = 0,
    end: int = 0,
    *,
    normalised: Callable[[], tuple[str, list[int]]] | None = None,
) -> Anchor:
    """Anchor ``quote`` in ``text`` (see the module docstring for the order of attempts).

    ``normalised``, when given, returns :func:`normalise` of ``text``: a caller that anchors
    many quotes in one article folds the article once instead of once per quote."""
    if not quote:
        return Anchor(AnchorStatus.ORPHAN)
    if is_exact(text, quote, start, end):
        return Anchor(AnchorStatus.EXACT, start, end)

    hits = _occurrences(text, quote)
    if hits:
        n = len(quote)
        pos = _best(hits, lambda h: (_context_score(text, h, h + n, prefix, suffix), -abs(h - start)))
        return Anchor(AnchorStatus.MOVED, pos, pos + n)

    folded, index = normalise(text) if normalised is None else normalised()
    nquote = fold(quote)
    if not nquote:
        return Anchor(AnchorStatus.ORPHAN)
    hits = _occurrences(folded, nquote)
    if hits:
        nprefix, nsuffix = fold(prefix), fold(suffix)
        m = len(nquote)

        def key(h: int) -> tuple[int, int]:
            return (_folded_context_score(folded, h, h + m, nprefix, nsuffix), -abs(index[h] - start))

        h = _best(hits, key)
        return Anchor(AnchorStatus.FOLDED, index[h], index[h + m - 1] + 1)

    span = _approximate(folded, nquote, _folded_position(index, start))
    if span is None:
        return Anchor(AnchorStatus.ORPHAN)
    s, e = span
    return Anchor(AnchorStatus.DRIFTED, index[s], index[e - 1] + 1)


def _folded_position(index: list[int], start: int) -> int:
    """The folded offset of the original offset ``start`` (for tie-breaks only)."""
    lo, hi = 0, len(index) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if index[mid] < start:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _seed_length(m: int) -> int:
    return max(4, min(16, m // 4))


def _approximate(folded: str, nquote: str, near: int) -> tuple[int, int] | None:
    """Locate a passage of ``folded`` close to ``nquote`` (both folded), or None.

    Seeds vote for the passage's start (occurrence - offset in the quote); the
    best-supported start gives a window of the quote's length plus slack; a word
    alignment inside it finds the passage's ends (:func:`_align_words`), and the
    passage must be similar enough."""
    m = len(nquote)
    k = _seed_length(m)
    if m < k:
        return None
    count = min(MAX_SEEDS, m - k + 1)
    step = (m - k) / max(1, count - 1) if count > 1 else 0
    votes: Counter[int] = Counter()
    for j in range(count):
        offset = round(j * step)
        seed = nquote[offset : offset + k]
        hits = _occurrences(folded, seed, MAX_SEED_HITS)
        if len(hits) > MAX_SEED_HITS:
            continue  # too common to tell anything
        for h in hits:
            votes[h - offset] += 1
    if not votes:
        return None
    slack = min(256, m // 4 + 8)
    # Cluster the votes: starts within `slack` of each other are one candidate.
    ranked = sorted(votes.items())
    best: tuple[int, int, int] | None = None  # (support, -distance to near, start)
    i = 0
    while i < len(ranked):
        j, support, top = i, 0, ranked[i]
        while j < len(ranked) and ranked[j][0] - ranked[i][0] <= slack:
            support += ranked[j][1]
            if ranked[j][1] > top[1]:
                top = ranked[j]
            j += 1
        cand = (support, -abs(top[0] - near), top[0])
        if best is None or cand > best:
            best = cand
        i = j
    assert best is not None
    guess = best[2]
    lo = max(0, guess - slack)
    hi = min(len(folded), guess + m + slack)
    # Whole words only: the region starts and ends at white space.
    while lo > 0 and folded[lo - 1] != " ":
        lo -= 1
    while hi < len(folded) and folded[hi] != " ":
        hi += 1
    span = _align_words(folded, nquote, lo, hi)
    if span is None:
        return None
    s, e = span
    if e <= s or fuzz.ratio(nquote, folded[s:e]) < MIN_SIMILARITY:
        return None
    return s, e


def _words(text: str, offset: int = 0) -> list[tuple[str, int, int]]:
    """``(word, start, end)`` for each white-space separated word of ``text``."""
    out = []
    i, n = 0, len(text)
    while i < n:
        while i < n and text[i] == " ":
            i += 1
        j = i
        while j < n and text[j] != " ":
            j += 1
        if j > i:
            out.append((text[i:j], offset + i, offset + j))
        i = j
    return out


def _fit(stored: str, found: str) -> tuple[int, int]:
    """The part of article word ``found`` that stands for quote word ``stored``: quote
    marks and other punctuation around it that the quote's word does not have are left out
    (the article's '"If' for the quote's 'If')."""
    a, b = 0, len(found)
    while a < b and not found[a].isalnum() and found[a] != stored[:1]:
        a += 1
    while b > a and not found[b - 1].isalnum() and found[b - 1] != stored[-1:]:
        b -= 1
    return a, b


def _same_slot(stored: str, found: str) -> bool:
    """Whether an article word plausibly stands where a changed word of the quote stood:
    similar spelling, or the same closing punctuation (a replaced last word of a sentence)."""
    a, b = _fit(stored, found)
    core = found[a:b]
    if not core:
        return False
    if fuzz.ratio(stored, core) >= 50:
        return True
    return stored[-1:] == core[-1:] and not stored[-1:].isalnum()


def _align_words(folded: str, nquote: str, lo: int, hi: int) -> tuple[int, int] | None:
    """The passage of ``folded[lo:hi]`` that the quote's words align with.

    Words are aligned, not characters, so a changed word never pulls stray letters of
    the next or previous sentence into the passage. The passage runs from the first to
    the last word both share; a changed first or last word of the quote is taken in
    when the article's word in its place looks like it (:func:`_same_slot`), and left
    out when the quote's word was simply inserted."""
    qwords = _words(nquote)
    rwords = _words(folded[lo:hi], lo)
    if not qwords or not rwords:
        return None
    vocab: dict[str, str] = {}
    enc_q = "".join(vocab.setdefault(w, chr(0xF0000 + len(vocab))) for w, _, _ in qwords)
    enc_r = "".join(vocab.setdefault(w, chr(0xF0000 + len(vocab))) for w, _, _ in rwords)
    equal = [op for op in Indel.opcodes(enc_q, enc_r) if op.tag == "equal"]
    if not equal:
        return None
    first, last = equal[0], equal[-1]
    start_word, start_q = first.dest_start, first.src_start
    end_word, end_q = last.dest_end - 1, last.src_end - 1
    # A changed first word: walk back over article words in the quote's unmatched head.
    qi, ri = start_q - 1, start_word - 1
    while qi >= 0 and ri >= 0 and _same_slot(qwords[qi][0], rwords[ri][0]):
        start_word, start_q, qi, ri = ri, qi, qi - 1, ri - 1
    # A changed last word: walk forward likewise.
    qi, ri = end_q + 1, end_word + 1
    while qi < len(qwords) and ri < len(rwords) and _same_slot(qwords[qi][0], rwords[ri][0]):
        end_word, end_q, qi, ri = ri, qi, qi + 1, ri + 1
    word, s, _ = rwords[start_word]
    s += _fit(qwords[start_q][0], word)[0]
    word, w0, e = rwords[end_word]
    e = w0 + _fit(qwords[end_q][0], word)[1]
    return s, e


def word_diff(stored: str, found: str) -> list[tuple[str, str]]:
    """The stored quote against the article's text, word by word: ``(tag, words)`` pairs,
    tag ``=`` (both), ``-`` (only in the stored quote), ``+`` (only in the article); in a
    change, the removed words come before the added ones."""
    a, b = stored.split(), found.split()
    vocab: dict[str, str] = {}
    # One private-use character per distinct word, so the alignment runs on words.
    enc_a = "".join(vocab.setdefault(w, chr(0xF0000 + len(vocab))) for w in a)
    enc_b = "".join(vocab.setdefault(w, chr(0xF0000 + len(vocab))) for w in b)
    out: list[tuple[str, str]] = []
    removed: list[str] = []
    added: list[str] = []

    def flush() -> None:
        if removed:
            out.append(("-", " ".join(removed)))
        if added:
            out.append(("+", " ".join(added)))
        removed.clear()
        added.clear()

    for op in Indel.opcodes(enc_a, enc_b):
        if op.tag == "equal":
            flush()
            out.append(("=", " ".join(a[op.src_start : op.src_end])))
        else:
            removed.extend(a[op.src_start : op.src_end])
            added.extend(b[op.dest_start : op.dest_end])
    flush()
    return out


def format_word_diff(diff: list[tuple[str, str]], context: int | None = 6) -> str:
    """A one-line rendering: ``[-removed-]`` and ``{+added+}`` (as ``git diff --word-diff``);
    unchanged runs longer than twice ``context`` words are cut to ``context`` words each side."""
    parts = []
    last = len(diff) - 1
    for n, (tag, words) in enumerate(diff):
        if tag != "=":
            parts.append(f"[-{words}-]" if tag == "-" else f"{{+{words}+}}")
            continue
        w = words.split()
        if context is not None and len(w) > 2 * context:
            head = w[:context] if n > 0 else []
            tail = w[-context:] if n < last else []
            words = " ".join([*head, "…", *tail])
        parts.append(words)
    return " ".join(parts)
