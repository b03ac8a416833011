"""Crash recovery for unsaved edits: an append-only journal per ledger (the swap-file idea).

The journal lives in ``state_dir()/journal/<sha256 of the resolved ledger path>.jsonl``.
Its first line is a header naming the ledger and the fingerprint of the file the
edits apply to; every later line is one edit, written and fsynced *before* the
edit is applied in memory:

    {"op": "put", "desc": ..., "pledge": {...}, "replace_id": "old-id" | null}
    {"op": "delete", "desc": ..., "id": ...}
    {"op": "add_source", "desc": ..., "source": {...}, "sha256": <article bytes>}
    {"op": "undo"} / {"op": "redo"}
    {"op": "restore", "direction": "undo"|"redo", "desc": ..., "sources": [...],
     "pledges": [{"ref": id} | {"pledge": {...}}, ...]}

Replay runs the same edit functions and the same undo/redo history as the live
session, so it arrives at exactly the ledger the session held. An undo that
reaches back past the start of the journal (before the last save) cannot be
replayed from the journal's own history; it is written as a ``restore`` carrying
the target state (pledges unchanged from the current state by reference).

A torn last line (a crash in the middle of a write) is ignored. A clean save or
an explicit discard deletes the journal.

A session holds an exclusive ``flock`` on its journal for as long as it writes
to it (the kernel drops it when the process dies, however it dies). So a second
session on the same ledger is refused its first edit instead of taking the
journal over; a journal locked by a live session is never offered for recovery,
set aside or deleted by anyone else; and a session deletes a journal only if the
file at the journal's path is still the one it holds open.
"""

from __future__ import annotations

import datetime as dt
import errno
import fcntl
import hashlib
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pledgetui import edits, paths, store
from pledgetui.edits import EditError, History
from pledgetui.model import Ledger, Pledge, Source

FORMAT = 1
HEADER_KEY = "pledgetui_journal"


class JournalError(Exception):
    """The journal could not be written; the edit was not applied."""


class JournalBusy(JournalError, LookupError):
    """Another live session (another window) is editing the ledger and holds its journal."""


BUSY = (
    "this ledger is being edited in another pledgetui session; "
    "save or close it there first (nothing was changed here)"
)

# A lock held by a live session is held for good; one taken by a reader or a
# deleter is gone within milliseconds. A few short retries tell them apart.
_LOCK_TRIES = 5
_LOCK_PAUSE = 0.02

# (st_dev, st_ino) of the journals this process holds open: its own live
# sessions. Reading them here (pending, replay) is harmless; they still cannot
# be adopted, set aside or deleted except by the session holding them.
_held: set[tuple[int, int]] = set()


def _lock(fd: int, operation: int) -> bool:
    """Take a non-blocking ``flock``; False when another open file holds a conflicting one."""
    for attempt in range(_LOCK_TRIES):
        try:
            fcntl.flock(fd, operation | fcntl.LOCK_NB)
            return True
        except OSError as exc:
            if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise
        if attempt + 1 < _LOCK_TRIES:
            time.sleep(_LOCK_PAUSE)
    return False


def _identity(st: os.stat_result) -> tuple[int, int]:
    return (st.st_dev, st.st_ino)


def _same_file(fd: int, path: Path) -> bool:
    """True when ``path`` still names the file open as ``fd`` (not set aside or replaced since)."""
    try:
        return _identity(os.stat(path)) == _identity(os.fstat(fd))
    except FileNotFoundError:
        return False


def _read_all(fd: int) -> bytes:
    os.lseek(fd, 0, os.SEEK_SET)
    chunks = []
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)


def journal_path(ledger_path: Path | str) -> Path:
    key = hashlib.sha256(str(Path(ledger_path).resolve()).encode("utf-8", "surrogateescape")).hexdigest()
    return paths.state_dir() / "journal" / f"{key}.jsonl"


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="milliseconds")




# --------------------------------------------------------------------------- reading


@dataclass(frozen=True, slots=True)
class Contents:
    header: dict[str, Any]
    records: list[dict[str, Any]]
    good_size: int  # bytes up to the end of the last whole, readable line
    torn: bool  # a trailing partial or unreadable line was ignored


def read(jpath: Path) -> Contents | None:
    """The journal's header and records, or None when there is no usable journal.

    This reads the file whatever holds it; :func:`read_unless_live` is the one
    that leaves a live session's journal alone.
    """
    try:
        data = jpath.read_bytes()
    except FileNotFoundError:
        return None
    return parse(data)


def read_unless_live(jpath: Path) -> Contents | None:
    """Like :func:`read`, but None when a live session of another process (another
    window) holds the journal: its edits are not lost, and they are not ours to offer.

    A journal held by a session of this process is read (it can still be neither
    adopted nor deleted by anyone but that session)."""
    try:
        fd = os.open(jpath, os.O_RDONLY)
    except FileNotFoundError:
        return None
    try:
        if _identity(os.fstat(fd)) not in _held and not _lock(fd, fcntl.LOCK_SH):
            return None
        return parse(_read_all(fd))
    finally:
        os.close(fd)  # releases the shared lock


def parse(data: bytes) -> Contents | None:
    header: dict[str, Any] | None = None
    records: list[dict[str, Any]] = []
    good = 0
    torn = False
    pos = 0
    while pos < len(data):
        nl = data.find(b"\n", pos)
        if nl == -1:
            torn = True  # the last write did not finish
            break
        try:
            item = json.loads(data[pos:nl])
            if not isinstance(item, dict):
                raise ValueError("not an object")
        except ValueError:
            torn = True  # stop at the first damaged line: what follows cannot be trusted
            break
        if header is None:
            if item.get(HEADER_KEY) != FORMAT:
                return None
            header = item
        else:
            records.append(item)
        pos = good = nl + 1
    if header is None:
        return None
    return Contents(header, records, good, torn)


def header_fingerprint(header: dict[str, Any]) -> store.Fingerprint:
    return store.Fingerprint(size=int(header["size"]), mtime_ns=int(header["mtime_ns"]), sha256=str(header["sha256"]))


# --------------------------------------------------------------------------- replay


def _ledger_from_restore(current: Ledger, record: dict[str, Any]) -> Ledger:
    by_id = {p.id: p for p in current.pledges}
    pledges = []
    for item in record["pledges"]:
        if "ref" in item:
            pledges.append(by_id[item["ref"]])
        else:
            pledges.append(Pledge.model_validate(item["pledge"]))
    sources = tuple(Source.model_validate(s) for s in record["sources"])
    return current.model_copy(update={"sources": sources, "pledges": tuple(pledges)})


def apply_record(history: History, record: dict[str, Any]) -> None:
    """Apply one journal record to ``history``; raises on a record that does not fit."""
    op = record["op"]
    if op == "undo":
        history.undo()
    elif op == "redo":
        history.redo()
    elif op == "restore":
        history.restore(record["direction"], record["desc"], _ledger_from_restore(history.ledger, record))
    elif op == "put":
        pledge = Pledge.model_validate(record["pledge"])
        history.apply(record["desc"], edits.put_pledge(history.ledger, pledge, record.get("replace_id")))
    elif op == "delete":
        history.apply(record["desc"], edits.delete_pledge(history.ledger, record["id"]))
    elif op == "add_source":
        history.apply(record["desc"], edits.add_source(history.ledger, Source.model_validate(record["source"])))
    else:
        raise ValueError(f"unknown journal operation {op!r}")


@dataclass(frozen=True, slots=True)
class Replayed:
    history: History
    base_ledger: Ledger  # the ledger the edits were replayed onto
    base_fingerprint: store.Fingerprint  # of the file the edits were made against (from the header)
    base: str  # "file": the ledger file is that file; "backup": its .bak is; "changed": neither
    applied: int
    skipped: int  # records that did not fit a changed file and were left out
    torn: bool


def _base(ledger_path: Path, sha256: str) -> tuple[Ledger, str]:
    backup = ledger_path.with_name(ledger_path.name + store.BACKUP_SUFFIX)
    for candidate, kind in ((ledger_path, "file"), (backup, "backup")):
        try:
            data, _ = store.read_bytes(candidate)
        except store.LedgerError:
            continue
        if hashlib.sha256(data).hexdigest() == sha256:
            return store.loads(data, candidate), kind
    return store.load(ledger_path).ledger, "changed"


def replay(ledger_path: Path | str, contents: Contents | None = None) -> Replayed | None:
    """Replay the journal of ``ledger_path`` onto the file its header names (by content hash).

    If neither the ledger nor its backup holds those bytes any more, the edits are
    replayed onto the current file and the ones that no longer fit are skipped.
    Raises :class:`store.LedgerError` when the ledger file cannot be read at all.
    """
    ledger_path = Path(ledger_path)
    contents = contents or read_unless_live(journal_path(ledger_path))
    if contents is None:
        return None
    base_ledger, base = _base(ledger_path, str(contents.header["sha256"]))
    history = History(base_ledger)
    applied = skipped = 0
    for record in contents.records:
        try:
            apply_record(history, record)
            applied += 1
        except (EditError, KeyError, IndexError, ValueError, TypeError):
            skipped += 1
    return Replayed(history, base_ledger, header_fingerprint(contents.header), base, applied, skipped, contents.torn)


@dataclass(frozen=True, slots=True)
class Recovery:
    """Unsaved edits found for a ledger."""

    ledger_path: Path
    journal_path: Path
    edits: int
    started: dt.datetime
    last: dt.datetime
    file_changed: bool  # the ledger file no longer holds the bytes the edits were made on
    torn: bool  # a partly written last line was ignored


def pending(ledger_path: Path | str) -> Recovery | None:
    """Report unsaved edits journaled for ``ledger_path``, or None.

    A journal left by a crash between a save and the journal's removal (its edits
    are all in the file already) is deleted here and not reported. A journal that
    another live session is still writing (another window editing the ledger) is
    not reported either: its edits are not lost, and it is not ours to offer.
    """
    ledger_path = Path(ledger_path)
    jpath = journal_path(ledger_path)
    contents = read_unless_live(jpath)
    if contents is None or not contents.records:
        return None
    try:
        data, _ = store.read_bytes(ledger_path)
        changed = hashlib.sha256(data).hexdigest() != contents.header["sha256"]
    except store.LedgerError:
        changed = True
    if changed:
        try:
            done = replay(ledger_path, contents)
            if done is not None and done.skipped == 0 and done.history.ledger == store.load(ledger_path).ledger:
                discard(ledger_path)
                return None
        except store.LedgerError:
            pass
    stamps = [r.get("at") for r in contents.records if r.get("at")]
    started = dt.datetime.fromisoformat(contents.header["created"])
    last = dt.datetime.fromisoformat(stamps[-1]) if stamps else started
    return Recovery(ledger_path, jpath, len(contents.records), started, last, changed, contents.torn)


def recover(ledger_path: Path | str) -> Ledger:
    """The ledger as it stood after the journaled edits. Raises LookupError when there is no journal."""
    done = replay(ledger_path)
    if done is None:
        raise LookupError(f"no unsaved edits are recorded for {ledger_path}")
    return done.history.ledger


def discard(ledger_path: Path | str) -> bool:
    """Delete the journal of ``ledger_path`` left by an ended session (the user drops its edits).

    A journal that a live session holds is never deleted: returns False then, and
    when there is no journal; True when one was deleted.
    """
    jpath = journal_path(ledger_path)
    try:
        fd = os.open(jpath, os.O_RDWR)
    except FileNotFoundError:
        return False
    try:
        if not _lock(fd, fcntl.LOCK_EX) or not _same_file(fd, jpath):
            return False
        jpath.unlink()
    finally:
        os.close(fd)
    store.fsync_dir(jpath.parent)
    return True


# --------------------------------------------------------------------------- writing


def _restore_record(direction: str, description: str, current: Ledger, target: Ledger) -> dict[str, Any]:
    by_id = {p.id: p for p in current.pledges}
    pledges: list[dict[str, Any]] = []
    for p in target.pledges:
        old = by_id.get(p.id)
        if old is not None and (old is p or old == p):
            pledges.append({"ref": p.id})
        else:
            pledges.append({"pledge": p.model_dump(mode="json")})
    return {
        "op": "restore",
        "direction": direction,
        "desc": description,
        "sources": [s.model_dump(mode="json") for s in target.sources],
        "pledges": pledges,
    }


class Journal:
    """The open journal of one editing session.

    It keeps a shadow of the history that replaying the journal would build, so
    it can tell when an undo or redo must carry its target state.
    """

    def __init__(self, jpath: Path, fd: int, size: int, shadow: History):
        self.path = jpath
        self._fd = fd
        self._size = size
        self._shadow = shadow
        self._id = _identity(os.fstat(fd))
        _held.add(self._id)

    @staticmethod
    def _take(jpath: Path, flags: int) -> int:
        """Open ``jpath`` and hold its exclusive lock; the fd, or -1 when the file at ``jpath``
        changed between the open and the lock (try again). Raises :class:`JournalBusy`."""
        fd = os.open(jpath, flags, 0o600)
        try:
            if not _lock(fd, fcntl.LOCK_EX):
                raise JournalBusy(BUSY)
            if _same_file(fd, jpath):
                return fd
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)
        return -1

    @classmethod
    def create(cls, ledger_path: Path, fingerprint: store.Fingerprint, ledger: Ledger) -> "Journal":
        """Start a journal for edits on ``ledger`` (read from a file with ``fingerprint``).

        Raises :class:`JournalBusy` when another live session holds the ledger's
        journal. A journal already there with edits in it and no live session (a
        crash nobody recovered from) is kept under another name, never overwritten.
        """
        jpath = journal_path(ledger_path)
        try:
            jpath.parent.mkdir(parents=True, exist_ok=True)
            for _ in range(10):
                fd = cls._take(jpath, os.O_RDWR | os.O_CREAT | os.O_APPEND)
                if fd < 0:
                    continue
                try:
                    old = parse(_read_all(fd))
                    if old is not None and old.records:
                        os.replace(jpath, jpath.with_name(f"{jpath.stem}.{dt.datetime.now():%Y%m%dT%H%M%S%f}.jsonl.stale"))
                        store.fsync_dir(jpath.parent)
                        os.close(fd)
                        continue
                    os.ftruncate(fd, 0)
                except BaseException:
                    os.close(fd)
                    raise
                break
            else:
                raise JournalError("could not start the recovery journal: it kept being replaced")
        except OSError as exc:
            raise JournalError(f"could not start the recovery journal: {exc.strerror or exc}") from exc
        journal = cls(jpath, fd, 0, History(ledger))
        header = {
            HEADER_KEY: FORMAT,
            "ledger": str(Path(ledger_path).resolve()),
            "size": fingerprint.size,
            "mtime_ns": fingerprint.mtime_ns,
            "sha256": fingerprint.sha256,
            "created": _now(),
        }
        try:
            journal._write(header)
        except JournalError:
            journal.delete()
            raise
        store.fsync_dir(jpath.parent)
        return journal

    @classmethod
    def resume(cls, ledger_path: Path) -> tuple["Journal", Replayed]:
        """Take over the journal of an ended session: its replay, and the journal to continue
        (its torn tail cut off). Raises LookupError when there is none, :class:`JournalBusy`
        when a live session holds it, :class:`store.LedgerError` when the ledger is unreadable."""
        jpath = journal_path(ledger_path)
        try:
            fd = cls._take(jpath, os.O_RDWR | os.O_APPEND)
        except FileNotFoundError:
            fd = -1
        except OSError as exc:
            raise JournalError(f"could not reopen the recovery journal: {exc.strerror or exc}") from exc
        if fd < 0:
            raise LookupError(f"no unsaved edits are recorded for {ledger_path}")
        try:
            contents = parse(_read_all(fd))
            if contents is None:
                raise LookupError(f"no unsaved edits are recorded for {ledger_path}")
            done = replay(ledger_path, contents)
            assert done is not None
            os.ftruncate(fd, contents.good_size)
        except OSError as exc:
            os.close(fd)
            raise JournalError(f"could not reopen the recovery journal: {exc.strerror or exc}") from exc
        except BaseException:
            os.close(fd)
            raise
        return cls(jpath, fd, contents.good_size, done.history.copy()), done

    def _write(self, item: dict[str, Any]) -> None:
        line = json.dumps(item, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass") + b"\n"
        try:
            view = memoryview(line)
            while view:
                n = os.write(self._fd, view)
                view = view[n:]
            os.fsync(self._fd)
        except OSError as exc:
            try:
                os.ftruncate(self._fd, self._size)  # never leave half a line for the next one to follow
            except OSError:
                pass
            raise JournalError(f"could not record the edit for crash recovery: {exc.strerror or exc}; the edit was not applied") from exc
        self._size += len(line)

    def record(self, item: dict[str, Any], result: Ledger) -> None:
        """Journal an edit (put, delete, add_source) whose outcome is ``result``."""
        self._write({**item, "at": _now()})
        self._shadow.apply(item["desc"], result)

    def record_step(self, direction: str, description: str, target: Ledger) -> None:
        """Journal an undo or redo that moves the ledger to ``target``."""
        stack = self._shadow.undo_stack if direction == "undo" else self._shadow.redo_stack
        if stack:
            self._write({"op": direction, "at": _now()})
            self._shadow.undo() if direction == "undo" else self._shadow.redo()
        else:
            self._write({**_restore_record(direction, description, self._shadow.ledger, target), "at": _now()})
            self._shadow.restore(direction, description, target)

    def close(self) -> None:
        """Stop writing; the journal stays on disk and its lock is released."""
        if self._fd >= 0:
            _held.discard(self._id)
            try:
                os.close(self._fd)
            finally:
                self._fd = -1

    def delete(self) -> None:
        """Delete this journal: only the file this session holds, never whatever else the path names."""
        if self._fd < 0:
            return
        try:
            if _same_file(self._fd, self.path):
                self.path.unlink()  # still holding the lock: no other session can be using this file
                store.fsync_dir(self.path.parent)
        except FileNotFoundError:
            pass
        finally:
            self.close()
