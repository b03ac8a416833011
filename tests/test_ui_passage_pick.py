"""Pilot tests of picking a passage in the quote viewer as evidence: too short a selection is refused, with why."""

from __future__ import annotations

from pathlib import Path

import pytest

from pledgetui import passages
from pledgetui.ui.app import PledgeApp
from pledgetui.ui.screens.edit_entry import EditEntry
from tests.pilot import Notices, started


@pytest.mark.parametrize("key", ["a", "N"])
async def test_a_passage_shorter_than_the_minimum_is_refused_with_the_reason(ledger_path: Path, key: str) -> None:
    from pledgetui.ui.screens.quote_viewer import ArticleView, QuoteViewer

    app = PledgeApp(ledger_path)
    notices = Notices()
    async with app.run_test(size=(120, 40), message_hook=notices) as pilot:
        await started(app, pilot)
        before = app.session.ledger
        await pilot.press("v")
        await pilot.pause()
        viewer = app.screen
        assert isinstance(viewer, QuoteViewer)
        text = app.articles.text(app.ledger, viewer.current_source_id)
        start = text.index("Multinational")
        view = viewer.query_one(ArticleView)
        for length in (1, passages.MIN_PASSAGE - 1):
            view.move_cursor(view.location_of(start))
            await pilot.press(*["shift+right"] * length)
            assert viewer.selected_span() == (start, start + length)
            await pilot.press(key)
            await pilot.pause()
            assert app.screen is viewer, f"a {length}-character passage was taken as evidence"
            assert f"at least {passages.MIN_PASSAGE} characters" in notices.messages[-1]
        assert app.session.ledger is before and not app.session.dirty
        # the minimum itself is accepted: the form opens for the statement's stance
        view.move_cursor(view.location_of(start))
        await pilot.press(*["shift+right"] * passages.MIN_PASSAGE)
        await pilot.press(key)
        await pilot.pause()
        assert isinstance(app.screen, EditEntry)
