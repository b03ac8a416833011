"""Saving never overwrites what it must not: an outside change made while a save runs,
a file marked read-only, the bundled ledger, a device or a pipe given as an export
target; and no temporary file outlives a save, however the save ends."""

from __future__ import annotations

import fcntl
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pledgetui import canonical, filesave, paths, store
from pledgetui.edits import EditError
from pledgetui.export import write_export
from pledgetui.session import EditSession
from tests.factory import REPO, write_ledger


def temps(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def _edited(session: EditSession) -> None:
    uk = session.ledger.entry("uk-ground")
    session.put_entry(uk.model_copy(update={"notes": "mine"}))


def _outside_change(path: Path) -> bytes:
    """Another program rewrites the ledger (one entry less), as an editor would."""
    ledger = store.load(path, use_cache=False).ledger
    theirs = canonical.dumps(ledger.model_copy(update={"entries": ledger.entries[1:]}))
    path.write_bytes(theirs)
    return theirs


# --------------------------------------------------------------------------- an outside change during a save


def test_an_outside_change_made_while_the_session_saves_is_a_conflict(
    ledger_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = EditSession.open(ledger_path)
    _edited(session)
    real_fchmod = os.fchmod
    theirs: list[bytes] = []

    def change_then_fchmod(fd: int, mode: int) -> None:  # after the temp file is written, before the rename
        if not theirs:
            theirs.append(_outside_change(ledger_path))
        real_fchmod(fd, mode)

    monkeypatch.setattr(filesave.os, "fchmod", change_then_fchmod)
    with pytest.raises(filesave.ConflictError, match="changed on disk"):
        session.save()
    monkeypatch.undo()
    assert ledger_path.read_bytes() == theirs[0]  # the outside change survives in the file itself
    assert session.dirty and temps(ledger_path.parent) == []
    session.overwrite()  # the conflict path: the user chose Overwrite
    assert store.load(ledger_path).ledger == session.ledger


def test_a_change_after_the_backup_is_caught_by_the_check_before_the_rename(
    ledger_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loaded = store.load(ledger_path)
    mine = loaded.ledger.model_copy(update={"entries": loaded.ledger.entries[:2]})
    real_backup = filesave._backup
    theirs: list[bytes] = []

    def backup_then_change(path: Path, expected: filesave.Fingerprint | None = None) -> None:
        real_backup(path, expected)
        theirs.append(_outside_change(ledger_path))

    monkeypatch.setattr(filesave, "_backup", backup_then_change)
    with pytest.raises(filesave.ConflictError):
        store.save(mine, ledger_path, expected=loaded.fingerprint)
    assert ledger_path.read_bytes() == theirs[0]
    assert temps(ledger_path.parent) == []


def test_overwrite_does_not_replace_a_second_change_made_while_it_runs(
    ledger_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = EditSession.open(ledger_path)
    _edited(session)
    _outside_change(ledger_path)  # the first change: the user saw it and chose Overwrite
    real_fchmod = os.fchmod
    second: list[bytes] = []

    def change_then_fchmod(fd: int, mode: int) -> None:
        if not second:
            data = ledger_path.read_bytes() + b"\n# a second outside change\n"
            ledger_path.write_bytes(data)
            second.append(data)
        real_fchmod(fd, mode)

    monkeypatch.setattr(filesave.os, "fchmod", change_then_fchmod)
    with pytest.raises(filesave.ConflictError):
        session.overwrite()
    assert ledger_path.read_bytes() == second[0]


def test_a_copy_never_replaces_a_file_that_appears_while_it_is_written(
    ledger_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = EditSession.open(ledger_path)
    target = tmp_path / "copy.toml"
    real_fchmod = os.fchmod

    def appear_then_fchmod(fd: int, mode: int) -> None:
        if not target.exists():
            target.write_bytes(b"someone else's file\n")
        real_fchmod(fd, mode)

    monkeypatch.setattr(filesave.os, "fchmod", appear_then_fchmod)
    with pytest.raises(filesave.SaveError, match="already exists"):
        session.save_copy(target)
    assert target.read_bytes() == b"someone else's file\n"
    assert temps(tmp_path) == []


# --------------------------------------------------------------------------- read-only files and the bundled ledger


@pytest.mark.parametrize("mode", [0o444, 0o400, 0o440])
def test_a_read_only_ledger_is_never_replaced(ledger_path: Path, mode: int) -> None:
    before = ledger_path.read_bytes()
    session = EditSession.open(ledger_path)
    _edited(session)
    ledger_path.chmod(mode)
    try:
        with pytest.raises(filesave.ReadOnlyError, match=rf"read-only \(mode {mode:04o}\).*chmod u\+w"):
            session.save()
        with pytest.raises(filesave.ReadOnlyError):
            session.overwrite()
        st = os.stat(ledger_path)
        assert ledger_path.read_bytes() == before and stat.S_IMODE(st.st_mode) == mode
        assert session.dirty and temps(ledger_path.parent) == []
        assert not ledger_path.with_name("pledges.toml.bak").exists()
        # The edits are not lost: a copy can be saved, and once writable the file saves.
        session.save_copy(ledger_path.with_name("copy.toml"))
    finally:
        ledger_path.chmod(0o644)
    session.save()
    assert store.load(ledger_path).ledger == session.ledger


def test_an_export_does_not_replace_a_read_only_file(ledger_path: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_bytes(b"keep me\n")
    target.chmod(0o444)
    with pytest.raises(filesave.SaveError, match="read-only"):
        write_export(target, b"new\n")
    assert target.read_bytes() == b"keep me\n"


@pytest.fixture
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An installed package folder holding the bundled ledger in ``_bundled`` (as a wheel installs it)."""
    package = tmp_path / "site-packages" / "pledgetui"
    ledger = write_ledger(package / "_bundled" / "data")
    monkeypatch.setattr(paths, "package_root", lambda: package)
    return ledger


def test_the_bundled_ledger_opens_read_only(installed: Path) -> None:
    before = installed.read_bytes()
    session = EditSession.open(installed)
    assert session.read_only is not None and "working copy" in session.read_only
    assert str(paths.working_ledger()) in session.read_only  # says where the working copy is
    uk = session.ledger.entry("uk-ground")
    with pytest.raises(EditError, match="read-only"):
        session.put_entry(uk.model_copy(update={"notes": "mine"}))
    with pytest.raises(EditError, match="read-only"):
        session.delete_entry("uk-ground")
    assert not session.dirty and session.journal_path is None
    with pytest.raises(filesave.ReadOnlyError, match="bundled with pledgetui"):
        session.save()
    with pytest.raises(filesave.ReadOnlyError):
        session.overwrite()
    # The core refuses too, whoever calls it, and through a symbolic link.
    link = installed.parents[3] / "link.toml"
    link.symlink_to(installed)
    with pytest.raises(filesave.ReadOnlyError):
        store.save(session.ledger, link)
    assert installed.read_bytes() == before
    assert sorted(p.name for p in installed.parent.iterdir()) == ["pledges.toml", "seeds"]


def test_a_ledger_outside_the_package_is_not_read_only(installed: Path, ledger_path: Path) -> None:
    assert paths.read_only_reason(ledger_path) is None
    assert EditSession.open(ledger_path).read_only is None


# --------------------------------------------------------------------------- temporary files


def test_an_interrupted_save_leaves_no_temp_file(ledger_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = ledger_path.read_bytes()
    session = EditSession.open(ledger_path)
    _edited(session)

    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(filesave.os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        session.save()
    monkeypatch.undo()
    assert temps(ledger_path.parent) == []
    assert ledger_path.read_bytes() == before and session.dirty


def test_an_interrupted_backup_leaves_no_temp_file(ledger_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    session = EditSession.open(ledger_path)
    _edited(session)
    calls = []

    def second_fsync_interrupted(fd: int) -> None:  # the first is the ledger's temp, the second the backup's
        calls.append(fd)
        if len(calls) == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr(filesave.os, "fsync", second_fsync_interrupted)
    with pytest.raises(KeyboardInterrupt):
        session.save()
    monkeypatch.undo()
    assert len(calls) == 2 and temps(ledger_path.parent) == []


def _leftover(folder: Path, name: str, data: bytes = b"half a ledger") -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def test_the_next_save_removes_leftover_temp_files_of_its_own_pattern_only(ledger_path: Path, tmp_path: Path) -> None:
    folder = ledger_path.parent
    stale = [
        _leftover(folder, ".pledges.toml.k3j2_x9a.tmp"),
        _leftover(folder, ".pledges.toml.bak.0a1b2c3d.tmp"),
        # killed before writing a byte: unlocked under the temp name, so a leftover however new
        _leftover(folder, ".pledges.toml.emptynow.tmp", b""),
    ]
    old_pending = _leftover(folder, ".pledges.toml.oldpendg.pending", b"")
    os.utime(old_pending, (time.time() - 3600, time.time() - 3600))
    stale.append(old_pending)
    locked = _leftover(folder, ".pledges.toml.livesave.tmp")  # a save running in another process
    # created a moment ago by a save that has not locked it yet: it still has its pending name
    fresh_empty = _leftover(folder, ".pledges.toml.justmade.pending", b"")
    foreign = [
        _leftover(folder, "pledges.toml.tmp"),
        _leftover(folder, ".pledges.toml.tmp"),
        _leftover(folder, ".pledges.toml.toolongname.tmp"),
        _leftover(folder, ".other.toml.abcdefgh.tmp"),
        _leftover(folder, ".pledges.toml.ABCDEFGH.tmp"),
    ]
    outside = tmp_path / "precious.txt"
    outside.write_bytes(b"not ours")
    link = folder / ".pledges.toml.symlinkx.tmp"
    link.symlink_to(outside)
    fd = os.open(locked, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)  # another open file description: as another process holds it
    try:
        session = EditSession.open(ledger_path)
        _edited(session)
        session.save()
        assert not any(p.exists() for p in stale)
        assert locked.exists() and fresh_empty.exists() and all(p.exists() for p in foreign)
        assert link.is_symlink() and outside.read_bytes() == b"not ours"
    finally:
        os.close(fd)
    filesave.remove_stale_temps(ledger_path)  # the lock is gone: now it is a leftover
    assert not locked.exists() and fresh_empty.exists()


def test_a_save_in_a_thread_leaves_no_temp_file_when_the_process_is_terminated(
    ledger_path: Path, tmp_path: Path
) -> None:
    """SIGTERM while a worker thread (as the dashboard's) is between writing and renaming."""
    script = r"""
import os, sys, threading
sys.path.insert(0, sys.argv[2])
from pledgetui import cli, filesave
from pledgetui.session import EditSession
cli.install_signal_handlers()
s = EditSession.open(sys.argv[1])
s.put_entry(s.ledger.entry("uk-ground").model_copy(update={"notes": "mine"}))
real = filesave.os.fchmod
def stall(fd, mode):
    real(fd, mode)
    print("written", flush=True)
    threading.Event().wait()
filesave.os.fchmod = stall
threading.Thread(target=s.save, daemon=True).start()
threading.Event().wait()
"""
    before = ledger_path.read_bytes()
    child = subprocess.Popen(
        [sys.executable, "-c", script, str(ledger_path), str(REPO)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout.readline().strip() == "written"
        assert temps(ledger_path.parent)  # the temp file exists now
        child.terminate()
        assert child.wait() == -15
    finally:
        child.kill()
        child.wait()
    assert temps(ledger_path.parent) == []
    assert ledger_path.read_bytes() == before


# --------------------------------------------------------------------------- export targets that are not regular files


def test_export_into_a_named_pipe_writes_into_it(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # a reader is there before the export
    try:
        write_export(fifo, b"a,b\n1,2\n")
        assert stat.S_ISFIFO(os.lstat(fifo).st_mode)  # (were it replaced, the reader would wait for ever)
        os.set_blocking(reader, True)
        got = b""
        while chunk := os.read(reader, 4096):  # until the export closed its end
            got += chunk
    finally:
        os.close(reader)
    assert got == b"a,b\n1,2\n"
    assert temps(tmp_path) == []


def test_export_into_a_named_pipe_nothing_reads_says_so_and_never_waits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    monkeypatch.setattr(filesave, "FIFO_READER_GRACE", 0.0)
    with pytest.raises(filesave.SaveError, match="named pipe that nothing is reading"):
        write_export(fifo, b"a,b\n1,2\n")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert temps(tmp_path) == []


def test_cli_export_into_a_named_pipe_nothing_reads_exits_with_the_reason(ledger_path: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    done = subprocess.run(
        [sys.executable, "-m", "pledgetui", "export", str(ledger_path), "-o", str(fifo)],
        capture_output=True,
        text=True,
        timeout=120,  # a guard only: before the fix this waited for a reader for ever
        check=False,
    )
    assert done.returncode != 0
    assert "nothing is reading" in done.stderr


def test_export_into_a_character_device_keeps_the_device(tmp_path: Path) -> None:
    null = tmp_path / "null"
    try:
        os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # a private /dev/null node
    except PermissionError:
        pytest.skip("creating a device node needs privileges")
    write_export(null, b"discarded\n")
    assert stat.S_ISCHR(os.lstat(null).st_mode)
    assert os.lstat(null).st_rdev == os.makedev(1, 3)
    assert temps(tmp_path) == []


def test_export_onto_a_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(filesave.SaveError, match="folder"):
        write_export(folder, b"x")
    with pytest.raises(filesave.SaveError, match="folder"):
        write_export(str(folder) + "/", b"x")
    assert list(folder.iterdir()) == []


def test_export_to_dev_stdout_in_a_pipe(ledger_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pledgetui", "export", str(ledger_path), "--format", "json", "-o", "/dev/stdout"],
        capture_output=True,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(b"{") and b"uk-ground" in done.stdout
    assert b"Traceback" not in done.stderr


def test_export_into_a_folder_that_does_not_exist_says_so(tmp_path: Path) -> None:
    with pytest.raises(filesave.SaveError, match=r"the folder .*nowhere does not exist"):
        write_export(tmp_path / "nowhere" / "x.csv", b"a\n")
    assert not (tmp_path / "nowhere").exists()


def _small_pipe(fifo: Path) -> int:
    """A reader of ``fifo`` that never reads, with the smallest pipe buffer Linux allows."""
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    fcntl.fcntl(reader, 1031, 4096)  # F_SETPIPE_SZ
    return reader


@pytest.mark.skipif(sys.platform != "linux", reason="sets a pipe's buffer size (Linux)")
def test_a_write_into_a_pipe_nobody_reads_stops_when_asked(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = _small_pipe(fifo)
    asked: list[int] = []

    def stop() -> bool:
        asked.append(1)
        return len(asked) >= 3  # asked while blocked; the third time says stop

    try:
        with pytest.raises(filesave.SaveError, match=r"stopped writing to .*pipe after 4,096 of 100,000 bytes"):
            write_export(fifo, b"x" * 100_000, stop=stop)
    finally:
        os.close(reader)
    assert len(asked) == 3


@pytest.mark.skipif(sys.platform != "linux", reason="sets a pipe's buffer size (Linux)")
def test_a_reader_that_goes_away_is_named_with_what_it_got(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = _small_pipe(fifo)

    def reader_leaves() -> bool:  # asked once the pipe is full: the reader goes away
        os.close(reader)
        return False

    with pytest.raises(
        filesave.SaveError, match=r"its reader went away after 4,096 of 100,000 bytes; what it received is incomplete"
    ):
        write_export(fifo, b"x" * 100_000, stop=reader_leaves)
