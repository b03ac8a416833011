"""The dashboard in a browser (``app.is_web``, as under ``pledgetui serve``): export is a download
(Textual's file delivery), nothing is written on the server, and the actions that read or run
something on the server (``$EDITOR``, import from a path) are hidden and refused."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path
from typing import Any

import pytest
from textual.command import CommandPalette

from pledgetui.ui.app import PledgeApp
from pledgetui.ui.screens.export_dialog import ExportDialog
from pledgetui.ui.screens.help import HelpScreen
from pledgetui.ui.web import download_name
from tests.factory import write_ledger
from tests.pilot import Notices, press_and_settle, screen_text, started


class Deliveries:
    """What the app handed to Textual's file delivery: (file name, bytes, mime type)."""

    def __init__(self) -> None:
        self.delivered: list[tuple[str | None, bytes, str | None]] = []

    def __call__(self, path_or_file: Any, *, save_filename: str | None = None, mime_type: str | None = None) -> str:
        self.delivered.append((save_filename, path_or_file.read(), mime_type))
        return "key"


@pytest.fixture
def in_browser(monkeypatch: pytest.MonkeyPatch) -> Deliveries:
    """Every PledgeApp runs as in a browser, its deliveries recorded instead of sent."""
    deliveries = Deliveries()
    monkeypatch.setattr(PledgeApp, "is_web", property(lambda self: True))
    monkeypatch.setattr(PledgeApp, "deliver_binary", lambda self, *a, **kw: deliveries(*a, **kw))
    return deliveries


def files_under(folder: Path) -> set[Path]:
    return {Path(root) / name for root, _dirs, names in os.walk(folder) for name in names}


async def test_export_in_a_browser_is_delivered_and_writes_no_file(
    in_browser: Deliveries, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger = write_ledger(tmp_path / "ledger")
    monkeypatch.chdir(tmp_path)  # where a terminal export would write by default
    before = files_under(tmp_path)
    app = PledgeApp(ledger)
    notices = Notices()
    async with app.run_test(size=(120, 40), message_hook=notices) as pilot:
        await started(app, pilot)
        await pilot.press("x")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        assert "browser downloads it" in screen_text(app)
        path_input = dialog.query_one("#export-path")
        assert path_input.value == "pledges-view.csv"  # a name, no folder of the server
        path_input.value = str(tmp_path / "server-side.csv")  # a path is refused, said in the dialog
        await press_and_settle(app, pilot, "ctrl+s")
        assert app.screen is dialog
        assert "plain file name" in screen_text(app)
        path_input.value = "view.csv"
        await press_and_settle(app, pilot, "ctrl+s")
        assert not isinstance(app.screen, ExportDialog)
    [(name, data, mime)] = in_browser.delivered
    assert name == "view.csv" and mime == "text/csv"
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows and all(row["id"] for row in rows)
    assert files_under(tmp_path) == before  # nothing written on the server
    assert any("download view.csv" in m for m in notices.messages)


async def test_editor_and_import_are_hidden_and_refused_in_a_browser(in_browser: Deliveries, tmp_path: Path) -> None:
    ledger = write_ledger(tmp_path / "ledger")
    before = ledger.read_bytes()
    app = PledgeApp(ledger)
    notices = Notices()
    async with app.run_test(size=(120, 40), message_hook=notices) as pilot:
        await started(app, pilot)
        actions = {active.binding.action for active in app.screen.active_bindings.values()}
        assert "edit_file" not in actions and "import_article" not in actions  # the footer and help
        assert "export" in actions
        await press_and_settle(app, pilot, "E")
        await press_and_settle(app, pilot, "i")
        assert app.screen is app.dashboard  # no editor, no import dialog
        refused = [m for m in notices.of("warning") if m.startswith("Not available in a browser")]
        assert len(refused) == 2
        # the filter bar still takes both letters as text
        await pilot.press("slash", "E", "i")
        assert app.dashboard.query_one("#filter").value == "Ei"
        assert len([m for m in notices.of("warning") if m.startswith("Not available in a browser")]) == 2
        await pilot.press("escape")
        await press_and_settle(app, pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        help_text = screen_text(app)
        assert "Help" in help_text and "$EDITOR" not in help_text and "Import article" not in help_text
        await pilot.press("escape")
        await pilot.pause()
        titles = [c.title for c in app.get_system_commands(app.dashboard)]
        assert "Export the current view" in titles
        assert not [t for t in titles if "$EDITOR" in t or t == "Import an article"]
        assert not isinstance(app.screen, CommandPalette)
    assert ledger.read_bytes() == before


async def test_in_a_terminal_the_editor_and_import_are_offered(tmp_path: Path) -> None:
    """The check above can fail: outside a browser, the same bindings and palette entries are there."""
    app = PledgeApp(write_ledger(tmp_path / "ledger"))
    async with app.run_test(size=(120, 40)) as pilot:
        await started(app, pilot)
        actions = {active.binding.action for active in app.screen.active_bindings.values()}
        assert {"edit_file", "import_article"} <= actions
        titles = [c.title for c in app.get_system_commands(app.dashboard)]
        assert "Import an article" in titles and any("$EDITOR" in t for t in titles)


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("view.csv", "view.csv"),
        (" view.json ", "view.json"),
        ("../view.csv", None),
        ("/tmp/view.csv", None),
        ("a\\b.csv", None),
        ("..", None),
        ("", None),
        ('view".csv', None),
        ("view;.csv", None),
        ("vue\r\nSet-Cookie: x.csv", None),
        ("x" * 101, None),
    ],
)
def test_a_download_name_is_a_plain_file_name(raw: str, name: str | None) -> None:
    assert download_name(raw) == name
