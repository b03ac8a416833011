"""Crash safety: SIGKILL in the middle of saves, SIGKILL before a save (journal recovery),
and a failure injected at each step of the save sequence."""

from __future__ import annotations

import io
import os
import random
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from pledgetui import articlefile, canonical, filesave, journal, ledgerfile, store, tempfiles
from pledgetui.model import Ledger, Source, Status
from pledgetui.session import EditSession, JournalBusy
from tests.factory import REPO, SEEDS, evidence_for, pledge, restance, write_ledger

ACTORS = [
    "United Kingdom",
    "France",
    "Germany",
    "Poland",
    "Italy",
    "Canada",
    "Netherlands",
    "Denmark",
    "Sweden",
    "Norway",
    "Finland",
    "Estonia",
    "Latvia",
    "Lithuania",
    "Belgium",
    "Spain",
    "Portugal",
    "Czech Republic",
    "Romania",
    "Turkey",
    "Japan",
    "Australia",
    "Ireland",
    "Austria",
    "Greece",
]
VERBS = ["would contribute", "is ready to send", "will consider", "offered", "ruled out", "pledged", "signalled"]
THINGS = [
    "troops to a reassurance force",
    "air policing over western Ukraine",
    "mine-clearing ships in the Black Sea",
    "instructors for Ukrainian brigades",
    "satellite intelligence",
    "logistics hubs behind the line",
    "funding to rebuild the armed forces",
    "monitors for a ceasefire line",
]


def big_ledger(n: int, seed: int = 7) -> Ledger:
    """``n`` pledges quoting real sentences of the bundled articles, anchored by computed offsets."""
    rnd = random.Random(seed)
    sources, quotes = [], []
    for i, article in enumerate(sorted(SEEDS.glob("*.txt"))):
        text = articlefile.read_article(article)
        sid = f"s{i:03d}"
        sources.append(Source(id=sid, file=article.name, title=f"Report {i}: {text[:60].strip()}", outlet="Wire"))
        for sentence in re.findall(r"[A-Z][^.!?\n]{30,240}[.!?]", text):
            quotes.append(evidence_for(text, sid, sentence))
    pledges = []
    statuses = list(Status)
    for k in range(n):
        actor = rnd.choice(ACTORS)
        pledges.append(
            pledge(
                id=f"p{k:05d}-{actor.lower().replace(' ', '-')}",
                actor=actor,
                commitment=rnd.choice(["ground_troops", "air", "maritime", "training", "intelligence", "other"]),
                status=rnd.choice(statuses),
                conditions=rnd.sample(["peace_deal", "ceasefire", "us_backstop", "legal_framework"], rnd.randint(0, 2)),
                claimant=f"{actor} defence ministry spokesperson",
                summary=f"{actor} {rnd.choice(VERBS)} {rnd.choice(THINGS)}",
                notes=" ".join(rnd.choice(THINGS) for _ in range(rnd.randint(0, 6))),
                evidence=rnd.sample(quotes, rnd.randint(1, 3)),
            )
        )
    return Ledger(sources=tuple(sources), entries=tuple(pledges))


@pytest.fixture(scope="module")
def big_states(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytes, bytes]:
    """A large ledger written once per module (state A), and the bytes of its edited form (state B)."""
    folder = tmp_path_factory.mktemp("big")
    ledger = big_ledger(3000)
    # The edit toggles the first pledge between signed (state A) and declined (state B).
    ledger = _with_first_status(ledger, Status.SIGNED)
    path = write_ledger(folder / "ledger", ledger)
    old, new = path.read_bytes(), canonical.dumps(_with_first_status(ledger, Status.DECLINED))
    assert old != new  # the two states must differ, or a torn save could pass unseen
    return path, old, new


def _with_first_status(ledger: Ledger, status: Status) -> Ledger:
    first = restance(ledger.entries[0], status=status)
    return ledger.model_copy(update={"entries": (first, *ledger.entries[1:])})


# The child is a small fork server: it imports everything once, then for each "go"
# forks a worker that opens the ledger, makes an edit and saves in a loop, printing
# a marker before each save and another when the disk steps begin (temp file,
# write, fsync, backup, replace). The server reaps the worker after the test kills it.
SAVE_LOOP = r"""
import os, sys
sys.path.insert(0, sys.argv[2])
from pledgetui.model import Status
from pledgetui.session import EditSession, JournalBusy
from pledgetui import filesave
from tests.factory import restance
path = sys.argv[1]
real_write = filesave.atomic_write
def traced_write(target, data, **kw):
    print("writing", flush=True)  # second marker: the disk steps begin
    return real_write(target, data, **kw)
filesave.atomic_write = traced_write
for command in sys.stdin:
    pid = os.fork()
    if pid == 0:
        session = EditSession.open(path)
        while True:
            p = session.ledger.entries[0]
            status = Status.DECLINED if p.status is not Status.DECLINED else Status.SIGNED
            session.put_entry(restance(p, status=status))
            print("saving", flush=True)
            session.save()
    print("worker", pid, flush=True)
    _, code = os.waitpid(pid, 0)
    print("ended", code, flush=True)
"""

TEMP_NAME = re.compile(r"^\.pledges\.toml(\.bak)?\..+\.(tmp|pending)$")


def _save_seconds(path: Path) -> tuple[float, float]:
    """How long a whole save and its disk steps take here, to spread the kills over them (not asserted)."""
    import time

    ledger = store.load(path).ledger
    scratch = path.with_name("scratch.toml")
    start = time.perf_counter()
    store.save(ledger, scratch)
    whole = time.perf_counter() - start
    start = time.perf_counter()
    filesave.atomic_write(scratch, path.read_bytes())
    disk = time.perf_counter() - start
    for leftover in (scratch, scratch.with_name(scratch.name + filesave.BACKUP_SUFFIX)):
        leftover.unlink()
    return whole, disk


def test_sigkill_during_save_leaves_old_or_new_file(big_states, tmp_path: Path) -> None:
    path, old, new = big_states
    whole, disk = _save_seconds(path)
    env = {**os.environ, "PLEDGETUI_STATE_DIR": str(tmp_path / "state")}
    server = subprocess.Popen(
        [sys.executable, "-c", SAVE_LOOP, str(path), str(REPO)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    rnd = random.Random(2026)
    kills, torn_temps, seen = 25, 0, set()
    try:
        for i in range(kills):
            server.stdin.write("go\n")
            server.stdin.flush()
            worker = int(server.stdout.readline().split()[1])
            assert server.stdout.readline().strip() == "saving"
            # Even kills are spread over a whole save (serialise, verify, disk); odd kills
            # over its disk steps alone, timed from the second marker. Jitter within each slot.
            slot = (i // 2 + rnd.random()) / (kills // 2 + 1)
            if i % 2:
                assert server.stdout.readline().strip() == "writing"
                _wait(slot * disk)
            else:
                _wait(slot * whole)
            os.kill(worker, signal.SIGKILL)
            line = server.stdout.readline()
            while line.strip() in ("saving", "writing"):
                line = server.stdout.readline()
            assert line.startswith("ended"), line
            assert os.WIFSIGNALED(int(line.split()[1]))

            data = path.read_bytes()
            assert data in (old, new), f"kill {i}: the ledger is neither the old nor the new version"
            seen.add(data)
            backup = path.with_name(path.name + filesave.BACKUP_SUFFIX)
            if backup.exists():
                assert backup.read_bytes() in (old, new)
            extra = {p.name for p in path.parent.iterdir()} - {path.name, backup.name, "seeds"}
            assert all(TEMP_NAME.match(name) for name in extra), extra
            torn_temps += bool(extra)
            for name in extra:  # leftovers of a killed save: never read as the ledger, removed here
                (path.parent / name).unlink()
    finally:
        server.stdin.close()
        server.kill()
        server.wait()
    for data in seen:  # each state the file was found in is a whole, valid ledger
        assert canonical.dumps(ledgerfile.loads(data)) == data
    assert EditSession.open(path).ledger == ledgerfile.loads(path.read_bytes())
    print(f"{kills} kills over a {whole:.2f}s save ({disk * 1000:.1f} ms on disk); {torn_temps} left a temporary file")


def _wait(seconds: float) -> None:
    """A deliberate pause choosing the kill moment (not synchronisation: the marker line did that)."""
    import time

    time.sleep(seconds)


# The child edits through a session (each edit journaled), saves once midway, undoes
# back past that save, writes the ledger it holds to a side file, says "ready" and
# waits to be killed.
EDIT_THEN_WAIT = r"""
import sys
sys.path.insert(0, sys.argv[3])
from pledgetui import articlefile, canonical
from pledgetui.model import Source, Status
from pledgetui.session import EditSession, JournalBusy
from tests.factory import SEEDS, ARTICLE_002, evidence_for
s = EditSession.open(sys.argv[1])
uk = s.ledger.entry("uk-ground")
from tests.factory import restance
s.put_entry(restance(uk.model_copy(update={"notes": "first edit"}), status=Status.ANNOUNCED))
s.delete_entry("france-ground")
s.save()
s.put_entry(s.ledger.entry("uk-ground").model_copy(update={"id": "uk-ground-troops"}), replace_id="uk-ground")
text = articlefile.read_article(SEEDS / ARTICLE_002)
s.add_evidence("ireland-ground", evidence_for(text, "a002", "declaration of intent"))
s.remove_evidence("ireland-ground", 0)
s.add_source(Source(id="a009", file="009_new.txt", title="A new report"), "Nine says yes.\n")
s.undo(); s.undo(); s.undo(); s.undo(); s.undo()   # the fifth reaches back before the save
s.redo()
s.put_entry(s.ledger.entry("russia-mfa").model_copy(update={"summary": "Moscow: \u201cabsolutely unacceptable\u201d"}))
open(sys.argv[2], "wb").write(canonical.dumps(s.ledger))
print("ready", s.dirty, flush=True)
sys.stdin.read()
"""


def test_journal_recovers_edits_after_sigkill(ledger_path: Path, tmp_path: Path) -> None:
    expected = tmp_path / "expected.toml"
    child = subprocess.Popen(
        [sys.executable, "-c", EDIT_THEN_WAIT, str(ledger_path), str(expected), str(REPO)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout.readline().split() == ["ready", "True"]
        child.send_signal(signal.SIGKILL)
        assert child.wait() == -signal.SIGKILL
    finally:
        child.kill()
        child.wait()

    found = journal.pending(ledger_path)
    assert found is not None
    # Edits after the save only: put (rename), add quote, remove quote, add source, 5 undos, redo, put.
    assert found.edits == 11
    assert not found.file_changed and not found.torn
    recovered = journal.recover(ledger_path)
    assert canonical.dumps(recovered) == expected.read_bytes()

    # A session recovered from the journal holds the same ledger, saves it, and the journal goes.
    session = EditSession.recover(ledger_path)
    assert session.dirty and canonical.dumps(session.ledger) == expected.read_bytes()
    session.save()
    assert ledger_path.read_bytes() == expected.read_bytes()
    assert journal.pending(ledger_path) is None


# --------------------------------------------------------------------------- fault injection


class _FailingWrites(io.RawIOBase):
    """Stands in for the temp file: writes fail as on a full disk."""

    def __init__(self, real):
        self._real = real

    def write(self, data):
        raise OSError(28, "No space left on device")

    def fileno(self):
        return self._real.fileno()

    def close(self):
        self._real.close()
        super().close()

    def writable(self):
        return True


def _fail(*args, **kwargs):
    raise OSError(5, "Input/output error")


def _fail_replacing(target: Path):
    real = os.replace

    def replace(src, dst, *args, **kwargs):
        if Path(dst) == target:
            _fail()
        return real(src, dst, *args, **kwargs)

    return replace


# step -> (how to break it, the step the SaveError must name)
STEPS = {
    "mkstemp": (lambda mp, path: mp.setattr(tempfiles.tempfile, "mkstemp", _fail), "create a temporary file failed"),
    "write": (
        lambda mp, path: mp.setattr(
            filesave.os,
            "fdopen",
            lambda fd, mode: _FailingWrites(open(fd, mode, closefd=True)),  # noqa: SIM115
        ),
        "write failed",
    ),
    "fsync": (lambda mp, path: mp.setattr(filesave.os, "fsync", _fail), "fsync failed"),
    "chmod": (lambda mp, path: mp.setattr(filesave.os, "fchmod", _fail), "set the file mode failed"),
    "backup": (lambda mp, path: mp.setattr(filesave, "_backup", _fail), "keep a backup of the previous version failed"),
    "replace": (lambda mp, path: mp.setattr(filesave.os, "replace", _fail_replacing(path)), "replace failed"),
}


@pytest.mark.parametrize("step", list(STEPS))
def test_failure_at_each_save_step_loses_nothing(step: str, ledger_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = ledger_path.read_bytes()
    session = EditSession.open(ledger_path)
    uk = session.ledger.entry("uk-ground")
    session.put_entry(uk.model_copy(update={"notes": "unsaved work"}))
    session.delete_entry("russia-mfa")
    edited = session.ledger

    breaker, named = STEPS[step]
    with monkeypatch.context() as mp:
        breaker(mp, ledger_path)
        with pytest.raises(filesave.SaveError, match=re.escape(named)) as caught:
            session.save()
    assert "the file on disk is unchanged" in str(caught.value)

    assert ledger_path.read_bytes() == before
    leftovers = {p.name for p in ledger_path.parent.iterdir()} - {"pledges.toml", "pledges.toml.bak", "seeds"}
    assert not leftovers  # the temp file was removed
    assert session.dirty and session.ledger == edited
    found = journal.pending(ledger_path)
    assert found is not None and found.edits == 2
    assert journal.recover(ledger_path) == edited

    session.save()  # the fault is gone: the same session saves
    assert store.load(ledger_path).ledger == edited
    assert not session.dirty and journal.pending(ledger_path) is None


# The child edits once (its journal now holds one edit), says "ready" and keeps editing
# the ledger as another window would, until killed.
EDIT_AND_STAY = r"""
import sys
sys.path.insert(0, sys.argv[2])
from pledgetui.session import EditSession, JournalBusy
s = EditSession.open(sys.argv[1])
s.delete_entry("russia-mfa")
print("ready", flush=True)
sys.stdin.read()
"""


def test_a_journal_held_by_a_live_process_is_left_alone_until_it_dies(ledger_path: Path) -> None:
    jpath = journal.journal_path(ledger_path)
    child = subprocess.Popen(
        [sys.executable, "-c", EDIT_AND_STAY, str(ledger_path), str(REPO)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout.readline().split() == ["ready"]
        held = jpath.read_bytes()
        # Another window is still editing: nothing is offered, adopted, set aside or deleted.
        assert journal.pending(ledger_path) is None
        assert journal.replay(ledger_path) is None
        with pytest.raises(LookupError):
            journal.recover(ledger_path)
        with pytest.raises(JournalBusy):
            EditSession.recover(ledger_path)
        assert journal.discard(ledger_path) is False
        here = EditSession.open(ledger_path)
        with pytest.raises(JournalBusy, match="another pledgetui session"):
            here.delete_entry("uk-ground")
        assert not here.dirty
        assert jpath.read_bytes() == held and not list(jpath.parent.glob("*.stale"))

        child.send_signal(signal.SIGKILL)  # the kernel releases its lock
        assert child.wait() == -signal.SIGKILL
    finally:
        child.kill()
        child.wait()

    found = journal.pending(ledger_path)
    assert found is not None and found.edits == 1
    assert journal.recover(ledger_path).entry("russia-mfa") is None
    session = EditSession.recover(ledger_path)
    session.save()
    assert store.load(ledger_path).ledger.entry("russia-mfa") is None and not jpath.exists()
