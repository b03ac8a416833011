"""A dashboard editing a ledger that another program writes (git pull, a teammate's window):
it says so, and keeps the unsaved edits merged onto the file instead of offering to overwrite it."""

from __future__ import annotations

from pathlib import Path

import pytest

from pledgetui import ledgerfile
from pledgetui.ui.app import PledgeApp
from pledgetui.ui.screens.choice import ChoiceScreen
from tests.factory import OUTSIDE_SUMMARY, outside_change, write_ledger
from tests.pilot import press_and_settle, started


async def _offered(app: PledgeApp, pilot: object, title: str) -> ChoiceScreen:
    """Wait (bounded) for the watcher's question; it checks the file once a second."""
    for _ in range(400):
        screen = app.screen
        if isinstance(screen, ChoiceScreen) and title in screen.title_text:
            return screen
        await pilot.pause(0.01)  # type: ignore[attr-defined]
    raise AssertionError(f"never asked {title!r}; the screen is {app.screen!r}")


async def test_unsaved_edits_are_merged_onto_the_file_written_since(tmp_path: Path) -> None:
    path = write_ledger(tmp_path)
    app = PledgeApp(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(app, pilot)
        assert app.session is not None
        app.controller.apply(lambda: app.session.delete_entry("uk-ground"), None)  # type: ignore[union-attr]
        await pilot.pause()
        outside_change(path)  # ireland-ground's summary changed, russia-mfa deleted, by another writer
        await _offered(app, pilot, "changed on disk")
        await press_and_settle(app, pilot, "m")
        await app.workers.wait_for_complete()
        await pilot.pause()
        ledger = app.session.ledger
        assert ledger.entry("uk-ground") is None  # ours
        assert ledger.entry("russia-mfa") is None  # theirs, kept
        ireland = ledger.entry("ireland-ground")
        assert ireland is not None and ireland.summary == OUTSIDE_SUMMARY
        assert app.session.dirty
        await press_and_settle(app, pilot, "ctrl+s")  # no "changed on disk" question: it is the file's base now
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not app.session.dirty
        await press_and_settle(app, pilot, "ctrl+z")  # the merge is one step: back to the file as written outside
        assert app.session.ledger.entry("uk-ground") is not None
    saved = ledgerfile.read(path, path.read_bytes())
    assert saved.entry("uk-ground") is None and saved.entry("russia-mfa") is None
    ireland = saved.entry("ireland-ground")
    assert ireland is not None and ireland.summary == OUTSIDE_SUMMARY


async def test_without_unsaved_edits_the_file_written_since_is_offered_for_reload(tmp_path: Path) -> None:
    path = write_ledger(tmp_path)
    app = PledgeApp(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(app, pilot)
        outside_change(path)
        await _offered(app, pilot, "changed on disk")
        await press_and_settle(app, pilot, "r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.session is not None and app.session.ledger.entry("russia-mfa") is None


async def test_the_save_question_offers_to_merge(tmp_path: Path) -> None:
    path = write_ledger(tmp_path)
    app = PledgeApp(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(app, pilot)
        assert app.session is not None
        app.controller.apply(lambda: app.session.delete_entry("uk-ground"), None)  # type: ignore[union-attr]
        app.watching = False  # the save's question is the one under test
        outside_change(path)
        app.controller.offer_conflict()  # what a save finds
        await pilot.pause()
        await press_and_settle(app, pilot, "m")
        await app.workers.wait_for_complete()
        await pilot.pause()
        ledger = app.session.ledger
        assert ledger.entry("uk-ground") is None and ledger.entry("russia-mfa") is None


def test_a_merge_whose_journal_cannot_start_keeps_the_session_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pledgetui import journal, store
    from pledgetui.session import EditSession

    path = write_ledger(tmp_path)
    session = EditSession.open(path)
    session.delete_entry("uk-ground")
    before = (session.fingerprint, session.saved, session.ledger)
    outside_change(path)
    loaded = store.load(path)

    def refuse(*args: object, **kwargs: object) -> None:
        raise journal.JournalError("the state folder is full")

    monkeypatch.setattr(journal.Journal, "create", refuse)
    with pytest.raises(journal.JournalError):
        session.merge_onto(loaded)
    assert (session.fingerprint, session.saved, session.ledger) == before
    assert session.dirty and session.ledger.entry("uk-ground") is None
