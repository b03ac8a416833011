"""Pilot helpers shared by the UI tests: start, press and wait, fill the edit form, read notices and the screen.

Everything here goes through Textual's public interface: notices are read from the ``Notify``
messages the app posts (a ``run_test`` message hook), the screen from its SVG screenshot.
"""

from __future__ import annotations

import html
import re
from typing import Any

from rich.cells import cell_len
from textual.app import App
from textual.message import Message
from textual.notifications import Notification, Notify
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Input, Select, TextArea

from pledgetui.ui.app import PledgeApp
from pledgetui.ui.screens.edit_entry import EditEntry

# --------------------------------------------------------------------------- running


async def started(app: PledgeApp, pilot: Pilot[Any]) -> None:
    """Wait for the load to finish and the dashboard to show it."""
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert app.session is not None


async def press_and_settle(app: App[Any], pilot: Pilot[Any], key: str) -> None:
    """Press a key and wait for what it started (a save runs in a worker thread)."""
    await pilot.press(key)
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


# --------------------------------------------------------------------------- the edit form


def field_id(name: str) -> str:
    """A form field's id: ``ev0_status`` is statement 1's status (``in-ev0-status``)."""
    return re.sub(r"^(ev\d+)_", r"\1-", name)


def fill(form: EditEntry, **values: str) -> None:
    """Put ``values`` in the form's fields (inputs, selects, the notes' text area)."""
    for name, value in values.items():
        widget = form.query_one(f"#in-{field_id(name)}")
        if isinstance(widget, TextArea):
            widget.text = value
        elif isinstance(widget, Input | Select):
            widget.value = value
        else:
            raise AssertionError(f"not a form field: {widget!r}")


async def edit_current(app: PledgeApp, pilot: Pilot[Any], **values: str) -> EditEntry:
    """Open the form on the entry under the cursor, fill in ``values`` and apply it."""
    await pilot.press("e")
    await pilot.pause()
    form = app.screen
    assert isinstance(form, EditEntry)
    fill(form, **values)
    await press_and_settle(app, pilot, "ctrl+s")
    await pilot.pause()
    return form


async def new_pledge_from_passage(
    app: PledgeApp, pilot: Pilot[Any], view: Any, start: int, length: int, **values: str
) -> None:
    """In the quote viewer: select ``length`` characters from ``start`` with the keyboard, press N, fill the form, apply."""
    view.move_cursor(view.location_of(start))
    await pilot.press(*["shift+right"] * length)
    await pilot.press("N")
    await pilot.pause()
    form = app.screen
    assert isinstance(form, EditEntry)
    fill(form, **values)
    await press_and_settle(app, pilot, "ctrl+s")


# --------------------------------------------------------------------------- notices


class Notices:
    """Every notification the app posts while it runs, in order: pass one to ``app.run_test(message_hook=...)``."""

    def __init__(self) -> None:
        self.posted: list[Notification] = []

    def __call__(self, message: Message) -> None:
        if isinstance(message, Notify):
            self.posted.append(message.notification)

    @property
    def messages(self) -> list[str]:
        return [str(n.message) for n in self.posted]

    def of(self, severity: str) -> list[str]:
        return [str(n.message) for n in self.posted if n.severity == severity]


# --------------------------------------------------------------------------- the screen

_TEXT = re.compile(r'<text [^>]*?x="([0-9.]+)"[^>]*?clip-path="url\(#[^)]*-line-([0-9]+)\)">(.*?)</text>', re.DOTALL)
_LINE_WIDTH = re.compile(r'<clipPath id="[^"]*-line-0">\s*<rect x="0" y="[0-9.]+" width="([0-9.]+)"')


def screen_lines(app: App[Any], widget: Widget | None = None) -> list[str]:
    """The current screen as lines of text, read from its SVG screenshot, cropped to ``widget``'s
    region (the whole screen if None). A wide character takes its cells; the cell after it is empty."""
    svg = app.export_screenshot()
    width, height = app.size
    found = _LINE_WIDTH.search(svg)
    assert found is not None, "a screenshot without its line clips"
    cell = float(found.group(1)) / width
    rows = [[" "] * width for _ in range(height)]
    for x, line, content in _TEXT.findall(svg):
        row, col = rows[int(line)], round(float(x) / cell)
        for ch in html.unescape(content.replace("&#160;", " ")):  # the SVG writes each space as &#160;
            if ch == "\n":
                continue
            cells = cell_len(ch)
            if cells == 0:  # a combining or joining character belongs to the cell before it
                if 0 < col <= width:
                    row[col - 1] += ch
                continue
            if col < width:
                row[col] = ch
            for extra in range(1, cells):
                if col + extra < width:
                    row[col + extra] = ""
            col += cells
    region = widget.region if widget is not None else app.screen.region
    return ["".join(row[region.x : region.right]) for row in rows[region.y : region.bottom]]


def screen_text(app: App[Any], widget: Widget | None = None) -> str:
    """The current screen's text (cropped to ``widget``), lines joined with newlines."""
    return "\n".join(screen_lines(app, widget))
