"""The quote viewer's find bar: a query box and the match count (``/`` opens it)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Static

from pledgetui.ui.widgets.safe_inputs import SafeInput


class FindBar(Horizontal):
    """Find in the article (styles: ``find_bar.tcss``, read with the app's)."""

    HELP_TITLE = "Find in the article"
    BINDINGS = [
        Binding("escape", "close", "Close find", id="find_bar.close"),
        Binding("down", "step(1)", "Next match", show=False, id="find_bar.next"),
        Binding("up", "step(-1)", "Previous match", show=False, id="find_bar.previous"),
    ]

    class Changed(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class Step(Message):
        def __init__(self, step: int) -> None:
            super().__init__()
            self.step = step

    class Closed(Message):
        pass

    def compose(self) -> ComposeResult:
        yield SafeInput(placeholder="find in the article (enter: next, ↑/↓, esc)", compact=True, id="find-input")
        yield Static("", id="find-count", markup=False)

    @property
    def input(self) -> Input:
        return self.query_one("#find-input", Input)

    def open(self) -> None:
        self.add_class("-open")
        self.input.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Changed(event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Step(1))

    def action_step(self, step: int) -> None:
        self.post_message(self.Step(step))

    def action_close(self) -> None:
        self.remove_class("-open")
        self.post_message(self.Closed())

    def show_count(self, text: str) -> None:
        self.query_one("#find-count", Static).update(text)
