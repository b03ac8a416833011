"""Pilot tests of the export dialog: the format follows the file name's extension; the message counts kinds apart."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from textual.widgets import OptionList, Select

from pledgetui.ui.app import PledgeApp
from pledgetui.ui.screens.export_dialog import ExportDialog
from tests.pilot import Notices, press_and_settle, started


@pytest.mark.parametrize(("name", "fmt"), [("x.json", "json"), ("x.md", "md"), ("x.JSON", "json"), ("x.csv", "csv")])
async def test_the_extension_typed_chooses_the_format(ledger_path: Path, tmp_path: Path, name: str, fmt: str) -> None:
    target = tmp_path / name
    app = PledgeApp(ledger_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(app, pilot)
        await pilot.press("x")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        assert dialog.query_one("#export-format", Select).value == "csv"
        dialog.query_one("#export-path").value = str(target)
        await pilot.pause()
        assert dialog.query_one("#export-format", Select).value == fmt  # the choice follows the name
        await press_and_settle(app, pilot, "ctrl+s")
        assert app.dashboard.last_export is not None
    data = target.read_text(encoding="utf-8-sig")
    if fmt == "json":
        json.loads(data)
    elif fmt == "md":
        assert data.startswith("# ")
    else:
        assert list(csv.DictReader(io.StringIO(data)))


async def test_an_unknown_extension_keeps_the_chosen_format(ledger_path: Path, tmp_path: Path) -> None:
    target = tmp_path / "view.txt"
    app = PledgeApp(ledger_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(app, pilot)
        await pilot.press("x")
        await pilot.pause()
        app.screen.query_one("#export-format", Select).value = "json"
        await pilot.pause()
        app.screen.query_one("#export-path").value = str(target)
        await press_and_settle(app, pilot, "ctrl+s")
    json.loads(target.read_text(encoding="utf-8"))


async def test_the_export_message_counts_counter_positions_apart_from_pledges(
    ledger_path: Path, tmp_path: Path
) -> None:
    target = tmp_path / "all.csv"
    app = PledgeApp(ledger_path)
    notices = Notices()
    async with app.run_test(size=(120, 40), message_hook=notices) as pilot:
        await started(app, pilot)
        entries = app.dashboard.visible_entries()
        counters = sum(1 for p in entries if p.is_counter)
        pledges = len(entries) - counters
        assert counters and pledges
        await pilot.press("x")
        await pilot.pause()
        dialog = app.screen
        options = [
            str(option.prompt) for option in dialog.query_one("#export-rows", Select).query_one(OptionList).options
        ]
        assert options and not any("per pledge" in label for label in options)  # a row is an entry of either kind
        dialog.query_one("#export-path").value = str(target)
        await press_and_settle(app, pilot, "ctrl+s")
        message = notices.messages[-1]
        assert f"{pledges} pledges, {counters} counter-position" in message
        assert f"{len(entries)} pledges" not in message
