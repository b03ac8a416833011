"""What the user sees: the text a widget shows on screen, cropped to its region, and whether it fits."""

from __future__ import annotations

import re
from typing import Any

from textual.app import App
from textual.widget import Widget

from tests.pilot import screen_lines

_BOX = re.compile(r"[\u2500-\u259f]")  # borders, scrollbars, blocks


def squeeze(text: str) -> str:
    """``text`` without white space: wrapped (or folded) text compares equal to the original."""
    return re.sub(r"\s+", "", text)


def shown_lines(app: App[Any], widget: Widget | None = None) -> list[str]:
    """The screen's lines as rendered now, cropped to ``widget``'s region (the whole screen if None)."""
    return [_BOX.sub(" ", line) for line in screen_lines(app, widget)]


def shown_text(app: App[Any], widget: Widget | None = None) -> str:
    return squeeze("".join(shown_lines(app, widget)))


def assert_shown(app: App[Any], widget: Widget, *texts: str) -> None:
    """``widget`` lies within the screen, and each of ``texts`` is shown inside it, whole (wrapping allowed)."""
    screen = app.screen.region
    assert screen.contains_region(widget.region), f"{widget!r} at {widget.region} is clipped by {screen}"
    shown = shown_text(app, widget)
    for text in texts:
        assert squeeze(text) in shown, f"not shown whole: {text!r}\n" + "\n".join(shown_lines(app, widget))
