"""The detail pane's history: a short timeline of the highlighted entry's statements."""

from __future__ import annotations

import datetime as dt

from pledgetui.model import Entry, Evidence, Ledger, Source
from pledgetui.ui.app import PledgeApp
from pledgetui.ui.widgets.detail import HISTORY_STEPS, HISTORY_UNDATED, DetailPane, history_section
from tests.factory import REPO
from tests.pilot import screen_text, started

BUNDLED = REPO / "data" / "pledges.toml"


def history_lines(text: str) -> list[str]:
    lines = text.splitlines()
    start = lines.index("History")
    end = next(i for i in range(start + 1, len(lines)) if lines[i] and not lines[i].startswith("  "))
    return [ln for ln in lines[start + 1 : end] if ln.strip()]


async def test_the_detail_pane_shows_the_highlighted_entry_s_history() -> None:
    app = PledgeApp(BUNDLED)
    async with app.run_test(size=(160, 48)) as pilot:
        await started(app, pilot)
        table = app.dashboard.table
        for _ in range(len(app.ledger.entries)):
            if table.current_entry is not None and table.current_entry.id == "uk-ground-troops":
                break
            await pilot.press("down")
        await pilot.pause()
        text = app.query_one(DetailPane).text
        assert "Since: 2026-01-06" in text
        lines = history_lines(text)
        # four statements of 6 January in the order they became known; the first sets the reading
        assert lines[0] == "  2026-01-06    [1] Signed · Downing Street statement  → Signed"
        assert [ln[:19] for ln in lines[1:4]] == ["  2026-01-06    [2]", "  2026-01-06    [3]", "  2026-01-06    [4]"]
        assert not any("→" in ln for ln in lines[1:4])  # the reading did not change again
        # the undated ones apart, under their own heading
        assert lines[4] == "  Undated (2): not placed in the history"
        assert lines[5].startswith("  undated       [5] Claimed · a003 author")
        assert lines[6].startswith("  undated       [6] Claimed · Alexiy Gontcharenko")


def _ev(n: int, claimant: str, status: str, stated: dt.date | None, party: str = "first_party") -> Evidence:
    return Evidence(
        source="s1", claimant=claimant, party=party, basis="statement", status=status,
        stated=stated, quote=f"q{n}", start=n * 10, end=n * 10 + 2,
    )  # fmt: skip


def test_a_long_history_is_cut_to_its_latest_steps_and_says_how_many_more() -> None:
    statuses = ["considering", "announced", "considering", "announced", "signed", "signed", "signed", "declined"]
    evidence = [_ev(i, f"C{i}", s, dt.date(2026, 1, i + 1)) for i, s in enumerate(statuses)]
    evidence += [_ev(20 + i, f"U{i}", "claimed", None) for i in range(HISTORY_UNDATED + 2)]
    entry = Entry(id="p", actor="A", commitment="air", summary="s", evidence=tuple(evidence))
    ledger = Ledger(sources=(Source(id="s1", file="s1.txt", title="s1"),), entries=(entry,))
    lines = [ln for ln in str(history_section(ledger.entries[0], ledger)).splitlines() if ln.strip()]
    hidden = len(statuses) - HISTORY_STEPS
    assert lines[1] == f"  … {hidden} earlier (pledgetui show lists them all)"
    steps = lines[2 : 2 + HISTORY_STEPS]
    assert [ln.split("[")[1].split("]")[0] for ln in steps] == [str(i + 1) for i in range(hidden, len(statuses))]
    assert steps[-1].endswith("→ Declined") and steps[-2].endswith("C6")
    assert lines[2 + HISTORY_STEPS] == f"  Undated ({HISTORY_UNDATED + 2}): not placed in the history"
    assert lines[-1] == "  … 2 more undated"


def test_hostile_claimants_stay_inert_in_the_history() -> None:
    claimant = "[bold]loud[/bold] \x1b]0;pwned\x07\u202e\nforged line"
    evidence = (_ev(1, claimant, "signed", dt.date(2026, 1, 1)), _ev(2, claimant, "claimed", None))
    entry = Entry(id="p", actor="A", commitment="air", summary="s", evidence=evidence)
    ledger = Ledger(sources=(Source(id="s1", file="s1.txt", title="s1"),), entries=(entry,))
    text = str(history_section(ledger.entries[0], ledger))
    assert "\x1b" not in text and "\u202e" not in text and "\x07" not in text
    assert not any(ln.startswith("forged line") for ln in text.splitlines())
    assert text.count("[bold]loud[/bold]") == 2  # literally, never markup


def test_the_reading_the_undated_statements_give_is_said_when_the_steps_end_elsewhere() -> None:
    evidence = (_ev(1, "Paper", "claimed", dt.date(2026, 1, 1), "third_party"), _ev(2, "Minister", "signalled", None))
    entry = Entry(id="p", actor="A", commitment="air", summary="s", evidence=evidence)
    ledger = Ledger(sources=(Source(id="s1", file="s1.txt", title="s1"),), entries=(entry,))
    assert ledger.entries[0].status.value == "signalled"  # the actor's own words decide
    lines = str(history_section(ledger.entries[0], ledger)).splitlines()
    assert lines[-1] == "  with the undated: Signalled (Minister)"
    alone = ledger.model_copy(update={"entries": (entry.model_copy(update={"evidence": evidence[:1]}),)})
    assert "with the undated" not in str(history_section(alone.entries[0], alone))


async def test_the_since_column_is_hidden_until_shown_and_sorts_by_recency() -> None:
    from pledgetui.ui.widgets.entry_table import COLUMNS

    app = PledgeApp(BUNDLED)
    async with app.run_test(size=(200, 48)) as pilot:
        await started(app, pilot)
        dash = app.dashboard
        assert "since" in dash.hidden_columns
        dash.choose_hidden_columns(frozenset())
        await pilot.pause()
        assert "Since" in screen_text(app, dash.table)
        since = next(c for c in COLUMNS if c.key == "since")
        values = {p.id: since.value(p) for p in app.ledger.entries}
        assert values["uk-ground-troops"] == "2026-01-06"
        assert values["coalition-ground-troops"] == ""  # only the undated statements give its status
        await pilot.press(str([c.key for c in COLUMNS].index("since") + 1))
        order = [since.value(p) for p in dash.visible_entries()]
        dated = [v for v in order if v]
        assert order[: order.count("")] == [""] * order.count("")  # none first, then the earliest
        assert dated == sorted(dated, key=lambda v: (not v.startswith("by "), v.removeprefix("by ")))
