"""Statement rows and article hits on the command line: tab-separated in a pipe, a table on a terminal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from rich import box
from rich.table import Table
from rich.text import Text

from pledgetui.commands.common import as_of_ledger, check_query, load_ledger
from pledgetui.model import Ledger, short_label
from pledgetui.sanitize import display_line
from pledgetui.search import Hit
from pledgetui.statements import COLUMNS, StatementRow, parse_sort, select_statements

if TYPE_CHECKING:
    from pledgetui.history import AsOf

#: Columns of a terminal table of statements (the plain output has every one of :data:`COLUMNS`).
TABLE_COLUMNS = ("entry", "n", "claimant", "party", "basis", "status", "date", "source", "quote")
#: Columns of ``pledgetui search`` output.
HIT_COLUMNS = ("source", "start", "end", "context", "cited_by")


def load_statements(
    ledger_arg: str | None, query: str, sort: str, day: dt.date | None = None, count_uncertain: bool = False
) -> tuple[Ledger, list[StatementRow], AsOf | None]:
    """The ledger and the statement rows ``query``/``sort`` select (checked before the ledger is
    read); with ``day``, of the ledger as it stood that day, and the record of what it left apart."""
    check_query(query, sort, parse_sort)
    loaded = load_ledger(ledger_arg)
    ledger, then = as_of_ledger(loaded.ledger, day, count_uncertain)
    return ledger, select_statements(ledger, query, sort), then


def statements_summary(rows: Sequence[StatementRow], ledger: Ledger) -> str:
    total = sum(len(p.evidence) for p in ledger.entries)
    entries = len({r.entry_id for r in rows})
    return (
        f"{len(rows)} statement{'' if len(rows) == 1 else 's'} of {entries} entr{'y' if entries == 1 else 'ies'} "
        f"(of {total} statement{'' if total == 1 else 's'})"
    )


def write_statements(rows: Sequence[StatementRow], out: TextIO) -> None:
    """Tab-separated, a header line first; every ledger string through :func:`display_line`."""
    out.write("\t".join(COLUMNS) + "\n")
    for row in rows:
        values = row.values()
        out.write("\t".join(display_line(values[c]) for c in COLUMNS) + "\n")


def statements_table(rows: Sequence[StatementRow]) -> Table:
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, collapse_padding=True)
    for name in TABLE_COLUMNS:
        table.add_column(name, overflow="fold", ratio=3 if name in ("quote", "claimant") else None)
    for row in rows:
        cells = row.cells()
        ev = row.evidence
        cells.update(party=short_label(ev.party), basis=short_label(ev.basis), status=short_label(ev.status))
        table.add_row(*(Text(display_line(cells[c])) for c in TABLE_COLUMNS))
    return table


def hits_summary(hits: Sequence[Hit], text: str) -> str:
    sources = len({h.source for h in hits})
    uncited = sum(1 for h in hits if not h.cited)
    return (
        f"{len(hits)} hit{'' if len(hits) == 1 else 's'} of {text!r} in {sources} "
        f"article{'' if sources == 1 else 's'} ({uncited} not cited by any statement)"
    )


def write_hits(hits: Sequence[Hit], out: TextIO) -> None:
    out.write("\t".join(HIT_COLUMNS) + "\n")
    for h in hits:
        cells = (h.source, str(h.start), str(h.end), h.context, ",".join(h.entry_ids))
        out.write("\t".join(display_line(c) for c in cells) + "\n")


def hits_table(hits: Sequence[Hit]) -> Table:
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, collapse_padding=True)
    for name in HIT_COLUMNS:
        table.add_column(name, overflow="fold", ratio=4 if name == "context" else None)
    for h in hits:
        context = Text(display_line(h.context[: h.context_start]))
        context.append(display_line(h.context[h.context_start : h.context_end]), style="bold reverse")
        context.append(display_line(h.context[h.context_end :]))
        cited = Text(
            display_line(", ".join(h.entry_ids)) if h.cited else "not cited", style="" if h.cited else "italic"
        )
        table.add_row(Text(display_line(h.source)), str(h.start), str(h.end), context, cited)
    return table
