"""The dashboard shows the conflicts a merge recorded and picks a side for each, as an undoable edit."""

from __future__ import annotations

from pathlib import Path

from pledgetui import journal, ledgerfile
from pledgetui.edits import History
from pledgetui.merge import merge
from pledgetui.model import Ledger
from pledgetui.ui.app import PledgeApp
from pledgetui.ui.screens.conflicts import ConflictsScreen
from tests.factory import small_ledger, write_ledger
from tests.pilot import Notices, press_and_settle, screen_text, started


def summary_of(ledger: Ledger, entry_id: str, summary: str) -> Ledger:
    entries = tuple(p.model_copy(update={"summary": summary}) if p.id == entry_id else p for p in ledger.entries)
    return ledger.model_copy(update={"entries": entries})


def conflicted() -> Ledger:
    """``uk-ground``'s summary changed differently on both sides (ours kept, the conflict recorded)."""
    base = small_ledger()
    merged = merge(base, summary_of(base, "uk-ground", "Ours says so"), summary_of(base, "uk-ground", "Theirs says so"))
    assert len(merged.ledger.conflicts) == 1
    return merged.ledger


async def test_the_dashboard_names_each_conflict_and_takes_the_side_picked(tmp_path: Path) -> None:
    path = write_ledger(tmp_path, conflicted())
    app = PledgeApp(path)
    notices = Notices()
    async with app.run_test(size=(120, 40), message_hook=notices) as pilot:
        await started(app, pilot)
        assert app.session is not None
        assert "1 merge conflict" in app.sub_title
        assert any("merge conflict" in m and "press M" in m.replace("Press", "press") for m in notices.of("warning"))
        app.dashboard.go_to_entry("uk-ground")
        await pilot.pause()
        assert "MERGE CONFLICTS: 1" in app.dashboard.query_one("DetailPane").text  # type: ignore[attr-defined]

        await press_and_settle(app, pilot, "question_mark")  # the help offers the key now
        assert ("M", "Merge conflicts") in app.screen.rows()  # type: ignore[attr-defined]
        await press_and_settle(app, pilot, "escape")
        await press_and_settle(app, pilot, "M")
        assert isinstance(app.screen, ConflictsScreen)
        shown = screen_text(app)
        assert "uk-ground" in shown and "summary" in shown
        assert "Ours says so" in shown and "Theirs says so" in shown

        await press_and_settle(app, pilot, "t")
        ledger = app.session.ledger
        assert ledger.conflicts == ()
        entry = ledger.entry("uk-ground")
        assert entry is not None and entry.summary == "Theirs says so"
        assert "No merge conflicts left" in screen_text(app)
        assert "merge conflict" not in app.sub_title

        await press_and_settle(app, pilot, "escape")
        await press_and_settle(app, pilot, "ctrl+z")  # undo brings the conflict back, and ours
        ledger = app.session.ledger
        assert len(ledger.conflicts) == 1
        entry = ledger.entry("uk-ground")
        assert entry is not None and entry.summary == "Ours says so"
        await press_and_settle(app, pilot, "ctrl+y")
        await press_and_settle(app, pilot, "ctrl+s")
        assert not app.session.dirty
    saved = ledgerfile.read(path, path.read_bytes())
    assert saved.conflicts == ()
    entry = saved.entry("uk-ground")
    assert entry is not None and entry.summary == "Theirs says so"


async def test_the_conflicts_key_shows_only_when_the_ledger_records_some(tmp_path: Path) -> None:
    app = PledgeApp(write_ledger(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await started(app, pilot)
        await press_and_settle(app, pilot, "question_mark")
        assert "Merge conflicts" not in {description for _key, description in app.screen.rows()}  # type: ignore[attr-defined]
        await press_and_settle(app, pilot, "escape")
        await press_and_settle(app, pilot, "M")
        assert not isinstance(app.screen, ConflictsScreen)


def test_a_journaled_pick_replays_after_a_crash(tmp_path: Path) -> None:
    ledger = conflicted()
    conflict = ledger.conflicts[0]
    history = History(ledger)
    record = {"op": "resolve", "desc": "keep theirs", "conflict": conflict.model_dump(mode="json"), "side": "theirs"}
    journal.apply_record(history, record)
    assert history.ledger.conflicts == ()
    entry = history.ledger.entry("uk-ground")
    assert entry is not None and entry.summary == "Theirs says so"
    history.undo()
    assert history.ledger == ledger


def test_an_undo_past_the_journal_start_carries_the_conflicts_back() -> None:
    ledger = conflicted()
    resolved = ledger.model_copy(update={"conflicts": ()})
    record = journal._restore_record("undo", "keep theirs", resolved, ledger)
    assert journal._ledger_from_restore(resolved, record).conflicts == ledger.conflicts
    old = journal._restore_record("undo", "edit", resolved, resolved)  # none to carry: none written
    assert "conflicts" not in old
    assert journal._ledger_from_restore(ledger, old).conflicts == ()


def with_theirs(ledger: Ledger, theirs: str) -> Ledger:
    """``ledger`` with its one conflict's theirs value replaced by ``theirs`` (a hand-edited file)."""
    c = ledger.conflicts[0].model_copy(update={"theirs": theirs})
    return ledger.model_copy(update={"conflicts": (c,)})


async def test_a_side_whose_json_is_nested_too_deep_is_refused_not_a_crash(tmp_path: Path) -> None:
    path = write_ledger(tmp_path, with_theirs(conflicted(), "[" * 19000))
    app = PledgeApp(path)
    notices = Notices()
    async with app.run_test(size=(120, 40), message_hook=notices) as pilot:
        await started(app, pilot)
        await press_and_settle(app, pilot, "M")
        await press_and_settle(app, pilot, "t")
        assert isinstance(app.screen, ConflictsScreen)
        assert app.session is not None and len(app.session.ledger.conflicts) == 1
        refused = " ".join(notices.of("error"))
        assert "uk-ground" in refused and "theirs" in refused and "JSON" in refused
