"""The key help: every active binding, grouped by where it applies."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from pledgetui.ui.text import safe_line

Section = tuple[str, list[tuple[str, str]]]


#: Section titles for Textual's own widgets, which carry no ``HELP_TITLE`` (looked up along the class's bases).
BUILTIN_TITLES: dict[str, str] = {
    "Select": "A choice list",
    "SelectOverlay": "A choice list, open",
    "SelectionList": "A checklist",
    "OptionList": "A list",
    "DataTable": "A table",
    "TextArea": "A text area",
    "Input": "A text field",
    "Button": "A button",
    "Checkbox": "A checkbox",
    "ScrollableContainer": "Scrolling",
}


def _section_title(node: DOMNode, app: App[Any]) -> str:
    """Words for where keys apply: a screen's or widget's ``HELP_TITLE``, else the title of the
    Textual widget it is (:data:`BUILTIN_TITLES`), else its class name in words."""
    if node is app:
        return "Everywhere"
    title = getattr(node, "HELP_TITLE", None)
    if isinstance(title, str) and title:
        return title
    for cls in type(node).__mro__:
        if cls.__name__ in BUILTIN_TITLES:
            return BUILTIN_TITLES[cls.__name__]
    words = "".join(f" {c.lower()}" if c.isupper() else c for c in type(node).__name__).strip()
    return words[:1].upper() + words[1:]


def bindings_for_help(app: App[Any]) -> list[Section]:
    """The active bindings of ``app``'s current screen, its focused widget and the app, with descriptions.

    Call it before pushing the help screen (the help screen's own bindings are not wanted).
    A key bound at several levels is listed where it takes effect (the innermost one,
    unless an outer binding has priority). Keys of one action at one level are joined.
    """
    grouped: dict[DOMNode, dict[tuple[str, str], list[str]]] = {}
    for active in app.screen.active_bindings.values():
        binding: Binding = active.binding
        description = binding.description or binding.action.replace("_", " ")
        if not active.enabled:
            description += " (unavailable now)"
        keys = grouped.setdefault(active.node, {}).setdefault((binding.action, description), [])
        shown = app.get_key_display(binding)
        if shown not in keys:
            keys.append(shown)
    order = {node: n for n, node in enumerate(_chain(app))}
    sections: list[Section] = []
    for node in sorted(grouped, key=lambda node: order.get(node, len(order))):
        rows = [(", ".join(keys), description) for (_action, description), keys in grouped[node].items()]
        sections.append((_section_title(node, app), rows))
    return sections


def _chain(app: App[Any]) -> list[DOMNode]:
    """The screen first, then the focused widget and its containers (innermost first), then the app."""
    screen = app.screen
    focused = screen.focused
    widgets = [n for n in focused.ancestors_with_self if n is not screen and n is not app] if focused else []
    return [screen, *widgets, app]


class HelpScreen(ModalScreen[None]):
    """A scrollable table of keys, one section per place the keys apply."""

    CSS_PATH = "help.tcss"
    BINDINGS = [
        Binding("escape", "close", "Close", id="help.close"),
        Binding("question_mark", "close", "Close", key_display="?", id="help.close_question_mark"),
        Binding("q", "close", "Close", id="help.close_q"),
    ]

    def __init__(self, sections: list[Section]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            yield Static(Content("Keys").stylize("bold"), id="help-title")
            yield DataTable(id="help-table", cursor_type="row", show_header=True, zebra_stripes=False)
            yield Static(Content("esc, ? or q to close"), id="help-hint")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column(Text("Key", style="bold"), key="key")
        table.add_column(Text("Action", style="bold"), key="action")
        for n, (title, rows) in enumerate(self.sections):
            if n:
                table.add_row(Text(""), Text(""), key=f"gap-{n}")
            table.add_row(Text(safe_line(title).plain, style="bold underline"), Text(""), key=f"section-{n}")
            for m, (key, description) in enumerate(rows):
                table.add_row(
                    Text(safe_line(key).plain, style="bold"),
                    Text(safe_line(description).plain),
                    key=f"row-{n}-{m}",
                )
        table.focus()

    def rows(self) -> list[tuple[str, str]]:
        """The (key, description) text of every table row, in order (for tests and screen readers)."""
        table = self.query_one(DataTable)
        return [(str(table.get_row_at(i)[0]), str(table.get_row_at(i)[1])) for i in range(table.row_count)]

    def action_close(self) -> None:
        self.dismiss(None)
