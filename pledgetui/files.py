"""Open a file the user or a ledger names, refusing anything that is not a regular file.

Opening a named pipe for reading blocks until a writer appears, and a device can
stream for ever, so the type is checked before opening (``stat``) and again on the
open descriptor (``fstat``), and the open itself never blocks (``O_NONBLOCK``).
An error says what is wrong in words (a symbolic link loop is not "no such file").
"""

from __future__ import annotations

import errno
import os
import stat

from pledgetui import osutil

_KINDS = (
    (stat.S_ISDIR, "is a folder, not a file"),
    (stat.S_ISFIFO, "is a named pipe (FIFO), not a regular file"),
    (stat.S_ISCHR, "is a character device, not a regular file"),
    (stat.S_ISBLK, "is a block device, not a regular file"),
    (stat.S_ISSOCK, "is a socket, not a regular file"),
)

_ERRNO_WORDS = {
    errno.ENOENT: "no such file",
    errno.ELOOP: "symbolic link loop (a link that leads back to itself)",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ENOTDIR: "a part of the path is not a folder",
    errno.ENAMETOOLONG: "the name is too long",
    errno.EISDIR: "is a folder, not a file",
    errno.ENXIO: "is a device or socket with nothing behind it",
}


class NotReadable(Exception):
    """A file that cannot be read as a regular file; ``what`` says why, in words."""

    def __init__(self, what: str, kind: str = "") -> None:
        super().__init__(what)
        self.what = what
        #: "folder", "missing", "loop", or "" for other problems (for callers with their own wording).
        self.kind = kind


def os_problem(exc: OSError) -> str:
    """An OS error in words a person can act on."""
    words = _ERRNO_WORDS.get(exc.errno or 0)
    if words:
        return words
    return (exc.strerror or str(exc)).lower()


def _kind(exc: OSError) -> str:
    return {errno.ENOENT: "missing", errno.ELOOP: "loop", errno.EISDIR: "folder"}.get(exc.errno or 0, "")


def not_regular(mode: int) -> str | None:
    """Why a file of this ``st_mode`` is not a regular file; None when it is one."""
    if stat.S_ISREG(mode):
        return None
    for test, words in _KINDS:
        if test(mode):
            return words
    return "is not a regular file"


def check_regular(path: str | os.PathLike[str], *, follow_links: bool = True) -> os.stat_result:
    """``stat`` the file (following links unless told not to) and refuse anything but a
    regular file. Raises NotReadable."""
    try:
        st = os.stat(path) if follow_links else os.lstat(path)
    except OSError as exc:
        raise NotReadable(os_problem(exc), _kind(exc)) from None
    if stat.S_ISLNK(st.st_mode):
        raise NotReadable("is a symbolic link, which is not followed here", "link")
    why = not_regular(st.st_mode)
    if why:
        raise NotReadable(why, "folder" if stat.S_ISDIR(st.st_mode) else "")
    return st


def open_regular(path: str | os.PathLike[str], *, follow_links: bool = True) -> tuple[int, os.stat_result]:
    """Open a regular file for reading without ever blocking: its descriptor and ``fstat``.

    The type is checked before the open and again on the descriptor, so a named pipe,
    a device or a socket (or a link, with ``follow_links=False``) is refused, never
    waited on. The caller closes the descriptor. Raises NotReadable."""
    check_regular(path, follow_links=follow_links)
    flags = os.O_RDONLY | osutil.O_NONBLOCK | osutil.O_NOCTTY | osutil.O_CLOEXEC | osutil.O_BINARY
    if not follow_links:
        flags |= osutil.O_NOFOLLOW
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise NotReadable(os_problem(exc), _kind(exc)) from None
    try:
        st = os.fstat(fd)
        why = not_regular(st.st_mode)  # it was swapped for something else since the stat
        if why:
            raise NotReadable(why)
    except BaseException:
        os.close(fd)
        raise
    return fd, st


def read_regular(
    path: str | os.PathLike[str], limit: int, *, follow_links: bool = True
) -> tuple[bytes, os.stat_result]:
    """The bytes of a regular file of at most ``limit`` bytes, and its ``fstat``. Raises NotReadable
    (``kind`` "too_large" for a larger file: its size is checked before reading, and the bytes
    read after, as a file in /proc says it has 0 bytes)."""
    fd, st = open_regular(path, follow_links=follow_links)
    try:
        if st.st_size > limit:
            raise NotReadable(f"is {st.st_size:,} bytes; the limit is {limit:,}", "too_large")
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise NotReadable(os_problem(exc), _kind(exc)) from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise NotReadable(f"is larger than the limit of {limit:,} bytes", "too_large")
    return data, st
