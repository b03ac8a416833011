"""Actors x commitment types: who is in and who is holding back, at a glance.

Each cell shows the strongest status among the actor's entries of that
commitment type (declined shown as such), the number of entries when more than
one, and a dagger when any of them requires or seeks a US backstop.
Counter-positions are summarised in their own table and never counted as pledges.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from pledgetui.model import (
    ActorType,
    Backstop,
    CommitmentType,
    Entry,
    Ledger,
    Status,
    short_label,
)
from pledgetui.textcheck import canonical
from pledgetui.ui.text import join, safe_line

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
BACKSTOP_NEEDED = (Backstop.REQUIRED, Backstop.SOUGHT)
MAX_ACTOR_CELLS = 36


@dataclass(frozen=True, slots=True)
class CellSummary:
    """What one matrix cell says about an actor's entries of one commitment type."""

    status: Status
    count: int
    backstop: bool
    entry_ids: tuple[str, ...]

    def label(self) -> Text:
        name = "✗ declined" if self.status is Status.DECLINED else short_label(self.status)
        text = Text(name, style=STATUS_STYLE[self.status], end="")
        if self.count > 1:
            text.append(f" ×{self.count}")
        if self.backstop:
            text.append(f" {BACKSTOP_MARK}", style="bold magenta")
        return text


def summarise(entries: Iterable[Entry]) -> CellSummary:
    entries = list(entries)
    strongest = max((p.status for p in entries), key=lambda s: s.strength)
    return CellSummary(
        status=strongest,
        count=len(entries),
        backstop=any(p.us_backstop in BACKSTOP_NEEDED for p in entries),
        entry_ids=tuple(p.id for p in entries),
    )


def actor_order(entries: Iterable[Entry]) -> list[str]:
    """Countries first, then coalitions and organisations; alphabetical within each.

    Actors are named as they read (:func:`canonical`): ``Fr<U+00AD>ance`` is France's row.
    """
    country: dict[str, bool] = {}
    for p in entries:
        actor = canonical(p.actor)
        country[actor] = country.get(actor, False) or p.actor_type is ActorType.COUNTRY
    return sorted(country, key=lambda a: (not country[a], a.casefold(), a))


class Grid:
    """The summaries of one section (pledges or counter-positions), keyed by (actor as it reads, commitment value).

    A row's label is the actor as it reads when some entry spells it so; otherwise the
    first spelling, whose invisible characters the display shows.
    """

    def __init__(self, entries: Sequence[Entry]) -> None:
        groups: dict[tuple[str, str], list[Entry]] = {}
        self.labels: dict[str, str] = {}
        for p in entries:
            actor = canonical(p.actor)
            groups.setdefault((actor, p.commitment.value), []).append(p)
            if self.labels.get(actor) != actor:
                self.labels[actor] = p.actor
        self.cells = {key: summarise(group) for key, group in groups.items()}
        self.actors = actor_order(entries)

    def __len__(self) -> int:
        return len(self.cells)


class MatrixTable(DataTable):
    """A cell-cursor table in which one click on a cell selects it (the built-in needs two)."""

    def on_click(self, event: events.Click) -> None:
        # Runs before DataTable's own click handler: moving the cursor onto the clicked
        # cell first makes that handler treat the click as a selection.
        meta = event.style.meta
        row, column = meta.get("row"), meta.get("column")
        if isinstance(row, int) and isinstance(column, int) and row >= 0 and column >= 0:
            if not meta.get("out_of_bounds", False):
                self.cursor_coordinate = (row, column)


class MatrixScreen(Screen[tuple[str, str] | None]):
    """Actors by commitment type; dismisses with (actor, commitment value) for the chosen cell."""

    HELP_TITLE = "Matrix"

    CSS_PATH = "matrix.tcss"
    BINDINGS = [
        Binding("enter", "choose", "Show entries", priority=True),
        Binding("escape", "close", "Back"),
        Binding("q", "close", "Back", show=False),
    ]

    def __init__(self, ledger: Ledger, pledges: Sequence[Entry]) -> None:
        super().__init__()
        self.ledger = ledger
        self.entries = Grid([p for p in pledges if not p.is_counter])
        self.counters = Grid([p for p in pledges if p.is_counter])
        present = {p.commitment for p in pledges}
        names = [safe_line(g.labels[a]).cell_length for g in (self.entries, self.counters) for a in g.actors]
        self._label_width = min(MAX_ACTOR_CELLS, max(names, default=0))
        self.commitments: list[CommitmentType] = [c for c in CommitmentType if c in present]

    def compose(self) -> ComposeResult:
        yield Static(
            join(
                Content("Who's in, who's holding back").stylize("bold"),
                f"  ·  {len(self.entries.actors)} actors with pledges, "
                f"{len(self.counters.actors)} with counter-positions",
            ),
            id="mx-title",
        )
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
        yield Footer()

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
                cells.append(summary.label() if summary else Text("·", style="dim", end=""))
            table.add_row(*cells, key=str(n), label=label)
        return table

    def _column_width(self, commitment: CommitmentType) -> int:
        """One width for both tables, so the sections line up."""
        cells = [
            grid.cells[(actor, commitment.value)].label().cell_len
            for grid in (self.entries, self.counters)
            for actor in grid.actors
            if (actor, commitment.value) in grid.cells
        ]
        return max([len(short_label(commitment)), *cells])

    def _legend(self) -> Content:
        parts: list[Content | str] = ["Strongest status per cell: "]
        for status in sorted(Status, key=lambda s: -s.strength):
            name = "✗ declined" if status is Status.DECLINED else short_label(status)
            parts += [Content.from_rich_text(Text(name, style=STATUS_STYLE[status])), "  "]
        parts.append(f"\n×n  entries in the cell   {BACKSTOP_MARK}  US backstop required or sought   ·  no entry")
        return join(*parts)

    def on_mount(self) -> None:
        self.query_one("#mx-pledges", DataTable).focus()

    # ------------------------------------------------------------------ queries

    def cell_at(self, actor: str, commitment_value: str, counter: bool = False) -> CellSummary | None:
        """The summary of a pledge cell (or, with ``counter``, a counter-position cell); None if empty."""
        grid = self.counters if counter else self.entries
        return grid.cells.get((canonical(actor), commitment_value))

    def _grid_of(self, table: DataTable) -> Grid:
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
        if not (0 <= row < len(grid.actors) and 0 <= column < len(self.commitments)):
            return
        actor, commitment = grid.actors[row], self.commitments[column].value
        if (actor, commitment) not in grid.cells:
            self.app.bell()
            return
        self.dismiss((grid.labels[actor], commitment))  # a stored spelling: the filter matches every one

    def action_close(self) -> None:
        self.dismiss(None)
