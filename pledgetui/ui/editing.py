"""Editing actions of the dashboard: edit, add, delete, undo/redo, save with conflict handling, recovery.

Every change goes through :class:`pledgetui.session.EditSession`, which validates
it and journals it before applying it; this module only asks the user and shows
the outcome. Nothing here writes a file by itself.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.content import Content
from textual.message import Message

from pledgetui.sanitize import display_line
from pledgetui.ui.screens.choice import ChoiceScreen
from pledgetui.ui.text import join, safe_line

if TYPE_CHECKING:
    from pledgetui import journal
    from pledgetui.model import Entry, Evidence
    from pledgetui.session import EditSession
    from pledgetui.ui.app import PledgeApp

# The editing layer (pydantic models, session, journal) is imported where it is
# first used, not here: the dashboard's first frame does not wait for it.


def _copy_id(existing: set[str], base: str) -> str:
    n = 2
    while f"{base}-{n}" in existing:
        n += 1
    return f"{base}-{n}"


class SaveFinished(Message):
    """A save in the worker thread ended: ``error`` holds the message when it failed."""

    def __init__(self, kind: str, error: str | None, *, conflict: bool) -> None:
        super().__init__()
        self.kind = kind
        self.error = error
        self.conflict = conflict


class EditingActions:
    """Mixed into :class:`PledgeApp`; relies on its ``session``, ``table`` and ``after_edit``."""

    # ------------------------------------------------------------------ helpers

    def _session(self: PledgeApp) -> EditSession | None:
        """The session, for an action that edits or saves; None (and a message) when there is none,
        or when the ledger is opened read-only (the bundled ledger)."""
        if self.session is None:
            if self.load_error is not None:
                self.notify("The ledger could not be opened; nothing can be edited or saved.", severity="error")
            else:
                self.notify("The ledger is still loading.", severity="warning")
        elif self.session.read_only is not None:
            self.notify(
                f"{self.session.path.name} is opened read-only: {self.session.read_only}.",
                title="Read-only",
                severity="warning",
                markup=False,
                timeout=12,
            )
            return None
        return self.session

    def _apply(self: PledgeApp, change, keep_id: str | None) -> bool:
        """Run one session edit; report a refusal without changing anything."""
        from pledgetui.edits import EditError
        from pledgetui.journal import JournalError

        if self.saving:
            self.notify("Saving: the edit was not made; try again when the save has finished.", severity="warning")
            return False
        try:
            desc = change()
        except EditError as exc:
            self.notify(f"Not changed: {exc}", title="Edit refused", severity="error", markup=False, timeout=8)
            return False
        except JournalError as exc:
            self.notify(
                f"Not changed: the recovery journal could not be written ({exc})", severity="error", markup=False
            )
            return False
        self.after_edit(desc, keep_id)
        return True

    # ------------------------------------------------------------------ edit / add / delete

    def action_edit(self: PledgeApp) -> None:
        session = self._session()
        pledge = self.table.current_entry
        if session is None or pledge is None:
            return
        from pledgetui.ui.screens.edit_entry import EditEntry

        def done(result: Entry | None) -> None:
            if result is not None and result != pledge:
                self._apply(lambda: session.put_entry(result, replace_id=pledge.id), result.id)

        self.push_screen(EditEntry(session.ledger, pledge, replace_id=pledge.id, title=f"Edit {pledge.id}"), done)

    def action_add_copy(self: PledgeApp) -> None:
        session = self._session()
        pledge = self.table.current_entry
        if session is None or pledge is None:
            return
        existing = {p.id for p in session.ledger.entries}
        copy = pledge.model_copy(update={"id": _copy_id(existing, pledge.id)})
        self.open_new_pledge(copy, f"New pledge (copy of {pledge.id})")

    def open_new_pledge(self: PledgeApp, template: Entry, title: str) -> None:
        session = self._session()
        if session is None:
            return
        from pledgetui.ui.screens.edit_entry import EditEntry

        def done(result: Entry | None) -> None:
            if result is not None:
                self._apply(lambda: session.put_entry(result), result.id)

        self.push_screen(EditEntry(session.ledger, template, replace_id=None, title=title), done)

    def new_pledge_with_evidence(self: PledgeApp, evidence: Evidence) -> None:
        """A blank pledge whose first quote is ``evidence`` (picked in the quote viewer)."""
        session = self._session()
        if session is None:
            return
        from pledgetui.model import Entry

        existing = {p.id for p in session.ledger.entries}
        template = Entry.model_construct(
            id=_copy_id(existing, "new-pledge"),
            actor="",
            summary="",
            commitment=None,
            evidence=(evidence,),
            **{
                k: v.default
                for k, v in Entry.model_fields.items()
                if k not in {"id", "actor", "summary", "commitment", "evidence"}
            },
        )
        self.open_new_pledge(template, "New pledge")

    def action_add_blank(self: PledgeApp) -> None:
        self.notify(
            "A pledge starts from its evidence: open the quote viewer (v), select a passage and press N.",
            title="New pledge",
            markup=False,
        )
        self.action_open_quote()

    def action_delete(self: PledgeApp) -> None:
        session = self._session()
        pledge = self.table.current_entry
        if session is None or pledge is None:
            return
        row = self.table.cursor

        def done(answer: str | None) -> None:
            if answer == "delete":
                view = self.table.view
                nxt = view[row + 1] if row + 1 < len(view) else (view[row - 1] if row > 0 else None)
                keep_id = self.table.entries[nxt].id if nxt is not None else None
                self._apply(lambda: session.delete_entry(pledge.id), keep_id)

        message = join(
            "Delete ",
            safe_line(pledge.id, "bold"),
            " (",
            safe_line(pledge.summary),
            ")?\nUndo (ctrl+z) brings it back.",
        )
        self.push_screen(
            ChoiceScreen("Delete pledge", message, [("y", "delete", "Delete"), ("n", "keep", "Keep")]), done
        )

    def attach_evidence(self: PledgeApp, entry_id: str, evidence: Evidence, viewer=None) -> None:
        """Add ``evidence`` (a passage picked in the quote viewer) as a new statement of
        ``entry_id``: the edit form opens with it, for its stance (who says it, how firm)."""
        session = self._session()
        pledge = session.ledger.entry(entry_id) if session is not None else None
        if session is None or pledge is None:
            return
        from pledgetui.ui.screens.edit_entry import EditEntry

        draft = pledge.model_copy(update={"evidence": pledge.evidence + (evidence,)})

        def done(result: Entry | None) -> None:
            if result is not None and self._apply(lambda: session.put_entry(result, replace_id=entry_id), result.id):
                if viewer is not None:
                    viewer.update_ledger(self.ledger, result.id)

        title = f"Add statement {len(draft.evidence)} to {entry_id}: who says it, and how firmly"
        self.push_screen(EditEntry(session.ledger, draft, replace_id=entry_id, title=title), done)

    def accept_article_text(self: PledgeApp, entry_id: str, index: int, text: str, start: int, end: int) -> bool:
        """A drifted quote: take the article's words (a journaled, undoable edit)."""
        session = self._session()
        return session is not None and self._apply(
            lambda: session.accept_article_text(entry_id, index, text, start, end), entry_id
        )

    # ------------------------------------------------------------------ undo / redo

    def action_undo(self: PledgeApp) -> None:
        session = self._session()
        if session is None:
            return
        if not session.can_undo:
            self.notify("Nothing to undo.")
            return
        current = self.table.current_entry
        self._apply(lambda: "undo: " + session.undo(), current.id if current else None)

    def action_redo(self: PledgeApp) -> None:
        session = self._session()
        if session is None:
            return
        if not session.can_redo:
            self.notify("Nothing to redo.")
            return
        current = self.table.current_entry
        self._apply(lambda: "redo: " + session.redo(), current.id if current else None)

    # ------------------------------------------------------------------ saving

    def action_save(self: PledgeApp) -> None:
        session = self._session()
        if session is None:
            return
        if self.saving:
            self.notify("A save is already running.")
            return
        if not session.dirty and not session.changed_on_disk():
            self.notify("No unsaved changes.")
            return
        self.start_save("save")

    def start_save(self: PledgeApp, kind: str, *, then_quit: bool = False) -> None:
        """Save in a worker thread (a large ledger takes seconds); edits wait until it ends."""
        self.saving = True
        self.quit_after_save = then_quit
        self.update_title()
        self._save_in_thread(kind)

    @work(thread=True, exclusive=True, group="save")
    def _save_in_thread(self: PledgeApp, kind: str) -> None:
        from pledgetui import store

        session = self.session
        assert session is not None
        try:
            if kind == "overwrite":
                session.overwrite()
            else:
                session.save()
        except store.ConflictError:
            self.post_message(SaveFinished(kind, None, conflict=True))
        except (store.SaveError, OSError) as exc:
            self.post_message(SaveFinished(kind, str(exc), conflict=False))
        else:
            self.post_message(SaveFinished(kind, None, conflict=False))

    def on_save_finished(self: PledgeApp, event: SaveFinished) -> None:
        self.saving = False
        quit_after = self.quit_after_save
        self.quit_after_save = False
        self.update_title()
        if event.conflict:
            self._offer_conflict()
        elif event.error is not None:
            self.notify(event.error, title="Not saved", severity="error", markup=False, timeout=12)
        else:
            self.saved_ok()
            if quit_after and self.session is not None:
                self.session.close()
                self.exit(0)

    def saved_ok(self: PledgeApp) -> None:
        assert self.session is not None
        self.update_title()
        n = sum(1 for p in self.session.ledger.entries if not p.is_counter)
        self.notify(f"Saved {n} pledges to {self.session.path} (previous version kept as .bak)", markup=False)

    def _offer_conflict(self: PledgeApp) -> None:
        from pledgetui import store

        session = self.session
        assert session is not None

        def done(answer: str | None) -> None:
            try:
                if answer == "reload":
                    session.reload()
                    self.after_edit("reloaded from disk; your edits were dropped", None)
                elif answer == "overwrite":
                    self.start_save("overwrite")
                elif answer == "copy":
                    target = _free_name(session.path)
                    session.save_copy(target)
                    self.notify(f"Saved a copy to {target}; {session.path.name} is unchanged", markup=False, timeout=10)
            except (store.SaveError, store.LedgerError) as exc:
                self.notify(str(exc), title="Not saved", severity="error", markup=False, timeout=12)

        message = join(
            safe_line(str(session.path), "bold"),
            "\nchanged on disk since it was read (another program or window edited it).\n"
            "Reload drops your unsaved edits; Overwrite replaces the outside change; "
            "Save a copy writes your version next to it.",
        )
        self.push_screen(
            ChoiceScreen(
                "The file changed on disk",
                message,
                [("c", "copy", "Save a copy"), ("r", "reload", "Reload"), ("o", "overwrite", "Overwrite")],
            ),
            done,
        )

    # ------------------------------------------------------------------ quitting and recovery

    async def action_quit(self: PledgeApp) -> None:
        session = self.session
        if session is None or not session.dirty:
            if session is not None:
                session.discard()  # edits undone back to the file: nothing to recover next time
            self.exit(0)
            return

        def done(answer: str | None) -> None:
            if answer == "save":
                self.start_save("save", then_quit=True)
            elif answer == "discard":
                session.discard()
                self.exit(0)

        self.push_screen(
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

    def offer_recovery(self: PledgeApp, recovery: journal.Recovery) -> None:
        from pledgetui import journal, store
        from pledgetui.journal import JournalError
        from pledgetui.session import EditSession

        if recovery.unreadable is not None:
            text = (
                f"A recovery journal of an earlier session could not be used: {recovery.unreadable}.\n"
                f"Nothing was deleted: it is kept as\n{recovery.kept}\n"
                "The ledger file is unchanged."
            )
            self.push_screen(ChoiceScreen("Recovery journal kept aside", Content(text), [("enter", "ok", "OK")]))
            return

        def done(answer: str | None) -> None:
            if answer == "restore":
                try:
                    self.session = EditSession.recover(recovery.ledger_path)
                except (store.LedgerError, LookupError, ValueError, JournalError) as exc:
                    self.notify(f"Could not restore: {exc}", severity="error", markup=False)
                    return
                self.after_edit(f"restored {recovery.edits - recovery.skipped} unsaved edit(s); save with ctrl+s", None)
            elif answer == "discard":
                journal.discard(recovery.ledger_path)
                self.notify("Unsaved edits from the earlier session were discarded.")

        when = f"last at {recovery.last.astimezone():%Y-%m-%d %H:%M}" if recovery.last else "time unknown"
        text = (
            f"{recovery.edits} unsaved edit(s) from a session that ended without saving ({when}).\n"
            + (
                "The file has changed since (or which version they were made on is unknown); "
                "restored edits will not overwrite it without asking.\n"
                if recovery.file_changed
                else ""
            )
            + _problems_text(recovery)
            + "Restore them, or discard them for good? Later asks again next time; if you edit now,\n"
            "they are set aside in the state folder, never deleted."
        )
        self.push_screen(
            ChoiceScreen(
                "Recover unsaved edits",
                Content(text),
                [("r", "restore", "Restore"), ("d", "discard", "Discard"), ("l", "later", "Later")],
            ),
            done,
        )


#: Lines of damage named in the recovery prompt; the rest are counted.
SHOWN_PROBLEMS = 6


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


class TransferActions:
    """Import an article; export the current view. Mixed into :class:`PledgeApp`."""

    def action_import_article(self: PledgeApp) -> None:
        session = self._session()
        if session is None:
            return
        from pledgetui.ui.screens.import_article import ImportArticle, ImportRequest

        def done(request: ImportRequest | None) -> None:
            if request is None:
                return
            if self._apply(lambda: session.add_source(request.source, request.text), None):
                assert self.articles is not None
                self.articles.problems.pop(request.source.id, None)

        self.push_screen(ImportArticle(session.ledger), done)

    def action_export(self: PledgeApp) -> None:
        if self.ledger is None:
            return
        from pledgetui import export, store
        from pledgetui.ui.screens.export_dialog import ExportDialog, ExportRequest

        pledges = self.visible_entries()
        ledger = self.ledger
        sort = ",".join(("-" if k.descending else "") + k.field for k in self.sort_keys)
        query = self.query_text

        def done(request: ExportRequest | None) -> None:
            if request is None:
                return
            try:
                data = export.export_view(
                    ledger, pledges, request.fmt, request.rows, excel=request.excel, query=query, sort=sort
                )
                export.write_export(request.path, data, protect=export.protected_files(self.path, ledger))
            except (OSError, ValueError, store.SaveError) as exc:
                self.notify(f"Not exported: {exc}", severity="error", markup=False, timeout=10)
                return
            count = export.row_count(pledges, request.rows)
            self.last_export = (request.path, count)
            self.notify(f"Exported {len(pledges)} entries ({count} rows) to {request.path}", markup=False, timeout=8)

        summary = f"Export the current view: {len(pledges)} entries" + (f", filter: {query}" if query else "")
        self.push_screen(ExportDialog(Path.cwd() / "pledges-view.csv", summary), done)
