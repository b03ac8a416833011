"""The dashboard's "as of" control (w, and the palette): the ledger as it stood on a day in the
table, the title, the note of what it left apart, the matrix; today's ledger back; an impossible
day kept in the dialog; edits refused while the past is shown."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input, Static

from pledgetui.ui.app import PledgeApp
from pledgetui.ui.screens.as_of import AsOfDialog
from pledgetui.ui.screens.edit_entry import EditEntry
from pledgetui.vocab import Status
from tests.factory import REPO, SEEDS
from tests.pilot import Notices, press_and_settle, screen_text, started

EVE = "2025-12-31"
SIZE = (160, 48)


@pytest.fixture
def bundled(tmp_path: Path) -> Path:
    """A writable copy of the bundled ledger, with its articles."""
    folder = tmp_path / "ledger"
    folder.mkdir()
    shutil.copy(REPO / "data" / "pledges.toml", folder / "pledges.toml")
    shutil.copytree(SEEDS, folder / "seeds")
    return folder / "pledges.toml"


def statuses(app: PledgeApp) -> set[Status]:
    return {p.status for p in app.dashboard.visible_entries()}


async def choose(app: PledgeApp, pilot: Pilot[Any], day: str, *, count_uncertain: bool = False) -> None:
    """Press w, type ``day`` (after clearing the field), tick the box as asked, press enter."""
    await press_and_settle(app, pilot, "w")
    assert isinstance(app.screen, AsOfDialog)
    field = app.screen.query_one("#as-of-day", Input)
    field.value = ""
    await pilot.press(*day) if day else None
    app.screen.query_one("#as-of-uncertain", Checkbox).value = count_uncertain
    await press_and_settle(app, pilot, "enter")


async def test_a_day_shows_the_ledger_as_it_stood_then_and_clearing_it_returns_today(bundled: Path) -> None:
    app = PledgeApp(bundled)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        today = [p.id for p in app.dashboard.visible_entries()]
        assert Status.SIGNED in statuses(app)
        note = app.dashboard.query_one("#as-of-note", Static)
        assert not note.display and "as of" not in app.sub_title

        await choose(app, pilot, EVE, count_uncertain=True)
        assert not isinstance(app.screen, AsOfDialog)
        assert f"as of {EVE}" in app.sub_title
        assert statuses(app) and Status.SIGNED not in statuses(app)
        text = screen_text(app)
        assert f"as of {EVE}" in text.splitlines()[0]  # the header
        assert "Signed" not in text
        assert note.display
        assert f"as of {EVE}:" in text and "came later" in text and "are counted" in text
        from pledgetui.ui.widgets.detail import DetailPane

        detail = " ".join(app.dashboard.query_one(DetailPane).text.split())
        assert detail.startswith(f"As of {EVE}: the status") and "today's reading" in detail

        await choose(app, pilot, "")
        assert "as of" not in app.sub_title
        assert [p.id for p in app.dashboard.visible_entries()] == today
        assert not note.display
        assert "Signed" in screen_text(app)
        assert not app.dashboard.query_one(DetailPane).text.startswith("As of")


async def test_the_uncertain_are_left_out_and_counted_apart_unless_counted(bundled: Path) -> None:
    app = PledgeApp(bundled)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await choose(app, pilot, EVE)
        then = app.dashboard.then
        assert then is not None and not then.counted_uncertain and then.uncertain
        assert len(app.dashboard.visible_entries()) == len(then.ledger.entries)
        text = screen_text(app)
        assert f"{len(then.uncertain)} may fall either side of the day and are left out (w: count them)" in text
        assert f"{len(then.gone)} entries had no statement by then" in text
        await choose(app, pilot, EVE, count_uncertain=True)
        counted = app.dashboard.then
        assert counted is not None and len(counted.ledger.entries) > len(then.ledger.entries)
        assert len(app.dashboard.visible_entries()) == len(counted.ledger.entries)


async def test_an_impossible_day_stays_in_the_dialog_with_a_message(bundled: Path) -> None:
    app = PledgeApp(bundled)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        shown = app.dashboard.visible_entries()
        for day in ("2026-02-30", "2026-1-5"):
            await press_and_settle(app, pilot, "w")
            await pilot.press(*day)
            await press_and_settle(app, pilot, "enter")
            dialog = app.screen
            assert isinstance(dialog, AsOfDialog)
            error = screen_text(app, dialog.query_one("#as-of-error", Static))
            assert day in error and "YYYY-MM-DD" in error
            await press_and_settle(app, pilot, "escape")
            assert not isinstance(app.screen, AsOfDialog)
        assert app.dashboard.as_of_day is None and app.dashboard.visible_entries() == shown
        assert "as of" not in app.sub_title


async def test_edits_are_refused_while_the_past_is_shown(bundled: Path) -> None:
    notices = Notices()
    app = PledgeApp(bundled)
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await started(app, pilot)
        await choose(app, pilot, EVE, count_uncertain=True)
        for key in ("e", "A", "d", "i", "E", "a", "u", "ctrl+y"):
            before = len(notices.posted)
            await press_and_settle(app, pilot, key)
            assert app.screen is app.dashboard, key
            said = notices.messages[before:]
            assert any(f"as of {EVE}" in m and "not edited" in m for m in said), (key, said)
        assert app.session is not None and not app.session.dirty
        await choose(app, pilot, "")
        await press_and_settle(app, pilot, "e")
        assert isinstance(app.screen, EditEntry)


async def test_the_matrix_and_the_palette(bundled: Path) -> None:
    app = PledgeApp(bundled)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        helps = {c.title: c.help for c in app.get_system_commands(app.dashboard)}
        assert helps["As of a day: the ledger as it stood then"].endswith("(w)")
        await choose(app, pilot, EVE, count_uncertain=True)
        await press_and_settle(app, pilot, "m")
        matrix = app.screen
        assert type(matrix).__name__ == "MatrixScreen"
        cells = [*matrix.matrix.entries.cells.values(), *matrix.matrix.counters.cells.values()]  # type: ignore[attr-defined]
        assert cells and Status.SIGNED not in {c.status for c in cells}
        assert f"as of {EVE}" in screen_text(app).splitlines()[0]
        await press_and_settle(app, pilot, "escape")
        await press_and_settle(app, pilot, "t")
        assert type(app.screen).__name__ == "StatementsScreen"
        assert f"as of {EVE}" in screen_text(app)
        shown = app.screen.ledger  # type: ignore[attr-defined]
        assert shown is app.dashboard.ledger and Status.SIGNED not in {p.status for p in shown.entries}


async def test_an_export_is_of_that_day_and_says_so(bundled: Path, tmp_path: Path) -> None:
    target = tmp_path / "then.json"
    app = PledgeApp(bundled)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await choose(app, pilot, EVE, count_uncertain=True)
        await press_and_settle(app, pilot, "x")
        assert f"as of {EVE}" in screen_text(app)
        app.screen.query_one("#export-path", Input).value = str(target)
        await press_and_settle(app, pilot, "ctrl+s")
        then = app.dashboard.then
    doc = json.loads(target.read_text(encoding="utf-8"))
    assert then is not None and doc["as_of"]["day"] == EVE and doc["as_of"]["count_uncertain"] is True
    assert [e["id"] for e in doc["entries"]] == [p.id for p in then.ledger.entries]


async def test_space_ticks_the_box_and_enter_applies_wherever_the_focus_is(bundled: Path) -> None:
    """The button says "Apply (enter)": enter on the ticked checkbox applies, it does not untick it."""
    app = PledgeApp(bundled)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await press_and_settle(app, pilot, "w")
        dialog = app.screen
        assert isinstance(dialog, AsOfDialog)
        await pilot.press(*EVE)
        await press_and_settle(app, pilot, "tab")
        box = dialog.query_one("#as-of-uncertain", Checkbox)
        assert app.focused is box
        await press_and_settle(app, pilot, "space")
        assert box.value
        await press_and_settle(app, pilot, "enter")
        assert not isinstance(app.screen, AsOfDialog)
        then = app.dashboard.then
        assert then is not None and then.counted_uncertain and then.day.isoformat() == EVE
        # enter on another button presses that button: Cancel keeps the day in force
        await press_and_settle(app, pilot, "w")
        dialog = app.screen
        assert isinstance(dialog, AsOfDialog)
        dialog.query_one("#as-of-day", Input).value = ""
        dialog.query_one("#as-of-cancel").focus()
        await press_and_settle(app, pilot, "enter")
        assert not isinstance(app.screen, AsOfDialog)
        assert app.dashboard.then is not None and app.dashboard.then.day.isoformat() == EVE
