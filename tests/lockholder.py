"""Another session holding a ledger's edit lock: a child process, killed or released by the test."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.factory import REPO

#: Takes the lock (and, with a second argument "edit", starts an editing session that deletes
#: russia-mfa unsaved), says "held" or "refused", and keeps it until its stdin closes or it is killed.
HOLD = r"""
import sys
sys.path.insert(0, sys.argv[2])
from pledgetui.editlock import EditLock
lock = EditLock.take(sys.argv[1])
if sys.argv[3:] == ["edit"]:
    from pledgetui.session import EditSession
    s = EditSession.open(sys.argv[1])
    s.delete_entry("russia-mfa")
print("held" if lock is not None and lock.held else "refused", flush=True)
sys.stdin.read()
"""


def hold(ledger_path: Path, *, edit: bool = False) -> subprocess.Popen[str]:
    """A child holding the edit lock of ``ledger_path`` (once it has said so: read its first line)."""
    return subprocess.Popen(
        [sys.executable, "-c", HOLD, str(ledger_path), str(REPO), *(["edit"] if edit else [])],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
