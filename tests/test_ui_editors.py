"""One editor at a time: a second dashboard on a ledger being edited opens read-only at once,
is offered the other session's saves, and can take over when it quits; ``--read-only``."""

from __future__ import annotations

import asyncio
import signal
import time
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from pledgetui import cli, editlock, journal
from pledgetui.session import EditSession
from pledgetui.ui import app as app_module
from pledgetui.ui.app import PledgeApp
from pledgetui.ui.screens.choice import ChoiceScreen
from pledgetui.ui.screens.edit_entry import EditEntry
from tests.lockholder import hold
from tests.pilot import Notices, press_and_settle, started

#: How long a test waits for what the file watcher offers before it fails.
DEADLINE = 10.0


async def until(pilot: Pilot[Any], condition: Any, what: str) -> None:
    """Let the app run until ``condition()`` holds; fail after :data:`DEADLINE` seconds."""
    end = time.monotonic() + DEADLINE
    while not condition():
        if time.monotonic() > end:
            raise AssertionError(f"still waiting for {what}")
        await pilot.pause(0.02)


@pytest.fixture(autouse=True)
def quick_watch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app_module, "WATCH_EVERY", 0.05)


def footer_actions(app: PledgeApp) -> set[str]:
    return {b.binding.action for b in app.screen.active_bindings.values()}


def choice(app: PledgeApp, title: str) -> bool:
    return isinstance(app.screen, ChoiceScreen) and app.screen.title_text == title


async def test_a_second_dashboard_opens_read_only_at_once_and_is_offered_the_first_ones_save(
    ledger_path: Path,
) -> None:
    first, second = PledgeApp(ledger_path), PledgeApp(ledger_path)
    notices = Notices()
    async with first.run_test(size=(120, 40)) as one:
        await started(first, one)
        assert first.why_read_only() is None
        async with second.run_test(size=(120, 40), message_hook=notices) as two:
            # at once: before the ledger has even loaded, the title and a notice say why
            assert "(read-only)" in second.sub_title
            said = [m for m in notices.messages if "read-only" in m]
            assert said and editlock.EDITING in said[0] and ledger_path.name in said[0]
            await started(second, two)
            assert "(read-only)" in second.sub_title
            assert second.session.read_only == editlock.EDITING
            # no editing key in the footer, and pressing one opens no form
            assert not footer_actions(second) & {"edit", "delete", "save", "undo", "add_copy"}
            await press_and_settle(second, two, "e")
            assert not isinstance(second.screen, EditEntry)
            await press_and_settle(second, two, "d")
            assert not isinstance(second.screen, ChoiceScreen)
            # reached anyway (not through a key): refused with a notice, nothing edited
            second.controller.edit(second.session.ledger.entries[0])
            await two.pause()
            assert not isinstance(second.screen, EditEntry)
            assert "is opened read-only" in notices.messages[-1]
            assert not second.session.dirty

            # the first edits and saves: the second is offered a reload that shows the new entry
            second.dashboard.go_to_entry("france-ground")
            await two.pause()
            added = first.session.ledger.entry("uk-ground").model_copy(update={"id": "added-by-first"})
            first.session.put_entry(added)
            first.session.save()
            await until(two, lambda: choice(second, "The ledger was saved elsewhere"), "the reload offer")
            assert second.session.ledger.entry("added-by-first") is None
            await press_and_settle(second, two, "r")
            assert second.session.ledger.entry("added-by-first") is not None
            assert second.dashboard.current is not None and second.dashboard.current.id == "france-ground"
            assert second.why_read_only() is not None  # still read-only: the first still edits
            assert "added-by-first" in [p.id for p in second.dashboard.visible_entries()]


async def test_when_the_editor_quits_the_read_only_dashboard_offers_to_take_over(ledger_path: Path) -> None:
    holder = editlock.EditLock.take(ledger_path)  # another session editing
    assert holder is not None
    app = PledgeApp(ledger_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(app, pilot)
        assert app.why_read_only() == editlock.EDITING
        # the other session saves a change and quits
        other = EditSession.open(ledger_path)
        other.delete_entry("russia-mfa")
        other.save()
        holder.release()
        await until(pilot, lambda: choice(app, "The other session closed the ledger"), "the take-over offer")
        await press_and_settle(app, pilot, "e")
        assert app.why_read_only() is None and app.session.read_only is None
        assert app.session.ledger.entry("russia-mfa") is None  # read again before editing
        assert "edit" in footer_actions(app) and "(read-only)" not in app.sub_title
        assert editlock.held_elsewhere(ledger_path)  # this dashboard holds the lock now
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, EditEntry)
    assert not editlock.held_elsewhere(ledger_path)  # released at quit


async def test_the_watcher_of_a_read_only_dashboard_outlives_the_ledger_turned_into_a_link_loop(
    ledger_path: Path,
) -> None:
    """The file watched by a read-only dashboard is replaced by a link to itself: a file that can
    no longer be read, not a crash of the dashboard showing it."""
    holder = editlock.EditLock.take(ledger_path)
    assert holder is not None
    app = PledgeApp(ledger_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(app, pilot)
        assert app.why_read_only() == editlock.EDITING
        ledger_path.unlink()
        ledger_path.symlink_to(ledger_path.name)
        holder.release()
        await pilot.pause(0.5)  # ten turns of the watcher
        assert app.is_running and app.return_code is None
        assert app.session is not None and app.session.ledger.entry("russia-mfa") is not None


# The child holds the edit lock (a dashboard editing the ledger) until killed.


async def test_a_killed_editor_does_not_keep_the_next_dashboard_read_only(ledger_path: Path) -> None:
    child = hold(ledger_path)
    try:
        assert child.stdout is not None and child.stdout.readline().split() == ["held"]
        child.send_signal(signal.SIGKILL)
        assert await asyncio.to_thread(child.wait) == -signal.SIGKILL
    finally:
        child.kill()
        child.wait()
    app = PledgeApp(ledger_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(app, pilot)
        assert app.why_read_only() is None and "(read-only)" not in app.sub_title
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, EditEntry)


async def test_read_only_given_hides_every_edit_and_takes_no_lock(ledger_path: Path) -> None:
    session = EditSession.open(ledger_path)
    session.delete_entry("russia-mfa")
    session.close()  # a crash: its edits wait in the journal
    app = PledgeApp(ledger_path, read_only=cli.READ_ONLY_FLAG)
    notices = Notices()
    async with app.run_test(size=(120, 40), message_hook=notices) as pilot:
        await started(app, pilot)
        assert "(read-only)" in app.sub_title
        assert any("opened with --read-only" in m for m in notices.messages)
        assert not editlock.held_elsewhere(ledger_path)  # another session may still edit it
        assert not isinstance(app.screen, ChoiceScreen)  # the recovery is left to a session that edits
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert "Filter the table" in titles
        assert not titles & {"Edit the highlighted entry", "Delete the highlighted entry", "Save", "Undo"}
        await press_and_settle(app, pilot, "ctrl+s")
        await press_and_settle(app, pilot, "A")
        assert not isinstance(app.screen, EditEntry | ChoiceScreen)
    assert journal.pending(ledger_path) is not None  # untouched


def test_the_read_only_flag_of_the_command_line(monkeypatch: pytest.MonkeyPatch, ledger_path: Path) -> None:
    assert cli.dashboard_parser().parse_args([str(ledger_path), "--read-only"]).read_only is True
    assert cli.dashboard_parser().parse_args([str(ledger_path)]).read_only is False
    seen: list[tuple[str | None, str | None]] = []

    def fake_run(ledger: str | None, *, no_config: bool = False, read_only: str | None = None) -> int:
        seen.append((ledger, read_only))
        return 0

    monkeypatch.setattr(cli, "run_dashboard", fake_run)
    assert cli.main([str(ledger_path), "--read-only"]) == 0
    assert cli.main([str(ledger_path)]) == 0
    assert seen == [(str(ledger_path), "opened with --read-only"), (str(ledger_path), None)]


async def test_the_quote_viewer_of_a_read_only_dashboard_has_no_key_that_edits(ledger_path: Path) -> None:
    from pledgetui.ui.screens.quote_viewer import QuoteViewer

    for read_only, expected in ((None, True), (cli.READ_ONLY_FLAG, False)):
        app = PledgeApp(ledger_path, read_only=read_only)
        async with app.run_test(size=(120, 40)) as pilot:
            await started(app, pilot)
            await press_and_settle(app, pilot, "v")
            assert isinstance(app.screen, QuoteViewer)
            actions = footer_actions(app)
            assert ("attach_new" in actions) is expected and ("attach" in actions) is expected


async def test_a_reload_declined_is_not_asked_again_until_the_next_save(ledger_path: Path) -> None:
    holder = editlock.EditLock.take(ledger_path)
    assert holder is not None
    try:
        app = PledgeApp(ledger_path)
        async with app.run_test(size=(120, 40)) as pilot:
            await started(app, pilot)
            other = EditSession.open(ledger_path)
            other.delete_entry("russia-mfa")
            other.save()
            await until(pilot, lambda: choice(app, "The ledger was saved elsewhere"), "the reload offer")
            await press_and_settle(app, pilot, "escape")  # Not now
            assert app.session.ledger.entry("russia-mfa") is not None
            # the same save is not offered twice: the watcher runs again and asks nothing
            ticks = app._watch_ledger_file
            for _ in range(3):
                ticks()
                await pilot.pause()
            assert not isinstance(app.screen, ChoiceScreen)
            other.delete_entry("uk-ground")
            other.save()
            await until(pilot, lambda: choice(app, "The ledger was saved elsewhere"), "the second reload offer")
            await press_and_settle(app, pilot, "r")
            assert app.session.ledger.entry("russia-mfa") is None and app.session.ledger.entry("uk-ground") is None
    finally:
        holder.release()


# The child is a dashboard's session: it holds the edit lock, makes an edit (journaled) and
# keeps editing until killed.


async def test_taking_over_from_a_killed_editor_offers_its_unsaved_edits(ledger_path: Path) -> None:
    child = hold(ledger_path, edit=True)
    try:
        assert child.stdout is not None and child.stdout.readline().split() == ["held"]
        app = PledgeApp(ledger_path)
        async with app.run_test(size=(120, 40)) as pilot:
            await started(app, pilot)
            assert app.why_read_only() == editlock.EDITING
            child.send_signal(signal.SIGKILL)
            assert await asyncio.to_thread(child.wait) == -signal.SIGKILL
            await until(pilot, lambda: choice(app, "The other session closed the ledger"), "the take-over offer")
            await press_and_settle(app, pilot, "e")
            await until(pilot, lambda: choice(app, "Recover unsaved edits"), "the recovery prompt")
            await press_and_settle(app, pilot, "r")
            assert app.session.ledger.entry("russia-mfa") is None and app.session.dirty
    finally:
        child.kill()
        child.wait()
