"""The changes view (C): the unsaved edits against the file, or a window of dates; enter goes to the entry."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from textual.widgets import Input

from pledgetui.ui.app import PledgeApp
from pledgetui.ui.screens.changes import ChangesScreen, parse_window
from pledgetui.ui.screens.dashboard import DashboardScreen
from tests.pilot import press_and_settle, screen_text, started

SIZES = [(80, 24), (160, 48)]


async def _edit_summary(app: PledgeApp, entry_id: str, summary: str) -> None:
    session = app.session
    assert session is not None
    entry = session.ledger.entry(entry_id)
    assert entry is not None
    assert app.controller.apply(lambda: session.put_entry(entry.model_copy(update={"summary": summary})), entry_id)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_view_lists_the_unsaved_edit_and_enter_goes_to_its_entry(
    ledger_path: Path, size: tuple[int, int]
) -> None:
    app = PledgeApp(ledger_path)
    async with app.run_test(size=size) as pilot:
        await started(app, pilot)
        dashboard = app.screen
        assert isinstance(dashboard, DashboardScreen)
        await _edit_summary(app, "ireland-ground", "Edited [b]summary[/b]")
        await pilot.pause()
        dashboard.set_filter("uk")  # the edited entry is filtered out: going to it clears the filter
        await pilot.pause()
        await press_and_settle(app, pilot, "C")
        screen = app.screen
        assert isinstance(screen, ChangesScreen)
        assert [(r.entry, r.kind, r.field) for r in screen.rows] == [("ireland-ground", "field", "summary")]
        text = screen_text(app)
        assert "summary: Edited [b" in text  # hostile text shown, not markup
        assert "was: Ireland woul" in text
        await press_and_settle(app, pilot, "enter")
        assert app.screen is dashboard
        assert dashboard.current is not None and dashboard.current.id == "ireland-ground"


async def test_a_window_of_dates_lists_what_the_statements_changed(ledger_path: Path) -> None:
    app = PledgeApp(ledger_path)
    async with app.run_test(size=(160, 48)) as pilot:
        await started(app, pilot)
        await press_and_settle(app, pilot, "C")
        screen = app.screen
        assert isinstance(screen, ChangesScreen)
        assert screen.rows == [] and "No unsaved edits" in screen_text(app)
        await press_and_settle(app, pilot, "slash")
        box = screen.query_one("#ch-since", Input)
        assert screen.focused is box
        box.value = "2026-01-01"
        await pilot.pause()
        assert [(r.entry, r.kind) for r in screen.rows] == [
            ("ireland-ground", "new entry"),
            ("russia-mfa", "new entry"),
        ]
        assert "undated statements" in screen_text(app)
        box.value = "2026-02-30"  # an impossible day: said, and the rows stay
        await pilot.pause()
        assert "no such day" in screen_text(app) and len(screen.rows) == 2
        box.value = "2026-01-09"  # after every statement
        await pilot.pause()
        assert screen.rows == []
        await press_and_settle(app, pilot, "escape")  # leaves the box
        await press_and_settle(app, pilot, "escape")  # leaves the view
        assert isinstance(app.screen, DashboardScreen)


def test_the_date_box_takes_a_day_or_a_window() -> None:
    import datetime as dt

    assert parse_window("") is None
    assert parse_window("2026-01-01") == (dt.date(2026, 1, 1), None)
    assert parse_window("2026-01-01..2026-01-31") == (dt.date(2026, 1, 1), dt.date(2026, 1, 31))
    assert parse_window("..2026-01-31") == (None, dt.date(2026, 1, 31))
    for bad in ("soon", "2026-13-01", "2026-02-01..2026-01-01", ".."):
        with pytest.raises(ValueError):
            parse_window(bad)


async def test_the_view_follows_a_save_and_an_undo_made_while_it_is_open(ledger_path: Path) -> None:
    app = PledgeApp(ledger_path)
    async with app.run_test(size=(160, 48)) as pilot:
        await started(app, pilot)
        await _edit_summary(app, "ireland-ground", "Edited summary")
        await pilot.pause()
        await press_and_settle(app, pilot, "C")
        screen = app.screen
        assert isinstance(screen, ChangesScreen)
        assert [r.entry for r in screen.rows] == ["ireland-ground"]
        await press_and_settle(app, pilot, "ctrl+s")  # saved: nothing is unsaved any more
        assert app.screen is screen and screen.rows == []
        assert "No unsaved edits" in screen_text(app)
        await press_and_settle(app, pilot, "ctrl+z")  # undone after the save: unsaved again
        assert [r.entry for r in screen.rows] == ["ireland-ground"]


async def test_the_view_shows_today_s_edits_while_the_dashboard_shows_a_past_day(ledger_path: Path) -> None:
    app = PledgeApp(ledger_path)
    async with app.run_test(size=(160, 48)) as pilot:
        await started(app, pilot)
        dashboard = app.screen
        assert isinstance(dashboard, DashboardScreen)
        await _edit_summary(app, "ireland-ground", "Edited summary")
        await pilot.pause()
        dashboard.show_as_of(dt.date(1990, 1, 1))
        await pilot.pause()
        await press_and_settle(app, pilot, "C")
        screen = app.screen
        assert isinstance(screen, ChangesScreen)
        assert [(r.entry, r.field) for r in screen.rows] == [("ireland-ground", "summary")]
