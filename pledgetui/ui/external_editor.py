"""Edit the ledger file itself in the user's editor, then reload it, checked.

The editor's command is resolved and checked first (:mod:`pledgetui.editor`: ``$VISUAL``,
``$EDITOR``, else ``vi``; never through a shell; the file as an absolute path), so a
missing or broken editor is a message and the screen is never handed over for
nothing. The app is then suspended (``App.suspend``) while the editor runs; whatever
happens to the editor (it cannot start, Ctrl-C), the app resumes before it is reported.
Afterwards the session controller reads and validates the file (in a worker, see
:meth:`pledgetui.ui.controller.SessionController.reload_edited_file`): a valid file
replaces the session's ledger; an invalid one leaves the dashboard as it was and the
problems are shown (the file on disk then differs from the session, so a save asks
first). Unsaved edits in the session are refused, saying why: the editor sees the file
on disk, which does not hold them, and reloading would drop them.

It knows the app only as a :class:`~pledgetui.ui.shell.Suspender` and the controller
as a :class:`~pledgetui.ui.shell.FileReloader`.
"""

from __future__ import annotations

import errno
import os
import signal
import subprocess
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import TYPE_CHECKING

from pledgetui.editor import EditorProblem, editor_argv
from pledgetui.sanitize import display_line

if TYPE_CHECKING:
    from pledgetui.ui.shell import FileReloader, Suspender


def run_editor(suspend: Callable[[], AbstractContextManager[None]], argv: list[str]) -> int | str:
    """Run ``argv`` with the app suspended: the editor's exit status, or why it could not run.

    Nothing may escape the ``suspend()`` block: Textual resumes the app only when the
    block ends normally, so an error raised inside it would leave a blank screen that
    ignores every key. Ctrl-C while the editor runs is the editor's: it reaches this
    process too (the terminal signals its whole foreground group), where the event
    loop's own handler would end the dashboard, so a handler that only takes note of it
    stands in for the run. Raises ``SuspendNotSupported`` (before suspending) when the
    terminal cannot be handed over."""
    interrupted: list[int] = []
    with suspend(), _noting(signal.SIGINT, interrupted):
        try:
            status = subprocess.run(argv, check=False).returncode
        except OSError as exc:
            return f"could not start {argv[0]}: {_start_problem(argv[0], exc)}"
        except KeyboardInterrupt:  # where no handler could be set (not the main thread)
            return "the editor was interrupted (Ctrl-C)"
    if interrupted:
        return f"the editor was interrupted (Ctrl-C; it ended with status {status})"
    return status


@contextmanager
def _noting(signum: int, seen: list[int]) -> Iterator[None]:
    """While the block runs, ``signum`` is noted in ``seen`` instead of acted on. A Python
    handler (unlike SIG_IGN) is not inherited by the program started meanwhile."""
    try:
        previous = signal.signal(signum, lambda number, frame: seen.append(number))
    except ValueError:  # not the main thread: leave the signal as it is
        yield
        return
    try:
        yield
    finally:
        signal.signal(signum, previous)


def _start_problem(program: str, exc: OSError) -> str:
    """Why ``program`` did not start, in words: a script whose ``#!`` interpreter is missing
    fails with "no such file" although the script is there."""
    if exc.errno == errno.ENOENT and os.path.isfile(program):
        return "it exists, but the interpreter its first line (#!) names was not found"
    return exc.strerror or str(exc)


def refusal(reloader: FileReloader) -> str | None:
    """Why the file cannot be edited now, or None."""
    session = reloader.session
    if session is None:
        return "no ledger is open"
    if session.read_only is not None:
        return f"{display_line(session.path.name)} is opened read-only: {session.read_only}"
    if reloader.busy is not None:
        return f"{reloader.busy} is in progress; try again when it is done"
    if session.dirty:
        return (
            "there are unsaved edits: save them (ctrl+s) or undo them first. The editor opens the file on "
            "disk, which does not hold them, and reloading it afterwards would drop them"
        )
    return None


def edit_ledger_file(app: Suspender, reloader: FileReloader, keep_id: str | None) -> bool:
    """Suspend, edit, and, when the file changed, have ``reloader`` reload it with validation
    (the cursor stays on ``keep_id``). True when the file changed and is being reloaded."""
    from textual.app import SuspendNotSupported

    from pledgetui import filesave

    why = refusal(reloader)
    if why is not None:
        app.notify(f"Not opened in the editor: {why}", title="Edit file", severity="warning", timeout=10)
        return False
    session = reloader.session
    assert session is not None
    try:
        argv = editor_argv(session.path)
    except EditorProblem as exc:
        app.notify(f"Not opened in the editor: {exc}", title="Edit file", severity="error", timeout=15)
        return False
    try:
        status = run_editor(app.suspend, argv)
    except SuspendNotSupported:
        app.notify(
            "Not opened in the editor: this terminal cannot be handed over to another program",
            severity="error",
            timeout=10,
        )
        return False
    app.clear_notifications()  # what was said before the editor ran (an earlier edit's problems) is stale now
    if isinstance(status, str):
        app.notify(f"Not edited: {status}", title="Edit file", severity="error", timeout=15)
        return False
    if status != 0:
        app.notify(f"The editor ended with status {status}; checking the file anyway", severity="warning")
    if not filesave.changed_on_disk(session.path, session.fingerprint):
        app.notify(f"{display_line(session.path.name)} is unchanged: the dashboard shows it as it is", timeout=4)
        return False
    reloader.reload_edited_file(keep_id)
    return True
