"""Snapshots of the main screens at 80x24 and 160x48, and of every dialog at 80x24 (pytest-textual-snapshot).

Update after an intended change with: pytest tests/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual.widgets import Input, TextArea

from pledgetui.ui.app import PledgeApp
from tests.factory import BROKEN_TOML, REPO

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


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_grouping(snap_compare, size) -> None:
    # the frequency view of the Claimant column (the sixth)
    assert snap_compare(make_app(), terminal_size=size, run_before=run(*["right"] * 5, "F"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_column_widths(snap_compare, size) -> None:
    # Claimant shown whole, Conditions narrowed, sorted by Date
    keys = ("7", *["right"] * 3, "minus", "right", "right", "underscore")
    assert snap_compare(make_app(), terminal_size=size, run_before=run(*keys))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_statements_view(snap_compare, size) -> None:
    assert snap_compare(make_app(), terminal_size=size, run_before=run("t", "down", "down"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_article_search(snap_compare, size) -> None:
    assert snap_compare(make_app(), terminal_size=size, run_before=run("ctrl+f", *"paris", "enter", "down"))


# --------------------------------------------------------------------------- every dialog, at 80x24


@pytest.fixture
def ledger_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The bundled ledger and its articles copied to a folder that is the working folder: editable,
    and named by a relative path, like the user's folders (the help lists them), so that nothing
    on screen depends on where the test runs."""
    shutil.copyfile(BUNDLED, tmp_path / "pledges.toml")
    shutil.copytree(REPO / "seeds", tmp_path / "seeds")
    monkeypatch.chdir(tmp_path)
    for name in ("DATA", "STATE", "CACHE", "CONFIG"):
        monkeypatch.setenv(f"PLEDGETUI_{name}_DIR", f"user/{name.lower()}")
    return Path("pledges.toml")


def dialog(*keys: str, values: dict[str, str] | None = None):
    """Press ``keys`` on the loaded dashboard, put ``values`` in the inputs they name, and stop every cursor blinking."""

    async def before(pilot) -> None:
        await loaded(pilot)
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        screen = pilot.app.screen
        for selector, value in (values or {}).items():
            screen.query_one(selector, Input).value = value
        for widget in screen.query(Input):
            widget.cursor_blink = False
        for area in screen.query(TextArea):
            area.cursor_blink = False
        await pilot.pause()

    return before


DIALOGS = {
    "edit-form": dialog("e"),
    # The path proposed is the working folder's: a name alone keeps the snapshot the same everywhere.
    "export": dialog("x", values={"#export-path": "pledges-view.csv"}),
    "help": dialog("question_mark"),
    "choices": dialog("d"),  # delete asks: delete or keep
    "filter-help": dialog("f1"),
    "import": dialog("i"),
}


@pytest.mark.parametrize("name", list(DIALOGS))
def test_dialog(snap_compare, ledger_copy: Path, name: str) -> None:
    assert snap_compare(PledgeApp(ledger_copy), terminal_size=(80, 24), run_before=DIALOGS[name])


def test_problems_dialog(snap_compare, ledger_copy: Path) -> None:
    broken = Path("broken.toml")
    broken.write_bytes(BROKEN_TOML)
    assert snap_compare(PledgeApp(broken), terminal_size=(80, 24), run_before=dialog())
