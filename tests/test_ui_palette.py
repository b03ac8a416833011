"""The command palette names the keys bound now: a [keymap] that moves a binding moves the text."""

from __future__ import annotations

from pathlib import Path

from pledgetui import paths, settings
from pledgetui.settings import Settings
from pledgetui.ui.app import PledgeApp


async def _palette(app: PledgeApp, pilot) -> dict[str, str]:
    await app.workers.wait_for_complete()
    await pilot.pause()
    return {c.title: c.help for c in app.get_system_commands(app.dashboard)}


async def test_the_palette_names_the_default_keys(ledger_path: Path) -> None:
    app = PledgeApp(ledger_path)
    async with app.run_test(size=(120, 36)) as pilot:
        helps = await _palette(app, pilot)
    assert helps["Matrix: actors x commitments"] == "Who's in, who's holding back (m)"
    assert helps["Open the quote viewer"] == "The article with the quote highlighted (v)"
    assert helps["Undo"] == "Undo the last edit (^z, u)"
    assert helps["Save"] == "Atomic save with a backup (^s)"
    assert helps["Help: all keys"] == "List every key (?)"
    assert helps["Sort by Actor"] == "Again to reverse (1)"


async def test_the_palette_follows_the_keymap(ledger_path: Path) -> None:
    config = paths.config_file()
    keymap = {"dashboard.matrix": "M", "dashboard.open_quote": "w", "app.save": "ctrl+w", "dashboard.sort_actor": "9"}
    settings.write(config, Settings(keymap=keymap))
    app = PledgeApp(ledger_path, config=config)
    async with app.run_test(size=(120, 36)) as pilot:
        helps = await _palette(app, pilot)
        await pilot.press("M")  # the key the palette names does what it says
        await pilot.pause()
        assert type(app.screen).__name__ == "MatrixScreen"
    assert helps["Matrix: actors x commitments"] == "Who's in, who's holding back (M)"
    assert helps["Open the quote viewer"] == "The article with the quote highlighted (w)"
    assert helps["Save"] == "Atomic save with a backup (^w)"
    assert helps["Sort by Actor"] == "Again to reverse (9)"
    assert not any(h.endswith(("(m)", "(v)")) for h in helps.values())


async def test_the_readme_help_and_palette_use_the_names_on_screen(ledger_path: Path) -> None:
    import re

    from pledgetui.ui.widgets.entry_table import COLUMNS

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    sort_row = re.search(r"sort by that column \(([^)]*)\)", readme)
    assert sort_row is not None
    named = [name.split(":")[0].strip() for name in sort_row.group(1).split(",")]
    assert named == [col.title for col in COLUMNS]
    app = PledgeApp(ledger_path)
    async with app.run_test(size=(120, 36)) as pilot:
        helps = await _palette(app, pilot)
        palette_key = app.screen.active_bindings["ctrl+p"].binding
    palette_row = next(line for line in readme.splitlines() if line.startswith("| `ctrl+p`"))
    for title in re.findall(r"\*\*(.+?)\*\*", palette_row):
        assert title in helps or title.endswith("…"), title
    for title in re.findall(r'`ctrl\+p`, "([^"]+)"', readme):
        assert title in helps, title
    # the help lists the palette's key with words written as every other key's
    assert palette_key.description == "Command palette"
