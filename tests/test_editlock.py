"""One editor at a time: the edit lock a dashboard holds on the ledger it edits."""

from __future__ import annotations

import signal
from pathlib import Path

from pledgetui import editlock
from pledgetui.editlock import EditLock, held_elsewhere
from tests.lockholder import hold


def test_a_second_session_cannot_take_a_held_lock_until_it_is_released(ledger_path: Path) -> None:
    first = EditLock.take(ledger_path)
    assert first is not None and first.held
    assert held_elsewhere(ledger_path)
    assert EditLock.take(ledger_path) is None
    first.release()
    assert not held_elsewhere(ledger_path)
    second = EditLock.take(ledger_path)
    assert second is not None and second.held
    second.release()


def test_the_lock_is_per_ledger_and_named_by_its_resolved_path(ledger_path: Path, tmp_path: Path) -> None:
    held = EditLock.take(ledger_path)
    assert held is not None
    try:
        other = tmp_path / "other.toml"
        assert not held_elsewhere(other)
        # the same ledger named another way (a relative path with "..") is the same lock
        assert held_elsewhere(ledger_path.parent / ".." / ledger_path.parent.name / ledger_path.name)
        assert editlock.lock_path(ledger_path).parent == editlock.lock_dir()
    finally:
        held.release()


def test_asking_whether_it_is_held_does_not_keep_anyone_from_taking_it(ledger_path: Path) -> None:
    assert not held_elsewhere(ledger_path)
    taken = EditLock.take(ledger_path)
    assert taken is not None and taken.held
    taken.release()


def test_without_file_locks_no_session_is_made_read_only(ledger_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(editlock.osutil, "LOCKS", False)
    first, second = EditLock.take(ledger_path), EditLock.take(ledger_path)
    assert first is not None and second is not None and not first.held
    assert not held_elsewhere(ledger_path)


# The child takes the edit lock, says "held" and keeps it until killed.


def test_a_killed_holder_never_blocks_the_next_session(ledger_path: Path) -> None:
    child = hold(ledger_path)
    try:
        assert child.stdout is not None and child.stdout.readline().split() == ["held"]
        assert held_elsewhere(ledger_path)
        assert EditLock.take(ledger_path) is None
        child.send_signal(signal.SIGKILL)  # no clean-up runs: the kernel drops the lock
        assert child.wait() == -signal.SIGKILL
    finally:
        child.kill()
        child.wait()
    assert not held_elsewhere(ledger_path)
    lock = EditLock.take(ledger_path)
    assert lock is not None and lock.held
    lock.release()


def test_a_ledger_replaced_by_a_link_to_itself_is_asked_about_without_an_exception(tmp_path: Path) -> None:
    """Path.resolve raises RuntimeError on a link loop; the lock and the journal are named anyway."""
    from pledgetui import journal

    loop = tmp_path / "pledges.toml"
    loop.symlink_to(loop.name)
    assert not held_elsewhere(loop)
    assert editlock.lock_path(loop).parent == editlock.lock_dir()
    assert journal.pending(loop) is None
