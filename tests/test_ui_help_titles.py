"""The help screen's section titles are words a user reads, on every screen and whatever has focus."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

import pledgetui.ui
from pledgetui.ui.app import PledgeApp
from pledgetui.ui.screens import help as help_screen
from pledgetui.ui.screens.help import HelpScreen, bindings_for_help
from tests.pilot import started


def declared_titles() -> set[str]:
    """Every ``HELP_TITLE`` of the UI's screens and widgets, the titles of Textual's widgets, and 'Everywhere'."""
    titles = {"Everywhere", *getattr(help_screen, "BUILTIN_TITLES", {}).values()}
    for info in pkgutil.walk_packages(pledgetui.ui.__path__, "pledgetui.ui."):
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            title = cls.__dict__.get("HELP_TITLE")
            if isinstance(title, str):
                titles.add(title)
    return titles


async def test_every_help_section_title_is_declared_words(ledger_path: Path) -> None:
    known = declared_titles()
    seen: dict[str, str] = {}
    app = PledgeApp(ledger_path)

    async def collect(where: str, tabs: int = 0) -> None:
        for n in range(tabs + 1):
            for title, _rows in bindings_for_help(app):
                seen.setdefault(title, f"{where} (focus {app.screen.focused!r})")
            if n < tabs:
                await pilot.press("tab")
                await pilot.pause()

    async with app.run_test(size=(120, 40)) as pilot:
        await started(app, pilot)
        await collect("dashboard")
        await pilot.press("slash")
        await collect("filter bar")
        await pilot.press("enter", "e")
        await pilot.pause()
        await collect("edit form", tabs=12)
        await pilot.press("escape")
        await pilot.pause()
        if not isinstance(app.screen, type(app.dashboard)):
            await pilot.press("d")  # discard, if the tabbing changed something
            await pilot.pause()
        await pilot.press("v")
        await pilot.pause()
        await collect("quote viewer")
        await pilot.press("o")
        await pilot.pause()
        await collect("article picker")
        await pilot.press("escape", "escape", "m")
        await pilot.pause()
        await collect("matrix")
        await pilot.press("escape", "x")
        await pilot.pause()
        await collect("export dialog", tabs=6)
        await pilot.press("escape", "i")
        await pilot.pause()
        await collect("import dialog", tabs=8)
        await pilot.press("escape", "d")
        await pilot.pause()
        await collect("delete question", tabs=2)
        await pilot.press("n")
        await pilot.pause()
        # and the help screen shows them as its section rows
        sections = bindings_for_help(app)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        shown = [t for t, _ in app.screen.sections]
        # the key sections, then where the data is (pledgetui paths), last
        assert shown[:-1] == [title for title, _ in sections]
        assert shown[-1].startswith("Where your data is")
    unknown = {title: where for title, where in seen.items() if title not in known}
    assert not unknown, f"help section titles that are class names, not words: {unknown}"
    assert {"Dashboard", "Edit form", "Quote viewer", "Matrix", "Export dialog", "Import dialog"} <= set(seen)


async def test_the_help_lists_the_new_sort_keys(ledger_path: Path) -> None:
    app = PledgeApp(ledger_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        rows = dict((action, key) for key, action in app.screen.rows())
        assert rows["Then by Actor"] == "shift+1" and rows["Then by Src"] == "shift+8"
        assert rows["Ledger order"] == "0"
