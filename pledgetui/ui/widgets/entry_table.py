"""The ledger table: a Line API widget that renders only the rows on screen.

Cost per frame is O(visible rows) whatever the ledger size, unlike the built-in
DataTable (which also parses str cells as markup). Cells are sanitised plain
text turned into segments; nothing is ever interpreted as markup.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.strip import Strip

from pledgetui.sanitize import display_line
from pledgetui.settings import MAX_WIDTH, MIN_WIDTH
from pledgetui.ui.widgets.cursor_rows import CursorRows, cursor_bindings
from pledgetui.vocab import Backstop, short_label

if TYPE_CHECKING:
    from pledgetui.model import Entry
    from pledgetui.query import SortKey


@dataclass(frozen=True, slots=True)
class Column:
    key: str  # a query.SORT_FIELDS name
    title: str
    min_width: int
    weight: int  # share of the spare width
    value: Callable[[Entry], str]
    drop: int = 0  # narrow screens drop columns with the highest ``drop`` first (0: always shown)


def _conditions(p: Entry) -> str:
    return ", ".join(short_label(c) for c in p.conditions) or "none stated"


def _since(p: Entry) -> str:
    """When the entry's present status was reached ("" when only undated statements give it)."""
    from pledgetui.history import attached_since  # here: the dashboard starts without the ledger core

    held = attached_since(p)
    return held.label() if held is not None else ""


def _backstop(p: Entry) -> str:
    return "" if p.us_backstop is Backstop.UNKNOWN else short_label(p.us_backstop)


COLUMNS: tuple[Column, ...] = (
    Column("actor", "Actor", 12, 3, lambda p: ("\u27c2 " if p.is_counter else "") + p.actor),
    Column("commitment", "Commitment", 13, 2, lambda p: short_label(p.commitment)),
    Column("status", "Status", 11, 1, lambda p: short_label(p.status)),
    Column("conditions", "Conditions", 10, 3, _conditions),
    Column("backstop", "Backstop", 8, 1, _backstop),
    Column("claimant", "Claimant", 10, 3, lambda p: p.claimant, drop=2),
    Column("date", "Date", 13, 0, lambda p: p.date_span.label(), drop=3),
    Column("sources", "Src", 3, 0, lambda p: str(len(p.source_ids)), drop=1),
    Column("since", "Since", 13, 0, lambda p: _since(p), drop=4),
)


def fit_columns(total: int, columns: Sequence[Column] = COLUMNS, gap: int = 1) -> list[int]:
    """Indices of the columns that fit in ``total`` cells, dropping the droppable ones first."""
    shown = list(range(len(columns)))
    while sum(columns[i].min_width for i in shown) + gap * (len(shown) - 1) > total:
        droppable = [i for i in shown if columns[i].drop]
        if not droppable:
            break
        shown.remove(max(droppable, key=lambda i: columns[i].drop))
    return shown


#: A column's width set by the user stays within these (cells); "full" width is the longest cell, at most the maximum.
MIN_SET_WIDTH, MAX_SET_WIDTH = MIN_WIDTH, MAX_WIDTH
#: How much ``+`` widens and ``-`` narrows the current column.
WIDTH_STEP = 4


def sized_columns(columns: Sequence[Column], widths: dict[str, int]) -> list[Column]:
    """``columns`` with the user's ``widths``: such a column is that wide, takes no share of
    the spare width and is never left out (the table scrolls sideways instead)."""
    return [replace(c, min_width=widths[c.key], weight=0, drop=0) if c.key in widths else c for c in columns]


def layout_widths(total: int, columns: Sequence[Column] = COLUMNS, gap: int = 1) -> list[int]:
    """Column widths filling ``total`` cells: minimums first, the rest shared by weight."""
    widths = [c.min_width for c in columns]
    spare = total - sum(widths) - gap * (len(columns) - 1)
    weights = sum(c.weight for c in columns)
    if spare > 0 and weights:
        shares = [spare * c.weight // weights for c in columns]
        for i, share in enumerate(shares):
            widths[i] += share
        leftover = spare - sum(shares)
        i = 0
        while leftover > 0:
            if columns[i % len(columns)].weight:
                widths[i % len(columns)] += 1
                leftover -= 1
            i += 1
    return widths


class EntryTable(CursorRows, can_focus=True):
    """Rows are positions in ``entries``; ``view`` holds the positions shown, in order.

    Styles, the component classes included: ``entry_table.tcss``, read with the app's.
    """

    HELP_TITLE = "The table"

    BINDINGS = [
        *cursor_bindings("table"),
        Binding("enter", "select", "Open quote", show=False, id="table.select"),
        Binding("left,h", "column(-1)", "Column left", show=False, id="table.column_left"),
        Binding("right,l", "column(1)", "Column right", show=False, id="table.column_right"),
        Binding(
            "underscore",
            "full_width",
            "Whole cells",
            key_display="_",
            tooltip="The current column as wide as its longest cell; again for the automatic width",
            show=False,
            id="table.full_width",
        ),
        Binding("plus", "widen(1)", "Widen column", key_display="+", show=False, id="table.widen"),
        Binding("minus", "widen(-1)", "Narrow column", key_display="-", show=False, id="table.narrow"),
    ]

    COMPONENT_CLASSES = {
        "entry-table--header",
        "entry-table--sorted",
        "entry-table--current-column",
        "entry-table--cursor",
        "entry-table--counter",
        "entry-table--declined",
        "entry-table--claimed",
        "entry-table--signed",
    }

    class Highlighted(Message):
        """The cursor moved to another entry (``position`` in the ledger, or None when empty)."""

        def __init__(self, table: EntryTable, position: int | None) -> None:
            super().__init__()
            self.table = table
            self.position = position

    class Selected(Message):
        def __init__(self, table: EntryTable, position: int) -> None:
            super().__init__()
            self.table = table
            self.position = position

    class ColumnsFitted(Message):
        """The columns shown changed (a resize, a column hidden or sized): ``left_out`` are the keys
        of the columns that do not fit the width (the user's hidden columns not included)."""

        def __init__(self, table: EntryTable, left_out: tuple[str, ...]) -> None:
            super().__init__()
            self.table = table
            self.left_out = left_out

    class ColumnWidthsChanged(Message):
        """The user sized a column (``widths``: key -> cells, the columns given a width); the settings keep them."""

        def __init__(self, table: EntryTable, widths: dict[str, int]) -> None:
            super().__init__()
            self.table = table
            self.widths = widths

    class HeaderClicked(Message):
        def __init__(self, table: EntryTable, column: str) -> None:
            super().__init__()
            self.table = table
            self.column = column

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.entries: list[Entry] = []
        self.view: list[int] = []
        self.sort_keys: tuple[SortKey, ...] = ()
        self._shown: list[Column] = list(COLUMNS)
        self._hidden: frozenset[str] = frozenset()
        self._set_widths: dict[str, int] = {}
        self._left_out: tuple[str, ...] = ()
        #: The key of the current column (``_``, ``+`` and ``-`` act on it).
        self.current_column: str = COLUMNS[0].key
        #: Whether the user has picked a column (with ←/→ or by sizing one): only then is its title marked.
        self.column_picked = False
        self._widths: list[int] = layout_widths(80)
        self._fitted_width = -1
        self._last_posted: int | None = -1

    # ------------------------------------------------------------------ data

    @property
    def current(self) -> int | None:
        """Ledger position of the entry under the cursor."""
        if not self.view:
            return None
        return self.view[min(self.cursor, len(self.view) - 1)]

    @property
    def current_entry(self) -> Entry | None:
        pos = self.current
        return None if pos is None else self.entries[pos]

    def set_rows(
        self,
        entries: list[Entry],
        view: list[int],
        sort_keys: tuple[SortKey, ...] = (),
        keep: int | None = None,
        row: int = 0,
    ) -> None:
        """Show ``view`` (positions into ``entries``); keep the cursor on ledger position ``keep`` if shown,
        else put it on ``row`` (clamped to the view)."""
        self.entries = entries
        self.view = view
        self.sort_keys = sort_keys
        if keep is not None and keep in view:
            row = view.index(keep)
        self._fit()
        self._last_posted = -1
        self.cursor = row
        self.refresh()

    def row_of(self, position: int) -> int | None:
        try:
            return self.view.index(position)
        except ValueError:
            return None

    @property
    def hidden_columns(self) -> frozenset[str]:
        """Keys of the columns the user hid (the narrow-screen drop order applies to the rest)."""
        return self._hidden

    @hidden_columns.setter
    def hidden_columns(self, keys: frozenset[str]) -> None:
        self._hidden = frozenset(keys)
        self._fitted_width = -1
        self._fit()
        self.refresh()

    @property
    def column_widths(self) -> dict[str, int]:
        """The widths the user gave columns (key -> cells); the others are laid out by themselves."""
        return dict(self._set_widths)

    @column_widths.setter
    def column_widths(self, widths: dict[str, int]) -> None:
        self._set_widths = {
            k: max(MIN_SET_WIDTH, min(MAX_SET_WIDTH, w)) for k, w in widths.items() if any(c.key == k for c in COLUMNS)
        }
        self._fitted_width = -1
        self._fit()
        self.refresh()

    @property
    def left_out(self) -> tuple[str, ...]:
        """Keys of the columns left out because the width does not hold them (not those the user hid)."""
        return self._left_out

    @property
    def shown_columns(self) -> tuple[str, ...]:
        return tuple(c.key for c in self._shown)

    def show_column(self, key: str) -> None:
        """Keep a column left out at this width on screen: it gets its least width (the table scrolls sideways)."""
        column = next(c for c in COLUMNS if c.key == key)
        self._set_width(key, self._set_widths.get(key, column.min_width))

    def _set_width(self, key: str, width: int | None) -> None:
        widths = dict(self._set_widths)
        if width is None:
            widths.pop(key, None)
        else:
            widths[key] = width
        self.column_widths = widths
        self.current_column = key
        self.column_picked = True
        self.call_after_refresh(self._scroll_to_column)  # once the new width is laid out
        self.post_message(self.ColumnWidthsChanged(self, self.column_widths))

    def _natural_width(self, key: str) -> int:
        """The width that shows every cell of the column (in the rows shown) whole, and its title."""
        column = next(c for c in COLUMNS if c.key == key)
        longest = max((cell_len(display_line(column.value(self.entries[i]))) for i in self.view), default=0)
        return max(MIN_SET_WIDTH, min(MAX_SET_WIDTH, max(longest, cell_len(column.title) + 3)))

    def action_full_width(self) -> None:
        """The current column as wide as its longest cell; again: back to the automatic width."""
        key = self.current_column
        full = self._natural_width(key)
        self._set_width(key, None if self._set_widths.get(key) == full else full)

    def action_widen(self, direction: int) -> None:
        """Widen (1) or narrow (-1) the current column by a few cells; it keeps that width."""
        key = self.current_column
        at = self.shown_columns.index(key) if key in self.shown_columns else None
        now = self._widths[at] if at is not None else next(c.min_width for c in COLUMNS if c.key == key)
        self._set_width(key, max(MIN_SET_WIDTH, min(MAX_SET_WIDTH, now + direction * WIDTH_STEP)))

    def action_column(self, delta: int) -> None:
        keys = self.shown_columns
        if not keys:
            return
        at = keys.index(self.current_column) if self.current_column in keys else 0
        self.current_column = keys[max(0, min(len(keys) - 1, at + delta))]
        self.column_picked = True
        self._scroll_to_column()
        self.refresh()

    def _scroll_to_column(self) -> None:
        keys = self.shown_columns
        if self.current_column not in keys:
            return
        at = keys.index(self.current_column)
        left = sum(w + 1 for w in self._widths[:at])
        right = left + self._widths[at]
        view = self.scrollable_content_region.width
        x = round(self.scroll_x)
        if left < x or right - left > view:
            self.scroll_to(x=left, animate=False, immediate=True)
        elif right > x + view:
            self.scroll_to(x=right - view, animate=False, immediate=True)

    # ------------------------------------------------------------------ cursor

    def row_count(self) -> int:
        return len(self.view)

    def watch_cursor(self, value: int) -> None:
        self._scroll_to_cursor()
        self.refresh()
        pos = self.current
        if pos != self._last_posted:
            self._last_posted = pos
            self.post_message(self.Highlighted(self, pos))

    def action_select(self) -> None:
        pos = self.current
        if pos is not None:
            self.post_message(self.Selected(self, pos))

    # ------------------------------------------------------------------ mouse

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        x, y = offset.x + round(self.scroll_x), offset.y
        if y == 0:
            column = self._column_at(x)
            if column is not None:
                self.post_message(self.HeaderClicked(self, self._shown[column].key))
            return
        row = round(self.scroll_y) + y - 1
        if 0 <= row < len(self.view):
            if row == self.cursor and event.chain >= 2:
                self.action_select()
            self.cursor = row

    def _column_at(self, x: int) -> int | None:
        left = 0
        for i, w in enumerate(self._widths):
            if left <= x < left + w + 1:
                return i
            left += w + 1
        return None

    # ------------------------------------------------------------------ rendering

    def on_resize(self, event: events.Resize) -> None:
        self._fit()
        self._scroll_to_cursor()

    def _fit(self) -> int:
        """Fit the columns to the current width (the scrollbar may come and go); return the width."""
        width = self.scrollable_content_region.width
        if width != self._fitted_width:
            self._fitted_width = width
            wanted = sized_columns(
                [c for c in COLUMNS if c.key not in self._hidden] or list(COLUMNS[:1]), self._set_widths
            )
            self._shown = [wanted[i] for i in fit_columns(width, wanted)]
            self._widths = layout_widths(width, self._shown)
            left_out = tuple(c.key for c in wanted if c not in self._shown)
            if left_out != self._left_out:
                self._left_out = left_out
                self.post_message(self.ColumnsFitted(self, left_out))
        total = sum(self._widths) + len(self._widths) - 1
        size = Size(max(total, width) if total > width else width, len(self.view) + 1)
        if self.virtual_size != size:
            self.virtual_size = size
        return width

    def _header_strip(self) -> Strip:
        base = self.get_component_rich_style("entry-table--header")
        sorted_style = self.get_component_rich_style("entry-table--sorted")
        current_style = self.get_component_rich_style("entry-table--current-column")
        order = {key.field: (n, key.descending) for n, key in enumerate(self.sort_keys, 1)}
        several = len(self.sort_keys) > 1
        segments: list[Segment] = []
        last = len(self._shown) - 1
        for i, (col, width) in enumerate(zip(self._shown, self._widths)):
            title = col.title
            style = base
            if col.key in order:
                n, descending = order[col.key]
                # the arrow (and the key's rank when there are several) always shows: the title gives way
                mark = f" {'▼' if descending else '▲'}{n if several else ''}"
                title = set_cell_size(title, max(0, width - cell_len(mark))).rstrip() + mark
                style = sorted_style
            if self.column_picked and col.key == self.current_column:
                style += current_style
            segments.append(Segment(set_cell_size(title, width), style))
            if i < last:
                segments.append(Segment(" ", base))
        return Strip(segments)

    def _row_strip(self, row: int) -> Strip:
        entry = self.entries[self.view[row]]
        style = self.rich_style
        if entry.is_counter:
            style += self.get_component_rich_style("entry-table--counter")
        if row == self.cursor:
            style += self.get_component_rich_style("entry-table--cursor")
        status_style = style
        if not entry.is_counter and row != self.cursor:
            name = {"declined": "declined", "claimed": "claimed", "signed": "signed"}.get(entry.status.value)
            if name:
                status_style = style + self.get_component_rich_style(f"entry-table--{name}")
        segments: list[Segment] = []
        last = len(self._shown) - 1
        for i, (col, width) in enumerate(zip(self._shown, self._widths)):
            text = display_line(col.value(entry))
            text = set_cell_size(text, width - 1) + "…" if cell_len(text) > width else set_cell_size(text, width)
            segments.append(Segment(text, status_style if col.key == "status" else style))
            if i < last:
                segments.append(Segment(" ", style))
        return Strip(segments)

    def render_line(self, y: int) -> Strip:
        width = self._fit()
        scroll_x = round(self.scroll_x)
        if y == 0:
            strip = self._header_strip()
        else:
            row = round(self.scroll_y) + y - 1
            if row >= len(self.view):
                return Strip.blank(width, self.rich_style)
            strip = self._row_strip(row)
        return strip.crop_extend(scroll_x, scroll_x + width, self.rich_style)
