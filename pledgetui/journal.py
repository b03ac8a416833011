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
the target state (entries unchanged from the current state by reference).

Damage never costs more than the lines it hit. A line that cannot be read (a
crash in the middle of a write, a bad disk block, a hand edit) is reported by its
number and skipped, and every readable record around it is still offered; a
record that does not apply on replay is reported the same way. A journal is
never shortened or replaced until its edits are saved or the user discards them:
continuing a recovered journal only appends, a journal found with damage is also
copied aside, and one that cannot be used at all (a format this version does not
read) is moved aside under a name the recovery prompt shows. A clean save or an
explicit discard deletes the journal.

A session holds an exclusive ``flock`` on its journal for as long as it writes
to it (the kernel drops it when the process dies, however it dies). So a second
session on the same ledger is refused its first edit instead of taking the
journal over; a journal locked by a live session is never offered for recovery,
set aside or deleted by anyone else; and a session deletes a journal only if the
file at the journal's path is still the one it holds open.

Where files cannot be locked (:data:`pledgetui.osutil.LOCKS` is False, e.g. on
Windows) a live session cannot be told from an ended one, so a journal is never
shared: a session starts its journal only by creating it, and its first edit is
refused (:data:`UNSHARED`) while a journal of the ledger exists. Recovering or
discarding a journal at start then trusts that the session that wrote it has
ended; a journal this process holds is still never set aside or deleted.
"""

from __future__ import annotations

import datetime as dt
import glob
import hashlib
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pledgetui import edits, filesave, ledgerfile, osutil, paths, store
from pledgetui.edits import EditError, History
from pledgetui.merge import Side, resolve
from pledgetui.migrate import migrate_entry
from pledgetui.model import Conflict, Entry, Ledger, Source

FORMAT = 1
HEADER_KEY = "pledgetui_journal"


class JournalError(Exception):
    """The journal could not be written; the edit was not applied."""


class JournalBusy(JournalError, LookupError):
    """Another live session (another window) is editing the ledger and holds its journal."""


BUSY = (
    "this ledger is being edited in another pledgetui session; save or close it there first (nothing was changed here)"
)

UNSHARED = (
    "this system cannot lock files, so pledgetui cannot tell whether another session is editing "
    "this ledger: its recovery journal {path} exists, and a journal is never shared. If no other "
    "pledgetui window has this ledger open, restart pledgetui to recover or discard the edits "
    "in it, or delete that file (nothing was changed here)"
)

# A lock held by a live session is held for good; one taken by a reader or a
# deleter is gone within milliseconds. A few short retries tell them apart.
_LOCK_TRIES = 5
_LOCK_PAUSE = 0.02

# (st_dev, st_ino) of the journals this process holds open: its own live
# sessions. Reading them here (pending, replay) is harmless; they still cannot
# be adopted, set aside or deleted except by the session holding them.
_held: set[tuple[int, int]] = set()


def _lock(fd: int, shared: bool = False) -> bool:
    """Take a non-blocking lock; False when another open file holds a conflicting one.

    Where files cannot be locked, False only for a journal this process holds (a live
    session of another process cannot be seen)."""
    if not osutil.LOCKS:
        return _identity(os.fstat(fd)) not in _held
    for attempt in range(_LOCK_TRIES):
        if osutil.try_lock(fd, shared=shared):
            return True
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
    # os.path.realpath is Path.resolve without its RuntimeError on a link loop (a ledger replaced
    # by a link to itself is a file that cannot be read, reported where it is read)
    key = hashlib.sha256(os.path.realpath(ledger_path).encode("utf-8", "surrogateescape")).hexdigest()
    return paths.journal_dir() / f"{key}.jsonl"


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


# --------------------------------------------------------------------------- reading

OPS = frozenset({"put", "delete", "add_source", "undo", "redo", "restore"})
#: The record a session writes just before it saves its ledger: not an edit. A journal whose
#: last record it is, and whose replay the file holds, was left by a crash between that save
#: and the journal's removal.
SAVING = "saving"


@dataclass(frozen=True, slots=True)
class Damage:
    """A line of a journal that could not be used, and why (``line`` counts from 1)."""

    line: int
    what: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.what}"


@dataclass(frozen=True, slots=True)
class Contents:
    header: dict[str, Any]  # {} when the header line itself is damaged
    records: list[dict[str, Any]]  # every readable record, in order
    lines: list[int]  # the line number of each record
    damage: list[Damage]  # lines that could not be read, and header fields that are missing or bad
    unreadable: str | None  # why the journal as a whole cannot be used (a format this version does not read)
    size: int  # bytes in the file
    torn: bool  # the last line was cut off by a crash while it was written (that edit was never applied)
    saving_last: bool = False  # the session that wrote it was saving when it ended (no edit after)

    @property
    def base_known(self) -> bool:
        """The header names the file the edits were made on (by content hash)."""
        return _valid_hash(self.header.get("sha256"))


def _valid_hash(value: Any) -> bool:
    return isinstance(value, str) and len(value) == 64 and all(c in "0123456789abcdef" for c in value)


def _timestamp(value: Any) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        stamp = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return stamp if stamp.tzinfo is not None else stamp.replace(tzinfo=dt.UTC)


def read(jpath: Path) -> Contents | None:
    """The journal's header and records, or None when there is no journal (or it is empty).

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
    found = _read_unless_live(jpath)
    return None if found is None else found[0]


def _read_unless_live(jpath: Path) -> tuple[Contents, bytes] | None:
    try:
        fd = os.open(jpath, os.O_RDONLY | osutil.O_BINARY)
    except FileNotFoundError:
        return None
    try:
        if _identity(os.fstat(fd)) not in _held and not _lock(fd, shared=True):
            return None
        data = _read_all(fd)
    finally:
        os.close(fd)  # releases the shared lock
    contents = parse(data)
    return None if contents is None else (contents, data)


def _header_damage(header: dict[str, Any]) -> list[Damage]:
    found = []
    if not _valid_hash(header.get("sha256")):
        found.append(
            Damage(
                1,
                "the header does not name the ledger file the edits were made on (no valid hash); "
                "they are replayed onto the file as it is now",
            )
        )
    if _timestamp(header.get("created")) is None:
        found.append(Damage(1, "the header has no valid start time"))
    return found


def _record_of(line: bytes) -> tuple[dict[str, Any], bool]:
    """One journal line as a record, and whether zero bytes followed it. A record followed by
    zero bytes (a block the file grew into but that was never written) is still the record:
    the zeros are reported apart."""
    padded = False
    try:
        item = json.loads(line)
    except ValueError:
        trimmed = line.rstrip(b"\0")
        if trimmed == line or not trimmed.strip():
            raise
        item, padded = json.loads(trimmed), True
    if not isinstance(item, dict):
        raise ValueError("not an object")
    return item, padded


def parse(data: bytes) -> Contents | None:
    """Read a journal line by line. A line that cannot be read is recorded as damage and
    skipped; reading goes on after it. None only for an empty file."""
    if not data:
        return None
    header: dict[str, Any] = {}
    records: list[dict[str, Any]] = []
    lines: list[int] = []
    damage: list[Damage] = []
    torn = False
    saving_last = False
    pos = 0
    number = 0
    while pos < len(data):
        number += 1
        nl = data.find(b"\n", pos)
        last = nl == -1
        chunk = data[pos:] if last else data[pos:nl]
        pos = len(data) if last else nl + 1
        try:
            item, padded = _record_of(chunk)
        except (ValueError, RecursionError):  # RecursionError: brackets nested thousands deep
            if chunk and not chunk.strip(b"\0"):
                # Zero bytes where a record should be: a disk block that was never written
                # (or was wiped). Not a write cut short, which ends in part of a record.
                damage.append(Damage(number, "unreadable: filled with zero bytes (NUL), damaged on disk"))
            elif last and chunk.lstrip().startswith(b"{") and b"\0" not in chunk:
                torn = True
                damage.append(Damage(number, "cut off by a crash while it was written (that edit was never applied)"))
            elif not chunk.strip():
                damage.append(Damage(number, "empty line"))
            else:
                damage.append(Damage(number, "unreadable (not a journal record: damaged or not written whole)"))
            if number == 1:
                damage.append(
                    Damage(1, "the header is unreadable; the edits are replayed onto the ledger file as it is now")
                )
            continue
        if padded:
            damage.append(Damage(number, "zero bytes (NUL) after the record, damaged on disk; the record is kept"))
        if number == 1 and HEADER_KEY in item:
            if item.get(HEADER_KEY) != FORMAT:
                reason = f"journal format {item.get(HEADER_KEY)!r}; this version of pledgetui reads format {FORMAT}"
                return Contents(item, [], [], damage, reason, len(data), False)
            header = item
            damage.extend(_header_damage(header))
            continue
        if number == 1:
            damage.append(Damage(1, "the header is missing; the edits are replayed onto the ledger file as it is now"))
        op = item.get("op")
        if op == SAVING:
            saving_last = True
            continue
        if op not in OPS:
            what = f"unknown operation {op!r}" if isinstance(op, str) else "not a journal record (no operation)"
            damage.append(Damage(number, what + "; skipped"))
            continue
        records.append(item)
        lines.append(number)
        saving_last = False
    return Contents(header, records, lines, damage, None, len(data), torn, saving_last)


def header_fingerprint(header: dict[str, Any]) -> filesave.Fingerprint:
    """The fingerprint the edits were made against. When the header does not give one whole, a
    fingerprint no file has: saving the recovered edits then asks before overwriting (a conflict)."""
    try:
        size, mtime_ns, sha256 = int(header["size"]), int(header["mtime_ns"]), header["sha256"]
        if _valid_hash(sha256):
            return filesave.Fingerprint(size=size, mtime_ns=mtime_ns, sha256=sha256)
    except (KeyError, TypeError, ValueError, OverflowError):  # OverflowError: a size of 1e400 (infinity)
        pass
    return filesave.Fingerprint(size=-1, mtime_ns=-1, sha256="")


# --------------------------------------------------------------------------- replay


def _ledger_from_restore(current: Ledger, record: dict[str, Any]) -> Ledger:
    by_id = {p.id: p for p in current.entries}
    entries = []
    for item in record["pledges"]:
        if "ref" in item:
            entries.append(by_id[item["ref"]])
        else:
            entries.append(Entry.model_validate(migrate_entry(item["pledge"])))
    sources = tuple(Source.model_validate(s) for s in record["sources"])
    # a record written before ledgers recorded merge conflicts carries none: there were none
    conflicts = tuple(Conflict.model_validate(c) for c in record.get("conflicts", ()))
    return current.model_copy(update={"sources": sources, "entries": tuple(entries), "conflicts": conflicts})


def apply_record(history: History, record: dict[str, Any]) -> None:
    """Apply one journal record to ``history``; raises on a record that does not fit."""
    op = record["op"]
    if op not in ("undo", "redo") and not isinstance(record.get("desc"), str):
        raise ValueError("its description is not text")
    if op == "undo":
        history.undo()
    elif op == "redo":
        history.redo()
    elif op == "restore":
        if record.get("direction") not in ("undo", "redo"):
            raise ValueError(f"direction {record.get('direction')!r} is neither 'undo' nor 'redo'")
        history.restore(record["direction"], record["desc"], _ledger_from_restore(history.ledger, record))
    elif op == "put":
        entry = Entry.model_validate(migrate_entry(record["pledge"]))
        history.apply(record["desc"], edits.put_entry(history.ledger, entry, record.get("replace_id")))
    elif op == "delete":
        history.apply(record["desc"], edits.delete_entry(history.ledger, record["id"]))
    elif op == "add_source":
        history.apply(record["desc"], edits.add_source(history.ledger, Source.model_validate(record["source"])))
    elif op == "resolve":
        conflict = Conflict.model_validate(record["conflict"])
        history.apply(record["desc"], resolve(history.ledger, conflict, _side(record.get("side"))))
    else:
        raise ValueError(f"unknown journal operation {op!r}")


def _side(side: object) -> Side:
    if side == "base" or side == "ours" or side == "theirs":
        return side
    raise ValueError(f"side {side!r} is not 'base', 'ours' or 'theirs'")


def _why(exc: Exception) -> str:
    if isinstance(exc, KeyError):
        return f"{exc.args[0]!r} is missing or not found"
    if isinstance(exc, IndexError):
        return str(exc) or "nothing to undo or redo there"
    text = " ".join(str(exc).split())
    return text[:200] + ("..." if len(text) > 200 else "") or type(exc).__name__


@dataclass(frozen=True, slots=True)
class Replayed:
    history: History
    base_ledger: Ledger  # the ledger the edits were replayed onto
    base_fingerprint: filesave.Fingerprint  # of the file the edits were made against (from the header)
    base: str  # "file": the ledger file is that file; "backup": its .bak is; "kept": the journal's copy is;
    # "changed": none of them (or unknown): the edits were replayed onto the file as it is now
    applied: int
    skipped: int  # readable records that did not apply and were left out
    torn: bool
    problems: tuple[Damage, ...] = ()  # every line not replayed (unreadable, or did not apply), and why


def base_copy_path(jpath: Path, sha256: str) -> Path:
    """Where the journal at ``jpath`` keeps a copy of the ledger file its edits started from."""
    return jpath.with_name(f"{jpath.stem}.base-{sha256}.toml")


def _keep_base(ledger_path: Path, jpath: Path, fingerprint: filesave.Fingerprint) -> None:
    """Keep the bytes the journal's edits start from (named by their hash), so that edits set
    aside can be merged onto whatever is saved later. A hard link where it can (a save
    replaces the ledger file, never rewrites it: the link keeps the old bytes, at no cost),
    else a copy of the bytes if they still hash to the fingerprint's. Best effort, and checked
    where it is used (:func:`_base` hashes it): without it, the ledger's backup may still hold
    the bytes, and if neither does the edits are replayed onto the file as it is (as before)."""
    target = base_copy_path(jpath, fingerprint.sha256)
    if target.exists():
        return
    try:
        st = os.stat(ledger_path)
        if (st.st_size, st.st_mtime_ns) != (fingerprint.size, fingerprint.mtime_ns):
            return  # changed since it was read: not the base (saving will say so)
        os.link(ledger_path, target)
        return
    except FileExistsError:
        return
    except OSError:
        pass  # another file system, or no hard links there: copy
    try:
        data, _ = ledgerfile.read_bytes(ledger_path)
    except ledgerfile.LedgerError:
        return
    if hashlib.sha256(data).hexdigest() != fingerprint.sha256:
        return
    try:
        filesave.atomic_write(target, data, backup=False, exclusive=True)
    except (OSError, filesave.SaveError):
        pass


def _header_sha(path: Path) -> str | None:
    """The base hash named in the header of the journal file at ``path`` (its first line)."""
    try:
        with open(path, "rb") as fh:
            first = fh.readline(1 << 16)
        header = json.loads(first)
    except (OSError, ValueError, RecursionError):
        return None
    sha = header.get("sha256") if isinstance(header, dict) else None
    return sha if _valid_hash(sha) else None


def drop_unused_bases(jpath: Path) -> None:
    """Delete the kept base copies of the ledger of ``jpath`` that no journal of it (live, set
    aside, damaged or kept aside) names any more."""
    stem = glob.escape(jpath.stem)
    kept = list(jpath.parent.glob(f"{stem}.base-*.toml"))
    if not kept:
        return
    named = {_header_sha(p) for p in jpath.parent.glob(f"{stem}*.jsonl*") if p.is_file()}
    for copy in kept:
        if copy.name.removeprefix(f"{jpath.stem}.base-").removesuffix(".toml") not in named:
            try:
                copy.unlink()
            except OSError:
                pass


def _base(ledger_path: Path, sha256: Any) -> tuple[Ledger, str]:
    if _valid_hash(sha256):
        backup = ledger_path.with_name(ledger_path.name + filesave.BACKUP_SUFFIX)
        kept = base_copy_path(journal_path(ledger_path), sha256)
        for candidate, kind in ((ledger_path, "file"), (backup, "backup"), (kept, "kept")):
            try:
                data, _ = ledgerfile.read_bytes(candidate)
            except ledgerfile.LedgerError:
                continue
            if hashlib.sha256(data).hexdigest() == sha256:
                return ledgerfile.loads(data, candidate), kind
    return store.load(ledger_path).ledger, "changed"


def replay(ledger_path: Path | str, contents: Contents | None = None) -> Replayed | None:
    """Replay the journal of ``ledger_path`` onto the file its header names (by content hash).

    If neither the ledger nor its backup holds those bytes any more (or the header does
    not say), the edits are replayed onto the current file. Every readable record is
    tried; the ones that do not fit are skipped and reported in ``problems`` with the
    unreadable lines. None when there is no journal, or it cannot be used at all.
    Raises :class:`ledgerfile.LedgerError` when the ledger file cannot be read at all.
    """
    ledger_path = Path(ledger_path)
    contents = contents or read_unless_live(journal_path(ledger_path))
    if contents is None or contents.unreadable is not None:
        return None
    base_ledger, base = _base(ledger_path, contents.header.get("sha256"))
    history = History(base_ledger)
    applied = 0
    problems = list(contents.damage)
    for record, line in zip(contents.records, contents.lines):
        try:
            apply_record(history, record)
            applied += 1
        except (EditError, KeyError, IndexError, ValueError, TypeError, AttributeError) as exc:
            problems.append(Damage(line, f"{record.get('op')!r} record does not apply: {_why(exc)}; skipped"))
    problems.sort(key=lambda d: d.line)
    skipped = len(contents.records) - applied
    return Replayed(
        history,
        base_ledger,
        header_fingerprint(contents.header),
        base,
        applied,
        skipped,
        contents.torn,
        tuple(problems),
    )


@dataclass(frozen=True, slots=True)
class Recovery:
    """Unsaved edits found for a ledger, or a journal that could not be used (``unreadable``)."""

    ledger_path: Path
    journal_path: Path
    edits: int  # readable records (each an edit, undo or redo)
    started: dt.datetime | None
    last: dt.datetime | None
    file_changed: bool  # the ledger file no longer holds the bytes the edits were made on (or that is unknown)
    torn: bool  # a partly written last line was left out
    problems: tuple[Damage, ...] = ()  # lines left out (unreadable, or did not apply), and why
    kept: Path | None = None  # where a copy of the damaged journal, or the unusable journal itself, is kept
    unreadable: str | None = None  # the journal could not be used at all, and why (then ``kept`` holds it)
    skipped: int = 0  # readable records that do not apply (among ``problems``)
    already_in_file: bool = False  # the file, saved since, already holds every edit: restoring changes nothing


def _set_aside(jpath: Path, kind: str) -> Path | None:
    """Move an ended session's journal to ``<name>.<time>.jsonl.<kind>``; None if a live session
    holds it (or it is gone). It is renamed, never rewritten."""
    try:
        fd = os.open(jpath, os.O_RDONLY | osutil.O_BINARY)
    except FileNotFoundError:
        return None
    try:
        if not _lock(fd) or not _same_file(fd, jpath):
            return None
        target = jpath.with_name(f"{jpath.stem}.{dt.datetime.now():%Y%m%dT%H%M%S%f}.jsonl.{kind}")
        os.rename(jpath, target)
    finally:
        os.close(fd)
    filesave.fsync_dir(jpath.parent)
    return target


def _keep_copy(jpath: Path, data: bytes) -> Path | None:
    """A copy of a damaged journal as found, named by its content (so asking again makes no
    second copy). The journal itself stays where it is. None if the copy could not be made."""
    target = jpath.with_name(f"{jpath.stem}.damaged-{hashlib.sha256(data).hexdigest()[:16]}.jsonl")
    if target.exists():
        return target
    try:
        filesave.atomic_write(target, data, backup=False, exclusive=True)
    except (filesave.SaveError, OSError):
        return target if target.exists() else None
    return target


def set_aside_journals(jpath: Path) -> list[Path]:
    """Journals of ended sessions set aside to make room for a new one (``Later``, then an edit), newest last."""
    return sorted(jpath.parent.glob(f"{glob.escape(jpath.stem)}.*.jsonl.stale"))


def _bring_back_set_aside(jpath: Path) -> None:
    """With no journal in place, put the newest set-aside one back, so its edits are offered again.

    ``os.link`` fails if a journal appeared meanwhile (a session started one): nothing
    is replaced, and the set-aside journal stays where it is for the next start.
    """
    if jpath.exists():
        return
    for stale in reversed(set_aside_journals(jpath)):
        try:
            os.link(stale, jpath)
        except FileExistsError:
            return
        except OSError:
            continue
        stale.unlink()
        filesave.fsync_dir(jpath.parent)
        return


def pending(ledger_path: Path | str) -> Recovery | None:
    """Report unsaved edits journaled for ``ledger_path``, or None.

    A journal left by a crash between a save and the journal's removal (its edits
    are all in the file already, none skipped, no damage) is deleted here and not
    reported. A journal that another live session is still writing (another window
    editing the ledger) is not reported either: its edits are not lost, and it is
    not ours to offer. A journal with damage is reported with every line left out
    and why, and a copy of it as found is kept (``kept``). A journal that cannot be
    used at all is moved aside and reported as ``unreadable``, naming where it went.
    """
    ledger_path = Path(ledger_path)
    jpath = journal_path(ledger_path)
    _bring_back_set_aside(jpath)
    found = _read_unless_live(jpath)
    if found is None:
        return None
    contents, data = found
    real_damage = [d for d in contents.damage if not (contents.torn and d.line == contents.damage[-1].line)]
    if contents.unreadable is not None or (not contents.records and real_damage):
        kept = _set_aside(jpath, "unreadable")
        if kept is None:
            return None
        # With no edit to replay, what the header's damage means for replaying is beside the point.
        told = [d for d in contents.damage if not d.what.startswith("the header")] or contents.damage
        why = contents.unreadable or "no readable edit in it: " + "; ".join(str(d) for d in told[:3])
        return Recovery(ledger_path, jpath, 0, None, None, False, contents.torn, tuple(contents.damage), kept, why)
    if not contents.records:
        return None  # at most an edit cut off while written, which was never applied
    try:
        data_now, _ = ledgerfile.read_bytes(ledger_path)
        changed = hashlib.sha256(data_now).hexdigest() != contents.header.get("sha256")
    except ledgerfile.LedgerError:
        changed = True
    problems: tuple[Damage, ...] = tuple(contents.damage)
    skipped = 0
    try:
        done = replay(ledger_path, contents)
    except ledgerfile.LedgerError:
        done = None
    already = False
    if done is not None:
        problems, skipped = done.problems, done.skipped
        if changed and not problems and done.history.ledger == store.load(ledger_path).ledger:
            if contents.saving_last:  # its own session saved them, then ended before deleting it
                discard(ledger_path)
                return None
            already = True  # saved since by another session (edits set aside, then made again): the user decides
    kept = _keep_copy(jpath, data) if problems else None
    stamps = [t for t in (_timestamp(r.get("at")) for r in contents.records) if t is not None]
    started = _timestamp(contents.header.get("created"))
    last = stamps[-1] if stamps else started
    return Recovery(
        ledger_path,
        jpath,
        len(contents.records),
        started,
        last,
        changed,
        contents.torn,
        problems,
        kept,
        None,
        skipped,
        already,
    )


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
        fd = os.open(jpath, os.O_RDWR | osutil.O_BINARY)
    except FileNotFoundError:
        return False
    try:
        if not _lock(fd) or not _same_file(fd, jpath):
            return False
        jpath.unlink()
    finally:
        os.close(fd)
    filesave.fsync_dir(jpath.parent)
    drop_unused_bases(jpath)
    return True


# --------------------------------------------------------------------------- writing


def _only_a_header(data: bytes) -> bool:
    """Empty, or one whole line that is a header of this format: a journal with no edit in it."""
    if not data:
        return True
    if data.count(b"\n") != 1 or not data.endswith(b"\n"):
        return False
    contents = parse(data)
    return contents is not None and contents.unreadable is None and not contents.damage and not contents.records


def _restore_record(direction: str, description: str, current: Ledger, target: Ledger) -> dict[str, Any]:
    by_id = {p.id: p for p in current.entries}
    entries: list[dict[str, Any]] = []
    for p in target.entries:
        old = by_id.get(p.id)
        if old is not None and (old is p or old == p):
            entries.append({"ref": p.id})
        else:
            entries.append({"pledge": p.model_dump(mode="json")})
    return {
        "op": "restore",
        "direction": direction,
        "desc": description,
        "sources": [s.model_dump(mode="json") for s in target.sources],
        "pledges": entries,
        **({"conflicts": [c.model_dump(mode="json") for c in target.conflicts]} if target.conflicts else {}),
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
        #: Where an ended session's unsaved edits were moved to make room for this journal (None: nothing was).
        self.set_aside: Path | None = None

    @staticmethod
    def _take(jpath: Path, flags: int) -> int:
        """Open ``jpath`` and hold its exclusive lock; the fd, or -1 when the file at ``jpath``
        changed between the open and the lock (try again). Raises :class:`JournalBusy`.

        Where files cannot be locked, a journal is created (``flags`` with ``O_CREAT``) only
        when none exists: :class:`JournalBusy` with :data:`UNSHARED` otherwise."""
        if not osutil.LOCKS and flags & os.O_CREAT:
            try:
                return os.open(jpath, flags | os.O_EXCL | osutil.O_BINARY, 0o600)
            except FileExistsError:
                raise JournalBusy(UNSHARED.format(path=jpath)) from None
        fd = os.open(jpath, flags | osutil.O_BINARY, 0o600)
        try:
            if not _lock(fd):
                raise JournalBusy(BUSY)
            if _same_file(fd, jpath):
                return fd
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)
        return -1

    @classmethod
    def create(cls, ledger_path: Path, fingerprint: filesave.Fingerprint, ledger: Ledger) -> Journal:
        """Start a journal for edits on ``ledger`` (read from a file with ``fingerprint``).

        Raises :class:`JournalBusy` when another live session holds the ledger's
        journal. A journal already there with edits in it and no live session (a
        crash nobody recovered from) is kept under another name, never overwritten.
        """
        jpath = journal_path(ledger_path)
        aside: Path | None = None
        try:
            jpath.parent.mkdir(parents=True, exist_ok=True)
            for _ in range(10):
                fd = cls._take(jpath, os.O_RDWR | os.O_CREAT | os.O_APPEND)
                if fd < 0:
                    continue
                try:
                    old = _read_all(fd)
                    if not _only_a_header(old):
                        aside = jpath.with_name(f"{jpath.stem}.{dt.datetime.now():%Y%m%dT%H%M%S%f}.jsonl.stale")
                        os.replace(jpath, aside)
                        filesave.fsync_dir(jpath.parent)
                        os.close(fd)
                        continue
                    os.ftruncate(fd, 0)  # nothing in it but a header: no edit is lost
                except BaseException:
                    os.close(fd)
                    raise
                break
            else:
                raise JournalError("could not start the recovery journal: it kept being replaced")
        except OSError as exc:
            raise JournalError(
                f"could not start the recovery journal in {jpath.parent}: {exc.strerror or exc}"
            ) from exc
        journal = cls(jpath, fd, 0, History(ledger))
        journal.set_aside = aside
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
        if _valid_hash(fingerprint.sha256):
            _keep_base(Path(ledger_path), jpath, fingerprint)
        filesave.fsync_dir(jpath.parent)
        return journal

    @classmethod
    def resume(cls, ledger_path: Path) -> tuple[Journal, Replayed]:
        """Take over the journal of an ended session: its replay, and the journal to continue
        (appended to; nothing in it is cut off or rewritten). Raises LookupError when there is none, :class:`JournalBusy`
        when a live session holds it, :class:`ledgerfile.LedgerError` when the ledger is unreadable."""
        jpath = journal_path(ledger_path)
        try:
            fd = cls._take(jpath, os.O_RDWR | os.O_APPEND)
        except FileNotFoundError:
            fd = -1
        except OSError as exc:
            raise JournalError(f"could not reopen the recovery journal {jpath}: {exc.strerror or exc}") from exc
        if fd < 0:
            raise LookupError(f"no unsaved edits are recorded for {ledger_path}")
        try:
            data = _read_all(fd)
            contents = parse(data)
            if contents is None or contents.unreadable is not None:
                raise LookupError(f"no unsaved edits are recorded for {ledger_path}")
            done = replay(ledger_path, contents)
            assert done is not None
            size = len(data)
            if data and not data.endswith(b"\n"):
                # End the line cut off by the crash instead of cutting it off: the journal only grows.
                os.write(fd, b"\n")
                os.fsync(fd)
                size += 1
        except OSError as exc:
            os.close(fd)
            raise JournalError(f"could not reopen the recovery journal {jpath}: {exc.strerror or exc}") from exc
        except BaseException:
            os.close(fd)
            raise
        return cls(jpath, fd, size, done.history.copy()), done

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
            raise JournalError(
                f"could not record the edit for crash recovery: {exc.strerror or exc}; the edit was not applied"
            ) from exc
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

    def record_state(self, description: str, target: Ledger) -> None:
        """Journal a move of the whole ledger to ``target`` (restored edits merged onto the file),
        undone as one step: a ``restore`` record carrying the target state."""
        self._write({**_restore_record("redo", description, self._shadow.ledger, target), "at": _now()})
        self._shadow.restore("redo", description, target)

    def mark_saving(self) -> None:
        """Say the session is about to save everything it holds (see :data:`SAVING`). A failure
        to write it is no reason not to save: the journal is then only offered once more."""
        try:
            self._write({"op": SAVING, "at": _now()})
        except JournalError:
            pass

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
                filesave.fsync_dir(self.path.parent)
        except FileNotFoundError:
            pass
        finally:
            self.close()
        drop_unused_bases(self.path)
