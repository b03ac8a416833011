"""Temp files that a killed process cannot leave behind for long.

Every file pledgetui writes atomically (a saved ledger, its backup, a copy, a cache
file) is written to ``.<target name>.XXXXXXXX.tmp`` in the target's folder
(``XXXXXXXX`` is mkstemp's random part) and renamed over the target when complete.
The file is created under a *pending* name (``....pending``), locked with an
exclusive ``flock``, and only then given its temp name; the kernel drops the lock
when the process dies, however it dies. So:

- a file of the temp pattern that nobody holds locked is a leftover of a killed
  write, whatever its age or size, and the next write in that folder removes it
  (:func:`remove_stale`);
- a file still under its pending name is removed once it is
  :data:`STALE_PENDING_SECONDS` old (a live write holds that name for microseconds);
- temp files of writes still running in this process are listed for signal
  handlers (:func:`remove_live_temps`), so SIGTERM and SIGHUP leave none.

Where files cannot be locked (:data:`pledgetui.osutil.LOCKS`), a live write cannot
be told from a dead one, so leftovers are left alone.
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

from pledgetui import osutil

TEMP_SUFFIX = ".tmp"
#: A temp file's name while it is created and locked (microseconds); one left behind by a
#: process killed in that moment is removed once it is this old.
PENDING_SUFFIX = ".pending"
STALE_PENDING_SECONDS = 60

_live: set[str] = set()


def temp_name_pattern(name: str, suffix: str = TEMP_SUFFIX) -> re.Pattern[str]:
    """The names of temp files for a target called ``name``."""
    return re.compile(rf"\.{re.escape(name)}\.[a-z0-9_]{{8}}{re.escape(suffix)}")


def new_temp(folder: Path | str, name: str) -> tuple[int, str]:
    """Create, register and lock a temp file for ``name`` in ``folder``: (fd, path).

    The file is created under a pending name and takes the temp name only once it is
    locked, so an unlocked file of the temp pattern is always a leftover of a killed
    write, whatever its age or size, and the next write removes it."""
    fd, pending = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=PENDING_SUFFIX)
    tmp = pending[: -len(PENDING_SUFFIX)] + TEMP_SUFFIX
    _live.update((pending, tmp))
    try:
        osutil.try_lock(fd)
    except OSError:
        pass  # no locks here: the temp is still removed by this process on failure
    try:
        # Atomic: one name at any moment. A file of the temp name with the same random
        # part could only be an earlier leftover of ours, which this replaces.
        os.rename(pending, tmp)
    except OSError:
        tmp = pending  # the pending name serves; it is removed on every exit path as well
    if tmp != pending:
        _live.discard(pending)
    return fd, tmp


def forget(tmp: str) -> None:
    """``tmp`` was renamed over its target: no longer ours to remove."""
    _live.discard(tmp)


def drop_temp(tmp: str) -> None:
    """Remove ``tmp`` (a failed or interrupted write). Never raises."""
    try:
        os.unlink(tmp)
    except OSError:
        pass
    _live.discard(tmp)


def remove_live_temps() -> None:
    """Remove the temp files of writes in progress in this process. For signal handlers:
    a process about to die by a signal leaves no temp file behind (its target is untouched)."""
    for tmp in list(_live):
        drop_temp(tmp)


def remove_stale(folder: Path | str, names: Iterable[str] | None = None) -> list[str]:
    """Remove leftovers of killed writes from ``folder``: temp files for the targets
    ``names`` (every target in the folder when None).

    Only names of this module's pattern, only regular files (never a link), and only
    those no live write holds locked (a live write locks its temp file before giving
    it that name); a file still under its pending name only once it is
    :data:`STALE_PENDING_SECONDS` old. Returns the names removed. Never raises.
    """
    removed: list[str] = []
    if not osutil.LOCKS:
        return removed
    if names is None:
        any_name = r"\..+\.[a-z0-9_]{8}"
        patterns = [re.compile(any_name + re.escape(TEMP_SUFFIX)), re.compile(any_name + re.escape(PENDING_SUFFIX))]
    else:
        patterns = [temp_name_pattern(n, suffix) for n in names for suffix in (TEMP_SUFFIX, PENDING_SUFFIX)]
    try:
        entries = [e for e in os.scandir(folder) if any(p.fullmatch(e.name) for p in patterns)]
    except OSError:
        return removed
    for entry in entries:
        full = os.path.join(folder, entry.name)
        if full in _live:
            continue
        try:
            fd = os.open(full, os.O_RDONLY | osutil.O_NOFOLLOW | osutil.O_NONBLOCK | osutil.O_CLOEXEC)
        except OSError:
            continue
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode) or st.st_nlink != 1:
                continue
            if entry.name.endswith(PENDING_SUFFIX) and time.time() - st.st_mtime < STALE_PENDING_SECONDS:
                continue
            try:
                if not osutil.try_lock(fd):
                    continue  # a live write holds it
            except OSError:
                continue
            try:
                same = os.lstat(full)
            except OSError:
                continue
            if (same.st_dev, same.st_ino) == (st.st_dev, st.st_ino):
                os.unlink(full)
                removed.append(entry.name)
        except OSError:
            continue
        finally:
            os.close(fd)
    return removed
