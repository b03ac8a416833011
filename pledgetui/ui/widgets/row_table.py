"""A table of plain text rows: a Line API widget that renders only the rows on screen.

The sibling of :class:`pledgetui.ui.widgets.entry_table.EntryTable` for rows that are not
entries (statements, article hits). Cells are plain strings shown through
:func:`pledgetui.sanitize.display_line`; nothing is ever interpreted as markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.strip import Strip

from pledgetui.sanitize import display_line
from pledgetui.ui.widgets.cursor_rows import CursorRows, cursor_bindings


@dataclass(frozen=True, slots=True)
class RowColumn:
    key: str
    title: str
    min_width: int
    weight: int  # share of the spare width
    drop: int = 0  # narrow screens drop columns with the highest ``drop`` first (0: always shown)


def fit(total: int, columns: Sequence[RowColumn], gap: int = 1) -> tuple[list[int], list[int]]:
    """The columns shown in ``total`` cells (droppable ones left out first) and their widths."""
    shown = list(range(len(columns)))
    while sum(columns[i].min_width for i in shown) + gap * (len(shown) - 1) > total:
        droppable = [i for i in shown if columns[i].drop]
        if not droppable:
            break
        shown.remove(max(droppable, key=lambda i: columns[i].drop))
    widths = [columns[i].min_width for i in shown]
    spare = total - sum(widths) - gap * (len(shown) - 1)
    weights = [columns[i].weight for i in shown]
    total_weight: int = sum(weights)
    if spare > 0 and total_weight:
        shares = [spare * w // total_weight for w in weights]
        widths = [w + s for w, s in zip(widths, shares)]
        leftover = spare - sum(shares)
        for n in (n for n, w in enumerate(weights) if w):
            if leftover <= 0:
                break
            widths[n] += 1
            leftover -= 1
    return shown, widths


class RowTable(CursorRows, can_focus=True):
    """Rows of string cells, one per column; a cursor row; a header that reports clicks."""

    HELP_TITLE = "The table"

    BINDINGS = [
        *cursor_bindings("rows"),
        Binding("enter", "select", "Open", id="rows.select"),
    ]

    COMPONENT_CLASSES = {"row-table--header", "row-table--sorted", "row-table--cursor"}

    class Selected(Message):
        def __init__(self, table: RowTable, row: int) -> None:
            super().__init__()
            self.table = table
            self.row = row

    class HeaderClicked(Message):
        def __init__(self, table: RowTable, column: str) -> None:
            super().__init__()
            self.table = table
            self.column = column

    def __init__(self, columns: Sequence[RowColumn], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.columns = tuple(columns)
        self.rows: list[Sequence[str]] = []
        self.sorted_by: dict[str, bool] = {}  # column key -> descending
        self._shown: list[int] = list(range(len(self.columns)))
        self._widths: list[int] = [c.min_width for c in self.columns]
        self._fitted_width = -1

    def set_rows(self, rows: Sequence[Sequence[str]], sorted_by: dict[str, bool] | None = None, row: int = 0) -> None:
        self.rows = list(rows)
        self.sorted_by = dict(sorted_by or {})
        self._fitted_width = -1
        self._fit()
        self.cursor = row
        self.refresh()

    @property
    def shown_columns(self) -> list[str]:
        """Keys of the columns on screen now (the rest are left out at this width)."""
        return [self.columns[i].key for i in self._shown]

    # ------------------------------------------------------------------ cursor

    def row_count(self) -> int:
        return len(self.rows)

    def watch_cursor(self, value: int) -> None:
        self._scroll_to_cursor()
        self.refresh()

    def action_select(self) -> None:
        if self.rows:
            self.post_message(self.Selected(self, self.cursor))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        x, y = offset.x + round(self.scroll_x), offset.y
        if y == 0:
            left = 0
            for i, w in zip(self._shown, self._widths):
                if left <= x < left + w + 1:
                    self.post_message(self.HeaderClicked(self, self.columns[i].key))
                    return
                left += w + 1
            return
        row = round(self.scroll_y) + y - 1
        if 0 <= row < len(self.rows):
            if row == self.cursor and event.chain >= 2:
                self.action_select()
            self.cursor = row

    # ------------------------------------------------------------------ rendering

    def on_resize(self, event: events.Resize) -> None:
        self._fit()

    def _fit(self) -> int:
        width = self.scrollable_content_region.width
        if width != self._fitted_width:
            self._fitted_width = width
            self._shown, self._widths = fit(width, self.columns)
        total = sum(self._widths) + len(self._widths) - 1
        size = Size(max(total, width), len(self.rows) + 1)
        if self.virtual_size != size:
            self.virtual_size = size
        return width

    def _strip(self, cells: Sequence[str], style_for: list[Style]) -> Strip:
        segments: list[Segment] = []
        last = len(self._shown) - 1
        for n, (i, width) in enumerate(zip(self._shown, self._widths)):
            text = display_line(cells[i]) if i < len(cells) else ""
            text = set_cell_size(text, width - 1) + "…" if cell_len(text) > width else set_cell_size(text, width)
            style = style_for[n]
            segments.append(Segment(text, style))
            if n < last:
                segments.append(Segment(" ", style_for[-1]))
        return Strip(segments)

    def render_line(self, y: int) -> Strip:
        width = self._fit()
        scroll_x = round(self.scroll_x)
        if y == 0:
            base = self.get_component_rich_style("row-table--header")
            marked = self.get_component_rich_style("row-table--sorted")
            titles: list[str] = []
            styles: list[Style] = []
            for i in self._shown:
                col = self.columns[i]
                if col.key in self.sorted_by:
                    titles.append(f"{col.title} {'▼' if self.sorted_by[col.key] else '▲'}")
                    styles.append(marked)
                else:
                    titles.append(col.title)
                    styles.append(base)
            full = [""] * len(self.columns)
            for i, title in zip(self._shown, titles):
                full[i] = title
            strip = self._strip(full, [*styles, base])
        else:
            row = round(self.scroll_y) + y - 1
            if row >= len(self.rows):
                return Strip.blank(width, self.rich_style)
            style = self.rich_style
            if row == self.cursor:
                style += self.get_component_rich_style("row-table--cursor")
            strip = self._strip(self.rows[row], [style] * (len(self._shown) + 1))
        return strip.crop_extend(scroll_x, scroll_x + width, self.rich_style)
