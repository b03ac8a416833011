"""The session controller: every change to the ledger, every save, the quit guard and recovery.

The app holds one :class:`SessionController`. Screens ask it for changes
(``controller.edit(entry)``, ``controller.delete(entry, keep_id)`` ...); it asks the
user where needed, runs the change through :class:`pledgetui.session.EditSession`
(which validates and journals it before applying it) and publishes the result as
the app's one observable state (:class:`pledgetui.ui.state.LedgerChange`). It never
writes a file itself and never updates a view by name. It knows the app only as a
:class:`~pledgetui.ui.shell.SessionHost`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from textual.content import Content
from textual.message import Message

from pledgetui.sanitize import display_line
from pledgetui.ui.screens.choice import ChoiceScreen
from pledgetui.ui.text import join, safe_line

if TYPE_CHECKING:
    from pledgetui import journal, restore
    from pledgetui.merge import Side
    from pledgetui.model import Conflict, Entry, Evidence, Ledger
    from pledgetui.query import Index
    from pledgetui.session import EditSession
    from pledgetui.store import Loaded
    from pledgetui.suggest import Candidate
    from pledgetui.ui.shell import SessionHost
    from pledgetui.verify import Articles

# The editing layer (pydantic models, session, journal) is imported where it is
# first used, not here: the dashboard's first frame does not wait for it.

#: Lines of damage named in the recovery prompt; the rest are counted.
SHOWN_PROBLEMS = 6
#: Lines of changes and conflicts named before a merged restore is applied; the rest are counted.
SHOWN_CHANGES = 40


def copy_id(existing: set[str], base: str) -> str:
    """``base-2``, ``base-3`` ...: the first id of that shape not in ``existing``."""
    n = 2
    while f"{base}-{n}" in existing:
        n += 1
    return f"{base}-{n}"


def new_id(existing: set[str], base: str) -> str:
    """``base`` itself when free, else ``base-2``, ``base-3`` ...: a new entry is ``new-entry``."""
    return base if base not in existing else copy_id(existing, base)


def changed_entry(before: Ledger, after: Ledger) -> str | None:
    """The id of the first entry of ``after`` that is new or changed since ``before`` (None: only removals),
    by the comparison of two ledgers (:func:`pledgetui.compare.compare_entries`); an entry object both
    hold is the same entry without comparing it."""
    from pledgetui.compare import compare_entries

    old = {p.id: p for p in before.entries}
    return next(
        (p.id for p in after.entries if old.get(p.id) is not p and compare_entries(old.get(p.id), p) is not None),
        None,
    )


class SessionBusy(Message):
    """Progress of the controller's long operation (``what``: saving, reloading, restoring):
    ``fraction`` 0..1, or -1 when unknown. Posted to the app from the worker."""

    def __init__(self, what: str, fraction: float) -> None:
        super().__init__()
        self.what = what
        self.fraction = fraction


#: What a long operation's worker hands back: the work to finish on the UI thread.
Finish = Callable[[], None]


class SessionController:
    """Changes, saves and recovery for the app's one editing session.

    Whatever takes long (a save, a reload, a recovery) runs in a worker thread, one at a
    time: ``busy`` names it meanwhile, edits wait, and its progress goes to the app as
    :class:`SessionBusy` messages.
    """

    def __init__(self, host: SessionHost) -> None:
        self.host = host
        #: The long operation under way ("saving", "reloading", "restoring"), or None.
        self.busy: str | None = None
        #: Why nothing is edited now: the dashboard shows the ledger as of a day (derived, not
        #: editable); None: it shows today's. Saving what was edited before is still allowed.
        self.past: str | None = None
        self.quit_after_save = False

    @property
    def saving(self) -> bool:
        return self.busy == "saving"

    def _long(self, what: str, work: Callable[[Callable[[str, float], None]], Finish]) -> bool:
        """Run ``work(progress)`` in a worker thread, with ``busy`` set to ``what``; the ``Finish``
        it returns runs on the UI thread once it is done. False (and a message) if another long
        operation is still running: it is not started."""
        host = self.host
        if self.busy is not None:
            host.notify(f"Not started: {self.busy} is still under way; try again when it has finished.")
            return False
        self.busy = what
        host.update_title()
        last = [-2]

        def progress(stage: str, fraction: float) -> None:
            step = int(fraction * 20) if fraction >= 0 else -1  # at most every 5%
            if step != last[0]:
                last[0] = step
                host.post_message(SessionBusy(what, fraction))

        def finished(finish: Finish) -> None:
            self.busy = None
            host.update_title()
            finish()

        def run() -> None:
            finish = work(progress)
            host.call_from_thread(finished, finish)

        host.run_worker(run, thread=True, exclusive=True, group=what)
        return True

    def _loaded_index(self, ledger: Ledger) -> Index:
        """The search index of a ledger just read, built and prepared (in a worker, with the
        collector paused: not on the UI thread)."""
        from pledgetui.query import Index

        index = Index(ledger)
        _ = index.counter_positions  # the count line needs them at once
        index.prepare()
        return index

    # ------------------------------------------------------------------ helpers

    @property
    def session(self) -> EditSession | None:
        return self.host.session

    def editable(self, *, saving: bool = False) -> EditSession | None:
        """The session, for an action that edits or saves; None (and a message) when there is
        none, while a reload, a restore or a save is under way (what a form opened then takes
        in would be refused or land on a ledger about to change), or when the ledger is
        opened read-only (the bundled ledger)."""
        host, session = self.host, self.host.session
        if session is None:
            if host.load_error is not None:
                host.notify("The ledger could not be opened; nothing can be edited or saved.", severity="error")
            else:
                host.notify("The ledger is still loading.", severity="warning")
            return None
        if self.busy is not None:  # a form opened now would be applied to a ledger about to change
            host.notify(
                f"{self.busy.capitalize()} is under way; try again when it has finished.",
                severity="warning",
            )
            return None
        if self.past is not None and not saving:
            host.notify(self.past, title="As of a day", severity="warning", timeout=10)
            return None
        if session.read_only is not None:
            host.notify(
                f"{display_line(session.path.name)} is opened read-only: {session.read_only}.",
                title="Read-only",
                severity="warning",
                timeout=12,
            )
            return None
        return session

    def apply(
        self, change: Callable[[], str], keep_id: str | Callable[[], str | None] | None, statement: int | None = None
    ) -> bool:
        """Run one session edit and publish the new ledger; report a refusal without changing anything.

        ``keep_id`` is the entry the cursor goes to, or a function that names it once the edit is made.
        """
        from pledgetui.edits import EditError
        from pledgetui.journal import JournalError

        host = self.host
        if self.busy is not None:
            host.notify(
                f"{self.busy.capitalize()}: the edit was not made; try again when it has finished.", severity="warning"
            )
            return False
        try:
            description = change()
        except EditError as exc:
            host.notify(f"Not changed: {exc}", title="Edit refused", severity="error", timeout=8)
            return False
        except JournalError as exc:
            host.notify(f"Not changed: the recovery journal could not be written ({exc})", severity="error")
            return False
        host.publish(description, keep_id() if callable(keep_id) else keep_id, statement)
        aside = self.session.take_set_aside() if self.session is not None else None
        if aside is not None:
            host.notify(
                f"The unsaved edits of an earlier session were set aside, not lost:\n{aside}\n"
                "They will be offered again the next time you open this ledger.",
                title="Earlier edits set aside",
                severity="warning",
                timeout=20,
            )
        return True

    # ------------------------------------------------------------------ entries

    def edit(self, entry: Entry) -> None:
        session = self.editable()
        if session is None:
            return
        from pledgetui.ui.screens.edit_entry import EditEntry

        def done(result: Entry | None) -> None:
            if result is not None and result != entry:
                self.apply(lambda: session.put_entry(result, replace_id=entry.id), result.id)

        self.host.push_screen(EditEntry(session.ledger, entry, replace_id=entry.id, title=f"Edit {entry.id}"), done)

    def add_copy(self, entry: Entry) -> None:
        session = self.editable()
        if session is None:
            return
        existing = {p.id for p in session.ledger.entries}
        copy = entry.model_copy(update={"id": copy_id(existing, entry.id)})
        self.open_new(copy, f"New entry (copy of {entry.id})")

    def open_new(self, template: Entry, title: str, statement: int | None = None) -> None:
        """The form for a new entry; ``statement``: the statement a viewer moves to once it is
        applied (the passage it was started from), None: a viewer stays where it is."""
        session = self.editable()
        if session is None:
            return
        from pledgetui.ui.screens.edit_entry import EditEntry

        def done(result: Entry | None) -> None:
            if result is not None:
                self.apply(lambda: session.put_entry(result), result.id, statement)

        self.host.push_screen(EditEntry(session.ledger, template, replace_id=None, title=title), done)

    def new_with_evidence(self, evidence: Evidence) -> None:
        """A blank entry whose first statement is ``evidence`` (picked in the quote viewer)."""
        session = self.editable()
        if session is None:
            return
        from pledgetui.model import Entry

        existing = {p.id for p in session.ledger.entries}
        template = Entry.model_construct(
            id=new_id(existing, "new-entry"),
            actor="",
            summary="",
            commitment=None,  # a draft: the form asks for it
            evidence=(evidence,),
            **{
                k: v.default
                for k, v in Entry.model_fields.items()
                if k not in {"id", "actor", "summary", "commitment", "evidence"}
            },
        )
        self.open_new(template, "New entry", statement=0)

    def delete(self, entry: Entry, keep_id: str | None) -> None:
        """Delete ``entry`` after asking; the cursor moves to ``keep_id``."""
        session = self.editable()
        if session is None:
            return

        def done(answer: str | None) -> None:
            if answer == "delete":
                self.apply(lambda: session.delete_entry(entry.id), keep_id)

        message = join(
            "Delete ", safe_line(entry.id, "bold"), " (", safe_line(entry.summary), ")?\nUndo (ctrl+z) brings it back."
        )
        kind = "counter-position" if entry.is_counter else "pledge"
        self.host.push_screen(
            ChoiceScreen(f"Delete {kind}", message, [("y", "delete", "Delete"), ("n", "keep", "Keep")]), done
        )

    def resolve_conflict(self, conflict: Conflict, side: Side) -> bool:
        """Keep ``side``'s value for a conflict a merge recorded (journaled, undoable); the cursor
        goes to the conflict's entry. False when refused (read-only, busy, or the value cannot stand)."""
        session = self.editable()
        if session is None:
            return False
        return self.apply(lambda: session.resolve_conflict(conflict, side), conflict.entry)

    def attach_evidence(self, entry_id: str, evidence: Evidence) -> None:
        """Add ``evidence`` (a passage picked in the quote viewer) as a new statement of
        ``entry_id``: the edit form opens with it, for its stance (who says it, how firmly)."""
        session = self.editable()
        entry = session.ledger.entry(entry_id) if session is not None else None
        if session is None or entry is None:
            return
        from pledgetui.ui.screens.edit_entry import EditEntry

        draft = entry.model_copy(update={"evidence": (*entry.evidence, evidence)})
        statement = len(draft.evidence) - 1

        def done(result: Entry | None) -> None:
            if result is not None:
                self.apply(lambda: session.put_entry(result, replace_id=entry_id), result.id, statement)

        title = f"Add statement {statement + 1} to {entry_id}: who says it, and how firmly"
        form = EditEntry(session.ledger, draft, replace_id=entry_id, title=title, focus_statement=statement)
        self.host.push_screen(form, done)

    def accept_article_text(self, entry_id: str, index: int, text: str, start: int, end: int) -> bool:
        """A drifted quote: take the article's words (a journaled, undoable edit)."""
        session = self.editable()
        return session is not None and self.apply(
            lambda: session.accept_article_text(entry_id, index, text, start, end), entry_id, index
        )

    def import_article(self) -> None:
        session = self.editable()
        if session is None:
            return
        from pledgetui.ui.screens.import_article import ImportArticle, ImportRequest

        def done(request: ImportRequest | None) -> None:
            if request is None:
                return
            if self.apply(lambda: session.add_source(request.source, request.text), None):
                articles = self.host.articles
                if articles is not None:
                    articles.problems.pop(request.source.id, None)
                self.suggest_statements(request.source.id, request.source.title, request.text, request.source.date)

        self.host.push_screen(ImportArticle(session.ledger), done)

    def suggest_statements(self, source_id: str, title: str, text: str, date: dt.date | None) -> None:
        """The article beside its candidate statements (:mod:`pledgetui.suggest`); accepting one
        opens the add form filled in with it."""
        from pledgetui.ui.screens.intake import IntakeScreen

        self.host.push_screen(
            IntakeScreen(
                source_id, title, text, lambda c: self.new_from_candidate(source_id, text, c), article_date=date
            )
        )

    def new_from_candidate(self, source_id: str, text: str, candidate: Candidate) -> None:
        """The add form, filled in from a candidate statement (its quote anchored in ``text``)."""
        session = self.editable()
        if session is None:
            return
        from pledgetui.suggest import draft_entry

        template = draft_entry(candidate, source_id, text, {p.id for p in session.ledger.entries})
        self.open_new(template, f"New entry from {source_id}: confirm or correct the proposal")

    # ------------------------------------------------------------------ undo / redo

    def undo(self, keep_id: str | None) -> None:
        """Undo the last edit; the cursor goes to the entry it changed (else stays on ``keep_id``)."""
        session = self.editable()
        if session is None:
            return
        if not session.can_undo:
            self.host.notify("Nothing to undo.")
            return
        self._step(session, session.undo, "undo: ", keep_id)

    def redo(self, keep_id: str | None) -> None:
        session = self.editable()
        if session is None:
            return
        if not session.can_redo:
            self.host.notify("Nothing to redo.")
            return
        self._step(session, session.redo, "redo: ", keep_id)

    def _step(self, session: EditSession, step: Callable[[], str], prefix: str, keep_id: str | None) -> None:
        before = session.ledger
        self.apply(lambda: prefix + step(), lambda: changed_entry(before, session.ledger) or keep_id)

    # ------------------------------------------------------------------ saving

    def save(self) -> None:
        session = self.editable(saving=True)
        if session is None:
            return
        if self.saving:
            self.host.notify("A save is already running.")
            return
        if not session.dirty and not session.changed_on_disk():
            self.host.notify("No unsaved changes.")
            return
        self.start_save("save")

    def start_save(self, kind: str, *, then_quit: bool = False) -> None:
        """Save in a worker thread (a large ledger takes seconds); edits wait until it ends.

        A save already running is never started again (it writes the ledger as it is: edits
        wait for it); asked to quit after it, it quits once it has saved."""
        if self.saving:
            self.quit_after_save = self.quit_after_save or then_quit
            return
        session = self.session
        assert session is not None

        def work(progress: Callable[[str, float], None]) -> Finish:
            from pledgetui import filesave

            error: str | None = None
            conflict = False
            try:
                if kind == "overwrite":
                    session.overwrite()
                else:
                    session.save()
            except filesave.ConflictError:
                conflict = True
            except (filesave.SaveError, OSError) as exc:
                error = str(exc)
            return lambda: self._save_finished(error, conflict)

        if self._long("saving", work):
            self.quit_after_save = then_quit

    def _save_finished(self, error: str | None, conflict: bool) -> None:
        host = self.host
        quit_after = self.quit_after_save
        self.quit_after_save = False
        if conflict:
            self.offer_conflict()
        elif error is not None:
            host.notify(error, title="Not saved", severity="error", timeout=12)
        else:
            self._saved_ok()
            if quit_after and self.session is not None:
                self.session.close()
                host.exit(0)

    def _saved_ok(self) -> None:
        session = self.session
        assert session is not None
        self.host.update_title()
        n = sum(1 for p in session.ledger.entries if not p.is_counter)
        counters = len(session.ledger.entries) - n
        self.host.notify(
            f"Saved {n} pledges and {counters} counter-positions to {session.path} (previous version kept as .bak)"
        )

    def offer_conflict(self) -> None:
        from pledgetui import filesave, ledgerfile

        session = self.session
        assert session is not None

        def done(answer: str | None) -> None:
            try:
                if answer == "merge":
                    self.merge_onto_disk()
                elif answer == "reload":
                    self.reload_from_disk("reloaded from disk; your edits were dropped", None)
                elif answer == "overwrite":
                    self.start_save("overwrite")
                elif answer == "copy":
                    target = _free_name(session.path)
                    session.save_copy(target)
                    self.host.notify(
                        f"Saved a copy to {display_line(str(target))}; {display_line(session.path.name)} is unchanged",
                        timeout=10,
                    )
            except (filesave.SaveError, ledgerfile.LedgerError) as exc:
                self.host.notify(str(exc), title="Not saved", severity="error", timeout=12)

        message = join(
            safe_line(str(session.path), "bold"),
            "\nchanged on disk since it was read (another program or window wrote it: git pull, a teammate).\n"
            "Merge keeps both: your unsaved edits merged onto the file as it is now, entry by entry "
            "(a field both changed keeps the file's value and is recorded as a conflict: M); then save. "
            "Reload drops your unsaved edits; Overwrite replaces the outside change; "
            "Save a copy writes your version next to it.",
        )
        self.host.push_screen(
            ChoiceScreen(
                "The file changed on disk",
                message,
                [
                    ("m", "merge", "Merge"),
                    ("c", "copy", "Save a copy"),
                    ("r", "reload", "Reload"),
                    ("o", "overwrite", "Overwrite"),
                ],
            ),
            done,
        )

    # ------------------------------------------------------------------ the file edited outside

    def reload_edited_file(self, keep_id: str | None) -> None:
        """The ledger file was edited outside (in ``$EDITOR``): take it if it is valid (the cursor
        stays on ``keep_id``), else show its problems and leave the session as it was. The file is
        read once, in a worker."""
        session = self.session
        assert session is not None
        self.reload_from_disk(f"Reloaded {display_line(session.path.name)} after editing", keep_id, edited=True)

    def reload_from_disk(
        self, description: str, keep_id: str | None, *, edited: bool = False, then: Callable[[], None] | None = None
    ) -> bool:
        """Read the ledger file again in a worker, with progress, and make it the session's ledger,
        dropping the session's edits (ask first). A file with problems leaves the session as it was
        and the problems are shown. ``edited``: the file was edited outside, so its articles are
        read again too. ``then``: run once the reloaded ledger is shown."""
        from pledgetui import gcpause, ledgerfile, store

        host, session = self.host, self.session
        assert session is not None

        def failed(exc: ledgerfile.LedgerError) -> Finish:
            def finish() -> None:
                lines = [*exc.report(), "The dashboard still shows the ledger as it was."]
                if edited:
                    lines[-1] += " Press E to fix the file (a save now would ask before replacing it)."
                title = "The edited file has problems" if edited else "Not reloaded"
                host.notify("\n".join(lines), title=title, severity="error", timeout=30)

            return finish

        def work(progress: Callable[[str, float], None]) -> Finish:
            from pledgetui.verify import Articles

            try:
                loaded = store.load(session.path, use_cache=not edited, progress=progress)
            except ledgerfile.LedgerError as exc:
                return failed(exc)
            # The collector paused, as loading does: full collections walking a ledger being built
            # hold the GIL for hundreds of milliseconds at 100k entries, freezing the UI thread.
            with gcpause.gc_paused():
                index = self._loaded_index(loaded.ledger)
            articles = Articles(session.path) if edited else None
            return lambda: self._reloaded(session, loaded, index, articles, description, keep_id, then)

        return self._long("reloading", work)

    def merge_onto_disk(self) -> bool:
        """Keep the unsaved edits, merged onto the ledger file as another program wrote it since
        (:meth:`EditSession.merge_onto`): read in a worker, merged and shown as one undoable
        step; the conflicts, if any, are named. Nothing is written to the ledger file."""
        from pledgetui import gcpause, ledgerfile, store
        from pledgetui.journal import JournalError

        host, session = self.host, self.editable()
        if session is None:
            return False

        def work(progress: Callable[[str, float], None]) -> Finish:
            try:
                loaded = store.load(session.path, progress=progress)
            except ledgerfile.LedgerError as exc:
                lines = [*exc.report(), "Nothing was merged: the dashboard still shows your edits."]
                return lambda: host.notify("\n".join(lines), title="Not merged", severity="error", timeout=30)

            def merged() -> None:
                if host.session is not session:
                    return
                try:
                    result, left = session.merge_onto(loaded)
                except (JournalError, OSError) as exc:
                    host.notify(f"Not merged: {exc}", title="Not merged", severity="error", timeout=12)
                    return
                with gcpause.gc_paused():
                    index = self._loaded_index(session.ledger)
                n = len(result.conflicts)
                said = (
                    f"{n} field{'s' if n != 1 else ''} both changed: the file's value kept and recorded (M to pick)"
                    if n
                    else "no conflict"
                )
                host.publish(
                    f"merged your edits onto {session.path.name} as changed on disk; {said}", None, index=index
                )
                if left is not None:
                    host.notify(
                        f"The earlier journal could not be removed: {display_line(str(left))}", severity="warning"
                    )

            return merged

        return self._long("merging", work)

    def _reloaded(
        self,
        session: EditSession,
        loaded: Loaded,
        index: Index,
        articles: Articles | None,
        description: str,
        keep_id: str | None,
        then: Callable[[], None] | None = None,
    ) -> None:
        host = self.host
        if host.session is not session:
            return  # the session was replaced meanwhile: nothing to reload into
        session.reload(loaded)
        if articles is not None:
            host.articles = articles
        host.publish(description, keep_id, index=index)
        if then is not None:
            then()

    # ------------------------------------------------------------------ quitting and recovery

    def quit(self) -> None:
        host, session = self.host, self.session
        if self.saving:  # the save writes every edit (edits wait for it): quit once it has
            self.quit_after_save = True
            host.notify("Quitting once the save has finished.")
            return
        if self.busy is not None:
            host.notify(f"Not quitting: {self.busy} is under way; quit again when it has finished.")
            return
        if session is None or not session.dirty:
            if session is not None:
                session.discard()  # edits undone back to the file: nothing to recover next time
            host.exit(0)
            return

        def done(answer: str | None) -> None:
            if answer == "save":
                self.start_save("save", then_quit=True)
            elif answer == "discard":
                session.discard()
                host.exit(0)

        host.push_screen(
            ChoiceScreen(
                "Unsaved changes",
                Content("The ledger has unsaved changes."),
                [
                    ("s", "save", "Save and quit"),
                    ("d", "discard", "Discard and quit"),
                    ("escape", "cancel", "Keep editing"),
                ],
            ),
            done,
        )

    def offer_recovery(self, recovery: journal.Recovery) -> None:
        from pledgetui import journal

        host = self.host
        if recovery.unreadable is not None:
            text = (
                f"A recovery journal of an earlier session could not be used: {recovery.unreadable}.\n"
                f"Nothing was deleted: it is kept as\n{recovery.kept}\n"
                "The ledger file is unchanged."
            )
            host.push_screen(ChoiceScreen("Recovery journal kept aside", Content(text), [("enter", "ok", "OK")]))
            return

        def done(answer: str | None) -> None:
            if answer == "restore":
                if recovery.file_changed:
                    self.preview_restore(recovery)
                else:
                    self.restore(recovery)
            elif answer == "discard":
                journal.discard(recovery.ledger_path)
                host.notify("Unsaved edits from the earlier session were discarded.")

        when = f"last at {recovery.last.astimezone():%Y-%m-%d %H:%M}" if recovery.last else "time unknown"
        if recovery.already_in_file:
            self._offer_nothing_to_restore(recovery, f"{recovery.edits} unsaved edit(s) ({when})")
            return
        text = (
            f"{recovery.edits} unsaved edit(s) from a session that ended without saving ({when}).\n"
            + (
                "The file has changed since: Restore merges them onto it as it is now and shows what "
                "that changes before applying it, never bringing back what was saved since (if the "
                "version they were made on is unknown, they are replayed onto it and saving asks first).\n"
                if recovery.file_changed
                else ""
            )
            + _problems_text(recovery)
            + "Restore them, or discard them for good? Later asks again next time; if you edit now, "
            "they are set aside in the state folder (never deleted) and offered again at the next start."
        )
        host.push_screen(
            ChoiceScreen(
                "Recover unsaved edits",
                Content(text),
                [("r", "restore", "Restore"), ("d", "discard", "Discard"), ("l", "later", "Later")],
            ),
            done,
        )

    def _offer_nothing_to_restore(self, recovery: journal.Recovery, what: str) -> None:
        """The file, saved since, already holds every edit of the journal: say so, and keep the
        journal unless the user discards it."""
        from pledgetui import journal

        def done(answer: str | None) -> None:
            if answer == "discard":
                journal.discard(recovery.ledger_path)
                self.host.notify("The earlier session's edits, already in the file, were discarded.")

        text = (
            f"{what} from a session that ended without saving are all in the file already: it was saved "
            "since with the same changes, so restoring them would change nothing.\n"
            + _problems_text(recovery)
            + "Discard them? Later keeps them: they are offered again at the next start (never deleted "
            "without your say)."
        )
        self.host.push_screen(
            ChoiceScreen("Nothing to restore", Content(text), [("d", "discard", "Discard"), ("l", "later", "Later")]),
            done,
        )

    def preview_restore(self, recovery: journal.Recovery) -> bool:
        """The file changed since the journal began: merge its edits onto the file as it is now
        (in a worker) and show what that changes, and any conflict, before anything is applied."""

        def work(progress: Callable[[str, float], None]) -> Finish:
            from pledgetui import gcpause, ledgerfile, restore

            progress("merging the journal onto the file", -1)
            with gcpause.gc_paused():
                try:
                    plan = restore.plan(recovery.ledger_path)
                except (ledgerfile.LedgerError, LookupError, ValueError) as exc:
                    message = f"Could not restore: {exc}"
                    return lambda: self.host.notify(message, severity="error")
            return lambda: self._show_plan(recovery, plan)

        return self._long("restoring", work)

    def _show_plan(self, recovery: journal.Recovery, plan: restore.Plan) -> None:
        from pledgetui import restore

        if plan.merged is None:  # which file the edits were made on is unknown: replayed onto this one
            self.restore(recovery)
            return
        if plan.nothing_to_restore:
            self._offer_nothing_to_restore(recovery, f"The {recovery.edits} unsaved edit(s)")
            return

        def done(answer: str | None) -> None:
            if answer == "apply":
                self.restore_merged(recovery, plan)

        lines = restore.describe_plan(plan)
        shown = [display_line(line) for line in lines[:SHOWN_CHANGES]]
        if len(lines) > SHOWN_CHANGES:
            shown.append(f"... and {len(lines) - SHOWN_CHANGES} more")
        text = (
            "The ledger file was saved since these edits were made. Merged onto it as it is now, "
            "restoring changes this (nothing saved since is brought back):\n"
            + "\n".join(shown)
            + "\nApply leaves the result unsaved (undo takes it back); Later keeps the edits for the next start."
        )
        self.host.push_screen(
            ChoiceScreen(
                "Restore onto the changed file", Content(text), [("a", "apply", "Apply"), ("l", "later", "Later")]
            ),
            done,
        )

    def restore_merged(self, recovery: journal.Recovery, plan: restore.Plan) -> bool:
        """Apply a merged restore (in a worker): the session on the file as it is now, holding the
        merged edits as one undoable step."""

        def work(progress: Callable[[str, float], None]) -> Finish:
            from pledgetui import gcpause
            from pledgetui.journal import JournalError
            from pledgetui.session import EditSession

            progress("restoring", -1)
            with gcpause.gc_paused():
                try:
                    session, kept = EditSession.restore_merged(plan)
                except (LookupError, ValueError, JournalError, OSError) as exc:
                    message = f"Could not restore: {exc}"
                    return lambda: self.host.notify(message, severity="error")
                index = self._loaded_index(session.ledger)

            def finish() -> None:
                self.host.session = session
                self.host.publish(
                    "restored the unsaved edits, merged onto the file as saved since; save with ctrl+s",
                    None,
                    index=index,
                )
                if kept is not None:
                    self.host.notify(
                        f"The restored journal could not be removed; it stays as\n{kept}", severity="warning"
                    )

            return finish

        return self._long("restoring", work)

    def restore(self, recovery: journal.Recovery) -> bool:
        """Replay the journaled edits of an ended session in a worker, with progress, and make
        the session they build the app's."""

        def work(progress: Callable[[str, float], None]) -> Finish:
            from pledgetui import gcpause, ledgerfile
            from pledgetui.journal import JournalError
            from pledgetui.session import EditSession

            progress("replaying the journal", -1)
            # The collector paused, as loading does: full collections walking the ledgers being
            # built hold the GIL for hundreds of milliseconds at 100k entries (measured: 270 ms).
            with gcpause.gc_paused():
                try:
                    session = EditSession.recover(recovery.ledger_path)
                except (ledgerfile.LedgerError, LookupError, ValueError, JournalError) as exc:
                    message = f"Could not restore: {exc}"
                    return lambda: self.host.notify(message, severity="error")
                index = self._loaded_index(session.ledger)
            return lambda: self._restored(session, index, recovery)

        return self._long("restoring", work)

    def _restored(self, session: EditSession, index: Index, recovery: journal.Recovery) -> None:
        host = self.host
        host.session = session
        host.publish(
            f"restored {recovery.edits - recovery.skipped} unsaved edit(s); save with ctrl+s", None, index=index
        )


def _problems_text(recovery: journal.Recovery) -> str:
    """The damage found in a journal, line by line, and where a copy of it is kept."""
    if not recovery.problems:
        return ""
    lines = ["The journal is damaged; these lines are left out, everything else is offered:"]
    lines += [f"  {display_line(str(d))}" for d in recovery.problems[:SHOWN_PROBLEMS]]
    if len(recovery.problems) > SHOWN_PROBLEMS:
        lines.append(f"  ... and {len(recovery.problems) - SHOWN_PROBLEMS} more")
    if recovery.kept is not None:
        lines.append(f"A copy of the journal as found is kept as\n{recovery.kept}")
    return "\n".join(lines) + "\n"


def _free_name(path: Path) -> Path:
    n = 1
    while True:
        candidate = path.with_name(f"{path.stem}.copy{'' if n == 1 else n}{path.suffix}")
        if not candidate.exists():
            return candidate
        n += 1
