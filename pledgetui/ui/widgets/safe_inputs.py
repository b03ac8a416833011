"""Input and TextArea that show untrusted values safely.

The built-in widgets draw their value as-is, so an ESC or a bidi override in a
ledger field would reach the terminal while the user edits it. These subclasses
draw through :func:`display_aligned` (one visible character for each unsafe one,
so the cursor stays where the user thinks it is) and leave the value untouched.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Input, TextArea

from pledgetui.sanitize import display_aligned

#: How a line break in a one-line field is shown (SYMBOL FOR LINE FEED).
LINE_BREAK = "\u240a"


class SafeInput(Input):
    HELP_TITLE = "A text field"

    @property
    def _value(self) -> Text:
        if self.password:
            return super()._value
        # One line: a line break is a visible symbol too, else it would draw the rest of the
        # value on the lines below, outside the field (one character for one: the cursor holds).
        text = Text(display_aligned(self.value).replace("\n", LINE_BREAK), no_wrap=True, overflow="ignore", end="")
        if self.highlighter is not None:
            text = self.highlighter(text)
        return text


class SafeTextArea(TextArea):
    def get_line(self, line_index: int) -> Text:
        line = super().get_line(line_index)
        plain = line.plain
        safe = display_aligned(plain)
        if safe == plain:
            return line
        return Text(safe, end="", no_wrap=True)
