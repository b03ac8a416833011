"""What differs between operating systems, in one small module: file locks, file modes, open flags.

On POSIX systems files are locked with ``flock`` (advisory, dropped by the kernel
when the process dies, however it dies) and modes are set on the open file.

Where there is no ``fcntl`` (Windows) the package still imports and works, with
these differences, each stated where it matters:

- :data:`LOCKS` is False and :func:`try_lock` raises :class:`LockingUnavailable`.
  The recovery journal then cannot be shared: a session starts a journal only
  when none exists (see :mod:`pledgetui.journal`); leftovers of killed saves are
  not removed, since a live save cannot be told from a dead one.
- A file's mode is set by path (``os.chmod``) when ``os.fchmod`` is missing.
- Whether a file is writable is read from its read-only attribute when there are
  no user ids; the signed cache is off there, since its key file cannot be
  checked to be private to the user.
- Open flags a system lacks (``O_NONBLOCK``, ``O_NOFOLLOW``, ...) are 0.
"""

from __future__ import annotations

import errno
import os
import stat

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

#: True where files can be locked (``fcntl.flock``).
LOCKS = fcntl is not None

#: True where files have owners by user id (``os.geteuid``), so a mode can say who may use them.
USER_IDS = hasattr(os, "geteuid")

#: Why nothing can be locked here (the message of :class:`LockingUnavailable`).
NO_LOCKS = "this system cannot lock files (no fcntl module)"

O_NONBLOCK: int = getattr(os, "O_NONBLOCK", 0)
O_NOCTTY: int = getattr(os, "O_NOCTTY", 0)
O_NOFOLLOW: int = getattr(os, "O_NOFOLLOW", 0)
O_CLOEXEC: int = getattr(os, "O_CLOEXEC", 0)
#: Windows opens files in text mode unless told otherwise; bytes must stay bytes.
O_BINARY: int = getattr(os, "O_BINARY", 0)


class LockingUnavailable(OSError):
    """This system has no file locks (:data:`NO_LOCKS`)."""

    def __init__(self) -> None:
        super().__init__(errno.ENOSYS, NO_LOCKS)


def try_lock(fd: int, *, shared: bool = False) -> bool:
    """Take an exclusive (or ``shared``) lock on the open file ``fd`` without waiting.

    True when taken; False when another open file holds a conflicting lock. The lock
    goes with the open file: closing it (or the process ending) releases it. Raises
    :class:`LockingUnavailable` where there are no locks, and ``OSError`` from a file
    system that refuses locks.
    """
    if fcntl is None:
        raise LockingUnavailable()
    try:
        fcntl.flock(fd, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
            return False
        raise
    return True


def set_mode(fd: int, path: str | os.PathLike[str], mode: int) -> None:
    """Set the permission bits of the file open as ``fd`` (named ``path``)."""
    fchmod = getattr(os, "fchmod", None)
    if fchmod is not None:
        fchmod(fd, mode)
    else:
        os.chmod(path, mode)


def write_allowed_by_mode(st: os.stat_result) -> bool:
    """The file's permission bits let this user write it. For root, whom the kernel lets
    write anything, a file with no write bit at all counts as marked read-only. Without
    user ids (Windows) the mode holds only the read-only attribute."""
    mode = st.st_mode
    if not USER_IDS:
        return bool(mode & stat.S_IWRITE)
    euid = os.geteuid()
    if euid == 0:
        return bool(mode & 0o222)
    if st.st_uid == euid:
        return bool(mode & stat.S_IWUSR)
    if st.st_gid == os.getegid() or st.st_gid in os.getgroups():
        return bool(mode & stat.S_IWGRP)
    return bool(mode & stat.S_IWOTH)


def private_to_user(st: os.stat_result) -> bool:
    """A regular file of this user that nobody else may read or write. False where that
    cannot be told from the mode (no user ids)."""
    if not USER_IDS:
        return False
    return stat.S_ISREG(st.st_mode) and st.st_uid == os.geteuid() and not st.st_mode & 0o077


def stdout_to_devnull() -> None:
    """Send what is still buffered for stdout (and the interpreter's flush at exit) to
    /dev/null: the reader is gone or the output cannot be written (a full disk), so there is
    nowhere for it to go, and a second failure would print a second message."""
    import sys

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass
