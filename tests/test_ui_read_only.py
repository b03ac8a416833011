"""``pledgetui LEDGER --read-only``: every edit and save disabled, the reason said at the start, and the title says so."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pledgetui import cli
from pledgetui.ui.app import PledgeApp
from pledgetui.ui.screens.edit_entry import EditEntry
from tests.factory import write_ledger
from tests.pilot import Notices, press_and_settle, started

REASON = cli.READ_ONLY_FLAG


async def test_read_only_refuses_edits_and_saves_and_says_so(tmp_path: Path) -> None:
    path = write_ledger(tmp_path)
    before = path.read_bytes()
    app = PledgeApp(path, read_only=REASON)
    notices = Notices()
    async with app.run_test(size=(120, 40), message_hook=notices) as pilot:
        assert "read-only" in app.sub_title  # before the ledger has loaded, too
        await started(app, pilot)
        assert app.session is not None and app.session.read_only == REASON
        assert "read-only" in app.sub_title
        for key in ("e", "d", "A", "ctrl+s"):
            await press_and_settle(app, pilot, key)
            assert not isinstance(app.screen, EditEntry), key
        assert not app.session.dirty
        # the editing keys are gone (not refused one by one): the notice at the start says why
        assert any(REASON in m for m in notices.messages), notices.messages
    assert path.read_bytes() == before


def test_the_flag_reaches_the_app(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = write_ledger(tmp_path)
    opened: list[dict[str, Any]] = []

    def fake_run(ledger: str | None, **options: Any) -> int:
        opened.append({"ledger": ledger, **options})
        return 0

    monkeypatch.setattr(cli, "run_dashboard", fake_run)
    assert cli.main([str(path), "--read-only"]) == 0
    assert cli.main([str(path)]) == 0
    assert opened == [
        {"ledger": str(path), "no_config": False, "read_only": REASON},
        {"ledger": str(path), "no_config": False, "read_only": None},
    ]
