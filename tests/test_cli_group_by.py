"""``pledgetui list --group-by COLUMN``: counts per value, tab-separated in a pipe, a table on a terminal."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.cells import cell_len

from pledgetui.cli import main
from pledgetui.commands import listing
from pledgetui.grouping import group_entries
from pledgetui.query import select_entries
from pledgetui.store import load
from tests.test_cli_list import hostile_path  # noqa: F401 (a fixture)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["list", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_plain_counts_per_value(capsys: pytest.CaptureFixture[str], ledger_path: Path) -> None:
    code, out, err = run(capsys, str(ledger_path), "--group-by", "status")
    assert code == 0
    lines = [ln.split("\t") for ln in out.splitlines()]
    assert lines[0] == ["count", "status", "filter"]
    expected = group_entries(load(ledger_path).ledger.entries, "status")
    assert [(int(c), v, t) for c, v, t in lines[1:]] == [(g.count, g.label, g.term) for g in expected.groups]
    assert sum(int(c) for c, _, _ in lines[1:]) == 4
    assert err == f"{len(expected.groups)} values; 4 entries by status\n"


def test_counts_follow_the_filter_and_say_how_statements_count(
    capsys: pytest.CaptureFixture[str], ledger_path: Path
) -> None:
    code, out, err = run(capsys, str(ledger_path), "--group-by", "claimant", "--filter", "-kind:counter")
    assert code == 0
    entries = select_entries(load(ledger_path).ledger, "-kind:counter")
    rows = out.splitlines()[1:]
    assert [ln.split("\t")[2] for ln in rows] == [g.term for g in group_entries(entries, "claimant").groups]
    assert "3 entries by claimant: an entry counts once under each claimant its statements have" in err


def test_an_unknown_column_is_a_usage_error(capsys: pytest.CaptureFixture[str], ledger_path: Path) -> None:
    assert main(["list", str(ledger_path), "--group-by", "colour"]) == 2
    assert "cannot group by 'colour' (columns: actor, commitment" in capsys.readouterr().err


def test_a_table_on_a_terminal_with_inert_text(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    hostile_path: Path,  # noqa: F811
) -> None:
    monkeypatch.setattr(listing, "_is_tty", lambda: True)
    monkeypatch.setenv("COLUMNS", "80")
    code, out, err = run(capsys, str(hostile_path), "--group-by", "actor")
    assert (code, err) == (0, "")
    assert "[/foo] bad [bold]loud[/bold]" in out  # folded, never read as markup
    assert "\x1b" not in out
    assert all(cell_len(line) <= 80 for line in out.splitlines())
    assert out.rstrip().endswith("4 entries by actor")
