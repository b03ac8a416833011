"""The conflicts a merge recorded in the ledger, one row each, with a key per side.

A merge of two versions of the ledger (``pledgetui merge``, git's merge driver) that met two
different changes to one field keeps ours and records the conflict in the file
(:class:`pledgetui.model.Conflict`). Here each is shown with its three values, and ``o``,
``t`` or ``b`` keeps ours, theirs or the base: a journaled, undoable edit like any other,
written by the next save. Enter goes to the conflict's entry on the dashboard.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from pledgetui.merge import Side
from pledgetui.model import Conflict, Ledger
from pledgetui.ui.text import join, safe, safe_line
from pledgetui.ui.widgets.footer import KeyFooter
from pledgetui.ui.widgets.row_table import RowColumn, RowTable

COLUMNS = (
    RowColumn("where", "Where", 14, 3),
    RowColumn("field", "Field", 10, 1),
    RowColumn("ours", "Ours (kept)", 14, 3),
    RowColumn("theirs", "Theirs", 14, 3),
    RowColumn("base", "Base", 10, 2, drop=1),
)


def _value(text: str) -> str:
    return " ".join(text.split()) if text else "(none)"


def row_cells(c: Conflict) -> tuple[str, ...]:
    where = c.entry if c.entry is not None else f"source {c.source}"
    if c.statement:
        where += f" {c.statement}"
    return (where, c.field, _value(c.ours), _value(c.theirs), _value(c.base))


class ConflictsScreen(Screen[str | None]):
    """Every conflict recorded in the ledger; dismisses with an entry id to go to, or None."""

    HELP_TITLE = "Merge conflicts"

    CSS_PATH = "conflicts.tcss"
    BINDINGS = [
        Binding("o", "pick('ours')", "Keep ours", id="conflicts.ours"),
        Binding("t", "pick('theirs')", "Take theirs", id="conflicts.theirs"),
        Binding("b", "pick('base')", "Take base", id="conflicts.base"),
        Binding("escape", "close", "Back", id="conflicts.close"),
    ]

    def __init__(self, current: Callable[[], Ledger], resolve: Callable[[Conflict, Side], bool]) -> None:
        """``current``: the session's ledger now; ``resolve``: keep a side of one conflict (False: refused)."""
        super().__init__()
        self._current = current
        self._resolve = resolve
        self.conflicts: tuple[Conflict, ...] = ()

    def compose(self) -> ComposeResult:
        yield Static("", id="cf-count", markup=False)
        yield RowTable(COLUMNS, id="cf-table")
        yield Static("", id="cf-values", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.refresh_rows()
        self.watch(self.table, "cursor", lambda _row: self._show_values(), init=False)
        self.table.focus()

    @property
    def table(self) -> RowTable:
        return self.query_one("#cf-table", RowTable)

    @property
    def current(self) -> Conflict | None:
        if not self.conflicts:
            return None
        return self.conflicts[min(self.table.cursor, len(self.conflicts) - 1)]

    def refresh_rows(self, row: int = 0) -> None:
        self.conflicts = self._current().conflicts
        n = len(self.conflicts)
        count = (
            f" {n} merge conflict{'' if n == 1 else 's'}: the ledger keeps ours until you pick a side "
            "(o ours, t theirs, b base); ctrl+s saves"
            if n
            else " No merge conflicts left. Unsaved picks are written by the next save (ctrl+s)."
        )
        self.query_one("#cf-count", Static).update(count)
        self.table.set_rows([row_cells(c) for c in self.conflicts], row=min(row, max(n - 1, 0)))
        self._show_values()

    @on(RowTable.Selected)
    def _selected(self, event: RowTable.Selected) -> None:
        event.stop()
        chosen = self.conflicts[event.row] if 0 <= event.row < len(self.conflicts) else None
        if chosen is not None and chosen.entry is not None:
            self.dismiss(chosen.entry)

    def _show_values(self) -> None:
        c = self.current
        values = self.query_one("#cf-values", Static)
        if c is None:
            values.update("")
            return
        values.update(
            join(
                safe_line(f"{c.where} · {c.field}", "bold"),
                "\n",
                ("ours (kept):  ", "bold"),
                safe(_value(c.ours)),
                "\n",
                ("theirs:       ", "bold"),
                safe(_value(c.theirs)),
                "\n",
                ("base:         ", "bold"),
                safe(_value(c.base)),
            )
        )

    def action_pick(self, side: str) -> None:
        c = self.current
        if c is None or side not in ("ours", "theirs", "base"):
            return
        row = self.table.cursor
        chosen: Side = "ours" if side == "ours" else "theirs" if side == "theirs" else "base"
        if self._resolve(c, chosen):
            self.refresh_rows(row)

    def action_close(self) -> None:
        self.dismiss(None)
