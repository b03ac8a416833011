"""The crash journal: written before each edit, replayed exactly, robust to torn lines and outside changes."""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
from pathlib import Path

import pytest

from pledgetui import journal, paths, store
from pledgetui.edits import History
from pledgetui.model import Ledger, Status
from pledgetui.session import EditSession, JournalBusy, JournalError
from tests.factory import restance


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_bytes().splitlines()]


def _crash(session: EditSession) -> None:
    """Stop using a session without saving, as a killed process would (the journal stays)."""
    session.close()


def test_journal_location_header_and_one_line_per_edit(ledger_path: Path) -> None:
    session = EditSession.open(ledger_path)
    jpath = journal.journal_path(ledger_path)
    key = hashlib.sha256(str(ledger_path.resolve()).encode()).hexdigest()
    assert jpath == paths.state_dir() / "journal" / f"{key}.jsonl"
    assert not jpath.exists()  # nothing is written until the first edit

    session.put_pledge(restance(session.ledger.pledge("uk-ground"), status=Status.DECLINED))
    header, put = _lines(jpath)
    assert header["ledger"] == str(ledger_path.resolve())
    assert header["sha256"] == hashlib.sha256(ledger_path.read_bytes()).hexdigest()
    assert put["op"] == "put" and put["pledge"]["id"] == "uk-ground"
    assert "status" not in put["pledge"]  # the stance is journaled with each statement
    assert [ev["status"] for ev in put["pledge"]["evidence"]] == ["declined"]
    assert journal.recover(ledger_path).pledge("uk-ground").status is Status.DECLINED

    session.delete_pledge("russia-mfa")
    session.undo()
    assert [r["op"] for r in _lines(jpath)[1:]] == ["put", "delete", "undo"]
    found = journal.pending(ledger_path)
    assert found is not None and found.edits == 3 and not found.file_changed
    assert found.started <= found.last


def test_replay_is_exact_across_saves_undo_and_redo(ledger_path: Path) -> None:
    session = EditSession.open(ledger_path)
    uk = session.ledger.pledge("uk-ground")
    session.put_pledge(uk.model_copy(update={"notes": "a"}))
    session.delete_pledge("france-ground")
    session.save()
    session.put_pledge(session.ledger.pledge("uk-ground").model_copy(update={"id": "uk-ground-troops"}), replace_id="uk-ground")
    for _ in range(3):  # the last two reach back before the save: carried as restore records
        session.undo()
    session.redo()
    session.redo()
    session.put_pledge(session.ledger.pledge("ireland-ground").model_copy(update={"notes": "after redo"}))
    _crash(session)

    ops = [r["op"] for r in _lines(journal.journal_path(ledger_path))[1:]]
    assert ops == ["put", "undo", "restore", "restore", "redo", "redo", "put"]
    assert store.dumps(journal.recover(ledger_path)) == store.dumps(session.ledger)

    # The recovered session has the same history: undo and redo keep working and stay journaled.
    again = EditSession.recover(ledger_path)
    assert again.ledger == session.ledger and again.undo_description == session.undo_description
    while again.can_undo:
        again.undo()
    assert again.ledger.pledge("france-ground") is not None and again.ledger.pledge("uk-ground").notes == ""
    _crash(again)
    assert journal.recover(ledger_path) == again.ledger


def test_a_torn_last_line_is_ignored(ledger_path: Path) -> None:
    session = EditSession.open(ledger_path)
    session.delete_pledge("russia-mfa")
    after_first = session.ledger
    session.delete_pledge("uk-ground")
    _crash(session)
    jpath = journal.journal_path(ledger_path)
    data = jpath.read_bytes()
    jpath.write_bytes(data[: data.rindex(b"\n", 0, len(data) - 1) + 1 + 10])  # crash mid-write of line 3

    found = journal.pending(ledger_path)
    assert found is not None and found.edits == 1 and found.torn
    assert journal.recover(ledger_path) == after_first

    # Continuing from the recovery cuts the torn tail off before appending.
    again = EditSession.recover(ledger_path)
    again.delete_pledge("ireland-ground")
    _crash(again)
    assert journal.recover(ledger_path) == again.ledger
    assert not journal.pending(ledger_path).torn


def test_a_damaged_line_stops_the_replay_there(ledger_path: Path) -> None:
    session = EditSession.open(ledger_path)
    session.delete_pledge("russia-mfa")
    after_first = session.ledger
    session.delete_pledge("uk-ground")
    session.delete_pledge("ireland-ground")
    _crash(session)
    jpath = journal.journal_path(ledger_path)
    lines = jpath.read_bytes().splitlines(keepends=True)
    lines[2] = b'{"op": "delete", "id"\n'
    jpath.write_bytes(b"".join(lines))
    assert journal.recover(ledger_path) == after_first
    assert journal.pending(ledger_path).torn


def test_outside_change_after_a_crash_is_reported_and_saving_conflicts(ledger_path: Path) -> None:
    session = EditSession.open(ledger_path)
    session.put_pledge(session.ledger.pledge("uk-ground").model_copy(update={"notes": "mine"}))
    _crash(session)
    loaded = store.load(ledger_path).ledger
    theirs = store.dumps(loaded.model_copy(update={"pledges": loaded.pledges[1:] + loaded.pledges[:1]}))
    ledger_path.write_bytes(theirs)

    found = journal.pending(ledger_path)
    assert found is not None and found.file_changed
    recovered = journal.recover(ledger_path)  # replayed onto the current file, offered as a copy
    assert recovered.pledge("uk-ground").notes == "mine"

    again = EditSession.recover(ledger_path)
    with pytest.raises(store.ConflictError):
        again.save()
    assert ledger_path.read_bytes() == theirs


def test_the_backup_serves_as_base_when_another_save_replaced_the_file(ledger_path: Path) -> None:
    first = EditSession.open(ledger_path)
    first.put_pledge(first.ledger.pledge("uk-ground").model_copy(update={"notes": "mine"}))
    _crash(first)
    other = EditSession.open(ledger_path)
    other.delete_pledge("russia-mfa")
    jpath = journal.journal_path(ledger_path)
    # The second session started its own journal: the first one's was kept aside, not overwritten.
    stale = list(jpath.parent.glob("*.stale"))
    assert len(stale) == 1 and _lines(stale[0])[1]["pledge"]["notes"] == "mine"
    other.save()  # the previous file goes to .bak
    shutil.move(stale[0], jpath)

    found = journal.pending(ledger_path)
    assert found is not None and found.file_changed
    done = journal.replay(ledger_path)
    assert done.base == "backup" and done.skipped == 0
    assert done.history.ledger.pledge("uk-ground").notes == "mine"
    assert done.history.ledger.pledge("russia-mfa") is not None  # the first session never deleted it


def test_a_crash_between_save_and_journal_removal_is_not_reported(ledger_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    session = EditSession.open(ledger_path)
    session.delete_pledge("russia-mfa")
    with monkeypatch.context() as mp:
        mp.setattr(journal.Journal, "delete", lambda self: self.close())  # the process dies before deleting
        session.save()
    assert journal.journal_path(ledger_path).exists()
    assert journal.pending(ledger_path) is None  # its edits are all in the file: nothing to offer
    assert not journal.journal_path(ledger_path).exists()


def test_discard_deletes_the_journal_and_no_journal_means_nothing_pending(ledger_path: Path) -> None:
    assert journal.pending(ledger_path) is None
    with pytest.raises(LookupError):
        journal.recover(ledger_path)
    session = EditSession.open(ledger_path)
    session.delete_pledge("russia-mfa")
    _crash(session)
    journal.discard(ledger_path)
    assert journal.pending(ledger_path) is None


# --------------------------------------------------------------------------- two sessions on one ledger


def _replays_to(jpath: Path, bases: dict[str, bytes]) -> Ledger:
    """Replay the journal at ``jpath`` onto the exact file its header names (from ``bases``)."""
    contents = journal.read(jpath)
    history = History(store.loads(bases[contents.header["sha256"]]))
    for record in contents.records:
        journal.apply_record(history, record)
    return history.ledger


def test_a_second_session_is_refused_rather_than_taking_over_the_journal(ledger_path: Path) -> None:
    jpath = journal.journal_path(ledger_path)
    a, b = EditSession.open(ledger_path), EditSession.open(ledger_path)
    original = b.ledger
    a.delete_pledge("russia-mfa")

    with pytest.raises(JournalError, match="being edited in another pledgetui session") as caught:
        b.delete_pledge("uk-ground")
    assert isinstance(caught.value, JournalBusy)
    assert b.ledger is original and not b.dirty and not b.can_undo  # refused: nothing to lose
    assert not list(jpath.parent.glob("*.stale"))  # A's live journal was not set aside
    assert journal.recover(ledger_path) == a.ledger

    # Nobody else can adopt, set aside or delete the live journal.
    assert journal.discard(ledger_path) is False and jpath.exists()
    with pytest.raises(LookupError):
        EditSession.recover(ledger_path)

    a.save()  # deletes A's own journal only
    assert not jpath.exists()
    b.put_pledge(b.ledger.pledge("ireland-ground").model_copy(update={"notes": "B's edit"}))
    with pytest.raises(JournalBusy):
        a.delete_pledge("france-ground")  # now B holds it
    a.discard()  # A has no journal: B's is untouched
    assert jpath.exists() and journal.recover(ledger_path).pledge("ireland-ground").notes == "B's edit"

    b.close()  # B ends without saving: its edits are offered, and A may now take them over
    found = journal.pending(ledger_path)
    assert found is not None and found.edits == 1
    again = EditSession.recover(ledger_path)
    assert again.ledger == b.ledger


def test_a_session_deletes_only_the_journal_file_it_holds(ledger_path: Path) -> None:
    jpath = journal.journal_path(ledger_path)
    session = EditSession.open(ledger_path)
    session.delete_pledge("russia-mfa")
    # Whatever replaced the file at the journal's path is not this session's to delete.
    other = jpath.with_name("other.jsonl")
    other.write_bytes(jpath.read_bytes())
    os.replace(other, jpath)
    session.save()
    assert jpath.exists()


@pytest.mark.parametrize("seed", range(12))
def test_no_interleaving_of_two_sessions_loses_unsaved_edits(ledger_path: Path, seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Random interleavings of edits, undos, saves, discards and crashes (a session ending
    without saving, then reopened) of two sessions on one ledger. After every step:
    a session with unsaved edits holds the journal at the journal's path and that
    journal replays to exactly its ledger; an edit that could not be journaled
    changed nothing; and every ended session's journal is still on disk (at the
    path or set aside) and replays to the ledger it held."""
    monkeypatch.setattr(journal, "_LOCK_PAUSE", 0, raising=False)  # no waiting on a refused edit
    rnd = random.Random(seed)
    jpath = journal.journal_path(ledger_path)
    jpath.parent.mkdir(parents=True)
    bases = {hashlib.sha256(ledger_path.read_bytes()).hexdigest(): ledger_path.read_bytes()}
    sessions = {"A": EditSession.open(ledger_path), "B": EditSession.open(ledger_path)}
    ended: list[Ledger] = []
    counter = 0
    for _ in range(40):
        name = rnd.choice("AB")
        s = sessions[name]
        op = rnd.choice(["edit", "edit", "edit", "undo", "save", "discard", "crash"])
        before = s.ledger
        try:
            if op == "edit":
                counter += 1
                pid = rnd.choice([p.id for p in s.ledger.pledges])
                s.put_pledge(s.ledger.pledge(pid).model_copy(update={"notes": f"{name} {counter}"}))
            elif op == "undo" and s.can_undo:
                s.undo()
            elif op == "save":
                s.save()
                bases[hashlib.sha256(ledger_path.read_bytes()).hexdigest()] = ledger_path.read_bytes()
            elif op == "discard":
                s.discard()
            elif op == "crash":
                if s.dirty:
                    ended.append(s.ledger)
                s.close()
                sessions[name] = EditSession.open(ledger_path)
        except JournalBusy:
            assert s.ledger is before  # refused, not half-applied
        except store.ConflictError:
            assert s.ledger is before  # the other session saved first: nothing written
        for live in sessions.values():
            if live.dirty:
                assert live.journal_path == jpath and jpath.exists()
                assert os.stat(jpath).st_ino == os.fstat(live._journal._fd).st_ino
                assert _replays_to(jpath, bases) == live.ledger
        on_disk = [p for p in jpath.parent.iterdir() if p.name.startswith(jpath.stem)]
        replayed = [_replays_to(p, bases) for p in on_disk if journal.read(p) and journal.read(p).records]
        for ledger in ended:
            assert ledger in replayed
