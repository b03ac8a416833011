"""Pilot tests of the edit form: errors are named next to Apply, and Esc asks before it drops changes."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Button

from pledgetui.ui.app import PledgeApp
from pledgetui.ui.screens.choice import ChoiceScreen
from pledgetui.ui.screens.edit_entry import LABELS, EditEntry
from tests.pilot import press_and_settle, started
from tests.visible import assert_shown


async def test_errors_scrolled_out_of_view_are_named_next_to_apply(ledger_path: Path) -> None:
    app = PledgeApp(ledger_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(app, pilot)
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, EditEntry)
        form.query_one("#in-id").value = "Bad Id!"
        form.query_one("#in-ev0-stated").value = "yesterday"
        await press_and_settle(app, pilot, "ctrl+s")
        assert app.screen is form and {"id", "statement-0"} <= set(form.errors)
        form.query_one("#form").scroll_home(animate=False)  # the statement's error out of view
        await pilot.pause()
        summary = form.query_one("#form-errors")
        assert_shown(app, summary, "2 problems:", LABELS["id"], "Statement 1")
        for button in form.query(Button):
            assert_shown(app, button, str(button.label))
        form.query_one("#form").scroll_end(animate=False)  # and the id's error out of view
        await pilot.pause()
        assert_shown(app, summary, LABELS["id"], "Statement 1")


async def test_escape_on_a_changed_form_asks_before_dropping_the_changes(ledger_path: Path) -> None:
    app = PledgeApp(ledger_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(app, pilot)
        original = app.session.ledger
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, EditEntry)
        form.query_one("#in-summary").value = "typed, then esc by mistake"
        await pilot.press("escape")
        await pilot.pause()
        prompt = app.screen
        assert isinstance(prompt, ChoiceScreen) and prompt.title_text == "Discard your changes?"
        assert_shown(app, prompt.query_one("#choice-dialog"), str(prompt.message))
        await pilot.press("escape")  # keep editing
        await pilot.pause()
        assert app.screen is form and form.query_one("#in-summary").value == "typed, then esc by mistake"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("d")  # discard
        await pilot.pause()
        assert app.screen is app.dashboard
        assert app.session.ledger == original and not app.session.dirty


async def test_escape_on_an_unchanged_form_closes_it_at_once(ledger_path: Path) -> None:
    app = PledgeApp(ledger_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(app, pilot)
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.dashboard


async def test_a_statement_takes_its_own_conditions_none_or_the_entrys(ledger_path: Path) -> None:
    from pledgetui.vocab import Condition
    from tests.pilot import edit_current, fill

    app = PledgeApp(ledger_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await started(app, pilot)
        entry_id = app.dashboard.table.current_entry.id

        def conditions() -> object:
            return app.session.ledger.entry(entry_id).evidence[0].conditions

        assert conditions() is None
        await edit_current(app, pilot, ev0_conditions="none")
        assert conditions() == ()  # unconditional
        await edit_current(app, pilot, ev0_conditions="peace deal, cease")
        assert conditions() == (Condition.PEACE_DEAL, Condition.CEASEFIRE)
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, EditEntry)
        assert form.query_one("#in-ev0-conditions").value == "Peace deal, Ceasefire"
        fill(form, ev0_conditions="peace deal, someday")
        await press_and_settle(app, pilot, "ctrl+s")
        assert app.screen is form and "someday" in " ".join(form.errors["statement-0"])
        fill(form, ev0_conditions="")
        await press_and_settle(app, pilot, "ctrl+s")
        assert app.screen is not form
        assert conditions() is None  # the entry's again
