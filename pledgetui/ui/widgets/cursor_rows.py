"""Rows with a cursor, drawn with the Line API: what the entry table and the plain row table share.

A subclass says how many rows it has (:meth:`CursorRows.row_count`) and draws them; this
class keeps the cursor within them, keeps it in sight under a one-line header, and moves it
by a row, a page, or to either end (the bindings' ``cursor``, ``page`` and ``jump`` actions).
"""

from __future__ import annotations

from textual.binding import Binding
from textual.reactive import reactive
from textual.scroll_view import ScrollView


def cursor_bindings(prefix: str) -> list[Binding]:
    """The keys that move a :class:`CursorRows` cursor, with ids under ``prefix`` (a keymap names them)."""
    return [
        Binding("up,k", "cursor(-1)", "Up", show=False, id=f"{prefix}.up"),
        Binding("down,j", "cursor(1)", "Down", show=False, id=f"{prefix}.down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id=f"{prefix}.page_up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id=f"{prefix}.page_down"),
        Binding("home,g", "jump(0)", "First row", show=False, id=f"{prefix}.first"),
        Binding("end,G", "jump(-1)", "Last row", show=False, id=f"{prefix}.last"),
    ]


class CursorRows(ScrollView):
    cursor: reactive[int] = reactive(0, always_update=True, init=False)

    def row_count(self) -> int:
        """How many rows there are now."""
        raise NotImplementedError

    def validate_cursor(self, value: int) -> int:
        rows = self.row_count()
        return max(0, min(value, rows - 1)) if rows else 0

    def _body_height(self) -> int:
        """Rows on screen under the header line."""
        return max(1, self.scrollable_content_region.height - 1)

    def _scroll_to_cursor(self) -> None:
        top = round(self.scroll_y)
        height = self._body_height()
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)

    def action_cursor(self, delta: int) -> None:
        self.cursor += delta

    def action_page(self, direction: int) -> None:
        self.cursor += direction * self._body_height()

    def action_jump(self, row: int) -> None:
        self.cursor = row if row >= 0 else self.row_count() - 1
