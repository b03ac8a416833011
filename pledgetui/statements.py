"""Statements as rows: one row per statement of the entries a query selects.

The query is the entries' query (:mod:`pledgetui.query`). The terms that name a
statement's own field (``claimant:``, ``relay:``, ``party:``, ``basis:``, ``source:``)
pick statements; the others select entries as they do everywhere. A row is a statement
both meet: ``claimant:rutte`` lists Rutte's statements, not every statement of an entry
Rutte speaks in, and ``-party:third`` drops third-party statements, not whole entries. Sorting takes the statement columns (:data:`SORT_FIELDS`); ties keep the
ledger's order (entry, then statement).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pledgetui.dating import Interval
from pledgetui.model import Entry, Evidence, Ledger
from pledgetui.query import Index, Query, QueryError, SortKey, Term, parse_query
from pledgetui.textcheck import comparable

#: Characters of the quote a row shows.
QUOTE_START = 60

#: The columns of a statement row, in order (also the header of ``list --rows statements``).
COLUMNS = ("entry", "n", "actor", "claimant", "party", "basis", "relayed_by", "status", "date", "source", "quote")


@dataclass(frozen=True, slots=True)
class StatementRow:
    """One statement of an entry, with what a table of statements shows."""

    entry: Entry
    index: int  # 0-based position in the entry's evidence
    evidence: Evidence
    span: Interval  # when the statement was made (``pledgetui.dating``)

    @property
    def entry_id(self) -> str:
        return self.entry.id

    @property
    def quote_start(self) -> str:
        """The quote's first words, white space folded, cut with "…" past :data:`QUOTE_START`."""
        words = " ".join(self.evidence.quote.split())
        return words if len(words) <= QUOTE_START else words[: QUOTE_START - 1].rstrip() + "…"

    def cells(self) -> dict[str, str]:
        """Each column's text (vocabulary values as labels). Untrusted: show through a display filter."""
        ev = self.evidence
        return {
            "entry": self.entry.id,
            "n": str(self.index + 1),
            "actor": self.entry.actor,
            "claimant": ev.claimant,
            "party": ev.party.label,
            "basis": ev.basis.label,
            "relayed_by": ev.relayed_by,
            "status": ev.status.label,
            "date": self.span.label(),
            "source": ev.source,
            "quote": self.quote_start,
        }

    def values(self) -> dict[str, str]:
        """Each column's plain value (vocabulary values, white space folded): for tab-separated output."""
        cells = self.cells()
        ev = self.evidence
        cells.update(party=ev.party.value, basis=ev.basis.value, status=ev.status.value)
        return cells


SORT_FIELDS: dict[str, Callable[[StatementRow], object]] = {
    "entry": lambda r: r.entry.id,
    "n": lambda r: r.index,
    "actor": lambda r: comparable(r.entry.actor),
    "claimant": lambda r: comparable(r.evidence.claimant),
    "party": lambda r: r.evidence.party.label,
    "basis": lambda r: r.evidence.basis.label,
    "relayed_by": lambda r: comparable(r.evidence.relayed_by),
    "status": lambda r: r.evidence.status.strength,
    "date": lambda r: r.span.recency(),
    "source": lambda r: r.evidence.source,
    "quote": lambda r: comparable(r.evidence.quote),
}
SORT_ALIASES = {"id": "entry", "country": "actor", "relay": "relayed_by", "stated": "date", "sources": "source"}

#: Query fields that belong to a statement: they pick statements as well as entries.
STATEMENT_FIELDS = frozenset({"claimant", "relay", "party", "basis", "source"})


def parse_sort(text: str) -> tuple[SortKey, ...]:
    """``"claimant,-date"`` -> keys over statement columns; raises :class:`QueryError`."""
    keys: list[SortKey] = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        name = part.lstrip("-+").lower()
        name = SORT_ALIASES.get(name, name)
        if name not in SORT_FIELDS:
            raise QueryError(f"cannot sort statements by '{part}' (fields: {', '.join(SORT_FIELDS)})")
        keys.append(SortKey(name, part.startswith("-")))
    return tuple(keys)


def _text_matches(term: Term, value: str) -> bool:
    key = comparable(value)
    return key in term.values if term.exact else any(v in key for v in term.values)  # type: ignore[operator]


def statement_matches(term: Term, ev: Evidence, ledger: Ledger) -> bool:
    """Whether one statement meets a statement field's term (negation not applied)."""
    f = term.field
    if f == "claimant":
        return _text_matches(term, ev.claimant)
    if f == "relay":
        return bool(ev.relayed_by.strip()) and _text_matches(term, ev.relayed_by)
    if f == "party":
        return ev.party in term.values
    if f == "basis":
        return ev.basis in term.values
    if f == "source":
        source = ledger.source(ev.source)
        names = [ev.source] + ([source.file, source.title] if source is not None else [])
        return any(_text_matches(term, n) for n in names)
    raise QueryError(f"not a statement field: {f!r}")


def rows_of(ledger: Ledger, entries: Sequence[Entry], query: Query | None = None) -> list[StatementRow]:
    """The statement rows of ``entries`` (in their order) that the statement terms of ``query`` keep."""
    terms = [t for t in (query.terms if query is not None else ()) if t.field in STATEMENT_FIELDS]
    dates = ledger.source_dates()
    rows: list[StatementRow] = []
    for entry in entries:
        for i, ev in enumerate(entry.evidence):
            if all(statement_matches(t, ev, ledger) is not t.negate for t in terms):
                rows.append(StatementRow(entry, i, ev, ev.span(dates)))
    return rows


def sort_rows(rows: Sequence[StatementRow], keys: Sequence[SortKey]) -> list[StatementRow]:
    """Stable sort by ``keys`` (last key first, so ties keep their earlier order)."""
    out = list(rows)
    for key in reversed(keys):
        fn = SORT_FIELDS[key.field]
        out.sort(key=fn, reverse=key.descending)  # type: ignore[arg-type]
    return out


def select_statements(
    ledger: Ledger, query: str = "", sort: str = "", *, index: Index | None = None
) -> list[StatementRow]:
    """The statement rows of the entries ``query`` selects, sorted by ``sort`` (statement columns).
    Raises :class:`QueryError` for a bad query or sort key."""
    q = parse_query(query)
    keys = parse_sort(sort)
    idx = index if index is not None else Index(ledger)
    entries = [idx.entries[i] for i in idx.filter(entry_query(q))]
    return sort_rows(rows_of(ledger, entries, q), keys)


def entry_query(query: Query) -> Query:
    """``query`` without its statement fields' terms: what selects the entries whose statements are rows.
    (``-claimant:x`` drops x's statements, not every entry where x speaks.)"""
    kept = tuple(t for t in query.terms if t.field not in STATEMENT_FIELDS)
    return query if len(kept) == len(query.terms) else Query(text=query.text, terms=kept)
