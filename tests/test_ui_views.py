"""The statements view and the article search on the dashboard, at 80x24 and 160x48."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from pledgetui.ui.app import PledgeApp
from pledgetui.ui.screens.article_search import ArticleSearchScreen
from pledgetui.ui.screens.dashboard import DashboardScreen
from pledgetui.ui.screens.quote_viewer import QuoteViewer
from pledgetui.ui.screens.statements import StatementsScreen
from pledgetui.ui.widgets.article_view import ArticleView
from pledgetui.ui.widgets.row_table import RowTable
from tests.pilot import press_and_settle, screen_text, started

SIZES = [(80, 24), (160, 48)]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_statements_view_lists_every_statement_and_opens_the_viewer(
    ledger_path: Path, size: tuple[int, int]
) -> None:
    app = PledgeApp(ledger_path)
    async with app.run_test(size=size) as pilot:
        await started(app, pilot)
        await press_and_settle(app, pilot, "t")
        screen = app.screen
        assert isinstance(screen, StatementsScreen)
        assert [(r.entry_id, r.index) for r in screen.rows] == [
            ("uk-ground", 0),
            ("france-ground", 0),
            ("ireland-ground", 0),
            ("russia-mfa", 0),
        ]
        text = screen_text(app)
        assert "Simon Harris" in text
        assert "4 of 4 statements" in text
        await press_and_settle(app, pilot, "down")
        await press_and_settle(app, pilot, "down")
        await press_and_settle(app, pilot, "enter")
        viewer = app.screen
        assert isinstance(viewer, QuoteViewer)
        assert viewer.entry.id == "ireland-ground"
        assert viewer.current_index == 0


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_statements_view_keeps_the_filter_both_ways(ledger_path: Path, size: tuple[int, int]) -> None:
    app = PledgeApp(ledger_path)
    async with app.run_test(size=size) as pilot:
        await started(app, pilot)
        dashboard = app.screen
        assert isinstance(dashboard, DashboardScreen)
        dashboard.set_filter("source:a003")
        await pilot.pause()
        await press_and_settle(app, pilot, "t")
        screen = app.screen
        assert isinstance(screen, StatementsScreen)
        assert screen.query_one("#st-filter", Input).value == "source:a003"
        assert {r.entry_id for r in screen.rows} == {"ireland-ground", "russia-mfa"}
        await press_and_settle(app, pilot, "slash")
        for key in " -kind:counter":
            await pilot.press("space" if key == " " else key)
        await pilot.pause()
        assert [r.entry_id for r in screen.rows] == ["ireland-ground"]
        await press_and_settle(app, pilot, "enter")  # back to the table
        await press_and_settle(app, pilot, "escape")
        assert app.screen is dashboard
        assert dashboard.query_text == "source:a003 -kind:counter"


async def test_statements_view_sorts_by_its_columns(ledger_path: Path) -> None:
    app = PledgeApp(ledger_path)
    async with app.run_test(size=(160, 48)) as pilot:
        await started(app, pilot)
        await press_and_settle(app, pilot, "t")
        screen = app.screen
        assert isinstance(screen, StatementsScreen)
        screen.sort_by("claimant")
        await pilot.pause()
        claimants = [r.evidence.claimant for r in screen.rows]
        assert claimants == sorted(claimants, key=str.casefold)
        await press_and_settle(app, pilot, "r")
        assert [r.evidence.claimant for r in screen.rows] == sorted(claimants, key=str.casefold, reverse=True)
        assert "Claimant ▼" in screen_text(app)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_article_search_lists_hits_and_opens_the_article_at_one(ledger_path: Path, size: tuple[int, int]) -> None:
    app = PledgeApp(ledger_path)
    async with app.run_test(size=size) as pilot:
        await started(app, pilot)
        await press_and_settle(app, pilot, "ctrl+f")
        screen = app.screen
        assert isinstance(screen, ArticleSearchScreen)
        for key in "paris":
            await pilot.press(key)
        await press_and_settle(app, pilot, "enter")
        assert {h.source for h in screen.hits} == {"a002", "a003"}
        assert screen.query_one(RowTable).has_focus
        assert "not cited" in screen_text(app)
        row = next(i for i, h in enumerate(screen.hits) if h.source == "a003")
        screen.query_one(RowTable).cursor = row
        await press_and_settle(app, pilot, "enter")
        viewer = app.screen
        assert isinstance(viewer, QuoteViewer)
        assert viewer.browsing
        assert viewer.current_source_id == "a003"
        hit = screen.hits[row]
        assert viewer.query_one(ArticleView).selected_span() == (hit.start, hit.end)
        await press_and_settle(app, pilot, "escape")
        assert app.screen is screen


async def test_article_search_names_the_citing_entries(ledger_path: Path) -> None:
    app = PledgeApp(ledger_path)
    async with app.run_test(size=(160, 48)) as pilot:
        await started(app, pilot)
        await press_and_settle(app, pilot, "end")  # the dashboard's row is another entry
        await press_and_settle(app, pilot, "ctrl+f")
        screen = app.screen
        assert isinstance(screen, ArticleSearchScreen)
        screen.query_one("#as-text", Input).value = "declaration of intent to deploy"
        await press_and_settle(app, pilot, "enter")
        cited = [h for h in screen.hits if h.cited]
        assert cited
        assert "uk-ground, france-ground" in screen_text(app)
        screen.query_one(RowTable).cursor = screen.hits.index(cited[0])
        await press_and_settle(app, pilot, "enter")
        viewer = app.screen
        assert isinstance(viewer, QuoteViewer)
        assert viewer.entry.id == "uk-ground"


async def test_article_search_says_what_is_wrong_with_an_empty_search(ledger_path: Path) -> None:
    app = PledgeApp(ledger_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(app, pilot)
        await press_and_settle(app, pilot, "ctrl+f")
        await press_and_settle(app, pilot, "enter")
        assert "give a text to search for" in screen_text(app)


async def test_palette_offers_both_views(ledger_path: Path) -> None:
    app = PledgeApp(ledger_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await started(app, pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Statements as a table" in titles
        assert "Search every article" in titles


async def test_statements_view_shows_hostile_text_inert(tmp_path: Path) -> None:
    from tests.factory import write_ledger
    from tests.test_cli_list import hostile_ledger

    app = PledgeApp(write_ledger(tmp_path / "hostile", hostile_ledger()))
    async with app.run_test(size=(160, 48)) as pilot:
        await started(app, pilot)
        await press_and_settle(app, pilot, "t")
        assert isinstance(app.screen, StatementsScreen)
        lines = [app.screen.query_one(RowTable).render_line(y).text for y in range(6)]
        shown = "\n".join(lines)
        assert "Evil" in shown
        assert "\x1b" not in shown and "\x07" not in shown and "\u202e" not in shown
        assert "[/foo] bad" in shown  # markup-like text shown as it is


def test_narrow_tables_leave_out_the_droppable_columns_first() -> None:
    from pledgetui.ui.screens.statements import COLUMNS
    from pledgetui.ui.widgets.row_table import fit

    wide, widths = fit(158, COLUMNS)
    assert len(wide) == len(COLUMNS)
    assert sum(widths) + len(widths) - 1 == 158
    narrow, widths = fit(78, COLUMNS)
    keys = [COLUMNS[i].key for i in narrow]
    assert keys[:2] == ["entry", "claimant"] and "relayed_by" not in keys and "quote" in keys
    assert sum(widths) + len(widths) - 1 <= 78
