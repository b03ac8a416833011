"""Hide and show the dashboard's columns from the command palette; the choice is a setting."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from textual.app import SystemCommand

from pledgetui.ui.widgets.entry_table import COLUMNS

if TYPE_CHECKING:
    from pledgetui.ui.screens.dashboard import DashboardScreen


def toggle_column(dashboard: DashboardScreen, key: str) -> None:
    table = dashboard.table
    hidden = set(table.hidden_columns)
    if key in hidden:
        hidden.discard(key)
    elif len(hidden) + 1 >= len(COLUMNS):
        dashboard.notify("At least one column stays shown", severity="warning")
        return
    else:
        hidden.add(key)
    table.hidden_columns = frozenset(hidden)
    title = next(c.title for c in COLUMNS if c.key == key)
    dashboard.notify(f"Column {title} {'hidden' if key in hidden else 'shown'}", timeout=3)
    app = dashboard.app
    preferences = getattr(app, "preferences", None)
    if preferences is not None:
        preferences.update(app, hidden_columns=tuple(c.key for c in COLUMNS if c.key in hidden))


def column_commands(dashboard: DashboardScreen) -> Iterable[SystemCommand]:
    hidden = dashboard.table.hidden_columns
    for col in COLUMNS:
        if col.key in hidden:
            yield SystemCommand(
                f"Show column: {col.title}",
                "Put the column back (remembered)",
                lambda k=col.key: toggle_column(dashboard, k),
            )
        else:
            yield SystemCommand(
                f"Hide column: {col.title}",
                "Take the column out (remembered)",
                lambda k=col.key: toggle_column(dashboard, k),
            )
