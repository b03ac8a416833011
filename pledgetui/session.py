"""An editing session over one ledger file: validated edits, undo/redo, safe saves, crash journal.

No edit reaches memory before it has been validated and written to the recovery
journal; no save overwrites a file that changed on disk since it was read unless
the user chose to (:meth:`EditSession.overwrite`).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

from pledgetui import articlefile, edits, files, filesave, ledgerfile, paths, restore, store
from pledgetui.edits import EditError, History, validate_entry_fields
from pledgetui.journal import Journal, JournalBusy, JournalError, drop_unused_bases, journal_path
from pledgetui.merge import Merged, Side, merge, resolve
from pledgetui.model import Conflict, Entry, Evidence, Ledger, Source

__all__ = ["EditError", "EditSession", "JournalBusy", "JournalError", "validate_entry_fields"]

#: How keeping unsaved edits over a file changed on disk is described (undo: the file as it is).
MERGED_ONTO_FILE = "keep the unsaved edits, merged onto the file as changed on disk"


class EditSession:
    """Edits to one ledger file. Attributes: ``path``, ``ledger`` (current), ``fingerprint``
    (of the file as last read or written), ``saved`` (the ledger that file holds),
    ``read_only`` (why the file must never be written, e.g. the bundled ledger, or None:
    every edit and save is then refused with that reason)."""

    def __init__(self, path: Path, ledger: Ledger, fingerprint: filesave.Fingerprint):
        self.path = Path(path)
        self.read_only = paths.read_only_reason(self.path)
        self.fingerprint = fingerprint
        self.saved = ledger
        self._history = History(ledger)
        self._journal: Journal | None = None
        #: Articles this session's imports wrote (file name -> path, bytes): removed when no ledger
        #: state names them any more, written back when a redo does.
        self._written: dict[str, tuple[Path, bytes]] = {}

    # ----------------------------------------------------------------- opening

    @classmethod
    def open(cls, path: Path | str) -> EditSession:
        """Load ``path`` (raises :class:`ledgerfile.LedgerError`). An existing journal is left alone:
        check :func:`journal.pending` first and offer :meth:`recover`."""
        loaded = store.load(path)
        return cls(loaded.path, loaded.ledger, loaded.fingerprint)

    @classmethod
    def recover(cls, path: Path | str) -> EditSession:
        """A session holding the journaled edits of a crashed session, undo history included.

        Its fingerprint is the one the edits were made against, so if the file has
        changed since, :meth:`save` raises :class:`filesave.ConflictError` (offer Reload /
        Overwrite / Save a copy) rather than overwriting the change.

        Raises LookupError when there are no such edits, and :class:`JournalBusy`
        (a LookupError too) when another live session is still writing them.
        """
        path = Path(path)
        journal, done = Journal.resume(path)
        session = cls(path, done.base_ledger, done.base_fingerprint)
        session._history = done.history.copy()
        session._journal = journal
        return session

    @classmethod
    def restore_merged(cls, plan: restore.Plan) -> tuple[EditSession, Path | None]:
        """A session on the ledger file as it is now holding ``plan``'s merged restore as one
        journaled, undoable step (undo goes back to the file as it is).

        Its journal is a new one, started on the file as it is now; the journal the plan was
        made from is set aside by that start and then deleted (the user chose to restore it,
        and its edits are in the new journal). Returns the session and the path of the old
        journal if it could not be deleted (it is then offered again, never lost)."""
        loaded = plan.loaded
        session = cls(loaded.path, loaded.ledger, loaded.fingerprint)
        return session, session._stand_on(loaded, restore.MERGED_RESTORE, plan.ledger)

    def _stand_on(self, loaded: store.Loaded, description: str, target: Ledger) -> Path | None:
        """Hold ``target`` as one journaled, undoable step over the file as ``loaded`` read it, in
        a new journal started on that file. A journal left by earlier edits is set aside by that
        start and then deleted: its edits are in ``target``. Returns its path if it could not be
        deleted (it is then offered again, never lost)."""
        if target != loaded.ledger:
            self._journal_open().record_state(description, target)
            self._history.restore("redo", description, target)
        old = self.take_set_aside()
        if old is not None:
            try:
                old.unlink()
                filesave.fsync_dir(old.parent)
                old = None
            except OSError:
                pass
            else:
                drop_unused_bases(journal_path(loaded.path))
        return old

    def merge_onto(self, loaded: store.Loaded) -> tuple[Merged, Path | None]:
        """Keep this session's unsaved edits, merged onto the ledger file as another program wrote
        it since this session read or saved it (``git pull``, another window): a three-way merge
        (:func:`pledgetui.merge.merge`) of the file as last read or saved (base), the file as
        ``loaded`` now (ours: what was saved stands) and this session's ledger (theirs: the
        edits). The session then stands on the file as it is now and holds the merge as one
        undoable step (undo goes back to the file as it is). A field both changed differently
        keeps the file's value and is recorded as a conflict. Returns the merge and, as
        :meth:`restore_merged` does, a journal that could not be deleted."""
        merged = merge(self.saved, loaded.ledger, self.ledger)
        before = (self.fingerprint, self.saved, self._history)
        if self._journal is not None:
            self._journal.close()  # kept on disk until the new journal holds its edits
            self._journal = None
        self.fingerprint = loaded.fingerprint
        self.saved = loaded.ledger
        self._history = History(loaded.ledger)
        try:
            old = self._stand_on(loaded, MERGED_ONTO_FILE, merged.ledger)
        except (JournalError, OSError):
            # Not merged: the session keeps its edits (its journal stays on disk, offered again).
            self.fingerprint, self.saved, self._history = before
            raise
        self._sync_written()
        return merged, old

    # ----------------------------------------------------------------- state

    @property
    def ledger(self) -> Ledger:
        return self._history.ledger

    @property
    def dirty(self) -> bool:
        """True when the ledger differs from what the file held when last read or saved."""
        return self._history.ledger is not self.saved and self._history.ledger != self.saved

    @property
    def can_undo(self) -> bool:
        return bool(self._history.undo_stack)

    @property
    def can_redo(self) -> bool:
        return bool(self._history.redo_stack)

    @property
    def undo_description(self) -> str | None:
        return self._history.undo_stack[-1][0] if self._history.undo_stack else None

    @property
    def redo_description(self) -> str | None:
        return self._history.redo_stack[-1][0] if self._history.redo_stack else None

    @property
    def journal_path(self) -> Path | None:
        return self._journal.path if self._journal else None

    def seeds_folder(self) -> Path:
        return self.path.parent / paths.SEEDS_DIR

    # ----------------------------------------------------------------- edits

    def take_set_aside(self) -> Path | None:
        """Where this session's first edit moved an ended session's unsaved edits (once; then None).

        They are offered again at the next start (:func:`journal.pending`)."""
        journal = self._journal
        if journal is None or journal.set_aside is None:
            return None
        aside, journal.set_aside = journal.set_aside, None
        return aside

    def _journal_open(self) -> Journal:
        if self.read_only is not None:
            raise EditError([("", f"{self.path.name} is opened read-only: {self.read_only}")])
        if self._journal is None:
            self._journal = Journal.create(self.path, self.fingerprint, self._history.ledger)
        return self._journal

    def _commit(self, record: dict[str, Any], new: Ledger) -> str:
        """Journal, then apply. A journal failure raises :class:`JournalError` and nothing changes;
        so does another live session editing the same ledger (:class:`JournalBusy`): its journal
        is never taken over, so neither session's unsaved edits can be lost."""
        self._journal_open().record(record, new)
        description: str = record["desc"]
        self._history.apply(description, new)
        return description

    def put_entry(self, entry: Entry, replace_id: str | None = None) -> str:
        """Add ``entry``, or replace the one called ``replace_id`` (which may rename it).

        Without ``replace_id`` an entry with the same id is replaced. Returns a description.
        """
        if replace_id is None and self.ledger.entry(entry.id) is None:
            desc = f"add {entry.id}"
        elif replace_id is not None and replace_id != entry.id:
            desc = f"rename {replace_id} to {entry.id}"
        else:
            desc = f"edit {entry.id}"
        return self._put(entry, replace_id, desc)

    def _put(self, entry: Entry, replace_id: str | None, desc: str) -> str:
        new = edits.put_entry(self.ledger, entry, replace_id)
        validated = new.entry(entry.id)  # the validated copy
        assert validated is not None
        if desc == f"edit {entry.id}":
            desc += _changed_fields(self.ledger.entry(entry.id), validated)
        record = {"op": "put", "desc": desc, "pledge": validated.model_dump(mode="json"), "replace_id": replace_id}
        return self._commit(record, new)

    def resolve_conflict(self, conflict: Conflict, side: Side) -> str:
        """Settle a conflict a merge recorded by keeping ``side``'s value (``pledgetui.merge.resolve``):
        a journaled, undoable edit. Raises :class:`EditError` when that value cannot stand."""
        try:
            new = resolve(self.ledger, conflict, side)
        except ValueError as exc:
            raise EditError([("", str(exc))]) from None
        desc = f"keep {side} for {conflict.where} {conflict.field}"
        record = {"op": "resolve", "desc": desc, "conflict": conflict.model_dump(mode="json"), "side": side}
        return self._commit(record, new)

    def delete_entry(self, entry_id: str) -> str:
        new = edits.delete_entry(self.ledger, entry_id)
        return self._commit({"op": "delete", "desc": f"delete {entry_id}", "id": entry_id}, new)

    def add_evidence(self, entry_id: str, evidence: Evidence) -> str:
        entry = edits.add_evidence(self.ledger, entry_id, evidence)
        return self._put(entry, entry_id, f"add a quote to {entry_id}")

    def remove_evidence(self, entry_id: str, index: int) -> str:
        """Remove quote number ``index`` (0-based); refused for the last quote of an entry."""
        entry = edits.remove_evidence(self.ledger, entry_id, index)
        return self._put(entry, entry_id, f"remove quote {index + 1} from {entry_id}")

    def replace_evidence(self, entry_id: str, index: int, evidence: Evidence, desc: str | None = None) -> str:
        """Replace quote number ``index`` (0-based) of ``entry_id``: a journaled, undoable edit."""
        entry = edits.replace_evidence(self.ledger, entry_id, index, evidence)
        return self._put(entry, entry_id, desc or f"edit quote {index + 1} of {entry_id}")

    def accept_article_text(self, entry_id: str, index: int, text: str, start: int, end: int) -> str:
        """Take the article's text at ``start:end`` as quote number ``index`` of ``entry_id``
        (a drifted quote accepted, or a moved one re-anchored): journaled and undoable."""
        entry = self.ledger.entry(entry_id)
        if entry is None or not 0 <= index < len(entry.evidence):
            raise edits.EditError([("evidence", f"{entry_id} has no quote number {index + 1}")])
        evidence = edits.with_article_text(entry.evidence[index], text, start, end)
        return self.replace_evidence(
            entry_id, index, evidence, f"take the article's text for quote {index + 1} of {entry_id}"
        )

    def add_source(self, source: Source, article_text: str | bytes) -> str:
        """Add a source and write its article into the ledger's ``seeds/`` folder.

        The article must be UTF-8 text within :data:`articlefile.MAX_ARTICLE_BYTES`. Its
        file name must not be one another source of the ledger already uses. An
        article file already in any place an article is looked for
        (:func:`paths.article_candidates`) is reused if it holds the same bytes, and
        refused if it does not: a new file there could shadow, or be shadowed by, it.
        """
        new = edits.add_source(self.ledger, source)
        source = new.sources[-1]
        data = _article_bytes(article_text)
        users = [s.id for s in self.ledger.sources if s.file == source.file]
        if users:
            raise EditError(
                [("file", f"{source.file} is already the article of source {users[0]}; choose another file name")]
            )
        existing = False
        try:
            found = paths.existing_articles(self.path, source.file)
        except paths.ArticleOutside as exc:
            raise EditError([("file", f"{exc}; choose another file name")]) from None
        for candidate in found:
            try:
                held = articlefile.read_article_bytes(candidate)
            except files.NotReadable as exc:
                if exc.kind != "too_large":  # larger than any article: other text than this one
                    raise EditError([("file", f"cannot read the existing {candidate.name}: {exc.what}")]) from None
                held = None
            if held != data:
                raise EditError(
                    [
                        (
                            "file",
                            f"{source.file} already exists in {candidate.parent.name}/ with other text; choose another file name",
                        )
                    ]
                )
            existing = True
        if not existing:
            self._journal_open()  # another live session refuses the edit before anything is written
            target = self.seeds_folder() / source.file
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                filesave.atomic_write(target, data, backup=False, exclusive=True)
            except (OSError, filesave.SaveError) as exc:
                raise EditError([("file", f"could not write the article: {exc}")]) from None
            self._written[source.file] = (target, data)
        record = {
            "op": "add_source",
            "desc": f"add source {source.id}",
            "source": source.model_dump(mode="json"),
            "sha256": hashlib.sha256(data).hexdigest(),
        }
        return self._commit(record, new)

    # ----------------------------------------------------------------- undo / redo

    def undo(self) -> str:
        """Undo the last edit; returns its description. Raises IndexError when there is none."""
        if not self.can_undo:
            raise IndexError("nothing to undo")
        desc, target = self._history.target("undo")
        self._journal_open().record_step("undo", desc, target)
        description = self._history.undo()
        self._sync_written()
        return description

    def redo(self) -> str:
        if not self.can_redo:
            raise IndexError("nothing to redo")
        desc, target = self._history.target("redo")
        self._journal_open().record_step("redo", desc, target)
        description = self._history.redo()
        self._sync_written()
        return description

    def _sync_written(self) -> None:
        """Match the articles this session's imports wrote to the ledger: an article neither the
        ledger nor the saved file names is removed (only if its bytes are still the ones written);
        one the ledger names again (a redo) is written back. The edit itself is already journaled,
        so a recovery replays to a ledger that agrees with the folder."""
        named = {s.file for s in self.ledger.sources} | {s.file for s in self.saved.sources}
        for name, (path, data) in list(self._written.items()):
            if name in named:
                if not path.exists():
                    try:
                        filesave.atomic_write(path, data, backup=False, exclusive=True)
                    except (OSError, filesave.SaveError):
                        pass  # the quote viewer reports the article missing; nothing else is lost
                continue
            try:
                held, _ = files.read_regular(path, articlefile.MAX_ARTICLE_BYTES)
            except (files.NotReadable, OSError):
                continue  # gone already, or not a plain file any more: left alone
            if held == data:
                try:
                    path.unlink()
                except OSError:
                    continue
                filesave.fsync_dir(path.parent)

    # ----------------------------------------------------------------- saving

    def _saved(self, fingerprint: filesave.Fingerprint) -> None:
        self.fingerprint = fingerprint
        self.saved = self._history.ledger
        self._drop_journal()

    def _drop_journal(self) -> None:
        """Delete this session's own journal. A journal left by another (crashed) session is
        never deleted here: the caller offers it through journal.pending/recover/discard."""
        if self._journal is not None:
            self._journal.delete()
            self._journal = None

    def changed_on_disk(self) -> bool:
        return filesave.changed_on_disk(self.path, self.fingerprint)

    def save(self) -> None:
        """Write the ledger atomically (keeping a ``.bak``) and delete the journal.

        Raises :class:`filesave.ConflictError` when the file changed since it was read
        (nothing is written), :class:`filesave.SaveError` when writing failed (the file
        is unchanged, the edits and their journal are kept).
        """
        self._refuse_read_only()
        if self.changed_on_disk():
            raise filesave.ConflictError(f"{self.path} changed on disk since it was read; not overwritten")
        self._mark_saving()
        self._saved(store.save(self.ledger, self.path, expected=self.fingerprint))

    def overwrite(self) -> None:
        """Save even though the file changed on disk: only when the user chose Overwrite.

        What is overwritten is the file as it is now; a further change made while this
        save runs still raises :class:`filesave.ConflictError`.
        """
        self._refuse_read_only()
        try:
            now: filesave.Fingerprint | None = ledgerfile.fingerprint(self.path)
        except ledgerfile.LedgerError:
            now = None  # gone (or unreadable): write it anew, but never over a file that appears meanwhile
        self._mark_saving()
        self._saved(store.save(self.ledger, self.path, expected=now, exclusive=now is None))

    def _mark_saving(self) -> None:
        if self._journal is not None:
            self._journal.mark_saving()

    def _refuse_read_only(self) -> None:
        if self.read_only is not None:
            raise filesave.ReadOnlyError(f"refusing to save {self.path}: {self.read_only}; nothing was written")

    def save_copy(self, path: Path | str, *, replace: bool = False) -> Path:
        """Write the current ledger to another file, with copies of its articles.

        The session keeps editing its own file (still dirty, journal kept). An
        existing file at ``path`` is refused unless ``replace`` is true.
        """
        target = Path(path)
        if os.path.realpath(target) == os.path.realpath(self.path):
            raise filesave.SaveError("a copy must go to another file; use save() for this one")
        if target.exists() and not replace:
            raise filesave.SaveError(f"{target} already exists; not overwritten")
        store.save(self.ledger, target, exclusive=not replace)
        seeds = target.parent / paths.SEEDS_DIR
        for source in self.ledger.sources:
            try:
                found = paths.find_article(self.path, source.file)
            except paths.ArticleOutside:
                found = None  # never copied: the copy's quotes show as unverifiable, as for a missing article
            dest = seeds / source.file
            if found is None or dest.exists():
                continue
            try:
                seeds.mkdir(parents=True, exist_ok=True)
                filesave.atomic_write(dest, articlefile.read_article_bytes(found), backup=False, exclusive=True)
            except (files.NotReadable, OSError, filesave.SaveError):
                pass  # the copy's quotes will show as unverifiable; the ledger itself is written
        return target

    def reload(self, loaded: store.Loaded | None = None) -> None:
        """Re-read the file from disk, dropping every edit and the journal (ask the user first).
        ``loaded``: the file as just read (off the UI thread), instead of reading it here."""
        if loaded is None:
            loaded = store.load(self.path)
        self.fingerprint = loaded.fingerprint
        self.saved = loaded.ledger
        self._history = History(loaded.ledger)
        self._drop_journal()
        self._sync_written()

    def discard(self) -> None:
        """Drop unsaved edits: back to the ledger as last read or saved; the journal is deleted."""
        self._history = History(self.saved)
        self._drop_journal()
        self._sync_written()

    def close(self) -> None:
        """Stop writing the journal (it stays on disk if there are unsaved edits)."""
        if self._journal is not None:
            self._journal.close()
            self._journal = None


def _article_bytes(article_text: str | bytes) -> bytes:
    if isinstance(article_text, str):
        try:
            data = article_text.encode("utf-8")
        except UnicodeEncodeError:
            raise EditError([("article", "holds a character that cannot be saved as UTF-8")]) from None
    else:
        data = bytes(article_text)
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise EditError([("article", f"is not UTF-8 text (bad byte at {exc.start})")]) from None
    if len(data) > articlefile.MAX_ARTICLE_BYTES:
        raise EditError([("article", f"is {len(data):,} bytes; the limit is {articlefile.MAX_ARTICLE_BYTES:,}")])
    if not data.strip():
        raise EditError([("article", "is empty")])
    return data


#: An edit's description names at most this many of the fields it changed.
NAMED_FIELDS = 3


def _changed_fields(old: Entry | None, new: Entry) -> str:
    """``: summary, notes``: the fields an edit of an entry changed, by the comparison of two
    ledgers (:func:`pledgetui.compare.compare_entries`); "" when it names none."""
    from pledgetui.compare import compare_entries

    diff = compare_entries(old, new) if old is not None else None
    if diff is None:
        return ""
    names = list(diff.field_names())
    if diff.added or diff.removed or diff.reordered:
        names.append("statements")
    if not names:
        return ""
    more = len(names) - NAMED_FIELDS
    return ": " + ", ".join(names[:NAMED_FIELDS]) + (f" and {more} more" if more > 0 else "")
