"""``pledgetui check`` of a large ledger on two processor cores.

Reading and validating the entries is most of a check's time, and it is the same
work for every entry. A ledger in the canonical form (:mod:`pledgetui.fastread`)
is read in two parts at once: the process forks after reading the file and its
head, the child reads, verifies and reviews the entries of the second half of the
file, and the parent those of the first. The parent then checks what no part can
see alone (ids used in both parts) and prints the two outcomes one after the
other, which gives the lines and the exit status one process would give
(tests/test_check_cli.py compares them).

It is a shortcut, never a second judge: anything it does not expect (a file not
in the canonical form, a problem in either part, ids used twice, a child that
fails) makes it return None, and ``check`` reads the ledger the ordinary way,
which reports every problem as it always does. It is used only where ``fork``
exists (Linux), with two usable cores, for files of at least :data:`MIN_BYTES`.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Generic, Protocol, Self, TypeVar

if TYPE_CHECKING:
    from pledgetui.model import Ledger
    from pledgetui.verify import Articles, Report

#: Smaller files are checked in one process: a part would save less than the fork costs.
MIN_BYTES = 4 * 1024 * 1024


class Part(Protocol):
    """What a check finds in a run of entries: ``first.then(second)`` is what it finds in both, in order.

    ``check`` hands its own outcome type; this module only runs the two parts and joins them.
    """

    def then(self, later: Self) -> Self: ...


Outcome = TypeVar("Outcome", bound=Part)


def usable() -> bool:
    """Whether this system can check in two processes: ``fork``, and two cores for this process."""
    if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return False
    try:
        return len(os.sched_getaffinity(0)) >= 2
    except (AttributeError, OSError):
        return (os.cpu_count() or 1) >= 2


def examine_in_parts(
    path: Path, examine: Callable[[Ledger, Articles, Report, frozenset[str]], Outcome], min_bytes: int | None = None
) -> Outcome | None:
    """The outcome of checking the ledger at ``path`` in two parts, or None (then check it the
    ordinary way): see the module docstring."""
    if not usable():
        return None
    from pledgetui import fastread, gcpause, ledgerfile
    from pledgetui.verify import Articles, verify

    try:
        data, _ = ledgerfile.read_bytes(path)
    except ledgerfile.LedgerError:
        return None  # reported by the ordinary way
    if len(data) < (MIN_BYTES if min_bytes is None else min_bytes):
        return None
    text = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    del data
    try:
        head, pos = fastread.read_head(text)
    except fastread.Unexpected:
        return None
    split = fastread.entry_starts(text, pos, pos + (len(text) - pos) // 2)
    partisan = fastread.partisan_sources(text, pos)  # the relay check needs the whole ledger's
    articles = Articles(path)
    for source in head.sources:  # both parts read the same article texts
        articles.text(head, source.id)

    def part(start: int, stop: int | None) -> tuple[Outcome, list[str]]:
        with gcpause.gc_paused():  # as in check's ordinary way
            ledger = fastread.read_part(text, head, start, stop)
            return examine(ledger, articles, verify(ledger, articles), partisan), [p.id for p in ledger.entries]

    child = _fork(lambda: part(split, None))
    if child is None:
        return None
    try:
        first, first_ids = part(pos, split)
    except fastread.Unexpected:  # a problem in the first part: the ordinary way reports it
        child.stop()
        return None
    except BaseException:  # Ctrl-C, or a failure that is not the ledger's: no child is left behind
        child.stop()
        raise
    later = child.result()
    if later is None:
        return None
    second, second_ids = later
    if not set(first_ids).isdisjoint(second_ids):
        return None  # an id used in both parts: the ordinary way names it
    return first.then(second)


class _Child(Generic[Outcome]):
    """A forked process computing one value, which it sends back pickled through a pipe."""

    def __init__(self, pid: int, fd: int) -> None:
        self.pid, self.fd = pid, fd

    def stop(self) -> None:
        """End the child now and wait for it."""
        os.close(self.fd)
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(self.pid, 0)

    def result(self) -> tuple[Outcome, list[str]] | None:
        """The child's value, or None if it failed (it is always waited for)."""
        try:
            with os.fdopen(self.fd, "rb") as pipe:
                data = pipe.read()
        finally:
            _, status = os.waitpid(self.pid, 0)
        if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0 or not data:
            return None
        value: tuple[Outcome, list[str]] | None = pickle.loads(data)
        return value


def _fork(compute: Callable[[], tuple[Outcome, list[str]]]) -> _Child[Outcome] | None:
    """Run ``compute`` in a forked child; None if no child could be started."""
    try:
        read_fd, write_fd = os.pipe()
    except OSError:
        return None
    sys.stdout.flush()  # nothing buffered is written twice
    sys.stderr.flush()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_fd)
        os.close(write_fd)
        return None
    if pid == 0:  # the child: compute, send, and leave without running the parent's exit code
        code = 1
        try:
            os.close(read_fd)
            signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C ends it with the parent
            try:
                value: tuple[Outcome, list[str]] | None = compute()
            except Exception:  # a problem in its part: the parent checks the ordinary way
                value = None
            data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_fd, "wb") as pipe:
                pipe.write(data)
            code = 0
        finally:
            os._exit(code)
    os.close(write_fd)
    return _Child(pid, read_fd)
