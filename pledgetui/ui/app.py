"""The app: it owns the editing session and the one observable ledger state; screens stack on the dashboard."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.reactive import var
from textual.screen import Screen

from pledgetui.sanitize import display, display_line
from pledgetui.settings import COLUMN_KEYS
from pledgetui.ui.controller import SessionBusy, SessionController
from pledgetui.ui.preferences import Preferences
from pledgetui.ui.screens.dashboard import DashboardScreen
from pledgetui.ui.state import LedgerChange
from pledgetui.ui.widgets.entry_table import EntryTable

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel

    from pledgetui import journal
    from pledgetui.anchors import Anchor
    from pledgetui.editlock import EditLock
    from pledgetui.ledgerfile import LedgerError
    from pledgetui.model import Entry, Ledger
    from pledgetui.passages import PassageIndex
    from pledgetui.query import Index
    from pledgetui.session import EditSession
    from pledgetui.ui.screens.quote_viewer import QuoteViewer
    from pledgetui.verify import Articles

# The ledger core (pydantic models, store, query, session) is imported by the
# loading worker and the actions that need it, never at module level: the first
# frame appears before it loads.


#: The loading worker waits at most this long (seconds) for the first frame before it starts.
FIRST_FRAME_WAIT = 1.0
#: While a ledger loads, the table takes new rows at most this often (seconds).
ROWS_EVERY = 0.25
#: How many unverified quotes the notice after a load names (the rest are counted).
UNVERIFIED_NAMED = 3
#: A read-only dashboard looks at its ledger file this often (seconds): a save by the session
#: editing it offers a reload, and that session quitting offers to take over editing.
WATCH_EVERY = 1.0
#: The app-wide actions that change the ledger or its file: disabled in a read-only dashboard.
EDIT_ACTIONS = frozenset({"undo", "redo", "save"})


class QuotesUnverified(Message):
    """The ledger just opened quotes words its articles do not hold exactly:
    (entry id, statement index, anchor) for each."""

    def __init__(self, statements: tuple[tuple[str, int, Anchor], ...]) -> None:
        super().__init__()
        self.statements = statements


class LedgerLoaded(Message):
    def __init__(
        self,
        session: EditSession,
        index: Index,
        articles: Articles,
        recovery: journal.Recovery | None,
        passages: PassageIndex | None = None,
    ) -> None:
        super().__init__()
        self.session = session
        self.index = index
        self.articles = articles
        self.recovery = recovery
        self.passages = passages


class LedgerRowsArrived(Message):
    """A batch of entries read while the ledger loads (provisional: shown, never editable)."""

    def __init__(self, entries: list[Entry], fraction: float) -> None:
        super().__init__()
        self.entries = entries
        self.fraction = fraction


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


class PledgeApp(App[int]):
    """``PledgeApp(path)``: the dashboard over one ledger file.

    The app owns the session (``session``, ``articles``), the session controller that
    makes every change (``controller``), and the one observable state, ``ledger_state``:
    each screen or widget that shows the ledger subscribes itself to it. Its helpers know it
    only through the protocols of :mod:`pledgetui.ui.shell`, which it meets.
    """

    TITLE = "pledgetui"
    # Every screen and widget keeps its styles in its own .tcss file (widgets have no
    # CSS_PATH: theirs are read here). Those of the dashboard, the quote viewer and the
    # small dialogs are read here too, with the app's, not when the screen is first shown:
    # a screen that brings new CSS makes Textual parse the whole stylesheet again and
    # restyle every widget of the app (about 70 ms when it is first opened); read with the
    # app's, they cost the first frame a few milliseconds. (The dashboard's must be: the
    # default screen's own CSS_PATH is not loaded by Textual.) The widgets' and dialogs'
    # files come first: for rules of equal specificity, the screens' files after them have
    # the last word, as they had over the DEFAULT_CSS these files replace.
    CSS_PATH = [
        "widgets/entry_table.tcss",
        "widgets/row_table.tcss",
        "widgets/detail.tcss",
        "widgets/find_bar.tcss",
        "screens/as_of.tcss",
        "screens/choice.tcss",
        "screens/export_dialog.tcss",
        "screens/filter_help.tcss",
        "screens/import_article.tcss",
        "screens/problems.tcss",
        "screens/source_picker.tcss",
        "screens/dashboard.tcss",
        "screens/quote_viewer.tcss",
    ]

    BINDINGS = [
        Binding("ctrl+z,u", "undo", "Undo", show=False, id="app.undo"),
        Binding("ctrl+y,U", "redo", "Redo", show=False, id="app.redo"),
        Binding("ctrl+s", "save", "Save", id="app.save"),
        Binding("question_mark", "help", "Help", key_display="?", id="app.help"),
        Binding("q", "quit", "Quit", id="app.quit"),
        # Textual's own binding says "palette" in lower case; the help and the README say this
        Binding(
            "ctrl+p",
            "command_palette",
            "Command palette",
            show=False,
            priority=True,
            tooltip="Open the command palette",
            id="app.command_palette",
        ),
    ]

    #: The session's ledger after each change; ``None`` until it is loaded.
    ledger_state: var[LedgerChange | None] = var(None, always_update=True)
    #: ``(stage, fraction)`` while a large ledger loads.
    load_progress: var[tuple[str, float]] = var(("", -1.0))
    #: Whether the session's ledger differs from its file: a view of unsaved edits watches it,
    #: since a save changes it without publishing a new ledger.
    dirty: var[bool] = var(False)

    def __init__(
        self,
        path: Path | str,
        *,
        read_only: str | None = None,
        watch_css: bool = False,
        config: Path | None = None,
    ) -> None:
        """``read_only``: open the ledger read-only, for this reason (shown to the user); None: open
        it for editing unless another session is editing it (then read-only, saying so).
        ``config``: the settings file to read and keep up to date (None: no settings, as ``--no-config``)."""
        super().__init__(watch_css=watch_css)
        self.path = Path(path)
        #: Why this dashboard never edits its ledger (given, or another session holds the edit lock), or None.
        self.read_only = read_only
        #: The edit lock this dashboard holds while it has the ledger open for editing.
        self._edit_lock: EditLock | None = None
        #: Read-only only because another session is editing: offer to take over when it quits.
        self._waiting_for_editor = False
        #: The (size, mtime_ns) of the ledger file a reload was last offered for, and whether an offer is up.
        self._offered_stat: tuple[int, int] | None = None
        #: Whether the ledger file is watched for writes by others (a test may turn it off to meet
        #: the save's own question about them, which the watcher would otherwise ask first).
        self.watching = True
        self._offering = False
        self.preferences = Preferences(config)
        self.preferences.apply_to_app(self)
        self.session: EditSession | None = None
        self.articles: Articles | None = None
        self._passage_index: PassageIndex | None = None
        self.load_error: LedgerError | None = None
        #: How far the controller's long operation is (0..1; -1: unknown).
        self._busy_fraction = -1.0
        self.controller = SessionController(self)
        self.sub_title = display_line(self.path.name)

    def action_help_quit(self) -> None:
        """Ctrl+C names the key that quits, as Textual's own does, but as plain text: every
        notification here is plain (Textual's says "[b]ctrl+q[/b]", which shows as written)."""
        for key, active in self.active_bindings.items():
            if active.binding.action in ("quit", "app.quit"):
                self.notify(f"Press {key} to quit the app", title="Do you want to quit?")
                return

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notification is plain text through the sanitiser: messages quote paths and field values."""
        super().notify(display(message), title=display(title), severity=severity, timeout=timeout, markup=False)

    # ------------------------------------------------------------------ the state

    @property
    def ledger(self) -> Ledger | None:
        return self.session.ledger if self.session else None

    @property
    def dashboard(self) -> DashboardScreen:
        """The dashboard screen (the bottom of the stack), whichever screen is on top."""
        screen = self.screen_stack[0] if self.screen_stack else None
        assert isinstance(screen, DashboardScreen), "the dashboard is not mounted"
        return screen

    def publish(
        self, description: str, keep_id: str | None, statement: int | None = None, index: Index | None = None
    ) -> None:
        """The session's ledger changed: make it the state every subscribed view shows."""
        assert self.session is not None
        self.ledger_state = LedgerChange(self.session.ledger, description, keep_id, statement, index)

    def passage_index(self, ledger: Ledger) -> PassageIndex:
        """The passage index of ``ledger`` over the app's articles: the one kept, derived
        from the last one asked for when the ledger has changed since (an edit recomputes
        only the articles it touched)."""
        from pledgetui.passages import PassageIndex

        assert self.articles is not None
        kept = self._passage_index
        if kept is None or kept.articles is not self.articles:
            kept = PassageIndex(ledger, self.articles)
        elif kept.ledger is not ledger:
            kept = kept.derive(ledger)
        self._passage_index = kept
        return kept

    def watch_ledger_state(self, change: LedgerChange | None) -> None:
        self.update_title()
        if change is not None and change.description:
            self.notify(change.description, timeout=3)

    def why_read_only(self) -> str | None:
        """Why nothing is edited here (given at start, another session editing, the bundled
        ledger), or None."""
        if self.read_only is not None:
            return self.read_only
        return self.session.read_only if self.session is not None else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Undo, redo and save are gone from the footer and the palette of a read-only dashboard."""
        if action in EDIT_ACTIONS and self.why_read_only() is not None:
            return False
        return super().check_action(action, parameters)

    def update_title(self) -> None:
        session = self.session
        dirty = session is not None and session.dirty
        self.dirty = dirty
        read_only = self.why_read_only() is not None
        busy = self.controller.busy
        if busy is None:
            self._busy_fraction = -1.0
        pct = f" {self._busy_fraction:.0%}" if self._busy_fraction >= 0 else ""
        state = (
            f"  ⟳ {busy}{pct}…"
            if busy is not None
            else "  ● unsaved changes"
            if dirty
            else "  (read-only)"
            if read_only
            else ""
        )
        dashboard: DashboardScreen | None = getattr(self, "_dashboard", None)
        day = dashboard.as_of_day if dashboard is not None else None
        then = f" · as of {day.isoformat()}" if day is not None else ""
        conflicts = len(session.ledger.conflicts) if session is not None else 0
        if conflicts:
            then += f" · {conflicts} merge conflict{'' if conflicts == 1 else 's'}"
        self.sub_title = f"{display_line(self.path.name)}{then}{state}"

    @on(SessionBusy)
    def _session_busy(self, event: SessionBusy) -> None:
        if event.what == self.controller.busy:
            self._busy_fraction = event.fraction
            self.update_title()

    # ------------------------------------------------------------------ loading

    def get_default_screen(self) -> Screen[Any]:
        """The dashboard is the bottom of the screen stack; every other screen stacks on it."""
        self._dashboard = DashboardScreen(self)
        return self._dashboard

    def on_mount(self) -> None:
        self.preferences.check_keymap()
        for problem in self.preferences.problems:
            self.notify(problem, title="Settings", severity="warning", timeout=15)
        # Every ledger loads in a worker: the first frame never waits for it. Its entries
        # show as they are read (``LedgerRowsArrived``); nothing is editable until the
        # whole file has loaded and passed every check (``LedgerLoaded``).
        # The worker is started now (so anyone waiting for the workers waits for the load) but
        # begins once the first frame is drawn: importing the ledger core on a thread while
        # Textual draws it would take the GIL from the first frame.
        self._claim_ledger()
        self._first_frame = threading.Event()
        self.load_ledger()
        self.call_after_refresh(self._first_frame.set)

    def _claim_ledger(self) -> None:
        """Take the ledger's edit lock, or open it read-only at once, saying why."""
        from pledgetui import paths

        if self.read_only is None and paths.read_only_reason(self.path) is None:
            from pledgetui.editlock import EDITING, EditLock

            lock = EditLock.take(self.path)
            if lock is None:
                self.read_only = EDITING
                self._waiting_for_editor = True
            else:
                self._edit_lock = lock
        reason = self.read_only or paths.read_only_reason(self.path)
        if reason is not None:
            self.notify(f"{self.path.name} is opened read-only: {reason}.", title="Read-only", timeout=15)
        # Read-only: the editing session may save or quit; editing: another program (git pull,
        # a teammate's window on a shared folder) may write the file.
        self.set_interval(WATCH_EVERY, self._watch_ledger_file, name="watch ledger file")
        self.update_title()

    def _watch_ledger_file(self) -> None:
        """A read-only dashboard: the session editing the ledger quit (offer to take over), or
        saved (offer to reload). An editing one: another program wrote the file (offer to
        reload, or with unsaved edits to merge them onto it). Each is offered once; never while
        another offer, a screen over the dashboard or a long operation is under way."""
        session = self.session
        if session is None or not self.watching or self._offering or self.controller.busy is not None:
            return
        if self._waiting_for_editor:
            from pledgetui.editlock import held_elsewhere

            if not held_elsewhere(self.path):
                self._offer_take_over()
                return
        import os

        try:
            st = os.stat(self.path)
        except OSError:
            return
        now = (st.st_size, st.st_mtime_ns)
        if now == (session.fingerprint.size, session.fingerprint.mtime_ns) or now == self._offered_stat:
            return
        if self.why_read_only() is None:
            if len(self.screen_stack) > 1:  # a form or dialog is open: asked once it is closed
                return
            self._offered_stat = now
            self._offer_outside_change(session.dirty)
            return
        self._offered_stat = now
        self._offering = True

        def done(answer: str | None) -> None:
            self._offering = False
            if answer == "reload":
                self.reload_from_file("reloaded: the version saved by the other session")

        from textual.content import Content

        from pledgetui.ui.screens.choice import ChoiceScreen

        self.push_screen(
            ChoiceScreen(
                "The ledger was saved elsewhere",
                Content(
                    f"{display_line(self.path.name)} was saved since this dashboard read it "
                    "(by the session editing it, or another program). Reload it to see that version?"
                ),
                [("r", "reload", "Reload"), ("escape", "keep", "Not now")],
            ),
            done,
        )

    def _offer_outside_change(self, dirty: bool) -> None:
        """The file this dashboard edits was written by another program: reload it (nothing is
        lost), or keep the unsaved edits merged onto it (:meth:`SessionController.merge_onto_disk`)."""
        self._offering = True

        def done(answer: str | None) -> None:
            self._offering = False
            if answer == "reload":
                self.reload_from_file("reloaded: the version written on disk")
            elif answer == "merge":
                self.controller.merge_onto_disk()

        from textual.content import Content

        from pledgetui.ui.screens.choice import ChoiceScreen

        name = display_line(self.path.name)
        if dirty:
            text = (
                f"{name} was written on disk since this dashboard read it (git pull, another program). "
                "Merge keeps both: your unsaved edits merged onto it entry by entry (a field both changed "
                "keeps the file's value and is recorded as a conflict, M); then save. Not now: a save will ask."
            )
            choices = [("m", "merge", "Merge"), ("escape", "keep", "Not now")]
        else:
            text = f"{name} was written on disk since this dashboard read it (git pull, another program). Reload it?"
            choices = [("r", "reload", "Reload"), ("escape", "keep", "Not now")]
        self.push_screen(ChoiceScreen("The ledger changed on disk", Content(text), choices), done)

    def _offer_take_over(self) -> None:
        self._offering = True

        def done(answer: str | None) -> None:
            self._offering = False
            if answer == "take":
                self.take_over()
            else:
                self._waiting_for_editor = False  # asked once; reopen the ledger to edit it later

        from textual.content import Content

        from pledgetui.ui.screens.choice import ChoiceScreen

        self.push_screen(
            ChoiceScreen(
                "The other session closed the ledger",
                Content(
                    f"No other session is editing {display_line(self.path.name)} now. "
                    "Edit it here? The file is read again first."
                ),
                [("e", "take", "Edit here"), ("escape", "stay", "Stay read-only")],
            ),
            done,
        )

    def take_over(self) -> bool:
        """Take the edit lock that the other session released, and edit here (the file is read
        again first). False (and a notice) when another session took it meanwhile."""
        from pledgetui import paths
        from pledgetui.editlock import EditLock

        lock = EditLock.take(self.path)
        if lock is None:
            self.notify("Another session is editing the ledger again; it stays read-only here.", severity="warning")
            return False
        self._edit_lock = lock
        self._waiting_for_editor = False
        self.read_only = None
        if self.session is not None:
            self.session.read_only = paths.read_only_reason(self.path)
        self.refresh_bindings()
        self.reload_from_file("editing here now: reloaded the file as last saved", then=self._recover_after_take_over)
        return True

    def _recover_after_take_over(self) -> None:
        self._look_for_recovery()

    @work(thread=True, group="recovery")
    def _look_for_recovery(self) -> None:
        """Taken over: the session that quit may have ended without saving (killed); its edits are
        offered as at a start."""
        from pledgetui import journal
        from pledgetui.ledgerfile import LedgerError

        try:
            recovery = journal.pending(self.path)
        except (LedgerError, OSError, ValueError, KeyError):
            return
        if recovery is not None:
            self.call_from_thread(self.controller.offer_recovery, recovery)

    def reload_from_file(self, description: str, then: Callable[[], None] | None = None) -> None:
        """Read the ledger file again, the cursor staying on the same entry when it still exists;
        ``then`` runs once it is shown."""
        if self.session is not None:
            self.controller.reload_from_disk(description, self._current_id(), then=then)

    @work(thread=True, exclusive=True, group="load")
    def load_ledger(self) -> None:
        """Load the ledger off the UI thread, with its entries and the progress on screen as they come."""
        first_frame = getattr(self, "_first_frame", None)
        if first_frame is not None:
            first_frame.wait(FIRST_FRAME_WAIT)
        self._read_ledger(self.post_message)

    def _read_ledger(self, deliver: Callable[[Message], object]) -> None:
        """Read, validate and index the ledger; hand the outcome to ``deliver``."""
        last: list[tuple[str, int]] = [("", -2)]

        pending: list[Entry] = []
        posted = [0.0]

        def arrived(entries: list[Entry], fraction: float) -> None:
            # The first batch (a screenful) at once, then at most every ROWS_EVERY seconds:
            # each update redraws the table, and the UI thread shares the GIL with this worker.
            pending.extend(entries)
            now = time.monotonic()
            if posted[0] == 0.0 or now - posted[0] >= ROWS_EVERY:
                posted[0] = now
                self.post_message(LedgerRowsArrived(pending[:], fraction))
                pending.clear()

        def progress(stage: str, fraction: float) -> None:
            step = (stage, int(fraction * 20) if fraction >= 0 else -1)  # at most every 5%
            if step != last[0]:
                last[0] = step
                self.post_message(LedgerLoading(stage, fraction))

        from pledgetui import gcpause, journal, sanitize, store
        from pledgetui.ledgerfile import LedgerError
        from pledgetui.passages import PassageIndex
        from pledgetui.query import Index
        from pledgetui.session import EditSession
        from pledgetui.verify import Articles

        try:
            loaded = store.load(self.path, progress=progress, on_entries=arrived, write_cache=False)
        except LedgerError as exc:
            deliver(LedgerLoadFailed(exc))
            return
        session = EditSession(loaded.path, loaded.ledger, loaded.fingerprint)
        given = self.read_only
        if given is not None:
            session.read_only = given
        index = Index(session.ledger)
        _ = index.counter_positions  # the count line needs them at once: not on the UI thread
        recovery = None
        if given is None:  # a read-only dashboard leaves the journals to the session that edits
            try:
                recovery = journal.pending(self.path)
            except (LedgerError, OSError, ValueError, KeyError):
                recovery = None
        articles = Articles(self.path)
        passages = PassageIndex(session.ledger, articles)
        self._loaded_shown = threading.Event()
        deliver(LedgerLoaded(session, index, articles, recovery, passages))
        # What follows only prepares for later: it waits until the loaded table is on screen,
        # so that frame does not share the GIL. What the user is likely to need first comes
        # first: the search text, sort keys and field values (the first keystroke or sort),
        # then every article's quoted passages and the display filter's patterns (the quote
        # viewer), and last the validated cache (the next start).
        self._loaded_shown.wait(FIRST_FRAME_WAIT)
        with gcpause.gc_paused():
            index.prepare()
            passages.prime()
            unverified = passages.unverified()
            sanitize.prepare()
        if unverified:
            deliver(QuotesUnverified(unverified))
        store.remember(loaded)

    @on(QuotesUnverified)
    def _quotes_unverified(self, event: QuotesUnverified) -> None:
        """Say at once that quotes of the ledger opened are not their articles' words: the
        detail pane says so only for the row under the cursor."""
        named = [
            f"{pid} statement {i + 1} ({'drifted' if anchor.found else 'not found'})"
            for pid, i, anchor in event.statements[:UNVERIFIED_NAMED]
        ]
        more = len(event.statements) - len(named)
        listed = ", ".join(named) + (f" and {more} more" if more else "")
        count = len(event.statements)
        self.notify(
            f"{count} {'quote is' if count == 1 else 'quotes are'} not the article's exact words: {listed}. "
            "The quote viewer (v) shows each; 'pledgetui check' lists them all.",
            title="Quotes not verified",
            severity="warning",
            timeout=20,
        )

    @on(LedgerLoading)
    def _loading(self, event: LedgerLoading) -> None:
        self.load_progress = (event.stage, event.fraction)

    @on(LedgerRowsArrived)
    def _rows_arrived(self, event: LedgerRowsArrived) -> None:
        if self.session is None and self.load_error is None:
            self.dashboard.rows_arrived(event.entries, event.fraction)

    @on(LedgerLoaded)
    def _loaded(self, event: LedgerLoaded) -> None:
        self.session = event.session
        self.articles = event.articles
        self._passage_index = event.passages
        self.publish("", None, index=event.index)
        shown = getattr(self, "_loaded_shown", None)
        if shown is not None:
            self.call_after_refresh(shown.set)
        self.dashboard.restore(self.preferences.view())
        conflicts = len(event.session.ledger.conflicts)
        if conflicts:
            self.notify(
                f"This ledger records {conflicts} merge conflict{'' if conflicts == 1 else 's'}: a merge kept ours where "
                "both sides changed a field. Press M to see each and pick a side; 'pledgetui check' lists them.",
                title="Merge conflicts",
                severity="warning",
                timeout=20,
            )
        if event.recovery is not None and self.read_only is None:
            # Opened read-only: another session's unsaved edits are neither restored nor discarded here.
            self.controller.offer_recovery(event.recovery)

    @on(LedgerLoadFailed)
    def _load_failed(self, event: LedgerLoadFailed) -> None:
        self.load_error = event.error
        self.dashboard.load_failed()  # the entries read before the problem was found are taken away
        from pledgetui.ui.screens.problems import ProblemsScreen

        self.push_screen(ProblemsScreen(event.error))

    @on(EntryTable.ColumnWidthsChanged)
    def _column_widths_changed(self, event: EntryTable.ColumnWidthsChanged) -> None:
        self.preferences.update(
            self, column_widths=tuple((k, event.widths[k]) for k in COLUMN_KEYS if k in event.widths)
        )

    @on(DashboardScreen.HiddenColumnsChosen)
    def _hidden_columns_chosen(self, event: DashboardScreen.HiddenColumnsChosen) -> None:
        self.preferences.update(self, hidden_columns=tuple(k for k in COLUMN_KEYS if k in event.hidden))

    def on_unmount(self) -> None:
        """Remember the theme, the ledger and the dashboard's view (its widgets may be gone by now);
        let another session edit the ledger."""
        if self._edit_lock is not None:
            self._edit_lock.release()
        dashboard: DashboardScreen | None = getattr(self, "_dashboard", None)
        self.preferences.remember(
            theme=self.theme,
            ledger=self.path if self.session is not None else None,
            view=dashboard.view_state() if dashboard is not None else None,
            notifier=self,
        )

    # ------------------------------------------------------------------ app-wide actions

    def _current_id(self) -> str | None:
        screen = self.screen_stack[0] if self.screen_stack else None
        current = screen.current if isinstance(screen, DashboardScreen) else None
        return current.id if current is not None else None

    def action_undo(self) -> None:
        self.controller.undo(self._current_id())

    def action_redo(self) -> None:
        self.controller.redo(self._current_id())

    def action_save(self) -> None:
        self.controller.save()

    async def action_quit(self) -> None:
        self.controller.quit()

    def action_help(self) -> None:
        from pledgetui.paths import locations
        from pledgetui.ui.screens.help import HelpScreen, bindings_for_help

        files = ("Where your data is (pledgetui paths)", [(what, str(where)) for what, where in locations(self.path)])
        self.push_screen(HelpScreen([*bindings_for_help(self), files]))

    def on_quote_viewer_passage_picked(self, event: QuoteViewer.PassagePicked) -> None:
        """A passage picked in the quote viewer: a new statement of an entry, or a new entry."""
        if event.entry_id is not None:
            self.controller.attach_evidence(event.entry_id, event.evidence)
        else:
            self.controller.new_with_evidence(event.evidence)

    def on_quote_viewer_article_text_accepted(self, event: QuoteViewer.ArticleTextAccepted) -> None:
        """``QuoteViewer.ArticleTextAccepted``: a drifted quote takes the article's words."""
        self.controller.accept_article_text(event.entry_id, event.index, event.text, event.start, event.end)

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if isinstance(screen, DashboardScreen):
            yield from screen.system_commands()
