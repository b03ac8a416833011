"""The crash journal: written before each edit, replayed exactly, robust to torn lines and outside changes."""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
from pathlib import Path

import pytest

from pledgetui import canonical, filesave, journal, ledgerfile, paths, store
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

    session.put_entry(restance(session.ledger.entry("uk-ground"), status=Status.DECLINED))
    header, put = _lines(jpath)
    assert header["ledger"] == str(ledger_path.resolve())
    assert header["sha256"] == hashlib.sha256(ledger_path.read_bytes()).hexdigest()
    assert put["op"] == "put" and put["pledge"]["id"] == "uk-ground"
    assert "status" not in put["pledge"]  # the stance is journaled with each statement
    assert [ev["status"] for ev in put["pledge"]["evidence"]] == ["declined"]
    assert journal.recover(ledger_path).entry("uk-ground").status is Status.DECLINED

    session.delete_entry("russia-mfa")
    session.undo()
    assert [r["op"] for r in _lines(jpath)[1:]] == ["put", "delete", "undo"]
    found = journal.pending(ledger_path)
    assert found is not None and found.edits == 3 and not found.file_changed
    assert found.started <= found.last


def test_replay_is_exact_across_saves_undo_and_redo(ledger_path: Path) -> None:
    session = EditSession.open(ledger_path)
    uk = session.ledger.entry("uk-ground")
    session.put_entry(uk.model_copy(update={"notes": "a"}))
    session.delete_entry("france-ground")
    session.save()
    session.put_entry(
        session.ledger.entry("uk-ground").model_copy(update={"id": "uk-ground-troops"}), replace_id="uk-ground"
    )
    for _ in range(3):  # the last two reach back before the save: carried as restore records
        session.undo()
    session.redo()
    session.redo()
    session.put_entry(session.ledger.entry("ireland-ground").model_copy(update={"notes": "after redo"}))
    _crash(session)

    ops = [r["op"] for r in _lines(journal.journal_path(ledger_path))[1:]]
    assert ops == ["put", "undo", "restore", "restore", "redo", "redo", "put"]
    assert canonical.dumps(journal.recover(ledger_path)) == canonical.dumps(session.ledger)

    # The recovered session has the same history: undo and redo keep working and stay journaled.
    again = EditSession.recover(ledger_path)
    assert again.ledger == session.ledger and again.undo_description == session.undo_description
    while again.can_undo:
        again.undo()
    assert again.ledger.entry("france-ground") is not None and again.ledger.entry("uk-ground").notes == ""
    _crash(again)
    assert journal.recover(ledger_path) == again.ledger


def test_a_torn_last_line_is_ignored(ledger_path: Path) -> None:
    session = EditSession.open(ledger_path)
    session.delete_entry("russia-mfa")
    after_first = session.ledger
    session.delete_entry("uk-ground")
    _crash(session)
    jpath = journal.journal_path(ledger_path)
    data = jpath.read_bytes()
    jpath.write_bytes(data[: data.rindex(b"\n", 0, len(data) - 1) + 1 + 10])  # crash mid-write of line 3

    found = journal.pending(ledger_path)
    assert found is not None and found.edits == 1 and found.torn
    assert journal.recover(ledger_path) == after_first

    # Continuing from the recovery cuts the torn tail off before appending.
    again = EditSession.recover(ledger_path)
    again.delete_entry("ireland-ground")
    _crash(again)
    assert journal.recover(ledger_path) == again.ledger
    assert not journal.pending(ledger_path).torn


def _five_edits(ledger_path: Path) -> tuple[EditSession, list[Ledger]]:
    """Five edits, crashed before saving; the ledger after each edit."""
    session = EditSession.open(ledger_path)
    after = []
    for n, pid in enumerate(["uk-ground", "france-ground", "ireland-ground", "russia-mfa", "uk-ground"]):
        session.put_entry(session.ledger.entry(pid).model_copy(update={"notes": f"edit {n + 1}"}))
        after.append(session.ledger)
    _crash(session)
    return session, after


def _damage_line(jpath: Path, number: int, replacement: bytes) -> bytes:
    lines = jpath.read_bytes().splitlines(keepends=True)
    lines[number - 1] = replacement
    jpath.write_bytes(b"".join(lines))
    return jpath.read_bytes()


def test_a_damaged_line_in_the_middle_is_reported_and_every_other_edit_is_offered(ledger_path: Path) -> None:
    _session, _ = _five_edits(ledger_path)
    jpath = journal.journal_path(ledger_path)
    damaged = _damage_line(jpath, 3, b'{"op": "put", "desc": "edit france-gr\x00\x00\x00\n')  # edit 2 of 5

    found = journal.pending(ledger_path)
    assert found is not None and found.edits == 4 and not found.torn
    assert [d.line for d in found.problems] == [3] and "unreadable" in str(found.problems[0])
    assert found.kept is not None and found.kept.read_bytes() == damaged  # a copy as found
    assert jpath.read_bytes() == damaged  # the journal itself is left as it is
    recovered = journal.recover(ledger_path)
    notes = {p.id: p.notes for p in recovered.entries}
    assert notes == {"uk-ground": "edit 5", "france-ground": "", "ireland-ground": "edit 3", "russia-mfa": "edit 4"}

    # Restoring never cuts the journal: the later edits survive a second crash too.
    again = EditSession.recover(ledger_path)
    assert again.ledger == recovered
    assert jpath.read_bytes() == damaged
    again.put_entry(again.ledger.entry("france-ground").model_copy(update={"notes": "redone"}))
    _crash(again)
    assert jpath.read_bytes().startswith(damaged)
    assert journal.recover(ledger_path) == again.ledger
    again = EditSession.recover(ledger_path)
    again.save()
    assert store.load(ledger_path).ledger.entry("ireland-ground").notes == "edit 3"
    assert not jpath.exists() and found.kept.exists()


def test_a_journal_of_an_unknown_format_is_kept_aside_and_named(ledger_path: Path) -> None:
    _five_edits(ledger_path)
    jpath = journal.journal_path(ledger_path)
    header = json.loads(jpath.read_bytes().splitlines()[0])
    data = _damage_line(jpath, 1, json.dumps({**header, "pledgetui_journal": 99}).encode() + b"\n")

    found = journal.pending(ledger_path)
    assert found is not None and found.unreadable is not None and "format 99" in found.unreadable
    assert found.kept is not None and found.kept.read_bytes() == data and found.kept.parent == jpath.parent
    assert not jpath.exists()
    # The next edit starts a new journal; the kept one is untouched.
    session = EditSession.open(ledger_path)
    session.delete_entry("russia-mfa")
    assert found.kept.read_bytes() == data
    assert journal.pending(ledger_path) is not None


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (lambda h: {k: v for k, v in h.items() if k != "sha256"}, "no valid hash"),
        (lambda h: {**h, "sha256": "0" * 12}, "no valid hash"),
        (lambda h: {**h, "created": "yesterday"}, "no valid start time"),
        (lambda h: {k: v for k, v in h.items() if k != "created"}, "no valid start time"),
    ],
    ids=["no hash", "short hash", "bad date", "no date"],
)
def test_a_header_with_a_bad_field_is_reported_and_its_edits_offered(ledger_path: Path, change, said: str) -> None:
    _, after = _five_edits(ledger_path)
    jpath = journal.journal_path(ledger_path)
    header = json.loads(jpath.read_bytes().splitlines()[0])
    _damage_line(jpath, 1, json.dumps(change(header)).encode() + b"\n")
    found = journal.pending(ledger_path)
    assert found is not None and found.edits == 5
    assert any(d.line == 1 and said in d.what for d in found.problems), found.problems
    assert journal.recover(ledger_path) == after[-1]
    session = EditSession.recover(ledger_path)
    assert session.ledger == after[-1]
    if said == "no valid hash":  # which file the edits were made on is unknown: saving asks first
        with pytest.raises(filesave.ConflictError):
            session.save()
        session.overwrite()
    else:
        session.save()
    assert store.load(ledger_path).ledger == after[-1]


def test_unknown_and_invalid_records_are_reported_by_line_and_the_rest_applied(ledger_path: Path) -> None:
    _, _after = _five_edits(ledger_path)
    jpath = journal.journal_path(ledger_path)
    _damage_line(jpath, 2, b'{"op": "frobnicate", "at": "2026-01-01T00:00:00+00:00"}\n')  # edit 1
    _damage_line(jpath, 4, b'{"op": "delete", "desc": "delete ghost", "id": "no-such-pledge"}\n')  # edit 3
    _damage_line(jpath, 5, b'{"desc": "no op"}\n')  # edit 4
    found = journal.pending(ledger_path)
    assert found is not None
    reasons = {d.line: d.what for d in found.problems}
    assert sorted(reasons) == [2, 4, 5]
    assert "unknown operation 'frobnicate'" in reasons[2]
    assert "does not apply" in reasons[4] and "no-such-pledge" in reasons[4]
    assert "no operation" in reasons[5]
    recovered = journal.recover(ledger_path)
    assert recovered.entry("france-ground").notes == "edit 2" and recovered.entry("uk-ground").notes == "edit 5"
    assert recovered.entry("ireland-ground").notes == "" and recovered.entry("russia-mfa").notes == ""


def test_a_damaged_journal_is_never_truncated_by_the_next_edit(ledger_path: Path) -> None:
    """The user chose Later and edits: the damaged journal is set aside whole, not overwritten."""
    _five_edits(ledger_path)
    jpath = journal.journal_path(ledger_path)
    data = _damage_line(jpath, 1, b"\x00" * 40 + b"\n")  # a zeroed block over the header
    session = EditSession.open(ledger_path)
    session.delete_entry("russia-mfa")
    kept = [p for p in jpath.parent.iterdir() if p != jpath and p.read_bytes() == data]
    assert len(kept) == 1


def test_outside_change_after_a_crash_is_reported_and_saving_conflicts(ledger_path: Path) -> None:
    session = EditSession.open(ledger_path)
    session.put_entry(session.ledger.entry("uk-ground").model_copy(update={"notes": "mine"}))
    _crash(session)
    loaded = store.load(ledger_path).ledger
    theirs = canonical.dumps(loaded.model_copy(update={"entries": loaded.entries[1:] + loaded.entries[:1]}))
    ledger_path.write_bytes(theirs)

    found = journal.pending(ledger_path)
    assert found is not None and found.file_changed
    recovered = journal.recover(ledger_path)  # replayed onto the current file, offered as a copy
    assert recovered.entry("uk-ground").notes == "mine"

    again = EditSession.recover(ledger_path)
    with pytest.raises(filesave.ConflictError):
        again.save()
    assert ledger_path.read_bytes() == theirs


def test_the_backup_serves_as_base_when_another_save_replaced_the_file(ledger_path: Path) -> None:
    first = EditSession.open(ledger_path)
    first.put_entry(first.ledger.entry("uk-ground").model_copy(update={"notes": "mine"}))
    _crash(first)
    other = EditSession.open(ledger_path)
    other.delete_entry("russia-mfa")
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
    assert done.history.ledger.entry("uk-ground").notes == "mine"
    assert done.history.ledger.entry("russia-mfa") is not None  # the first session never deleted it


def test_a_crash_between_save_and_journal_removal_is_not_reported(
    ledger_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = EditSession.open(ledger_path)
    session.delete_entry("russia-mfa")
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
    session.delete_entry("russia-mfa")
    _crash(session)
    journal.discard(ledger_path)
    assert journal.pending(ledger_path) is None


# --------------------------------------------------------------------------- two sessions on one ledger


def _replays_to(jpath: Path, bases: dict[str, bytes]) -> Ledger:
    """Replay the journal at ``jpath`` onto the exact file its header names (from ``bases``)."""
    contents = journal.read(jpath)
    history = History(ledgerfile.loads(bases[contents.header["sha256"]]))
    for record in contents.records:
        journal.apply_record(history, record)
    return history.ledger


def test_a_second_session_is_refused_rather_than_taking_over_the_journal(ledger_path: Path) -> None:
    jpath = journal.journal_path(ledger_path)
    a, b = EditSession.open(ledger_path), EditSession.open(ledger_path)
    original = b.ledger
    a.delete_entry("russia-mfa")

    with pytest.raises(JournalError, match="being edited in another pledgetui session") as caught:
        b.delete_entry("uk-ground")
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
    b.put_entry(b.ledger.entry("ireland-ground").model_copy(update={"notes": "B's edit"}))
    with pytest.raises(JournalBusy):
        a.delete_entry("france-ground")  # now B holds it
    a.discard()  # A has no journal: B's is untouched
    assert jpath.exists() and journal.recover(ledger_path).entry("ireland-ground").notes == "B's edit"

    b.close()  # B ends without saving: its edits are offered, and A may now take them over
    found = journal.pending(ledger_path)
    assert found is not None and found.edits == 1
    again = EditSession.recover(ledger_path)
    assert again.ledger == b.ledger


def test_a_session_deletes_only_the_journal_file_it_holds(ledger_path: Path) -> None:
    jpath = journal.journal_path(ledger_path)
    session = EditSession.open(ledger_path)
    session.delete_entry("russia-mfa")
    # Whatever replaced the file at the journal's path is not this session's to delete.
    other = jpath.with_name("other.jsonl")
    other.write_bytes(jpath.read_bytes())
    os.replace(other, jpath)
    session.save()
    assert jpath.exists()


@pytest.mark.parametrize("seed", range(12))
def test_no_interleaving_of_two_sessions_loses_unsaved_edits(
    ledger_path: Path, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
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
                pid = rnd.choice([p.id for p in s.ledger.entries])
                s.put_entry(s.ledger.entry(pid).model_copy(update={"notes": f"{name} {counter}"}))
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
        except filesave.ConflictError:
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


# --------------------------------------------------------------------------- property: damage costs only the damaged line

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tests.factory import small_ledger, write_ledger  # noqa: E402

BASE_IDS = [p.id for p in small_ledger().entries]

# An edit: a note on a pledge of the ledger ("note", index of the pledge), or a new pledge ("add",).
EDITS = st.lists(
    st.one_of(st.tuples(st.just("note"), st.integers(0, len(BASE_IDS) - 1)), st.just(("add",))), min_size=1, max_size=12
)


def _damaged(line: bytes, how: str, garbage: bytes) -> bytes:
    """``line`` (without its newline) damaged ``how``: always something that is not a whole record."""
    if how == "garbage":
        return b"\xff" + garbage.replace(b"\n", b" ")  # never valid UTF-8, so never a record
    if how == "cut":
        return line[: len(line) // 2]
    if how == "zeros":
        return b"\x00" * len(line)
    return line.replace(b"}", b"", 1) if how == "unclosed" else line[:-1]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    plan=EDITS,
    which=st.integers(min_value=0),
    how=st.sampled_from(["garbage", "cut", "zeros", "unclosed", "drop-last"]),
    garbage=st.binary(max_size=40),
)
def test_any_one_damaged_line_costs_only_that_edit_and_the_journal_is_never_shortened(
    tmp_path_factory: pytest.TempPathFactory, plan, which: int, how: str, garbage: bytes
) -> None:
    ledger_path = write_ledger(tmp_path_factory.mktemp("prop"))
    session = EditSession.open(ledger_path)
    template = session.ledger.entry(BASE_IDS[0])
    for k, edit in enumerate(plan):
        if edit[0] == "note":
            pid = BASE_IDS[edit[1]]
            session.put_entry(session.ledger.entry(pid).model_copy(update={"notes": f"note {k}"}))
        else:
            session.put_entry(template.model_copy(update={"id": f"added-{k}"}))
    _crash(session)
    jpath = journal.journal_path(ledger_path)
    lines = jpath.read_bytes().splitlines(keepends=True)
    hit = which % len(lines)  # 0 is the header; edit k is on line k + 2
    lines[hit] = _damaged(lines[hit][:-1], how, garbage) + b"\n"
    data = b"".join(lines)
    jpath.write_bytes(data)

    # What the undamaged edits make, computed from the plan itself.
    notes = {pid: "" for pid in BASE_IDS}
    added = []
    for k, edit in enumerate(plan):
        if k + 1 == hit:
            continue
        if edit[0] == "note":
            notes[BASE_IDS[edit[1]]] = f"note {k}"
        else:
            added.append(f"added-{k}")

    found = journal.pending(ledger_path)
    assert found is not None
    if len(plan) == 1 and hit == 1:  # its only edit was hit: nothing to offer; kept aside whole, and said so
        assert found.unreadable is not None and found.kept is not None and found.kept.read_bytes() == data
        return
    assert found.unreadable is None
    assert found.edits == len(plan) - (hit > 0)
    assert hit + 1 in [d.line for d in found.problems]  # the damage is reported by its line
    recovered = journal.recover(ledger_path)
    assert {p.id: p.notes for p in recovered.entries if p.id in notes} == notes
    assert [p.id for p in recovered.entries if p.id.startswith("added-")] == added
    assert jpath.read_bytes() == data

    again = EditSession.recover(ledger_path)
    assert again.ledger == recovered and jpath.read_bytes() == data
    again.put_entry(again.ledger.entry(BASE_IDS[1]).model_copy(update={"summary": "after recovery"}))
    _crash(again)
    assert jpath.read_bytes().startswith(data)  # only appended to
    assert journal.pending(ledger_path).edits == found.edits + 1

    again = EditSession.recover(ledger_path)
    if hit == 0:  # the header named the file the edits were made on: now unknown, so saving asks first
        with pytest.raises(filesave.ConflictError):
            again.save()
        assert jpath.read_bytes().startswith(data)
        again.overwrite()
    else:
        again.save()
    saved = store.load(ledger_path).ledger
    assert {p.id: p.notes for p in saved.entries if p.id in notes} == notes
    assert [p.id for p in saved.entries if p.id.startswith("added-")] == added
    assert not jpath.exists()


def test_a_journal_written_before_schema_version_2_replays_its_edits(tmp_path) -> None:
    """A journal of an older pledgetui records entries with their own status and claimant:
    replay migrates them like a version 1 file, so the edits are not lost."""
    from pledgetui.edits import History
    from pledgetui.journal import apply_record
    from tests.factory import small_ledger

    ledger = small_ledger()
    old = ledger.entry("ireland-ground").model_dump(mode="json")
    for ev in old["evidence"]:
        for key in ("claimant", "party", "basis", "status", "stated", "conditions", "numbers"):
            ev.pop(key, None)
    old.update(status="signalled", claimant="Simon Harris", summary="edited before the upgrade")
    history = History(ledger)
    apply_record(history, {"op": "put", "desc": "edit ireland-ground", "pledge": old, "replace_id": "ireland-ground"})
    replayed = history.ledger.entry("ireland-ground")
    assert replayed.summary == "edited before the upgrade"
    assert (replayed.status.value, replayed.claimant) == ("signalled", "Simon Harris")


# --------------------------------------------------------------------------- zeroed blocks


def test_a_journal_of_zero_bytes_is_reported_as_damaged_and_kept(ledger_path: Path) -> None:
    """A disk block never written (or wiped) reads as NUL bytes with no line break. It is not a
    write cut short by a crash, so it is never passed over in silence: it is reported and kept."""
    jpath = journal.journal_path(ledger_path)
    jpath.parent.mkdir(parents=True, exist_ok=True)
    zeroed = b"\0" * 4096
    jpath.write_bytes(zeroed)

    found = journal.pending(ledger_path)
    assert found is not None and found.unreadable is not None
    assert "zero bytes" in found.unreadable
    assert any("zero bytes" in str(d) for d in found.problems)
    assert found.kept is not None and found.kept.read_bytes() == zeroed  # kept as found


def test_zero_bytes_after_the_edits_are_reported_and_every_edit_is_offered(ledger_path: Path) -> None:
    _session, after = _five_edits(ledger_path)
    jpath = journal.journal_path(ledger_path)
    data = jpath.read_bytes() + b"\0" * 512  # the file grew, the block was never written
    jpath.write_bytes(data)

    found = journal.pending(ledger_path)
    assert found is not None and found.edits == 5 and not found.torn
    assert [d.line for d in found.problems] == [7] and "zero bytes" in str(found.problems[0])
    assert found.kept is not None and found.kept.read_bytes() == data
    assert journal.recover(ledger_path) == after[-1]
    assert jpath.read_bytes() == data  # never shortened


def test_a_statement_s_relay_is_journaled_and_recovered(ledger_path: Path) -> None:
    session = EditSession.open(ledger_path)
    uk = session.ledger.entry("uk-ground")
    relayed = uk.evidence[0].model_copy(update={"relayed_by": "a002 author"})
    session.put_entry(uk.model_copy(update={"evidence": (relayed, *uk.evidence[1:])}))
    _, put = _lines(journal.journal_path(ledger_path))
    assert put["pledge"]["evidence"][0]["relayed_by"] == "a002 author"
    _crash(session)
    recovered = journal.recover(ledger_path).entry("uk-ground")
    assert recovered.evidence[0].relayed_by == "a002 author"
    assert all(ev.relayed_by == "" for ev in recovered.evidence[1:])


# --------------------------------------------------------------------------- hostile journal lines


def _header_with(jpath: Path, **changes: object) -> None:
    lines = jpath.read_bytes().splitlines(keepends=True)
    header = json.loads(lines[0])
    header.update(changes)
    lines[0] = json.dumps(header).encode() + b"\n"
    jpath.write_bytes(b"".join(lines))


@pytest.mark.parametrize("field", ["size", "mtime_ns"])
def test_a_header_number_too_large_for_a_file_is_damage_not_a_crash(ledger_path: Path, field: str) -> None:
    _session, after = _five_edits(ledger_path)
    jpath = journal.journal_path(ledger_path)
    _header_with(jpath, **{field: float("inf")})  # as 1e400 reads: a float no int holds
    assert b"Infinity" in jpath.read_bytes().splitlines()[0]
    found = journal.pending(ledger_path)
    assert found is not None and found.edits == 5
    assert journal.recover(ledger_path) == after[-1]


def test_a_line_nested_thousands_deep_is_damage_not_a_crash(ledger_path: Path) -> None:
    _session, after = _five_edits(ledger_path)
    jpath = journal.journal_path(ledger_path)
    lines = jpath.read_bytes().splitlines(keepends=True)
    lines.insert(3, b"[" * 100_000 + b"\n")
    jpath.write_bytes(b"".join(lines))
    found = journal.pending(ledger_path)
    assert found is not None and found.edits == 5
    assert [str(d) for d in found.problems] == [
        "line 4: unreadable (not a journal record: damaged or not written whole)"
    ]
    assert journal.recover(ledger_path) == after[-1]


@pytest.mark.parametrize(
    "bad",
    [
        {"desc": ["x", {"y": 1}]},
        {"desc": 123},
        {"desc": None},
    ],
)
def test_a_record_whose_description_is_not_text_is_skipped_and_reported(ledger_path: Path, bad: dict) -> None:
    _session, after = _five_edits(ledger_path)
    jpath = journal.journal_path(ledger_path)
    lines = jpath.read_bytes().splitlines(keepends=True)
    record = json.loads(lines[-1])
    record.update(bad)
    lines[-1] = json.dumps(record).encode() + b"\n"
    jpath.write_bytes(b"".join(lines))
    found = journal.pending(ledger_path)
    assert found is not None and found.skipped == 1
    assert "description is not text" in str(found.problems[-1])
    recovered = EditSession.recover(ledger_path)
    assert recovered.ledger == after[-2]
    while recovered.can_undo:  # every description the history holds is text: undo names it
        assert isinstance(recovered.undo_description, str)
        recovered.undo()


def test_a_restore_record_with_an_unknown_direction_is_skipped(ledger_path: Path) -> None:
    session = EditSession.open(ledger_path)
    session.put_entry(session.ledger.entry("uk-ground").model_copy(update={"notes": "a"}))
    session.save()
    session.undo()  # reaches back before the save: journaled as a restore record
    _crash(session)
    jpath = journal.journal_path(ledger_path)
    lines = jpath.read_bytes().splitlines(keepends=True)
    records = [json.loads(line) for line in lines]
    at = next(i for i, r in enumerate(records) if r.get("op") == "restore")
    records[at]["direction"] = "sideways"
    jpath.write_bytes(b"".join(json.dumps(r).encode() + b"\n" for r in records))
    found = journal.pending(ledger_path)
    assert found is not None and found.skipped == 1
    assert "'sideways' is neither" in str(found.problems[-1])


def test_a_record_followed_by_zero_bytes_is_kept_and_the_zeros_reported(ledger_path: Path) -> None:
    _session, after = _five_edits(ledger_path)
    jpath = journal.journal_path(ledger_path)
    data = jpath.read_bytes().rstrip(b"\n") + b"\0" * 300  # the last record, then a block never written
    jpath.write_bytes(data)
    found = journal.pending(ledger_path)
    assert found is not None and found.edits == 5 and not found.torn
    assert [d.line for d in found.problems] == [6] and "zero bytes" in str(found.problems[0])
    assert journal.recover(ledger_path) == after[-1]
    assert found.kept is not None and found.kept.read_bytes() == data


def test_an_all_zero_journal_is_not_said_to_be_replayed(ledger_path: Path) -> None:
    jpath = journal.journal_path(ledger_path)
    jpath.parent.mkdir(parents=True, exist_ok=True)
    jpath.write_bytes(b"\0" * 100)
    found = journal.pending(ledger_path)
    assert found is not None and found.unreadable is not None
    assert "replayed" not in found.unreadable


def test_a_journal_that_cannot_start_names_the_folder_it_needs(
    ledger_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The state folder is a file (or cannot be written): the refusal says where, not only why."""
    state = tmp_path / "not-a-folder"
    state.write_text("")
    monkeypatch.setenv("PLEDGETUI_STATE_DIR", str(state))
    session = EditSession.open(ledger_path)
    with pytest.raises(JournalError) as refused:
        session.delete_entry("russia-mfa")
    assert str(paths.journal_dir()) in str(refused.value) and "Not a directory" in str(refused.value)
