"""Snapshots of the main screens at 80x24 and 160x48 (pytest-textual-snapshot).

Update after an intended change with: pytest tests/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

import pytest
from textual.widgets import TextArea

from pledgetui.ui.app import PledgeApp
from tests.factory import REPO

BUNDLED = REPO / "data" / "pledges.toml"
SIZES = [(80, 24), (160, 48)]


def make_app() -> PledgeApp:
    return PledgeApp(BUNDLED)


async def loaded(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    for area in pilot.app.query(TextArea):
        area.cursor_blink = False


def run(*keys: str):
    async def before(pilot) -> None:
        await loaded(pilot)
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        for area in pilot.app.screen.query(TextArea):
            area.cursor_blink = False
        await pilot.pause()

    return before


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_main_screen(snap_compare, size) -> None:
    assert snap_compare(make_app(), terminal_size=size, run_before=run())


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_detail_follows_a_sorted_filtered_row(snap_compare, size) -> None:
    # sort by status (descending), filter to UK entries, move to the third row
    assert snap_compare(
        make_app(), terminal_size=size, run_before=run("3", "3", "slash", *"united", "enter", "down", "down")
    )


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_quote_viewer(snap_compare, size) -> None:
    assert snap_compare(
        make_app(), terminal_size=size, run_before=run("down", "down", "down", "down", "down", "down", "v")
    )


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_matrix(snap_compare, size) -> None:
    assert snap_compare(make_app(), terminal_size=size, run_before=run("m"))
