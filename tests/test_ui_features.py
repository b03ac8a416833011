"""Pilot tests of the usability features: copy with citation, filter help and completion, find in
the article, hiding columns, the ledger file in $EDITOR, where the data is."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input
from textual.widgets.text_area import Selection

from pledgetui import canonical, editor, filesave, paths, query_help, settings, store
from pledgetui.passages import find_all
from pledgetui.query import FIELD_ALIASES, field_values, parse_query, select_entries
from pledgetui.ui import external_editor
from pledgetui.ui.app import PledgeApp
from pledgetui.ui.columns import column_commands
from pledgetui.ui.screens.filter_help import FilterHelp
from pledgetui.ui.screens.help import HelpScreen
from pledgetui.ui.screens.quote_viewer import QuoteViewer
from pledgetui.ui.widgets.article_view import ArticleView
from pledgetui.ui.widgets.find_bar import FindBar
from pledgetui.vocab import Status
from tests.pilot import Notices, edit_current, press_and_settle, screen_lines, screen_text, started

# ---------------------------------------------------------------- the query: fields, reference, completion


def test_date_and_summary_are_fields(ledger_path: Path) -> None:
    ledger = store.load(ledger_path).ledger
    dated = [e for e in ledger.entries if e.date_span.hi]
    assert dated
    year = dated[0].date_span.hi.isoformat()[:4]
    assert {e.id for e in select_entries(ledger, f"date:{year}")} == {
        e.id for e in ledger.entries if e.date_span.hi and e.date_span.hi.year == int(year)
    }
    assert select_entries(ledger, "date:1999") == []
    word = ledger.entries[0].summary.split()[0]
    hits = select_entries(ledger, f"summary:{word}")
    assert ledger.entries[0] in hits and all(word.lower() in e.summary.lower() for e in hits)
    assert parse_query(f"date={dated[0].date_span.hi.isoformat()}").terms[0].exact


def test_reference_lists_every_field_and_vocabulary_value() -> None:
    listed = query_help.fields()
    assert {f.name for f in listed} == set(FIELD_ALIASES.values())
    assert {a for f in listed for a in f.aliases} == set(FIELD_ALIASES)
    assert all(f.description for f in listed)
    status = next(f for f in listed if f.name == "status")
    assert [v for v, _ in status.values] == [m.value for m in Status]
    assert any("date:" in line for line in query_help.syntax_lines())


@pytest.mark.parametrize(
    ("typed", "completed"),
    [
        ("sta", "status:"),
        ("france -sta", "france -status:"),
        ("status:sig", "status:signalled"),
        ("status:signed,ann", "status:signed,announced"),
        ("type:gro", "type:ground_troops"),
        ("kind:cou", "kind:counter"),
        ("actor:fra", None),
        ("status:signed ", None),
        ("zzz", None),
    ],
)
def test_completion(typed: str, completed: str | None) -> None:
    assert query_help.complete(typed) == completed


def test_find_all_keeps_offsets() -> None:
    text = "Straße and STRASSE and straße"
    assert find_all(text, "straße") == [(0, 6), (23, 29)]
    troops = "Troops, troops, TROOPS"
    assert [troops[a:b] for a, b in find_all(troops, "troops")] == ["Troops", "troops", "TROOPS"]
    assert find_all("a.b", ".") == [(1, 2)] and find_all("abc", "") == []


# ---------------------------------------------------------------- dashboard


async def test_filter_help_from_the_filter_box_adds_a_term(ledger_path: Path) -> None:
    app = PledgeApp(ledger_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await started(app, pilot)
        await pilot.press("slash", "f", "r")
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, FilterHelp)
        rows = app.screen.rows()
        for value, label in field_values("status"):
            assert ("", value, label) in rows
        assert any(r[0].startswith("date:") for r in rows) and any(r[0].startswith("summary:") for r in rows)
        table = app.screen.query_one("DataTable")
        target = next(i for i, r in enumerate(rows) if r[1] == "signed")
        table.move_cursor(row=target)
        await pilot.press("enter")
        await pilot.pause()
        filt = app.dashboard.query_one("#filter")
        assert filt.value == "fr status:signed" and filt.has_focus


async def test_filter_box_completes_field_names_and_values(ledger_path: Path) -> None:
    app = PledgeApp(ledger_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await started(app, pilot)
        await pilot.press("slash", *"status:ann")
        await app.workers.wait_for_complete()
        await pilot.pause()
        filt = app.dashboard.query_one("#filter", Input)
        assert filt.value == "status:ann" and "status:announced" in screen_text(app, filt)  # the rest is suggested
        await pilot.press("right")
        await pilot.pause()
        assert filt.value == "status:announced"
        assert app.dashboard.query_text == "status:announced"


async def test_copy_row_with_citation(ledger_path: Path) -> None:
    app = PledgeApp(ledger_path)
    notices = Notices()
    async with app.run_test(size=(120, 36), message_hook=notices) as pilot:
        await started(app, pilot)
        assert app.dashboard.current is not None and app.dashboard.current.id == "uk-ground"
        await pilot.press("y")
        await pilot.pause()
        # The row, then each statement: its quote, who said it, the source, and the ids to find it by.
        assert app.clipboard == (
            "United Kingdom: UK declaration of intent to deploy forces after a peace deal"
            " — Ground troops / reassurance force, Signed [entry uk-ground]\n"
            "\n"
            "“This is a declaration of intent to deploy forces to Ukraine in event of a peace deal.”\n"
            "— Downing Street statement, “Paris summit report”, Test Outlet\n"
            "  first party · own words, on the record · Signed\n"
            "  [entry uk-ground, statement 1, source a002]"
        )
        assert any("Copied" in m for m in notices.messages)


async def test_hide_and_show_columns_from_the_palette_persist(ledger_path: Path) -> None:
    config = paths.config_file()
    app = PledgeApp(ledger_path, config=config)
    async with app.run_test(size=(160, 40)) as pilot:
        await started(app, pilot)
        commands = {c.title: c for c in column_commands(app.dashboard)}
        assert set(commands) == {
            f"Hide column: {c}"
            for c in ("Actor", "Commitment", "Status", "Conditions", "Backstop", "Claimant", "Date", "Src")
        } | {"Show column: Since"}  # hidden until shown
        commands["Hide column: Claimant"].callback()
        await pilot.pause()
        assert "Claimant" not in screen_lines(app, app.dashboard.table)[0]
        assert settings.read(config).settings.hidden_columns == ("claimant", "since")  # saved at once
        titles = [c.title for c in column_commands(app.dashboard)]
        assert "Show column: Claimant" in titles
        # the palette lists them
        palette_titles = [c.title for c in app.get_system_commands(app.dashboard)]
        assert "Show column: Claimant" in palette_titles
        next(c for c in column_commands(app.dashboard) if c.title == "Show column: Claimant").callback()
        await pilot.pause()
        assert "Claimant" in screen_lines(app, app.dashboard.table)[0]
    assert settings.read(config).settings.hidden_columns == ("since",)


async def test_help_lists_new_keys_and_where_the_data_is(ledger_path: Path) -> None:
    app = PledgeApp(ledger_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        rows = app.screen.rows()
        described = {d for _, d in rows}
        assert {"Copy", "Filter help", "Edit file in $EDITOR"} <= described
        flat = " ".join(k + " " + d for k, d in rows)
        for what, where in paths.locations(ledger_path):
            assert what in flat and str(where) in flat


# ---------------------------------------------------------------- the ledger file in $EDITOR


def _fake_editor(monkeypatch: pytest.MonkeyPatch, change) -> list[list[str]]:
    calls: list[list[str]] = []

    def run(suspend, argv):
        calls.append(argv)
        change(Path(argv[-1]))
        return 0

    monkeypatch.setattr(external_editor, "run_editor", run)
    monkeypatch.setenv("EDITOR", "myeditor --wait")
    monkeypatch.setattr(editor.shutil, "which", lambda name, path=None: f"/usr/bin/{name}")
    return calls


async def test_edit_file_valid_change_is_reloaded(ledger_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def change(path: Path) -> None:
        ledger = store.load(path).ledger
        first = ledger.entries[0].model_copy(update={"summary": "Edited outside"})
        path.write_bytes(canonical.dumps(ledger.model_copy(update={"entries": (first, *ledger.entries[1:])})))

    calls = _fake_editor(monkeypatch, change)
    app = PledgeApp(ledger_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await started(app, pilot)
        first = app.dashboard.current.id
        await pilot.press("E")
        await pilot.pause()
        await app.workers.wait_for_complete()  # the file is read again in a worker
        await pilot.pause()
        assert calls == [["/usr/bin/myeditor", "--wait", str(ledger_path)]]
        assert app.session.ledger.entry(first).summary == "Edited outside"
        assert app.dashboard.current.summary == "Edited outside" and not app.session.dirty
        assert not filesave.changed_on_disk(ledger_path, app.session.fingerprint)


async def test_edit_file_invalid_change_leaves_the_state_and_shows_errors(
    ledger_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def change(path: Path) -> None:
        path.write_text(path.read_text().replace('status = "', 'status = "maybe', 1))

    _fake_editor(monkeypatch, change)
    app = PledgeApp(ledger_path)
    notices = Notices()
    async with app.run_test(size=(120, 36), message_hook=notices) as pilot:
        await started(app, pilot)
        before, state = app.session.ledger, app.ledger_state
        await pilot.press("E")
        await pilot.pause()
        await app.workers.wait_for_complete()  # the file is read again in a worker
        await pilot.pause()
        assert app.session.ledger is before and app.ledger_state is state
        errors = notices.of("error")
        assert errors and "maybe" in errors[-1] and str(ledger_path) in errors[-1]


async def test_edit_file_fixed_after_an_invalid_edit_drops_the_stale_problems(
    ledger_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = ledger_path.read_text()
    edits = iter([good.replace('status = "', 'status = "maybe', 1), good])
    _fake_editor(monkeypatch, lambda path: path.write_text(next(edits)))
    app = PledgeApp(ledger_path)
    notices = Notices()
    cleared: list[int] = []  # how many notices had been posted at each clearing
    real_clear = app.clear_notifications

    def clear() -> None:
        cleared.append(len(notices.posted))
        real_clear()

    monkeypatch.setattr(app, "clear_notifications", clear)
    async with app.run_test(size=(120, 36), message_hook=notices) as pilot:
        await started(app, pilot)
        await press_and_settle(app, pilot, "E")
        await press_and_settle(app, pilot, "E")  # fixed: the file is the one the dashboard shows again
    assert cleared, "nothing said before the editor ran was cleared"
    still_shown = [(n.title, str(n.message)) for n in notices.posted[cleared[-1] :]]
    assert any(title == "The edited file has problems" for title in (n.title for n in notices.posted))
    assert not any(title == "The edited file has problems" for title, _ in still_shown), still_shown
    assert any("is unchanged" in message for _, message in still_shown)


async def test_edit_file_refused_with_unsaved_edits(ledger_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _fake_editor(monkeypatch, lambda path: None)
    app = PledgeApp(ledger_path)
    notices = Notices()
    async with app.run_test(size=(120, 40), message_hook=notices) as pilot:
        await started(app, pilot)
        await edit_current(app, pilot, summary="unsaved")
        await pilot.press("E")
        await pilot.pause()
        await app.workers.wait_for_complete()  # the file is read again in a worker
        await pilot.pause()
        assert calls == []
        assert any("unsaved edits" in m for m in notices.messages)
        assert app.session.dirty


# ---------------------------------------------------------------- quote viewer: find, copy, source ids


async def _viewer(app: PledgeApp, pilot) -> QuoteViewer:
    await started(app, pilot)
    await pilot.press("v")
    await pilot.pause()
    assert isinstance(app.screen, QuoteViewer)
    return app.screen


async def test_find_in_the_article(ledger_path: Path) -> None:
    app = PledgeApp(ledger_path)
    async with app.run_test(size=(120, 36)) as pilot:
        viewer = await _viewer(app, pilot)
        article = viewer.query_one(ArticleView)
        word = "the"
        expected = find_all(article.text, word)
        assert len(expected) > 2
        await pilot.press("slash")
        await pilot.pause()
        bar = viewer.query_one(FindBar)
        assert bar.has_class("-open") and bar.input.has_focus
        await pilot.press(*word)
        await pilot.pause()
        assert viewer.matches == expected
        first = viewer.match_index
        assert article.selected_span() == expected[first]
        assert str(bar.query_one("#find-count").content) == f"{first + 1} of {len(expected)}"
        await pilot.press("enter")
        assert article.selected_span() == expected[(first + 1) % len(expected)]
        await pilot.press("up", "up")
        assert article.selected_span() == expected[(first - 1) % len(expected)]
        await pilot.press("escape")
        await pilot.pause()
        assert not bar.has_class("-open") and article.has_focus and app.screen is viewer
        await pilot.press("f3")
        assert article.selected_span() == expected[first]
        await pilot.press("shift+f3")
        assert article.selected_span() == expected[(first - 1) % len(expected)]
        await pilot.press("slash", "backspace", "backspace", "backspace", *"zzqx")
        await pilot.pause()
        assert viewer.matches == [] and str(bar.query_one("#find-count").content) == "no match"


async def test_viewer_copies_selection_or_quote_and_shows_source_id(ledger_path: Path) -> None:
    app = PledgeApp(ledger_path)
    async with app.run_test(size=(120, 36)) as pilot:
        viewer = await _viewer(app, pilot)
        entry, ev = viewer.entry, viewer.entry.evidence[0]
        assert ev.source in str(viewer.query_one("#qv-meta").content)
        await pilot.press("y")
        assert app.clipboard.startswith(f"“{ev.quote.strip()}”")
        assert f"entry {entry.id}" in app.clipboard and f"source {ev.source}" in app.clipboard
        article = viewer.query_one(ArticleView)
        article.move_cursor(article.location_of(0))
        await pilot.press(*["shift+right"] * 5)
        await pilot.press("y")
        assert app.clipboard.splitlines()[0] == f"“{article.text[:5].strip()}”"
        # the article's first words are not the statement's quote: cited by source alone
        assert f"entry {entry.id}" not in app.clipboard and f"[source {ev.source}]" in app.clipboard
        assert viewer.highlight is not None
        start = viewer.highlight[0]
        article.selection = Selection(article.location_of(start), article.location_of(start + 5))
        await pilot.press("y")
        assert f"entry {entry.id}, statement 1" in app.clipboard


async def test_a_find_match_outside_the_quote_is_cited_by_source_alone(ledger_path: Path) -> None:
    app = PledgeApp(ledger_path)
    async with app.run_test(size=(120, 36)) as pilot:
        viewer = await _viewer(app, pilot)
        entry, ev = viewer.entry, viewer.entry.evidence[0]
        article = viewer.query_one(ArticleView)
        assert viewer.highlight is not None
        word = next(w for w in article.text.split() if len(w) > 3 and w not in ev.quote)
        await pilot.press("slash", *word)
        await pilot.press("escape")
        await pilot.pause()
        span = article.selected_span()
        assert span is not None and not (viewer.highlight[0] <= span[0] and span[1] <= viewer.highlight[1])
        await pilot.press("y")
        assert app.clipboard.splitlines()[0] == f"“{word}”"
        assert f"entry {entry.id}" not in app.clipboard and f"[source {ev.source}]" in app.clipboard


async def test_export_folder_and_format_are_remembered(ledger_path: Path, tmp_path: Path) -> None:
    from pledgetui.ui.screens.export_dialog import ExportDialog

    config = paths.config_file()
    out = tmp_path / "exports"
    out.mkdir()
    app = PledgeApp(ledger_path, config=config)
    async with app.run_test(size=(120, 36)) as pilot:
        await started(app, pilot)
        await pilot.press("x")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        dialog.query_one("#export-path").value = str(out / "view.json")
        dialog.query_one("#export-format").value = "json"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert (out / "view.json").is_file()
    s = settings.read(config).settings
    assert (s.export_folder, s.export_format) == (str(out.resolve()), "json")
    again = PledgeApp(ledger_path, config=config)
    async with again.run_test(size=(120, 36)) as pilot:
        await started(again, pilot)
        await pilot.press("x")
        await pilot.pause()
        dialog = again.screen
        assert isinstance(dialog, ExportDialog)
        assert dialog.query_one("#export-path").value == str(out.resolve() / "pledges-view.json")
        assert dialog.query_one("#export-format").value == "json"


async def test_ctrl_c_names_the_quit_key_in_plain_text(ledger_path: Path) -> None:
    app = PledgeApp(ledger_path)
    notices = Notices()
    async with app.run_test(size=(120, 36), message_hook=notices) as pilot:
        await started(app, pilot)
        await pilot.press("ctrl+c")
        await pilot.pause()
    said = [m for m in notices.messages if "to quit the app" in m]
    assert said and "[b]" not in said[-1] and "Press " in said[-1], notices.messages
