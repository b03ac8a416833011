"""The dashboard: the filter bar, the ledger table and the detail pane, with their keys.

The dashboard owns what it shows (the search index, the filter, the sort, whether
counter-positions are shown) and subscribes to the app's one observable ledger
state; every change to the ledger goes through the app's session controller.
It knows the app only as a :class:`~pledgetui.ui.shell.DashboardHost`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events, on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, Input, Static
from textual.worker import get_current_worker

from pledgetui.sanitize import display_line
from pledgetui.ui.columns import column_commands
from pledgetui.ui.palette import commands
from pledgetui.ui.state import LedgerChange, ViewState
from pledgetui.ui.text import join, safe_line
from pledgetui.ui.widgets.detail import DetailPane
from pledgetui.ui.widgets.entry_table import COLUMNS, EntryTable
from pledgetui.ui.widgets.filter_suggester import FilterSuggester
from pledgetui.ui.widgets.footer import KeyFooter
from pledgetui.ui.widgets.safe_inputs import SafeInput

if TYPE_CHECKING:
    from pledgetui.history import AsOf
    from pledgetui.model import Entry, Ledger
    from pledgetui.query import Index, Query, SortKey
    from pledgetui.ui.screens.as_of import AsOfChoice
    from pledgetui.ui.screens.quote_viewer import QuoteViewer
    from pledgetui.ui.shell import DashboardHost


#: An export of this many rows or more says it has started (it runs in a worker; 100k rows take seconds).
EXPORT_NOTICE_ROWS = 10_000

#: What shift+1 ... shift+8 send (a US layout): each adds a column as the next sort key.
SHIFTED_DIGITS = (
    "exclamation_mark",
    "at",
    "number_sign",
    "dollar_sign",
    "percent_sign",
    "circumflex_accent",
    "ampersand",
    "asterisk",
    "left_parenthesis",
)


#: The filter box's hints, longest first: it shows the longest that fits whole.
FILTER_PLACEHOLDERS = (
    "filter: text, or country:france status:signed backstop:required …  (F1: syntax)",
    "filter: text, or country:france status:signed  (F1: syntax)",
    "filter: text, or field:value  (F1: syntax)",
    "filter  (F1: syntax)",
    "filter",
)


#: The dashboard's actions that change the ledger: hidden and disabled when it is read-only.
EDIT_ACTIONS = frozenset({"edit", "add_blank", "add_copy", "delete", "import_article", "edit_file"})
#: Their binding ids and the app's (undo, redo, save): left out of the palette when read-only.
EDIT_BINDING_IDS = frozenset(
    {
        "dashboard.edit",
        "dashboard.add",
        "dashboard.add_copy",
        "dashboard.delete",
        "dashboard.import_article",
        "dashboard.edit_file",
        "app.undo",
        "app.redo",
        "app.save",
    }
)


def placeholder_for(width: int) -> str:
    """The longest of :data:`FILTER_PLACEHOLDERS` that fits in ``width`` cells (the cursor
    takes one)."""
    return next((p for p in FILTER_PLACEHOLDERS if len(p) < width), FILTER_PLACEHOLDERS[-1])


class FilterInput(SafeInput):
    """The filter box: its hint is the longest that it holds whole (a cut one lost "(F1: syntax)")."""

    def on_resize(self) -> None:
        self.placeholder = placeholder_for(self.content_size.width)


class DashboardScreen(Screen[None]):
    """``DashboardScreen(host)``: the main view; the app pushes it first and every other screen stacks on it."""

    class HiddenColumnsChosen(Message):
        """The user chose the columns to hide (``hidden``: their keys); the settings keep the choice."""

        def __init__(self, hidden: frozenset[str]) -> None:
            super().__init__()
            self.hidden = hidden

    HELP_TITLE = "Dashboard"

    BINDINGS = [
        Binding("slash", "focus_filter", "Filter", tooltip="Type text or field:value terms", id="dashboard.filter"),
        Binding("escape", "clear_filter", "Clear filter", show=False, id="dashboard.clear_filter"),
        Binding("enter", "open_quote", "Quote viewer", show=False, id="dashboard.open_quote_enter"),
        Binding(
            "v",
            "open_quote",
            "Quote viewer",
            tooltip="Open the article with the quote highlighted",
            id="dashboard.open_quote",
        ),
        Binding("m", "matrix", "Matrix", tooltip="Actors x commitment types", id="dashboard.matrix"),
        Binding(
            "T",
            "timeline",
            "Timeline",
            tooltip="The statements on a date axis; firm commitments against claims over time",
            show=False,
            id="dashboard.timeline",
        ),
        Binding(
            "F",
            "group",
            "Group",
            tooltip="Count the rows shown per value of a column; enter filters by one",
            show=False,
            id="dashboard.group",
        ),
        Binding(
            "t",
            "statements",
            "Statements",
            tooltip="One row per statement, with the same filter",
            show=False,
            id="dashboard.statements",
        ),
        Binding(
            "C",
            "changes",
            "Changes",
            tooltip="What the unsaved edits changed, or the statements since a day",
            show=False,
            id="dashboard.changes",
        ),
        Binding(
            "ctrl+f",
            "search_articles",
            "Search articles",
            tooltip="Search the text of every article",
            show=False,
            id="dashboard.search_articles",
        ),
        Binding(
            "c",
            "toggle_counter",
            "Counter-positions",
            tooltip="Show or hide counter-positions",
            id="dashboard.toggle_counter",
        ),
        Binding("s", "cycle_sort", "Sort", tooltip="Sort by the next column", id="dashboard.cycle_sort"),
        Binding("r", "reverse_sort", "Reverse", tooltip="Reverse the sort", id="dashboard.reverse_sort"),
        *(
            Binding(str(n), f"sort_column({n - 1})", f"Sort by {col.title}", show=False, id=f"dashboard.sort_{col.key}")
            for n, col in enumerate(COLUMNS, 1)
        ),
        *(
            Binding(
                key,
                f"add_sort_column({n - 1})",
                f"Then by {col.title}",
                key_display=f"shift+{n}",
                show=False,
                id=f"dashboard.then_sort_{col.key}",
            )
            for (n, col), key in zip(enumerate(COLUMNS, 1), SHIFTED_DIGITS)
        ),
        Binding("0", "clear_sort", "Ledger order", tooltip="Clear the sort", show=False, id="dashboard.clear_sort"),
        Binding("e", "edit", "Edit", tooltip="Edit the highlighted entry", id="dashboard.edit"),
        Binding(
            "a", "add_blank", "Add", tooltip="New entry from a passage picked in the quote viewer", id="dashboard.add"
        ),
        Binding("A", "add_copy", "Add copy", show=False, id="dashboard.add_copy"),
        Binding("d", "delete", "Delete", show=False, id="dashboard.delete"),
        Binding("i", "import_article", "Import article", show=False, id="dashboard.import_article"),
        Binding(
            "x", "export", "Export", tooltip="Export the current view (filter and sort applied)", id="dashboard.export"
        ),
        Binding("y", "copy", "Copy", tooltip="Copy the entry with its citation", show=False, id="dashboard.copy"),
        Binding(
            "f1",
            "filter_help",
            "Filter help",
            tooltip="The query syntax, every field and value",
            show=False,
            id="dashboard.filter_help",
        ),
        Binding("E", "edit_file", "Edit file in $EDITOR", show=False, id="dashboard.edit_file"),
        Binding(
            "M",
            "conflicts",
            "Merge conflicts",
            tooltip="The conflicts a merge recorded: pick a side for each",
            id="dashboard.conflicts",
        ),
        Binding(
            "w",
            "as_of",
            "As of a day",
            tooltip="The ledger as it stood on a day (empty: today's)",
            show=False,
            id="dashboard.as_of",
        ),
    ]

    def __init__(self, host: DashboardHost) -> None:
        super().__init__()
        self.host = host
        self.index: Index | None = None
        self.ledger: Ledger | None = None
        self.query_text = ""
        self.query_obj: Query | None = None  # None: no filter
        self.filter_error: str | None = None  # what is wrong with the text in the filter bar
        self.sort_keys: tuple[SortKey, ...] = ()
        self.show_counter = True
        self.last_export: tuple[Path, int] | None = None
        #: Entries read so far while the ledger loads (shown in file order, read-only).
        self.arriving: list[Entry] = []
        #: The quote viewer, composed on the first open and shown again on the next ones.
        self._quote_viewer: QuoteViewer | None = None
        #: The load's (stage, fraction), as the app last said.
        self._progress: tuple[str, float] = ("", -1.0)
        #: The table, kept once mounted: at exit the view is remembered after the screen's widgets are gone.
        self._table: EntryTable | None = None
        #: The ledger as the app last published it (today's); what is shown may be derived from it.
        self._now: LedgerChange | None = None
        #: The day whose ledger is shown (None: today's), whether uncertain statements count, and
        #: what that day's ledger left apart.
        self.as_of_day: dt.date | None = None
        self.count_uncertain = False
        self.then: AsOf | None = None

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield Header(icon="⚖")
        with Horizontal(id="filter-bar"):
            yield FilterInput(
                placeholder=FILTER_PLACEHOLDERS[0],
                id="filter",
                suggester=FilterSuggester(),
                select_on_focus=False,
                compact=True,
            )
            yield Static("loading…", id="count", markup=False)
        yield Static("", id="filter-error", markup=False)
        yield Static("", id="columns-note", markup=False)
        yield Static("", id="as-of-note", markup=False)
        with Horizontal(id="main"):
            yield EntryTable(id="table")
            yield DetailPane(id="detail")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.table.focus()
        self.watch(self.app, "ledger_state", self._ledger_changed)
        self.watch(self.app, "load_progress", self._load_progress)
        self._table = self.table

    def on_resize(self) -> None:
        self.query_one("#main").set_class(self.size.width < 120, "narrow")

    def on_screen_resume(self) -> None:
        self.on_resize()

    # ------------------------------------------------------------------ the ledger

    def _ledger_changed(self, change: LedgerChange | None) -> None:
        """The app's ledger changed (loaded, edited, undone, reloaded, restored): redraw from it,
        reusing the index rows of unchanged entries, and keep the cursor on the entry acted on."""
        if change is None:
            return
        self._now = change
        change = self._as_seen(change)
        if change.index is not None:
            self.index = change.index
        elif self.index is None:
            from pledgetui.query import Index

            self.index = Index(change.ledger)
        elif self.index.ledger is not change.ledger:
            self.index = self.index.derive(change.ledger)
        self.ledger = change.ledger
        self.arriving = []
        keep = None
        current = self.current
        for wanted in (change.keep_id, current.id if current is not None else None):
            if keep is None and wanted is not None:
                keep = next((i for i, p in enumerate(self.index.entries) if p.id == wanted), None)
        # an entry that is gone (an add undone, a delete): the cursor stays at its row, the nearest entry
        self.refresh_view(keep=keep, row=self.table.cursor)
        self.show_detail()

    def _as_seen(self, change: LedgerChange) -> LedgerChange:
        """The change as the dashboard shows it: with an as-of day in force, the ledger as it stood
        that day (``history.as_of``), derived from the one published; else the change itself."""
        if self.as_of_day is None:
            self.then = None
            return change
        from pledgetui.history import as_of

        self.then = as_of(change.ledger, self.as_of_day, count_uncertain=self.count_uncertain)
        return LedgerChange(self.then.ledger, change.description, change.keep_id)

    def _load_progress(self, progress: tuple[str, float]) -> None:
        self._progress = progress
        if self.index is None:
            self._show_loading()

    def _show_loading(self) -> None:
        stage, fraction = self._progress
        pct = f" {fraction:.0%}" if fraction >= 0 else ""
        got = f"{len(self.arriving):,} entries so far · " if self.arriving else ""
        self.query_one("#count", Static).update(safe_line(f"{self.host.path.name}: {got}{stage or 'loading'}{pct}…"))

    def rows_arrived(self, entries: list[Entry], fraction: float) -> None:
        """A batch of entries read while the ledger loads: show them at once, in file order.

        New entries only ever come after the ones shown, so the cursor stays on its row and
        entry. They cannot be edited (the session starts once the whole file has loaded and
        passed its checks); the filter and the sort apply once it has."""
        if self.index is not None:
            return
        self.arriving.extend(entries)
        table = self.table
        keep = table.current
        top = table.scroll_y
        table.set_rows(self.arriving, list(range(len(self.arriving))), (), keep=keep)
        table.scroll_to(y=top, animate=False, immediate=True)
        self._show_loading()

    def load_failed(self) -> None:
        """The load failed after some entries were shown: none of them stays on screen."""
        self.arriving = []
        if self.index is None:
            self.table.set_rows([], [], ())

    # ------------------------------------------------------------------ the view state (what the settings keep)

    def restore(self, view: ViewState) -> None:
        """Show ``view`` (the filter, sort, hidden columns and counter-positions of the last exit).

        Called as the ledger arrives, which may be before this screen's widgets exist: its own
        state is set now (its first drawing uses it), its widgets once they are mounted.
        """
        self.show_counter = view.show_counter
        self.sort_keys = view.sort
        if view.query is not None:
            self.query_obj, self.query_text = view.query, view.filter

        def widgets() -> None:
            self.table.hidden_columns = view.hidden_columns
            self.table.column_widths = dict(view.column_widths)
            if self.query_text:
                self.set_filter(self.query_text)
            else:
                self.refresh_view()

        if self.is_mounted:
            widgets()
        else:
            self.app.call_after_refresh(widgets)

    def view_state(self) -> ViewState | None:
        """What this screen shows of the ledger now; None before a ledger has loaded (nothing to keep)."""
        if self.index is None:
            return None
        widths = self._table.column_widths if self._table is not None else {}
        return ViewState(
            self.query_text,
            self.query_obj,
            self.sort_keys,
            self.hidden_columns,
            self.show_counter,
            tuple(widths.items()),
        )

    @property
    def hidden_columns(self) -> frozenset[str]:
        return self._table.hidden_columns if self._table is not None else frozenset()

    def choose_hidden_columns(self, hidden: frozenset[str]) -> None:
        """The user hides these columns (and shows the others): the app keeps the choice in the settings."""
        self.table.hidden_columns = hidden
        self.post_message(self.HiddenColumnsChosen(hidden))
        self._update_columns_note()

    @property
    def left_out_columns(self) -> tuple[str, ...]:
        return self._table.left_out if self._table is not None else ()

    def show_left_out_column(self, key: str) -> None:
        self.table.show_column(key)
        self._update_columns_note()

    @on(EntryTable.ColumnsFitted)
    def _columns_fitted(self) -> None:
        self._update_columns_note()

    def _update_columns_note(self) -> None:
        """Name the columns the width leaves out, and the sort keys whose column is not on screen."""
        if not self.is_mounted:
            return
        table = self.table
        titles = {c.key: c.title for c in COLUMNS}
        parts: list[str] = []
        if table.left_out:
            left_out = ", ".join(titles[k] for k in table.left_out)
            parts.append(f"Not shown at this width: {left_out} (ctrl+p: Show column)")
        shown = table.shown_columns
        off = [k for k in self.sort_keys if k.field not in shown]
        if off:
            several = len(self.sort_keys) > 1
            marks = [
                f"{titles.get(k.field, k.field)} {'▼' if k.descending else '▲'}{n if several else ''}"
                for n, k in enumerate(self.sort_keys, 1)
                if k in off
            ]
            parts.append(f"sorted by {', '.join(marks)}")
        note = self.query_one("#columns-note", Static)
        note.update(" · ".join(parts))
        note.display = bool(parts)

    # ------------------------------------------------------------------ the view

    @property
    def table(self) -> EntryTable:
        return self.query_one(EntryTable)

    @property
    def current(self) -> Entry | None:
        return self.table.current_entry

    def visible_entries(self) -> list[Entry]:
        return [self.table.entries[i] for i in self.table.view]

    def refresh_view(self, keep: int | None = None, row: int = 0) -> None:
        """Redraw the table; the cursor goes to ledger position ``keep`` if shown, else to ``row``."""
        if self.index is None:
            return
        table = self.table
        if keep is None:
            keep = table.current
        rows = self.index.filter(self.query_obj) if self.query_obj is not None else list(range(len(self.index)))
        if not self.show_counter:
            counters = self.index.counter_positions
            rows = [i for i in rows if i not in counters]
        rows = self.index.sort(rows, self.sort_keys)
        table.set_rows(self.index.entries, rows, self.sort_keys, keep=keep, row=row)
        self._update_count()
        self._update_columns_note()
        self._update_as_of_note()

    def show_detail(self) -> None:
        if self.ledger is None:
            return  # still loading: the pane describes entries of a loaded ledger only
        self.query_one(DetailPane).show(self.current, self.ledger, self.host.articles, self.as_of_day)

    def _update_count(self) -> None:
        if self.index is None:
            return
        error = self.filter_error
        all_counters = self.index.counter_positions
        total = len(self.index) - len(all_counters)
        view = self.table.view
        counters = sum(1 for i in view if i in all_counters) if all_counters else 0
        n = len(view) - counters
        text = Content(f"{n} of {total} pledges")
        if counters or all_counters:
            text = join(text, (f" · {counters} counter-position{'s' if counters != 1 else ''}", "italic"))
        if error:
            text = join(("last valid filter: ", "bold $error"), text)
        self.query_one("#count", Static).update(text)
        line = self.query_one("#filter-error", Static)
        line.display = bool(error)
        if error:
            shown = f'the last valid filter, "{self.query_text}"' if self.query_text else "every entry (no filter)"
            line.update(join(safe_line(error, "bold $error"), "\nThe table shows ", safe_line(shown), "."))

    @on(EntryTable.Highlighted)
    def _highlighted(self) -> None:
        self.show_detail()

    @on(EntryTable.Selected)
    def _selected(self) -> None:
        self.action_open_quote()

    # ------------------------------------------------------------------ filter

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.apply_filter(event.value)

    def apply_filter(self, text: str) -> bool:
        """Filter the table; on a bad query keep the last good view and say what is wrong."""
        from pledgetui.query import QueryError, parse_query

        try:
            query = parse_query(text)
        except QueryError as exc:
            self.query_one("#filter", Input).set_class(True, "-invalid")
            self.filter_error = str(exc)
            self._update_count()
            return False
        self.query_one("#filter", Input).set_class(False, "-invalid")
        self.query_text, self.query_obj, self.filter_error = text, query, None
        self.refresh_view()
        return True

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        self.table.focus()

    def action_focus_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_clear_filter(self) -> None:
        filt = self.query_one("#filter", Input)
        if filt.value:
            filt.value = ""
            self.apply_filter("")
        self.table.focus()

    def set_filter(self, text: str) -> None:
        self.query_one("#filter", Input).value = text
        self.apply_filter(text)

    # ------------------------------------------------------------------ sorting

    def sort_by(self, column: str, descending: bool | None = None) -> None:
        """Sort by ``column``; sorting by the sorted column again flips the direction.

        One key at a time: ties keep the ledger's order (a stable sort), which is
        predictable and costs one ``sorted`` over the view, whatever its size.
        """
        from pledgetui.query import SortKey

        primary = self.sort_keys[0] if self.sort_keys else None
        if descending is None:
            descending = (not primary.descending) if primary and primary.field == column else False
        self.sort_keys = (SortKey(column, descending),)
        self.refresh_view()

    def action_sort_column(self, n: int) -> None:
        self.sort_by(COLUMNS[n].key)

    def action_add_sort_column(self, n: int) -> None:
        """Add column ``n`` as the next sort key (ties of the keys before it); again flips it."""
        from pledgetui.query import SortKey

        column = COLUMNS[n].key
        keys = list(self.sort_keys)
        at = next((i for i, k in enumerate(keys) if k.field == column), None)
        if at is None:
            keys.append(SortKey(column))
        else:
            keys[at] = SortKey(column, not keys[at].descending)
        self.sort_keys = tuple(keys)
        self.refresh_view()

    def action_clear_sort(self) -> None:
        """Back to the ledger's own order."""
        self.sort_keys = ()
        self.refresh_view()

    def action_cycle_sort(self) -> None:
        keys = [c.key for c in COLUMNS]
        current = self.sort_keys[0].field if self.sort_keys else None
        nxt = keys[(keys.index(current) + 1) % len(keys)] if current in keys else keys[0]
        self.sort_by(nxt, descending=False)

    def action_reverse_sort(self) -> None:
        """Flip the first sort key; the keys after it stay as they are."""
        if self.sort_keys:
            from pledgetui.query import SortKey

            first, *rest = self.sort_keys
            self.sort_keys = (SortKey(first.field, not first.descending), *rest)
            self.refresh_view()

    @on(EntryTable.HeaderClicked)
    def _header_clicked(self, event: EntryTable.HeaderClicked) -> None:
        self.sort_by(event.column)

    def action_toggle_counter(self) -> None:
        self.show_counter = not self.show_counter
        self.refresh_view()
        self.notify("Counter-positions shown" if self.show_counter else "Counter-positions hidden")

    # ------------------------------------------------------------------ other screens

    def action_open_quote(self, evidence_index: int = 0) -> None:
        entry, app, articles = self.current, self.app, self.host.articles
        if entry is None or self.ledger is None or articles is None:
            return
        from pledgetui.ui.screens.quote_viewer import QuoteViewer

        # One viewer, shown again on each open: composing its screen costs more than showing it.
        index = self.host.passage_index(self.ledger)
        viewer = self._quote_viewer
        if viewer is None or viewer in app.screen_stack:
            viewer = QuoteViewer(self.ledger, articles, entry.id, evidence_index, index)
            if self._quote_viewer is None:
                self._quote_viewer = viewer
                app.install_screen(viewer, "quote-viewer")
        else:
            viewer.open(self.ledger, articles, entry.id, evidence_index, index)
        app.push_screen(viewer)

    def action_matrix(self) -> None:
        if self.ledger is None:
            return
        from pledgetui.ui.screens.matrix import MatrixScreen

        def chosen(cell: tuple[str, str] | None) -> None:
            if cell is not None:
                actor, commitment = cell
                quoted = actor.replace("\\", "\\\\").replace('"', '\\"')
                self.set_filter(f'actor="{quoted}" type:{commitment}')
                self.table.focus()

        day = self.as_of_day.isoformat() if self.as_of_day is not None else ""
        self.app.push_screen(MatrixScreen(self.ledger, self.visible_entries(), self.query_text, as_of=day), chosen)

    def action_timeline(self) -> None:
        """The statements of the rows shown on a date axis (the plotting library loads here)."""
        if self.ledger is None:
            return
        from pledgetui.ui.screens.timeline import TimelineScreen

        self.app.push_screen(TimelineScreen(self.ledger, self.visible_entries(), self.query_text))

    def action_group(self) -> None:
        """The frequency view of the rows shown, grouped by the current column (where it groups)."""
        if self.index is None:
            return
        from pledgetui.grouping import COLUMN_KEYS
        from pledgetui.ui.screens.grouping import GroupingScreen

        table = self.table
        column = {"sources": "source"}.get(table.current_column, table.current_column)

        def chosen(term: str | None) -> None:
            if term:
                self.set_filter(f"{self.query_text.strip()} {term}".strip())
                self.table.focus()

        screen = GroupingScreen(
            table.entries, table.view, column if column in COLUMN_KEYS else "actor", self.query_text
        )
        self.app.push_screen(screen, chosen)

    def action_statements(self) -> None:
        """The statements of the filtered entries, as a table; the filter comes back as it was left."""
        articles = self.host.articles
        if self.ledger is None or articles is None:
            return
        from pledgetui.ui.screens.statements import StatementsScreen

        def back(query: str | None) -> None:
            if query is not None and query != self.query_text:
                self.set_filter(query)
            self.table.focus()

        index = self.host.passage_index(self.ledger)
        day = self.as_of_day.isoformat() if self.as_of_day is not None else ""
        self.app.push_screen(StatementsScreen(self.ledger, articles, self.query_text, index, as_of=day), back)

    def action_changes(self) -> None:
        """What changed: the unsaved edits against the file (or, with a day, the statements since);
        enter on a row comes back to its entry."""
        if self.ledger is None:
            return
        from pledgetui.ui.screens.changes import ChangesScreen

        def ledgers() -> tuple[Ledger, Ledger]:
            """The file's ledger and today's edited one (never the as-of view's)."""
            session = self.host.controller.session
            if session is not None:
                return session.saved, session.ledger
            assert self.ledger is not None
            return self.ledger, self.ledger

        def back(entry_id: str | None) -> None:
            if entry_id is not None:
                self.go_to_entry(entry_id)
            self.table.focus()

        saved, today = ledgers()
        self.app.push_screen(ChangesScreen(saved, today, ledgers=ledgers), back)

    def action_conflicts(self) -> None:
        """The conflicts a merge recorded, a key per side; enter on a row comes back to its entry."""
        controller = self.host.controller
        if self.ledger is None or controller.session is None:
            return
        from pledgetui.ui.screens.conflicts import ConflictsScreen

        def current() -> Ledger:
            session = controller.session
            assert session is not None
            return session.ledger

        def back(entry_id: str | None) -> None:
            if entry_id is not None:
                self.go_to_entry(entry_id)
            self.table.focus()

        self.app.push_screen(ConflictsScreen(current, controller.resolve_conflict), back)

    def go_to_entry(self, entry_id: str) -> None:
        """Put the cursor on the entry ``entry_id``; a filter (or hidden counter-positions) that
        leaves it out is cleared first. An entry no longer in the ledger is reported."""
        if self.index is None:
            return
        position = next((i for i, p in enumerate(self.index.entries) if p.id == entry_id), None)
        if position is None:
            self.notify(f"{display_line(entry_id)} is not in the ledger (removed).", markup=False)
            return
        if self.table.row_of(position) is None:
            self.show_counter = True
            self.set_filter("")
        self.refresh_view(keep=position)
        self.show_detail()

    def action_search_articles(self) -> None:
        articles = self.host.articles
        if self.ledger is None or articles is None:
            return
        from pledgetui.ui.screens.article_search import ArticleSearchScreen

        current = self.current
        index = self.host.passage_index(self.ledger)
        self.app.push_screen(
            ArticleSearchScreen(self.ledger, articles, current.id if current is not None else None, index)
        )

    # ------------------------------------------------------------------ editing (through the controller)

    def action_edit(self) -> None:
        if self.current is not None:
            self.host.controller.edit(self.current)

    def action_add_copy(self) -> None:
        if self.current is not None:
            self.host.controller.add_copy(self.current)

    def action_add_blank(self) -> None:
        if self._refused_as_of():
            return
        self.notify(
            "An entry starts from its evidence: open the quote viewer (v), select a passage and press N.",
            title="New entry",
        )
        self.action_open_quote()

    def action_delete(self) -> None:
        entry = self.current
        if entry is None:
            return
        row, view = self.table.cursor, self.table.view
        nxt = view[row + 1] if row + 1 < len(view) else (view[row - 1] if row > 0 else None)
        keep_id = self.table.entries[nxt].id if nxt is not None else None
        self.host.controller.delete(entry, keep_id)

    def action_import_article(self) -> None:
        if self._refused_in_browser("import_article"):
            return
        self.host.controller.import_article()

    # ------------------------------------------------------------------ in a browser (pledgetui serve)

    def _refused_in_browser(self, action: str) -> bool:
        """True (and why, said) when ``action`` is one a browser may not start."""
        from pledgetui.ui.web import refusal

        why = refusal(action) if self.app.is_web else None
        if why is None:
            return False
        self.notify(f"Not available in a browser: {why}.", title="pledgetui serve", severity="warning", timeout=10)
        return True

    def on_key(self, event: events.Key) -> None:
        """A key bound to an action hidden in a browser is refused with the reason (not silently ignored)."""
        if not self.app.is_web:
            return
        for binding in self._bindings.key_to_bindings.get(event.key, ()):
            if self._refused_in_browser(binding.action):
                event.stop()
                return

    def action_export(self) -> None:
        if self.ledger is None:
            return
        busy = self.host.controller.busy
        if busy is not None and busy != "saving":  # the rows shown are about to be replaced
            self.notify(f"Not exported: {busy} is under way; try again when it has finished.", severity="warning")
            return
        from pledgetui import export, filesave, gcpause
        from pledgetui.ui.screens.export_dialog import ExportDialog, ExportRequest
        from pledgetui.ui.web import deliver_export

        pledges = self.visible_entries()
        ledger = self.ledger
        then = self.then
        sort = ",".join(("-" if k.descending else "") + k.field for k in self.sort_keys)
        query = self.query_text
        path = self.host.path
        web = self.app.is_web

        def write(request: ExportRequest) -> None:
            """In a worker thread: building and writing a large export takes seconds, and a
            named pipe may wait for its reader; the dashboard keeps answering meanwhile."""
            worker = get_current_worker()  # cancelled when the dashboard goes or the app quits
            try:
                with gcpause.gc_paused(freeze=False):  # a collection of 100k rows would hold the UI thread
                    data = export.export_view(
                        ledger,
                        pledges,
                        request.fmt,
                        request.rows,
                        excel=request.excel,
                        query=query,
                        sort=sort,
                        as_of=then,
                    )
                if not web:
                    export.write_export(
                        request.path,
                        data,
                        protect=export.protected_files(path, ledger),
                        stop=lambda: worker.is_cancelled,
                    )
            except (OSError, ValueError, filesave.SaveError) as exc:
                if not worker.is_cancelled:  # else the dashboard is gone: nobody to tell
                    self.app.call_from_thread(self.notify, f"Not exported: {exc}", severity="error", timeout=10)
                return
            guarded = export.guarded_count(ledger, pledges, request.rows) if request.fmt == "csv" else 0
            if not worker.is_cancelled:
                if web:  # nothing is written on the server: the browser downloads it
                    self.app.call_from_thread(deliver_export, self.app, data, request.path.name, request.fmt)
                self.app.call_from_thread(finished, request, guarded)

        def done(request: ExportRequest | None) -> None:
            if request is None:
                return
            count = export.row_count(pledges, request.rows)
            if count >= EXPORT_NOTICE_ROWS:
                self.notify(f"Exporting {count:,} rows to {display_line(str(request.path))}…", timeout=4)
            self.run_worker(lambda: write(request), thread=True, group="export", exit_on_error=False)

        def finished(request: ExportRequest, guarded: int) -> None:
            count = export.row_count(pledges, request.rows)
            self.last_export = (request.path, count)
            folder = {} if web else {"export_folder": os.path.dirname(os.path.realpath(request.path))}
            self.host.preferences.update(self, **folder, export_format=request.fmt, export_rows=request.rows)
            where = f"your browser's download {request.path.name}" if web else str(request.path)
            message = f"Exported {export.count_line(pledges)} ({count} rows) to {display_line(where)}"
            if guarded:
                message += f". {export.guard_note(guarded)}."
            self.notify(message, timeout=12 if guarded else 8)

        summary = f"Export the current view: {export.count_line(pledges)}" + (f", filter: {query}" if query else "")
        if then is not None:
            summary += f", as of {then.day.isoformat()}"
        prefs = self.host.preferences.settings
        folder = Path(prefs.export_folder).expanduser() if prefs.export_folder else Path.cwd()
        dialog = ExportDialog(
            folder / f"pledges-view.{prefs.export_format}",
            summary,
            fmt=prefs.export_format,
            rows=prefs.export_rows,
            download=web,
        )
        self.app.push_screen(dialog, done)

    # ------------------------------------------------------------------ the ledger as of a day

    def action_as_of(self) -> None:
        """Ask for the day whose ledger to show (empty: today's) and whether uncertain statements count."""
        from pledgetui.ui.screens.as_of import AsOfDialog

        def chosen(choice: AsOfChoice | None) -> None:
            if choice is not None:
                self.show_as_of(choice.day, choice.count_uncertain)
            self.table.focus()

        self.app.push_screen(AsOfDialog(self.as_of_day, self.count_uncertain), chosen)

    def show_as_of(self, day: dt.date | None, count_uncertain: bool = False) -> None:
        """Show the ledger as it stood on ``day`` (None: today's, the one edits go to); the cursor
        stays on its entry while the entry is there."""
        from pledgetui.ui.screens.as_of import refusal

        self.as_of_day, self.count_uncertain = day, count_uncertain
        self.host.controller.past = refusal(day) if day is not None else None
        if self._now is not None:
            self._ledger_changed(dataclasses.replace(self._now, description="", keep_id=None, statement=None))
        self._update_as_of_note()
        self.host.update_title()

    def _update_as_of_note(self) -> None:
        """While an as-of day is in force: what its ledger left apart (later, uncertain, gone)."""
        if not self.is_mounted:
            return
        from pledgetui.as_of_words import apart

        note = self.query_one("#as-of-note", Static)
        then = self.then
        note.display = then is not None
        if then is not None:
            how = "" if then.counted_uncertain else "w: count them"
            note.update(safe_line(f"{apart(then, how)} · read-only (w: back to today)"))

    def _refused_as_of(self) -> bool:
        """True (and why, said) when an as-of day is in force: the ledger shown is derived, not edited."""
        from pledgetui.ui.screens.as_of import refusal

        if self.as_of_day is None:
            return False
        self.notify(refusal(self.as_of_day), title="As of a day", severity="warning", timeout=10)
        return True

    # ------------------------------------------------------------------ command palette

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A read-only dashboard has no editing keys, and in a browser the actions that read or run
        something on the server are hidden: gone from the footer, the help and the palette."""
        from pledgetui.ui.web import refusal

        if action in EDIT_ACTIONS and self.host.why_read_only() is not None:
            return False
        if action == "conflicts":  # shown only while the ledger records some
            return self.ledger is not None and bool(self.ledger.conflicts)
        if self.app.is_web and refusal(action) is not None:
            return False
        return super().check_action(action, parameters)

    def system_commands(self) -> Iterable[SystemCommand]:
        """The palette's entries for the dashboard, each naming the keys bound to it now."""
        app = self.app
        from pledgetui.ui.web import SERVER_ONLY_IDS

        hidden = (SERVER_ONLY_IDS if app.is_web else frozenset()) | (
            EDIT_BINDING_IDS if self.host.why_read_only() is not None else frozenset()
        )
        yield from commands(
            self,
            entries=[
                ("Filter the table", "Focus the filter bar", "dashboard.filter", self.action_focus_filter),
                ("Clear the filter", "Show every entry", "dashboard.clear_filter", self.action_clear_filter),
                (
                    "Open the quote viewer",
                    "The article with the quote highlighted",
                    "dashboard.open_quote",
                    self.action_open_quote,
                ),
                (
                    "Matrix: actors x commitments",
                    "Who's in, who's holding back",
                    "dashboard.matrix",
                    self.action_matrix,
                ),
                (
                    "Timeline: statements by date",
                    "Per actor or commitment type, by status; firm commitments against claims over time",
                    "dashboard.timeline",
                    self.action_timeline,
                ),
                (
                    "Group by a column: counts per value",
                    "The rows shown, per value of the current column; enter filters by one",
                    "dashboard.group",
                    self.action_group,
                ),
                (
                    "Show the current column whole",
                    "As wide as its longest cell; again for the automatic width (remembered)",
                    "table.full_width",
                    self.table.action_full_width,
                ),
                (
                    "Widen the current column",
                    "By four cells (remembered)",
                    "table.widen",
                    lambda: self.table.action_widen(1),
                ),
                (
                    "Narrow the current column",
                    "By four cells (remembered)",
                    "table.narrow",
                    lambda: self.table.action_widen(-1),
                ),
                (
                    "Statements as a table",
                    "One row per statement of the filtered entries",
                    "dashboard.statements",
                    self.action_statements,
                ),
                (
                    "What changed",
                    "The unsaved edits, or what the statements since a day changed",
                    "dashboard.changes",
                    self.action_changes,
                ),
                (
                    "Search every article",
                    "Hits with context and the entries citing them",
                    "dashboard.search_articles",
                    self.action_search_articles,
                ),
                (
                    "Toggle counter-positions",
                    "Show or hide Russia's red lines etc.",
                    "dashboard.toggle_counter",
                    self.action_toggle_counter,
                ),
                ("Reverse the sort", "Flip the direction", "dashboard.reverse_sort", self.action_reverse_sort),
                ("Ledger order", "Clear the sort", "dashboard.clear_sort", self.action_clear_sort),
                *(
                    (
                        f"Sort by {col.title}",
                        "Again to reverse",
                        f"dashboard.sort_{col.key}",
                        lambda n=n: self.action_sort_column(n),
                    )
                    for n, col in enumerate(COLUMNS)
                ),
                (
                    "Edit the highlighted entry",
                    "Every field and each statement's stance",
                    "dashboard.edit",
                    self.action_edit,
                ),
                ("Add an entry as a copy", "Copy of the highlighted entry", "dashboard.add_copy", self.action_add_copy),
                (
                    "Delete the highlighted entry",
                    "Asks first; undo brings it back",
                    "dashboard.delete",
                    self.action_delete,
                ),
                ("Undo", "Undo the last edit", "app.undo", lambda: app.run_action("undo")),
                ("Redo", "Redo the last undone edit", "app.redo", lambda: app.run_action("redo")),
                ("Save", "Atomic save with a backup", "app.save", lambda: app.run_action("save")),
                (
                    "Import an article",
                    "Add a UTF-8 text file as a new source",
                    "dashboard.import_article",
                    self.action_import_article,
                ),
                ("Export the current view", "CSV, JSON or Markdown", "dashboard.export", self.action_export),
                (
                    "As of a day: the ledger as it stood then",
                    "Statements known to come later left out, readings derived again (empty: today's)",
                    "dashboard.as_of",
                    self.action_as_of,
                ),
                ("Help: all keys", "List every key", "app.help", lambda: app.run_action("help")),
                ("Copy the entry with its citation", "To the clipboard", "dashboard.copy", self.action_copy),
                (
                    "Filter help",
                    "The query syntax, every field and value",
                    "dashboard.filter_help",
                    self.action_filter_help,
                ),
                (
                    "Edit the ledger file in $EDITOR",
                    "Then reload it, checked",
                    "dashboard.edit_file",
                    self.action_edit_file,
                ),
            ],
            hidden=hidden,
        )
        yield from column_commands(self)

    # ------------------------------------------------------------------ copy, filter help, the file in $EDITOR

    def action_copy(self) -> None:
        if self.current is not None and self.ledger is not None:
            from pledgetui.ui.clipboard import copy_entry

            copy_entry(self.app, self.ledger, self.current)

    def action_filter_help(self) -> None:
        from pledgetui.ui.screens.filter_help import FilterHelp

        def chosen(term: str | None) -> None:
            if term:
                filt = self.query_one("#filter", Input)
                filt.value = f"{filt.value.rstrip()} {term}".lstrip()
                filt.cursor_position = len(filt.value)
            self.action_focus_filter()

        self.app.push_screen(FilterHelp(), chosen)

    def action_edit_file(self) -> None:
        if self._refused_in_browser("edit_file") or self._refused_as_of():
            return
        from pledgetui.ui.external_editor import edit_ledger_file

        current = self.current
        edit_ledger_file(self.app, self.host.controller, current.id if current is not None else None)
