"""Pilot tests: after add, import, undo and redo the cursor stays on the entry acted on, or the nearest one."""

from __future__ import annotations

from pathlib import Path

from pledgetui.ui.app import PledgeApp
from pledgetui.ui.screens.edit_entry import EditEntry
from tests.pilot import edit_current, press_and_settle, started


def current_id(app: PledgeApp) -> str:
    entry = app.dashboard.table.current_entry
    assert entry is not None
    return entry.id


async def test_undo_and_redo_keep_the_users_place(ledger_path: Path) -> None:
    app = PledgeApp(ledger_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(app, pilot)
        table = app.dashboard.table
        await pilot.press("down", "down")
        assert table.cursor == 2
        third = current_id(app)
        # add a copy: the cursor goes to the new entry
        await pilot.press("A")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, EditEntry)
        new_id = form.query_one("#in-id").value
        await press_and_settle(app, pilot, "ctrl+s")
        assert current_id(app) == new_id
        row = table.cursor
        # undo the add: the entry is gone; the cursor stays at that row (the nearest entry), not the top
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert app.session.ledger.entry(new_id) is None
        assert table.cursor == min(row, len(table.view) - 1) and table.cursor > 0
        # redo brings it back, and the cursor to it
        await pilot.press("home")
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert current_id(app) == new_id
        # undo an edit made elsewhere: the cursor goes to the entry the undo changed
        await pilot.press("home", "down", "down")
        assert current_id(app) == third
        await edit_current(app, pilot, summary="edited third")
        await pilot.press("home")
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert current_id(app) == third and app.session.ledger.entry(third).summary != "edited third"
        await pilot.press("end")
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert current_id(app) == third


async def test_import_keeps_the_cursor_on_the_entry_shown(ledger_path: Path, tmp_path: Path) -> None:
    article = tmp_path / "new-article.txt"
    article.write_text("A new article with words enough to quote from it later on.\n", encoding="utf-8")
    app = PledgeApp(ledger_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(app, pilot)
        app.dashboard.sort_by("actor", descending=True)
        await pilot.press("down", "down")
        before = current_id(app)
        await pilot.press("i")
        await pilot.pause()
        app.screen.query_one("#imp-path").value = str(article)
        app.screen.query_one("#imp-title").value = "A new article"
        await pilot.pause()
        await press_and_settle(app, pilot, "ctrl+s")
        assert app.session.ledger.sources[-1].title == "A new article"
        assert current_id(app) == before
        await pilot.press("ctrl+z")  # undo the import: no entry changed, the cursor stays
        await pilot.pause()
        assert current_id(app) == before
