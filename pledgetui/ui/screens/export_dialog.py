"""Export the current view (filter and sort applied): path, format and rows.

In a browser the path is only a file name: the export is the browser's download, and no
path on the server is written (see :mod:`pledgetui.ui.web`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from pledgetui.sanitize import display_line
from pledgetui.ui.widgets.safe_inputs import SafeInput

FORMATS = [("CSV (spreadsheets)", "csv"), ("JSON (machine-readable)", "json"), ("Markdown (reports)", "md")]
ROWS = [("One row per entry (pledge or counter-position)", "entries"), ("One row per quote", "evidence")]
#: The CSV formula guard, said before the export (the notice after it says how many cells).
GUARD_HINT = "CSV: formula-like cells get a ' (raw: pledgetui export --raw)"
#: File name extensions and the format each one means (the dialog follows what is typed).
EXTENSIONS = {".csv": "csv", ".json": "json", ".md": "md", ".markdown": "md"}


def format_of(path: Path | str) -> str | None:
    """The export format a file name's extension names, or None for another extension."""
    return EXTENSIONS.get(Path(path).suffix.lower())


@dataclass(frozen=True)
class ExportRequest:
    path: Path
    fmt: str
    rows: str
    excel: bool


class ExportDialog(ModalScreen[ExportRequest | None]):
    HELP_TITLE = "Export dialog"

    CSS_PATH = "export_dialog.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="export_dialog.cancel"),
        Binding("ctrl+s", "export", "Export", id="export_dialog.export"),
    ]

    def __init__(
        self, default_path: Path, summary: str, *, fmt: str = "csv", rows: str = "entries", download: bool = False
    ) -> None:
        """``download``: ask for a download's file name (in a browser), not a path on this machine."""
        super().__init__()
        self.download = download
        self.default_path = Path(default_path.name) if download else default_path
        self.summary = summary
        self.fmt, self.rows = fmt, rows  # the last export's, from the settings

    def compose(self) -> ComposeResult:
        with Vertical(id="export-box"):
            yield Static(Content(display_line(self.summary)).stylize("bold"), markup=False)
            yield Label(
                "File name (your browser downloads it)"
                if self.download
                else "File (written atomically; an existing file is replaced)"
            )
            yield SafeInput(str(self.default_path), compact=True, id="export-path")
            yield Label("Format")
            yield Select(FORMATS, value=self.fmt, allow_blank=False, compact=True, id="export-format")
            yield Label("Rows")
            yield Select(ROWS, value=self.rows, allow_blank=False, compact=True, id="export-rows")
            yield Checkbox("Excel: add a byte-order mark (CSV)", compact=True, id="export-excel")
            yield Static(GUARD_HINT, id="export-guard", markup=False)
            yield Static("", id="export-error", markup=False)
            with Horizontal():
                yield Button("Export (ctrl+s)", variant="primary", id="export-go")
                yield Button("Cancel (esc)", id="export-cancel")

    @on(Select.Changed, "#export-format")
    def _format_changed(self, event: Select.Changed) -> None:
        path_input = self.query_one("#export-path", Input)
        path = Path(path_input.value)
        if format_of(path) not in (None, event.value):
            path_input.value = str(path.with_suffix(f".{event.value}"))

    @on(Input.Changed, "#export-path")
    def _path_changed(self, event: Input.Changed) -> None:
        """``x.json`` typed with CSV chosen: the format follows the name (what the file will be opened as)."""
        fmt = format_of(event.value.strip())
        select = self.query_one("#export-format", Select)
        if fmt is not None and select.value != fmt:
            select.value = fmt

    def action_export(self) -> None:
        raw = self.query_one("#export-path", Input).value.strip()
        if not raw:
            self.query_one("#export-error", Static).update(Content("Give a file name."))
            return
        if self.download:
            from pledgetui.ui.web import download_name

            name = download_name(raw)
            if name is None:
                self.query_one("#export-error", Static).update(
                    Content("Give a plain file name: letters, digits, '.', '-' and '_', no folder.")
                )
                return
            self._done(Path(name))
            return
        path = Path(raw).expanduser()
        if path.is_dir():
            self.query_one("#export-error", Static).update(
                Content(display_line(f"{path} is a folder; give a file name."))
            )
            return
        if not path.parent.is_dir():
            self.query_one("#export-error", Static).update(
                Content(display_line(f"The folder {path.parent} does not exist."))
            )
            return
        self._done(path)

    def _done(self, path: Path) -> None:
        self.dismiss(
            ExportRequest(
                path=path,
                fmt=format_of(path) or str(self.query_one("#export-format", Select).value),
                rows=str(self.query_one("#export-rows", Select).value),
                excel=self.query_one("#export-excel", Checkbox).value,
            )
        )

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#export-go")
    def _go(self) -> None:
        self.action_export()

    @on(Button.Pressed, "#export-cancel")
    def _cancel(self) -> None:
        self.action_cancel()
