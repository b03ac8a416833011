"""Edits set aside ("Later") and restored after other changes were saved are merged onto the
file as it is now: what was saved since is never brought back, and the user sees the change first."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from pledgetui import journal, store
from pledgetui.ui.app import PledgeApp
from pledgetui.ui.screens.choice import ChoiceScreen
from tests.pilot import press_and_settle, started

A, B = "uk-ground", "france-ground"


def prompt(app: PledgeApp) -> ChoiceScreen:
    screen = app.screen
    assert isinstance(screen, ChoiceScreen), f"no question on screen: {screen!r}"
    return screen


async def delete(app: PledgeApp, pilot: Pilot[Any], entry_id: str) -> None:
    app.dashboard.go_to_entry(entry_id)
    await pilot.pause()
    assert app.dashboard.current is not None and app.dashboard.current.id == entry_id
    await pilot.press("d")
    await pilot.pause()
    await press_and_settle(app, pilot, "y")
    assert app.session.ledger.entry(entry_id) is None


async def crash_after_deleting(ledger_path: Path, entry_id: str) -> None:
    """Open, delete ``entry_id``, and end without saving, as a killed app would (the journal stays)."""
    app = PledgeApp(ledger_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(app, pilot)
        await delete(app, pilot, entry_id)
        app.session.close()  # the process dies: nothing saved, its journal stays
        app.exit()


async def later_then_delete_and_save(ledger_path: Path, entry_id: str) -> None:
    """Open, answer Later to the recovery prompt, delete ``entry_id``, save and quit."""
    app = PledgeApp(ledger_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(app, pilot)
        assert prompt(app).title_text == "Recover unsaved edits"
        await pilot.press("l")
        await pilot.pause()
        await delete(app, pilot, entry_id)
        await press_and_settle(app, pilot, "ctrl+s")
        assert not app.session.dirty
        await pilot.press("q")
        await pilot.pause()
    assert store.load(ledger_path).ledger.entry(entry_id) is None


async def test_set_aside_edits_restored_after_a_save_never_bring_back_what_was_saved(ledger_path: Path) -> None:
    await crash_after_deleting(ledger_path, A)
    await later_then_delete_and_save(ledger_path, B)
    assert store.load(ledger_path).ledger.entry(A) is not None  # A's deletion is only in the set-aside journal

    app = PledgeApp(ledger_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(app, pilot)
        assert prompt(app).title_text == "Recover unsaved edits"
        await press_and_settle(app, pilot, "r")
        # what will change, before anything is applied
        preview = prompt(app)
        assert preview.title_text == "Restore onto the changed file"
        text = str(preview.message)
        assert f"- {A}: deleted" in text and B not in text and "Conflicts" not in text
        assert app.session.ledger.entry(A) is not None and not app.session.dirty  # nothing applied yet
        await press_and_settle(app, pilot, "a")
        assert app.session.ledger.entry(A) is None  # the set-aside deletion is applied
        assert app.session.ledger.entry(B) is None  # the deletion saved since stays
        assert [p.id for p in app.dashboard.visible_entries()].count(B) == 0
        assert app.session.dirty
        await press_and_settle(app, pilot, "ctrl+s")
        assert not isinstance(app.screen, ChoiceScreen)  # no conflict to overwrite: saved on the file as it is
        assert not app.session.dirty
    saved = store.load(ledger_path).ledger
    assert saved.entry(A) is None and saved.entry(B) is None
    assert journal.pending(ledger_path) is None  # restored and saved: nothing is offered again
    assert not list(journal.journal_path(ledger_path).parent.iterdir())


async def test_a_set_aside_edit_equal_to_what_was_saved_since_is_never_dropped_without_asking(
    ledger_path: Path,
) -> None:
    await crash_after_deleting(ledger_path, A)
    await later_then_delete_and_save(ledger_path, A)  # the same edit, made again and saved

    app = PledgeApp(ledger_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(app, pilot)
        question = prompt(app)
        assert question.title_text == "Nothing to restore"
        assert "in the file already" in str(question.message)
        await pilot.press("l")  # Later: kept
        await pilot.pause()
    assert journal.pending(ledger_path) is not None

    app = PledgeApp(ledger_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(app, pilot)
        assert prompt(app).title_text == "Nothing to restore"  # offered again
        await pilot.press("d")  # now the user says so
        await pilot.pause()
    assert journal.pending(ledger_path) is None
    left = [p.name for p in journal.journal_path(ledger_path).parent.iterdir()]
    assert not left  # neither a journal nor the copy of the file it started from
