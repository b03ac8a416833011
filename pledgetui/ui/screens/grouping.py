"""The frequency view: the dashboard's rows grouped by one column, with counts, most first.

The groups are :mod:`pledgetui.grouping`'s, over the rows the dashboard shows
(its filter applied). ``←``/``→`` group by another column; ``enter`` dismisses
with the chosen group's filter term, which the dashboard adds to its filter.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Static

from pledgetui.grouping import GROUP_COLUMNS, Grouping, group_rows
from pledgetui.model import Entry
from pledgetui.sanitize import display_line
from pledgetui.ui.text import join, safe_line
from pledgetui.ui.widgets.footer import KeyFooter

#: The widest the bar showing a group's share may be (cells).
BAR_CELLS = 20
#: The cells the count and share columns, the cell padding and a scroll bar take beside the values.
VALUE_ROOM = 6 + 5 + 5 + BAR_CELLS + 2


class GroupTable(DataTable[Text]):
    HELP_TITLE = "The groups"


class GroupingScreen(Screen[str | None]):
    """``GroupingScreen(entries, rows, column, query)``: the entries at ``rows`` grouped by
    ``column``; dismisses with the chosen group's filter term (None: back, nothing chosen)."""

    HELP_TITLE = "Frequency view"

    CSS_PATH = "grouping.tcss"
    BINDINGS = [
        Binding("enter", "choose", "Filter by it", priority=True, id="grouping.choose"),
        Binding(
            "left,h", "column(-1)", "Previous column", key_display="←", priority=True, id="grouping.previous_column"
        ),
        Binding("right,l", "column(1)", "Next column", key_display="→", priority=True, id="grouping.next_column"),
        Binding("escape", "close", "Back", id="grouping.close"),
        Binding("q", "close", "Back", show=False, id="grouping.close_q"),
    ]

    def __init__(self, entries: Sequence[Entry], rows: Sequence[int], column: str, query: str = "") -> None:
        super().__init__()
        self.entries = entries
        self.rows = list(rows)
        self.query_text = query
        self.grouping: Grouping = group_rows(entries, self.rows, column)

    def compose(self) -> ComposeResult:
        yield Static(id="gr-title")
        yield Static(id="gr-columns")
        yield GroupTable(id="gr-table", cursor_type="row", zebra_stripes=True)
        yield Static(id="gr-note")
        yield KeyFooter()

    def on_mount(self) -> None:
        self._show()
        self.query_one(GroupTable).focus()

    @property
    def column(self) -> str:
        return self.grouping.column.key

    def _show(self, keep_row: bool = False) -> None:
        grouping = self.grouping
        view = f'the view filtered by "{self.query_text}"' if self.query_text else "every entry shown"
        n = len(grouping.groups)
        self.query_one("#gr-title", Static).update(
            join(
                Content(f"Grouped by {grouping.column.title}").stylize("bold"),
                f"  ·  {n} value{'' if n == 1 else 's'} in ",
                safe_line(view),
            )
        )
        parts: list[Content | str] = []
        for col in GROUP_COLUMNS:
            if parts:
                parts.append("  ")
            parts.append(Content(col.title).stylize("bold reverse" if col is grouping.column else "dim"))
        parts.append("   ←/→ another column")
        self.query_one("#gr-columns", Static).update(join(*parts))
        self.query_one("#gr-note", Static).update(
            Content(f"{grouping.note[:1].upper()}{grouping.note[1:]}. Enter: filter the dashboard by the value.")
        )
        table = self.query_one(GroupTable)
        row = table.cursor_row if keep_row else 0
        table.clear(columns=True)
        table.add_column(Text("Count", style="bold"), key="count", width=5)
        table.add_column(Text("Share", style="bold"), key="share", width=5 + BAR_CELLS)
        # The values take the room left, so the table never scrolls sideways (←/→ choose the column).
        table.add_column(Text(grouping.column.title, style="bold"), key="value", width=self._value_width())
        most = max((g.count for g in grouping.groups), default=0)
        total = max(1, grouping.entries)
        for n, g in enumerate(grouping.groups):
            bar = "█" * max(1, round(BAR_CELLS * g.count / most)) if most else ""
            table.add_row(
                Text(str(g.count), justify="right"),
                Text(f"{100 * g.count / total:3.0f}% {bar}", style="cyan"),
                Text(display_line(g.label)),
                key=str(n),
            )
        if row:
            table.move_cursor(row=row)

    def _value_width(self) -> int:
        return max(12, self.app.size.width - VALUE_ROOM)

    def on_resize(self) -> None:
        if self.is_mounted:
            self._show(keep_row=True)

    def action_column(self, delta: int) -> None:
        keys = [c.key for c in GROUP_COLUMNS]
        at = keys.index(self.column)
        self.grouping = group_rows(self.entries, self.rows, keys[(at + delta) % len(keys)])
        self._show()

    def action_choose(self) -> None:
        table = self.query_one(GroupTable)
        if self.grouping.groups and 0 <= table.cursor_row < len(self.grouping.groups):
            self.dismiss(self.grouping.groups[table.cursor_row].term)

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_choose()

    def action_close(self) -> None:
        self.dismiss(None)
