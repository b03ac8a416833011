"""Search the text of every article of a ledger.

A search folds both the article and the text sought the same way: case (``lower``),
accents (NFD, combining marks dropped), and the quote marks, dashes and spaces
:mod:`pledgetui.anchors` folds; a space in the text sought matches any run of white space. Each hit gives its offsets into
the article as stored (what the quote viewer selects), a line of context, and the
statements whose located quote overlaps it: none means the passage is not cited yet, a
candidate for a new statement.

Articles are read through :class:`pledgetui.verify.Articles` (confined to the ledger's
articles folder). Each article is folded once per :class:`ArticleSearch` (one
``str.translate``, offsets unchanged for almost every text) and then scanned with a
regular expression. An SQLite FTS5 index was measured against this (``bench/search.py``)
and not taken: its trigram tokenizer in the SQLite that Python 3.11 ships does not fold
accents, so it would index this same folded text, building it costs more than the fold,
and offsets and context would still come from a scan of each matching article.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from pledgetui.anchors import FOLD
from pledgetui.model import Ledger
from pledgetui.passages import Passage, collect
from pledgetui.verify import Articles

#: Characters of context on each side of a hit.
CONTEXT = 40
#: The longest text accepted as a search.
MAX_NEEDLE = 500


class SearchError(ValueError):
    """A text that cannot be searched for (empty, or too long)."""


@cache
def fold_char(ch: str) -> str:
    """One character folded: quote marks and dashes, accents dropped, lower case; white space is " ".

    Canonical decomposition (NFD) and ``lower`` keep almost every character one character
    (``…`` stays ``…``, ``ß`` stays ``ß``), so folded offsets are the article's own."""
    ch = FOLD.get(ch, ch)
    if ch.isspace():
        return " "
    if ch.isascii():
        return ch.lower()
    decomposed = unicodedata.normalize("NFD", ch)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def fold_text(text: str) -> tuple[str, list[int] | None]:
    """``text`` folded character by character (:func:`fold_char`); white space runs are kept
    (a search matches any run). When every character folds to one, offsets in the folded text
    are offsets in ``text`` and the map is None; else the map gives, for each folded character,
    the index of the character of ``text`` it came from (plus an end sentinel)."""
    table = {ord(c): fold_char(c) for c in set(text)}
    folded = text.translate(table)
    if all(len(f) == 1 for f in table.values()):
        return folded, None
    index: list[int] = []
    for i, ch in enumerate(text):
        index.extend([i] * len(table[ord(ch)]))
    index.append(len(text))
    return folded, index


def fold_needle(text: str) -> str:
    """The text sought, folded as articles are, white space runs as one space, ends stripped."""
    return " ".join(text.translate({ord(c): fold_char(c) for c in set(text)}).split())


def needle_pattern(needle: str) -> re.Pattern[str]:
    """A folded needle as a pattern over folded text: its spaces match any run of white space."""
    return re.compile(" +".join(re.escape(word) for word in needle.split(" ")))


@dataclass(frozen=True, slots=True)
class Hit:
    """One occurrence of the text sought in one article."""

    source: str
    start: int  # offsets into the article as stored
    end: int
    context: str  # the line around the hit, white space folded
    context_start: int  # where the hit starts in ``context``
    context_end: int  # and where it ends
    citations: tuple[tuple[str, int], ...]  # (entry id, statement index) of quotes overlapping the hit

    @property
    def entry_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(pid for pid, _ in self.citations))

    @property
    def cited(self) -> bool:
        return bool(self.citations)


@dataclass
class ArticleSearch:
    """Every article of one ledger folded once, searched many times."""

    ledger: Ledger
    ledger_path: Path
    articles: Articles | None = None
    _folded: dict[str, tuple[str, list[int] | None]] = field(default_factory=dict)
    _passages: dict[str, tuple[Passage, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.articles is None:
            self.articles = Articles(self.ledger_path)

    @property
    def problems(self) -> dict[str, str]:
        """Articles that could not be read (source id -> why)."""
        assert self.articles is not None
        return dict(self.articles.problems)

    def _fold(self, source_id: str) -> tuple[str, str, list[int] | None] | None:
        assert self.articles is not None
        text = self.articles.text(self.ledger, source_id)
        if text is None:
            return None
        folded = self._folded.get(source_id)
        if folded is None:
            folded = self._folded[source_id] = fold_text(text)
        return text, folded[0], folded[1]

    def prepare(self) -> None:
        """Read and fold every article now (for a worker thread)."""
        for source in self.ledger.sources:
            self._fold(source.id)

    def _citing(self, source_id: str, start: int, end: int) -> tuple[tuple[str, int], ...]:
        assert self.articles is not None
        passages = self._passages.get(source_id)
        if passages is None:
            passages = self._passages[source_id] = collect(self.ledger, self.articles, source_id)
        return tuple(c for p in passages if p.start < end and start < p.end for c in p.citations)

    def search(self, text: str, *, limit: int | None = None) -> list[Hit]:
        """Every hit of ``text`` in every article, in the ledger's order of sources, then reading order.
        Raises :class:`SearchError` for an empty or overlong text."""
        if len(text) > MAX_NEEDLE:
            raise SearchError(f"the text is longer than {MAX_NEEDLE} characters")
        needle = fold_needle(text)
        if not needle:
            raise SearchError("give a text to search for")
        pattern = needle_pattern(needle)
        hits: list[Hit] = []
        for source in self.ledger.sources:
            found = self._fold(source.id)
            if found is None:
                continue
            original, folded, index = found
            for m in pattern.finditer(folded):
                start, end = (m.start(), m.end()) if index is None else (index[m.start()], index[m.end()])
                hits.append(self._hit(source.id, original, start, end))
                if limit is not None and len(hits) >= limit:
                    return hits
        return hits

    def _hit(self, source_id: str, text: str, start: int, end: int) -> Hit:
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        line_end = len(text) if line_end < 0 else line_end
        lo = max(line_start, start - CONTEXT)
        hi = min(line_end, end + CONTEXT)
        before = " ".join(text[lo:start].split())
        lead = ("…" if lo > line_start else "") + before + (" " if before and text[start - 1].isspace() else "")
        match = " ".join(text[start:end].split())
        after_raw = text[end:hi]
        after = (" " if after_raw[:1].isspace() else "") + " ".join(after_raw.split())
        tail = "…" if hi < line_end else ""
        return Hit(
            source_id,
            start,
            end,
            lead + match + after + tail,
            len(lead),
            len(lead) + len(match),
            self._citing(source_id, start, end),
        )


def search_articles(ledger: Ledger, ledger_path: Path, text: str) -> list[Hit]:
    """Every hit of ``text`` in the articles of ``ledger`` (see :class:`ArticleSearch`)."""
    return ArticleSearch(ledger, ledger_path).search(text)
