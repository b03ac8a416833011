"""``pledgetui serve`` in a real browser: headless Chromium (the system's) driven by Playwright.

xterm.js draws the terminal on a canvas, so the screen is read from what the page receives:
the websocket's frames carry the terminal output, read here with its escape sequences
taken out. Each test keeps a screenshot of the page in its tmp folder (the artefact).

Without Chromium or Playwright the tests skip and say what to install; with
``PLEDGETUI_REQUIRE_BROWSER=1`` (CI sets it) they fail instead.
"""

from __future__ import annotations

import csv
import io
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.factory import small_ledger, write_ledger

CHROMIUM = Path(os.environ.get("PLEDGETUI_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: Seconds: the server to listen, a screen to show what is awaited, a download to start.
DEADLINE = 60.0
#: The ledger's folder and name: spaces and shell characters, which must reach the dashboard as one path.
FOLDER = "my ledgers; echo x"
NAME = "pledges $(echo y).toml"

_ESCAPES = re.compile(r"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78]")


def _browser_or_skip() -> Any:
    """Playwright's sync API, or a skip (a failure when the browser is required) saying what to install."""
    missing = []
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
        missing.append("Playwright (pip install -e '.[test]')")
    if not CHROMIUM.is_file():
        missing.append(f"Chromium at {CHROMIUM} (Debian: apt-get install -y chromium)")
    if missing:
        message = "the browser test needs " + " and ".join(missing)
        if os.environ.get("PLEDGETUI_REQUIRE_BROWSER") == "1":
            pytest.fail(message + "; PLEDGETUI_REQUIRE_BROWSER=1 says it must run")
        pytest.skip(message)
    return sync_playwright


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def wait_until_listening(proc: subprocess.Popen[bytes], port: int) -> None:
    """Wait (at most DEADLINE) until the port accepts a connection; fail at once if the server ends."""
    deadline = time.monotonic() + DEADLINE
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            pass
        try:
            proc.wait(timeout=0.1)  # waits on the server: an ended server fails now, not at the deadline
        except subprocess.TimeoutExpired:
            pass
        else:
            out = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
            pytest.fail(f"pledgetui serve ended with {proc.returncode}:\n{out}")
        if time.monotonic() > deadline:
            pytest.fail(f"pledgetui serve did not listen on port {port} within {DEADLINE} s")


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Callable[..., str]]:
    """Start ``pledgetui serve`` on a free port (its own process group) and return its URL; every
    server started is stopped, with the dashboards it runs, when the test ends, failed or not."""
    started: list[subprocess.Popen[bytes]] = []

    def start(ledger: Path, *options: str) -> str:
        port = free_port()
        proc = subprocess.Popen(
            [sys.executable, "-m", "pledgetui", "serve", str(ledger), "--port", str(port), "--no-config", *options],
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # the server and the dashboards it runs are one process group
        )
        started.append(proc)
        wait_until_listening(proc, port)
        return f"http://127.0.0.1:{port}/"

    yield start
    for proc in started:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=10)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
        finally:
            try:  # a dashboard that outlived its server
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            if proc.stdout:
                proc.stdout.close()


class Screen:
    """What the page received on the terminal's websocket, as text (escape sequences taken out)."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.data = bytearray()
        self.mark = 0
        ws.on("framereceived", self._received)

    def _received(self, payload: str | bytes) -> None:
        if isinstance(payload, bytes):  # terminal output; text frames are the server's JSON messages
            self.data += payload

    def text(self, since: int = 0) -> str:
        return _ESCAPES.sub("", self.data[since:].decode("utf-8", errors="replace"))

    def since_mark(self) -> str:
        return self.text(self.mark)

    def set_mark(self) -> None:
        self.mark = len(self.data)

    def wait_for(self, *words: str) -> str:
        """Wait (at most DEADLINE) until the output since the mark holds every word; that output."""
        deadline = time.monotonic() + DEADLINE
        while not all(w in self.since_mark() for w in words):
            left = deadline - time.monotonic()
            if left <= 0:
                pytest.fail(f"the page never showed {words!r}; it received:\n{self.since_mark()[-3000:]}")
            try:
                self.ws.wait_for_event("framereceived", timeout=left * 1000)
            except Exception as exc:  # Playwright's TimeoutError
                if "Timeout" not in type(exc).__name__:
                    raise
        return self.since_mark()


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    sync_playwright = _browser_or_skip()
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


def open_dashboard(browser: Any, url: str) -> tuple[Any, Screen]:
    context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    page = context.new_page()
    with page.expect_websocket(timeout=DEADLINE * 1000) as opened:
        page.goto(url)
    screen = Screen(opened.value)
    page.wait_for_selector(".xterm-helper-textarea", state="attached", timeout=DEADLINE * 1000)
    page.focus(".xterm-helper-textarea")  # the keys go to the terminal
    return page, screen


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    return write_ledger(tmp_path / FOLDER, name=NAME)


def test_a_browser_tab_shows_the_ledger_and_read_only_refuses_an_edit(
    serve: Callable[..., str], browser: Any, ledger: Path, tmp_path: Path
) -> None:
    first = small_ledger().entries[0]
    before = ledger.read_bytes()
    url = serve(ledger, "--read-only")
    page, screen = open_dashboard(browser, url)
    try:
        shown = screen.wait_for(first.actor, first.id)  # the table's first row, the detail pane's id
        assert f"{NAME}  (read-only)" in shown  # the title: the name as one path, nothing run by a shell
        screen.set_mark()
        page.keyboard.press("e")
        after = screen.wait_for("Read-only")  # the notice's title
        assert "--read-only" in after  # the reason
        assert f"Edit {first.id}" not in after and "Cancel (esc)" not in after  # no form opened
    finally:
        page.screenshot(path=tmp_path / "serve-read-only.png")
    assert ledger.read_bytes() == before


def test_export_in_the_browser_is_a_download(
    serve: Callable[..., str], browser: Any, ledger: Path, tmp_path: Path
) -> None:
    url = serve(ledger)
    page, screen = open_dashboard(browser, url)
    try:
        first = small_ledger().entries[0]
        screen.wait_for(first.actor, first.id)  # the table and the detail pane: loaded
        screen.set_mark()
        page.keyboard.press("x")
        screen.wait_for("browser downloads it")
        # textual-serve's page opens the download's address in a new tab, which Chromium closes
        # at once: the download is reported to the page that opened it.
        with page.expect_download(timeout=DEADLINE * 1000) as started:
            page.keyboard.press("Control+s")
        download = started.value
        assert download.suggested_filename == "pledges-view.csv"
        saved = tmp_path / "downloaded.csv"
        download.save_as(saved)
    finally:
        page.screenshot(path=tmp_path / "serve-export.png")
    rows = list(csv.DictReader(io.StringIO(saved.read_text(encoding="utf-8-sig"))))
    assert [row["id"] for row in rows][:1] == [small_ledger().entries[0].id]
    assert not list(tmp_path.glob("pledges-view*")), "nothing is written on the server"


def test_each_tab_is_its_own_dashboard_and_only_the_first_edits(
    serve: Callable[..., str], browser: Any, ledger: Path, tmp_path: Path
) -> None:
    """Two tabs on one served ledger: two dashboards; the second opens read-only, saying the
    ledger is being edited, and its edit key opens no form while the first tab's does."""
    first = small_ledger().entries[0]
    url = serve(ledger)
    page1, screen1 = open_dashboard(browser, url)
    page2: Any = None
    try:
        screen1.wait_for(first.actor, first.id)
        page2, screen2 = open_dashboard(browser, url)
        shown = screen2.wait_for(first.actor, first.id)
        assert "(read-only)" in shown and "(read-only)" not in screen1.text()
        screen2.set_mark()
        page2.keyboard.press("e")
        page2.keyboard.press("d")
        page2.keyboard.press("?")  # keys are taken in order: once the help shows, e and d were handled
        after = screen2.wait_for("esc, ? or q to close")
        assert f"Edit {first.id}" not in after and "Delete pledge" not in after
        screen1.set_mark()
        page1.keyboard.press("e")
        screen1.wait_for(f"Edit {first.id}", "Cancel (esc)")  # the first tab edits
    finally:
        page1.screenshot(path=tmp_path / "serve-tab-1.png")
        if page2 is not None:
            page2.screenshot(path=tmp_path / "serve-tab-2.png")
