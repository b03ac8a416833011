"""The dashboard: ledger table, filter bar, detail pane; screens for quotes, the matrix and help."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static

from pledgetui.sanitize import display, display_line
from pledgetui.ui.editing import EditingActions, TransferActions
from pledgetui.ui.text import join, safe_line
from pledgetui.ui.widgets.detail import DetailPane
from pledgetui.ui.widgets.entry_table import COLUMNS, EntryTable
from pledgetui.ui.widgets.safe_inputs import SafeInput

if TYPE_CHECKING:
    from pledgetui import journal
    from pledgetui.model import Entry, Ledger
    from pledgetui.query import Index, Query, SortKey
    from pledgetui.session import EditSession
    from pledgetui.store import LedgerError
    from pledgetui.verify import Articles

# The ledger core (pydantic models, store, query, session) is imported by the
# loading worker and the actions that need it, never at module level: the first
# frame appears while it loads. ``_prefetch_core`` starts that import on a thread
# as soon as the app is created, so it overlaps Textual's own start-up.


#: Ledgers up to this size load before the first frame (a few milliseconds once the
#: core is imported); larger ones load in a worker behind a progress line.
SMALL_LEDGER_BYTES = 1_000_000


def _prefetch_core() -> None:
    import pledgetui.journal
    import pledgetui.query
    import pledgetui.session
    import pledgetui.store
    import pledgetui.verify  # noqa: F401


class LedgerLoaded(Message):
    def __init__(
        self, session: EditSession, index: Index, articles: Articles, recovery: journal.Recovery | None
    ) -> None:
        super().__init__()
        self.session = session
        self.index = index
        self.articles = articles
        self.recovery = recovery


class LedgerLoading(Message):
    """Progress of a load: ``stage`` is reading, parsing or checking; ``fraction`` 0..1, or -1 when unknown."""

    def __init__(self, stage: str, fraction: float) -> None:
        super().__init__()
        self.stage = stage
        self.fraction = fraction


class LedgerLoadFailed(Message):
    def __init__(self, error: LedgerError) -> None:
        super().__init__()
        self.error = error


class PledgeApp(EditingActions, TransferActions, App[int]):
    """``PledgeApp(path)``: the dashboard over one ledger file."""

    CSS_PATH = "app.tcss"
    TITLE = "pledgetui"

    BINDINGS = [
        Binding("slash", "focus_filter", "Filter", tooltip="Type text or field:value terms"),
        Binding("escape", "clear_filter", "Clear filter", show=False),
        Binding("enter", "open_quote", "Quote viewer", show=False),
        Binding("v", "open_quote", "Quote viewer", tooltip="Open the article with the quote highlighted"),
        Binding("m", "matrix", "Matrix", tooltip="Actors x commitment types"),
        Binding("c", "toggle_counter", "Counter-positions", tooltip="Show or hide counter-positions"),
        Binding("s", "cycle_sort", "Sort", tooltip="Sort by the next column"),
        Binding("r", "reverse_sort", "Reverse", tooltip="Reverse the sort"),
        *(
            Binding(str(n), f"sort_column({n - 1})", f"Sort by {col.title}", show=False)
            for n, col in enumerate(COLUMNS, 1)
        ),
        Binding("e", "edit", "Edit", tooltip="Edit the highlighted pledge"),
        Binding("a", "add_blank", "Add", tooltip="New pledge from a passage picked in the quote viewer"),
        Binding("A", "add_copy", "Add copy", show=False),
        Binding("d", "delete", "Delete", show=False),
        Binding("ctrl+z,u", "undo", "Undo", show=False),
        Binding("ctrl+y,U", "redo", "Redo", show=False),
        Binding("ctrl+s", "save", "Save"),
        Binding("i", "import_article", "Import article", show=False),
        Binding("x", "export", "Export", tooltip="Export the current view (filter and sort applied)"),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(self, path: Path | str, *, watch_css: bool = False) -> None:
        threading.Thread(target=_prefetch_core, name="pledgetui-prefetch", daemon=True).start()
        super().__init__(watch_css=watch_css)
        self.path = Path(path)
        self.session: EditSession | None = None
        self.index: Index | None = None
        self.articles: Articles | None = None
        self.query_text = ""
        self.query_obj: Query | None = None  # None: no filter
        self.sort_keys: tuple[SortKey, ...] = ()
        self.show_counter = True
        self.load_error: LedgerError | None = None
        self.last_export: tuple[Path, int] | None = None
        self.saving = False
        self.quit_after_save = False
        self.sub_title = display_line(self.path.name)

    #: Actions that act on the table and its filter: only offered while the main screen is on top.
    MAIN_SCREEN_ACTIONS = frozenset(
        {
            "focus_filter",
            "clear_filter",
            "open_quote",
            "matrix",
            "toggle_counter",
            "cycle_sort",
            "reverse_sort",
            "sort_column",
            "edit",
            "add_blank",
            "add_copy",
            "delete",
            "import_article",
            "export",
        }
    )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.MAIN_SCREEN_ACTIONS and len(self.screen_stack) > 1:
            return False
        return True

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity="information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notification is plain text through the sanitiser: messages quote paths and field values."""
        super().notify(display(message), title=display(title), severity=severity, timeout=timeout, markup=False)

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield Header(icon="⚖")
        with Horizontal(id="filter-bar"):
            yield SafeInput(
                placeholder="filter: text, or country:france status:signed backstop:required …",
                id="filter",
                select_on_focus=False,
                compact=True,
            )
            yield Static("loading…", id="count", markup=False)
        with Horizontal(id="main"):
            yield EntryTable(id="table")
            yield DetailPane(id="detail")
        yield Footer()

    def on_mount(self) -> None:
        self.main.query_one(EntryTable).focus()
        try:
            small = self.path.stat().st_size <= SMALL_LEDGER_BYTES
        except OSError:
            small = False  # the worker reports what is wrong with the path
        if small:
            self._read_ledger(self._deliver_now)  # the first frame shows the table itself
        else:
            self.load_ledger()

    def _deliver_now(self, message: Message) -> None:
        if isinstance(message, LedgerLoaded):
            self._loaded(message)
        elif isinstance(message, LedgerLoadFailed):
            self._load_failed(message)

    def on_resize(self) -> None:
        self.main.query_one("#main").set_class(self.size.width < 120, "narrow")

    # ------------------------------------------------------------------ loading

    @work(thread=True, exclusive=True, group="load")
    def load_ledger(self) -> None:
        """Load a large ledger off the UI thread, with progress on the count line."""
        self._read_ledger(self.post_message)

    def _read_ledger(self, deliver) -> None:
        """Read, validate and index the ledger; hand the outcome to ``deliver``."""
        last: list[tuple[str, int]] = [("", -2)]

        def progress(stage: str, fraction: float) -> None:
            step = (stage, int(fraction * 20) if fraction >= 0 else -1)  # at most every 5%
            if step != last[0]:
                last[0] = step
                self.post_message(LedgerLoading(stage, fraction))

        from pledgetui import journal, store
        from pledgetui.query import SORT_FIELDS, Index
        from pledgetui.session import EditSession
        from pledgetui.store import LedgerError
        from pledgetui.verify import Articles

        try:
            loaded = store.load(self.path, progress=progress)
        except LedgerError as exc:
            deliver(LedgerLoadFailed(exc))
            return
        session = EditSession(loaded.path, loaded.ledger, loaded.fingerprint)
        index = Index(session.ledger)
        try:
            recovery = journal.pending(self.path)
        except (LedgerError, OSError, ValueError, KeyError):
            recovery = None
        deliver(LedgerLoaded(session, index, Articles(self.path), recovery))
        with store.gc_paused():
            index.haystacks  # the search text, built off the UI thread once the table shows
            for field in SORT_FIELDS:  # and every column's sort keys, so the first sort is one sorted()
                index.sort_keys(field)

    @on(LedgerLoading)
    def _loading(self, event: LedgerLoading) -> None:
        if self.index is None:
            pct = f" {event.fraction:.0%}" if event.fraction >= 0 else ""
            self.main.query_one("#count", Static).update(safe_line(f"{self.path.name}: {event.stage}{pct}…"))

    @on(LedgerLoaded)
    def _loaded(self, event: LedgerLoaded) -> None:
        self.session = event.session
        self.index = event.index
        self.articles = event.articles
        self.refresh_view()
        self.update_title()
        if event.recovery is not None:
            self.offer_recovery(event.recovery)

    def after_edit(self, description: str, keep_id: str | None) -> None:
        """The session's ledger changed: re-index (reusing unchanged rows), redraw, say what happened."""
        assert self.session is not None and self.index is not None
        ledger = self.session.ledger
        self.index = self.index.derive(ledger)
        keep = next((i for i, p in enumerate(self.index.entries) if p.id == keep_id), None) if keep_id else None
        self.refresh_view(keep=keep)
        self.main.query_one(DetailPane).show(self.table.current_entry, ledger, self.articles)
        self.update_title()
        for screen in self.screen_stack:
            if getattr(screen, "is_quote_viewer", False) and screen.ledger is not ledger:
                screen.update_ledger(ledger)
        self.notify(description, markup=False, timeout=3)

    def update_title(self) -> None:
        dirty = self.session is not None and self.session.dirty
        read_only = self.session is not None and self.session.read_only is not None
        state = (
            "  ⟳ saving…" if self.saving else "  ● unsaved changes" if dirty else "  (read-only)" if read_only else ""
        )
        self.sub_title = f"{display_line(self.path.name)}{state}"

    @on(LedgerLoadFailed)
    def _load_failed(self, event: LedgerLoadFailed) -> None:
        self.load_error = event.error
        from pledgetui.ui.screens.problems import ProblemsScreen

        self.push_screen(ProblemsScreen(event.error))

    @property
    def ledger(self) -> Ledger | None:
        return self.session.ledger if self.session else None

    # ------------------------------------------------------------------ the view

    @property
    def main(self) -> Screen:
        """The dashboard screen (the bottom of the stack), whichever screen is on top."""
        return self.screen_stack[0]

    @property
    def table(self) -> EntryTable:
        return self.main.query_one(EntryTable)

    def visible_entries(self) -> list[Entry]:
        return [self.table.entries[i] for i in self.table.view]

    def refresh_view(self, keep: int | None = None) -> None:
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
        table.set_rows(self.index.entries, rows, self.sort_keys, keep=keep)
        self._update_count()

    def _update_count(self, error: str | None = None) -> None:
        if self.index is None:
            return
        all_counters = self.index.counter_positions
        total = len(self.index) - len(all_counters)
        view = self.table.view
        counters = sum(1 for i in view if i in all_counters) if all_counters else 0
        n = len(view) - counters
        text = Content(f"{n} of {total} pledges")
        if counters or all_counters:
            text = join(text, (f" · {counters} counter-position{'s' if counters != 1 else ''}", "italic"))
        if error:
            text = join(text, "  ", safe_line(error, "bold $error"))
        self.main.query_one("#count", Static).update(text)

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
            self.main.query_one("#filter", Input).set_class(True, "-invalid")
            self._update_count(str(exc))
            return False
        self.main.query_one("#filter", Input).set_class(False, "-invalid")
        self.query_text, self.query_obj = text, query
        self.refresh_view()
        return True

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        self.table.focus()

    def action_focus_filter(self) -> None:
        self.main.query_one("#filter", Input).focus()

    def action_clear_filter(self) -> None:
        filt = self.main.query_one("#filter", Input)
        if filt.value:
            filt.value = ""
            self.apply_filter("")
        self.table.focus()

    def set_filter(self, text: str) -> None:
        self.main.query_one("#filter", Input).value = text
        self.apply_filter(text)

    # ------------------------------------------------------------------ sorting

    def sort_by(self, column: str, descending: bool | None = None) -> None:
        """Sort by ``column``; clicking the sorted column again flips the direction.

        One key at a time: ties keep the ledger's order (a stable sort), which is
        predictable and costs one ``sorted`` over the view, whatever its size.
        """
        primary = self.sort_keys[0] if self.sort_keys else None
        if descending is None:
            descending = (not primary.descending) if primary and primary.field == column else False
        from pledgetui.query import SortKey

        self.sort_keys = (SortKey(column, descending),)
        self.refresh_view()

    def action_sort_column(self, n: int) -> None:
        self.sort_by(COLUMNS[n].key)

    def action_cycle_sort(self) -> None:
        keys = [c.key for c in COLUMNS]
        current = self.sort_keys[0].field if self.sort_keys else None
        nxt = keys[(keys.index(current) + 1) % len(keys)] if current in keys else keys[0]
        self.sort_by(nxt, descending=False)

    def action_reverse_sort(self) -> None:
        if self.sort_keys:
            self.sort_by(self.sort_keys[0].field, descending=not self.sort_keys[0].descending)

    @on(EntryTable.HeaderClicked)
    def _header_clicked(self, event: EntryTable.HeaderClicked) -> None:
        self.sort_by(event.column)

    def action_toggle_counter(self) -> None:
        self.show_counter = not self.show_counter
        self.refresh_view()
        self.notify("Counter-positions shown" if self.show_counter else "Counter-positions hidden")

    # ------------------------------------------------------------------ detail / screens

    @on(EntryTable.Highlighted)
    def _highlighted(self, event: EntryTable.Highlighted) -> None:
        pledge = self.table.current_entry
        self.main.query_one(DetailPane).show(pledge, self.ledger, self.articles)

    @on(EntryTable.Selected)
    def _selected(self, event: EntryTable.Selected) -> None:
        self.action_open_quote()

    def action_open_quote(self, evidence_index: int = 0) -> None:
        pledge = self.table.current_entry
        if pledge is None or self.ledger is None or self.articles is None:
            return
        from pledgetui.ui.screens.quote_viewer import QuoteViewer

        self.push_screen(QuoteViewer(self.ledger, self.articles, pledge.id, evidence_index))

    def on_quote_viewer_passage_picked(self, event) -> None:
        """A passage picked in the quote viewer (``QuoteViewer.PassagePicked``)."""
        if event.entry_id is not None:
            self.attach_evidence(event.entry_id, event.evidence, event.viewer)
        else:
            self.new_pledge_with_evidence(event.evidence)

    def on_quote_viewer_article_text_accepted(self, event) -> None:
        """``QuoteViewer.ArticleTextAccepted``: a drifted quote takes the article's words."""
        if self.accept_article_text(event.entry_id, event.index, event.text, event.start, event.end):
            event.viewer.update_ledger(self.ledger, event.entry_id, event.index)

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

        self.push_screen(MatrixScreen(self.ledger, self.visible_entries()), chosen)

    def action_help(self) -> None:
        from pledgetui.ui.screens.help import HelpScreen, bindings_for_help

        self.push_screen(HelpScreen(bindings_for_help(self)))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if screen is not self.screen_stack[0]:
            return
        yield SystemCommand("Filter the table", "Focus the filter bar (/)", self.action_focus_filter)
        yield SystemCommand("Clear the filter", "Show every entry", self.action_clear_filter)
        yield SystemCommand(
            "Open the quote viewer", "The article with the quote highlighted (v)", self.action_open_quote
        )
        yield SystemCommand("Matrix: actors x commitments", "Who's in, who's holding back (m)", self.action_matrix)
        yield SystemCommand(
            "Toggle counter-positions", "Show or hide Russia's red lines etc. (c)", self.action_toggle_counter
        )
        yield SystemCommand("Reverse the sort", "Flip the direction (r)", self.action_reverse_sort)
        for n, col in enumerate(COLUMNS):
            yield SystemCommand(
                f"Sort by {col.title}", f"Key {n + 1}; again to reverse", lambda n=n: self.action_sort_column(n)
            )
        yield SystemCommand("Edit the highlighted pledge", "Every field, validated (e)", self.action_edit)
        yield SystemCommand("Add a pledge as a copy", "Copy of the highlighted pledge (A)", self.action_add_copy)
        yield SystemCommand("Delete the highlighted pledge", "Asks first; undo brings it back (d)", self.action_delete)
        yield SystemCommand("Undo", "Undo the last edit (ctrl+z)", self.action_undo)
        yield SystemCommand("Redo", "Redo the last undone edit (ctrl+y)", self.action_redo)
        yield SystemCommand("Save", "Atomic save with a backup (ctrl+s)", self.action_save)
        yield SystemCommand(
            "Import an article", "Add a UTF-8 text file as a new source (i)", self.action_import_article
        )
        yield SystemCommand("Export the current view", "CSV, JSON or Markdown (x)", self.action_export)
        yield SystemCommand("Help: all keys", "List every key (?)", self.action_help)
