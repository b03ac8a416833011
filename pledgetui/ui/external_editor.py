"""Edit the ledger file itself in the user's editor, then reload it, checked.

The app is suspended (``App.suspend``) while ``$VISUAL`` or ``$EDITOR`` (else ``vi``; on
Windows ``notepad``) runs on the file. Afterwards the file is read and validated: a valid
file replaces the session's ledger; an invalid one leaves the dashboard as it was and
the problems are shown (the file on disk then differs from the session, so a save asks
first). Unsaved edits in the session are refused, saying why: the editor sees the file
on disk, which does not hold them, and reloading would drop them.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pledgetui.ui.app import PledgeApp


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


def run_editor(app: PledgeApp, command: list[str], path: Path) -> int:
    """Run the editor on ``path`` with the app suspended; its exit status. Raises OSError
    (no such editor) or ``SuspendNotSupported`` (the terminal cannot be handed over)."""
    with app.suspend():
        return subprocess.run([*command, str(path)], check=False).returncode


def refusal(app: PledgeApp) -> str | None:
    """Why the file cannot be edited now, or None."""
    session = app.session
    if session is None:
        return "no ledger is open"
    if session.read_only is not None:
        return f"{session.path.name} is opened read-only: {session.read_only}"
    if app.controller.saving:
        return "a save is in progress; try again when it is done"
    if session.dirty:
        return (
            "there are unsaved edits: save them (ctrl+s) or undo them first. The editor opens the file on "
            "disk, which does not hold them, and reloading it afterwards would drop them"
        )
    return None


def edit_ledger_file(app: PledgeApp) -> bool:
    """Suspend, edit, reload with validation. True when the session took the edited file."""
    from textual.app import SuspendNotSupported

    from pledgetui import store
    from pledgetui.verify import Articles

    why = refusal(app)
    if why is not None:
        app.notify(f"Not opened in the editor: {why}", title="Edit file", severity="warning", timeout=10)
        return False
    session = app.session
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
    try:
        store.load(session.path, use_cache=False)
    except store.LedgerError as exc:
        app.notify(
            "\n".join(
                [
                    *exc.report(),
                    "The dashboard still shows the ledger as it was; press E to fix the file "
                    "(a save now would ask before replacing it).",
                ]
            ),
            title="The edited file has problems",
            severity="error",
            timeout=30,
        )
        return False
    keep = app.dashboard.current.id if app.dashboard.current is not None else None
    try:
        session.reload()
    except store.LedgerError as exc:  # changed again between the check and the reload
        app.notify(str(exc), severity="error", timeout=15)
        return False
    app.articles = Articles(session.path)
    app.publish(f"Reloaded {session.path.name} after editing", keep)
    return True
