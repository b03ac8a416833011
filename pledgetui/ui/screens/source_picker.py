"""Choose one of the ledger's articles (to browse it in the quote viewer)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from pledgetui.model import Ledger
from pledgetui.ui.text import join, safe_line


class SourcePicker(ModalScreen[str | None]):
    """Choose one of the ledger's articles."""

    HELP_TITLE = "Article picker"

    CSS_PATH = "source_picker.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="article_picker.cancel")]

    def __init__(self, ledger: Ledger, current: str | None) -> None:
        super().__init__()
        self.ledger = ledger
        self.current = current

    def compose(self) -> ComposeResult:
        options = [
            Option(join(safe_line(s.title, "bold"), "  ", safe_line(f"({s.file})", "dim")), id=s.id)
            for s in self.ledger.sources
        ]
        picker = OptionList(*options)
        picker.border_title = "Open an article"
        yield picker

    def on_mount(self) -> None:
        picker = self.query_one(OptionList)
        ids = [s.id for s in self.ledger.sources]
        if self.current in ids:
            picker.highlighted = ids.index(self.current)
        picker.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
