"""Baseline: a bare Textual app (header, footer, one line of text)."""

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static


class Bare(App[None]):
    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("bare-ready", markup=False)
        yield Footer()


if __name__ == "__main__":
    Bare().run()
