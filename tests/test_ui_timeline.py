"""The timeline view: T opens it over the rows shown, the captions count what is drawn and what
is not, g changes the grouping, escape returns; hostile names reach neither plotext nor the
terminal raw, and the dashboard starts without the plotting library."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import subprocess
import sys
from pathlib import Path

import pytest
from textual_plotext import PlotextPlot

from pledgetui.model import Entry, Ledger, Status
from pledgetui.store import load, save
from pledgetui.ui.app import PledgeApp
from pledgetui.ui.screens.dashboard import DashboardScreen
from pledgetui.ui.screens.timeline import TimelineScreen, tick_label
from pledgetui.ui.state import LedgerChange
from tests.factory import REPO, write_ledger
from tests.hostile import EMOJI, LONG, OSC_TITLE, write_hostile
from tests.pilot import press_and_settle, screen_text, started

UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
SGR = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture
def bundled(tmp_path: Path) -> Path:
    """The bundled ledger (33 entries, 75 statements, 49 of them undated) in a temp folder."""
    return write_ledger(tmp_path / "bundled", load(REPO / "data" / "pledges.toml", use_cache=False).ledger)


def _screen(app: PledgeApp) -> TimelineScreen:
    assert isinstance(app.screen, TimelineScreen), app.screen
    return app.screen


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_t_opens_the_timeline_and_escape_returns(bundled: Path, size: tuple[int, int]) -> None:
    app = PledgeApp(bundled)
    async with app.run_test(size=size) as pilot:
        await started(app, pilot)
        await press_and_settle(app, pilot, "T")
        screen = _screen(app)
        text = screen_text(app)
        assert "Timeline by actor" in text and "75 statements, 33 entries" in text
        # the marks: the biggest group is labelled on the axis, dates under it, the legend in words
        marks = screen_text(app, screen.query_one("#tl-marks", PlotextPlot))
        assert "United Kingdom┤" in marks and "2026-01-06" in marks and "2026-02-03" in marks
        assert "■□ signed" in text and "★☆ claimed" in text  # status told by shape, not colour alone
        # what is drawn and what is not, said apart
        assert "26 placed, 49 undated (not drawn)" in " ".join(text.split())
        assert len(screen.drawn) >= 5
        await press_and_settle(app, pilot, "p")
        text = " ".join(screen_text(app).split())
        assert "By 2026-02-03: 4 firm, 14 claims, 3 other (21 pledges with a dated statement)" in text
        assert "10 with only undated statements, in no count" in text
        assert "2 counter-positions, never counted" in text
        counts = screen_text(app, screen.query_one("#tl-counts", PlotextPlot))
        assert "firm" in counts and "claims" in counts and "2026-01-06" in counts
        await press_and_settle(app, pilot, "escape")
        assert isinstance(app.screen, DashboardScreen)


async def test_g_groups_by_commitment_type_and_back(bundled: Path) -> None:
    app = PledgeApp(bundled)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(app, pilot)
        await press_and_settle(app, pilot, "T")
        screen = _screen(app)
        plot = screen.query_one("#tl-marks", PlotextPlot)
        assert "United Kingdom┤" in screen_text(app, plot)
        await press_and_settle(app, pilot, "g")
        marks = screen_text(app, plot)
        assert "Timeline by commitment type" in screen_text(app)
        assert "Ground troops┤" in marks and "United Kingdom" not in marks
        assert screen.drawn[0].key == "ground_troops"
        await press_and_settle(app, pilot, "g")
        assert "United Kingdom┤" in screen_text(app, plot)


async def test_a_small_window_draws_the_top_groups_and_names_the_rest(bundled: Path) -> None:
    app = PledgeApp(bundled)
    async with app.run_test(size=(80, 18)) as pilot:
        await started(app, pilot)
        await press_and_settle(app, pilot, "T")
        screen = _screen(app)
        assert screen.more, "the window is too small for every group"
        text = " ".join(screen_text(app).split())
        n = len(screen.more)
        assert f"and {n} more actor{'' if n == 1 else 's'}: " in text
        marks = screen_text(app, screen.query_one("#tl-marks", PlotextPlot))
        assert screen.more[-1].label[:10] not in marks
        # every group drawn is a row of its own, all the same distance apart
        rows = [i for i, line in enumerate(marks.splitlines()) if "┤" in line]
        assert len(rows) == len(screen.drawn) and len({b - a for a, b in itertools.pairwise(rows)}) <= 1


async def test_the_timeline_shows_the_filtered_rows_only(bundled: Path) -> None:
    app = PledgeApp(bundled)
    async with app.run_test(size=(120, 36)) as pilot:
        await started(app, pilot)
        app.dashboard.set_filter("actor:France")
        await pilot.pause()
        shown = app.dashboard.visible_entries()
        await press_and_settle(app, pilot, "T")
        screen = _screen(app)
        assert screen.timeline.entries == len(shown) > 0
        assert screen.timeline.statements == sum(len(e.evidence) for e in shown)
        assert 'filter "actor:France"' in screen_text(app)
        await press_and_settle(app, pilot, "escape")
        app.dashboard.set_filter("actor:Nobody-at-all")
        await pilot.pause()
        await press_and_settle(app, pilot, "T")
        assert "No dated statement in this view" in screen_text(app)


async def test_a_changed_ledger_redraws_the_same_entries_as_they_are_now(bundled: Path) -> None:
    app = PledgeApp(bundled)
    async with app.run_test(size=(120, 36)) as pilot:
        await started(app, pilot)
        app.dashboard.set_filter("type:ground_troops")
        await pilot.pause()
        await press_and_settle(app, pilot, "T")
        screen = _screen(app)
        before = screen.timeline
        assert before.undated < before.statements
        # every article loses its date (a reload, say): the same entries, now all undated
        ledger = app.ledger_state.ledger
        undated = tuple(s.model_copy(update={"date": None}) for s in ledger.sources)
        app.ledger_state = LedgerChange(ledger.model_copy(update={"sources": undated}), "reloaded")
        await pilot.pause()
        after = screen.timeline
        assert after.entries == before.entries and after.statements == before.statements
        shown = [e for e in ledger.entries if e.commitment == "ground_troops"]
        assert after.entries == len(shown)
        stated = sum(ev.stated is not None for e in shown for ev in e.evidence)
        assert after.dated == stated < before.dated


def _dated_hostile(folder: Path) -> Path:
    """The hostile ledger with its article dated, and an entry whose actor is emoji and a long line."""
    path = write_hostile(folder)
    ledger = load(path, use_cache=False).ledger
    source = ledger.sources[0].model_copy(update={"date": dt.date(2026, 1, 7)})
    long_one = Entry.model_validate(
        {**ledger.entries[0].model_dump(), "id": "hostile-3", "actor": f"{EMOJI} {LONG[:300]} {OSC_TITLE}"}
    )
    save(Ledger(sources=(source,), entries=(*ledger.entries, long_one)), path, backup=False)
    return path


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_hostile_names_render_inert(tmp_path: Path, size: tuple[int, int]) -> None:
    path = _dated_hostile(tmp_path / "hostile")
    app = PledgeApp(path)
    async with app.run_test(size=size) as pilot:
        await started(app, pilot)
        await press_and_settle(app, pilot, "T")
        screen = _screen(app)
        assert len(screen.drawn) == 3
        plot = screen.query_one("#tl-marks", PlotextPlot)
        # what plotext hands the widget: its own colour codes, and nothing else that talks to a terminal
        built = plot.plt.build()
        assert not UNSAFE.search(SGR.sub("", built))
        assert "[/bold]Ruritani" in plot.plt.uncolorize(built)  # literal, cut short
        for key in ("p", "g", "p"):
            text = screen_text(app)
            assert not UNSAFE.search(text) and "pwned" not in app.title
            await press_and_settle(app, pilot, key)
        assert isinstance(app.screen, TimelineScreen)


def test_tick_labels_are_sanitised_one_cell_a_character_and_cut() -> None:
    label = tick_label(f"{EMOJI}\x1b[2J\u202eRuritania\n", 12)
    assert not UNSAFE.search(label) and "\x1b" not in label
    assert len(label) <= 12 and label.endswith("…")
    assert tick_label("France", 12) == "France"
    # a flag (two regional indicators) is one glyph two cells wide: plotext would count two characters
    assert tick_label("🇺🇦 Kyiv", 12) == "·· Kyiv" and tick_label("Коаліція", 12) == "Коаліція"
    # a control character is shown as its symbol (as everywhere else), never dropped unseen
    assert tick_label("A\x1b[2J\u202eB", 30) == "A␛[2J<U+202E>B"


async def test_the_palette_offers_the_timeline_with_its_key(bundled: Path) -> None:
    app = PledgeApp(bundled)
    async with app.run_test(size=(120, 36)) as pilot:
        await started(app, pilot)
        helps = {c.title: (c.help, c.callback) for c in app.get_system_commands(app.dashboard)}
        help_text, callback = helps["Timeline: statements by date"]
        assert help_text.endswith("(T)")
        callback()
        await pilot.pause()
        assert isinstance(app.screen, TimelineScreen)


def test_the_dashboard_starts_without_the_plotting_library() -> None:
    code = (
        "import sys, pledgetui.ui.app\n"
        "loaded = [m for m in ('plotext', 'textual_plotext', 'pledgetui.timeline') if m in sys.modules]\n"
        "assert not loaded, loaded\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stderr


def test_a_refusal_is_drawn_over_the_claims_of_its_day() -> None:
    from pledgetui.ui.screens.timeline import draw_rank

    order = sorted(Status, key=draw_rank)
    assert order[-1] is Status.DECLINED and order[0] is Status.CLAIMED
    assert order.index(Status.SIGNED) > order.index(Status.ANNOUNCED)


async def test_the_caption_counts_the_marks_hidden_under_others(bundled: Path) -> None:
    """By actor, the United States has claims and Trump's refusals all by 2026-01-07: one cell."""
    app = PledgeApp(bundled)
    async with app.run_test(size=(160, 48)) as pilot:
        await started(app, pilot)
        app.dashboard.set_filter("country:united")  # the United States and the United Kingdom
        await pilot.pause()
        await press_and_settle(app, pilot, "T")
        screen = _screen(app)
        us = next(g for g in screen.drawn if "United States" in g.label)
        days = [m.day for m in us.marks]
        assert {m.status for m in us.marks} >= {Status.DECLINED, Status.CLAIMED}
        assert len(days) > len(set(days))  # several marks share a day
        text = " ".join(screen_text(app).split())
        assert "under another on the same day and row" in text
        marks = screen_text(app, screen.query_one("#tl-marks", PlotextPlot))
        us_line = next(line for line in marks.splitlines() if "United States" in line)
        assert "✖" in us_line or "✕" in us_line  # the refusal shows, not only the claims' stars


@pytest.mark.parametrize("day", [dt.date.min, dt.date.max])
async def test_a_statement_at_the_calendar_s_edge_is_drawn(bundled: Path, day: dt.date) -> None:
    """The axis is padded on both sides, never past the first or last day a date can have."""
    ledger = load(bundled, use_cache=False).ledger
    first = ledger.entries[0]
    moved = first.model_copy(update={"evidence": (first.evidence[0].model_copy(update={"stated": day}),)})
    save(ledger.model_copy(update={"entries": (moved, *ledger.entries[1:])}), bundled, backup=False)
    app = PledgeApp(bundled)
    async with app.run_test(size=(120, 36)) as pilot:
        await started(app, pilot)
        await press_and_settle(app, pilot, "T")
        screen = _screen(app)
        marks = screen_text(app, screen.query_one("#tl-marks", PlotextPlot))
        assert day.isoformat()[:4] in marks  # the axis reaches the year of that day
        await press_and_settle(app, pilot, "p")
        assert isinstance(app.screen, TimelineScreen)
