"""The key help: every row given is listed; escape, ? and q close; the app's bindings are collected."""

from __future__ import annotations

import html
import re

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Input, Static

from pledgetui.ui.screens.help import HelpScreen, bindings_for_help

UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202e]")

SECTIONS = [
    ("Ledger", [("↑/↓", "Move between pledges"), ("enter", "Open the quote"), ("/", "Filter")]),
    ("Quote viewer", [("n", "Next quote"), ("p", "Previous quote"), ("]", "Next passage"), ("[", "Previous passage")]),
]


class Host(App[None]):
    BINDINGS = [Binding("ctrl+s", "save", "Save ledger"), Binding("question_mark", "help", "Keys", key_display="?")]

    def action_help(self) -> None:
        self.push_screen(HelpScreen(bindings_for_help(self)))


class Main(Screen[None]):
    BINDINGS = [Binding("m", "matrix", "Matrix view"), Binding("e", "edit", "Edit pledge")]

    def compose(self) -> ComposeResult:
        yield Static("main")
        yield Input(id="filter")

    def on_mount(self) -> None:
        self.call_after_refresh(self.set_focus, None)  # start with nothing focused


async def test_every_row_given_is_listed() -> None:
    app = Host()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = HelpScreen(SECTIONS)
        await app.push_screen(screen)
        await pilot.pause()
        rows = [r for r in screen.rows() if any(r)]
        expected = []
        for title, items in SECTIONS:
            expected.append((title, ""))
            expected.extend(items)
        assert rows == expected


@pytest.mark.parametrize("key", ["escape", "question_mark", "q"])
async def test_keys_close(key: str) -> None:
    app = Host()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = HelpScreen(SECTIONS)
        await app.push_screen(screen)
        await pilot.pause()
        assert app.screen is screen
        await pilot.press(key)
        await pilot.pause()
        assert app.screen is not screen


async def test_bindings_for_help_collects_app_screen_and_focused_widget() -> None:
    app = Host()
    async with app.run_test(size=(120, 36)) as pilot:
        await app.push_screen(Main())
        await pilot.pause()
        sections = dict(bindings_for_help(app))
        assert ("m", "Matrix view") in sections["Main"]
        assert ("e", "Edit pledge") in sections["Main"]
        assert ("^s", "Save ledger") in sections["Everywhere"]
        assert ("?", "Keys") in sections["Everywhere"]
        # a focused widget's bindings get their own section
        app.screen.query_one(Input).focus()
        await pilot.pause()
        titles = [title for title, _ in bindings_for_help(app)]
        assert titles[0] == "Main" and "A text field" in titles and titles[-1] == "Everywhere"
        # the Input takes printable keys, so m/e are not active while it has focus
        sections = dict(bindings_for_help(app))
        assert all(key not in ("m", "e") for key, _ in sections["Main"])


async def test_help_lists_what_bindings_for_help_found() -> None:
    app = Host()
    async with app.run_test(size=(120, 36)) as pilot:
        await app.push_screen(Main())
        await pilot.pause()
        expected = bindings_for_help(app)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        listed = app.screen.rows()
        for _title, items in expected:
            for item in items:
                assert item in listed


async def test_hostile_text_in_help_is_literal() -> None:
    hostile = "[/bold] [link=x]\x1b]0;pwned\x07 \u202e" + "Збройні 🇺🇦" * 30
    app = Host()
    async with app.run_test(size=(120, 36)) as pilot:
        await app.push_screen(HelpScreen([(hostile, [("[/x]", hostile)])]))
        await pilot.pause()
        svg = app.export_screenshot()
        assert not UNSAFE.search(svg) and "&#27;" not in svg
        text = html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")
        assert "[/bold] [link=x]␛]0;pwned␇" in text and "[/x]" in text
