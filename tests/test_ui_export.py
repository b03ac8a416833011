"""Pilot tests of the export dialog: the format follows the file name's extension; the message counts kinds apart."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import sys
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


async def _export_to(app: PledgeApp, pilot, target: Path) -> None:
    await pilot.press("x")
    await pilot.pause()
    app.screen.query_one("#export-path").value = str(target)
    await pilot.pause()
    await pilot.press("ctrl+s")
    await pilot.pause()


async def test_an_export_into_a_pipe_nothing_reads_says_so(
    ledger_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pledgetui import filesave

    monkeypatch.setattr(filesave, "FIFO_READER_GRACE", 0.0)
    fifo = tmp_path / "view.csv"
    os.mkfifo(fifo)
    app = PledgeApp(ledger_path)
    notices = Notices()
    async with app.run_test(size=(120, 40), message_hook=notices) as pilot:
        await started(app, pilot)
        await _export_to(app, pilot, fifo)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "nothing is reading" in notices.of("error")[-1]
        assert app.dashboard.last_export is None
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


async def test_the_dashboard_answers_keys_while_an_export_waits_for_its_reader(
    ledger_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The export is written in a worker: while a pipe waits for its reader, keys still work."""
    from pledgetui import filesave

    monkeypatch.setattr(filesave, "FIFO_READER_GRACE", 30.0)  # the reader comes when the test says so
    fifo = tmp_path / "view.csv"
    os.mkfifo(fifo)
    app = PledgeApp(ledger_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(app, pilot)
        await _export_to(app, pilot, fifo)
        assert [w for w in app.workers if w.group == "export" and not w.is_finished]
        await pilot.press("j")
        await pilot.pause()
        assert app.dashboard.table.cursor == 1  # the event loop is free while the export waits
        reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # now a reader comes
        try:
            await app.workers.wait_for_complete()
            await pilot.pause()
            os.set_blocking(reader, True)
            got = b""
            while chunk := os.read(reader, 65536):
                got += chunk
        finally:
            os.close(reader)
        assert app.dashboard.last_export is not None and app.dashboard.last_export[0] == fifo
        shown = len(app.dashboard.visible_entries())
    rows = list(csv.DictReader(io.StringIO(got.decode("utf-8"))))
    assert len(rows) == shown


@pytest.mark.skipif(sys.platform != "linux", reason="sets a pipe's buffer size (Linux)")
async def test_quitting_gives_up_an_export_whose_reader_never_reads(
    ledger_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Quitting must not leave the process waiting, a blank screen, on a pipe nobody reads."""
    import fcntl
    import threading

    from pledgetui import export

    fifo = tmp_path / "view.csv"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # opened, never read
    fcntl.fcntl(reader, 1031, 4096)  # F_SETPIPE_SZ: the export fills it at once
    real_write_export = export.write_export
    stops: list = []
    blocked, ended = threading.Event(), threading.Event()

    def write_export(path, data, **kwargs):
        stop = kwargs.get("stop")
        stops.append(stop)

        def asked() -> bool:
            blocked.set()  # asked only while the pipe is full
            return stop is not None and stop()

        try:
            real_write_export(path, data * 10, **{**kwargs, "stop": asked})
        finally:
            ended.set()

    monkeypatch.setattr(export, "write_export", write_export)
    app = PledgeApp(ledger_path)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await started(app, pilot)
            await _export_to(app, pilot, fifo)
            assert blocked.wait(30)  # a guard only: the worker is waiting for the reader now
            app.exit()
        assert ended.wait(30), "the export went on waiting for its reader after the app quit"
        assert stops and stops[0] is not None and stops[0]()
    finally:
        os.close(reader)


async def test_the_export_notice_says_how_many_cells_were_guarded(tmp_path: Path) -> None:
    from pledgetui import export
    from pledgetui.store import load
    from tests.factory import REPO

    bundled = REPO / "data" / "pledges.toml"
    target = tmp_path / "quotes.csv"
    app = PledgeApp(bundled)
    notices = Notices()
    async with app.run_test(size=(120, 40), message_hook=notices) as pilot:
        await started(app, pilot)
        await pilot.press("x")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        hint = str(dialog.query_one("#export-guard").render())
        assert "formula" in hint and "--raw" in hint  # said before the export, too
        dialog.query_one("#export-path").value = str(target)
        dialog.query_one("#export-rows", Select).value = "evidence"
        await pilot.pause()
        await press_and_settle(app, pilot, "ctrl+s")
        message = notices.messages[-1]
    ledger = load(bundled).ledger
    raw = export.export_view(ledger, ledger.entries, "csv", "evidence", raw=True).decode("utf-8")
    guarded = target.read_text(encoding="utf-8")
    count = sum(
        a != b
        for row, raw_row in zip(csv.reader(io.StringIO(guarded, newline="")), csv.reader(io.StringIO(raw, newline="")))
        for a, b in zip(row, raw_row)
    )
    assert count > 0
    assert f"{count} cells were guarded" in message and "--raw" in message
