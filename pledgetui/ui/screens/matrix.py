"""Actors x commitment types: who is in and who is holding back, at a glance.

Each cell shows the strongest status among the actor's entries of that
commitment type (declined shown as such), the number of entries when more than
one, and a dagger when any of them requires or seeks a US backstop.
Counter-positions are summarised in their own table and never counted as pledges.
The summaries are :mod:`pledgetui.matrix`'s; this screen draws them and reports
the cell chosen.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.coordinate import Coordinate
from textual.screen import Screen
from textual.widgets import DataTable, Static

from pledgetui.matrix import BACKSTOP_NEEDED, CellSummary, Grid, Matrix, actor_order, status_name, summarise
from pledgetui.model import CommitmentType, Entry, Ledger, Status, short_label
from pledgetui.ui.text import join, safe_line
from pledgetui.ui.widgets.footer import KeyFooter

__all__ = [
    "BACKSTOP_MARK",
    "BACKSTOP_NEEDED",
    "STATUS_STYLE",
    "CellSummary",
    "Grid",
    "MatrixScreen",
    "MatrixTable",
    "actor_order",
    "cell_label",
    "summarise",
]

#: Rich styles per status: data cells of the built-in DataTable are rich Text.
STATUS_STYLE: dict[Status, str] = {
    Status.SIGNED: "bold green",
    Status.ANNOUNCED: "green",
    Status.SIGNALLED: "cyan",
    Status.CONSIDERING: "yellow",
    Status.CLAIMED: "italic dim",
    Status.DECLINED: "bold red",
}
BACKSTOP_MARK = "†"
MAX_ACTOR_CELLS = 36


def cell_label(summary: CellSummary) -> Text:
    """A cell as drawn: its status styled, ``×n`` for several entries, a dagger for a backstop."""
    text = Text(summary.name, style=STATUS_STYLE[summary.status], end="")
    if summary.count > 1:
        text.append(f" ×{summary.count}")
    if summary.backstop:
        text.append(f" {BACKSTOP_MARK}", style="bold magenta")
    return text


class MatrixTable(DataTable[Text]):
    """A cell-cursor table in which one click on a cell selects it (the built-in needs two)."""

    HELP_TITLE = "The matrix"

    def on_click(self, event: events.Click) -> None:
        # Runs before DataTable's own click handler: moving the cursor onto the clicked
        # cell first makes that handler treat the click as a selection.
        meta = event.style.meta
        row, column = meta.get("row"), meta.get("column")
        if isinstance(row, int) and isinstance(column, int) and row >= 0 and column >= 0:  # noqa: SIM102
            if not meta.get("out_of_bounds", False):
                self.cursor_coordinate = Coordinate(row, column)


class MatrixScreen(Screen[tuple[str, str] | None]):
    """Actors by commitment type; dismisses with (actor, commitment value) for the chosen cell."""

    HELP_TITLE = "Matrix"

    CSS_PATH = "matrix.tcss"
    BINDINGS = [
        Binding("enter", "choose", "Show entries", priority=True, id="matrix.choose"),
        Binding("escape", "close", "Back", id="matrix.close"),
        Binding("q", "close", "Back", show=False, id="matrix.close_q"),
    ]

    def __init__(self, ledger: Ledger, entries: Sequence[Entry], query: str = "", *, as_of: str = "") -> None:
        """``as_of``: the day whose ledger this is (YYYY-MM-DD), said in the title; "": today's."""
        super().__init__()
        self.ledger = ledger
        self.query_text = query
        self.as_of = as_of
        self.matrix = Matrix(entries)
        self.entries = self.matrix.entries
        self.counters = self.matrix.counters
        names = [safe_line(g.labels[a]).cell_length for g in (self.entries, self.counters) for a in g.actors]
        self._longest_label = max(names, default=0)
        self._label_width = min(MAX_ACTOR_CELLS, self._longest_label)
        self.commitments: list[CommitmentType] = self.matrix.commitments

    def compose(self) -> ComposeResult:
        # Actor names give way to commitment columns on a narrow screen (a fifth of the width).
        self._label_width = min(MAX_ACTOR_CELLS, self._longest_label, max(12, self.app.size.width // 5))
        yield Static(self._title(), id="mx-title")
        with Vertical(id="mx-body"):
            yield Static(Content("Pledges").stylize("bold"), classes="mx-section")
            yield self._table(self.entries, "mx-pledges")
            if len(self.counters):
                yield Static(
                    Content("Counter-positions (opposition to deployments; not pledges, never counted)").stylize(
                        "bold"
                    ),
                    classes="mx-section mx-counter",
                )
                yield self._table(self.counters, "mx-counters")
        yield Static(self._legend(), id="mx-legend")
        yield KeyFooter()

    def _table(self, grid: Grid, table_id: str) -> MatrixTable:
        table = MatrixTable(id=table_id, cursor_type="cell", zebra_stripes=True)
        for c in self.commitments:
            table.add_column(Text(short_label(c), style="bold"), key=c.value, width=self._column_width(c))
        for n, actor in enumerate(grid.actors):
            label = Text(safe_line(grid.labels[actor]).plain, end="", no_wrap=True)
            label.truncate(self._label_width, overflow="ellipsis", pad=True)
            cells = []
            for c in self.commitments:
                summary = grid.cells.get((actor, c.value))
                cells.append(cell_label(summary) if summary else Text("·", style="dim", end=""))
            table.add_row(*cells, key=str(n), label=label)
        return table

    def _title(self, scrolls: bool = False) -> Content:
        """What the matrix covers (the dashboard's view: its filter), its counts, and whether it scrolls."""
        actors, counters = len(self.entries.actors), len(self.counters.actors)
        view = f'the view filtered by "{self.query_text}"' if self.query_text else "every entry"
        parts: list[Content | str] = [
            Content("Who's in, who's holding back").stylize("bold"),
            f"  ·  {actors} actor{'' if actors == 1 else 's'} with pledges, {counters} with counter-positions, in ",
            safe_line(view),
        ]
        if self.as_of:
            parts.append(Content(f"  ·  as of {self.as_of}").stylize("bold"))
        if scrolls:
            parts.append(f"  ·  ←/→ for all {len(self.commitments)} commitment types")
        return join(*parts)

    def on_resize(self) -> None:
        table = self.query_one("#mx-pledges", DataTable)
        scrolls = table.virtual_size.width > table.scrollable_content_region.width
        self.query_one("#mx-title", Static).update(self._title(scrolls))

    def _column_width(self, commitment: CommitmentType) -> int:
        """One width for both tables, so the sections line up."""
        cells = [
            cell_label(grid.cells[(actor, commitment.value)]).cell_len
            for grid in (self.entries, self.counters)
            for actor in grid.actors
            if (actor, commitment.value) in grid.cells
        ]
        return max([len(short_label(commitment)), *cells])

    def _legend(self) -> Content:
        parts: list[Content | str] = ["Strongest status per cell: "]
        for status in sorted(Status, key=lambda s: -s.strength):
            parts += [Content.from_rich_text(Text(status_name(status), style=STATUS_STYLE[status])), "  "]
        parts.append(f"\n×n  entries in the cell   {BACKSTOP_MARK}  US backstop required or sought   ·  no entry")
        return join(*parts)

    def on_mount(self) -> None:
        self.query_one("#mx-pledges", DataTable).focus()

    # ------------------------------------------------------------------ queries

    def cell_at(self, actor: str, commitment_value: str, counter: bool = False) -> CellSummary | None:
        """The summary of a pledge cell (or, with ``counter``, a counter-position cell); None if empty."""
        return self.matrix.cell(actor, commitment_value, counter)

    def _grid_of(self, table: DataTable[Text]) -> Grid:
        return self.counters if table.id == "mx-counters" else self.entries

    # ------------------------------------------------------------------ choosing

    def action_choose(self) -> None:
        table = self.focused
        if isinstance(table, MatrixTable):
            self._choose(table, table.cursor_row, table.cursor_column)

    @on(DataTable.CellSelected)
    def _selected(self, event: DataTable.CellSelected) -> None:
        event.stop()
        table = event.data_table
        if isinstance(table, MatrixTable):
            self._choose(table, event.coordinate.row, event.coordinate.column)

    def _choose(self, table: MatrixTable, row: int, column: int) -> None:
        grid = self._grid_of(table)
        key = self.matrix.key_at(grid, row, column)
        if key is None:
            return
        chosen = self.matrix.choice(grid, key)
        if chosen is None:
            self.app.bell()
            return
        self.dismiss(chosen)  # a stored spelling: the filter matches every one

    def action_close(self) -> None:
        self.dismiss(None)
