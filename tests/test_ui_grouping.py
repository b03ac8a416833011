"""The frequency view, column widths and the columns a narrow screen leaves out, driven with Pilot at 80x24 and 160x48."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual.widgets import Static

from pledgetui import paths, settings
from pledgetui.grouping import group_rows
from pledgetui.ui.app import PledgeApp
from pledgetui.ui.columns import column_commands
from pledgetui.ui.screens.grouping import GroupingScreen, GroupTable
from pledgetui.ui.widgets.entry_table import COLUMNS
from tests.factory import REPO
from tests.pilot import screen_lines, screen_text, started

SIZES = [(80, 24), (160, 48)]
CLAIMANT = [c.key for c in COLUMNS].index("claimant")


@pytest.fixture
def bundled_copy(tmp_path: Path) -> Path:
    shutil.copyfile(REPO / "data" / "pledges.toml", tmp_path / "pledges.toml")
    shutil.copytree(REPO / "seeds", tmp_path / "seeds")
    return tmp_path / "pledges.toml"


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_group_the_rows_shown_by_the_current_column_and_filter_by_a_group(
    bundled_copy: Path, size: tuple[int, int]
) -> None:
    app = PledgeApp(bundled_copy)
    async with app.run_test(size=size) as pilot:
        await started(app, pilot)
        dash = app.dashboard
        await pilot.press(*["right"] * CLAIMANT)  # the current column: Claimant
        assert dash.table.current_column == "claimant"
        await pilot.press("F")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, GroupingScreen)
        expected = group_rows(dash.table.entries, dash.table.view, "claimant")
        assert [g.term for g in screen.grouping.groups] == [g.term for g in expected.groups]
        table = screen.query_one(GroupTable)
        assert table.row_count == len(expected.groups)
        text = screen_text(app)
        assert "Grouped by Claimant" in text and "counts once under each claimant" in text
        top = expected.groups[0]
        assert top.label == "Downing Street statement"
        assert any(line.lstrip().startswith(f"{top.count} ") and top.label in line for line in screen_lines(app))
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is dash
        assert dash.query_text == 'claimant="Downing Street statement"'
        assert sorted(dash.table.view) == sorted(top.rows)
        assert dash.table.has_focus


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_another_column_in_the_frequency_view_and_a_group_adds_to_the_filter(
    bundled_copy: Path, size: tuple[int, int]
) -> None:
    app = PledgeApp(bundled_copy)
    async with app.run_test(size=size) as pilot:
        await started(app, pilot)
        dash = app.dashboard
        dash.set_filter("-kind:counter")
        await pilot.press("F")  # the first column: Actor
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, GroupingScreen) and screen.column == "actor"
        await pilot.press("right", "right")  # commitment, then status
        assert screen.column == "status"
        assert "Grouped by Status" in screen_text(app)
        await pilot.press("down", "enter")
        await pilot.pause()
        second = screen.grouping.groups[1]
        assert dash.query_text == f"-kind:counter {second.term}"
        assert len(dash.table.view) == second.count
        await pilot.press("F", "escape")  # back, nothing chosen
        await pilot.pause()
        assert app.screen is dash and dash.query_text == f"-kind:counter {second.term}"


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_a_column_shown_whole_widened_narrowed_and_remembered(ledger_path: Path, size: tuple[int, int]) -> None:
    config = paths.config_file()
    app = PledgeApp(ledger_path, config=config)
    async with app.run_test(size=size) as pilot:
        await started(app, pilot)
        table = app.dashboard.table
        await pilot.press(*["right"] * CLAIMANT, "underscore")
        await pilot.pause()
        longest = max(len(table.entries[i].claimant) for i in table.view)
        assert table.column_widths == {"claimant": max(longest, len("Claimant") + 3)}
        assert "claimant" in table.shown_columns  # a sized column is never left out: the table scrolls
        whole = [table.entries[i].claimant for i in table.view]
        body = "\n".join(screen_lines(app, table))
        assert all(name in body for name in whole), (whole, body)
        await pilot.press("minus")
        assert table.column_widths["claimant"] == max(longest, 11) - 4
        await pilot.press("plus", "plus")
        assert table.column_widths["claimant"] == max(longest, 11) + 4
        assert settings.read(config).settings.column_widths == (("claimant", max(longest, 11) + 4),)
    again = PledgeApp(ledger_path, config=config)
    async with again.run_test(size=size) as pilot:
        await started(again, pilot)
        table = again.dashboard.table
        assert table.column_widths == {"claimant": max(longest, 11) + 4}
        await pilot.press(*["right"] * CLAIMANT, "underscore", "underscore")  # whole, then automatic again
        assert table.column_widths == {}
    assert settings.read(config).settings.column_widths == ()


async def test_a_column_left_out_at_this_width_is_named_and_its_sort_shown(bundled_copy: Path) -> None:
    app = PledgeApp(bundled_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(app, pilot)
        dash = app.dashboard
        assert "date" in dash.table.left_out
        note = dash.query_one("#columns-note", Static)
        assert note.display and "Not shown at this width: Date" in screen_text(app)
        await pilot.press("7")  # sort by Date, which is not on screen
        await pilot.pause()
        assert "sorted by Date ▲" in screen_text(app)
        await pilot.press("7")
        await pilot.pause()
        assert "sorted by Date ▼" in screen_text(app)
        show = [c for c in column_commands(dash) if c.title == "Show column: Date"]
        assert len(show) == 1
        show[0].callback()
        await pilot.pause()
        assert "date" in dash.table.shown_columns and "date" not in dash.table.left_out
        assert "sorted by Date" not in screen_text(app)  # the arrow is in its header now


async def test_no_note_when_every_column_fits(bundled_copy: Path) -> None:
    app = PledgeApp(bundled_copy)
    async with app.run_test(size=(160, 48)) as pilot:
        await started(app, pilot)
        dash = app.dashboard
        await pilot.press("7")
        await pilot.pause()
        assert dash.table.left_out == ()
        assert not dash.query_one("#columns-note", Static).display
        assert "Date ▲" in screen_lines(app, dash.table)[0]


async def test_the_frequency_view_shows_hostile_values_inert(tmp_path: Path) -> None:
    from tests.factory import write_ledger
    from tests.test_cli_list import hostile_ledger

    app = PledgeApp(write_ledger(tmp_path / "hostile", hostile_ledger()))
    async with app.run_test(size=(80, 24)) as pilot:
        await started(app, pilot)
        await pilot.press(*["right"] * CLAIMANT, "F")
        await pilot.pause()
        assert isinstance(app.screen, GroupingScreen)
        text = screen_text(app)
        assert "Evil\u241b]0;pwned\u2407" in text
        assert "\x1b" not in text and "\u202e" not in text
        await pilot.press("left", "left", "left", "left", "left")  # the actor column: markup stays text
        await pilot.pause()
        assert app.screen.column == "actor"
        assert "[/foo] bad [bold]loud[/bold]" in screen_text(app)


async def test_the_palette_offers_grouping_and_column_widths_with_their_keys(ledger_path: Path) -> None:
    app = PledgeApp(ledger_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(app, pilot)
        found = {c.title: c for c in app.get_system_commands(app.screen)}
        assert found["Group by a column: counts per value"].help.endswith("(F)")
        assert found["Show the current column whole"].help.endswith("(_)")
        found["Widen the current column"].callback()
        await pilot.pause()
        widths = app.dashboard.table.column_widths
        assert set(widths) == {"actor"} and widths["actor"] >= 12 + 4  # four more than it had
