"""The quoted passages of an article: which entries cite each, and how a reader steps through them.

A passage is a span of an article that at least one statement of the ledger
quotes and that anchors there (found exactly or approximately). Statements
quoting the same span share one passage; passages are in reading order. The
quote viewer shows them; these rules do not depend on how they are shown.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from pledgetui.anchors import Anchor, select
from pledgetui.model import Basis, Entry, Evidence, Ledger, Party
from pledgetui.verify import Articles

#: (start, end) character offsets into an article.
Span = tuple[int, int]

#: The shortest passage accepted as a quote: a word or two cannot carry a claim.
MIN_PASSAGE = 12

#: How many citing entries are named before "and N more".
CITED_SHOWN = 12


@dataclass(frozen=True, slots=True)
class Passage:
    """A located span of an article and the (pledge id, evidence index) pairs quoting it."""

    start: int
    end: int
    citations: tuple[tuple[str, int], ...]

    @property
    def span(self) -> Span:
        return (self.start, self.end)

    @property
    def entry_ids(self) -> tuple[str, ...]:
        """The citing entries, each once, in ledger order."""
        return tuple(dict.fromkeys(pid for pid, _ in self.citations))


def collect(ledger: Ledger, articles: Articles, source_id: str) -> tuple[Passage, ...]:
    """Every located quote of the article ``source_id``, grouped by span, in reading order.

    Citations of a passage are in ledger order (entry, then statement). An article
    that cannot be read has no passages; a quote that does not anchor is in none.
    """
    if articles.text(ledger, source_id) is None:
        return ()
    return _grouped(
        (p.id, i, articles.anchor(ledger, ev))
        for p in ledger.entries
        for i, ev in enumerate(p.evidence)
        if ev.source == source_id
    )


def _grouped(statements: Iterable[tuple[str, int, Anchor]]) -> tuple[Passage, ...]:
    """Located statements (entry id, statement index, anchor) grouped by span, in reading order."""
    spans: dict[Span, list[tuple[str, int]]] = {}
    for pid, i, anchor in statements:
        if anchor.found:
            spans.setdefault((anchor.start, anchor.end), []).append((pid, i))
    return tuple(Passage(s, e, tuple(c)) for (s, e), c in sorted(spans.items()))


#: A statement of the ledger: the entry and the position of the statement in its evidence.
Row = tuple[Entry, int]

#: Past this many changed entries, :meth:`PassageIndex.derive` starts afresh (built on use).
DERIVE_LIMIT = 1000


class PassageIndex:
    """The statements quoting each article of one ledger, and each article's passages.

    A ledger never changes (an edit makes a new one), so what is computed here holds for
    as long as the index's ledger is the one shown. Everything is computed on first use and
    kept: which statements quote each source (one pass over the ledger), where each of them
    anchors, the passages of each article (as :func:`collect` defines them), the entries by
    id. :meth:`derive` makes the index of an edited ledger from this one, recomputing only
    the articles the edit touched.

    Reading from two threads at once is safe: each table is built whole, then stored.
    """

    def __init__(self, ledger: Ledger, articles: Articles) -> None:
        self.ledger = ledger
        self.articles = articles
        self._rows: dict[str, list[Row]] | None = None
        self._anchors: dict[str, list[Anchor]] = {}  # aligned with _rows[source]
        self._passages: dict[str, tuple[Passage, ...]] = {}
        self._by_id: dict[str, Entry] | None = None

    # ---- lookups

    @property
    def by_id(self) -> dict[str, Entry]:
        """The ledger's entries by id (``Ledger.entry`` is a linear scan)."""
        if self._by_id is None:
            self._by_id = {p.id: p for p in self.ledger.entries}
        return self._by_id

    def _table(self) -> dict[str, list[Row]]:
        if self._rows is None:
            rows: dict[str, list[Row]] = {}
            for p in self.ledger.entries:
                for i, ev in enumerate(p.evidence):
                    found = rows.get(ev.source)
                    if found is None:
                        rows[ev.source] = [(p, i)]
                    else:
                        found.append((p, i))
            self._rows = rows
        return self._rows

    def statements(self, source_id: str) -> tuple[tuple[str, int], ...]:
        """The (entry id, statement index) pairs quoting ``source_id``, in ledger order."""
        return tuple((p.id, i) for p, i in self._table().get(source_id, ()))

    def _anchored(self, source_id: str, rows: list[Row]) -> list[Anchor]:
        anchors = self._anchors.get(source_id)
        if anchors is None:
            anchors = [self.articles.anchor(self.ledger, p.evidence[i]) for p, i in rows]
            self._anchors[source_id] = anchors
        return anchors

    def passages(self, source_id: str) -> tuple[Passage, ...]:
        """The passages of the article ``source_id``: the same as :func:`collect`, computed once."""
        found = self._passages.get(source_id)
        if found is None:
            found = self._passages[source_id] = self._collect(source_id)
        return found

    def _collect(self, source_id: str) -> tuple[Passage, ...]:
        if self.articles.text(self.ledger, source_id) is None:
            return ()
        rows = self._table().get(source_id, [])
        anchors = self._anchored(source_id, rows)
        return _grouped((p.id, i, anchor) for (p, i), anchor in zip(rows, anchors, strict=True))

    def prime(self) -> None:
        """Compute everything now (off the UI thread, after a load): the first look is then free."""
        _ = self.by_id
        for source_id in list(self._table()):
            self.passages(source_id)

    def unverified(self) -> tuple[tuple[str, int, Anchor], ...]:
        """Every statement whose quote is not its article's exact words (drifted, orphaned, or
        its article unreadable) as (entry id, statement index, anchor), article by article."""
        out: list[tuple[str, int, Anchor]] = []
        for source_id, rows in self._table().items():
            for (p, i), anchor in zip(rows, self._anchored(source_id, rows), strict=True):
                if not anchor.verified:
                    out.append((p.id, i, anchor))
        return tuple(out)

    # ---- edits

    def derive(self, ledger: Ledger) -> PassageIndex:
        """The index of ``ledger``, an edit (or undo) of this index's ledger.

        Entries are compared by identity (an edit shares every untouched entry object with
        the ledger it was made from). The articles quoted by an added or removed entry are
        recomputed when asked for; every other article keeps its statements, anchors and
        passages. Nothing of this index changes.
        """
        new = PassageIndex(ledger, self.articles)
        if ledger is self.ledger:
            new._rows, new._by_id = self._rows, self._by_id
            new._anchors, new._passages = dict(self._anchors), dict(self._passages)
            return new
        old_rows = self._rows
        if old_rows is None:
            return new
        old_ids = {id(p) for p in self.ledger.entries}
        new_ids = {id(p) for p in ledger.entries}
        added = [p for p in ledger.entries if id(p) not in old_ids]
        removed = [p for p in self.ledger.entries if id(p) not in new_ids]
        if len(added) + len(removed) > DERIVE_LIMIT:
            return new
        touched = {ev.source for p in (*added, *removed) for ev in p.evidence}
        rows = {s: r for s, r in old_rows.items() if s not in touched}
        new._anchors = {s: a for s, a in self._anchors.items() if s not in touched}
        new._passages = {s: c for s, c in self._passages.items() if s not in touched}
        if touched:
            position = {id(p): n for n, p in enumerate(ledger.entries)}
            for source_id in touched:
                before = old_rows.get(source_id, [])
                kept: list[tuple[Row, Anchor | None]] = [(row, None) for row in before if id(row[0]) in position]
                anchors = self._anchors.get(source_id)
                if anchors is not None:  # the anchors already known go along with their rows
                    kept = [(row, a) for row, a in zip(before, anchors, strict=True) if id(row[0]) in position]
                fresh: list[tuple[Row, Anchor | None]] = [
                    ((p, i), None) for p in added for i, ev in enumerate(p.evidence) if ev.source == source_id
                ]
                merged = sorted(kept + fresh, key=lambda item: (position[id(item[0][0])], item[0][1]))
                if merged:
                    rows[source_id] = [row for row, _ in merged]
                    if anchors is not None:
                        new._anchors[source_id] = [
                            a if a is not None else self.articles.anchor(ledger, p.evidence[i]) for (p, i), a in merged
                        ]
        new._rows = rows
        if self._by_id is not None:
            by_id = dict(self._by_id)
            for p in removed:
                if by_id.get(p.id) is p:
                    del by_id[p.id]
            for p in added:
                by_id[p.id] = p
            new._by_id = by_id
        return new


def citing(passages: tuple[Passage, ...], span: Span, default: tuple[str, ...]) -> tuple[str, ...]:
    """The entries citing the passage at ``span``; ``default`` when no passage is there."""
    return next((p.entry_ids for p in passages if p.span == span), default)


def named_citations(citing_ids: tuple[str, ...], current_id: str, limit: int = CITED_SHOWN) -> tuple[str, ...]:
    """The citing entries to name, at most ``limit``: the first ones, with the current entry
    always among them (first, when it would otherwise be left out)."""
    shown = citing_ids[:limit]
    if current_id in citing_ids and current_id not in shown:
        shown = (current_id, *shown[: limit - 1])
    return shown


def step(passages: tuple[Passage, ...], current: Span | None, stored_start: int, direction: int) -> Passage | None:
    """The passage one step (``direction`` +1 or -1) from ``current``, wrapping around.

    When ``current`` is not a passage (an orphaned quote), the first passage at or after
    ``stored_start`` (the quote's stored offset) going forward, or the last one before it
    going back; either wraps around. None when there is nowhere else to go: no passage,
    or ``current`` is the only one.
    """
    if not passages:
        return None
    spans = [p.span for p in passages]
    if current in spans:
        target = (spans.index(current) + direction) % len(passages)
    else:
        after = [i for i, p in enumerate(passages) if p.start >= stored_start]
        before = [i for i, p in enumerate(passages) if p.start < stored_start]
        pool = after + before if direction > 0 else (before[::-1] + after[::-1])
        target = pool[0]
    passage = passages[target]
    if passage.span == current and len(passages) == 1:
        return None
    return passage


def citation_for(passage: Passage, entry_id: str) -> tuple[str, int]:
    """Which statement to show for ``passage``: the current entry's own first statement
    quoting it, when it quotes it; else the first citing statement."""
    own = [i for pid, i in passage.citations if pid == entry_id]
    return (entry_id, own[0]) if own else passage.citations[0]


class SelectionRejected(ValueError):
    """A selection that cannot be a quote; the message says why, for the reader."""


def draft_evidence(text: str, source_id: str, start: int, end: int) -> Evidence:
    """The selection ``start:end`` of the article ``text`` as a draft statement.

    White space at either end is left out; offsets, prefix and suffix are computed from
    the article, never typed. The stance (claimant, party, basis, status) is left for
    the edit form, so the draft is built unvalidated. Raises :class:`SelectionRejected`
    for a selection of only white space or shorter than :data:`MIN_PASSAGE`.
    """
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        raise SelectionRejected("The selection holds only white space.")
    if end - start < MIN_PASSAGE:
        raise SelectionRejected(f"Select at least {MIN_PASSAGE} characters: a quote must carry who says what.")
    sel = select(text, start, end)
    # model_construct skips validation on purpose: status and claimant are still to be set.
    return Evidence.model_construct(
        source=source_id,
        claimant="",
        party=Party.FIRST_PARTY,
        basis=Basis.STATEMENT,
        status=None,  # a draft: the form asks for it
        stated=None,
        conditions=None,
        numbers=(),
        quote=sel.quote,
        prefix=sel.prefix,
        suffix=sel.suffix,
        start=sel.start,
        end=sel.end,
    )


def find_all(text: str, needle: str) -> list[tuple[int, int]]:
    """Every (start, end) of ``needle`` in ``text``, case-insensitive, without overlaps, in order.

    Offsets are into ``text`` itself (a regular expression with IGNORECASE, not a lowered
    copy whose length may differ), so they select what the reader sees.
    """
    if not needle:
        return []
    return [m.span() for m in re.finditer(re.escape(needle), text, re.IGNORECASE)]
