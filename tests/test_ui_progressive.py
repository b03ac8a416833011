"""The dashboard while a ledger loads: rows show as they are read, the cursor stays put, nothing
is editable until the whole file has passed, and a problem found late takes every row away."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.synth import dumps, ledger_document
from pledgetui import fastread, ledgerfile
from pledgetui.ui import app as app_module
from pledgetui.ui.app import PledgeApp
from pledgetui.ui.screens.dashboard import DashboardScreen
from pledgetui.ui.screens.edit_entry import EditEntry
from pledgetui.ui.screens.problems import ProblemsScreen

N = 2500


@pytest.fixture
def big(tmp_path: Path) -> Path:
    path = tmp_path / "pledges.toml"
    path.write_bytes(dumps(ledger_document(N, seed=5)))
    return path


@pytest.fixture
def seen(monkeypatch: pytest.MonkeyPatch) -> list[dict]:
    """What the dashboard showed at each batch of arriving entries."""
    calls: list[dict] = []
    original = DashboardScreen.rows_arrived

    def spy(self: DashboardScreen, entries, fraction) -> None:
        app = self.app
        before = self.table.current_entry
        original(self, entries, fraction)
        calls.append(
            {
                "shown": len(self.table.view),
                "loaded": app.session is not None,
                "editable": app.controller.editable() is not None,
                "cursor": self.table.cursor,
                "current": self.table.current_entry,
                "before": before,
                "count": str(self.query_one("#count").content),
            }
        )
        if len(calls) == 1:
            self.table.cursor = 5  # the reader moves while the rest loads

    monkeypatch.setattr(DashboardScreen, "rows_arrived", spy)
    monkeypatch.setattr(fastread, "BATCH", 500)
    monkeypatch.setattr(app_module, "ROWS_EVERY", 0.0)
    return calls


async def test_rows_show_before_the_ledger_has_loaded(big: Path, seen: list[dict]) -> None:
    app = PledgeApp(big)
    async with app.run_test(size=(160, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.session is not None
        first = seen[0]
        assert 0 < first["shown"] < N and not first["loaded"]
        assert "entries so far" in first["count"] and " of " not in first["count"]
        shown = [c["shown"] for c in seen]
        assert shown == sorted(shown) and len(shown) >= 3  # the count grows batch by batch
        assert app.dashboard.table.view == list(range(N))
        assert f"{N - sum(p.is_counter for p in app.ledger.entries)} of" in str(
            app.dashboard.query_one("#count").content
        )


async def test_the_cursor_stays_on_its_entry_as_rows_arrive(big: Path, seen: list[dict]) -> None:
    app = PledgeApp(big)
    async with app.run_test(size=(160, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        chosen = seen[1]["before"]
        assert chosen is not None
        for call in seen[1:]:
            assert call["cursor"] == 5
            assert call["current"].id == chosen.id
        table = app.dashboard.table
        assert table.cursor == 5 and table.current_entry.id == chosen.id  # and once loaded
        assert table.current_entry is app.ledger.entries[5]


async def test_nothing_is_editable_while_loading(big: Path, seen: list[dict]) -> None:
    app = PledgeApp(big)
    async with app.run_test(size=(160, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert seen and not any(c["editable"] for c in seen)
        assert app.controller.editable() is not None  # once loaded


async def test_a_problem_found_late_reports_it_and_leaves_nothing_editable(tmp_path: Path, seen: list[dict]) -> None:
    data = dumps(ledger_document(N, seed=6))
    cut = data.rindex(b'status = "')
    broken = data[:cut] + b'status = "sure"' + data[data.index(b"\n", cut) :]
    path = tmp_path / "pledges.toml"
    path.write_bytes(broken)
    app = PledgeApp(path)
    async with app.run_test(size=(160, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert seen and seen[0]["shown"] > 0  # rows were shown before the problem was found
        assert isinstance(app.screen, ProblemsScreen)
        text = str(app.screen.query_one("#problems").content)
        assert "field evidence" in text and "status" in text and "'sure' is not allowed" in text
        assert app.session is None and app.ledger is None
        dashboard = app.dashboard
        assert dashboard.table.view == [] and dashboard.arriving == []
        assert dashboard.current is None
        assert app.controller.editable() is None
        app.pop_screen()
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert not isinstance(app.screen, EditEntry)
    assert path.read_bytes() == broken


async def test_a_syntax_error_found_late_carries_line_and_column(tmp_path: Path, seen: list[dict]) -> None:
    data = dumps(ledger_document(N, seed=7))
    cut = data.rindex(b"[[entries]]")
    broken = data[:cut] + b"[[entries]]\nid = 'x\n" + data[cut + len(b"[[entries]]\n") :]
    path = tmp_path / "pledges.toml"
    path.write_bytes(broken)
    app = PledgeApp(path)
    async with app.run_test(size=(160, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert seen and seen[0]["shown"] > 0
        assert isinstance(app.screen, ProblemsScreen)
        with pytest.raises(ledgerfile.LedgerError) as caught:
            ledgerfile.parse_document(path, broken)
        (problem,) = caught.value.problems
        assert problem.where.startswith("line ") and ", column " in problem.where
        assert str(problem) in str(app.screen.query_one("#problems").content)
        assert app.session is None and app.dashboard.table.view == []
