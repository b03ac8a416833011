"""The quoted passages of an article: which entries cite each, and how a reader steps through them.

A passage is a span of an article that at least one statement of the ledger
quotes and that anchors there (found exactly or approximately). Statements
quoting the same span share one passage; passages are in reading order. The
quote viewer shows them; these rules do not depend on how they are shown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pledgetui.anchors import select
from pledgetui.model import Basis, Evidence, Ledger, Party
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
    spans: dict[Span, list[tuple[str, int]]] = {}
    for p in ledger.entries:
        for i, ev in enumerate(p.evidence):
            if ev.source == source_id:
                anchor = articles.anchor(ledger, ev)
                if anchor.found:
                    spans.setdefault((anchor.start, anchor.end), []).append((p.id, i))
    return tuple(Passage(s, e, tuple(c)) for (s, e), c in sorted(spans.items()))


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
        status=None,  # type: ignore[arg-type]
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
