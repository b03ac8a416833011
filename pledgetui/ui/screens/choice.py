"""A small modal question with one key per answer: confirmations, conflicts, recovery."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class ChoiceScreen(ModalScreen[str | None]):
    """``ChoiceScreen(title, message, [(key, value, label), ...])``: dismisses with the chosen value, or None on Escape."""

    HELP_TITLE = "This question"

    DEFAULT_CSS = """
    ChoiceScreen { align: center middle; }
    ChoiceScreen > Vertical {
        width: auto; max-width: 90%; min-width: 40; height: auto;
        border: thick $warning; background: $surface; padding: 1 2;
    }
    ChoiceScreen #choice-title { text-style: bold; margin-bottom: 1; }
    ChoiceScreen #choice-message { margin-bottom: 1; width: auto; max-width: 100; }
    ChoiceScreen Horizontal { height: auto; width: auto; }
    ChoiceScreen Button { margin-right: 2; }
    """

    BINDINGS = [Binding("escape", "choose_none", "Cancel", id="choice.choose_none")]

    def __init__(self, title: str, message: Content | str, choices: list[tuple[str, str, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.message = message if isinstance(message, Content) else Content(message)
        self.choices = choices
        self._keys = {key: value for key, value, _ in choices}

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(self.title_text), id="choice-title", markup=False)
            yield Static(self.message, id="choice-message", markup=False)
            with Horizontal():
                for i, (key, value, label) in enumerate(self.choices):
                    yield Button(f"{label} ({key})", id=f"choice-{value}", variant="primary" if i == 0 else "default")

    def on_key(self, event) -> None:
        if event.key in self._keys:
            event.stop()
            self.dismiss(self._keys[event.key])

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss((event.button.id or "").removeprefix("choice-") or None)

    def action_choose_none(self) -> None:
        self.dismiss(None)
