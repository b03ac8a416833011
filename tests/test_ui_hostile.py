"""Untrusted text everywhere: nothing crashes, brackets show literally, no control byte reaches the terminal."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from textual.screen import Screen
from textual.widgets import Input

from pledgetui.ui.app import PledgeApp
from pledgetui.ui.screens.dashboard import DashboardScreen
from pledgetui.ui.screens.edit_entry import EditEntry
from pledgetui.ui.screens.export_dialog import ExportDialog
from pledgetui.ui.screens.help import HelpScreen
from pledgetui.ui.screens.matrix import MatrixScreen
from pledgetui.ui.screens.quote_viewer import QuoteViewer
from pledgetui.ui.widgets.detail import DetailPane
from tests.hostile import write_hostile
from tests.pilot import screen_text

# C0 controls (but newline), DEL, C1 controls, bidi overrides/isolates
FORBIDDEN = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def assert_clean(svg: str) -> None:
    bad = [svg[max(0, m.start() - 80) : m.end() + 20] for m in FORBIDDEN.finditer(svg)]
    assert not bad, f"control characters reached the output: {bad!r}"
    assert "&#27;" not in svg and "&#x1b;" not in svg.lower()


def assert_shows_clean(app: PledgeApp, screen: type[Screen[Any]], *texts: str) -> None:
    """The current screen is a ``screen``, shows each of ``texts`` (literally: markup unparsed), and lets
    no control character through. A blank screen or the wrong one fails."""
    assert isinstance(app.screen, screen), f"expected {screen.__name__}, found {app.screen!r}"
    shown = screen_text(app)
    for text in texts:
        assert text in shown, f"{screen.__name__} does not show {text!r}:\n{shown}"
    assert_clean(app.export_screenshot())


async def test_hostile_ledger_renders_literally_everywhere(tmp_path: Path) -> None:
    path = write_hostile(tmp_path / "h")
    app = PledgeApp(path)
    async with app.run_test(size=(160, 48)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.dashboard.index is not None and len(app.dashboard.table.view) == 2
        assert_shows_clean(app, DashboardScreen, "[/bold]Ruritania… Ground troops", "Actor: [/bold]Ruritania")
        detail = app.query_one(DetailPane).text
        assert "[/bold] [bold]loud[/bold] [link=https://example.invalid]click[/link]" in detail
        assert "[stage] n=1" in detail and "\x1b" not in detail

        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, QuoteViewer) and app.screen.highlight is not None
        assert_shows_clean(app, QuoteViewer, "statement 1 of 2 for hostile-1", "the force [/bold] would deploy")
        await pilot.press("n", "]", "[")
        await pilot.pause()
        assert_shows_clean(app, QuoteViewer, "statement 2 of 2 for hostile-1", "Headline [/] [/bold] [bold]loud")
        await pilot.press("escape")
        await pilot.pause()

        # Each key opens its screen, which shows the hostile text literally (or its own words), and escape closes it.
        opened: list[tuple[str, type[Screen[Any]], tuple[str, ...]]] = [
            ("m", MatrixScreen, ("Who's in, who's holding back", "[/bold]Ruritania")),
            ("question_mark", HelpScreen, ("Keys", "Quote viewer")),
            ("e", EditEntry, ("Edit hostile-1", "[/bold]Ruritania", "Summary [/] [/bold] [bold]loud[/bold]")),
            ("x", ExportDialog, ("Export the current view: 2 entries",)),
        ]
        for key, screen, texts in opened:
            await pilot.press(key)
            await pilot.pause()
            assert_shows_clean(app, screen, *texts)
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, DashboardScreen), f"escape did not close {screen.__name__}"

        await pilot.press("slash", *"[/", "enter")
        await pilot.pause()
        assert app.dashboard.query_one("#filter", Input).value == "[/"
        assert_shows_clean(app, DashboardScreen, " [/ ", "[/bold]Ruritania… Ground troops")
        await pilot.press("down", "c", "1", "2")
        await pilot.pause()
        assert_shows_clean(
            app, DashboardScreen, "Commitment ▲", "0 counter-positions", "[/bold]Ruritania… Ground troops"
        )
        assert app.is_running


async def test_hostile_ledger_at_80_columns(tmp_path: Path) -> None:
    path = write_hostile(tmp_path / "h")
    app = PledgeApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert_shows_clean(
            app, DashboardScreen, "[/bold]Rurita… Ground troops", "Summary [/] [/bold] [bold]loud[/bold]"
        )
        await pilot.press("down")
        await pilot.pause()
        assert_shows_clean(app, DashboardScreen, "⟂ Коаліція ох", "COUNTER-POSITION: recorded", "very long line")
