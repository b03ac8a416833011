"""What changed, as a table: the session's unsaved edits, or the statements of a window of dates.

With the date box empty the rows are the differences between the ledger as the file holds
it and the ledger with the unsaved edits (:func:`pledgetui.changes.version_changes`); a day
in the box (``2026-01-01``, or ``2026-01-01..2026-01-31``) lists what the statements dated
from that day changed (:func:`pledgetui.changes.window_changes`). Enter goes to the entry of
the row on the dashboard.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Input, Static

from pledgetui.changes import ChangeRow, summary, text, version_changes, window_changes
from pledgetui.model import Ledger
from pledgetui.sanitize import display_line
from pledgetui.ui.text import join, safe_line
from pledgetui.ui.widgets.footer import KeyFooter
from pledgetui.ui.widgets.row_table import RowColumn, RowTable
from pledgetui.ui.widgets.safe_inputs import SafeInput

COLUMNS = (
    RowColumn("entry", "Entry", 14, 3),
    RowColumn("change", "Change", 16, 4),
    RowColumn("n", "#", 2, 0, drop=5),
    RowColumn("claimant", "Claimant", 12, 2, drop=3),
    RowColumn("status", "Status", 9, 0, drop=4),
    RowColumn("date", "Date", 10, 0, drop=2),
    RowColumn("source", "Src", 4, 0, drop=6),
    RowColumn("quote", "Quote (or the old value)", 16, 5, drop=1),
)

#: What the date box takes: a day, or a day, two dots and a day (either may be left out).
WINDOW = re.compile(r"\s*([0-9]{4}-[0-9]{2}-[0-9]{2})?\s*(?:\.\.\s*([0-9]{4}-[0-9]{2}-[0-9]{2})?)?\s*")


class WindowError(ValueError):
    pass


def parse_window(value: str) -> tuple[dt.date | None, dt.date | None] | None:
    """``(since, until)`` from the date box; None when it is empty. Raises :class:`WindowError`."""
    if not value.strip():
        return None
    m = WINDOW.fullmatch(value)
    if m is None or not (m.group(1) or m.group(2)):
        raise WindowError("a day (2026-01-01), or a window (2026-01-01..2026-01-31)")
    days: list[dt.date | None] = []
    for part in m.groups():
        try:
            days.append(dt.date.fromisoformat(part) if part else None)
        except ValueError:
            raise WindowError(f"{part} is not a date: no such day") from None
    since, until = days
    if since is not None and until is not None and until < since:
        raise WindowError(f"{until} is before {since}")
    return since, until


def change_words(r: ChangeRow) -> str:
    words = r.words()
    if r.kind in ("field", "statement", "source", "ledger"):  # the old value goes in the last column
        return f"{r.field}: {text(r.new) or '(none)'}"
    if r.kind in ("new entry", "removed entry") and (r.new or r.old):
        return f"{words} ({text(r.new or r.old)})"
    if r.kind in ("new source", "removed source"):
        return f"{words} {r.source}"
    return words


def row_cells(r: ChangeRow) -> tuple[str, ...]:
    cells = r.cells()  # display-safe already; the table shows them as plain text
    cells["change"] = change_words(r)
    cells["entry"] = cells["entry"] or cells["source"]
    if r.kind in ("field", "statement", "source", "ledger"):
        cells["quote"] = display_line(f"was: {text(r.old) or '(none)'}")
    return tuple(cells[c.key] for c in COLUMNS)


class ChangesScreen(Screen[str | None]):
    """The changes of the unsaved edits (``saved`` -> ``ledger``), or of a window of dates;
    dismisses with the entry to go to, or None."""

    HELP_TITLE = "Changes"

    CSS_PATH = "changes.tcss"
    BINDINGS = [
        Binding("slash", "focus_window", "Dates", tooltip="A day or a window of dates", id="changes.window"),
        Binding("e", "edits", "Unsaved edits", tooltip="The changes of the unsaved edits", id="changes.edits"),
        Binding("escape", "close", "Back", id="changes.close"),
        Binding("C", "close", "Entries", show=False, id="changes.entries"),
    ]

    def __init__(
        self,
        saved: Ledger,
        ledger: Ledger,
        window: str = "",
        ledgers: Callable[[], tuple[Ledger, Ledger]] | None = None,
    ) -> None:
        super().__init__()
        self.saved = saved
        self.ledger = ledger
        #: The file's ledger and the edited one as they are now (after a save, an undo ...): asked
        #: again whenever the app publishes a change, so the view never shows stale edits.
        self.ledgers = ledgers
        self.window_text = window
        self.window: tuple[dt.date | None, dt.date | None] | None = None
        self.rows: list[ChangeRow] = []
        self.error: str | None = None
        self.note = ""  # what the window leaves out (the undated statements)

    def compose(self) -> ComposeResult:
        with Horizontal(id="ch-bar"):
            yield Static("", id="ch-mode", markup=False)
            yield SafeInput(
                self.window_text,
                placeholder="since a day: 2026-01-01 or 2026-01-01..2026-01-31 (empty: unsaved edits)",
                id="ch-since",
                select_on_focus=False,
                compact=True,
            )
            yield Static("", id="ch-count", markup=False)
        yield Static("", id="ch-note", markup=False)
        yield RowTable(COLUMNS, id="ch-table")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.set_window(self.window_text)
        self.table.focus()
        if self.ledgers is not None:
            self.watch(self.app, "ledger_state", self._ledger_changed, init=False)
            self.watch(self.app, "dirty", self._ledger_changed, init=False)  # a save

    def _ledger_changed(self, _change: object) -> None:
        if self.ledgers is None:
            return
        self.saved, self.ledger = self.ledgers()
        cursor = self.table.cursor
        self.set_window(self.window_text)
        if self.rows:
            self.table.cursor = min(cursor, len(self.rows) - 1)

    @property
    def table(self) -> RowTable:
        return self.query_one("#ch-table", RowTable)

    def set_window(self, value: str) -> None:
        """Show the changes of the window ``value`` names (empty: the unsaved edits); a bad
        window keeps the rows shown and says what is wrong."""
        self.window_text = value
        try:
            window = parse_window(value)
        except WindowError as exc:
            self.error = str(exc)
            self._show_note()
            return
        self.error = None
        self.window = window
        note = ""
        if window is None:
            self.rows = list(version_changes(self.saved, self.ledger))
            mode = "unsaved edits"
        else:
            found = window_changes(self.ledger, *window)
            self.rows = list(found.rows)
            mode = "statements dated"  # the box beside it holds the days
            note = found.note()
        self.query_one("#ch-mode", Static).update(safe_line(mode))
        self.query_one("#ch-count", Static).update(join(f" {summary(self.rows)} "))
        self.note = note
        self._show_note()
        self.table.set_rows([row_cells(r) for r in self.rows])

    def _show_note(self) -> None:
        if self.error is not None:
            message = f"Dates: {self.error}"
        elif not self.rows and self.window is None:
            message = "No unsaved edits. Type a day in the box (/) to see what the statements since then changed."
        else:
            message = self.note
        line = self.query_one("#ch-note", Static)
        line.update(safe_line(message))
        line.set_class(self.error is not None, "-error")
        line.display = bool(message)

    @property
    def current(self) -> ChangeRow | None:
        return self.rows[self.table.cursor] if self.rows else None

    @on(Input.Changed, "#ch-since")
    def _window_changed(self, event: Input.Changed) -> None:
        self.set_window(event.value)

    @on(Input.Submitted, "#ch-since")
    def _window_done(self) -> None:
        self.table.focus()

    def action_focus_window(self) -> None:
        self.query_one("#ch-since", Input).focus()

    def action_edits(self) -> None:
        self.query_one("#ch-since", Input).value = ""
        self.set_window("")

    @on(RowTable.Selected)
    def _selected(self, event: RowTable.Selected) -> None:
        event.stop()
        row = self.rows[event.row]
        if row.entry:
            self.dismiss(row.entry)

    def action_close(self) -> None:
        if self.focused is self.query_one("#ch-since", Input):
            self.table.focus()
            return
        self.dismiss(None)
