"""One editor at a time: the lock a dashboard holds on a ledger it has open for editing.

A dashboard that opens a ledger for editing takes an exclusive ``flock`` on a small
lock file of that ledger in ``state_dir()/locks/`` (named by the SHA-256 of the
ledger's resolved path, as the journal is) and holds it until it quits. The kernel
drops the lock when the process ends, however it ends: a killed session never
blocks the next one. A second dashboard on the same ledger finds the lock held and
opens the ledger read-only at once, instead of letting the user fill in a form the
journal would then refuse.

The lock files are never deleted: removing a lock file while another process opens
it would let two sessions each hold a lock on a different file. Each is empty.

The journal's own lock (:mod:`pledgetui.journal`) still guards every edit; this lock
only tells a second session early. Where files cannot be locked
(:data:`pledgetui.osutil.LOCKS` is False) or the lock file cannot be opened, a
session is not made read-only: the journal's rule then keeps sessions apart, at the
first edit, as before.
"""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

from pledgetui import osutil, paths

#: Why a ledger opens read-only when another session holds its edit lock.
EDITING = "another pledgetui session is editing it; save and quit there to edit it here"

# A lock held by a session is held for good; one taken by a probe (held_elsewhere) is
# gone within milliseconds. A few short retries tell them apart.
_TRIES = 5
_PAUSE = 0.02


def lock_dir() -> Path:
    return paths.state_dir() / "locks"


def lock_path(ledger_path: Path | str) -> Path:
    # os.path.realpath is Path.resolve without its RuntimeError on a link loop (a ledger replaced
    # by a link to itself is a file that cannot be read, reported where it is read)
    key = hashlib.sha256(os.path.realpath(ledger_path).encode("utf-8", "surrogateescape")).hexdigest()
    return lock_dir() / f"{key}.lock"


def _open(ledger_path: Path | str) -> int | None:
    """The lock file of ``ledger_path``, open; None when it cannot be (no locks here, or an
    unwritable state folder)."""
    if not osutil.LOCKS:
        return None
    target = lock_path(ledger_path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        return os.open(target, os.O_RDWR | os.O_CREAT | osutil.O_CLOEXEC | osutil.O_NOFOLLOW | osutil.O_BINARY, 0o600)
    except OSError:
        return None


def _try(fd: int, *, shared: bool, tries: int) -> bool:
    for attempt in range(tries):
        try:
            if osutil.try_lock(fd, shared=shared):
                return True
        except OSError:  # a file system that refuses locks: nobody can be told apart
            return True
        if attempt + 1 < tries:
            time.sleep(_PAUSE)
    return False


class EditLock:
    """The edit lock of one ledger, held by this session until :meth:`release` (or the process ends)."""

    def __init__(self, fd: int | None) -> None:
        self._fd = fd

    @classmethod
    def take(cls, ledger_path: Path | str) -> EditLock | None:
        """Hold the edit lock of ``ledger_path``; None when another live session holds it.

        Where it cannot be taken at all (no locks on this system, the state folder not
        writable), a lock that holds nothing: the journal still refuses a second editor."""
        fd = _open(ledger_path)
        if fd is None:
            return cls(None)
        if not _try(fd, shared=False, tries=_TRIES):
            os.close(fd)
            return None
        return cls(fd)

    @property
    def held(self) -> bool:
        """True while this session holds a real lock (False: released, or nothing could be locked)."""
        return self._fd is not None

    def release(self) -> None:
        """Let another session edit the ledger (closing the file drops the lock)."""
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)


def held_elsewhere(ledger_path: Path | str) -> bool:
    """True when a live session holds the edit lock of ``ledger_path`` (this process's own
    lock counts too). Asking takes a shared lock for an instant, never the lock itself."""
    fd = _open(ledger_path)
    if fd is None:
        return False
    try:
        return not _try(fd, shared=True, tries=1)
    finally:
        os.close(fd)
