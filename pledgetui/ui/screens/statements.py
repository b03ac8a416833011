"""Statements as a table: one row per statement of the entries the filter selects.

The rows are :func:`pledgetui.statements.select_statements`'s; the filter bar takes the
dashboard's syntax and starts with its filter, and hands the filter back on the way out.
Enter opens the quote viewer at the statement.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Input, Static

from pledgetui.model import Ledger, short_label
from pledgetui.passages import PassageIndex
from pledgetui.query import Index, QueryError
from pledgetui.statements import SORT_FIELDS, StatementRow, select_statements
from pledgetui.ui.text import join, safe_line
from pledgetui.ui.widgets.footer import KeyFooter
from pledgetui.ui.widgets.row_table import RowColumn, RowTable
from pledgetui.ui.widgets.safe_inputs import SafeInput
from pledgetui.verify import Articles

#: The table's columns: a statements.SORT_FIELDS name each.
COLUMNS = (
    RowColumn("entry", "Entry", 14, 3),
    RowColumn("n", "#", 2, 0, drop=5),
    RowColumn("actor", "Actor", 10, 2, drop=3),
    RowColumn("claimant", "Claimant", 12, 3),
    RowColumn("party", "Party", 5, 0),
    RowColumn("basis", "Basis", 9, 1, drop=4),
    RowColumn("relayed_by", "Relay", 6, 1, drop=6),
    RowColumn("status", "Status", 11, 0),
    RowColumn("date", "Date", 13, 0, drop=2),
    RowColumn("source", "Src", 4, 0),
    RowColumn("quote", "Quote", 16, 5, drop=1),
)


#: The party column's words (the detail pane and the filter help say them in full).
PARTY_SHORT = {"first_party": "1st", "third_party": "3rd"}


def row_cells(row: StatementRow) -> tuple[str, ...]:
    ev = row.evidence
    cells = row.cells()
    party = PARTY_SHORT.get(ev.party.value, short_label(ev.party))
    cells.update(party=party, basis=short_label(ev.basis), status=short_label(ev.status))
    return tuple(cells[c.key] for c in COLUMNS)


class StatementsScreen(Screen[str]):
    """Statements of the filtered entries; dismisses with the filter as it was left."""

    HELP_TITLE = "Statements"

    CSS_PATH = "statements.tcss"
    BINDINGS = [
        Binding("slash", "focus_filter", "Filter", id="statements.filter"),
        Binding("s", "cycle_sort", "Sort", tooltip="Sort by the next column", id="statements.cycle_sort"),
        Binding("r", "reverse_sort", "Reverse", id="statements.reverse_sort"),
        Binding("escape", "close", "Back", id="statements.close"),
        Binding("t", "close", "Entries", show=False, id="statements.entries"),
    ]

    def __init__(
        self,
        ledger: Ledger,
        articles: Articles,
        query: str = "",
        passage_index: PassageIndex | None = None,
        *,
        as_of: str = "",
    ) -> None:
        """``as_of``: the day whose ledger this is (YYYY-MM-DD), said by the count; "": today's."""
        super().__init__()
        self.as_of = as_of
        self.ledger = ledger
        self.articles = articles
        self.passage_index = passage_index
        self.query_text = query
        self.sort_field: str | None = None
        self.descending = False
        self.rows: list[StatementRow] = []
        self.error: str | None = None
        self._index = Index(ledger)

    def compose(self) -> ComposeResult:
        with Horizontal(id="st-bar"):
            yield SafeInput(
                self.query_text,
                placeholder="filter: party:third claimant:rutte",
                id="st-filter",
                select_on_focus=False,
                compact=True,
            )
            yield Static("", id="st-count", markup=False)
        yield Static("", id="st-error", markup=False)
        yield RowTable(COLUMNS, id="st-table")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.refresh_rows()
        self.table.focus()

    @property
    def table(self) -> RowTable:
        return self.query_one("#st-table", RowTable)

    def refresh_rows(self) -> None:
        sort = "" if self.sort_field is None else ("-" if self.descending else "") + self.sort_field
        try:
            self.rows = select_statements(self.ledger, self.query_text, sort, index=self._index)
            self.error = None
        except QueryError as exc:
            self.error = str(exc)
        self.query_one("#st-error", Static).update(safe_line(self.error or ""))
        self.query_one("#st-error", Static).display = self.error is not None
        entries = len({r.entry_id for r in self.rows})
        total = sum(len(p.evidence) for p in self.ledger.entries)
        self.query_one("#st-count", Static).update(
            join(
                f" {len(self.rows)} of {total} statements · {entries} entr{'y' if entries == 1 else 'ies'} ",
                (f"· as of {self.as_of} " if self.as_of else "", "bold"),
            )
        )
        sorted_by = {} if self.sort_field is None else {self.sort_field: self.descending}
        self.table.set_rows([row_cells(r) for r in self.rows], sorted_by)

    @property
    def current(self) -> StatementRow | None:
        return self.rows[self.table.cursor] if self.rows else None

    # ------------------------------------------------------------------ filter and sort

    @on(Input.Changed, "#st-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.query_text = event.value
        self.refresh_rows()

    @on(Input.Submitted, "#st-filter")
    def _filter_done(self) -> None:
        self.table.focus()

    def action_focus_filter(self) -> None:
        self.query_one("#st-filter", Input).focus()

    def sort_by(self, field: str) -> None:
        """Sort by ``field`` (a statements.SORT_FIELDS name); the same field again reverses it."""
        self.descending = not self.descending if self.sort_field == field else False
        self.sort_field = field
        self.refresh_rows()

    def action_cycle_sort(self) -> None:
        keys = [c.key for c in COLUMNS if c.key in SORT_FIELDS and c.key in self.table.shown_columns]
        at = keys.index(self.sort_field) + 1 if self.sort_field in keys else 0
        self.sort_field, self.descending = keys[at % len(keys)], False
        self.refresh_rows()

    def action_reverse_sort(self) -> None:
        if self.sort_field is not None:
            self.descending = not self.descending
            self.refresh_rows()

    @on(RowTable.HeaderClicked)
    def _header(self, event: RowTable.HeaderClicked) -> None:
        self.sort_by(event.column)

    # ------------------------------------------------------------------ opening

    @on(RowTable.Selected)
    def _selected(self, event: RowTable.Selected) -> None:
        event.stop()
        self.open_statement(event.row)

    def open_statement(self, row: int) -> None:
        from pledgetui.ui.screens.quote_viewer import QuoteViewer

        chosen = self.rows[row]
        self.app.push_screen(QuoteViewer(self.ledger, self.articles, chosen.entry_id, chosen.index, self.passage_index))

    def action_close(self) -> None:
        if self.focused is self.query_one("#st-filter", Input):
            self.table.focus()
            return
        self.dismiss(self.query_text)
