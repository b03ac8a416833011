"""``[view] column_widths``: read, checked and written like the other view settings."""

from __future__ import annotations

from pathlib import Path

from pledgetui import settings


def test_column_widths_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    settings.write(path, settings.Settings(column_widths=(("claimant", 40), ("date", 10))))
    loaded = settings.read(path)
    assert loaded.problems == ()
    assert loaded.settings.column_widths == (("claimant", 40), ("date", 10))


def test_bad_column_widths_are_named_and_left_out(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[view]\ncolumn_widths = {claimant = 40, colour = 9, date = 0, actor = "wide", status = true}\n')
    loaded = settings.read(path)
    assert loaded.settings.column_widths == (("claimant", 40),)
    problems = "\n".join(loaded.problems)
    assert "[view] column_widths colour: unknown column" in problems
    for key in ("date", "actor", "status"):
        assert f"[view] column_widths {key}: must be a whole number of cells from 3 to 400" in problems
    path.write_text("[view]\ncolumn_widths = 40\n")
    assert "[view] column_widths: must be a table of column = cells" in settings.read(path).problems[0]
