"""The one observable state of the dashboard (the session's ledger after each change), and
the dashboard's view of it (:class:`ViewState`: what the settings remember).

The app holds it as a reactive (``PledgeApp.ledger_state``); every screen and
widget that shows the ledger subscribes itself in ``on_mount`` with
``self.watch(self.app, "ledger_state", ...)`` and redraws from it. Nobody walks
the screen stack to update views by name, and a new view needs no line anywhere
else (see docs/architecture.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pledgetui.model import Ledger
    from pledgetui.query import Index, Query, SortKey


@dataclass(frozen=True, slots=True)
class LedgerChange:
    """The ledger as it is now, and what just happened to it.

    ``keep_id`` is the entry the user acted on (the cursor stays on it, or moves to it),
    ``statement`` the statement of that entry to show, when one was added or changed.
    ``index`` is a search index already built for ``ledger`` off the UI thread (on load).
    """

    ledger: Ledger
    description: str = ""
    keep_id: str | None = None
    statement: int | None = None
    index: Index | None = None


@dataclass(frozen=True, slots=True)
class ViewState:
    """What the dashboard shows of the ledger: its filter (the text, and the parsed query; None: no
    filter), its sort, the columns it hides and whether it shows counter-positions.

    The settings restore one at start (:meth:`pledgetui.ui.preferences.Preferences.view`) and
    remember the dashboard's at exit (:meth:`pledgetui.ui.screens.dashboard.DashboardScreen.view_state`).
    """

    filter: str = ""
    query: Query | None = None
    sort: tuple[SortKey, ...] = ()
    hidden_columns: frozenset[str] = frozenset()
    show_counter: bool = True
    column_widths: tuple[tuple[str, int], ...] = ()  # (column key, cells): the widths the user set
