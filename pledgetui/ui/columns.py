"""Hide and show the dashboard's columns from the command palette; the choice is a setting."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from textual.app import SystemCommand

from pledgetui.ui.shell import Notifier
from pledgetui.ui.widgets.entry_table import COLUMNS


class ColumnView(Notifier, Protocol):
    """A view of the ledger's columns (the dashboard): which it hides, a way to choose, and a
    place to say what changed."""

    @property
    def hidden_columns(self) -> frozenset[str]: ...

    def choose_hidden_columns(self, hidden: frozenset[str]) -> None:
        """Hide these columns, show the others; the choice is remembered."""
        ...

    @property
    def left_out_columns(self) -> tuple[str, ...]:
        """Columns not hidden but left out because the width does not hold them."""
        ...

    def show_left_out_column(self, key: str) -> None:
        """Keep a column left out at this width on screen (the table scrolls sideways); remembered."""
        ...


def toggle_column(view: ColumnView, key: str) -> None:
    hidden = set(view.hidden_columns)
    if key in hidden:
        hidden.discard(key)
    elif len(hidden) + 1 >= len(COLUMNS):
        view.notify("At least one column stays shown", severity="warning")
        return
    else:
        hidden.add(key)
    view.choose_hidden_columns(frozenset(hidden))
    title = next(c.title for c in COLUMNS if c.key == key)
    view.notify(f"Column {title} {'hidden' if key in hidden else 'shown'}", timeout=3)


def show_left_out(view: ColumnView, key: str) -> None:
    view.show_left_out_column(key)
    title = next(c.title for c in COLUMNS if c.key == key)
    view.notify(f"Column {title} shown (→ scrolls to it; _ resets its width)", timeout=4)


def column_commands(view: ColumnView) -> Iterable[SystemCommand]:
    hidden = view.hidden_columns
    left_out = view.left_out_columns
    for col in COLUMNS:
        if col.key in left_out:
            yield SystemCommand(
                f"Show column: {col.title}",
                "Left out at this width: show it and scroll sideways (remembered)",
                lambda k=col.key: show_left_out(view, k),
            )
        elif col.key in hidden:
            yield SystemCommand(
                f"Show column: {col.title}",
                "Put the column back (remembered)",
                lambda k=col.key: toggle_column(view, k),
            )
        else:
            yield SystemCommand(
                f"Hide column: {col.title}",
                "Take the column out (remembered)",
                lambda k=col.key: toggle_column(view, k),
            )
