"""Restoring a journal onto a ledger file saved since it began: a three-way merge (pledgetui.restore)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pledgetui import filesave, journal, restore, store
from pledgetui.session import EditSession

C = "russia-mfa"


def _crashed(ledger_path: Path, **notes: str) -> None:
    """A session edits C's fields and ends without saving (its journal stays)."""
    s = EditSession.open(ledger_path)
    s.put_entry(s.ledger.entry(C).model_copy(update=notes))
    s.close()


def _saved_elsewhere(ledger_path: Path, **fields: str) -> None:
    """Another session (after Later) edits C and saves: the first journal is set aside."""
    s = EditSession.open(ledger_path)
    s.put_entry(s.ledger.entry(C).model_copy(update=fields))
    s.save()


def _pending(ledger_path: Path) -> journal.Recovery:
    found = journal.pending(ledger_path)  # brings the set-aside journal back
    assert found is not None
    return found


@pytest.mark.parametrize("links", [True, False], ids=["hard link", "no hard links: a copy"])
def test_after_two_saves_the_journal_merges_onto_the_file_from_the_copy_of_its_base(
    ledger_path: Path, links: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_link(*args: object, **kwargs: object) -> None:
        raise OSError(18, "Invalid cross-device link")

    with monkeypatch.context() as mp:
        if not links:  # the journal's copy of its base is made without a hard link
            mp.setattr(journal.os, "link", no_link)
        _crashed(ledger_path, notes="set-aside note")
    assert len(list(journal.journal_path(ledger_path).parent.glob("*.base-*.toml"))) == 1
    _saved_elsewhere(ledger_path, summary="Saved since, first")
    _saved_elsewhere(ledger_path, actor="Saved since, second")  # the backup no longer holds the base
    assert _pending(ledger_path).file_changed
    plan = restore.plan(ledger_path)
    assert plan.replayed.base == "kept" and plan.merged is not None and not plan.conflicts
    merged = plan.ledger.entry(C)
    assert merged.notes == "set-aside note"  # the journal's edit
    assert merged.summary == "Saved since, first" and merged.actor == "Saved since, second"  # kept
    assert [line for line in restore.describe_plan(plan)] == [f"~ {C}: notes"]


def test_one_field_changed_both_ways_is_a_conflict_and_the_file_keeps_its_value(ledger_path: Path) -> None:
    _crashed(ledger_path, summary="the set-aside summary")
    _saved_elsewhere(ledger_path, summary="the saved summary")
    _pending(ledger_path)
    plan = restore.plan(ledger_path)
    assert plan.replayed.base == "backup"
    assert [(c.entry, c.field) for c in plan.conflicts] == [(C, "summary")]
    assert plan.ledger.entry(C).summary == "the saved summary"
    lines = restore.describe_plan(plan)
    assert any(line.startswith("! entry russia-mfa field summary") for line in lines)
    assert not plan.nothing_to_restore


def test_a_journal_whose_base_is_found_nowhere_is_replayed_onto_the_file_as_before(ledger_path: Path) -> None:
    _crashed(ledger_path, notes="set-aside note")
    _saved_elsewhere(ledger_path, summary="Saved since")
    jpath = journal.journal_path(ledger_path)
    for copy in jpath.parent.glob("*.base-*.toml"):
        copy.unlink()  # a journal from before copies were kept
    ledger_path.with_name(ledger_path.name + filesave.BACKUP_SUFFIX).unlink()
    _pending(ledger_path)
    plan = restore.plan(ledger_path)
    assert plan.replayed.base == "changed" and plan.merged is None
    assert plan.ledger == journal.recover(ledger_path)  # what restoring always gave
    assert plan.ledger.entry(C).notes == "set-aside note"


def test_a_merged_restore_is_one_undoable_step_and_survives_a_crash(ledger_path: Path) -> None:
    _crashed(ledger_path, notes="set-aside note")
    _saved_elsewhere(ledger_path, summary="Saved since")
    _pending(ledger_path)
    plan = restore.plan(ledger_path)
    session, kept = EditSession.restore_merged(plan)
    assert kept is None
    jpath = journal.journal_path(ledger_path)
    assert not journal.set_aside_journals(jpath)  # the restored journal is replaced by the new one
    assert session.dirty and session.ledger == plan.ledger
    assert session.fingerprint == store.load(ledger_path).fingerprint  # saving asks nothing
    session.close()  # a crash: the new journal replays to the merged ledger, onto the file as it is
    assert journal.recover(ledger_path) == plan.ledger
    again = EditSession.recover(ledger_path)
    again.undo()  # back to the file as saved since, not to the old one
    assert again.ledger == store.load(ledger_path).ledger
    again.redo()
    again.save()
    saved = store.load(ledger_path).ledger.entry(C)
    assert saved.notes == "set-aside note" and saved.summary == "Saved since"
    assert not list(jpath.parent.iterdir())  # no journal, and no copy of a base left behind


def test_a_crash_after_its_own_save_is_cleaned_up_but_the_same_edit_saved_elsewhere_is_asked(
    ledger_path: Path,
) -> None:
    _crashed(ledger_path, notes="same note")
    _saved_elsewhere(ledger_path, notes="same note")
    found = _pending(ledger_path)
    assert found.already_in_file and found.file_changed
    assert journal.pending(ledger_path) is not None  # asking again deletes nothing
    assert restore.plan(ledger_path).nothing_to_restore
