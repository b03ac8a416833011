"""Edit the ledger file itself in the user's editor, then reload it, checked.

The app is suspended (``App.suspend``) while ``$VISUAL`` or ``$EDITOR`` (else ``vi``; on
Windows ``notepad``) runs on the file. Afterwards the session controller reads and
validates the file (in a worker, see :meth:`pledgetui.ui.controller.SessionController.reload_edited_file`):
a valid file replaces the session's ledger; an invalid one leaves the dashboard as it
was and the problems are shown (the file on disk then differs from the session, so a
save asks first). Unsaved edits in the session are refused, saying why: the editor sees
the file on disk, which does not hold them, and reloading would drop them.

It knows the app only as a :class:`~pledgetui.ui.shell.Suspender` and the controller
as a :class:`~pledgetui.ui.shell.FileReloader`.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pledgetui.ui.shell import FileReloader, Suspender


def editor_command(environ: dict[str, str] | os._Environ[str] | None = None) -> list[str]:
    env = os.environ if environ is None else environ
    for name in ("VISUAL", "EDITOR"):
        value = env.get(name, "").strip()
        if value:
            try:
                return shlex.split(value, posix=sys.platform != "win32")
            except ValueError:
                return [value]
    return ["notepad"] if sys.platform == "win32" else ["vi"]


def run_editor(app: Suspender, command: list[str], path: Path) -> int:
    """Run the editor on ``path`` with the app suspended; its exit status. Raises OSError
    (no such editor) or ``SuspendNotSupported`` (the terminal cannot be handed over)."""
    with app.suspend():
        return subprocess.run([*command, str(path)], check=False).returncode


def refusal(reloader: FileReloader) -> str | None:
    """Why the file cannot be edited now, or None."""
    session = reloader.session
    if session is None:
        return "no ledger is open"
    if session.read_only is not None:
        return f"{session.path.name} is opened read-only: {session.read_only}"
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

    from pledgetui import store

    why = refusal(reloader)
    if why is not None:
        app.notify(f"Not opened in the editor: {why}", title="Edit file", severity="warning", timeout=10)
        return False
    session = reloader.session
    assert session is not None
    command = editor_command()
    try:
        status = run_editor(app, command, session.path)
    except (OSError, SuspendNotSupported) as exc:
        app.notify(f"Could not run the editor {shlex.join(command)}: {exc}", severity="error", timeout=10)
        return False
    if status != 0:
        app.notify(f"The editor ended with status {status}; checking the file anyway", severity="warning")
    if not store.changed_on_disk(session.path, session.fingerprint):
        app.notify(f"{session.path.name} is unchanged", timeout=4)
        return False
    reloader.reload_edited_file(keep_id)
    return True
