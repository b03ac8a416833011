"""'Later' on the recovery prompt, then an edit: the earlier edits are set aside with a word, and offered again."""

from __future__ import annotations

from pathlib import Path

from pledgetui import journal
from pledgetui.session import EditSession
from pledgetui.ui.app import PledgeApp
from pledgetui.ui.screens.choice import ChoiceScreen
from tests.pilot import Notices, edit_current, started


async def test_later_then_an_edit_says_where_the_edits_went_and_the_next_start_offers_them(ledger_path: Path) -> None:
    crashed = EditSession.open(ledger_path)
    crashed.put_entry(crashed.ledger.entry("uk-ground").model_copy(update={"notes": "from the crashed session"}))
    crashed.close()  # ended without saving: its journal stays

    app = PledgeApp(ledger_path)
    notices = Notices()
    async with app.run_test(size=(120, 40), message_hook=notices) as pilot:
        await started(app, pilot)
        assert isinstance(app.screen, ChoiceScreen) and app.screen.title_text == "Recover unsaved edits"
        assert "offered again at the next start" in str(app.screen.message)
        await pilot.press("l")  # Later
        await pilot.pause()
        await edit_current(app, pilot, summary="an edit in this session")
        jpath = journal.journal_path(ledger_path)
        aside = journal.set_aside_journals(jpath)
        assert len(aside) == 1
        said = [m for m in notices.messages if "set aside" in m]
        assert said and str(aside[0]) in said[-1] and "offered again" in said[-1]
        await pilot.press("q")  # quit, discarding this session's edit
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()

    app = PledgeApp(ledger_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(app, pilot)
        prompt = app.screen
        assert isinstance(prompt, ChoiceScreen) and prompt.title_text == "Recover unsaved edits"
        assert "1 unsaved edit(s)" in str(prompt.message)
        await pilot.press("r")
        await pilot.pause()
        await app.workers.wait_for_complete()  # restored in a worker
        await pilot.pause()
        assert app.session.ledger.entry("uk-ground").notes == "from the crashed session"
        assert app.session.dirty
    assert not journal.set_aside_journals(journal.journal_path(ledger_path))
