"""The filter syntax, every field with its aliases and values: made from pledgetui.query and
pledgetui.vocab (``pledgetui.query_help``), never a copy. ``enter`` on a row adds that term to the filter."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from pledgetui.query_help import fields, syntax_lines
from pledgetui.sanitize import display_line


class FilterHelp(ModalScreen[str | None]):
    """Dismisses with a term to add to the filter (``status:signed``), or None."""

    HELP_TITLE = "Filter help"
    CSS_PATH = "filter_help.tcss"
    BINDINGS = [
        Binding("escape,f1", "close", "Close", id="filter_help.close"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.terms: dict[str, str] = {}  # row key -> the term it adds

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content("Filter syntax"), id="fh-title")
            with VerticalScroll(id="fh-syntax-box", can_focus=False):  # the list below keeps its rows on a small screen
                yield Static(Content("\n".join(display_line(line) for line in syntax_lines())), id="fh-syntax")
            yield DataTable(id="fh-table", cursor_type="row", zebra_stripes=False)
            yield Static(
                Content(
                    "enter: add the term to the filter · right arrow in the filter accepts a completion · esc closes"
                ),
                id="fh-hint",
            )

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column(Text("Field", style="bold"), key="field")
        table.add_column(Text("Value", style="bold"), key="value")
        table.add_column(Text("Meaning", style="bold"), key="meaning")
        for f in fields():
            names = " ".join(f"{a}:" for a in f.aliases)
            key = f"field-{f.name}"
            self.terms[key] = f"{f.aliases[0]}:"
            table.add_row(Text(names, style="bold"), Text("text" if not f.values else ""), Text(f.description), key=key)
            for value, label in f.values:
                key = f"value-{f.name}-{value}"
                self.terms[key] = f"{f.aliases[0]}:{value}"
                table.add_row(Text(""), Text(value), Text(label), key=key)
        table.focus()

    def rows(self) -> list[tuple[str, str, str]]:
        table = self.query_one(DataTable)
        return [tuple(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]  # type: ignore[misc]

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """``enter`` (or a click) on a row: add its term to the filter."""
        self.dismiss(self.terms.get(event.row_key.value or ""))

    def action_close(self) -> None:
        self.dismiss(None)
