"""The dashboard and the core at tracker scale: a generated ledger of 100k entries.

Behaviour only, no timings (``python -m bench.run`` measures speed).
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from bench.synth import write_ledger
from pledgetui import store
from pledgetui.export import export_view
from pledgetui.model import Status
from pledgetui.session import EditSession
from pledgetui.ui.app import PledgeApp

pytestmark = pytest.mark.slow

N = 100_000


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_ledger(tmp_path_factory.mktemp("scale") / "pledges.toml", N, seed=7)


@pytest.fixture(scope="module")
def ledger(big: Path):  # noqa: ANN201
    return store.load(big, use_cache=False).ledger


def count_text(app: PledgeApp) -> str:
    return str(app.query_one("#count").content)


async def test_sorting_keeps_the_cursor_on_the_same_pledge(big: Path) -> None:
    app = PledgeApp(big)
    async with app.run_test(size=(160, 48)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(app.table.view) == N
        for _ in range(7):
            await pilot.press("down")
        await pilot.pause()
        chosen = app.table.current_pledge
        assert chosen is not None and app.table.cursor == 7
        for key in "12345678":
            await pilot.press(key)
            await pilot.pause()
            assert app.table.current_pledge is chosen, f"sort key {key}"
        await pilot.press("r")  # reverse the last sort
        await pilot.pause()
        assert app.table.current_pledge is chosen


async def test_a_field_filter_counts_right(big: Path, ledger) -> None:  # noqa: ANN001
    pledges = [p for p in ledger.pledges if not p.is_counter]
    signed = sum(1 for p in pledges if p.status is Status.SIGNED)
    app = PledgeApp(big)
    async with app.run_test(size=(160, 48)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert count_text(app).startswith(f"{len(pledges)} of {len(pledges)} pledges")
        await pilot.press("slash")
        for ch in "status:signed":
            await pilot.press(ch)
        await pilot.pause()
        assert count_text(app).startswith(f"{signed} of {len(pledges)} pledges")
        assert all(app.table.pledges[i].status is Status.SIGNED for i in app.table.view)


def test_save_round_trip(big: Path, tmp_path: Path) -> None:
    path = tmp_path / "pledges.toml"
    shutil.copyfile(big, path)
    session = EditSession.open(path)
    target = session.ledger.pledges[N // 2]
    session.put_pledge(target.model_copy(update={"summary": "Edited at scale"}))
    session.save()
    again = store.load(path)
    assert again.ledger == session.ledger
    assert again.ledger.pledges[N // 2].summary == "Edited at scale"
    assert store.load(path, use_cache=False).ledger == session.ledger  # the TOML, not just the cache


def test_csv_export_has_one_row_per_entry(ledger) -> None:  # noqa: ANN001
    data = export_view(ledger, ledger.pledges, "csv", "pledges")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    assert len(rows) == N + 1
    assert rows[1][0] == ledger.pledges[0].id
    assert rows[-1][0] == ledger.pledges[-1].id
