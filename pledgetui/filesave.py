"""Write files safely: atomic replacement with a backup, change detection, exports.

A save goes through a temp file in the same folder and ``os.replace``, so a reader or a
crash sees the old file or the new one, never half; a file that changed on disk since it
was read (its :class:`Fingerprint`) is not overwritten. Exports may also go to devices and
named pipes, which are written into, never replaced (:func:`write_output`).
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import select
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pledgetui import osutil, paths, tempfiles

BACKUP_SUFFIX = ".bak"


class SaveError(Exception):
    """A save that did not happen; the file on disk is unchanged."""


class ConflictError(SaveError):
    """The file changed on disk since it was read."""


@dataclass(frozen=True, slots=True)
class Fingerprint:
    size: int
    mtime_ns: int
    sha256: str


def fingerprint_of(data: bytes, st: os.stat_result) -> Fingerprint:
    """The fingerprint of a file read as ``data``, ``st`` its stat."""
    return Fingerprint(size=st.st_size, mtime_ns=st.st_mtime_ns, sha256=hashlib.sha256(data).hexdigest())


def changed_on_disk(path: Path, known: Fingerprint) -> bool:
    """True when ``path`` no longer holds the bytes described by ``known`` (or is gone).

    Size and mtime are checked first, but the content hash decides: an edit within
    the mtime granularity, or one that restores the mtime, is still caught.
    """
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode) or st.st_size != known.size:
            return True
        with open(path, "rb") as fh:
            return hashlib.sha256(fh.read()).hexdigest() != known.sha256
    except OSError:
        # Gone, unreadable, or no longer a file: it does not hold the known bytes.
        return True


def fsync_dir(folder: Path) -> None:
    """Make a rename or unlink in ``folder`` durable (best effort where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# ----------------------------------------------------------------- temporary files
#
# The rule for temp files (named cleanable only once locked) lives in
# :mod:`pledgetui.tempfiles`, shared with the cache folder.

TEMP_SUFFIX = tempfiles.TEMP_SUFFIX
PENDING_SUFFIX = tempfiles.PENDING_SUFFIX
STALE_PENDING_SECONDS = tempfiles.STALE_PENDING_SECONDS
temp_name_pattern = tempfiles.temp_name_pattern
remove_live_temps = tempfiles.remove_live_temps
_new_temp = tempfiles.new_temp
_drop_temp = tempfiles.drop_temp


def remove_stale_temps(path: Path) -> list[str]:
    """Remove leftovers of killed saves of ``path`` (and of its backup) from its folder
    (:func:`pledgetui.tempfiles.remove_stale`). Returns the names removed. Never raises."""
    return tempfiles.remove_stale(path.parent, [path.name, path.name + BACKUP_SUFFIX])


# ----------------------------------------------------------------- guards


class ReadOnlyError(SaveError):
    """The target is marked read-only (or is the bundled ledger); nothing was written."""


def check_writable(path: Path, st: os.stat_result | None = None) -> None:
    """Raise :class:`ReadOnlyError` when ``path`` must not be replaced: the ledger bundled
    with the package, or a file whose mode marks it read-only."""
    reason = paths.read_only_reason(path)
    if reason is not None:
        raise ReadOnlyError(f"refusing to save {path}: {reason}; nothing was written")
    if st is None:
        try:
            st = os.stat(path)
        except OSError:
            return
    if stat.S_ISREG(st.st_mode) and not osutil.write_allowed_by_mode(st):
        raise ReadOnlyError(
            f"refusing to save {path}: the file is read-only (mode {stat.S_IMODE(st.st_mode):04o}); "
            "make it writable (chmod u+w) to save over it, or save a copy; nothing was written"
        )


def _same_state(a: os.stat_result, b: os.stat_result) -> bool:
    """Nothing wrote, replaced or re-moded the file between two stats (ctime moves on any write,
    and cannot be set back the way mtime can)."""
    return (a.st_dev, a.st_ino, a.st_size, a.st_mtime_ns, a.st_ctime_ns, a.st_mode) == (
        b.st_dev,
        b.st_ino,
        b.st_size,
        b.st_mtime_ns,
        b.st_ctime_ns,
        b.st_mode,
    )


def _verified_stat(path: Path, expected: Fingerprint) -> os.stat_result:
    """The stat of ``path`` taken while checking that it holds exactly the ``expected`` bytes;
    raises :class:`ConflictError` when it does not (changed, replaced or gone)."""
    try:
        with open(path, "rb") as fh:
            before = os.fstat(fh.fileno())
            if stat.S_ISREG(before.st_mode) and before.st_size == expected.size:
                digest = hashlib.sha256(fh.read()).hexdigest()
                if digest == expected.sha256 and _same_state(before, os.stat(path)):
                    return before
    except OSError:
        pass
    raise ConflictError(f"{path} changed on disk since it was read; not overwritten")


def atomic_write(
    path: Path,
    data: bytes,
    *,
    backup: bool = True,
    expected: Fingerprint | None = None,
    exclusive: bool = False,
) -> os.stat_result:
    """Replace ``path`` with ``data`` so that a reader or a crash sees the old or the new file, never half.

    Steps: temp file in the same folder, write, fsync, copy the old mode, keep the old
    file as ``<name>.bak``, re-check the target, ``os.replace``, fsync the folder.
    Returns the stat of the new file.

    - ``expected``: the fingerprint of the file when it was read. The target is checked
      against it before anything is written and again immediately before the rename
      (stat identity, and the content hash when the stat moved); a change raises
      :class:`ConflictError`.
    - ``exclusive``: the target must not exist; it is created with a hard link, which
      fails rather than replace a file that appeared meanwhile.
    - A read-only target (mode bits, or the bundled ledger) raises :class:`ReadOnlyError`.
      A target that is not a regular file raises :class:`SaveError` (see :func:`write_output`).
    - Leftover temp files of killed saves of this target are removed first
      (:func:`remove_stale_temps`).

    A failure at any step, and any interruption (KeyboardInterrupt, SystemExit), removes the
    temp file; a failure raises :class:`SaveError` and the target is untouched.
    """
    # Write through a symbolic link to the file it names: replacing the link itself
    # would leave the real ledger unchanged and detach it from its articles.
    path = Path(os.path.realpath(path))
    folder = path.parent
    try:
        st_old: os.stat_result | None = os.stat(path)
    except FileNotFoundError:
        st_old = None
    except OSError as exc:
        raise SaveError(f"could not save {path}: {exc.strerror or exc}; nothing was written") from exc
    if st_old is not None:
        if stat.S_ISDIR(st_old.st_mode):
            raise SaveError(f"could not save {path}: it is a folder; nothing was written")
        if not stat.S_ISREG(st_old.st_mode):
            raise SaveError(f"could not save {path}: it is not a regular file; nothing was written")
        if exclusive:
            raise SaveError(f"{path} already exists; not overwritten")
    check_writable(path, st_old)
    if st_old is not None:
        old_mode = stat.S_IMODE(st_old.st_mode)
    else:
        umask = os.umask(0)
        os.umask(umask)
        old_mode = 0o666 & ~umask
    seen = None if expected is None else _verified_stat(path, expected)
    remove_stale_temps(path)
    step = "create a temporary file"
    tmp: str | None = None
    keep = -1
    try:
        fd, tmp = _new_temp(folder, path.name)
        keep = os.dup(fd)  # holds the temp's lock (and its stat) until after the rename
        with os.fdopen(fd, "wb") as fh:
            step = "write"
            fh.write(data)
            step = "flush"
            fh.flush()
            step = "fsync"
            os.fsync(fh.fileno())
            step = "set the file mode"
            osutil.set_mode(fh.fileno(), tmp, old_mode)
        if backup and st_old is not None:
            step = "keep a backup of the previous version"
            _backup(path, expected)
        step = "check the file again"
        if seen is not None:
            try:
                now = os.stat(path)
            except OSError:
                now = None
            if now is None or not _same_state(now, seen):
                assert expected is not None  # seen is only set when a fingerprint was given
                seen = _verified_stat(path, expected)  # raises ConflictError unless the bytes are the same
            check_writable(path, seen)
        step = "replace"
        if exclusive:
            try:
                os.link(tmp, path)  # fails with EEXIST instead of replacing a file that appeared
            except OSError as exc:
                if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
                    raise
                if os.path.lexists(path):  # no hard links here: the last look before the rename
                    raise FileExistsError(errno.EEXIST, "exists") from None
                os.replace(tmp, path)
            _drop_temp(tmp)
        else:
            os.replace(tmp, path)
            tempfiles.forget(tmp)
        tmp = None
        step = "fsync the folder"
        fsync_dir(folder)
        return os.fstat(keep)
    except FileExistsError as exc:
        raise SaveError(f"{path} already exists; not overwritten") from exc
    except OSError as exc:
        raise SaveError(
            f"could not save {path}: {step} failed: {exc.strerror or exc}; the file on disk is unchanged"
        ) from exc
    finally:
        if tmp is not None:
            _drop_temp(tmp)
        if keep >= 0:
            os.close(keep)


def _backup(path: Path, expected: Fingerprint | None = None) -> None:
    """Copy the current file to ``<name>.bak`` atomically (the copy is itself written via a temp file).

    With ``expected``, the bytes copied must be the expected ones (:class:`ConflictError`
    otherwise, and the previous backup is kept): the backup is the version that was read.
    """
    target = path.with_name(path.name + BACKUP_SUFFIX)
    data = path.read_bytes()
    if expected is not None and hashlib.sha256(data).hexdigest() != expected.sha256:
        raise ConflictError(f"{path} changed on disk since it was read; not overwritten")
    mode = stat.S_IMODE(os.stat(path).st_mode)
    fd, tmp = _new_temp(path.parent, target.name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
            osutil.set_mode(fh.fileno(), tmp, mode)
        os.replace(tmp, target)
        tempfiles.forget(tmp)
    except BaseException:
        _drop_temp(tmp)
        raise


_FD_ALIASES = re.compile(r"/dev/(stdout|stderr|fd/\d+)|/proc/self/fd/\d+")


#: How long an export waits for a reader of a named pipe to open it (one started just before).
FIFO_READER_GRACE = 1.0


def _open_for_output(target: Path | str, st: os.stat_result, *, blocking: bool = True) -> int:
    """Open a device, a named pipe or a descriptor's alias for writing, never waiting.

    A named pipe that nothing reads would block an ordinary open until a reader
    comes, for ever in a script; opened without blocking it fails at once (ENXIO),
    which is said in words. Once open, writes block again as usual (a slow reader
    slows the export, it does not break it)."""
    flags = os.O_WRONLY | osutil.O_CLOEXEC | osutil.O_BINARY | osutil.O_NOCTTY | osutil.O_NONBLOCK
    if stat.S_ISREG(st.st_mode):
        flags |= os.O_TRUNC
    deadline = time.monotonic() + FIFO_READER_GRACE
    while True:
        try:
            fd = os.open(target, flags)
            break
        except OSError as exc:
            if exc.errno == errno.ENXIO and stat.S_ISFIFO(st.st_mode):
                if time.monotonic() < deadline:  # a reader started just before us may not have opened it yet
                    time.sleep(0.05)
                    continue
                raise SaveError(
                    f"could not write to {target}: it is a named pipe that nothing is reading; "
                    "start the program that reads it first, then export again"
                ) from None
            raise SaveError(f"could not write to {target}: {exc.strerror or exc}") from exc
    if blocking:
        try:
            os.set_blocking(fd, True)
        except OSError:
            pass  # no such mode here (Windows): writes were blocking anyway
    return fd


#: How often a write that waits for a slow reader looks whether it was asked to stop.
STOP_POLL_SECONDS = 0.2


def _write_all(fd: int, data: bytes, stop: Callable[[], bool] | None) -> int:
    """Write ``data`` into ``fd``; the bytes written. With ``stop``, ``fd`` is non-blocking
    and, while the reader keeps up no more, ``stop()`` is asked every
    :data:`STOP_POLL_SECONDS`: True gives up (:class:`WriteStopped`)."""
    view = memoryview(data)
    written = 0
    while view:
        try:
            n = os.write(fd, view)
        except BlockingIOError:
            if stop is not None and stop():
                raise WriteStopped(written) from None
            select.select([], [fd], [], STOP_POLL_SECONDS)
            continue
        except BrokenPipeError as exc:
            raise ReaderGone(written) from exc
        written += n
        view = view[n:]
    return written


class WriteStopped(Exception):
    def __init__(self, written: int) -> None:
        super().__init__(written)
        self.written = written


class ReaderGone(Exception):
    def __init__(self, written: int) -> None:
        super().__init__(written)
        self.written = written


def write_output(
    target: Path | str,
    data: bytes,
    *,
    for_terminal: Callable[[bytes], bytes] | None = None,
    stop: Callable[[], bool] | None = None,
) -> None:
    """Write an export to ``target``: a regular file (or a new name) is replaced atomically
    (:func:`atomic_write`, no backup); a character device, a named pipe or an alias of an
    open descriptor (``/dev/stdout``, ``/dev/fd/N``) is written into, never replaced; a
    folder or any other kind of file is refused. ``for_terminal`` turns the bytes into
    what a terminal may be shown, when the target is one. ``stop``: asked while a pipe's
    reader does not keep up; True gives up the write (a dashboard that quits does not
    wait for a reader that never reads). Raises :class:`SaveError`.
    """
    name = str(target)
    try:
        st = os.stat(target)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise SaveError(f"could not save {target}: {exc.strerror or exc}; nothing was written") from exc
    alias = _FD_ALIASES.fullmatch(name) is not None
    if st is None and not os.path.isdir(os.path.dirname(os.path.abspath(name))):
        raise SaveError(
            f"could not save {target}: the folder {os.path.dirname(os.path.abspath(name))} does not exist; nothing was written"
        )
    if st is None or (stat.S_ISREG(st.st_mode) and not alias):
        atomic_write(Path(target), data, backup=False)
        return
    if stat.S_ISDIR(st.st_mode):
        raise SaveError(f"could not save {target}: it is a folder; give a file name")
    if not (stat.S_ISCHR(st.st_mode) or stat.S_ISFIFO(st.st_mode) or (alias and stat.S_ISREG(st.st_mode))):
        kind = "block device" if stat.S_ISBLK(st.st_mode) else "socket" if stat.S_ISSOCK(st.st_mode) else "special file"
        raise SaveError(f"could not save {target}: it is a {kind}; nothing was written")
    fd = _open_for_output(target, st, blocking=stop is None)
    try:
        if for_terminal is not None and os.isatty(fd):
            data = for_terminal(data)
        _write_all(fd, data, stop)
    except WriteStopped as exc:
        raise SaveError(
            f"stopped writing to {target} after {exc.written:,} of {len(data):,} bytes, as asked: "
            "its reader was not reading; what it received is incomplete"
        ) from None
    except ReaderGone as exc:
        raise SaveError(
            f"could not finish writing to {target}: its reader went away after {exc.written:,} of "
            f"{len(data):,} bytes; what it received is incomplete"
        ) from None
    except OSError as exc:
        raise SaveError(f"could not write to {target}: {exc.strerror or exc}") from exc
    finally:
        os.close(fd)
