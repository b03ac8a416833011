"""The dashboard and the core at tracker scale: a generated ledger of 100k entries.

Behaviour only, no timings (``python -m bench.run`` measures speed).
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from bench.synth import write_ledger
from pledgetui import cache, filesave, store
from pledgetui.export import export_view
from pledgetui.model import Status
from pledgetui.session import EditSession
from pledgetui.ui.app import PledgeApp
from tests.orders import ORDER

pytestmark = pytest.mark.slow

N = 100_000


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_ledger(tmp_path_factory.mktemp("scale") / "pledges.toml", N, seed=7)


@pytest.fixture(scope="module")
def ledger(big: Path):
    return store.load(big, use_cache=False).ledger


def count_text(app: PledgeApp) -> str:
    return str(app.query_one("#count").content)


async def test_sorting_sorts_and_keeps_the_cursor_on_the_same_pledge(big: Path) -> None:
    app = PledgeApp(big)
    async with app.run_test(size=(160, 48)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.dashboard.table
        assert table.view == list(range(N))  # the ledger's order
        for _ in range(7):
            await pilot.press("down")
        await pilot.pause()
        chosen = table.current_entry
        assert chosen is not None and table.cursor == 7
        for key, column in zip("123456789", ORDER, strict=True):
            await pilot.press(key)
            await pilot.pause()
            order = ORDER[column]
            # Ascending, ties in ledger order.
            assert table.view == sorted(range(N), key=lambda i: order(table.entries[i])), f"sort key {key}"
            assert table.current_entry is chosen, f"sort key {key}"
        await pilot.press("r")  # reverse the last sort (the last column's)
        await pilot.pause()
        order = ORDER[list(ORDER)[-1]]
        assert table.view == sorted(range(N), key=lambda i: order(table.entries[i]), reverse=True)
        assert table.view != sorted(table.view)  # not the ledger's order either
        assert table.current_entry is chosen


async def test_a_field_filter_counts_right(big: Path, ledger) -> None:
    pledges = [p for p in ledger.entries if not p.is_counter]
    signed = sum(1 for p in pledges if p.status is Status.SIGNED)
    app = PledgeApp(big)
    async with app.run_test(size=(160, 48)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert count_text(app).startswith(f"{len(pledges)} of {len(pledges)} pledges")
        await pilot.press("slash")
        for ch in "status:signed":
            await pilot.press(ch)
        await pilot.pause()
        assert count_text(app).startswith(f"{signed} of {len(pledges)} pledges")
        assert all(app.dashboard.table.entries[i].status is Status.SIGNED for i in app.dashboard.table.view)


def test_save_round_trip(big: Path, tmp_path: Path) -> None:
    path = tmp_path / "pledges.toml"
    shutil.copyfile(big, path)
    session = EditSession.open(path)
    target = session.ledger.entries[N // 2]
    session.put_entry(target.model_copy(update={"summary": "Edited at scale"}))
    session.save()
    again = store.load(path)
    assert again.ledger == session.ledger
    assert again.ledger.entries[N // 2].summary == "Edited at scale"
    assert store.load(path, use_cache=False).ledger == session.ledger  # the TOML, not just the cache


def test_csv_export_has_one_row_per_entry(ledger) -> None:
    data = export_view(ledger, ledger.entries, "csv", "entries")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    assert len(rows) == N + 1
    assert rows[1][0] == ledger.entries[0].id
    assert rows[-1][0] == ledger.entries[-1].id


# The server opens the ledger once, then for each command forks a worker. "kill POINT"
# workers write the ledger's disk steps (atomic_write, as a save does after serialising)
# and stop at POINT: "write" says so halfway through the 97 MB write and carries on (the
# test kills it mid-write; a temp file is locked before it takes its temp name, so even
# one killed before its first byte is a leftover the next save removes), "backup" and
# "replace" say so and wait there to be killed (the
# backup's temp file, or the whole new file, written); "cache" says so halfway through the
# cache file a save writes after its rename, and waits. A "save" worker makes an edit and
# saves it through the session, as the next save after the kills would.
KILL_SERVER = r"""
import os, sys, threading
sys.path.insert(0, sys.argv[2])
from pledgetui import filesave
from pledgetui.session import EditSession
from pledgetui.textcheck import comparable
def say(*words):
    # one write of a whole line: the parent and a forked worker share the pipe, and print()
    # writes a line in pieces when stdout is unbuffered (PYTHONUNBUFFERED), mixing two lines
    os.write(1, (" ".join(str(w) for w in words) + "\n").encode())
path = sys.argv[1]
session = EditSession.open(path)
data = open(path, "rb").read() + b"\n# rewritten by a save that was killed\n"
say("open")
for command in sys.stdin:
    what = command.split()
    pid = os.fork()
    if pid == 0:
        if what[0] == "save":
            p = session.ledger.entries[0]
            session.put_entry(p.model_copy(update={"notes": "saved after the kills"}))
            session.save()
            say("saved")
            os._exit(0)
        point = what[1]
        if point == "cache":
            # The cache write a save makes after its rename (a 100k ledger is cached):
            # killed halfway through writing the cache file.
            from pledgetui import cache
            real_write_to = cache._write_to
            class Halfway:
                def __init__(self, fh): self.fh = fh
                def write(self, b):
                    self.fh.write(b[: len(b) // 2])
                    self.fh.flush()
                    say("at cache")
                    threading.Event().wait()
                def __getattr__(self, name): return getattr(self.fh, name)
            cache._write_to = lambda fh, *rest: real_write_to(Halfway(fh), *rest)
            cache.write(session.fingerprint.sha256, session.ledger)
            os._exit(4)
        def stop():
            say("at", point)
            if point != "write":
                threading.Event().wait()
        real_fdopen, real_fsync, real_replace = filesave.os.fdopen, filesave.os.fsync, filesave.os.replace
        fsyncs = []
        class Traced:
            def __init__(self, fh): self.fh = fh
            def __enter__(self): return self
            def __exit__(self, *a): self.fh.close()
            def write(self, b):
                half = len(b) // 2
                self.fh.write(b[:half])
                self.fh.flush()  # on disk before the kill: the temp file is not empty
                stop()
                return half + self.fh.write(b[half:])
            def __getattr__(self, name): return getattr(self.fh, name)
        if point == "write":
            filesave.os.fdopen = lambda fd, mode: Traced(real_fdopen(fd, mode))
        def fsync(fd):
            real_fsync(fd)
            fsyncs.append(fd)
            if point == "backup" and len(fsyncs) == 2:  # the backup's temp file is written
                stop()
        def replace(src, dst):
            if point == "replace" and os.path.samefile(os.path.dirname(dst), os.path.dirname(path)) and os.path.basename(dst) == os.path.basename(path):
                stop()
            real_replace(src, dst)
        filesave.os.fsync, filesave.os.replace = fsync, replace
        filesave.atomic_write(filesave.Path(path), data, expected=session.fingerprint)
        os._exit(3)
    say("worker", pid)
    _, code = os.waitpid(pid, 0)
    say("ended", code)
"""


def test_kills_during_saves_at_scale_leave_temp_files_that_the_next_save_removes(big: Path, tmp_path: Path) -> None:
    import os
    import re
    import signal
    import subprocess
    import sys
    import time

    from tests.factory import REPO

    path = tmp_path / "pledges.toml"
    shutil.copyfile(big, path)
    old = path.read_bytes()
    backup = path.with_name(path.name + filesave.BACKUP_SUFFIX)
    temp_name = re.compile(r"\.pledges\.toml(\.bak)?\.[a-z0-9_]{8}\.(tmp|pending)")

    def temps() -> list[str]:
        return sorted(p.name for p in tmp_path.iterdir() if p.name.endswith((".tmp", ".pending")))

    cache_folder = cache.folder()

    def cache_temps() -> list[str]:
        if not cache_folder.exists():
            return []
        return sorted(p.name for p in cache_folder.iterdir() if p.name.endswith((".tmp", ".pending")))

    def stopped_at(point: str) -> int:
        """The worker's pid, once it says it stopped at ``point``. The parent's "worker N" and the
        child's "at POINT" share one pipe: either may come first."""
        lines = [server.stdout.readline().split() for _ in range(2)]
        assert ["at", point] in lines, lines
        return int(next(line for line in lines if line[0] == "worker")[1])

    server = subprocess.Popen(
        [sys.executable, "-c", KILL_SERVER, str(path), str(REPO)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    left = {}
    try:
        assert server.stdout.readline().strip() == "open"
        for point in ("write", "backup", "replace"):
            server.stdin.write(f"kill {point}\n")
            server.stdin.flush()
            worker = stopped_at(point)
            os.kill(worker, signal.SIGKILL)
            ended = server.stdout.readline().split()
            assert ended[0] == "ended" and os.WIFSIGNALED(int(ended[1]))
            assert path.read_bytes() == old  # killed before the rename: the old file, whole
            if backup.exists():
                assert backup.read_bytes() == old
            left[point] = temps()
            assert left[point] and all(temp_name.fullmatch(n) for n in left[point]), left
        assert any(".bak." in n for n in left["backup"])  # the backup's own temp file was left too
        server.stdin.write("kill cache\n")
        server.stdin.flush()
        worker = stopped_at("cache")
        os.kill(worker, signal.SIGKILL)
        ended = server.stdout.readline().split()
        assert ended[0] == "ended" and os.WIFSIGNALED(int(ended[1]))
        left["cache"] = cache_temps()
        assert left["cache"] and all(n.endswith(".marshal." + n.split(".")[-2] + ".tmp") for n in left["cache"]), left
        assert path.read_bytes() == old
        # A worker killed in the microseconds between creating its temp file and locking it
        # leaves the file under its pending name, which a save removes once it is
        # STALE_PENDING_SECONDS old (it could be a live save's). Say the next save comes
        # later than that, rather than race the clock.
        past = time.time() - filesave.STALE_PENDING_SECONDS - 1
        for name in temps():
            if name.endswith(filesave.PENDING_SUFFIX):
                os.utime(tmp_path / name, (past, past))

        server.stdin.write("save\n")
        server.stdin.flush()
        server.stdout.readline()  # worker pid
        assert server.stdout.readline().strip() == "saved"
        assert server.stdout.readline().split() == ["ended", "0"]
    finally:
        server.stdin.close()
        server.kill()
        server.wait()
    assert temps() == []  # every leftover was removed by the next save
    assert cache_temps() == []  # in the cache folder too: the save wrote the cache, removing them
    assert len(list(cache_folder.glob("*.marshal"))) >= 1
    saved = store.load(path, use_cache=False).ledger
    assert saved.entries[0].notes == "saved after the kills"
    assert len(saved.entries) == N
    print(f"temp files left by the kills: {left}")
