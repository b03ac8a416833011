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
