"""The "as of" dialog: the day whose ledger the dashboard shows, and whether uncertain statements count.

It only asks: the dashboard derives the ledger as it stood that day
(``pledgetui.history.as_of``) from the one it shows now. An empty day is today's ledger.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Static

from pledgetui.ui.text import safe_line
from pledgetui.ui.widgets.safe_inputs import SafeInput


def refusal(day: dt.date) -> str:
    """Why nothing is edited while the dashboard shows the ledger as of ``day``."""
    return (
        f"The dashboard shows the ledger as of {day.isoformat()}: it is derived from the statements "
        "known by then, not edited. Press w and clear the day to edit today's ledger."
    )


@dataclass(frozen=True, slots=True)
class AsOfChoice:
    """``day`` None: today's ledger."""

    day: dt.date | None
    count_uncertain: bool = False


class AsOfDialog(ModalScreen[AsOfChoice | None]):
    """``AsOfDialog(day, count_uncertain)``: dismissed with the choice, or None when cancelled."""

    HELP_TITLE = "As-of dialog"

    CSS_PATH = "as_of.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="as_of.cancel"),
        Binding("ctrl+s", "apply", "Apply", id="as_of.apply"),
        # Enter applies wherever the focus is, as the button says: before the checkbox's own enter
        # (which would untick what space just ticked); on the other buttons it presses them.
        Binding("enter", "enter", "Apply", show=False, priority=True, id="as_of.apply_enter"),
        Binding("ctrl+t", "today", "Today's ledger", id="as_of.today"),
    ]

    def __init__(self, day: dt.date | None = None, count_uncertain: bool = False) -> None:
        super().__init__()
        self.day = day
        self.count_uncertain = count_uncertain

    def compose(self) -> ComposeResult:
        with Vertical(id="as-of-box"):
            yield Static(Content("The ledger as it stood on a day").stylize("bold"), markup=False)
            yield Label("Day (YYYY-MM-DD; empty: today's ledger, which you can edit)")
            yield SafeInput(
                self.day.isoformat() if self.day else "",
                placeholder="e.g. 2025-12-31",
                compact=True,
                id="as-of-day",
            )
            yield Checkbox(
                "Count the statements that may fall either side of the day (space)",
                self.count_uncertain,
                compact=True,
                id="as-of-uncertain",
            )
            yield Static(
                "Left out: statements known to come later. Statements whose date may fall either side "
                "are left out and counted apart unless counted here. Edits wait for today's ledger.",
                id="as-of-hint",
                markup=False,
            )
            yield Static("", id="as-of-error", markup=False)
            with Horizontal():
                yield Button("Apply (enter)", variant="primary", id="as-of-go")
                yield Button("Today (ctrl+t)", id="as-of-today")
                yield Button("Cancel (esc)", id="as-of-cancel")

    def on_mount(self) -> None:
        self.query_one("#as-of-day", Input).focus()

    def action_apply(self) -> None:
        from pledgetui.as_of_words import parse_day

        text = self.query_one("#as-of-day", Input).value.strip()
        counted = self.query_one("#as-of-uncertain", Checkbox).value
        if not text:
            self.dismiss(AsOfChoice(None, counted))
            return
        try:
            day = parse_day(text)
        except ValueError as exc:
            self.query_one("#as-of-error", Static).update(safe_line(f"Day: {exc}"))
            self.query_one("#as-of-day", Input).focus()
            return
        self.dismiss(AsOfChoice(day, counted))

    def action_enter(self) -> None:
        focused = self.focused
        if isinstance(focused, Button) and focused.id != "as-of-go":
            focused.press()
            return
        self.action_apply()

    def action_today(self) -> None:
        self.dismiss(AsOfChoice(None, self.query_one("#as-of-uncertain", Checkbox).value))

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted, "#as-of-day")
    def _submitted(self) -> None:
        self.action_apply()

    @on(Input.Changed, "#as-of-day")
    def _changed(self) -> None:
        self.query_one("#as-of-error", Static).update("")

    @on(Button.Pressed, "#as-of-go")
    def _go(self) -> None:
        self.action_apply()

    @on(Button.Pressed, "#as-of-today")
    def _today(self) -> None:
        self.action_today()

    @on(Button.Pressed, "#as-of-cancel")
    def _cancel(self) -> None:
        self.action_cancel()
