"""Without fcntl (as on Windows) the package imports, and the core loads, checks and saves a ledger;
the recovery journal, which cannot be locked there, is never shared. Plus the POSIX side of pledgetui.osutil."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from pledgetui import osutil
from tests.factory import REPO

#: What a Windows Python lacks that the package could reach for; removed in the child before any import.
POSIX_ONLY = ["fchmod", "geteuid", "getegid", "getgroups", "O_NOFOLLOW", "O_NONBLOCK", "O_NOCTTY", "O_CLOEXEC"]

CHILD = r"""
import json, os, sys
sys.modules["fcntl"] = None  # `import fcntl` raises ImportError from here on
for name in POSIX_ONLY:
    if hasattr(os, name):
        delattr(os, name)

import importlib, pkgutil, stat
import pledgetui

names = sorted(m.name for m in pkgutil.walk_packages(pledgetui.__path__, "pledgetui.") if not m.name.endswith("__main__"))
for name in names:
    importlib.import_module(name)

from pathlib import Path
from pledgetui import journal, ledgerfile, osutil, store
from pledgetui.cli import main
from pledgetui.session import EditSession, JournalBusy

path = Path(sys.argv[1])
out = {"imported": names, "locks": osutil.LOCKS}

out["check_exit"] = main(["check", str(path)])  # load, verify every quote, review

loaded = store.load(path)
os.chmod(path, 0o640)
fp = store.save(loaded.ledger, path, expected=ledgerfile.fingerprint(path))
out["saved_same"] = store.load(path).ledger == loaded.ledger and fp.sha256 == ledgerfile.fingerprint(path).sha256
out["mode_kept"] = oct(stat.S_IMODE(os.stat(path).st_mode))

first, second = EditSession.open(path), EditSession.open(path)
p = first.ledger.entry("uk-ground")
first.put_entry(p.model_copy(update={"notes": "first"}))
try:
    second.put_entry(p.model_copy(update={"notes": "second"}))
    out["second"] = "accepted"
except JournalBusy as exc:
    out["second"] = str(exc)
out["second_unchanged"] = not second.dirty
out["pending_while_live"] = journal.pending(path) is not None  # cannot be told from an ended session
out["discard_own"] = journal.discard(path)  # this process holds it: never deleted under its session
first.save()
out["journal_after_save"] = journal.journal_path(path).exists()
second.reload()
second.put_entry(p.model_copy(update={"notes": "second"}))
second.save()
out["notes"] = store.load(path).ledger.entry("uk-ground").notes
print(json.dumps(out))
"""


def run_without_fcntl(ledger_path: Path) -> dict:
    code = f"POSIX_ONLY = {POSIX_ONLY!r}\n" + CHILD
    result = subprocess.run(
        [sys.executable, "-c", code, str(ledger_path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_without_fcntl_the_package_imports_and_the_core_loads_checks_and_saves(ledger_path: Path) -> None:
    out = run_without_fcntl(ledger_path)
    assert out["locks"] is False
    assert {"pledgetui.store", "pledgetui.journal", "pledgetui.osutil", "pledgetui.ui.app"} <= set(out["imported"])
    assert out["check_exit"] == 0
    assert out["saved_same"] is True
    assert out["mode_kept"] == "0o640"  # set by path: no os.fchmod
    assert out["journal_after_save"] is False
    assert out["notes"] == "second"


def test_without_fcntl_the_journal_is_never_shared(ledger_path: Path) -> None:
    out = run_without_fcntl(ledger_path)
    assert out["second"].startswith("this system cannot lock files, so pledgetui cannot tell whether another session")
    assert "a journal is never shared" in out["second"] and "nothing was changed here" in out["second"]
    assert out["second_unchanged"] is True
    assert out["pending_while_live"] is True
    assert out["discard_own"] is False


def test_try_lock_tells_a_held_lock_from_a_free_one(tmp_path: Path) -> None:
    target = tmp_path / "f"
    target.write_bytes(b"x")
    a, b = os.open(target, os.O_RDONLY), os.open(target, os.O_RDONLY)
    try:
        assert osutil.try_lock(a)
        assert not osutil.try_lock(b)  # another open file: as another process holding it
        assert not osutil.try_lock(b, shared=True)
        os.close(a)
        a = -1
        assert osutil.try_lock(b, shared=True)
    finally:
        for fd in (a, b):
            if fd >= 0:
                os.close(fd)


def test_without_fcntl_try_lock_says_why(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(osutil, "fcntl", None)
    with pytest.raises(osutil.LockingUnavailable, match="cannot lock files"):
        osutil.try_lock(0)


def test_set_mode_falls_back_to_the_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "f"
    target.write_bytes(b"x")
    monkeypatch.delattr(os, "fchmod")
    with open(target, "rb") as fh:
        osutil.set_mode(fh.fileno(), target, 0o604)
    assert stat.S_IMODE(target.stat().st_mode) == 0o604


def test_without_user_ids_the_read_only_attribute_decides(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    target = tmp_path / "f"
    target.write_bytes(b"x")
    monkeypatch.setattr(osutil, "USER_IDS", False)
    os.chmod(target, 0o444)
    assert not osutil.write_allowed_by_mode(target.stat())
    os.chmod(target, 0o644)
    assert osutil.write_allowed_by_mode(target.stat())
    assert not osutil.private_to_user(target.stat())  # cannot be told: no signed cache there
