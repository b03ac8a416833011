"""The crash journal: written before each edit, replayed exactly, robust to torn lines and outside changes."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from pledgetui import journal, paths, store
from pledgetui.model import Status
from pledgetui.session import EditSession


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

    session.put_pledge(session.ledger.pledge("uk-ground").model_copy(update={"status": Status.DECLINED}))
    header, put = _lines(jpath)
    assert header["ledger"] == str(ledger_path.resolve())
    assert header["sha256"] == hashlib.sha256(ledger_path.read_bytes()).hexdigest()
    assert put["op"] == "put" and put["pledge"]["id"] == "uk-ground" and put["pledge"]["status"] == "declined"

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
