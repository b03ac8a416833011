"""Pilot tests of local editing: the form, undo/redo, saving, conflicts, quitting, recovery, import, export."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from pledgetui import canonical, journal, ledgerfile, store
from pledgetui.session import EditSession
from pledgetui.ui.app import PledgeApp
from pledgetui.ui.screens.choice import ChoiceScreen
from pledgetui.ui.screens.edit_entry import EditEntry
from tests.factory import OUTSIDE_SUMMARY, outside_change
from tests.pilot import Notices, edit_current, fill, new_pledge_from_passage, press_and_settle, started


async def test_edit_save_reload_equal_and_undo_redo(ledger_path: Path) -> None:
    app = PledgeApp(ledger_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(app, pilot)
        original = app.session.ledger
        first = app.dashboard.table.current_entry.id
        await edit_current(app, pilot, summary="First edit", ev0_status="announced", numbers="troops: 1,000-5,000")
        assert not isinstance(app.screen, EditEntry)
        await edit_current(app, pilot, notes="Second edit: a note with [/bold] brackets")
        await edit_current(app, pilot, ev0_claimant="Third edit claimant", ev0_stated="2026-01-06")
        edited = app.session.ledger.entry(first)
        assert edited.summary == "First edit" and edited.status.value == "announced"
        assert (edited.numbers[0].low, edited.numbers[0].high) == (1000, 5000)
        assert edited.notes.startswith("Second edit") and edited.claimant == "Third edit claimant"
        assert "unsaved" in app.sub_title
        assert ledger_path.read_bytes() == canonical.dumps(original)  # nothing written before saving

        after_three = app.session.ledger
        await pilot.press("ctrl+z", "ctrl+z")
        assert app.session.ledger.entry(first).summary == "First edit"
        assert app.session.ledger.entry(first).notes == ""
        await pilot.press("ctrl+z")
        assert app.session.ledger == original and not app.session.dirty
        assert "unsaved" not in app.sub_title
        await pilot.press("ctrl+y", "ctrl+y", "ctrl+y")
        assert app.session.ledger == after_three

        await press_and_settle(app, pilot, "ctrl+s")
        await pilot.pause()
        assert "unsaved" not in app.sub_title
        assert app.dashboard.table.current_entry.id == first
    assert store.load(ledger_path).ledger == after_three
    assert ledger_path.with_name(ledger_path.name + ".bak").read_bytes() == canonical.dumps(original)


async def test_a_statement_s_relay_is_set_in_the_form_shown_in_the_detail_pane_and_saved(ledger_path: Path) -> None:
    from pledgetui.ui.widgets.detail import DetailPane

    app = PledgeApp(ledger_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(app, pilot)
        first = app.dashboard.table.current_entry.id
        form = await edit_current(app, pilot, ev0_relayed_by="  a002 author  ")
        assert not isinstance(app.screen, EditEntry), form.errors
        edited = app.session.ledger.entry(first)
        assert edited.evidence[0].relayed_by == "a002 author"
        await pilot.pause()
        assert f"{edited.evidence[0].claimant} (relayed by a002 author)" in app.query_one(DetailPane).text
        await press_and_settle(app, pilot, "ctrl+s")
        await edit_current(app, pilot, ev0_relayed_by="")
        assert app.session.ledger.entry(first).evidence[0].relayed_by == ""
        assert "relayed by" not in app.query_one(DetailPane).text
    saved = store.load(ledger_path).ledger.entry(first)
    assert saved.evidence[0].relayed_by == "a002 author"
    assert b'relayed_by = "a002 author"' in ledger_path.read_bytes()


async def test_invalid_edit_is_refused_with_the_field_named(ledger_path: Path) -> None:
    before = ledger_path.read_bytes()
    app = PledgeApp(ledger_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(app, pilot)
        original = app.session.ledger
        form = await edit_current(app, pilot, id="Bad Id!", summary="", ev0_stated="yesterday")
        assert app.screen is form
        assert set(form.errors) >= {"id", "summary", "statement-0"}
        assert "stated" in str(form.query_one("#error-statement-0").content)
        assert str(form.query_one("#error-id").content)
        # a duplicate id is refused too, against the ledger
        other = app.session.ledger.entries[1].id
        form.query_one("#in-id").value = other
        form.query_one("#in-summary").value = "ok"
        form.query_one("#in-ev0-stated").value = ""
        await press_and_settle(app, pilot, "ctrl+s")
        await pilot.pause()
        assert app.screen is form and "id" in form.errors
        await pilot.press("escape")  # a changed form asks first
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("d")  # discard
        await pilot.pause()
        assert app.screen is app.dashboard
        assert app.session.ledger == original and not app.session.dirty
    assert ledger_path.read_bytes() == before


async def test_escape_cancels_with_nothing_changed(ledger_path: Path) -> None:
    app = PledgeApp(ledger_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(app, pilot)
        original = app.session.ledger
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, EditEntry)
        form.query_one("#in-summary").value = "typed but cancelled"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)  # a changed form asks before dropping the change
        await pilot.press("d")
        await pilot.pause()
        assert app.screen is app.dashboard and form not in app.screen_stack  # the form is gone
        assert app.session.ledger == original and not app.session.can_undo and not app.session.dirty
        assert app.dashboard.table.current_entry.summary == original.entries[0].summary


async def test_delete_asks_and_undo_restores(ledger_path: Path) -> None:
    app = PledgeApp(ledger_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(app, pilot)
        victim = app.dashboard.table.current_entry.id
        n = len(app.session.ledger.entries)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("n")
        await pilot.pause()
        assert len(app.session.ledger.entries) == n
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert app.session.ledger.entry(victim) is None and len(app.dashboard.table.view) == n - 1
        await pilot.press("u")
        assert app.session.ledger.entry(victim) is not None


async def test_copy_adds_a_new_pledge(ledger_path: Path) -> None:
    app = PledgeApp(ledger_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(app, pilot)
        source = app.dashboard.table.current_entry
        await pilot.press("A")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, EditEntry)
        new_id = form.query_one("#in-id").value
        assert new_id != source.id
        form.query_one("#in-actor").value = "Norway"
        await press_and_settle(app, pilot, "ctrl+s")
        await pilot.pause()
        added = app.session.ledger.entry(new_id)
        assert added is not None and added.actor == "Norway" and added.evidence == source.evidence
        assert app.dashboard.table.current_entry.id == new_id


async def _conflict_offered(app: PledgeApp, pilot, ledger_path: Path) -> bytes:
    """Edit the first entry's summary, let another writer change the file, press ctrl+s:
    the conflict question is asked and nothing is written. Returns the file's bytes."""
    await edit_current(app, pilot, summary="my edit")
    assert app.session.dirty
    app.watching = False  # the save's question, not the watcher's (which would ask within a second)
    theirs = outside_change(ledger_path)
    await press_and_settle(app, pilot, "ctrl+s")
    prompt = app.screen
    assert isinstance(prompt, ChoiceScreen) and prompt.title_text == "The file changed on disk"
    assert [(key, value) for key, value, _ in prompt.choices] == [
        ("m", "merge"),
        ("c", "copy"),
        ("r", "reload"),
        ("o", "overwrite"),
    ]
    assert ledger_path.read_bytes() == theirs
    assert not ledger_path.with_name("pledges.toml.bak").exists()
    assert app.session.dirty
    return theirs


async def test_conflict_save_a_copy_writes_the_copy_and_leaves_the_file_unchanged(ledger_path: Path) -> None:
    app = PledgeApp(ledger_path)
    notices = Notices()
    async with app.run_test(size=(120, 40), message_hook=notices) as pilot:
        await started(app, pilot)
        theirs = await _conflict_offered(app, pilot, ledger_path)
        mine = app.session.ledger
        await pilot.press("c")  # save a copy
        await pilot.pause()
        assert app.screen is app.dashboard
        copy = ledger_path.with_name("pledges.copy.toml")
        assert store.load(copy).ledger == mine and mine.entry("uk-ground").summary == "my edit"
        assert {s.file for s in mine.sources} <= {p.name for p in (copy.parent / "seeds").iterdir()}
        assert ledger_path.read_bytes() == theirs
        assert not ledger_path.with_name("pledges.toml.bak").exists()
        assert app.session.ledger is mine and app.session.dirty and "unsaved" in app.sub_title
        assert app.dashboard.table.current_entry.summary == "my edit"  # the view still shows my version
        assert any(str(copy) in m and "unchanged" in m for m in notices.messages)
    assert ledger_path.read_bytes() == theirs


async def test_conflict_reload_drops_the_edits_and_shows_the_file(ledger_path: Path) -> None:
    app = PledgeApp(ledger_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(app, pilot)
        theirs = await _conflict_offered(app, pilot, ledger_path)
        jpath = app.session.journal_path
        assert jpath is not None and jpath.exists()
        await press_and_settle(app, pilot, "r")  # reload (in a worker)
        assert app.screen is app.dashboard
        assert canonical.dumps(app.session.ledger) == theirs
        assert not app.session.dirty and not app.session.can_undo and "unsaved" not in app.sub_title
        shown = {p.id: p.summary for p in app.dashboard.visible_entries()}
        assert shown == {p.id: p.summary for p in ledgerfile.loads(theirs).entries}
        assert shown["ireland-ground"] == OUTSIDE_SUMMARY and "russia-mfa" not in shown  # the outside change
        assert "my edit" not in shown.values()  # my edit is dropped
        assert app.dashboard.ledger is app.session.ledger
        assert str(app.dashboard.query_one("#count").content).startswith("3 of 3 pledges")
        assert not jpath.exists()  # the dropped edits are not offered for recovery either
    assert ledger_path.read_bytes() == theirs
    assert journal.pending(ledger_path) is None


async def test_conflict_overwrite_writes_my_version_and_keeps_a_backup(ledger_path: Path) -> None:
    original = store.load(ledger_path).ledger
    app = PledgeApp(ledger_path)
    notices = Notices()
    async with app.run_test(size=(120, 40), message_hook=notices) as pilot:
        await started(app, pilot)
        theirs = await _conflict_offered(app, pilot, ledger_path)
        mine = app.session.ledger
        await press_and_settle(app, pilot, "o")  # overwrite (a save in the background)
        assert app.screen is app.dashboard
        assert not app.controller.saving and not app.session.dirty and "unsaved" not in app.sub_title
        assert app.session.ledger is mine
        assert any(m.startswith("Saved ") for m in notices.messages)
    on_disk = store.load(ledger_path).ledger
    assert on_disk == mine and on_disk.entry("uk-ground").summary == "my edit"
    # the outside change is gone: ireland-ground's summary and russia-mfa are as I had them
    assert on_disk.entry("ireland-ground").summary == original.entry("ireland-ground").summary != OUTSIDE_SUMMARY
    assert on_disk.entry("russia-mfa") is not None
    assert ledger_path.with_name("pledges.toml.bak").read_bytes() == theirs  # the overwritten version is kept
    assert journal.pending(ledger_path) is None


async def test_quit_with_unsaved_changes_asks(ledger_path: Path) -> None:
    app = PledgeApp(ledger_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(app, pilot)
        await edit_current(app, pilot, summary="unsaved")
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running and app.session.dirty
        await pilot.press("q")
        await pilot.pause()
        await press_and_settle(app, pilot, "s")  # save and quit
        await pilot.pause()
    assert store.load(ledger_path).ledger.entries[0].summary == "unsaved"
    assert journal.pending(ledger_path) is None


async def test_a_key_pressed_twice_at_a_question_is_one_answer(ledger_path: Path) -> None:
    """ "ss" typed fast at the quit question saves and quits once (a second dismiss of the
    question popped a screen that was gone, a traceback at exit)."""
    app = PledgeApp(ledger_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(app, pilot)
        await edit_current(app, pilot, summary="saved once")
        await pilot.press("q")
        await pilot.pause()
        question = app.screen
        assert isinstance(question, ChoiceScreen)
        from textual import events

        # both keys reach the question before it has gone (as keys typed fast in a terminal do)
        question.on_key(events.Key("s", "s"))
        question.on_key(events.Key("s", "s"))
        await pilot.pause()
    assert app.return_code in (0, None)
    assert store.load(ledger_path).ledger.entries[0].summary == "saved once"


async def test_save_failure_is_reported_and_nothing_lost(ledger_path: Path, monkeypatch) -> None:
    import os

    before = ledger_path.read_bytes()
    app = PledgeApp(ledger_path)
    notices = Notices()
    async with app.run_test(size=(120, 40), message_hook=notices) as pilot:
        await started(app, pilot)
        await edit_current(app, pilot, summary="kept in memory")

        def broken_replace(*args, **kwargs):
            raise OSError(28, "No space left on device")

        with monkeypatch.context() as patched:
            patched.setattr(os, "replace", broken_replace)
            await press_and_settle(app, pilot, "ctrl+s")
            await pilot.pause()
        assert app.session.dirty and "unsaved" in app.sub_title
        messages = notices.messages
        assert any("No space left on device" in m and "unchanged" in m for m in messages), messages
        assert journal.pending(ledger_path) is not None
    assert ledger_path.read_bytes() == before


async def test_recovery_is_offered_and_restores_exactly(ledger_path: Path) -> None:
    crashed = EditSession.open(ledger_path)
    pledge = crashed.ledger.entries[0]
    crashed.put_entry(pledge.model_copy(update={"summary": "edit before the crash"}))
    crashed.delete_entry(crashed.ledger.entries[2].id)
    expected = crashed.ledger
    crashed.close()  # the process dies here: nothing saved, the journal stays

    app = PledgeApp(ledger_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(app, pilot)
        assert isinstance(app.screen, ChoiceScreen)
        await press_and_settle(app, pilot, "r")
        assert app.session.ledger == expected and app.session.dirty
        await press_and_settle(app, pilot, "ctrl+s")
        await pilot.pause()
    assert store.load(ledger_path).ledger == expected
    assert journal.pending(ledger_path) is None


def _crash_with_two_edits(ledger_path: Path):
    """A session that edits and deletes, then ends without saving (as a killed process would):
    its journal stays for the next start to offer. Returns the ledger it held."""
    crashed = EditSession.open(ledger_path)
    crashed.put_entry(crashed.ledger.entries[0].model_copy(update={"summary": "edit before the crash"}))
    crashed.delete_entry("russia-mfa")
    edited = crashed.ledger
    crashed.close()
    found = journal.pending(ledger_path)
    assert found is not None and found.edits == 2
    return edited


async def _recovery_offered(app: PledgeApp, pilot) -> ChoiceScreen:
    await started(app, pilot)
    prompt = app.screen
    assert isinstance(prompt, ChoiceScreen) and prompt.title_text == "Recover unsaved edits"
    assert "2 unsaved edit(s)" in str(prompt.message)
    assert [(key, value) for key, value, _ in prompt.choices] == [("r", "restore"), ("d", "discard"), ("l", "later")]
    return prompt


async def test_recovery_discard_drops_the_pending_edits_for_good(ledger_path: Path) -> None:
    before = ledger_path.read_bytes()
    _crash_with_two_edits(ledger_path)
    jpath = journal.journal_path(ledger_path)
    app = PledgeApp(ledger_path)
    notices = Notices()
    async with app.run_test(size=(120, 40), message_hook=notices) as pilot:
        await _recovery_offered(app, pilot)
        await pilot.press("d")
        await pilot.pause()
        assert app.screen is app.dashboard
        assert app.session.ledger == ledgerfile.loads(before) and not app.session.dirty and not app.session.can_undo
        shown = {p.id: p.summary for p in app.dashboard.visible_entries()}
        assert "russia-mfa" in shown and "edit before the crash" not in shown.values()
        assert not jpath.exists() and journal.pending(ledger_path) is None
        assert any("discarded" in m for m in notices.messages)
        await pilot.press("q")
        await pilot.pause()
    assert ledger_path.read_bytes() == before
    assert list(jpath.parent.iterdir()) == []  # deleted, not set aside

    again = PledgeApp(ledger_path)  # the next start offers nothing
    async with again.run_test(size=(120, 40)) as pilot:
        await started(again, pilot)
        assert again.screen is again.dashboard and len(again.screen_stack) == 1
        assert again.session.ledger == ledgerfile.loads(before) and not again.session.dirty
    assert ledger_path.read_bytes() == before


async def test_recovery_later_keeps_the_pending_edits_offered(ledger_path: Path) -> None:
    before = ledger_path.read_bytes()
    edited = _crash_with_two_edits(ledger_path)
    jpath = journal.journal_path(ledger_path)
    kept = jpath.read_bytes()
    app = PledgeApp(ledger_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await _recovery_offered(app, pilot)
        await pilot.press("l")
        await pilot.pause()
        assert app.screen is app.dashboard
        assert app.session.ledger == ledgerfile.loads(before) and not app.session.dirty  # nothing restored
        assert jpath.read_bytes() == kept
        await pilot.press("q")  # nothing unsaved in this session: it quits at once
        await pilot.pause()
        assert not app.is_running
    assert ledger_path.read_bytes() == before
    assert jpath.read_bytes() == kept
    found = journal.pending(ledger_path)
    assert found is not None and found.edits == 2

    again = PledgeApp(ledger_path)  # the next start offers the same edits, and they still restore
    async with again.run_test(size=(120, 40)) as pilot:
        await _recovery_offered(again, pilot)
        await press_and_settle(again, pilot, "r")
        assert again.session.ledger == edited and again.session.dirty
    assert ledger_path.read_bytes() == before


async def test_import_article_adds_a_source(ledger_path: Path, tmp_path: Path) -> None:
    article = tmp_path / "new report.txt"
    article.write_text("Norway said it would send two frigates [/bold] once a ceasefire holds.\n", encoding="utf-8")
    app = PledgeApp(ledger_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(app, pilot)
        await pilot.press("i")
        await pilot.pause()
        screen = app.screen
        screen.query_one("#imp-path").value = str(article)
        screen.query_one("#imp-title").value = "Norway report"
        screen.query_one("#imp-date").value = "2026-02-01"
        await pilot.pause()
        await press_and_settle(app, pilot, "ctrl+s")
        await pilot.pause()
        source = app.session.ledger.sources[-1]
        assert source.title == "Norway report" and source.file == "new_report.txt"
        assert (ledger_path.parent / "seeds" / "new_report.txt").read_bytes() == article.read_bytes()


async def test_import_refuses_non_utf8(ledger_path: Path, tmp_path: Path) -> None:
    article = tmp_path / "latin1.txt"
    article.write_bytes("caf\xe9".encode("latin-1"))
    app = PledgeApp(ledger_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(app, pilot)
        n = len(app.session.ledger.sources)
        await pilot.press("i")
        await pilot.pause()
        app.screen.query_one("#imp-path").value = str(article)
        app.screen.query_one("#imp-title").value = "x"
        await pilot.pause()
        await press_and_settle(app, pilot, "ctrl+s")
        await pilot.pause()
        assert "UTF-8" in str(app.screen.query_one("#imp-error-path").content)
        assert len(app.session.ledger.sources) == n


async def test_export_from_dashboard_writes_the_filtered_sorted_view(ledger_path: Path, tmp_path: Path) -> None:
    target = tmp_path / "view.csv"
    app = PledgeApp(ledger_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(app, pilot)
        app.dashboard.set_filter("-kind:counter")
        await pilot.press("1", "1")  # actor, descending
        expected = [p.id for p in app.dashboard.visible_entries()]
        assert 0 < len(expected) < len(app.session.ledger.entries)
        await pilot.press("x")
        await pilot.pause()
        app.screen.query_one("#export-path").value = str(target)
        await press_and_settle(app, pilot, "ctrl+s")
        await pilot.pause()
        assert app.dashboard.last_export == (target, len(expected))
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert [r["id"] for r in rows] == expected
    assert all(r["kind"] == "pledge" for r in rows)


async def test_pick_a_passage_in_the_viewer_and_attach_it(ledger_path: Path) -> None:
    from pledgetui.anchors import locate
    from pledgetui.ui.screens.quote_viewer import ArticleView, QuoteViewer

    app = PledgeApp(ledger_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(app, pilot)
        pledge = app.dashboard.table.current_entry
        await pilot.press("v")
        await pilot.pause()
        viewer = app.screen
        assert isinstance(viewer, QuoteViewer)
        text = app.articles.text(app.ledger, viewer.current_source_id)
        wanted = "The ‘Multinational Force for Ukraine’ will act as a reassurance force"
        start = text.index(wanted)
        view = viewer.query_one(ArticleView)
        # select with the keyboard: put the cursor at the start, then shift+right across the passage
        view.move_cursor(view.location_of(start))
        await pilot.press(*["shift+right"] * len(wanted))
        assert viewer.selected_span() == (start, start + len(wanted))
        await pilot.press("a")
        await pilot.pause()
        # the new statement opens in the edit form: its stance is the reader's to set
        form = app.screen
        assert isinstance(form, EditEntry)
        n = len(pledge.evidence)
        assert app.session.ledger.entry(pledge.id) == pledge  # nothing applied yet
        # what is typed goes to the new statement's claimant, never over the entry's id
        claimant = form.query_one(f"#in-ev{n}-claimant")
        assert app.focused is claimant
        await pilot.press(*"Downing")
        assert claimant.value == "Downing" and form.query_one("#in-id").value == pledge.id
        claimant.value = ""
        await press_and_settle(app, pilot, "ctrl+s")
        assert app.screen is form and f"statement-{n}" in form.errors  # claimant and status are required
        form.query_one(f"#in-ev{n}-claimant").value = "Downing Street statement"
        form.query_one(f"#in-ev{n}-status").value = "announced"
        await press_and_settle(app, pilot, "ctrl+s")
        assert app.screen is viewer
        updated = app.session.ledger.entry(pledge.id)
        assert len(updated.evidence) == len(pledge.evidence) + 1
        ev = updated.evidence[-1]
        assert (ev.quote, ev.start, ev.end) == (wanted, start, start + len(wanted))
        assert (
            text[ev.start - len(ev.prefix) : ev.start] == ev.prefix
            and text[ev.end : ev.end + len(ev.suffix)] == ev.suffix
        )
        assert locate(text, ev.quote, ev.prefix, ev.suffix, ev.start, ev.end).status.value == "exact"
        assert viewer.highlight == (start, start + len(wanted))
        # the same passage, selected again, as the first quote of a new pledge
        await new_pledge_from_passage(
            app,
            pilot,
            view,
            start,
            len(wanted),
            actor="Poland",
            summary="New pledge from a picked passage",
            ev0_claimant="Downing Street statement",
            commitment="ground_troops",
            ev0_status="announced",
        )
        assert app.screen is viewer
        new = [p for p in app.session.ledger.entries if p.actor == "Poland"]
        assert len(new) == 1 and new[0].evidence[0].quote == wanted
        # the session's first new entry is new-entry, and the viewer shows it once applied
        assert new[0].id == "new-entry"
        assert (viewer.current_entry_id, viewer.current_index) == ("new-entry", 0)
        assert viewer.highlight == (start, start + len(wanted))


async def test_a_problem_goes_from_under_a_field_once_it_is_filled_in(ledger_path: Path) -> None:
    app = PledgeApp(ledger_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(app, pilot)
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, EditEntry)
        fill(form, actor="", summary="", ev0_claimant="")
        await press_and_settle(app, pilot, "ctrl+s")
        assert app.screen is form and {"actor", "summary", "statement-0"} <= set(form.errors)
        fill(form, actor="Poland", ev0_claimant="Warsaw")
        await pilot.pause()
        assert str(form.query_one("#error-actor").render()).strip() == ""
        assert not form.query_one("#error-actor").has_class("-shown")
        assert "claimant" not in str(form.query_one("#error-statement-0").render())
        assert "must not be empty" in str(form.query_one("#error-summary").render())  # not filled in: stays


async def test_attaching_from_an_article_the_entry_does_not_quote_asks_first(ledger_path: Path) -> None:
    from pledgetui.ui.screens.choice import ChoiceScreen
    from pledgetui.ui.screens.quote_viewer import ArticleView, QuoteViewer

    app = PledgeApp(ledger_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(app, pilot)
        await pilot.press("v")
        await pilot.pause()
        viewer = app.screen
        assert isinstance(viewer, QuoteViewer)
        entry = viewer.entry
        other = next(s.id for s in app.session.ledger.sources if s.id not in entry.source_ids)
        viewer.show_source(other)
        await pilot.pause()
        assert "asks first" in str(viewer.query_one("#qv-status").render())
        view = viewer.query_one(ArticleView)
        view.move_cursor(view.location_of(0))
        await pilot.press(*["shift+right"] * 30)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)  # no form yet: the question first
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is viewer and app.session.ledger.entry(entry.id) == entry
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, EditEntry)  # asked and answered: the form for the new statement


async def test_attach_without_selection_changes_nothing(ledger_path: Path) -> None:
    from pledgetui.ui.screens.quote_viewer import QuoteViewer

    app = PledgeApp(ledger_path)
    notices = Notices()
    async with app.run_test(size=(120, 40), message_hook=notices) as pilot:
        await started(app, pilot)
        original = app.session.ledger
        await pilot.press("v")
        await pilot.pause()
        viewer = app.screen
        assert isinstance(viewer, QuoteViewer) and viewer.selected_span() is None
        for key in ("a", "N"):  # attach to this entry, or start a new one: neither without a passage
            await pilot.press(key)
            await pilot.pause()
            assert app.screen is viewer  # no edit form opened
        assert app.session.ledger is original and not app.session.dirty and not app.session.can_undo
        assert sum("Select a passage first" in m for m in notices.messages) == 2


async def test_export_from_dashboard_refuses_the_ledger_file(ledger_path: Path) -> None:
    before = ledger_path.read_bytes()
    app = PledgeApp(ledger_path)
    notices = Notices()
    async with app.run_test(size=(120, 40), message_hook=notices) as pilot:
        await started(app, pilot)
        await pilot.press("x")
        await pilot.pause()
        app.screen.query_one("#export-path").value = str(ledger_path)
        await press_and_settle(app, pilot, "ctrl+s")
        await pilot.pause()
        assert app.dashboard.last_export is None
        assert any("refusing to export over" in m for m in notices.messages)
    assert ledger_path.read_bytes() == before


async def test_editing_one_field_leaves_the_others_exactly_as_stored(tmp_path: Path) -> None:
    from pledgetui.model import Quantity
    from tests.factory import small_ledger, write_ledger

    ledger = small_ledger()
    first = ledger.entries[0].model_copy(
        update={
            "numbers": (Quantity(label="troops", high=10000), Quantity(label="ships", low=3, high=3)),
            "conditions": ledger.entries[0].conditions[::-1],
            "notes": "  indented note with trailing space  ",
        }
    )
    path = write_ledger(tmp_path / "l", ledger.model_copy(update={"entries": (first, *ledger.entries[1:])}))
    app = PledgeApp(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(app, pilot)
        await edit_current(app, pilot, summary="only the summary changes")
        after = app.session.ledger.entry(first.id)
        assert after.summary == "only the summary changes"
        assert after.model_copy(update={"summary": first.summary}) == first
        # a high-only amount typed in the form stays high-only
        await edit_current(app, pilot, numbers="troops: up to 20,000")
        assert app.session.ledger.entry(first.id).numbers == (Quantity(label="troops", high=20000),)


async def test_quitting_after_undoing_everything_leaves_nothing_to_recover(ledger_path: Path) -> None:
    before = ledger_path.read_bytes()
    app = PledgeApp(ledger_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(app, pilot)
        victim = app.dashboard.table.current_entry.id
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert app.session.ledger.entry(victim) is None  # the delete was made and journaled
        jpath = app.session.journal_path
        assert jpath is not None and jpath.exists()
        await pilot.press("u")
        await pilot.pause()
        assert app.session.ledger.entry(victim) is not None and not app.session.dirty and app.session.can_redo
        assert jpath.exists()  # undone, but its journal is still there until the session ends
        await pilot.press("q")
        await pilot.pause()
        assert not isinstance(app.screen, ChoiceScreen)  # nothing unsaved: no question
        assert not app.is_running
    assert not jpath.exists()
    assert journal.pending(ledger_path) is None
    assert ledger_path.read_bytes() == before


async def test_an_imported_article_can_be_opened_and_quoted(ledger_path: Path, tmp_path: Path) -> None:
    from pledgetui.ui.screens.quote_viewer import ArticleView, QuoteViewer, SourcePicker

    article = tmp_path / "norway.txt"
    text = "Oslo, 2 Feb. Norway will send two frigates once a ceasefire holds, the defence minister said.\n"
    article.write_text(text, encoding="utf-8")
    app = PledgeApp(ledger_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(app, pilot)
        await pilot.press("i")
        await pilot.pause()
        app.screen.query_one("#imp-path").value = str(article)
        app.screen.query_one("#imp-title").value = "Norway report"
        await pilot.pause()
        await press_and_settle(app, pilot, "ctrl+s")
        await pilot.pause()
        source_id = app.session.ledger.sources[-1].id
        await pilot.press("escape")  # the import goes on to the article's candidate statements
        await pilot.pause()
        await pilot.press("v")
        await pilot.pause()
        viewer = app.screen
        assert isinstance(viewer, QuoteViewer)
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, SourcePicker)
        await pilot.press("end", "enter")
        await pilot.pause()
        assert app.screen is viewer and viewer.browsing and viewer.current_source_id == source_id
        wanted = "Norway will send two frigates once a ceasefire holds"
        start = text.index(wanted)
        view = viewer.query_one(ArticleView)
        await new_pledge_from_passage(
            app,
            pilot,
            view,
            start,
            len(wanted),
            actor="Norway",
            summary="Two frigates after a ceasefire",
            ev0_claimant="Norwegian defence minister",
            commitment="maritime",
            ev0_status="announced",
        )
        new = [p for p in app.session.ledger.entries if p.actor == "Norway"]
        assert len(new) == 1
        ev = new[0].evidence[0]
        assert (ev.source, ev.quote, ev.start) == (source_id, wanted, start)
        await press_and_settle(app, pilot, "ctrl+s")
        await pilot.pause()
    from pledgetui.verify import Articles, verify

    report = verify(store.load(ledger_path).ledger, Articles(ledger_path))
    assert not report.orphans and not report.source_problems


async def test_save_runs_off_the_ui_thread_and_edits_wait_for_it(ledger_path: Path, monkeypatch) -> None:
    import threading

    release = threading.Event()
    started_saving = threading.Event()
    real_save = EditSession.save

    def slow_save(self):
        started_saving.set()
        assert release.wait(10), "the test never released the save"
        real_save(self)

    monkeypatch.setattr(EditSession, "save", slow_save)
    app = PledgeApp(ledger_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(app, pilot)
        await edit_current(app, pilot, summary="saved in the background")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert started_saving.wait(10)
        assert app.controller.saving and "saving" in app.sub_title
        before = app.session.ledger
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert app.session.ledger == before  # refused while saving, nothing lost
        await pilot.press("down")  # the UI still answers
        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not app.controller.saving and not app.session.dirty and "unsaved" not in app.sub_title
    assert store.load(ledger_path).ledger.entries[0].summary == "saved in the background"


# --------------------------------------------------------------------------- damaged journals, read-only ledgers


async def test_the_recovery_prompt_names_the_damaged_lines_and_the_kept_copy(ledger_path: Path) -> None:
    crashed = EditSession.open(ledger_path)
    for pid in ("uk-ground", "france-ground", "ireland-ground"):
        crashed.put_entry(crashed.ledger.entry(pid).model_copy(update={"notes": f"note on {pid}"}))
    crashed.close()
    jpath = journal.journal_path(ledger_path)
    lines = jpath.read_bytes().splitlines(keepends=True)
    lines[2] = b"\x00" * 30 + b"\n"  # the edit of france-ground
    jpath.write_bytes(b"".join(lines))

    app = PledgeApp(ledger_path)
    async with app.run_test(size=(140, 44)) as pilot:
        await started(app, pilot)
        prompt = app.screen
        assert isinstance(prompt, ChoiceScreen)
        text = str(prompt.message)
        assert "2 unsaved edit(s)" in text and "line 3: unreadable" in text
        kept = next(jpath.parent.glob("*.damaged-*.jsonl"))
        assert str(kept) in text
        await press_and_settle(app, pilot, "r")
        ledger = app.session.ledger
        assert ledger.entry("uk-ground").notes == "note on uk-ground"
        assert ledger.entry("ireland-ground").notes == "note on ireland-ground"
        assert ledger.entry("france-ground").notes == ""


async def test_an_unusable_journal_is_reported_with_the_name_it_is_kept_under(ledger_path: Path) -> None:
    crashed = EditSession.open(ledger_path)
    crashed.delete_entry("russia-mfa")
    crashed.close()
    jpath = journal.journal_path(ledger_path)
    data = jpath.read_bytes().replace(b'"pledgetui_journal":1', b'"pledgetui_journal":7', 1)
    jpath.write_bytes(data)

    app = PledgeApp(ledger_path)
    async with app.run_test(size=(140, 44)) as pilot:
        await started(app, pilot)
        prompt = app.screen
        assert isinstance(prompt, ChoiceScreen)
        text = str(prompt.message)
        kept = next(jpath.parent.glob("*.jsonl.unreadable"))
        assert "format 7" in text and str(kept) in text and kept.read_bytes() == data
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, ChoiceScreen)


async def test_the_bundled_ledger_is_read_only_in_the_dashboard(tmp_path: Path, monkeypatch) -> None:
    from pledgetui import paths
    from tests.factory import write_ledger

    package = tmp_path / "site-packages" / "pledgetui"
    bundled = write_ledger(package / "_bundled" / "data")
    monkeypatch.setattr(paths, "package_root", lambda: package)
    before = bundled.read_bytes()
    app = PledgeApp(bundled)
    notices = Notices()
    async with app.run_test(size=(140, 44), message_hook=notices) as pilot:
        await started(app, pilot)
        assert "(read-only)" in app.sub_title
        await pilot.press("e")
        await pilot.pause()
        assert not isinstance(app.screen, EditEntry)
        await press_and_settle(app, pilot, "d")
        assert not isinstance(app.screen, ChoiceScreen)
        await press_and_settle(app, pilot, "ctrl+s")
        notes = notices.messages
        assert notes and all("read-only" in m and "working copy" in m for m in notes), notes
        assert not app.session.dirty
    assert bundled.read_bytes() == before
    assert journal.pending(bundled) is None


@pytest.mark.parametrize("key", ["e", "A", "d", "i", "x"])
async def test_no_form_opens_while_a_reload_is_under_way(ledger_path: Path, key: str) -> None:
    """What is typed into a form opened during a reload or a restore would be refused, or land
    on a ledger about to change: the form does not open, and the reason is given."""
    app = PledgeApp(ledger_path)
    notices = Notices()
    async with app.run_test(size=(120, 36), message_hook=notices) as pilot:
        await started(app, pilot)
        app.controller.busy = "reloading"  # as the reload worker sets it while it runs
        await pilot.press(key)
        await pilot.pause()
        assert app.screen is app.dashboard
        assert any("reloading is under way" in m.lower() for m in notices.messages), notices.messages
        app.controller.busy = None
        await pilot.press(key)
        await pilot.pause()
        assert app.screen is not app.dashboard  # once it has finished, the form opens
