"""Shown instead of the table when the ledger cannot be read: every problem, where and what."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from pledgetui.ledgerfile import LedgerError
from pledgetui.ui.text import join, safe
from pledgetui.ui.widgets.footer import KeyFooter


class ProblemsScreen(Screen[None]):
    HELP_TITLE = "Ledger problems"

    BINDINGS = [Binding("q,escape", "quit_app", "Quit", id="problems.quit_app")]

    CSS_PATH = "problems.tcss"

    def __init__(self, error: LedgerError) -> None:
        super().__init__()
        self.error = error

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(
                join(
                    ("The ledger cannot be opened. Nothing was changed or overwritten.\n", "bold"),
                    safe(str(self.error.path)),
                ),
                id="problems-head",
                markup=False,
            )
            lines = [join(("• ", "bold"), safe(str(p)), "\n") for p in self.error.problems]
            yield Static(join(*lines) if lines else Content(""), id="problems", markup=False)
            yield Static(
                Content(
                    "\nFix the file in an editor, then open it again (pledgetui check FILE lists the same problems)."
                ),
                markup=False,
            )
        yield KeyFooter()

    def action_quit_app(self) -> None:
        self.app.exit(1)
