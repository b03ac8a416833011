"""Untrusted text everywhere: nothing crashes, brackets show literally, no control byte reaches the terminal."""

from __future__ import annotations

import re
from pathlib import Path

from pledgetui.ui.app import PledgeApp
from pledgetui.ui.screens.quote_viewer import QuoteViewer
from pledgetui.ui.widgets.detail import DetailPane
from tests.hostile import write_hostile

# C0 controls (but newline), DEL, C1 controls, bidi overrides/isolates
FORBIDDEN = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def assert_clean(svg: str) -> None:
    bad = [svg[max(0, m.start() - 80) : m.end() + 20] for m in FORBIDDEN.finditer(svg)]
    assert not bad, f"control characters reached the output: {bad!r}"
    assert "&#27;" not in svg and "&#x1b;" not in svg.lower()


async def test_hostile_ledger_renders_literally_everywhere(tmp_path: Path) -> None:
    path = write_hostile(tmp_path / "h")
    app = PledgeApp(path)
    async with app.run_test(size=(160, 48)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.dashboard.index is not None and len(app.dashboard.table.view) == 2
        svg = app.export_screenshot()
        assert_clean(svg)
        assert "[/bold]Ruritania" in svg.replace("&#160;", " ")
        detail = app.query_one(DetailPane).text
        assert "[/bold] [bold]loud[/bold] [link=https://example.invalid]click[/link]" in detail
        assert "[stage] n=1" in detail and "\x1b" not in detail

        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, QuoteViewer) and app.screen.highlight is not None
        assert_clean(app.export_screenshot())
        await pilot.press("n", "]", "[")
        assert_clean(app.export_screenshot())
        await pilot.press("escape")
        await pilot.pause()

        for key in ("m", "question_mark", "e", "x"):
            await pilot.press(key)
            await pilot.pause()
            assert_clean(app.export_screenshot())
            await pilot.press("escape")
            await pilot.pause()

        await pilot.press("slash", *"[/", "enter")
        await pilot.pause()
        assert_clean(app.export_screenshot())
        await pilot.press("down", "c", "1", "2")
        assert_clean(app.export_screenshot())
        assert app.is_running


async def test_hostile_ledger_at_80_columns(tmp_path: Path) -> None:
    path = write_hostile(tmp_path / "h")
    app = PledgeApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert_clean(app.export_screenshot())
        await pilot.press("down")
        assert_clean(app.export_screenshot())
