"""Import a UTF-8 text file as a new source: copied next to the ledger, described in a form."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from pledgetui.articlefile import MAX_ARTICLE_BYTES
from pledgetui.edits import EditError
from pledgetui.files import NotReadable, read_regular
from pledgetui.model import FILE_PATTERN, Ledger, Source
from pledgetui.sanitize import display_line
from pledgetui.ui.widgets.safe_inputs import SafeInput

FIELDS = {
    "path": "Text file to import (UTF-8)",
    "id": "Source id (lower-case slug)",
    "file": "File name in the ledger's seeds/ folder",
    "title": "Title",
    "date": "Date (YYYY-MM-DD or empty)",
    "outlet": "Outlet",
    "note": "Reliability or framing note",
}


#: In front of the focused field's label: which field takes what is typed shows as text, not
#: only as a colour a plain terminal capture (or a monochrome terminal) loses.
FOCUS_MARK = "▶ "
#: How much of the article the dialog shows once the path names a readable file.
PREVIEW_CHARS = 160


@dataclass(frozen=True)
class ImportRequest:
    source: Source
    text: str


def suggest_id(ledger: Ledger) -> str:
    ids = {s.id for s in ledger.sources}
    n = len(ledger.sources)
    while f"a{n:03d}" in ids:
        n += 1
    return f"a{n:03d}"


def safe_file_name(path: Path) -> str:
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", path.name).lstrip("._-") or "article.txt"
    return name[:200]


def read_text_file(path: Path) -> str:
    """The file's text; raises EditError naming the problem (missing, too large, not UTF-8)."""
    try:
        # Refuses a named pipe or a device before reading (opening a pipe would block the app).
        data, _ = read_regular(path, MAX_ARTICLE_BYTES)
    except NotReadable as exc:
        if exc.kind == "too_large":
            raise EditError([("path", f"larger than the article limit of {MAX_ARTICLE_BYTES:,} bytes")]) from None
        raise EditError([("path", f"{path}: {exc.what}")]) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise EditError([("path", f"not UTF-8 text (bad byte at offset {exc.start})")]) from None
    if not text.strip():
        raise EditError([("path", "the file is empty")])
    return text


class ImportArticle(ModalScreen[ImportRequest | None]):
    HELP_TITLE = "Import dialog"

    CSS_PATH = "import_article.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="import_dialog.cancel"),
        Binding("ctrl+s", "import", "Import", id="import_dialog.import"),
    ]

    def __init__(self, ledger: Ledger) -> None:
        super().__init__()
        self.ledger = ledger

    def compose(self) -> ComposeResult:
        with Vertical(id="import-box"):
            yield Static(Content("Import an article as a new source").stylize("bold"), markup=False)
            yield Static("Article: give the path of a text file", id="imp-preview", markup=False)
            with VerticalScroll():
                for name, label in FIELDS.items():
                    yield Label(label, id=f"imp-label-{name}", markup=False)
                    value = suggest_id(self.ledger) if name == "id" else ""
                    yield SafeInput(value, compact=True, id=f"imp-{name}")
                    yield Static("", classes="error", id=f"imp-error-{name}", markup=False)
            with Horizontal():
                yield Button("Import (ctrl+s)", variant="primary", id="imp-go")
                yield Button("Cancel (esc)", id="imp-cancel")

    def on_mount(self) -> None:
        self.query_one("#imp-path", Input).focus()

    def on_descendant_focus(self) -> None:
        """Mark the label of the field that has focus (see :data:`FOCUS_MARK`)."""
        focused = self.focused
        for name, label in FIELDS.items():
            has_focus = focused is not None and focused.id == f"imp-{name}"
            self.query_one(f"#imp-label-{name}", Label).update((FOCUS_MARK if has_focus else "") + label)

    @on(Input.Changed, "#imp-path")
    def _path_changed(self, event: Input.Changed) -> None:
        file_input = self.query_one("#imp-file", Input)
        if event.value.strip():
            file_input.value = safe_file_name(Path(event.value.strip()))
        self.query_one("#imp-preview", Static).update(Content(display_line(self._preview(event.value.strip()))))

    @staticmethod
    def _preview(raw: str) -> str:
        """The article the path names, as the dialog shows it: its size and first words."""
        if not raw:
            return "Article: give the path of a text file"
        path = Path(raw).expanduser()
        if not path.is_file():
            return f"Article: no file at {path}"
        try:
            text = read_text_file(path)
        except EditError as exc:
            return "Article: " + "; ".join(message for _, message in exc.problems)
        words = " ".join(text.split())
        shown = words if len(words) <= PREVIEW_CHARS else words[: PREVIEW_CHARS - 1] + "…"
        return f"Article ({len(text):,} characters): {shown}"

    def value(self, name: str) -> str:
        return self.query_one(f"#imp-{name}", Input).value.strip()

    def build(self) -> ImportRequest:
        problems: list[tuple[str, str]] = []
        text = ""
        try:
            text = read_text_file(Path(self.value("path")).expanduser())
        except EditError as exc:
            problems.extend(exc.problems)
        file_name = self.value("file")
        if not re.match(FILE_PATTERN, file_name):
            problems.append(("file", "letters, digits, '.', '_' and '-' only, no folders"))
        data = {k: self.value(k) for k in ("id", "title", "outlet", "note")}
        data["file"] = file_name
        date = self.value("date")
        if date:
            try:
                data["date"] = dt.date.fromisoformat(date).isoformat()
            except ValueError:
                problems.append(("date", "write the date as YYYY-MM-DD"))
        if any(s.id == data["id"] for s in self.ledger.sources):
            problems.append(("id", f"{data['id']!r} is already a source id"))
        if not problems:
            try:
                return ImportRequest(Source.model_validate(data), text)
            except ValueError as exc:
                from pydantic import ValidationError

                if isinstance(exc, ValidationError):
                    problems.extend((str(e["loc"][0]), e["msg"]) for e in exc.errors())
                else:
                    raise
        raise EditError(problems)

    def show_errors(self, error: EditError) -> None:
        by_field = error.by_field()
        for name in FIELDS:
            static = self.query_one(f"#imp-error-{name}", Static)
            static.update(Content(display_line("; ".join(by_field.get(name, [])))))
            static.set_class(name in by_field, "-shown")

    def action_import(self) -> None:
        try:
            request = self.build()
        except EditError as exc:
            self.show_errors(exc)
            return
        self.dismiss(request)

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#imp-go")
    def _go(self) -> None:
        self.action_import()

    @on(Button.Pressed, "#imp-cancel")
    def _cancel(self) -> None:
        self.action_cancel()
