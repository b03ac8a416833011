"""The import goes on to the article's candidate statements: accepting one opens the add form filled in."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Select

from pledgetui.model import Basis, CommitmentType, Party, Status
from pledgetui.ui.app import PledgeApp
from pledgetui.ui.screens.edit_entry import EditEntry
from pledgetui.ui.screens.intake import ACCEPTED, IntakeScreen
from tests.pilot import press_and_settle, started

TEXT = (
    "Oslo, 2026-02-04. A short report.\n"
    "The weather was cold.\n"
    "On Tuesday, Norway announced it will send 300 soldiers and two frigates to Ukraine once a peace deal is signed.\n"
    "Spain has ruled out sending troops to Ukraine, its defence minister said.\n"
)


async def import_article(app: PledgeApp, pilot: Pilot[Any], article: Path, date: str = "2026-02-04") -> IntakeScreen:
    await started(app, pilot)
    await pilot.press("i")
    await pilot.pause()
    app.screen.query_one("#imp-path", Input).value = str(article)
    app.screen.query_one("#imp-title", Input).value = "Norway report"
    app.screen.query_one("#imp-date", Input).value = date
    await pilot.pause()
    await press_and_settle(app, pilot, "ctrl+s")
    intake = app.screen
    assert isinstance(intake, IntakeScreen)
    return intake


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_accepting_a_candidate_opens_the_add_form_filled_in(
    ledger_path: Path, tmp_path: Path, size: tuple[int, int]
) -> None:
    article = tmp_path / "norway.txt"
    article.write_text(TEXT, encoding="utf-8")
    app = PledgeApp(ledger_path)
    async with app.run_test(size=size) as pilot:
        intake = await import_article(app, pilot, article)
        source_id = app.session.ledger.sources[-1].id
        assert [c.actor for c in intake.candidates] == ["Norway", "Spain"]
        assert len(intake.table.rows) == 2
        norway = intake.candidates[0]
        assert "peace_deal" in str(intake.query_one("#in-why").content)

        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, EditEntry)

        def value(name: str) -> object:
            widget = form.query_one(f"#in-{name}")
            assert isinstance(widget, Input | Select)
            return widget.value

        assert value("actor") == "Norway"
        assert value("commitment") == CommitmentType.GROUND_TROOPS.value
        assert value("id") == "norway-ground-troops"
        assert value("numbers") == "soldiers: 300"
        assert value("summary") == norway.summary
        assert value("ev0-claimant") == "Government of Norway"
        assert value("ev0-party") == Party.FIRST_PARTY.value
        assert value("ev0-basis") == Basis.PARAPHRASE.value
        assert value("ev0-status") == Status.ANNOUNCED.value
        assert value("ev0-stated") == "2026-02-03"  # the Tuesday before the article's date

        await press_and_settle(app, pilot, "ctrl+s")  # accepted as proposed: one key
        assert app.screen is intake
        entry = app.session.ledger.entry("norway-ground-troops")
        assert entry is not None
        ev = entry.evidence[0]
        assert ev.source == source_id
        assert (ev.start, ev.end) == (norway.start, norway.end)
        assert ev.quote == TEXT[ev.start : ev.end] == norway.sentence
        assert ev.prefix == TEXT[max(0, ev.start - 32) : ev.start]
        assert ev.suffix == TEXT[ev.end : ev.end + 32]
        assert [c.value for c in entry.conditions] == ["peace_deal"]
        assert intake.table.rows[0][0] == ACCEPTED

        await pilot.press("down")
        await pilot.pause()
        assert intake.current is intake.candidates[1]
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.dashboard


async def test_an_article_without_candidates_says_so(ledger_path: Path, tmp_path: Path) -> None:
    article = tmp_path / "weather.txt"
    article.write_text("The weather was cold [bold]today[/].\n", encoding="utf-8")
    app = PledgeApp(ledger_path)
    async with app.run_test(size=(120, 36)) as pilot:
        intake = await import_article(app, pilot, article, date="")
        assert intake.candidates == []
        assert "none found" in str(intake.query_one("#in-title").content)
        await pilot.press("a")  # nothing to accept: the screen stays
        await pilot.pause()
        assert app.screen is intake
