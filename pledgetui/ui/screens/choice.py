"""A small modal question with one key per answer: confirmations, conflicts, recovery."""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class ChoiceScreen(ModalScreen[str | None]):
    """``ChoiceScreen(title, message, [(key, value, label), ...])``: dismisses with the chosen value, or None on Escape."""

    HELP_TITLE = "This question"

    CSS_PATH = "choice.tcss"

    BINDINGS = [
        Binding("escape", "choose_none", "Cancel", id="choice.choose_none"),
        Binding("up", "scroll_message(-1)", "Scroll up", show=False, id="choice.scroll_up"),
        Binding("down", "scroll_message(1)", "Scroll down", show=False, id="choice.scroll_down"),
        Binding("pageup", "scroll_message(-10)", "Page up", show=False, id="choice.page_up"),
        Binding("pagedown", "scroll_message(10)", "Page down", show=False, id="choice.page_down"),
    ]

    def __init__(self, title: str, message: Content | str, choices: list[tuple[str, str, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.message = message if isinstance(message, Content) else Content(message)
        self.choices = choices
        self._keys = {key: value for key, value, _ in choices}
        self._answered = False

    def compose(self) -> ComposeResult:
        with Vertical(id="choice-dialog"):
            yield Static(Content(self.title_text), id="choice-title", markup=False)
            with VerticalScroll(id="choice-body", can_focus=False):
                yield Static(self.message, id="choice-message", markup=False)
            with Horizontal(id="choice-buttons"):
                for i, (key, value, label) in enumerate(self.choices):
                    shown = "esc" if key == "escape" else key
                    yield Button(f"{label} ({shown})", id=f"choice-{value}", variant="primary" if i == 0 else "default")

    def on_key(self, event: events.Key) -> None:
        if event.key in self._keys:
            event.stop()
            self._choose(self._keys[event.key])

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self._choose((event.button.id or "").removeprefix("choice-") or None)

    def _choose(self, choice: str | None) -> None:
        """Answer once: a second key pressed before the screen has gone (``ss`` typed fast) is
        not a second answer (dismissing twice popped a screen that was no longer there)."""
        if self._answered:
            return
        self._answered = True
        self.dismiss(choice)

    def action_scroll_message(self, lines: int) -> None:
        body = self.query_one("#choice-body", VerticalScroll)
        body.scroll_to(y=body.scroll_y + lines, animate=False)

    def action_choose_none(self) -> None:
        self._choose(None)
